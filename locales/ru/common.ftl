## Shared by every flow: buttons, commands, and answers to unexpected input.

btn-menu = Меню
btn-not-now = Не сейчас
btn-start = Начать
btn-help = Помощь
use-buttons = Нажми одну из кнопок выше или отправь /menu, чтобы вернуться.
nontext-reply = Я понимаю только текст и нажатия на кнопки. Можешь написать это словами?
empty-text = Здесь не видно ни одного слова. Попробуй написать хотя бы фразу или отправь /menu.
unknown-command = Команды /{ $command } я не знаю. Отправь /help — там всё, что я умею.
button-stale = Эта кнопка уже не работает. Отправь /menu, и продолжим оттуда.
state-reset = Меня обновили, и нить нашего разговора потерялась. Твои ответы на месте. Давай продолжим из меню.
cancel-done = Остановились. Ты снова в меню.
cancel-nothing = Сейчас нечего останавливать.
heat-invalid = Лучше всего подойдёт число от 0 до 10 или одна из кнопок.
heat-h2 = 0–2
heat-h4 = 3–4
heat-h6 = 5–6
heat-h8 = 7–8
heat-h10 = 9–10
message-cut = (Остальное не поместилось в одно сообщение.)

## Command list shown in Telegram's menu.
cmd-start = Начать или увидеть, на каком ты шаге
cmd-menu = Следующий шаг и все возможности
cmd-calm = Сначала успокоиться
cmd-settings = Язык и твои ответы
cmd-help = Что такое Mend и как это работает
cmd-cancel = Выйти из шага и вернуться в меню

## Консоль (python -m bot chat).
console-welcome = Консоль Mend. Напиши /start, чтобы начать, цифру, чтобы нажать кнопку, или :help про команды консоли.
console-help =
    Пиши текст, цифру, чтобы нажать кнопку из последнего сообщения, или /команду.
    :advance 2h сдвигает время вперёд (m, h или d) и показывает, что подошло. :quit — выход.
console-advance-usage = Например: :advance 30m, :advance 2h или :advance 1d.
console-advanced = Сейчас { $time }.
console-unknown = Такой команды консоли нет. Напиши :help.
cmd-reflect = Разобраться, что произошло
cmd-apology = Собрать извинение по частям
cmd-journal = Что ты записываешь и хранишь

## Шаги пути: пауза и продолжение.
btn-pause = Пауза
btn-start-over = Начать заново
resume-note = Продолжаем с того места, где остановились. Прежние ответы сохранены.
journey-paused = На паузе. Ответы сохранены; /{ $command } продолжит с того же места.
answer-too-long = Это больше, чем помещается в один ответ ({ $limit } символов). Можно покороче?
console-pinned = (закреплено)
cmd-meet = Подготовиться к разговору лично
cmd-plan = План и обещания
