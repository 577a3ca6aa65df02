## The home menu, help and settings.

menu-home-new = I'm Mend. Tap Start and I'll ask a few quick questions, mostly taps.
menu-home =
    { $why ->
        [heated] Next: calm down first. Everything is easier from a settled place.
        [apology-minor] Next: put your apology into words. Short and honest is enough for this.
        [apology-grave] Next: put your apology into words, using what you found when reflecting.
        [meet-grave] Next: prepare to talk in person, if they're willing. A counsellor or mediator can help keep a serious talk on track.
        [plan-minor] Next: one or two concrete commitments. Small promises, kept, are what rebuild trust.
        [plan-grave] Next: a plan with concrete commitments. Trust comes back slowly, through kept promises; a counsellor can help too.
        [reflect-grave] Next: reflect. What happened is serious, and the way back starts with seeing it clearly, before any apology.
        [reflect-declined] Next: reflect. Their no stands; what you can still do is understand what happened and learn from it.
        [done-minor] You've looked at what happened. Keep your word in small things; that's what rebuilds trust.
        [done-grave] You've looked at what happened. Trust comes back slowly, through kept promises. A counsellor can help with something this serious.
        [done-declined] You've looked at what happened. Their decision stands. Be gentle with yourself, and keep what you learned.
       *[reflect-minor] Next: reflect for a few minutes. Knowing exactly what you did makes the apology honest.
    }

    What would you like to do?
menu-btn-calm = Calm down
menu-btn-apology = Apology
menu-btn-meet = Prepare to meet
menu-btn-plan = My plan
menu-btn-reflect = Reflect
menu-btn-journal = My journal
menu-btn-parked = My parked message
menu-btn-settings = Settings
menu-btn-help = Help
menu-declined =
    They told you no. That's theirs to decide, and respecting it is part of making things right.

    I won't suggest reaching out or meeting. What you can still do: understand what happened, learn from it, and look after yourself.
menu-idle-hint = I'm here. Pick one of the options below.
help-text =
    Mend helps you make things right after you've hurt someone: calm down first, then own what happened, step by step, at your pace.

    /menu your next step
    /calm calm down now
    /sos who can help right now, if you're in crisis
    /invite invite the person you hurt to join, if they want to
    /pair in a group chat with them: a shared space for you both
    /settings language, time zone, quiet hours and your answers
    /cancel leave any step

    I'm a self-help companion, not therapy or an emergency service. If you feel unsafe, or things keep escalating, a counsellor or your local emergency number can help more than I can.
settings-text =
    Language: { $language ->
        [ru] Русский
       *[en] English
    }
    Time zone: { $tz ->
        [none] not set yet (reminders use UTC)
       *[other] { $tz }
    }
    Quiet hours: { $quiet ->
        [off] off
       *[other] { $quiet }
    }

    Change anything, or answer the first questions again.
settings-btn-redo = Answer again
settings-saved = Saved.
settings-btn-tz = Time zone
settings-btn-quiet = Quiet hours
settings-tz-ask = So reminders come at the right hour: type your city, or pick a region.
settings-region-europe = Europe
settings-region-americas = Americas
settings-region-asia = Asia
settings-region-africa = Africa, Middle East
settings-region-pacific = Australia, Pacific
settings-tz-pick = Which is closest to you? Or type your city.
settings-zone = { $city }
settings-tz-unknown = I don't know that place. Try a bigger city nearby, or pick a region above.
settings-tz-saved = Time zone set: { $tz }.
settings-tz-share = Or tap the button below to share your location once. I only use it to find your time zone and don't keep it.
settings-tz-nowhere = I couldn't tell the time zone from that spot. Type your city, or pick a region above.
btn-share-location = 📍 Share my location
settings-quiet-ask = When should I stay quiet? Anything due then waits until morning.
settings-quiet-q22 = 22:00–08:00
settings-quiet-q23 = 23:00–07:00
settings-quiet-q21 = 21:00–09:00
settings-quiet-off = No quiet hours

## Pause.
pause-ask = Need a break from reminders? Your plan and progress stay as they are.
pause-ask-paused = Reminders are paused. Resume them, or change how long?
pause-btn-d3 = 3 days
pause-btn-w1 = A week
pause-btn-open = Until I resume
pause-btn-resume = Resume now
pause-set-d3 = Paused for 3 days. Nothing is lost.
pause-set-w1 = Paused for a week. Nothing is lost.
pause-set-open = Paused until you resume with /pause. Nothing is lost.
pause-resumed = Reminders are back on.
