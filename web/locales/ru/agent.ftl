# Консоль агента: очередь поддержки, задача, шаблоны ответов.

## Общие
agent-col-id = №
agent-col-subject = Тема
agent-col-customer = Клиент
agent-col-priority = Приоритет
agent-col-status = Статус
agent-col-owner = Ответственный
agent-col-due = Срок
agent-task-number = Задача №{ $id }
agent-queue-crumb = Очередь
agent-escalated = эскалирована
agent-overdue = просрочена
agent-breached = срок нарушен
agent-owner-unassigned = без ответственного

## Статусы задач
agent-status-new = новая
agent-status-open = открыта
agent-status-pending = ожидает
agent-status-escalated = эскалирована
agent-status-resolved = решена
agent-status-closed = закрыта

## Приоритеты
agent-priority-low = низкий
agent-priority-normal = обычный
agent-priority-high = высокий
agent-priority-urgent = срочный

## Статус темы форума
agent-thread-open = открыта
agent-thread-answered = есть ответы
agent-thread-solved = решена
agent-thread-locked = закрыта

## Копия задачи во внешней CRM
agent-sync-pending = ждёт синхронизации
agent-sync-synced = синхронизирована
agent-sync-failed = ошибка синхронизации

## Очередь
agent-queue-title = Консоль агента
agent-queue-heading = Очередь поддержки
agent-reminders-due = Напоминания
agent-reminder-done = Готово
agent-filter-active = активные
agent-filter-any = любой
agent-owner-anyone = любой
agent-owner-me = я
agent-due-within = Срок в ближайшие (часов)
agent-stats-escalated = всего эскалировано: { $count }
agent-stats-breaches = нарушений срока первого ответа: { $count }
# $minutes — целое число, уже в цифрах страницы.
agent-stats-median = медиана первого ответа: { $minutes } мин
agent-no-tasks = Подходящих задач нет.

## Задача
agent-task-priority = Приоритет: { $priority }
agent-task-first-due = первый ответ до
agent-task-resolution-due = решение до
agent-task-owner = ответственный:
agent-task-not-synced-yet = (ещё нет)
agent-task-escalated = Эскалирована:
agent-task-question = Вопрос:
agent-task-claim = Взять себе
agent-unchanged = (без изменений)
agent-task-assign = Назначить (id пользователя)
agent-task-assign-hint = имя пользователя агента или none, чтобы снять назначение
agent-task-update = Обновить
agent-task-reply-title = Ответ от имени поддержки
agent-task-canned = Шаблон ответа
agent-task-insert = Вставить
agent-task-reply-body = Официальный ответ
agent-task-post-reply = Опубликовать официальный ответ
agent-task-remind-title = Напомнить мне
agent-task-remind-in = Через сколько часов
agent-task-remind-note = Заметка
agent-task-set-reminder = Поставить напоминание
agent-task-reminder = Напоминание
agent-task-other-tasks = Другие задачи
agent-task-threads = Темы
agent-task-timeline = История

## Шаблоны ответов
agent-canned-title = Шаблоны ответов
agent-canned-placeholders = Подстановки:
agent-canned-field-title = Название
agent-canned-field-body = Текст
# Дальше в кавычках идёт название шаблона.
agent-canned-delete = Удалить
agent-canned-new = Новый шаблон
agent-canned-add = Добавить

## Хронология клиента на странице задачи (параметры из CRM)
timeline-member-joined = присоединился к сообществу
timeline-post-created = ответил в теме №{ $thread }
timeline-thread-created = спросил «{ $title }»
timeline-task-created = открыта задача №{ $task } ({ $priority })
timeline-task-escalated = задача №{ $task } эскалирована: { $reason }
timeline-task-status = задача №{ $task }: { $from } → { $to } ({ $reason })
timeline-why-customer-replied = клиент ответил
timeline-why-solution-accepted = принято решение
timeline-why-solution-withdrawn = принятое решение отозвано
timeline-why-external-crm = изменено во внешней CRM
timeline-why-by-agent = изменено агентом
timeline-task-sla = задача №{ $task }: { $what }
timeline-sla-first-due-soon = скоро срок первого ответа
timeline-sla-first-breached = нарушен срок первого ответа
timeline-sla-resolution-due-soon = скоро срок решения
timeline-sla-resolution-breached = нарушен срок решения
timeline-task-updated = задача №{ $task }: { $changes }
timeline-change-priority = приоритет { $from } → { $to }
timeline-change-assigned = назначена { $user }
timeline-change-unassigned = снято назначение
timeline-contact-segment = сегмент изменён: { $from } → { $to }

## Почему задача эскалирована
agent-escalation-keyword = ключевое слово «{ $keyword }»
agent-escalation-vip = спрашивает VIP-клиент
agent-escalation-no-response = нет принятого ответа и ответа агента за { $hours } { $hours ->
    [one] час
    [few] часа
   *[other] часов
}
agent-escalation-manual = эскалировал сотрудник №{ $by }
agent-escalation-external = эскалировано во внешней CRM
agent-task-more-replies = { $count ->
    [one] Ещё { $count } ответ: открыть тему
    [few] Ещё { $count } ответа: открыть тему
   *[other] Ещё { $count } ответов: открыть тему
}

## The queue's SLA countdowns
duration-minutes = { $count } { $count ->
    [one] минуту
    [few] минуты
   *[other] минут
}
duration-hours = { $count } { $count ->
    [one] час
    [few] часа
   *[other] часов
}
duration-days = { $count } { $count ->
    [one] день
    [few] дня
   *[other] дней
}
agent-due-in = срок через { $duration }
agent-overdue-by = просрочено на { $duration }
