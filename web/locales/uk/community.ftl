# Репутація: значки й таблиця лідерів. Назви значків і рангів задає
# власник сайту, їх тут немає.

## Значки
community-badges-title = Значки
community-badge-nobody = Цього значка поки ніхто не має.
community-badge-holders = Власники
# Рівень повторюваного значка: «×3»
community-badge-level = ×{ $level }
# Перед відносним часом: «отримано 3 дні тому»
community-badge-awarded = отримано { $when }

## За що дають значок (пишеться за його правилом, якщо власник сайту
## залишив вбудований опис)
community-criterion-posts = { $count ->
    [1] Написав(-ла) перший допис.
    [one] Написав(-ла) { $count } допис.
    [few] Написав(-ла) { $count } дописи.
   *[many] Написав(-ла) { $count } дописів.
}
community-criterion-posts-again = { $count ->
    [one] Ще { $count } допис (дається повторно).
    [few] Ще { $count } дописи (дається повторно).
   *[many] Ще { $count } дописів (дається повторно).
}
community-criterion-accepted = { $count ->
    [1] Перша прийнята відповідь.
    [one] { $count } прийнята відповідь.
    [few] { $count } прийняті відповіді.
   *[many] { $count } прийнятих відповідей.
}
community-criterion-accepted-again = { $count ->
    [one] Ще { $count } прийнята відповідь (дається повторно).
    [few] Ще { $count } прийняті відповіді (дається повторно).
   *[many] Ще { $count } прийнятих відповідей (дається повторно).
}
community-criterion-kudos = { $count ->
    [one] Отримав(-ла) { $count } подяку.
    [few] Отримав(-ла) { $count } подяки.
   *[many] Отримав(-ла) { $count } подяк.
}
community-criterion-kudos-again = { $count ->
    [one] Ще { $count } подяка (дається повторно).
    [few] Ще { $count } подяки (дається повторно).
   *[many] Ще { $count } подяк (дається повторно).
}
community-criterion-kb = { $count ->
    [1] Відповідь перенесено до бази знань.
    [one] { $count } відповідь перенесено до бази знань.
    [few] { $count } відповіді перенесено до бази знань.
   *[many] { $count } відповідей перенесено до бази знань.
}
community-criterion-kb-again = { $count ->
    [one] Ще { $count } відповідь перенесено до бази знань (дається повторно).
    [few] Ще { $count } відповіді перенесено до бази знань (дається повторно).
   *[many] Ще { $count } відповідей перенесено до бази знань (дається повторно).
}
community-criterion-categories = { $count ->
    [one] Відповідав(-ла) в { $count } розділі.
    [few] Відповідав(-ла) в { $count } різних розділах.
   *[many] Відповідав(-ла) в { $count } різних розділах.
}
community-criterion-categories-again = { $count ->
    [one] Відповіді ще в { $count } розділі (дається повторно).
    [few] Відповіді ще в { $count } різних розділах (дається повторно).
   *[many] Відповіді ще в { $count } різних розділах (дається повторно).
}
community-criterion-streak = { $count ->
    [one] Активність { $count } день поспіль.
    [few] Активність { $count } дні поспіль.
   *[many] Активність { $count } днів поспіль.
}
community-criterion-streak-again = { $count ->
    [one] Ще { $count } день активності поспіль (дається повторно).
    [few] Ще { $count } дні активності поспіль (дається повторно).
   *[many] Ще { $count } днів активності поспіль (дається повторно).
}
community-criterion-points = { $count ->
    [one] Набрав(-ла) { $count } бал.
    [few] Набрав(-ла) { $count } бали.
   *[many] Набрав(-ла) { $count } балів.
}
community-criterion-points-again = { $count ->
    [one] Ще { $count } бал (дається повторно).
    [few] Ще { $count } бали (дається повторно).
   *[many] Ще { $count } балів (дається повторно).
}
community-criterion-idea-votes = { $count ->
    [one] Ваша ідея набрала { $count } голос.
    [few] Ваша ідея набрала { $count } голоси.
   *[many] Ваша ідея набрала { $count } голосів.
}
community-criterion-idea-votes-again = { $count ->
    [one] Ваша ідея набрала ще { $count } голос (дається повторно).
    [few] Ваша ідея набрала ще { $count } голоси (дається повторно).
   *[many] Ваша ідея набрала ще { $count } голосів (дається повторно).
}
community-criterion-ideas-delivered = { $count ->
    [one] Втілено { $count } вашу ідею.
    [few] Втілено { $count } ваші ідеї.
   *[many] Втілено { $count } ваших ідей.
}
community-criterion-ideas-delivered-again = { $count ->
    [one] Втілено ще { $count } вашу ідею (дається повторно).
    [few] Втілено ще { $count } ваші ідеї (дається повторно).
   *[many] Втілено ще { $count } ваших ідей (дається повторно).
}

## Таблиця лідерів
community-leaderboard-title = Лідери
community-leaderboard-heading = Найактивніші учасники
community-leaderboard-periods = Період
community-leaderboard-boards = Розділи
community-period-week = За тиждень
community-period-month = За місяць
community-period-all = За весь час
community-leaderboard-all-boards = Усі розділи
community-leaderboard-empty = За цей період ще ніхто не набрав балів.
community-leaderboard-all-badges = Усі значки
