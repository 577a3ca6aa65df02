## Give space: when they asked for it.

space-ask =
    Did they ask for space? Giving it fully is one of the clearest ways to show you heard them.

    For how long? Tap one, or type a number of days.
space-ask-active = You're giving them space now. Change how long, or end it if they reached out.
space-btn-d3 = 3 days
space-btn-w1 = A week
space-btn-w2 = Two weeks
space-btn-open = Until they reach out
space-btn-end = They reached out
space-invalid = Tap one of the options, or type a number of days, like 10.
space-set =
    Noted: { $days } { $days ->
        [one] day
       *[other] days
    } of space. I won't suggest reaching out or meeting until then.

    Every few days I'll check in with something you can do meanwhile.
space-set-open =
    Noted: space until they reach out. I won't suggest reaching out or meeting.

    Every few days I'll check in with something you can do meanwhile.
space-ended-by-user = Glad they reached out. Go gently: let them lead, and listen first.
space-over =
    The space they asked for is over. They may still not be ready, and that's theirs to decide.

    If you write, keep it light and easy to ignore, for example: "Thinking of you. No need to reply; I'm here when you want to talk."
space-reminder-selfcare = Still giving them space, and that's respect, not distance. Today, look after yourself: sleep, a walk outside, a friend to talk to.
space-reminder-journal = Waiting is hard. Writing helps: what are you learning about yourself these days? /reflect is there when you want it.
space-reminder-commitment = Space is a good time to keep your commitments quietly. Trust grows from what they'll notice later, not from messages now.
meet-space-active =
    They asked for space, so now isn't the time to meet. Giving it fully is how you show you heard them.

    When the space is over, we can prepare together.
