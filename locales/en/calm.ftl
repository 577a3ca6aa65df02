## The calm flow: breathing, grounding, writing it out.

calm-intro = Let's slow things down. Pick whatever feels doable.
calm-intro-first = 
    That's a lot of heat right now. Let's bring it down before anything else.
    Pick one; it takes about two minutes.
calm-choose = How would you like to calm down?
calm-btn-breathe = Breathe with me
calm-btn-ground = Ground myself
calm-btn-write = Write it out
calm-btn-stop = Stop
calm-btn-calmer = I'm calmer
calm-breath-in = 
    Breathe in slowly through your nose, for a count of { $seconds }.

    Breath { $round } of { $rounds }
calm-breath-hold = 
    Hold it gently, for a count of { $seconds }.

    Breath { $round } of { $rounds }
calm-breath-out = 
    Now breathe out, slow and long, for a count of { $seconds }.

    Breath { $round } of { $rounds }
calm-breath-done = Well done. Notice your shoulders, your jaw. How is it now?
calm-breath-stopped = Stopped. Even one slow breath counts.
calm-btn-done-sense = Done
calm-ground-5 = Look around. Name five things you can see, one by one, in your head.
calm-ground-4 = Now four things you can touch. Feel their texture for a moment.
calm-ground-3 = Three things you can hear, near or far.
calm-ground-2 = Two things you can smell. If nothing comes, recall a smell you like.
calm-ground-1 = One thing you can taste, or one slow sip of water.
calm-ground-done = You're here, in this moment. How is it now?
calm-ground-stopped = Stopped. Come back to it any time with /calm.
calm-write-prompt = 
    Write down everything you'd say to them, as angry as it is.

    I won't send it anywhere. Only you can see this.
calm-write-text-only = I can keep only written words here. Type it out, or tap Not now.
calm-write-empty = There's nothing to keep yet. Type what you'd say to them.
calm-write-too-long = That's more than I can keep in one go ({ $limit } characters). Could you send it in parts?
calm-parked = 
    Parked. It goes nowhere, and it's out of your head for now.

    Reading it again tomorrow, with a calmer mind, often shows what's underneath the anger.
calm-btn-show-tomorrow = Show it to me tomorrow
calm-btn-no-need = No need
calm-parked-more = Added to what you parked.
calm-parked-later = I'll show it to you tomorrow.
calm-parked-show = Here is what you parked. Only you can see this.
calm-parked-none = There's no parked message yet. You can write one in /calm.
calm-rate = How heated do you feel now, from 0 to 10?
calm-settled = Good. That's a steadier place to start from.
calm-still-hot = 
    Still a lot. That's all right: strong feelings take time to pass.
    Want me to check back in a while? Until then, go easy on yourself and leave big decisions for later.
calm-btn-in30m = In 30 minutes
calm-btn-in2h = In 2 hours
calm-btn-no-thanks = No, thanks
calm-checkback-set-in30m = I'll check back in 30 minutes.
calm-checkback-set-in2h = I'll check back in 2 hours.
calm-take-care = All right. Go gently, and come back with /calm whenever you need.
calm-checkback = Checking back, as you asked. How heated do you feel now, from 0 to 10?
calm-btn-letgo = Let it go
calm-btn-keepit = Keep it for now
calm-parked-dropped = Deleted. Letting it go is often the kindest choice, for both of you.
calm-parked-kept = Kept. It stays here, only for you.
calm-parked-review =
    Yesterday you parked a message. Here it is, to reread with fresh eyes. Only you can see this.

    Still want to send it? If so, a calmer version may say it better.
