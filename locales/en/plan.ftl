## Plan: amends, commitments, their asks, honesty about slips, a weekly review.

plan-calm-first = Let's plan from a calmer place. A few minutes of calm first?
plan-btn-calm = Calm down first
plan-intro =
    Let's make a plan you can keep. Words don't rebuild trust; kept promises do.

    Five short parts. Skip any that don't fit.
plan-q-amends =
    Is there harm you can repair directly? Money, time, a mistake to correct, something to give back.

    For example: "I'll pay back what I borrowed, 50 a month from June."
plan-btn-skip = Skip
plan-q-commit =
    Commitment { $number }. Something specific they could notice you doing.

    For example: "I text if I'll be more than 15 minutes late." or "No deleting messages."
plan-vague =
    That's a good intention, but hard for them to see. What would it look like on an ordinary day?

    For example: "be better" could become "I put my phone away at dinner".
plan-btn-keep = Keep it as is
plan-q-cadence = How often does this happen? I can nudge you at the right time.
plan-cadence-daily = Every day
plan-cadence-weekdays = Weekdays
plan-cadence-weekly = Once a week
plan-cadence-once = Just once
plan-cadence-none = No reminder
plan-q-weekday = On which day?
plan-day-mon = Mon
plan-day-tue = Tue
plan-day-wed = Wed
plan-day-thu = Thu
plan-day-fri = Fri
plan-day-sat = Sat
plan-day-sun = Sun
plan-q-time = At what time? Tap one, or type it, like 20:30.
plan-time-t09 = 09:00
plan-time-t13 = 13:00
plan-time-t19 = 19:00
plan-time-t21 = 21:00
plan-time-invalid = A time like 8:30 or 20:30 works, or tap one of the buttons.
plan-commit-added = Added.
plan-q-more = Another commitment, or is that enough for now? Fewer, kept, beats many, broken.
plan-btn-add = Add another
plan-btn-enough = That's enough
plan-q-asks =
    Has the other person asked for anything? Boundaries, expectations, things to stop or start.

    Write each one as a message, then tap Done.
plan-q-asks-known =
    After you met, you noted that they asked for:
    { $asked }

    Add these to the plan, or write them your own way.
plan-btn-use-asks = Add these
plan-btn-done = Done
plan-asks-added =
    { $count ->
        [one] Added. Anything else? Write it, or tap Done.
       *[other] { $count } in the plan. Anything else? Write it, or tap Done.
    }
plan-q-slip =
    If you slip, how will you tell them, before they find out another way?

    For example: "I tell you the same day, face to face, without excuses."
plan-q-review = Which day will you look back at the week and check how the plan is going?
plan-btn-no-review = No review
plan-q-remove = Which commitment should go?
plan-remove-item = { $text }
plan-btn-back = Back
plan-saved = Saved. Only you can see your plan.
plan-card = Your plan
plan-card-amends = To repair: { $text }
plan-card-commitments = I commit to:
plan-card-commitment =
    • { $text }{ $cadence ->
        [daily] {" "}(every day at { $time })
        [weekdays] {" "}(weekdays at { $time })
        [weekly] {" "}(every { $day ->
            [mon] Monday
            [tue] Tuesday
            [wed] Wednesday
            [thu] Thursday
            [fri] Friday
            [sat] Saturday
           *[sun] Sunday
        } at { $time })
        [once] {" "}(once, at { $time })
       *[none] {""}
    }
plan-card-asks = They asked for:
plan-card-item = • { $text }
plan-card-slip = If I slip: { $text }
plan-card-review = Weekly review: { $day ->
        [mon] Monday
        [tue] Tuesday
        [wed] Wednesday
        [thu] Thursday
        [fri] Friday
        [sat] Saturday
       *[sun] Sunday
    }
plan-edit-amends = Repair
plan-edit-commit = Add commitment
plan-edit-remove = Remove one
plan-edit-asks = Their asks
plan-edit-slip = If I slip
plan-edit-review = Review day

## Nudges for the plan's commitments, answered with one tap.
nudge-due = { $time } · { $text }
nudge-btn-done = Done
nudge-btn-later = Later
nudge-btn-skip = Skip
nudge-done = Done. That's one more kept promise.
nudge-later = I'll remind you in an hour.
nudge-skip = Skipped for today. That's all right; tomorrow is another chance.
nudge-gone = This commitment is no longer in your plan.
nudge-review =
    It's your weekly review day. Over the last four weeks: { $score }% kept, a streak of { $streak } { $streak ->
        [one] day
       *[other] days
    } kept.

    How did the week go with your plan? Anything to change?
nudge-btn-plan = Open my plan

## The daily check-in and progress.
checkin-setup = A daily check-in takes one tap: did you keep your commitments today? When suits you? Tap a time or type one, like 21:15.
checkin-time = { $time }
checkin-btn-off = No check-in
checkin-set = Every day at { $time } I'll ask, in your time zone. Change it with /checkin.
checkin-off = Daily check-in is off.
checkin-ask = Did you keep your commitments today?
checkin-btn-kept = Kept them
checkin-btn-partly = Partly
checkin-btn-slipped = Slipped
checkin-btn-skipped = Skip today
checkin-ack-kept = Kept today. Small, steady acts are what rebuild trust.
checkin-ack-partly = Partly today. That still counts; tomorrow is another go.
checkin-ack-slipped = Thanks for being honest. One slip doesn't undo weeks of effort.
checkin-ack-skipped = Skipped today. That's fine.
checkin-slip-why = What got in the way today? A line or two is enough.
checkin-slip-next = What will you do differently next time it comes up?
checkin-slip-own =
    It helps to tell them yourself, before they find out another way. For example: "I want you to hear it from me: today I didn't keep my word about this. I'm working on it."

    Ready to recommit?
checkin-btn-recommit = I recommit
checkin-recommitted = Recommitted. Owning a slip quickly is part of rebuilding trust.
checkin-counsellor = This is the third slip in two weeks. That happens, and it may be worth talking it through with a counsellor; it's a sign you take this seriously.
progress-empty = No check-ins yet. Once you answer a few, you'll see your progress here.
progress-btn-setup = Set up a daily check-in
progress-text =
    Last 4 weeks: { $score }% kept ("partly" counts half), over { $days } answered { $days ->
        [one] day
       *[other] days
    }.
    Current streak: { $streak } { $streak ->
        [one] day
       *[other] days
    }.

    Kept { $kept }, partly { $partly }, slipped { $slipped }, skipped { $skipped }.
progress-chart = Your last four weeks: a bar for each day's answer, and a line for the share of days kept over the seven days before it.
chart-title = Last 4 weeks
chart-kept = kept
chart-partly = partly
chart-slipped = slipped
chart-skipped = skipped
