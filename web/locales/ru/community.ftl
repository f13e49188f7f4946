# Репутация: значки и таблица лидеров. Названия значков и рангов задаёт
# владелец сайта, их здесь нет.

## Значки
community-badges-title = Значки
community-badge-nobody = Этого значка пока ни у кого нет.
community-badge-holders = Обладатели
# Уровень повторяемого значка: «×3»
community-badge-level = ×{ $level }
# Перед относительным временем: «получен 3 дня назад»
community-badge-awarded = получен { $when }

## За что дают значок (пишется по его правилу, если владелец сайта оставил
## встроенное описание)
community-criterion-posts = { $count ->
    [1] Написал(а) первое сообщение.
    [one] Написал(а) { $count } сообщение.
    [few] Написал(а) { $count } сообщения.
   *[many] Написал(а) { $count } сообщений.
}
community-criterion-posts-again = { $count ->
    [one] Ещё { $count } сообщение (даётся повторно).
    [few] Ещё { $count } сообщения (даётся повторно).
   *[many] Ещё { $count } сообщений (даётся повторно).
}
community-criterion-accepted = { $count ->
    [1] Первый принятый ответ.
    [one] { $count } принятый ответ.
    [few] { $count } принятых ответа.
   *[many] { $count } принятых ответов.
}
community-criterion-accepted-again = { $count ->
    [one] Ещё { $count } принятый ответ (даётся повторно).
    [few] Ещё { $count } принятых ответа (даётся повторно).
   *[many] Ещё { $count } принятых ответов (даётся повторно).
}
community-criterion-kudos = { $count ->
    [one] Получил(а) { $count } благодарность.
    [few] Получил(а) { $count } благодарности.
   *[many] Получил(а) { $count } благодарностей.
}
community-criterion-kudos-again = { $count ->
    [one] Ещё { $count } благодарность (даётся повторно).
    [few] Ещё { $count } благодарности (даётся повторно).
   *[many] Ещё { $count } благодарностей (даётся повторно).
}
community-criterion-kb = { $count ->
    [1] Ответ перенесён в базу знаний.
    [one] { $count } ответ перенесён в базу знаний.
    [few] { $count } ответа перенесены в базу знаний.
   *[many] { $count } ответов перенесено в базу знаний.
}
community-criterion-kb-again = { $count ->
    [one] Ещё { $count } ответ перенесён в базу знаний (даётся повторно).
    [few] Ещё { $count } ответа перенесены в базу знаний (даётся повторно).
   *[many] Ещё { $count } ответов перенесено в базу знаний (даётся повторно).
}
community-criterion-categories = { $count ->
    [one] Отвечал(а) в { $count } разделе.
    [few] Отвечал(а) в { $count } разных разделах.
   *[many] Отвечал(а) в { $count } разных разделах.
}
community-criterion-categories-again = { $count ->
    [one] Ответы ещё в { $count } разделе (даётся повторно).
    [few] Ответы ещё в { $count } разных разделах (даётся повторно).
   *[many] Ответы ещё в { $count } разных разделах (даётся повторно).
}
community-criterion-streak = { $count ->
    [one] Активность { $count } день подряд.
    [few] Активность { $count } дня подряд.
   *[many] Активность { $count } дней подряд.
}
community-criterion-streak-again = { $count ->
    [one] Ещё { $count } день активности подряд (даётся повторно).
    [few] Ещё { $count } дня активности подряд (даётся повторно).
   *[many] Ещё { $count } дней активности подряд (даётся повторно).
}
community-criterion-points = { $count ->
    [one] Набрал(а) { $count } балл.
    [few] Набрал(а) { $count } балла.
   *[many] Набрал(а) { $count } баллов.
}
community-criterion-points-again = { $count ->
    [one] Ещё { $count } балл (даётся повторно).
    [few] Ещё { $count } балла (даётся повторно).
   *[many] Ещё { $count } баллов (даётся повторно).
}
community-criterion-idea-votes = { $count ->
    [one] Ваша идея набрала { $count } голос.
    [few] Ваша идея набрала { $count } голоса.
   *[many] Ваша идея набрала { $count } голосов.
}
community-criterion-idea-votes-again = { $count ->
    [one] Ваша идея набрала ещё { $count } голос (даётся повторно).
    [few] Ваша идея набрала ещё { $count } голоса (даётся повторно).
   *[many] Ваша идея набрала ещё { $count } голосов (даётся повторно).
}
community-criterion-ideas-delivered = { $count ->
    [one] Реализована { $count } ваша идея.
    [few] Реализованы { $count } ваши идеи.
   *[many] Реализовано { $count } ваших идей.
}
community-criterion-ideas-delivered-again = { $count ->
    [one] Реализована ещё { $count } ваша идея (даётся повторно).
    [few] Реализованы ещё { $count } ваши идеи (даётся повторно).
   *[many] Реализовано ещё { $count } ваших идей (даётся повторно).
}

## Таблица лидеров
community-leaderboard-title = Лидеры
community-leaderboard-heading = Самые активные участники
community-leaderboard-periods = Период
community-leaderboard-boards = Разделы
community-period-week = За неделю
community-period-month = За месяц
community-period-all = За всё время
community-leaderboard-all-boards = Все разделы
community-leaderboard-empty = За этот период баллов пока никто не набрал.
community-leaderboard-all-badges = Все значки
