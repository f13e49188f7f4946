# Консоль агента: черга підтримки, завдання, шаблони відповідей.

## Спільні
agent-col-id = №
agent-col-subject = Тема
agent-col-customer = Клієнт
agent-col-priority = Пріоритет
agent-col-status = Статус
agent-col-owner = Відповідальний
agent-col-due = Строк
agent-task-number = Завдання №{ $id }
agent-queue-crumb = Черга
agent-escalated = ескальоване
agent-overdue = прострочене
agent-breached = строк порушено
agent-owner-unassigned = без відповідального

## Статуси завдань
agent-status-new = нове
agent-status-open = відкрите
agent-status-pending = очікує
agent-status-escalated = ескальоване
agent-status-resolved = розв’язане
agent-status-closed = закрите

## Пріоритети
agent-priority-low = низький
agent-priority-normal = звичайний
agent-priority-high = високий
agent-priority-urgent = терміновий

## Статус теми форуму
agent-thread-open = відкрита
agent-thread-answered = є відповіді
agent-thread-solved = розв’язана
agent-thread-locked = закрита

## Копія завдання в зовнішній CRM
agent-sync-pending = чекає на синхронізацію
agent-sync-synced = синхронізовано
agent-sync-failed = помилка синхронізації

## Черга
agent-queue-title = Консоль агента
agent-queue-heading = Черга підтримки
agent-reminders-due = Нагадування
agent-reminder-done = Готово
agent-filter-active = активні
agent-filter-any = будь-який
agent-owner-anyone = будь-хто
agent-owner-me = я
agent-due-within = Строк у найближчі (годин)
agent-stats-escalated = усього ескальовано: { $count }
agent-stats-breaches = порушень строку першої відповіді: { $count }
# $minutes — ціле число, уже в цифрах сторінки.
agent-stats-median = медіана першої відповіді: { $minutes } хв
agent-no-tasks = Відповідних завдань немає.

## Завдання
agent-task-priority = Пріоритет: { $priority }
agent-task-first-due = перша відповідь до
agent-task-resolution-due = розв’язання до
agent-task-owner = відповідальний:
agent-task-not-synced-yet = (ще ні)
agent-task-escalated = Ескальовано:
agent-task-question = Запитання:
agent-task-claim = Взяти собі
agent-unchanged = (без змін)
agent-task-assign = Призначити (id користувача)
agent-task-assign-hint = ім’я користувача агента або none, щоб зняти призначення
agent-task-update = Оновити
agent-task-reply-title = Відповідь від імені підтримки
agent-task-canned = Шаблон відповіді
agent-task-insert = Вставити
agent-task-reply-body = Офіційна відповідь
agent-task-post-reply = Опублікувати офіційну відповідь
agent-task-remind-title = Нагадати мені
agent-task-remind-in = Через скільки годин
agent-task-remind-note = Нотатка
agent-task-set-reminder = Поставити нагадування
agent-task-reminder = Нагадування
agent-task-other-tasks = Інші завдання
agent-task-threads = Теми
agent-task-timeline = Історія

## Шаблони відповідей
agent-canned-title = Шаблони відповідей
agent-canned-placeholders = Підстановки:
agent-canned-field-title = Назва
agent-canned-field-body = Текст
# Далі в лапках іде назва шаблону.
agent-canned-delete = Видалити
agent-canned-new = Новий шаблон
agent-canned-add = Додати

## Хронологія клієнта на сторінці завдання (параметри з CRM)
timeline-member-joined = приєднався до спільноти
timeline-post-created = відповів у темі №{ $thread }
timeline-thread-created = запитав «{ $title }»
timeline-task-created = відкрито завдання №{ $task } ({ $priority })
timeline-task-escalated = завдання №{ $task } ескаловано: { $reason }
timeline-task-status = завдання №{ $task }: { $from } → { $to } ({ $reason })
timeline-why-customer-replied = клієнт відповів
timeline-why-solution-accepted = прийнято рішення
timeline-why-solution-withdrawn = прийняте рішення відкликано
timeline-why-external-crm = змінено в зовнішній CRM
timeline-why-by-agent = змінено агентом
timeline-task-sla = завдання №{ $task }: { $what }
timeline-sla-first-due-soon = скоро строк першої відповіді
timeline-sla-first-breached = порушено строк першої відповіді
timeline-sla-resolution-due-soon = скоро строк розв’язання
timeline-sla-resolution-breached = порушено строк розв’язання
timeline-task-updated = завдання №{ $task }: { $changes }
timeline-change-priority = пріоритет { $from } → { $to }
timeline-change-assigned = призначено { $user }
timeline-change-unassigned = призначення знято
timeline-contact-segment = сегмент змінено: { $from } → { $to }

## Чому завдання ескалювали
agent-escalation-keyword = ключове слово «{ $keyword }»
agent-escalation-vip = питає VIP-клієнт
agent-escalation-no-response = немає прийнятої відповіді й відповіді агента за { $hours } { $hours ->
    [one] годину
    [few] години
   *[other] годин
}
agent-escalation-manual = ескалював співробітник №{ $by }
agent-escalation-external = ескальовано в зовнішній CRM
agent-task-more-replies = { $count ->
    [one] Ще { $count } відповідь: відкрити тему
    [few] Ще { $count } відповіді: відкрити тему
   *[other] Ще { $count } відповідей: відкрити тему
}

## The queue's SLA countdowns
duration-minutes = { $count } { $count ->
    [one] хвилину
    [few] хвилини
   *[other] хвилин
}
duration-hours = { $count } { $count ->
    [one] годину
    [few] години
   *[other] годин
}
duration-days = { $count } { $count ->
    [one] день
    [few] дні
   *[other] днів
}
agent-due-in = строк через { $duration }
agent-overdue-by = прострочено на { $duration }
