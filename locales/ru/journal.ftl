## Дневник.

journal-empty = В дневнике пока пусто. Разбор — хорошая первая запись.
journal-btn-reflect = Разобраться сейчас
journal-list =
    В дневнике { $count ->
        [one] { $count } запись
        [few] { $count } записи
       *[many] { $count } записей
    }. Дневник видишь только ты. Выбери, какую запись прочитать.
journal-item = { $date } · Разбор
journal-btn-back = К дневнику
journal-entry-reflection =
    Разбор, { $date }

    Что произошло с моей стороны: { $did }

    Как это отразилось на этом человеке: { $impact }

    Что происходило во мне: { $roots }

    Что я буду делать иначе: { $change }
