# Сповіщення: сторінка сповіщень, їх налаштування, відписка за посиланням
# із листа та види сповіщень.

## Види сповіщень (налаштування, відписка, підвал листів)
notify-kind-reply = Відповіді на ваші запитання
    .description = Хтось відповідає на ваше запитання.
notify-kind-accepted = Прийняті відповіді
    .description = Вашу відповідь позначено як розв’язок.
notify-kind-mention = Згадки
    .description = Хтось згадує вас через @ім’я.
notify-kind-watched = Відстежувані теми й розділи
    .description = З’явилося нове там, де ви стежите.
notify-kind-badge = Значки
    .description = Ви отримали значок.
notify-kind-escalated = Ескалації
    .description = Вам ескальовано завдання підтримки.
notify-kind-sla = Попередження SLA
    .description = Завдання підтримки ось-ось вийде за строк відповіді.
notify-kind-kb_review = Статті на перевірку
    .description = Статті бази знань потрібна увага куратора.
notify-kind-analytics = Щотижневі показники спільноти
    .description = Для адміністраторів: головні цифри минулого тижня, щопонеділка.

## Режими листів
notify-mode-instant = Одразу
notify-mode-digest = У щоденному зведенні
notify-mode-off = Не надсилати

## Рядки сповіщень (заголовки тем, імена й назви значків — текст користувачів)
notify-line-reply = { $poster } відповів(-ла) у темі «{ $title }»
notify-line-mention = { $mentioner } згадав(-ла) вас у темі «{ $title }»
notify-line-watched = Нове в темі «{ $title }»
notify-line-accepted = Вашу відповідь у темі «{ $title }» прийнято
notify-line-badge = Ви отримали значок «{ $badge }»
notify-line-badge-level = Ви отримали значок «{ $badge }» (×{ $level })
notify-line-kb-awaiting = Стаття чекає на перевірку: { $article }
notify-line-kb-unhelpful = Читачі вважають статтю некорисною: { $article }
notify-line-kb-source_changed = Джерело статті змінилося: { $article }
notify-line-escalated = Завдання №{ $id } ескальовано: «{ $title }»
notify-line-sla = Завдання №{ $id }: незабаром порушення SLA («{ $title }»)
notify-line-analytics = Тиждень спільноти в цифрах: з { $from } по { $to }
notify-line-role = Ваша роль тепер: { $role }
notify-line-active = Ваш обліковий запис знову активний
notify-line-silenced = Ви тимчасово не можете писати: { $reason }
notify-line-silenced-bare = Ви тимчасово не можете писати
notify-line-suspended = Ваш обліковий запис призупинено: { $reason }
notify-line-suspended-bare = Ваш обліковий запис призупинено
notify-line-banned = Ваш обліковий запис закрито: { $reason }
notify-line-banned-bare = Ваш обліковий запис закрито
notify-line-post-hidden = Ваш допис у темі «{ $title }» приховано після скарг учасників; його перевірить модератор
notify-line-post-approved = Ваш допис у темі «{ $title }» схвалено, тепер його видно всім
notify-line-post-restored = Ваш допис у темі «{ $title }» знову видно
notify-line-post-removed = Модератор видалив ваш допис у темі «{ $title }»: { $reason }
notify-line-post-removed-bare = Модератор видалив ваш допис у темі «{ $title }»

## Сторінка сповіщень
notify-title = Сповіщення
notify-new = { $count ->
    [one] { $count } нове
    [few] { $count } нові
   *[many] { $count } нових
}
notify-mark-read = Позначити всі як прочитані
notify-empty = Поки нічого немає.

## Налаштування сповіщень
notify-settings-title = Налаштування сповіщень
notify-settings-heading = Сповіщення
notify-settings-saved = Збережено.
notify-settings-kind = Коли
notify-settings-mail = Листи
notify-settings-boards = Розділи, за якими ви стежите
notify-settings-boards-none = Ви поки не стежите за жодним розділом.
notify-settings-threads = Теми, за якими ви стежите
notify-settings-threads-none = Поки немає: натисніть «Стежити» в темі.
notify-watch = Стежити
notify-unwatch = Не стежити

## Відписка за посиланням із листа
notify-unsubscribe-title = Відписка
notify-unsubscribe-ask = Відписатися?
notify-unsubscribe-question = Більше не надсилати листи з категорії «{ $kind }»?
notify-unsubscribe-button = Відписатися
notify-unsubscribe-done-title = Ви відписалися
notify-unsubscribe-done = Листи з категорії «{ $kind }» більше не надходитимуть.
notify-unsubscribe-settings = Змінити налаштування сповіщень
