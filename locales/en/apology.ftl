## Apology: five parts, one at a time. The checker's notes live in apology-check.ftl.

apology-intro =
    Let's put your apology into words, one part at a time, in "I" sentences.

    I'll point out anything that might undercut it. I never send anything to them: this is for you to say, when and if you choose.
apology-q-what =
    { $number }/{ $total }. What did you do? Say it plainly, starting with "I".

    For example: "I broke my promise and went out when I said I'd be home."
apology-q-what-suggested =
    { $number }/{ $total }. What did you do? In your reflection you wrote:

    "{ $suggestion }"

    Use that, or write it fresh, starting with "I".
apology-q-impact =
    { $number }/{ $total }. How do you see it affected them? Their side, in your words.

    For example: "I think you felt alone, and like you couldn't count on me."
apology-q-impact-suggested =
    { $number }/{ $total }. How do you see it affected them? In your reflection you wrote:

    "{ $suggestion }"

    Use that, or write it fresh.
apology-q-regret =
    { $number }/{ $total }. Say that you regret it, simply, without a reason attached.

    For example: "I'm sorry. I regret it."
apology-q-change =
    { $number }/{ $total }. What will you do differently? Something they could notice.

    For example: "From now on, if plans change, I'll call you before, not after."
apology-q-change-suggested =
    { $number }/{ $total }. What will you do differently? In your reflection you wrote:

    "{ $suggestion }"

    Use that, or write it fresh.
apology-q-ask =
    { $number }/{ $total }. End with an open question about what they need, not a request to be forgiven.

    For example: "What would help you right now?"
apology-btn-use = Use this
apology-btn-rewrite = Rewrite it
apology-btn-keep = Keep it
apology-findings = A few words here might work against you:
apology-flag = "{ $phrase }"
apology-rewrite = Go ahead, write it again.
apology-ready = Here is your apology, all together. Read it aloud once; does it sound like you?
apology-after =
    Saved. Only you can see this; /apology shows it again.

    When and whether to share it is yours to decide. In person, unhurried, usually works best.
apology-latest = Your latest apology. Only you can see this.
apology-btn-new = Write a new one
