## Crisis language, /sos, and when reconciliation is not the right path.

cmd-sos = Help now, if you're in crisis
sos-self_harm =
    I'm really glad you told me. What you're feeling matters, and you don't have to carry it alone.

    I'm not an emergency service, but people who can help are a call or a message away.
sos-violence =
    Thank you for being honest about this. Right now, keeping everyone safe matters more than any apology.

    If someone could get hurt, walk away and call your emergency number. There are people whose work is helping someone stop.
sos-abuse =
    I'm sorry this is happening to you. It isn't a trust problem for you to fix, and it isn't your fault.

    Your safety comes first. I'm not an emergency service, but these people can help.
sos-sos =
    If you're in danger, or thinking about ending your life, please reach out to someone now.

    I'm not an emergency service, but these people are there for exactly this.
sos-help = Who can help now:
sos-line = { $name }: { $contact }
sos-emergency = Emergency: { $number }
sos-emergency-general = If you're in danger right now, call your local emergency number (112 in most countries, 911 in North America).
sos-directory = In any country: { $url } lists free, confidential helplines.
sos-btn-ground = Ground myself
sos-btn-breathe = Breathe with me
sos-btn-resume = Go on where I was
sos-btn-mistaken = Not what I meant
sos-still = I'm here. Take your time. When you're ready, pick one of these.
sos-mistaken = Thanks for telling me. I've set that aside. If things ever feel unsafe, /sos shows who can help.
sos-back = Okay, back to where you were.

safety-reconcile-off =
    { $kind ->
        [violence] Since there has been violence, I won't help with meeting or reaching out to them. Making sure nobody gets hurt comes first, and there are people who help with exactly that: /sos.
       *[other] Since you don't feel safe, I won't help with meeting or reaching out. Your safety comes first: /sos shows who can help.
    }
safety-intake-violence =
    Thank you for being honest about that. When someone has been hurt physically, what matters most is that it never happens again, and that usually takes a professional's help, not an app.

    I won't suggest meeting or reaching out. Reflecting and your journal are still here.
safety-meet-quiet = Meeting in person isn't something I can help with right now. Reflecting, your plan and your journal are all still here.
group-cannot = I can't set this up here. Each of you is welcome to talk to me in a private chat.
start-what-physical = Hurt them physically
checkin-cycle =
    That's the third slip in two weeks. When a serious hurt and an apology keep repeating, it becomes a cycle that's very hard to break alone.

    A counsellor can help with exactly this. Looking for one is a strong step, not a failure.
