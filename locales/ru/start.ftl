## The intake.

start-welcome =
    Привет, я Mend. Я помогаю, когда из-за тебя кому-то больно и хочется всё исправить.

    Я бот для самопомощи, а не терапия и не экстренная служба. Если кому-то грозит опасность, звони в экстренные службы; /sos покажет, кто может помочь.

    Сначала несколько коротких вопросов, в основном с кнопками.
start-welcome-back = Хорошо, что ты снова здесь.
start-lang = На каком языке тебе удобнее?
start-lang-en = English
start-lang-ru = Русский
start-who = Кого это задело?
start-who-partner = Любимого человека
start-who-friend = Друга или подругу
start-who-family = Кого-то из семьи
start-who-colleague = Коллегу
start-who-group = Группу или команду
start-what = Что произошло?
start-what-promise = Нарушенное обещание
start-what-lie = Ложь или умолчание
start-what-words = Обидные слова
start-what-neglect = Меня не было рядом
start-what-betrayal = Измена, предательство
start-what-secret = Раскрытый секрет
start-what-other = Что-то другое
start-severity = Насколько это серьёзно, как тебе кажется?
start-severity-minor = Мелочь, но это важно
start-severity-serious = Серьёзно
start-severity-grave = Очень серьёзно
start-openness = Хочет ли этот человек всё наладить?
start-openness-yes = Да
start-openness-unsure = Не знаю
start-openness-no = Мне отказали
start-heat =
    Последний вопрос. Насколько ты сейчас на взводе?
    0 — спокойно, 10 — всё кипит. Нажми на диапазон или напиши число.
start-use-buttons = Выбери, пожалуйста, один из ответов выше. Поменять их можно потом в /settings.
start-thanks = Спасибо. Честно отвечать на такое непросто.
