## The home menu, help and settings.

menu-home-new = I'm Mend. Tap Start and I'll ask a few quick questions, mostly taps.
menu-home =
    { $why ->
        [heated] Next: calm down first. Hard talks go better when you're settled.
        [declined] Next: take care of yourself and let things settle. Their no is their choice to make.
        [grave] Next: steady yourself. What happened is serious, and the path back is long, so start from a calm place.
       *[minor] Next: take a calm moment before you say sorry. A settled mind finds better words.
    }

    What would you like to do?
menu-btn-calm = Calm down
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
    /settings language and your answers
    /cancel leave any step

    I'm a self-help companion, not therapy or an emergency service. If you feel unsafe, or things keep escalating, a counsellor or your local emergency number can help more than I can.
settings-text =
    Language: { $language ->
        [ru] Русский
       *[en] English
    }

    Change it, or answer the first questions again.
settings-btn-redo = Answer again
settings-saved = Saved.
