## Your data: a copy of everything, or all of it erased.

cmd-export = A copy of everything kept about you
cmd-delete = Erase everything about you
privacy-about =
    What you write here is encrypted where it's stored, and nobody else can read it here.

    You can get a copy of everything I keep about you, or erase all of it.
privacy-btn-export = Send me a copy
privacy-btn-delete = Erase everything
privacy-export-caption = Everything I keep about you, as a file. Only you have it.
privacy-delete-ask =
    Erase everything about you? Your answers, journal, plan, reminders and settings all go, and can't be brought back.

    If you're connected with someone here, that ends too; they'll only hear that it has ended.
privacy-btn-delete-yes = Yes, erase it all
privacy-btn-keep = Keep it
privacy-kept = Nothing was erased.
privacy-deleted = It's all erased. If you ever want to start again, just send /start.
privacy-partner-ended = This has ended. There's nothing you need to do, and I won't bring it up again.
