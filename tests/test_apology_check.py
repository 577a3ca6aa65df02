"""The apology checker against labelled sentences, plus its data files and messages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fluent.syntax import FluentParser, ast

from bot import apology_patterns
from bot.i18n import LOCALES_DIR
from flows.apology_check import CATEGORIES, Finding, Patterns, check

Labelled = list[tuple[str, set[str]]]

EXCUSE, BLAME, MINIMISING = {"excuse"}, {"blame"}, {"minimising"}
CONDITIONAL, RUSHING, CLEAN = {"conditional"}, {"rushing"}, set[str]()

# Labelling rules, applied to both languages:
# - a "but" that brings in a reason or a counter-charge is an excuse, even when the reason points
#   at them (then it is blame as well); a "but" that leads to ownership or commitment is clean;
# - naming a feeling as insight ("I was scared of losing you") is clean; offering a state or a
#   circumstance as the cause ("I was drunk", "I had a rough day") is an excuse;
# - disowning a minimisation ("I'm not saying it was just a joke", "it wasn't just a joke") is
#   clean: the writer rejects the small version, and flagging it would push them away from it;
# - asking for forgiveness now ("please forgive me", «ты меня простишь?») is rushing; hoping for
#   it one day is clean. Russian «прости меня» simply means "I'm sorry" and is clean.
EN: Labelled = [
    ("I'm sorry I yelled at you, but you know how stressed I've been at work", EXCUSE),
    ("i was drunk and said things i didnt mean", EXCUSE),
    ("I didn't mean to hurt you, I swear", EXCUSE),
    ("I only did it because I was scared of losing you", EXCUSE),
    ("sorry for snapping at you, I had a really rough day", EXCUSE),
    ("In my defence, I had no idea it mattered that much to you.", EXCUSE),
    ("It's not an excuse but I've been under so much pressure lately", EXCUSE),
    ("I lied because I didn't want to upset you", EXCUSE),
    ("I'm sorry I hurt you but I was only trying to help", EXCUSE),
    ("I was exhausted and wasn't thinking straight when I said that", EXCUSE),
    ("i forgot our anniversary bc work has been insane", EXCUSE),
    ("I know I shouldn't have read your texts but I had a feeling something was off", EXCUSE),
    ("ok i messed up but i was half asleep when you called", EXCUSE),
    ("I'm sorry, I just get really anxious when you don't answer", EXCUSE),
    ("I had a couple of drinks so I wasn't myself", EXCUSE),
    ("You made me so angry that I lost it", BLAME),
    ("If you hadn't gone through my phone none of this would have happened", BLAME),
    ("I shouldn't have shouted, but you also said some pretty awful things", EXCUSE | BLAME),
    ("you always do this, you push and push until I snap", BLAME),
    ("Honestly you never tell me anything so what was I supposed to do", BLAME),
    ("i'm sorry but you started it", EXCUSE | BLAME),
    ("It takes two, you know", BLAME),
    ("You know how I get when you ignore me", EXCUSE | BLAME),
    ("Sorry I cheated but you weren't exactly there for me either", EXCUSE | BLAME),
    ("I wouldn't have lied if you didn't overreact every time", BLAME | MINIMISING),
    ("it was just a joke, I didn't think you'd take it seriously", MINIMISING),
    ("It was only a few messages, nothing actually happened", MINIMISING),
    ("i dont get why this is such a big deal", MINIMISING),
    ("I was joking around, obviously", MINIMISING),
    ("You're overreacting a bit, but I'm sorry", MINIMISING),
    ("I know I was late but it was like ten minutes", EXCUSE | MINIMISING),
    ("It's not like I cheated on you or anything", MINIMISING),
    ("It was one kiss and it meant nothing", MINIMISING),
    ("it was a stupid little comment", MINIMISING),
    ("you're being way too sensitive about this", MINIMISING),
    ("I'm sorry if you were hurt by what I said", CONDITIONAL),
    ("sorry if I upset you", CONDITIONAL),
    ("I'm sorry you feel that way", CONDITIONAL),
    ("Mistakes were made and I regret how things turned out", CONDITIONAL),
    ("I apologize if anything I did came across the wrong way", CONDITIONAL),
    ("im sorry that you took it so badly", CONDITIONAL),
    ("Sorry for whatever I did to make you this upset", CONDITIONAL),
    ("If I hurt you then I am truly sorry", CONDITIONAL),
    ("I'm sorry for any pain this may have caused", CONDITIONAL),
    ("So can we move on now?", RUSHING),
    ("I already said sorry, what more do you want from me", RUSHING),
    ("You have to forgive me, I can't sleep", RUSHING),
    ("let's just forget it ever happened", RUSHING),
    ("I said I was sorry like five times already", RUSHING),
    ("Please forgive me, I need us to be okay tonight", RUSHING),
    ("can we please just go back to normal", RUSHING),
    ("It's been two weeks, how long are you going to stay mad at me?", RUSHING),
    ("I need you to forgive me so we can put this behind us", RUSHING),
    ("I had no excuse, but I want to do better", CLEAN),
    ("I just want you to know I'm sorry", CLEAN),
    ("The only thing that matters right now is how you feel", CLEAN),
    ("I'm not saying it was just a joke. It hurt you and that's on me", CLEAN),
    ("I read your messages without asking. That was wrong.", CLEAN),
    ("i lied to you about where i was on friday night", CLEAN),
    ("You felt humiliated in front of your friends, and I caused that.", CLEAN),
    ("I regret it deeply", CLEAN),
    ("From now on I'll text you if I'm going to be more than 15 minutes late", CLEAN),
    ("What do you need from me right now?", CLEAN),
    ("I know saying sorry doesn't undo it, but I'm going to show you with what I do", CLEAN),
    ("Take all the time you need. There's no rush.", CLEAN),
    ("I don't expect you to forgive me", CLEAN),
    ("You're not overreacting. You had every right to be angry.", CLEAN),
    ("It wasn't just a joke, it was cruel, and I see that now", CLEAN),
    ("If you want to talk about it, I'm here whenever you're ready", CLEAN),
    ("I only realised later how much that hurt you", CLEAN),
    ("I was wrong to go behind your back", CLEAN),
    ("I can't take it back, but I can make sure it never happens again", CLEAN),
    ("I broke a promise I made to you and you stopped feeling safe with me", CLEAN),
    ("i'm sorry. no buts.", CLEAN),
    ("It's not a small thing what I did, I know that", CLEAN),
    ("Is there anything you'd like me to do differently?", CLEAN),
    ("I hope one day you can forgive me, but that's your choice", CLEAN),
    ("You didn't make me do anything. I chose to lie.", CLEAN),
    ("I'm not going to ask you to move on or forget it", CLEAN),
    ("I kept making jokes at your expense, and it made you feel small", CLEAN),
    ("I know you've told me before that this hurts you, and I did it anyway", CLEAN),
    ("Not only did I forget, I also didn't call to tell you", CLEAN),
    # Written after the first patterns, in three rounds: each round was first scored as unseen
    # text (see the report), then the patterns were generalised to cover what it missed.
    ("sorry I didn't call, my phone died and then I fell asleep", EXCUSE),
    ("I'm sorry but I honestly thought you'd be fine with it", EXCUSE),
    ("i know i hurt u but u have to understand i was going through a lot", EXCUSE),
    ("I never meant for any of this to happen", EXCUSE),
    ("I'm sorry if my words came out harsh", CONDITIONAL),
    ("sorry you got upset about the party thing", CONDITIONAL),
    ("Look, I apologised already, I don't know what else you want", RUSHING),
    ("can we just talk normally again please", RUSHING),
    ("You were the one who kept pushing me away", BLAME),
    ("honestly if you'd just told me how you felt I wouldn't have done it", BLAME),
    ("you do the same thing to me all the time", BLAME),
    ("It was a few drinks with an ex, nothing more", MINIMISING),
    ("I think you're reading way too much into it", MINIMISING),
    ("it's really not as bad as you're making it out to be", MINIMISING),
    ("I was just having a bit of fun, I didn't think it would hurt you", EXCUSE | MINIMISING),
    ("Please, I just need to know we're ok", RUSHING),
    ("I'm sorry, ok? Can we drop it now", RUSHING),
    ("I get why you were upset but I was under a lot of stress", EXCUSE),
    ("I shouted at you in front of your mum and I'm ashamed of it", CLEAN),
    ("I told your secret to my sister after I promised I wouldn't", CLEAN),
    ("I know you were embarrassed and hurt, and you had every reason to be", CLEAN),
    ("I'm going to stop checking your phone. If I slip, I'll tell you myself.", CLEAN),
    ("Whatever you decide, I'll respect it", CLEAN),
    ("I was scared of losing you, but that doesn't make what I did ok", CLEAN),
    ("there's no excuse for what i did", CLEAN),
    ("I'd understand if you didn't want to see me for a while", CLEAN),
    ("How can I make this right, if there's a way?", CLEAN),
    ("I just realised how often I've done this to you", CLEAN),
    ("It's only fair that you get to decide what happens next", CLEAN),
    ("I should have been honest from the start", CLEAN),
    ("I made a joke about your weight and it was cruel", CLEAN),
    ("sorry for being such an idiot. i lied and you deserved the truth", CLEAN),
    ("I'm really sorry about last night. I'd had a long week and took it out on you.", EXCUSE),
    ("I get that you're upset but you have to see it from my side too", EXCUSE),
    ("I didn't do it to hurt you, I did it because I panicked", EXCUSE),
    ("Yeah I was late again, traffic was a nightmare", EXCUSE),
    ("sorry sorry sorry. I wasn't in the right headspace", EXCUSE),
    ("Maybe if you didn't check my phone all the time I wouldn't have to hide things", BLAME),
    ("you're not exactly innocent here either", BLAME),
    ("It's your fault too, you know it is", BLAME),
    ("You provoked me and I reacted", BLAME),
    ("Honestly it's not that deep", MINIMISING),
    ("come on, it was a harmless joke", MINIMISING),
    ("I barely even touched your stuff", MINIMISING),
    ("It was years ago, why does it still matter", MINIMISING),
    ("I'm sorry if that's how it came across to you", CONDITIONAL),
    ("I regret that you were hurt", CONDITIONAL),
    ("Sorry if I did something wrong, I honestly don't know what it was", CONDITIONAL),
    ("I apologise for any misunderstanding", CONDITIONAL),
    ("Can we please just be us again", RUSHING),
    ("I need an answer tonight, are you forgiving me or not", RUSHING),
    ("Let's not make this into a whole thing, ok?", RUSHING),
    ("I've apologised like a hundred times, I don't know what else to do", RUSHING),
    ("I went through your phone while you were asleep. That was a violation of your trust.", CLEAN),
    (
        "I made fun of you in front of my friends and you went quiet for the rest of the night",
        CLEAN,
    ),
    ("I'll show you with what I do, not just what I say", CLEAN),
    ("If you need space, I'll give it to you", CLEAN),
    ("I understand if you never want to talk to me again", CLEAN),
    ("There's no but. I was wrong.", CLEAN),
    ("It wasn't a small thing for you, and I treated it like it was", CLEAN),
    ("I'm sorry for what I said about your dad. It was cruel and untrue.", CLEAN),
    ("I was drunk, but that's on me, not on the alcohol", CLEAN),
    ("What would help you feel safe with me again?", CLEAN),
    ("I know I can't rush this. Take as long as you need.", CLEAN),
    ("I lied about the money, and I kept lying when you asked me directly", CLEAN),
    ("I'm committing to telling you the truth, even when it's uncomfortable", CLEAN),
    ("I'm sorry I missed your recital. Work dragged on and I couldn't get away.", EXCUSE),
    ("I said those things because I was hurt too", EXCUSE),
    ("to be fair I did try to tell you", EXCUSE),
    ("it was late and I wasn't thinking", EXCUSE),
    ("I know it looks bad but there's context you don't know", EXCUSE),
    ("none of this would have happened if you'd trusted me", BLAME),
    ("you pushed my buttons and I reacted badly", BLAME),
    ("we both said things we regret", BLAME),
    ("you're the one who wanted an open relationship", BLAME),
    ("It's just a game, I don't see why you're so upset", MINIMISING),
    ("I only looked at her profile, I didn't message her", MINIMISING),
    ("everyone does it, it's normal", MINIMISING),
    ("chill, it was one drink", MINIMISING),
    ("I'm sorry you were offended by the joke", CONDITIONAL),
    ("If my tone upset you, I apologise", CONDITIONAL),
    ("sorry for whatever happened last night", CONDITIONAL),
    ("I know I messed up. Now can we please stop talking about it", RUSHING),
    ("I've said sorry, I don't know what else you want me to say", RUSHING),
    ("Just tell me we're good", RUSHING),
    ("you can't stay angry forever", RUSHING),
    ("I forgot to pick you up and you waited an hour in the cold", CLEAN),
    ("I betrayed your trust when I told him what you'd shared with me", CLEAN),
    ("You were scared and alone, and I wasn't there", CLEAN),
    ("I'll be home by 7 on weeknights, and if plans change I'll call before, not after", CLEAN),
    ("What do you need from me, if anything?", CLEAN),
    ("I'm not asking for anything. I just wanted you to hear it from me.", CLEAN),
    ("I didn't just forget, I chose my friends over you", CLEAN),
    ("I used to think it was only a joke. I see now it wasn't.", CLEAN),
    ("I was angry, and I took it out on you. That's on me.", CLEAN),
    ("I'm sorry. I was cruel, and you didn't deserve that.", CLEAN),
    ("Whenever you're ready, and only if you want, I'd like to talk.", CLEAN),
    ("I hurt you, and there's nothing small about that", CLEAN),
    ("I was late to your birthday dinner and I didn't even call", CLEAN),
    ("It was late at night and you were alone when you found out", CLEAN),
    ("I wasn't thinking about you at all that night, only about myself", CLEAN),
    ("I know it's complicated for you to even read this", CLEAN),
    ("It's fair that you don't trust me right now", CLEAN),
    ("You've always been honest with me and I wasn't", CLEAN),
    ("You never gave me any reason to doubt you", CLEAN),
    ("I'm sorry. You deserved so much better, and I want to earn your trust back", CLEAN),
    (
        "I promise to check in with you every Sunday, and I'll keep doing it even when it's hard",
        CLEAN,
    ),
    ("I know we both want this to work, but it's on me to change first", CLEAN),
    ("The worst part is that you found out from someone else", CLEAN),
    ("I was only thinking about myself", CLEAN),
    ("If you ever want to tell me how it felt, I will listen without interrupting", CLEAN),
    ("I kept it from you for months because I was a coward", CLEAN),
    ("Being late again after I promised was wrong", CLEAN),
    ("I'll never do that again, and I'm going to show you, not just tell you", CLEAN),
    ("I broke your trust, and I understand if it never comes back", CLEAN),
    ("I was angry, but that's no excuse for what I said", CLEAN),
    ("You matter more to me than being right", CLEAN),
    ("I'm sorry I made you feel like you were crazy", CLEAN),
    ("I told everyone it was a joke when it wasn't", CLEAN),
    ("I'll wait as long as it takes", CLEAN),
    ("If that's too much right now, that's okay", CLEAN),
    ("I know sorry is just a word. I want to show it", CLEAN),
    ("Whatever you need, I'm here", CLEAN),
    ("I hope that someday we can move on from this together", CLEAN),
    ("I don't want to just move on as if nothing happened", CLEAN),
    ("I'm not going to make excuses", CLEAN),
    ("sorry I was late, the bus didn't come", EXCUSE),
    ("It's not that big of a deal, I was home by midnight", MINIMISING),
    ("You're being dramatic, it was one text", MINIMISING),
    ("I'd like us to put this behind us this weekend", RUSHING),
]

# Written last and never tuned against: an honest estimate of how the patterns do on new
# phrasing. Fixing these by adding patterns would make the estimate worthless; write a new set.
EN_UNSEEN: Labelled = [
    ("what i did was wrong. i went behind ur back and talked to ur mom about our fights", CLEAN),
    ("I'm sorry for ghosting you for a week, I just needed space to think", EXCUSE),
    ("Sorry I snapped. I'm hangry when I skip lunch lol", EXCUSE),
    ("I guess I was a bit harsh", MINIMISING),
    ("You knew what I was like when we met", BLAME),
    ("I cheated, but we were basically on a break", EXCUSE),
    ("okay I'm sorry!! can we stop fighting now", RUSHING),
    ("if you felt disrespected that was never my intention", EXCUSE | CONDITIONAL),
    ("honestly you need to stop bringing it up", RUSHING),
    ("sorry that my comment bothered you", CONDITIONAL),
    ("You're acting like I killed someone", MINIMISING),
    ("I'm sorry but you've been so distant lately and I felt lonely", EXCUSE | BLAME),
    ("I didn't cheat, I just kissed him", MINIMISING),
    ("I know you're hurt and I'm not going to tell you how to feel about it", CLEAN),
    ("I went through your emails. I had no right to.", CLEAN),
    ("I'm sorry I made you feel stupid in front of everyone", CLEAN),
    ("From today, no more secret accounts. You can ask me anything.", CLEAN),
    ("Is there something I can do that would actually help?", CLEAN),
    ("I understand why you don't want to be around me right now", CLEAN),
    ("I knew it would hurt you and I still did it", CLEAN),
    ("I'd rather you be angry with me than pretend everything is fine", CLEAN),
    ("I should have been there. I wasn't, and you paid for that.", CLEAN),
    ("I don't want you to feel like you have to forgive me", CLEAN),
    ("It's only been a day, I know. Take whatever time you need.", CLEAN),
]

RU: Labelled = [
    ("Прости, что накричал, но я же тоже человек, у меня нервы не железные", EXCUSE),
    ("я просто устала и сорвалась на тебе", EXCUSE),
    ("я был пьяный и не соображал что несу", EXCUSE),
    ("я не хотел тебя обидеть", EXCUSE),
    ("Это не оправдание, но у меня был очень тяжёлый день", EXCUSE),
    ("я сделала это только потому что боялась тебя потерять", EXCUSE),
    ("ну я же не специально", EXCUSE),
    ("у меня на работе полный завал, поэтому я забыл про твой день рождения", EXCUSE),
    ("в свою защиту скажу что я вообще не знала что это для тебя так важно", EXCUSE),
    ("я хотел как лучше", EXCUSE),
    ("Я сорвался, потому что был на нервах всю неделю", EXCUSE),
    ("извини, я была не в себе", EXCUSE),
    ("я выпил пару бокалов и меня понесло", EXCUSE),
    ("да я просто пытался помочь", EXCUSE),
    ("ты сама виновата, нечего было лезть в мой телефон", BLAME),
    ("Ты меня довела, вот я и сорвался", BLAME),
    ("если бы ты не начала кричать, ничего бы не случилось", BLAME),
    ("Я был неправ, но ты тоже хороша", EXCUSE | BLAME),
    ("ты всегда так делаешь, а потом я виноват", BLAME),
    ("из-за тебя я вообще перестал что-либо рассказывать", BLAME),
    ("Ты первый начал", BLAME),
    ("а ты сам разве никогда не врал?", BLAME),
    ("ты меня спровоцировала", BLAME),
    ("это была просто шутка, чего ты", MINIMISING),
    ("Ничего страшного же не случилось", MINIMISING),
    ("это всего лишь переписка, я с ней даже не встречался", MINIMISING),
    ("ты слишком остро реагируешь", MINIMISING),
    ("Подумаешь, опоздал на полчаса", MINIMISING),
    ("я же пошутила", MINIMISING),
    ("это было всего один раз", MINIMISING),
    ("Ты раздуваешь из мухи слона", MINIMISING),
    ("да это мелочь, не стоит так переживать", MINIMISING),
    ("это ничего не значило", MINIMISING),
    ("прости, если тебя это задело", CONDITIONAL),
    ("Извини, если я тебя чем-то обидел", CONDITIONAL),
    ("мне жаль, что ты так это воспринимаешь", CONDITIONAL),
    ("Так получилось, я не планировала", CONDITIONAL | EXCUSE),
    ("прости если что не так", CONDITIONAL),
    ("мне жаль, что ты обиделась", CONDITIONAL),
    ("Если я тебя задел, извини", CONDITIONAL),
    ("извини, если мои слова тебя ранили", CONDITIONAL),
    ("давай просто забудем и всё", RUSHING),
    ("Я же уже извинился, сколько можно", RUSHING),
    ("ну хватит уже дуться", RUSHING),
    ("ты должна меня простить", RUSHING),
    ("Давай закроем эту тему и начнём сначала", RUSHING),
    ("я извинилась уже три раза, что ещё тебе надо", RUSHING),
    ("когда ты уже перестанешь обижаться?", RUSHING),
    ("Прости меня уже, пожалуйста, я больше не могу так", RUSHING),
    ("давай жить дальше как раньше", RUSHING),
    ("Мне нечем оправдаться, но я хочу стать лучше", CLEAN),
    ("я просто хочу, чтобы ты знала: мне очень жаль", CLEAN),
    ("Я не говорю, что это была просто шутка. Тебе было больно, и это моя вина", CLEAN),
    ("Я прочитал твои сообщения без спроса. Это было неправильно.", CLEAN),
    ("я соврала тебе о том, где была в пятницу", CLEAN),
    ("Тебе было стыдно перед друзьями, и это из-за меня", CLEAN),
    ("Прости меня", CLEAN),
    ("Прости меня, пожалуйста. Мне очень стыдно за то, что я сделал", CLEAN),
    ("Теперь я буду предупреждать, если задерживаюсь больше чем на 15 минут", CLEAN),
    ("Что тебе сейчас нужно от меня?", CLEAN),
    ("Я понимаю, что одних слов мало, но я покажу это делом", CLEAN),
    ("Не торопись, у тебя столько времени, сколько нужно", CLEAN),
    ("Я не жду, что ты сразу меня простишь", CLEAN),
    ("Ты не преувеличиваешь. У тебя есть полное право злиться", CLEAN),
    ("Это была не просто шутка, это было жестоко", CLEAN),
    ("если захочешь поговорить, я рядом", CLEAN),
    ("Главное сейчас — то, что чувствуешь ты", CLEAN),
    ("Только ты решаешь, что будет дальше", CLEAN),
    ("я был неправ, когда пошёл за твоей спиной", CLEAN),
    ("Я не могу это отменить, но могу сделать так, чтобы это не повторилось", CLEAN),
    ("Ты ни в чём не виновата", CLEAN),
    ("Я хочу понять, как так получилось, чтобы это больше не повторилось", CLEAN),
    ("Это не мелочь, я понимаю", CLEAN),
    ("Я не буду просить тебя забыть это", CLEAN),
    ("мне жаль что я тебя обидел", CLEAN),
    ("Есть что-то, что я могу сделать иначе?", CLEAN),
    ("Я нарушила обещание, и ты перестала мне доверять", CLEAN),
    ("я не оправдываюсь. я виноват", CLEAN),
    ("Я постоянно подшучивал над тобой при всех, и тебе было обидно", CLEAN),
    # Written after the first patterns, in three rounds: each round was first scored as unseen
    # text (see the report), then the patterns were generalised to cover what it missed.
    ("прости, телефон сел, а потом я уснул", EXCUSE),
    ("я правда не думала, что ты так расстроишься", EXCUSE),
    ("Извини, но ты же знаешь, как мне сейчас тяжело", EXCUSE),
    ("я сорвалась, потому что не выспалась", EXCUSE),
    ("Прости, если я был резок", CONDITIONAL),
    ("жаль, что ты это так восприняла", CONDITIONAL),
    ("ну извинился я уже, чего ещё надо", RUSHING),
    ("может уже хватит, а?", RUSHING),
    ("ты сама меня к этому подтолкнула", BLAME),
    ("если бы ты мне нормально всё объяснила, я бы так не сделал", BLAME),
    ("ты тоже мне много чего наговорила", BLAME),
    ("это был всего лишь ужин с коллегой", MINIMISING),
    ("ты всё слишком близко к сердцу принимаешь", MINIMISING),
    ("ну опоздал немного, с кем не бывает", MINIMISING),
    ("я просто дурачился, не думал что тебя это так заденет", EXCUSE | MINIMISING),
    ("давай уже помиримся, мне плохо без тебя", RUSHING),
    ("я понимаю, что ты злишься, но я был под таким давлением", EXCUSE),
    ("ты меня простишь?", RUSHING),
    ("Я накричал на тебя при твоей маме, и мне стыдно", CLEAN),
    ("Я рассказала твой секрет сестре, хотя обещала молчать", CLEAN),
    ("Тебе было неловко и больно, и у тебя были на это все причины", CLEAN),
    ("Я перестану проверять твой телефон. Если сорвусь, скажу тебе сам", CLEAN),
    ("Что бы ты ни решила, я это приму", CLEAN),
    ("Я боялся тебя потерять, но это не делает мой поступок нормальным", CLEAN),
    ("мне нечем оправдать то, что я сделала", CLEAN),
    ("Я пойму, если ты не захочешь меня видеть какое-то время", CLEAN),
    ("Как я могу это исправить, если это вообще возможно?", CLEAN),
    ("Я только сейчас понял, как часто так с тобой поступал", CLEAN),
    ("Честно будет, если решать будешь ты", CLEAN),
    ("Мне надо было сразу сказать правду", CLEAN),
    ("Я пошутил про твой вес, и это было жестоко", CLEAN),
    ("прости что вела себя как дура. я соврала, а ты заслуживала правды", CLEAN),
    ("Прости за вчерашнее. Неделя была адская, и я сорвался на тебе", EXCUSE),
    ("я понимаю что ты обижена но и ты меня пойми", EXCUSE),
    ("Я сделал это не чтобы тебя задеть, я просто запаниковал", EXCUSE),
    ("Опять опоздал, пробки жуткие", EXCUSE),
    ("Прости, у меня голова была забита другим", EXCUSE),
    ("Может, если бы ты не проверяла мой телефон, мне не пришлось бы ничего скрывать", BLAME),
    ("ты тут тоже не без греха", BLAME),
    ("В этом есть и твоя вина, ты же понимаешь", BLAME),
    ("Ты меня вывела, и я ответил", BLAME),
    ("Да ладно, это не так уж серьёзно", MINIMISING),
    ("ну это же была безобидная шутка", MINIMISING),
    ("я твои вещи почти не трогал", MINIMISING),
    ("Это было сто лет назад, какая разница", MINIMISING),
    ("Извини, если это так прозвучало", CONDITIONAL),
    ("Жаль, что тебе было неприятно", CONDITIONAL),
    ("Прости, если я что-то сделал не так, я правда не понимаю что", CONDITIONAL),
    ("Прошу прощения за недоразумение", CONDITIONAL),
    ("Давай просто снова будем нами", RUSHING),
    ("Мне нужен ответ сегодня: ты меня прощаешь или нет?", RUSHING),
    ("Не раздувай, ладно? Давай не будем устраивать из этого драму", MINIMISING | RUSHING),
    ("Я уже сто раз извинялся, не знаю, что ещё сделать", RUSHING),
    ("Я залез в твой телефон, пока ты спала. Это было предательство твоего доверия", CLEAN),
    ("Я высмеял тебя при своих друзьях, и ты весь вечер молчала", CLEAN),
    ("Я покажу это поступками, а не только словами", CLEAN),
    ("Если тебе нужно побыть одной, я не буду писать", CLEAN),
    ("Я пойму, если ты больше не захочешь со мной разговаривать", CLEAN),
    ("Никаких «но». Я был неправ.", CLEAN),
    ("Для тебя это было не мелочью, а я вёл себя так, будто это ерунда", CLEAN),
    ("Прости за то, что я сказал про твоего отца. Это было жестоко и неправда.", CLEAN),
    ("Я был пьян, но это моя ответственность, а не алкоголя", CLEAN),
    ("Что помогло бы тебе снова чувствовать себя со мной в безопасности?", CLEAN),
    ("Я знаю, что тут нельзя торопить. Сколько бы времени ни понадобилось.", CLEAN),
    ("Я врал про деньги и продолжал врать, когда ты спросила прямо", CLEAN),
    ("Я буду говорить тебе правду, даже когда это неудобно", CLEAN),
    ("Прости, что пропустил твоё выступление. Совещание затянулось, и я не смог уйти", EXCUSE),
    ("Я наговорил всего этого, потому что мне тоже было больно", EXCUSE),
    ("справедливости ради, я пытался тебе сказать", EXCUSE),
    ("было поздно, и я не подумал", EXCUSE),
    ("Понимаю, как это выглядит, но ты не знаешь всей истории", EXCUSE),
    ("ничего бы этого не было, если бы ты мне доверяла", BLAME),
    ("ты давила на больное, и я не сдержался", BLAME),
    ("мы оба наговорили лишнего", BLAME),
    ("это же ты хотела свободных отношений", BLAME),
    ("Это просто игра, не понимаю, чего ты так завелась", MINIMISING),
    ("я только посмотрел её профиль, я ей даже не писал", MINIMISING),
    ("все так делают, это нормально", MINIMISING),
    ("расслабься, это был один бокал", MINIMISING),
    ("Мне жаль, что тебя задела шутка", CONDITIONAL),
    ("Если мой тон тебя расстроил, извини", CONDITIONAL),
    ("прости за то, что там вчера случилось", CONDITIONAL),
    ("Я знаю, что накосячил. Давай уже не будем об этом", RUSHING),
    ("Я извинился, не знаю, что ещё ты хочешь услышать", RUSHING),
    ("просто скажи, что у нас всё нормально", RUSHING),
    ("не можешь же ты злиться вечно", RUSHING),
    ("Я забыл тебя забрать, и ты час ждала на холоде", CLEAN),
    ("Я предал твоё доверие, когда рассказал ему то, чем ты со мной поделилась", CLEAN),
    ("Тебе было страшно и одиноко, а меня не было рядом", CLEAN),
    ("По будням я буду дома к семи, а если планы изменятся, позвоню заранее, а не потом", CLEAN),
    ("Что тебе нужно от меня, если вообще что-то нужно?", CLEAN),
    ("Я ничего не прошу. Просто хотел, чтобы ты услышала это от меня.", CLEAN),
    ("Я не просто забыл, я выбрал друзей вместо тебя", CLEAN),
    ("Раньше я думал, что это была просто шутка. Теперь вижу, что нет.", CLEAN),
    ("Я злился и сорвался на тебе. Это на мне.", CLEAN),
    ("Прости. Я был жесток, и ты этого не заслуживала", CLEAN),
    ("Когда будешь готова, и только если захочешь, я бы хотел поговорить", CLEAN),
    ("Я сделал тебе больно, и в этом нет ничего мелкого", CLEAN),
    ("Я опоздал на твой день рождения и даже не позвонил", CLEAN),
    ("Было поздно, ты была одна, когда всё узнала", CLEAN),
    ("Я в тот вечер вообще не думал о тебе, только о себе", CLEAN),
    ("Понимаю, что тебе сложно даже читать это", CLEAN),
    ("Это справедливо, что ты мне сейчас не доверяешь", CLEAN),
    ("Ты всегда была со мной честна, а я нет", CLEAN),
    ("Ты никогда не давала мне повода сомневаться", CLEAN),
    ("Прости. Ты заслуживала гораздо лучшего, и я хочу вернуть твоё доверие", CLEAN),
    ("Обещаю каждое воскресенье спрашивать, как ты, даже когда это трудно", CLEAN),
    ("Я знаю, что мы оба хотим, чтобы получилось, но меняться первым должен я", CLEAN),
    ("Хуже всего, что ты узнала это от других", CLEAN),
    ("Я думал только о себе", CLEAN),
    ("Если когда-нибудь захочешь рассказать, каково тебе было, я выслушаю и не перебью", CLEAN),
    ("Я скрывал это месяцами, потому что струсил", CLEAN),
    ("Опоздать снова после обещания было неправильно", CLEAN),
    ("Я больше так не сделаю, и я покажу это делом, а не только словами", CLEAN),
    ("Я подорвал твоё доверие и пойму, если оно не вернётся", CLEAN),
    ("Я злился, но это не оправдание тому, что я сказал", CLEAN),
    ("Ты для меня важнее, чем моя правота", CLEAN),
    ("Прости, что заставлял тебя думать, что ты сходишь с ума", CLEAN),
    ("Я всем сказал, что это была шутка, хотя это было не так", CLEAN),
    ("Я буду ждать столько, сколько нужно", CLEAN),
    ("Если сейчас это слишком, ничего страшного", CLEAN),
    ("Я знаю, что «прости» — это просто слово. Я хочу показать это делом", CLEAN),
    ("Что бы тебе ни понадобилось, я рядом", CLEAN),
    ("Надеюсь, когда-нибудь мы сможем оставить это позади вместе", CLEAN),
    ("Я не хочу просто жить дальше, будто ничего не случилось", CLEAN),
    ("Я не буду оправдываться", CLEAN),
    ("прости что опоздал, автобус не пришёл", EXCUSE),
    ("Это не такое уж большое дело, я был дома к полуночи", MINIMISING),
    ("Ты драматизируешь, это было одно сообщение", MINIMISING),
    ("Я бы хотел, чтобы мы забыли это уже на выходных", RUSHING),
]

RU_UNSEEN: Labelled = [
    (
        "то что я сделал было неправильно. я за твоей спиной обсуждал наши ссоры с твоей мамой",
        CLEAN,
    ),
    ("Прости, что пропал на неделю, мне просто нужно было подумать", EXCUSE),
    ("Прости, что сорвался. Я злой, когда голодный, ахах", EXCUSE),
    ("Наверное, я был немного резковат", MINIMISING),
    ("Ты знала, какой я, когда мы начинали встречаться", BLAME),
    ("Да, я изменил, но мы тогда вообще-то были в ссоре", EXCUSE),
    ("ну прости уже!! давай перестанем ругаться", RUSHING),
    ("если ты почувствовала неуважение, я этого не хотел", EXCUSE | CONDITIONAL),
    ("честно, перестань уже это вспоминать", RUSHING),
    ("жаль, что мой комментарий тебя задел", CONDITIONAL),
    ("Ты ведёшь себя так, будто я кого-то убил", MINIMISING),
    ("Прости, но ты в последнее время такая холодная, и мне было одиноко", EXCUSE | BLAME),
    ("Я не изменяла, я просто его поцеловала", MINIMISING),
    ("Я знаю, что тебе больно, и не буду говорить тебе, что чувствовать", CLEAN),
    ("Я читал твою почту. У меня не было на это права.", CLEAN),
    ("Прости, что выставила тебя глупым при всех", CLEAN),
    ("С сегодняшнего дня никаких тайных аккаунтов. Можешь спрашивать меня о чём угодно.", CLEAN),
    ("Есть что-то, что правда могло бы помочь?", CLEAN),
    ("Я понимаю, почему ты сейчас не хочешь меня видеть", CLEAN),
    ("Я знал, что тебе будет больно, и всё равно сделал это", CLEAN),
    ("Лучше злись на меня, чем делай вид, что всё в порядке", CLEAN),
    ("Я должен был быть рядом. Меня не было, и тебе пришлось расплачиваться", CLEAN),
    ("Я не хочу, чтобы ты чувствовала, что обязана меня простить", CLEAN),
    ("Прошёл всего день, я знаю. Бери столько времени, сколько нужно", CLEAN),
]

SAMPLES: dict[str, Labelled] = {"en": EN + EN_UNSEEN, "ru": RU + RU_UNSEEN}
UNSEEN: dict[str, Labelled] = {"en": EN_UNSEEN, "ru": RU_UNSEEN}


def _scores(lang: str, samples: Labelled) -> tuple[float, float, list[str]]:
    """Precision and recall over (sentence, category) pairs, and every disagreement."""
    found_right = found_wrong = missed = 0
    wrong: list[str] = []
    for sentence, expected in samples:
        found = {f.category for f in check(sentence, apology_patterns.patterns(lang))}
        found_right += len(found & expected)
        found_wrong += len(found - expected)
        missed += len(expected - found)
        if found != expected:
            wrong.append(f"{sentence!r}: expected {sorted(expected)}, found {sorted(found)}")
    precision = found_right / (found_right + found_wrong) if found_right + found_wrong else 1.0
    recall = found_right / (found_right + missed) if found_right + missed else 1.0
    return precision, recall, wrong


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_labelled_sentences_are_mostly_right(lang: str) -> None:
    samples = SAMPLES[lang]
    assert len(samples) >= 40
    assert sum(1 for _, expected in samples if not expected) * 3 >= len(samples)
    assert {c for _, expected in samples for c in expected} == set(CATEGORIES)
    assert len({sentence for sentence, _ in samples}) == len(samples)
    precision, recall, wrong = _scores(lang, samples)
    unseen_precision, unseen_recall, _ = _scores(lang, UNSEEN[lang])
    print(f"\n{lang}: {len(samples)} sentences, precision {precision:.3f}, recall {recall:.3f}")
    print(
        f"{lang} unseen only: {len(UNSEEN[lang])} sentences, "
        f"precision {unseen_precision:.3f}, recall {unseen_recall:.3f}"
    )
    for line in wrong:
        print("  ", line)
    assert precision >= 0.9, wrong
    assert recall >= 0.9, wrong


def test_finding_carries_the_exact_phrase_and_offsets() -> None:
    text = "I had no excuse, but I want to do better. But I didn’t mean to, honestly."
    findings = check(text, apology_patterns.patterns("en"))
    assert findings == [Finding("excuse", "But", 42, 45)]
    for found in findings:
        assert text[found.start : found.end] == found.phrase


def test_folded_letters_keep_the_original_text_and_offsets() -> None:
    text = "Ну да. Ты меня довёл, и я сорвалась"
    findings = check(text, apology_patterns.patterns("ru"))
    assert [(f.category, f.phrase) for f in findings] == [("blame", "Ты меня довёл")]
    assert text[findings[0].start : findings[0].end] == "Ты меня довёл"


def test_findings_are_in_text_order_one_per_category() -> None:
    text = "Let's move on. You made me do it, and you also lied. Let's forget it."
    findings = check(text, apology_patterns.patterns("en"))
    assert [(f.category, f.phrase) for f in findings] == [
        ("rushing", "Let's move on"),
        ("blame", "You made me"),
    ]


@pytest.mark.parametrize(
    ("masculine", "feminine"),
    [
        ("я просто устал", "я просто устала"),
        ("я же уже извинился", "я же уже извинилась"),
        ("ты сам виноват", "ты сама виновата"),
        ("я был пьяный", "я была пьяная"),
        ("я не хотел тебя обидеть", "я не хотела тебя обидеть"),
        ("я же пошутил", "я же пошутила"),
        ("мне жаль, что ты обиделся", "мне жаль, что ты обиделась"),
        ("ты должен меня простить", "ты должна меня простить"),
    ],
)
def test_gendered_russian_forms_both_match(masculine: str, feminine: str) -> None:
    ru = apology_patterns.patterns("ru")
    found = [{f.category for f in check(text, ru)} for text in (masculine, feminine)]
    assert found[0] and found[0] == found[1]


def test_empty_and_clean_text_have_no_findings() -> None:
    assert check("", apology_patterns.patterns("en")) == []
    assert check("   ", apology_patterns.patterns("ru")) == []


def _data(**categories: Any) -> dict[str, Any]:
    """Pattern data with every category, empty unless given."""
    empty: dict[str, list[str]] = {"patterns": [], "exceptions": []}
    return {c: categories.get(c, empty) for c in CATEGORIES}


def test_an_exception_cancels_only_the_match_it_overlaps() -> None:
    rules = Patterns.from_data(_data(excuse={"patterns": ["but"], "exceptions": ["but i will"]}))
    text = "but I will. but I was tired"
    assert check(text, rules) == [Finding("excuse", "but", 12, 15)]


def test_patterns_match_whole_words_and_spaces_match_any_gap() -> None:
    rules = Patterns.from_data(_data(blame={"patterns": ["you made me"], "exceptions": []}))
    assert check("You, made — me", rules)
    assert not check("you made measures", rules)
    assert not check("you made. Me too", rules)


@pytest.mark.parametrize(
    "data",
    [
        {"excuse": {"patterns": [], "exceptions": []}},
        _data(excuse={"patterns": ["("], "exceptions": []}),
        _data(excuse={"patterns": "but", "exceptions": []}),
        _data(excuse={"patterns": [""], "exceptions": []}),
        _data(excuse={"patterns": [1], "exceptions": []}),
        {**_data(), "blame": {"patterns": []}},
        {**_data(), "excuses": {"patterns": [], "exceptions": []}},
    ],
)
def test_broken_pattern_data_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Patterns.from_data(data)


def _key_paths(value: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _key_paths(inner, f"{prefix}/{key}")
    else:
        assert isinstance(value, list) and all(isinstance(v, str) for v in value), prefix
        yield prefix


def test_pattern_files_have_the_same_key_structure() -> None:
    paths = {}
    for lang in ("en", "ru"):
        text = (LOCALES_DIR / lang / "apology-patterns.json").read_text(encoding="utf-8")
        paths[lang] = sorted(_key_paths(json.loads(text)))
    assert paths["en"] == paths["ru"]
    assert len(paths["en"]) == 2 * len(CATEGORIES)


def _messages(lang: str) -> dict[str, set[str]]:
    """Message ids of the apology-check file, each with the variables it uses."""
    source = (LOCALES_DIR / lang / "apology-check.ftl").read_text(encoding="utf-8")
    resource = FluentParser().parse(source)
    assert not [e for e in resource.body if isinstance(e, ast.Junk)], lang
    found: dict[str, set[str]] = {}
    for entry in resource.body:
        if isinstance(entry, ast.Message) and entry.value is not None:
            found[entry.id.name] = {
                el.expression.id.name
                for el in entry.value.elements
                if isinstance(el, ast.Placeable)
                and isinstance(el.expression, ast.VariableReference)
            }
    return found


def test_every_category_has_its_messages_in_both_languages() -> None:
    en, ru = _messages("en"), _messages("ru")
    assert en.keys() == ru.keys()
    for category in CATEGORIES:
        for kind in ("why", "try"):
            key = f"apology-{kind}-{category}"
            assert key in en and key in ru, key
            assert en[key] == ru[key], f"{key} uses different variables"
            assert en[key] <= {"phrase"}, key


def test_messages_follow_the_voice() -> None:
    for lang in ("en", "ru"):
        source = (LOCALES_DIR / lang / "apology-check.ftl").read_text(encoding="utf-8")
        assert "!" not in source
        assert "should" not in source.lower()
        assert "(а)" not in source


def test_unknown_locale_falls_back_to_english() -> None:
    assert apology_patterns.patterns("xx") is apology_patterns.patterns("en")
    assert apology_patterns.patterns("../en") is apology_patterns.patterns("en")
    assert apology_patterns.patterns("ru") is not apology_patterns.patterns("en")
