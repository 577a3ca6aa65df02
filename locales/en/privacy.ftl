## Your data: a copy of everything, or all of it erased.

cmd-export = A copy of everything kept about you
cmd-delete = Erase everything about you
privacy-about =
    What you write here is stored encrypted. Nobody else sees it unless you choose to share it.

    You can get a copy of everything I keep about you, or erase all of it.
privacy-btn-export = Send me a copy
privacy-btn-delete = Erase everything
privacy-export-caption = Everything I keep about you, in one file. It's sent only to you.
privacy-delete-ask =
    Erase everything about you? Your answers, journal, plan, reminders and settings all go, and can't be brought back.

    If you're connected with someone here, that ends too. They'll only hear that it has ended.
privacy-btn-delete-yes = Yes, erase it all
privacy-btn-keep = Keep it
privacy-kept = Nothing was erased. Everything is still here.
privacy-deleted = It's all erased. If you ever want to start again, just send /start.
privacy-partner-ended = This has ended: you're no longer connected here. There's nothing you need to do, and I won't bring it up again.
privacy-export-about = Everything Mend keeps about you, as of the time below.
