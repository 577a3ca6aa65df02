## The intake.

start-welcome =
    Hi, I'm Mend. I help when you've hurt someone and want to make it right.

    I'm a self-help companion, not therapy and not an emergency service. If someone is in danger, call your local emergency number; /sos shows who can help.

    A few quick questions first, mostly taps.
start-welcome-back = Good to see you again.
start-lang = Which language suits you?
start-lang-en = English
start-lang-ru = Русский
start-who = Who did you hurt?
start-who-partner = My partner
start-who-friend = A friend
start-who-family = A family member
start-who-colleague = A colleague
start-who-group = A group or team
start-what = What happened?
start-what-promise = Broke a promise
start-what-lie = Lied or hid something
start-what-words = Hurtful words
start-what-neglect = Wasn't there for them
start-what-betrayal = Betrayal or cheating
start-what-secret = Shared their secret
start-what-other = Something else
start-severity = How serious does it feel to you?
start-severity-minor = Small, but it matters
start-severity-serious = Serious
start-severity-grave = Very serious
start-openness = Are they open to making things right?
start-openness-yes = Yes
start-openness-unsure = Not sure
start-openness-no = They said no
start-heat =
    Last one. How heated do you feel right now?
    0 is calm, 10 is boiling. Tap a range or type a number.
start-use-buttons = Tap one of the answers above, please. You can change them later in /settings.
start-thanks = Thank you. That took honesty.
