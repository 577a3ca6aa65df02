## Couple mode in a shared group chat: pairing with a role, agreements, the weekly talk, thanks.

group-hello =
    Hi, I'm Mend. I help two people rebuild trust after a hurt, at the pace of the one who was hurt.

    When you're both ready, send /pair. Nothing starts until both of you say yes.
group-help =
    Here in the group:
    /pair pair the two of you (each says yes)
    /agreements what you've agreed
    /talk the weekly check-in, taking turns
    /thanks something you noticed and appreciated

    Anything private stays in each person's private chat with me.
group-none = You're not paired here yet. When you're both ready, send /pair.
group-members-only = Only the two people paired here can use this. You're welcome to read along.
group-not-yours = Only the two people pairing here can use these buttons.

group-pair-ask =
    { $count ->
        [0] Each of you, tap the one that fits you. Nothing starts until both of you have.
       *[other] One of you is in. Now the other: tap the one that fits you.
    }
group-btn-caused = I caused the hurt
group-btn-hurt = I was hurt
group-btn-both = We both did
group-pair-noted = Got it. Waiting for the other person.
group-pair-mismatch = Those two answers don't fit together: one of you caused the hurt and the other was hurt, or you both hurt each other. Please each tap again.
group-pair-done = Both of you have answered. Thank you.
group-formed =
    One last step happens in private: a short question for the one who was hurt (for each of you, if you both were), just between them and me.

    Open a private chat with me here: { $link }
group-linked = You're already paired with each other, so this group is now your shared space.
group-busy = One of you is already paired with someone else. That needs to end first, in the private chat with me.
group-active =
    You're paired. The one who was hurt sets the pace: they can ask for space, pause or end this at any time, in private.

    /agreements shows what you've agreed. On Sunday evenings I'll offer a short check-in.
group-paired = You're paired here. What would you like?
group-btn-agreements = Our agreements
group-btn-talk = Weekly check-in
group-status-waiting = Things haven't started here yet. There's nothing to do for now.
group-member-left = One of the two paired people left the group, so I'll stay quiet here. Anything private carries on in private chats.
group-paused = Things are paused for now. I'll stay quiet here until they resume.
group-resumed = Things are back on. /talk starts a check-in whenever you're both ready.
group-ended = This process has ended. I won't post here anymore. Thank you both.

group-agreements = What you've agreed:
group-agreements-empty = There's nothing agreed yet. A plan made in private and needs added by the one who was hurt show up here.

group-thanks-how = Noticed something you appreciated? Send /thanks and then what it was, like: /thanks you called when you said you would.
group-thanks-kept = Noted. Small things seen and named are how trust grows.

group-talk-weekly = Time for your weekly check-in, if it suits you both. About ten minutes.
group-talk-intro =
    Here's how it goes: one of you speaks about how this week felt. The other just listens, then says back what they heard. Then you swap.

    No fixing, no judging. Who goes first?
group-btn-first = I'll go first
group-btn-stop = Stop for now
group-talk-speak =
    { $who ->
        [first] Your turn to speak, first one. How did this week feel? What helped, what was hard?
       *[second] Now swap. Your turn to speak: how did this week feel for you?
    }

    The other listens without answering yet. Tap when you're done.
group-btn-speak-done = I'm done
group-talk-reflect =
    Now the one who listened: say back what you heard, in your own words, and ask "Did I get that right?"

    Tap when you've checked.
group-btn-reflect-done = I said it back
group-talk-time = A gentle time check: a couple more minutes, then let the other say back what they heard.
group-talk-not-you = This turn is the other person's.
group-talk-stopped = Stopped. You can pick it up again with /talk any time.
group-talk-done = That's this week's check-in. Thank you both for listening. If something stood out, /thanks keeps it.
group-talk-space = Space was asked for, so this waits until it ends.

pairing-group-welcome = Hi, I'm Mend. You paired with someone in a group chat. Before anything starts, one question just for you.
pairing-safety-wait = Thank you. Things start once the other person has answered too.

cmd-group-pair = Pair the two of you here
cmd-group-agreements = What you've agreed
cmd-group-talk = The weekly check-in, taking turns
cmd-group-thanks = Note something you appreciated
cmd-group-help = How Mend works in a group
menu-btn-pair = Our pair

trust-btn-chart = See my chart
trust-btn-share = Share in our group
trust-chart-title = How much trust feels like it's coming back (0-10)
trust-chart-caption = Your weekly answers. Only you see this.
trust-chart-empty = There's nothing to draw yet. Your first answer will start the chart.
trust-shared = Shared: just the number, nothing else.
group-trust-shared = Shared from a private weekly check-in: trust feels like { $score } out of 10.
group-agreements-commitments = Commitments from the plan:
group-agreements-expectations = What's been asked for:
