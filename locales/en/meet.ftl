## Meet: getting ready to talk in person, when they are willing, and a debrief afterwards.

meet-q-agreed =
    Talking face to face can mend a lot, when they're willing. I'll help you get ready. I never contact anyone.

    First: have they agreed to meet?
meet-btn-agreed = They agreed
meet-btn-ask = I still need to ask
meet-btn-space = They asked for space
meet-declined =
    They told you no, and that stands. Meeting isn't the path here, so I won't help plan one.

    What you can still do: understand what happened, learn from it, and look after yourself.
meet-heated =
    There's a lot of heat in you right now. Calm comes first: a hard talk goes better when you're settled.

    Come back with /meet afterwards. Nothing is lost.
meet-btn-calm = Calm down first
meet-space =
    Then now isn't the time to ask. Giving them space is how you show you heard them: no invitations, no checking in. They set the pace.

    Want something to work on meanwhile?
meet-btn-reflect = Reflect

## Asking: a draft they can send themselves.
meet-invite =
    Here's one way to ask. Change anything you like; your own words are best.

    "I'd like to talk with you in person about what happened, whenever you feel up to it. You choose the time and the place. And if you'd rather not, I understand."

    You send it yourself, if and when it feels right. I never send anything to anyone.
meet-btn-next = Next

## The setting: when and where.
meet-setting =
    When and where matter more than they seem. Aim for:
    • a calm time, with no rush afterwards
    • a private place, where no one can overhear
    • both of you sober
    • not late at night
    • phones away
meet-q-day = When is it? If nothing is settled yet, that's fine.
meet-btn-today = Today
meet-btn-tomorrow = Tomorrow
meet-btn-soon = In 2–3 days
meet-btn-next-week = Next week
meet-btn-unset = Not agreed yet
meet-today-late = It's late for today. Hard talks go better earlier in the day; which day instead?
meet-q-part = What time of day?
meet-part-passed = That part of today has already gone by. Which time instead?
meet-btn-morning = Morning
meet-btn-afternoon = Afternoon
meet-btn-evening = Evening
meet-q-place =
    Where? A few words are enough, like "the bench by the river" or "at home, in the kitchen". Only you can see this.

    Or tap Skip.
meet-btn-skip = Skip
meet-text-only = Written words work best here. Type it, or tap one of the buttons above.

## What to say first.
meet-opening =
    Your first words: the apology you wrote.

    "{ $apology }"

    Say it slowly, in your own voice. Then stop, and listen.
meet-opening-none =
    Your first words matter most. An apology written beforehand helps: what you did, how it affected them, that you're sorry, what you'll change.

    Write one now and come back with /meet (your answers here are kept), or go on without.
meet-btn-apology = Write my apology

## Listening and what-ifs.
meet-listen =
    Then listen. This is the part that rebuilds trust.

    Ask open questions:
    • How did this affect you?
    • What has been hardest?
    • What do you need from me now?

    Before you answer, say back what you heard:
    • "What I'm hearing is…"
    • "It sounds like…"

    Don't defend or explain first. If you remember it differently, that can wait; their feelings are real either way.
meet-whatif =
    If it gets hard, one calm answer for each:

    Angry: stay calm, let it land. "You have every right to be angry."
    Crying: slow down, don't rush to fix it. "Take your time. I'm here."
    Wants to leave: let them go, and thank them. "Thank you for talking with me."
    A hard question: answer honestly and briefly, or "I don't know yet. I'll think and tell you."
    Can't forgive yet: accept it, don't push. "I understand. That's yours to decide."
    Wants someone there (a friend, a counsellor, a mediator): agree gladly. "Of course. Who would you like?"

## A concrete proposal.
meet-proposal-plan =
    Bring something concrete, not only words. From your plan:

    { $plan }

    Bring this, or write one thing you'll offer instead.
meet-btn-bring = Bring this
meet-proposal-ask =
    Bring something concrete, not only words. What's one thing you'll offer to do, something they could see?

    For example: "I'll text you whenever I'll be more than 15 minutes late."

    Write it, or tap Skip.

## The meeting card, pinned to reread right before.
meet-card = Your meeting card. Reread it right before.
meet-card-when =
    When: { $weekday ->
        [mon] Monday
        [tue] Tuesday
        [wed] Wednesday
        [thu] Thursday
        [fri] Friday
        [sat] Saturday
       *[sun] Sunday
    } { $day } { $month ->
        [jan] January
        [feb] February
        [mar] March
        [apr] April
        [may] May
        [jun] June
        [jul] July
        [aug] August
        [sep] September
        [oct] October
        [nov] November
       *[dec] December
    }, { $part ->
        [morning] in the morning
        [afternoon] in the afternoon
       *[evening] in the evening
    }
meet-card-when-unset = When: not agreed yet. Let them choose.
meet-card-where = Where: { $place }
meet-card-opening =
    First words:
    "{ $opening }"
meet-card-opening-none = First words: what you did, that you're sorry, then an open question.
meet-card-listen =
    Listen:
    • Ask: "How did this affect you?"
    • Say back: "What I'm hearing is…"
    • Don't defend or explain first.
meet-card-whatif =
    If it gets hard:
    • Angry: stay calm, acknowledge it.
    • Wants to leave: let them go, thank them.
    • Can't forgive yet: accept it, don't push.
meet-card-proposal =
    Bring:
    { $proposal }
meet-after =
    Pinned at the top of this chat. Only you can see it.

    { $debrief ->
        [yes] If plans change, that's fine; they set the pace. I'll ask how it went afterwards.
       *[no] If plans change, that's fine; they set the pace.
    }

## The debrief, a few hours after.
meet-debrief-due = You had a talk planned. Whenever you're ready, tell me how it went; it helps with what comes next.
meet-btn-debrief = Share how it went
meet-debrief-how = How did it go?
meet-btn-well = It went well
meet-btn-mixed = Mixed
meet-btn-hard = It was hard
meet-btn-missed = It didn't happen
meet-debrief-missed =
    That's all right. Talks get moved, and sometimes they don't happen. They set the pace; there's no need to push.

    If a new time is agreed, /meet helps you get ready again.
meet-debrief-asks =
    { $how ->
        [well] Good to hear.
        [hard] Thank you for going through with it. Hard talks still count.
       *[mixed] Mixed is normal for a talk like this.
    }

    What did they ask for, if anything? In their words, if you can. Only you can see this.
meet-btn-nothing = Nothing specific
meet-debrief-next =
    { $asked ->
        [yes] Kept. What they asked for is the heart of a repair plan.
       *[no] That's fine. Listening was the point.
    }

    What next?
meet-btn-plan = Make a plan
meet-btn-calm-after = Calm down
