## What the apology check says about a phrase that undermines the apology.
## The flow shows the phrase itself just before these lines.

apology-why-excuse = A reason next to the sorry can sound like it was okay. Let the sorry stand on its own.
apology-try-excuse = Try naming only what you did. The reasons can wait until they ask.
apology-why-blame = This turns the focus to them, and this part is about your side.
apology-try-blame = Try keeping to your own actions and how they landed.
apology-why-minimising = This can make the hurt sound smaller than it felt to them.
apology-try-minimising = Try describing it at its real size, the way it looked from their side.
apology-why-conditional = This can sound as if the hurt is in doubt, or only in how they took it.
apology-try-conditional = Try owning it plainly: what you did, and that it hurt.
apology-why-rushing = This can feel like pressure. Forgiveness comes at their pace, if it comes.
apology-try-rushing = Try leaving the next step to them, with no deadline.
