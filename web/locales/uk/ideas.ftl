# Обмін ідеями (задача 17): дошки ідей, ідеї, голоси, статуси та їхня історія.

ideas-title = Ідеї
ideas-intro = Запропонуйте, що нам зробити далі, голосуйте за потрібні вам ідеї та стежте, що ми з ними робимо.
ideas-no-boards = Дошок ідей поки немає.
ideas-submit = Запропонувати ідею
ideas-submit-button = Надіслати ідею
ideas-budget-note = { $count ->
    [one] У цій дошці ви можете мати { $count } чинний голос.
    [few] У цій дошці ви можете мати { $count } чинні голоси.
   *[many] У цій дошці ви можете мати { $count } чинних голосів.
}

## Сортування і фільтри
ideas-sort = Порядок ідей
ideas-sort-trending = Набирають голоси
ideas-sort-top = Найкращі
ideas-sort-newest = Нові
ideas-sort-status = Нещодавно змінили статус
ideas-filter = Відбір ідей
ideas-filter-kind = Статус
ideas-filter-any = Будь-який
ideas-filter-tag = Мітка
ideas-filter-area = Область продукту
ideas-filter-mine = Ідеї, за які я голосував(ла)
ideas-filter-apply = Відібрати
ideas-count = { $count ->
    [one] { $count } ідея
    [few] { $count } ідеї
   *[many] { $count } ідей
}
ideas-votes = { $count ->
    [one] { $count } голос
    [few] { $count } голоси
   *[many] { $count } голосів
}
ideas-votes-word = { $count ->
    [one] голос
    [few] голоси
   *[many] голосів
}
ideas-you-voted = Ви проголосували
ideas-comments = { $count ->
    [one] { $count } коментар
    [few] { $count } коментарі
   *[many] { $count } коментарів
}

## Види статусів
ideas-kind-open = Відкрита
ideas-kind-active = У роботі
ideas-kind-completed = Виконана
ideas-kind-declined = Відхилена
ideas-kind-duplicate = Дублікат

## Пропозиція ідеї
ideas-field-title = Заголовок
ideas-field-description = Опишіть ідею: що вона дозволить вам зробити?
ideas-field-tags = Мітки (через кому)
ideas-field-area = Область продукту

## Ідея
ideas-votes-heading = Голоси
ideas-budget-used = Ви використовуєте { $count } з { $max } ваших голосів у цій дошці.
ideas-vote = Проголосувати за ідею
ideas-unvote = Відкликати мій голос
ideas-voted = Ваш голос враховано.
ideas-unvoted = Ваш голос відкликано.
ideas-refused-closed = Ця ідея закрита, голоси більше не приймаються.
ideas-refused-own = У цій дошці не можна голосувати за власну ідею.
ideas-refused-budget = { $count ->
    [one] Ви вже використовуєте { $count } голос у цій дошці: відкличте його, щоб проголосувати тут.
    [few] Ви вже використовуєте всі { $count } голоси в цій дошці: відкличте один, щоб проголосувати тут.
   *[many] Ви вже використовуєте всі { $count } голосів у цій дошці: відкличте один, щоб проголосувати тут.
}
ideas-sign-in-to-vote = Увійдіть, щоб голосувати
ideas-timeline = Історія
ideas-timeline-submitted = Запропонована
ideas-timeline-change = { $from } → { $to }
ideas-change-status = Змінити статус
ideas-new-status = Новий статус
ideas-status-note = Публічний коментар
ideas-change-status-button = Змінити статус
ideas-status-changed = Статус змінено; тим, хто голосував, автору, коментаторам і підписникам надійде сповіщення.
ideas-voters = Хто проголосував
ideas-no-voters = Поки ніхто не проголосував.
ideas-comment = Прокоментувати ідею

## Адміністрування
ideas-board-kind = Вид дошки
ideas-board-kind-discussion = Обговорення (питання і відповіді)
ideas-board-kind-ideas = Ідеї (учасники пропонують і голосують)
ideas-admin-title = Налаштування дошки ідей
ideas-admin-voting = Голосування
ideas-admin-budget = Чинних голосів в учасника
ideas-admin-budget-help = Залиште порожнім, щоб не обмежувати. Голоси за закриті ідеї повертаються тим, хто голосував.
ideas-admin-self-vote = Автори можуть голосувати за свої ідеї
ideas-admin-statuses = Статуси
ideas-admin-status-name = Назва
ideas-admin-status-kind = Вид
ideas-admin-status-slug = Коротке ім'я (в адресах)
ideas-admin-status-colour = Колір
ideas-admin-add-status = Додати статус

## Сповіщення про зміну статусу
notify-kind-idea_status = Зміна статусу ідей
    .description = Ідея, яку ви запропонували, підтримали, прокоментували або відстежуєте, змінила статус.
notify-line-idea-status = «{ $title }»: тепер { $to }
notify-line-idea-status-returned = «{ $title }»: тепер { $to }; ваш голос повернуто вам

## The CRM contact timeline
timeline-idea-status = ідея, за яку учасник голосував, «{ $title }», тепер { $to }

## Дорожня карта
ideas-roadmap = Дорожня карта
ideas-roadmap-intro = Що ми плануємо, що робимо зараз і що нещодавно випустили.
ideas-roadmap-delivered = Нещодавно випущено
ideas-roadmap-empty = Поки порожньо.

## Схожі ідеї перед надсиланням
ideas-similar = Можливо, це одна з них?
ideas-similar-intro = Ці ідеї схожі на вашу. Голос за одну з них додасться до голосів інших; або надішліть свою.
ideas-vote-instead = Проголосувати за цю
    .aria-label = Проголосувати за «{ $title }» замість надсилання своєї
ideas-submit-anyway = Усе одно надіслати мою

## Об'єднання дублікатів
ideas-merge = Об'єднати з іншою ідеєю
ideas-merge-into = Номер ідеї, з якою об'єднати цю
ideas-merge-help = Її голоси перейдуть туди (учасник, що голосував за обидві, враховується один раз); коментарі залишаться доступними. Це можна скасувати.
ideas-merge-button = Об'єднати
ideas-merge-done = Ідею об'єднано з цією.
ideas-unmerge-done = Об'єднання скасовано: голоси цієї ідеї повернуто.
ideas-merged-from = Ідею №{ $id } об'єднано з цією.
ideas-merged-comments = Читати її коментарі
ideas-merged-here = Об'єднані з цією ідеєю
ideas-unmerge = Роз'єднати
    .aria-label = Роз'єднати «{ $title }»

## Ідея очима CRM (працівники)
ideas-sort-score = Зважена оцінка
ideas-breakdown = Хто стоїть за голосами
ideas-score = Зважена оцінка: { $score }
ideas-breakdown-segment = Сегмент клієнтів
ideas-breakdown-stage = Етап життєвого циклу
ideas-breakdown-voters = Тих, хто голосував
ideas-breakdown-none = Немає в CRM
ideas-breakdown-companies = { $count ->
    [one] { $count } компанія
    [few] { $count } компанії
   *[many] { $count } компаній
}
ideas-admin-weights = Ваги сегментів в оцінці
ideas-admin-weights-help = По одному рядку сегмент=вага (наприклад enterprise=3); сегмент, якого немає в списку, важить 1.

## Назви полів у відмовах
field-colour = Колір
field-into = Ідея, з якою об'єднати
field-product_area = Область продукту
field-segment_weights = Ваги сегментів
field-status_kind = Вид статусу
field-vote_budget = Чинних голосів в учасника

## What a status change links to
ideas-change-link = Докладніше
ideas-status-link = Посилання (стаття бази знань /kb/… або нотатки до випуску https://…)
field-link = Посилання
ideas-admin-edit-status = Змінити
ideas-admin-status-position = Місце в порядку (1 — перше)
ideas-admin-remove-status = Видалити статус
ideas-admin-move-to = Перенести його ідеї до
field-idea = Ідея
field-idea-status = Статус ідеї
field-move_to = Куди перенести ідеї
field-position = Місце в порядку
