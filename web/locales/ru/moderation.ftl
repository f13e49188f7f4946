# Очередь проверки (/mod/review) и слова модерации на других страницах
# персонала.

## Уровни доверия
mod-trust-new = новый
mod-trust-member = проверенный
mod-trust-leader = лидер
mod-trust-staff = сотрудник
# Уровень доверия автора — значок рядом с его именем.
mod-author-new = новый участник
mod-author-member = проверенный участник
mod-author-leader = лидер сообщества
mod-author-staff = сотрудник

## Решения
mod-decision-approve = Одобрить
mod-decision-reject = Отклонить
mod-decision-reject_and_silence = Отклонить и перевести автора в режим «только чтение»
mod-decision-delete_spam = Удалить как спам и заблокировать автора
mod-outcome-approve = Одобрено
mod-outcome-reject = Отклонено
mod-outcome-reject_and_silence = Отклонено, автор в режиме «только чтение»
mod-outcome-delete_spam = Удалено как спам, автор заблокирован
mod-outcome-open = Ожидает решения

## Состояние сообщения
mod-post-held = задержано
mod-post-hidden = скрыто
mod-post-rejected = отклонено
mod-post-shown = показано

## Почему участники жалуются
mod-flag-spam = спам
mod-flag-abusive = оскорбление
mod-flag-off_topic = не по теме
mod-flag-needs_staff = нужен сотрудник
mod-flag-other = другое

## Почему сообщение задержано
mod-hold-links = { $count ->
    [one] { $count } ссылка
    [few] { $count } ссылки
   *[many] { $count } ссылок
}; лимит для новых участников — { $max } на сообщение
mod-hold-mentions = { $count ->
    [one] { $count } упоминание
    [few] { $count } упоминания
   *[many] { $count } упоминаний
}; лимит для новых участников — { $max } на сообщение
mod-hold-first-day-topics = превышен лимит новых тем в первый день ({ $max })
mod-hold-first-day-replies = превышен лимит ответов в первый день ({ $max })
mod-hold-too-soon = новые участники ждут { $seconds } с между сообщениями
mod-hold-premoderation = в этом разделе сообщения проверяются до публикации
mod-hold-flagged = есть жалобы участников (вес { $score })
mod-hold-spam = оценка спама { $score } из 100

## Очередь
mod-title = Очередь проверки
mod-done-claimed = Этот элемент закреплён за вами на 30 минут.
mod-done-bulk = По отмеченным элементам решения приняты.
mod-done-decided = Решение принято. Автор уведомлён.
mod-sla-title = Уровень обслуживания
mod-waiting = ожидают: { $count }
mod-waiting-too-long = ожидают дольше { $hours } ч: { $count }
mod-held = задержано: { $count }
mod-hidden = скрыто: { $count }
mod-span-minutes = { $minutes } мин
mod-span-hours = { $hours } ч { $minutes } мин
# $value и $other — длительности («3 ч 20 мин»).
mod-month-summary = За последние 30 дней: время проверки { $value } (медиана), { $other } (90-й процентиль); решений: { $count }, из них одобрено: { $n }.
mod-tabs = Очередь
mod-tab-oldest = Сначала старые
mod-tab-priority = По приоритету
mod-tab-decided = Решённые
mod-items = Всего: { $count }
mod-empty = Проверки ничего не ждёт.
mod-bulk-label = Для отмеченных элементов
mod-bulk-reason = Причина (её увидят авторы)
mod-bulk-submit = Принять решение по отмеченным
mod-choose-item = Выбрать элемент №{ $id }
# Дальше в кавычках идёт название темы.
mod-item-question = Вопрос в теме
mod-item-reply = Ответ в теме
# Дальше идёт имя автора.
mod-item-by = автор:
mod-item-waiting-since = поступило
mod-item-priority = приоритет { $n }
mod-overdue = просрочено
mod-reports-caption = Жалобы (вес { $score })
mod-col-by = Кто
mod-col-reason = Причина
mod-col-note = Комментарий
mod-col-weight = Вес
mod-claimed-by = В работе у
mod-claim = Взять себе
mod-decision = Решение
mod-reason = Причина (её увидит автор)
mod-days = Дней в режиме «только чтение» или блокировки (пусто — 7 дней «только чтение»; спамер блокируется навсегда)
mod-decide = Принять решение
# Между итогом и именем модератора: «Отклонено модератором Mia».
mod-decided-by = модератором

## Почему оценка спама высока (по признаку)
mod-signal-reads-like-spam = похоже на прежний спам ({ $percent }%)
mod-signal-same-text = { $count ->
    [one] такой же текст сегодня пришёл ещё с { $count } учётной записи
   *[other] такой же текст сегодня пришёл ещё с { $count } учётных записей
}
mod-signal-spam-hosts = { $count ->
    [one] { $count } сайт из ссылок встречался в спаме
    [few] { $count } сайта из ссылок встречались в спаме
   *[other] { $count } сайтов из ссылок встречались в спаме
}
mod-signal-unseen-hosts = { $count ->
    [one] { $count } сайт из ссылок ещё не встречался в сообществе
    [few] { $count } сайта из ссылок ещё не встречались в сообществе
   *[other] { $count } сайтов из ссылок ещё не встречались в сообществе
}
mod-signal-links = { $count ->
    [one] { $count } ссылка
    [few] { $count } ссылки
   *[other] { $count } ссылок
}
mod-signal-typed-too-fast = первое сообщение из { $count } символов написано за { $seconds } с
mod-signal-remote = сервис проверки на спам считает это спамом
