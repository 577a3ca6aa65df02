## The journal.

journal-empty = Your journal is empty for now. A reflection is a good first entry.
journal-btn-reflect = Reflect now
journal-list =
    Your journal has { $count ->
        [one] one entry
       *[other] { $count } entries
    }. Only you can see it. Pick one to read.
journal-item = { $date } · Reflection
journal-btn-back = Back to journal
journal-entry-reflection =
    Reflection, { $date }

    What I did: { $did }

    How it affected them: { $impact }

    What was going on in me: { $roots }

    What I'll do differently: { $change }
