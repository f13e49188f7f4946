# Черга перевірки (/mod/review) і слова модерації на інших сторінках
# персоналу.

## Рівні довіри
mod-trust-new = новий
mod-trust-member = перевірений
mod-trust-leader = лідер
mod-trust-staff = співробітник
# Рівень довіри автора — значок поруч з його ім’ям.
mod-author-new = новий учасник
mod-author-member = перевірений учасник
mod-author-leader = лідер спільноти
mod-author-staff = співробітник

## Рішення
mod-decision-approve = Схвалити
mod-decision-reject = Відхилити
mod-decision-reject_and_silence = Відхилити й перевести автора в режим «лише читання»
mod-decision-delete_spam = Видалити як спам і заблокувати автора
mod-outcome-approve = Схвалено
mod-outcome-reject = Відхилено
mod-outcome-reject_and_silence = Відхилено, автор у режимі «лише читання»
mod-outcome-delete_spam = Видалено як спам, автора заблоковано
mod-outcome-open = Чекає на рішення

## Стан допису
mod-post-held = затримано
mod-post-hidden = приховано
mod-post-rejected = відхилено
mod-post-shown = показано

## Чому учасники скаржаться
mod-flag-spam = спам
mod-flag-abusive = образа
mod-flag-off_topic = не за темою
mod-flag-needs_staff = потрібен співробітник
mod-flag-other = інше

## Чому допис затримано
mod-hold-links = { $count ->
    [one] { $count } посилання
    [few] { $count } посилання
   *[many] { $count } посилань
}; ліміт для нових учасників — { $max } на допис
mod-hold-mentions = { $count ->
    [one] { $count } згадка
    [few] { $count } згадки
   *[many] { $count } згадок
}; ліміт для нових учасників — { $max } на допис
mod-hold-first-day-topics = перевищено ліміт нових тем першого дня ({ $max })
mod-hold-first-day-replies = перевищено ліміт відповідей першого дня ({ $max })
mod-hold-too-soon = нові учасники чекають { $seconds } с між дописами
mod-hold-premoderation = у цьому розділі дописи перевіряються до публікації
mod-hold-flagged = є скарги учасників (вага { $score })
mod-hold-spam = оцінка спаму { $score } зі 100

## Черга
mod-title = Черга перевірки
mod-done-claimed = Цей елемент закріплено за вами на 30 хвилин.
mod-done-bulk = Щодо позначених елементів рішення ухвалено.
mod-done-decided = Рішення ухвалено. Автора повідомлено.
mod-sla-title = Рівень обслуговування
mod-waiting = чекають: { $count }
mod-waiting-too-long = чекають довше за { $hours } год: { $count }
mod-held = затримано: { $count }
mod-hidden = приховано: { $count }
mod-span-minutes = { $minutes } хв
mod-span-hours = { $hours } год { $minutes } хв
# $value і $other — тривалості («3 год 20 хв»).
mod-month-summary = За останні 30 днів: час перевірки { $value } (медіана), { $other } (90-й процентиль); рішень: { $count }, з них схвалено: { $n }.
mod-tabs = Черга
mod-tab-oldest = Спершу старі
mod-tab-priority = За пріоритетом
mod-tab-decided = Вирішені
mod-items = Усього: { $count }
mod-empty = Нічого не чекає на перевірку.
mod-bulk-label = Для позначених елементів
mod-bulk-reason = Причина (її побачать автори)
mod-bulk-submit = Ухвалити рішення щодо позначених
mod-choose-item = Вибрати елемент №{ $id }
# Далі в лапках іде назва теми.
mod-item-question = Запитання в темі
mod-item-reply = Відповідь у темі
# Далі йде ім’я автора.
mod-item-by = автор:
mod-item-waiting-since = надійшло
mod-item-priority = пріоритет { $n }
mod-overdue = прострочено
mod-reports-caption = Скарги (вага { $score })
mod-col-by = Хто
mod-col-reason = Причина
mod-col-note = Коментар
mod-col-weight = Вага
mod-claimed-by = У роботі в
mod-claim = Взяти собі
mod-decision = Рішення
mod-reason = Причина (її побачить автор)
mod-days = Днів у режимі «лише читання» або блокування (порожньо — 7 днів «лише читання»; спамера блокують назавжди)
mod-decide = Ухвалити рішення
# Між підсумком та ім’ям модератора: «Відхилено модератором Mia».
mod-decided-by = модератором

## Чому оцінка спаму висока (за ознакою)
mod-signal-reads-like-spam = схоже на попередній спам ({ $percent }%)
mod-signal-same-text = { $count ->
    [one] такий самий текст сьогодні надійшов ще з { $count } облікового запису
   *[other] такий самий текст сьогодні надійшов ще з { $count } облікових записів
}
mod-signal-spam-hosts = { $count ->
    [one] { $count } сайт із посилань траплявся в спамі
    [few] { $count } сайти з посилань траплялися в спамі
   *[other] { $count } сайтів із посилань траплялися в спамі
}
mod-signal-unseen-hosts = { $count ->
    [one] { $count } сайт із посилань ще не траплявся в спільноті
    [few] { $count } сайти з посилань ще не траплялися в спільноті
   *[other] { $count } сайтів із посилань ще не траплялися в спільноті
}
mod-signal-links = { $count ->
    [one] { $count } посилання
    [few] { $count } посилання
   *[other] { $count } посилань
}
mod-signal-typed-too-fast = перший допис із { $count } символів написано за { $seconds } с
mod-signal-remote = сервіс перевірки на спам вважає це спамом
