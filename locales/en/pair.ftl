## Couple mode, joining: the invite link, consent, and the safety question.

cmd-invite = Invite them to see your progress
pairing-about =
    You can invite the person you hurt to join you here, if they want to. They'd get their own quiet corner: they can ask for space, pause or end things at any time, and see the plan you made.

    Only send it if it won't feel like pressure. It's fine to wait.
pairing-link =
    Here is the link to pass on to them. It works once, for { $days } days:
    { $link }
pairing-link-after = I'll let you know if they join. Their answer is theirs to give, in their own time.
pairing-waiting = Your invitation is with them. There's nothing you need to do now; it's their choice, in their own time.
pairing-btn-withdraw = Withdraw it
pairing-withdrawn = Withdrawn. Nothing more will reach them about it. You can invite again later, if it feels right.
pairing-status-active = You're connected. They can see your plan and can ask for space at any time.
pairing-status-paused = They've paused things for now. Your own plan and check-ins go on as usual.
pairing-declined = They told you no, so I won't help you invite them. Respecting that is part of the repair.
pairing-space = They asked for space, so this isn't the time to invite them. We can look at it when the space is over.
pairing-invite-unknown = This invitation link doesn't work. Ask the person who sent it for a new one, if you'd like.
pairing-invite-expired = This invitation has expired. If you still want to join, ask for a new link.
pairing-invite-used = This invitation has already been used. Each link works only once.
pairing-invite-own = This is your own invitation link. Send it to them; it won't work for you.
pairing-already = You're already connected with someone here. Finish or end that first, from the menu.
pairing-gone = That invitation is no longer open.
pairing-welcome =
    Hi, I'm Mend. Someone you know uses me to work on repairing the hurt they caused you, and they invited you to join.
    
    I'm a self-help companion, not therapy or an emergency service.
pairing-consent =
    If you join, you can see their plan, ask for space, and pause or end this whenever you want. Nothing you tell me in private is shown to them.

    Would you like to join? Saying no is completely fine.
pairing-btn-yes = Yes, I'll join
pairing-btn-no = Not now
pairing-not-now = That's all right. I won't write to you again unless you write first.
pairing-not-now-told = They decided not to join, at least for now. That's their choice to make. Your own plan goes on.
pairing-safety-ask = One private question before anything starts: do you feel safe with this person? They won't see your answer.
pairing-safety-safe = Yes, I feel safe
pairing-safety-unsure = I'm not sure
pairing-safety-unsafe = No
pairing-safety-skip = I'd rather not say
pairing-support =
    Thank you for telling me. Nothing will start, and they won't be told why.

    Your safety comes before any repair. You can end this connection at any time, and these people can help:
pairing-active =
    You're in. From here on, you decide the pace.
pairing-active-told = They joined. Go gently: they hold the controls now, and they can ask for space at any time.

## Couple mode: the controls of the person who was hurt.

partner-home =
    { $state ->
        [paused] Things are paused. They won't get any prompts about you until you resume.
        [space] You asked for space{ $until ->
            [none] {""}
           *[other] {" "}until { $until }
        }. They won't be prompted to contact you.
        [their-paused] They paused things. Only they can resume.
        [their-space] They asked for space, so only they can end it.
       *[active] This is your corner. You decide the pace.
    }

    What would you like to do?
partner-theirs = That one is theirs to lift, not yours. It's a way of respecting what they asked for.
partner-home-held = Nothing is going ahead between you. If you'd like to close this connection for good, you can.
partner-none = That's only for the person who was invited, once they've joined.
partner-btn-space = Ask for space
partner-btn-space-end = End the space
partner-btn-pause = Pause
partner-btn-resume = Resume
partner-btn-plan = See the plan
partner-btn-end = End it
partner-btn-back = Back
partner-btn-space-open = Until I say
partner-btn-expect = Add what I need
partner-use-buttons = Tap one of the buttons, please.
partner-space-ask = How long do you need? Tap one, type a number of days, or a date like 24.12.
partner-space-invalid = Tap one of the options, or type a number of days (like 10) or a date (like 24.12).
partner-space-set =
    Done. { $days ->
        [0] Until you say otherwise,
        [one] For { $days } day,
       *[other] For { $days } days,
    } they won't be prompted to contact you or meet. Only you can end it early.
partner-space-ended = The space is over. They'll get a gentle note, with the reminder that you may still not be ready.
partner-paused = Paused. Neither of you gets prompts about the other until you resume.
partner-resumed = Resumed.
partner-paused-told = They paused things for now. It's their call, and it isn't a door closing. Your own plan and check-ins go on as usual.
partner-resumed-told = They've resumed things. Go gently.
partner-end-ask = End this for both of you? They'll be told, without any details, and I won't write to you again unless you write first.
partner-btn-end-yes = Yes, end it
partner-ended = It's ended. Take care of yourself. If you ever want to talk to me again, just write.
partner-ended-told =
    They've chosen to end this. It's their decision, and respecting it is part of the repair.

    I won't suggest reaching out to them any more. What you've learned stays with you, and /reflect is there whenever you want it.
partner-plan = Their plan:
partner-plan-empty = There's no plan yet. You can still write down what you need from them.
partner-plan-commitments = What they committed to:
partner-plan-item = • { $text }
partner-plan-expectations = What you asked for:
partner-expect-ask = What do you need from them? One expectation or boundary, in your own words. If you share a group chat with me, it shows in /agreements there too.
partner-expect-added = Added. They'll see it in their plan.
partner-expect-told = They added something they need from you: "{ $text }"

## Give space, when the other person set it in couple mode.
space-set-by-partner =
    They asked for space { $days ->
        [0] until they say otherwise.
        [one] for { $days } day.
       *[other] for { $days } days.
    } I won't suggest reaching out or meeting. Only they can end it early.

    Every few days I'll check in with something you can do meanwhile.
space-held-by-partner = They asked for space, and only they can end it early. Giving it fully shows you heard them.
space-held-paused = They've paused things for now; only they can resume. Your own plan goes on as usual.

## The private weekly trust check-in.
pairing-trust-note = Once a week I'll ask you, privately, how much trust feels like it's coming back. Only you see your answers, and you can skip or stop it any time.
trust-ask = A private question, just for you: how much do you feel trust is coming back? 0 is none at all, 10 is fully.
trust-score = { $n }
trust-btn-skip = Skip this week
trust-btn-stop = Stop asking
trust-noted =
    Noted: { $score }. Only you can see this.
    Your weeks so far: { $trend }
trust-skipped = Skipped this week. That's fine.
trust-already = You've already answered for this week.
trust-stopped = I won't ask this any more. Your earlier answers stay private.
trust-word-ask = If you like, one word on what helped or hurt this week. Or skip.
trust-btn-no-word = Skip
trust-thanks = Thank you. /menu whenever you need it.
