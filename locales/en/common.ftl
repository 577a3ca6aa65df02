## Shared by every flow: buttons, commands, and answers to unexpected input.

btn-menu = Menu
btn-not-now = Not now
btn-start = Start
btn-help = Help
use-buttons = Tap one of the buttons above, or send /menu to go back.
nontext-reply = I can only read text and button taps. Could you write it in words instead?
empty-text = I didn't catch any words there. Try writing a sentence, or send /menu.
unknown-command = I don't know /{ $command }. Send /help to see what I can do.
button-stale = That button has expired. Send /menu to start from here.
state-reset = I've been updated and lost my place in our last conversation. Your answers are safe. Let's carry on from the menu.
cancel-done = Stopped. You're back at the menu.
cancel-nothing = There's nothing to stop right now.
heat-invalid = A number from 0 to 10 works best, or tap one of the buttons.
heat-h2 = 0–2
heat-h4 = 3–4
heat-h6 = 5–6
heat-h8 = 7–8
heat-h10 = 9–10
message-cut = (The rest was too long for one message.)

## Command list shown in Telegram's menu.
cmd-start = Begin, or see where you are
cmd-menu = Your next step and all options
cmd-calm = Calm down before anything else
cmd-settings = Language, time zone, quiet hours
cmd-help = What Mend is and how it works
cmd-cancel = Leave this step, back to the menu

## The console chat (python -m bot chat).
console-welcome = Mend console. Type /start to begin, a number to press a button, :help for console commands.
console-help =
    Type text to write, a number to press a button from the latest message, or a /command.
    :advance 2h moves time forward (m, h or d) and shows what came due.
    :location 52.52 13.40 shares a place (latitude, longitude), as the location button would. :quit leaves.
console-advance-usage = Try :advance 30m, :advance 2h or :advance 1d.
console-advanced = Time is now { $time }.
console-unknown = Unknown console command. Type :help.
console-location-hint = ({ $label }: type :location and a latitude and longitude, e.g. :location 52.52 13.40)
console-location-usage = Try :location 52.52 13.40 (latitude, then longitude).
cmd-reflect = Look at what happened, step by step
cmd-apology = Put your apology into words
cmd-journal = What you've written and kept

## Journey flows: pausing and picking up again.
btn-pause = Pause for now
btn-start-over = Start over
resume-note = Picking up where you left off. Your earlier answers are kept.
journey-paused = Paused. Your answers are kept; /{ $command } picks up where you left off.
answer-too-long = That's more than I can keep in one answer ({ $limit } characters). Could you shorten it?
console-pinned = (pinned)
cmd-meet = Prepare to talk in person
cmd-plan = Your repair plan and commitments
error-sorry = Something went wrong on my side, sorry. Nothing you wrote is lost; try again, or send /menu.
cmd-pause = Pause or resume reminders
cmd-checkin = Set up the daily check-in
cmd-progress = Your progress over the last weeks
cmd-space = They asked for space
