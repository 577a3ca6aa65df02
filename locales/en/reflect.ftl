## Reflect: four questions, one at a time.

reflect-intro =
    Four questions, one at a time. Take your time; there are no right answers, only honest ones.

    Only you can see what you write here.
reflect-q-did =
    { $number }/{ $total }. What exactly did you do or say? Name it plainly, as it happened.

    For example: "I read your messages without asking, and lied when you asked me about it."
reflect-q-impact =
    { $number }/{ $total }. How do you think it affected them? Think of their side, not what you meant.

    For example: "You felt spied on, and now you doubt what I tell you."
reflect-q-roots =
    { $number }/{ $total }. What was going on in you? What did you feel, need, avoid or assume?

    For example: "I was scared you were pulling away, and instead of asking I went looking."
reflect-q-change =
    { $number }/{ $total }. What will you do differently from now on? Something they could notice.

    For example: "When I feel insecure, I'll say so out loud instead of checking."
reflect-text-only = Written words work best here. Type your answer, or tap Pause for now.
reflect-nudge =
    That's a start. Can you name the exact act or words? Being concrete is what makes an apology land.

    Write it again with more detail, or keep this one.
reflect-btn-keep = Keep it as is
reflect-saved =
    Saved to your journal. That took honesty.

    What you wrote about the roots is worth telling them one day, not as an excuse but so they can see it won't repeat.
reflect-btn-journal = See my journal
