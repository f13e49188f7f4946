# Спільні рядки: рамка сторінки, навігація, час, лічильники, помилки.

-brand-fallback = Hearth

## Рамка сторінки (base.html)
skip-to-content = Перейти до вмісту
nav-main = Головне меню
nav-home = Головна
nav-kb = База знань
nav-ideas = Ідеї
nav-leaders = Лідери
nav-ask = Поставити запитання
nav-agent = Консоль агента
nav-admin = Адміністрування
nav-settings = Налаштування
nav-sign-in = Увійти
nav-join = Реєстрація
nav-sign-out = Вийти
nav-menu = Меню
nav-notifications = Сповіщення
notifications-unread = { $count ->
    [0] Сповіщення, непрочитаних немає
    [one] Сповіщення, { $count } непрочитане
    [few] Сповіщення, { $count } непрочитані
   *[many] Сповіщення, { $count } непрочитаних
}
search-label = Пошук
search-placeholder = Пошук у спільноті
search-open = Відкрити пошук
footer-powered = Працює на Hearth
footer-language = Мова
footer-language-apply = Змінити мову

## Відносний і абсолютний час
time-just-now = щойно
time-minutes-ago = { $count ->
    [one] { $count } хвилину тому
    [few] { $count } хвилини тому
   *[many] { $count } хвилин тому
}
time-hours-ago = { $count ->
    [one] { $count } годину тому
    [few] { $count } години тому
   *[many] { $count } годин тому
}
time-days-ago = { $count ->
    [one] { $count } день тому
    [few] { $count } дні тому
   *[many] { $count } днів тому
}
time-months-ago = { $count ->
    [one] { $count } місяць тому
    [few] { $count } місяці тому
   *[many] { $count } місяців тому
}
time-years-ago = { $count ->
    [one] { $count } рік тому
    [few] { $count } роки тому
   *[many] { $count } років тому
}

## Лічильники
count-replies = { $count ->
    [one] { $count } відповідь
    [few] { $count } відповіді
   *[many] { $count } відповідей
}
count-views = { $count ->
    [one] { $count } перегляд
    [few] { $count } перегляди
   *[many] { $count } переглядів
}
count-votes = { $count ->
    [one] { $count } голос
    [few] { $count } голоси
   *[many] { $count } голосів
}
count-members = { $count ->
    [one] { $count } учасник
    [few] { $count } учасники
   *[many] { $count } учасників
}
count-threads = { $count ->
    [one] { $count } тема
    [few] { $count } теми
   *[many] { $count } тем
}
count-posts = { $count ->
    [one] { $count } допис
    [few] { $count } дописи
   *[many] { $count } дописів
}
count-points = { $count ->
    [one] { $count } бал
    [few] { $count } бали
   *[many] { $count } балів
}
count-results = { $count ->
    [one] { $count } результат
    [few] { $count } результати
   *[many] { $count } результатів
}

## Ролі
role-customer = Клієнт
role-agent = Агент підтримки
role-moderator = Модератор
role-admin = Адміністратор

## Гортання і спільні дії
pager-newer = Новіші
pager-older = Старіші
pager-previous = Назад
pager-next = Далі
action-save = Зберегти
action-cancel = Скасувати
action-delete = Видалити
action-edit = Змінити
action-submit = Надіслати
action-back = Назад

## Сторінки помилок
error-title-401 = Будь ласка, увійдіть
error-title-403 = Немає доступу
error-title-404 = Не знайдено
error-title-413 = Завеликий обсяг
error-title-422 = Перевірте введені дані
error-title-429 = Не так швидко
error-title-503 = Сервер зайнятий
error-title-500 = Щось пішло не так
error-home = На головну
error-sign-in = Увійти
error-new-confirmation = Надіслати нове посилання для підтвердження
error-validation_failed = Перевірте поле «{ $field }».
error-not_found = Ми не знайшли цю сторінку чи запис.
error-unauthenticated = Щоб зробити це, увійдіть.
error-forbidden = Ви не маєте права на цю дію.
error-conflict = Це суперечить наявним даним, або їх тим часом змінили. Оновіть сторінку й спробуйте ще раз.
error-bad_credentials = Неправильне ім’я користувача або пароль.
error-busy = Сайт зайнятий. Спробуйте ще раз за хвилину.
error-unavailable = Потрібна для цього служба не відповідає. Спробуйте ще раз за хвилину.
error-rate_limited = { $seconds ->
    [one] Забагато запитів. Спробуйте знову за { $seconds } секунду.
    [few] Забагато запитів. Спробуйте знову за { $seconds } секунди.
   *[many] Забагато запитів. Спробуйте знову за { $seconds } секунд.
}
error-suspended = Цей обліковий запис заблоковано.
error-silenced = Наразі ви не можете публікувати дописи.
error-email_unconfirmed = Підтвердьте адресу електронної пошти, перш ніж писати: відкрийте посилання з нашого листа або попросіть нове.
error-internal = На нашому боці щось пішло не так; помилку записано в журнал.
error-csrf = Термін дії форми минув. Поверніться, оновіть сторінку й спробуйте ще раз.
error-payload_too_large = Надіслані дані завеликі.
error-generic = Не вдалося виконати запит.
error-reason = Причина: { $reason }

## Назви полів для «перевірте …»
field-title = Заголовок
field-body = Текст
field-file = Файл
field-username = Ім’я користувача
field-email = Адреса електронної пошти
field-password = Пароль
field-display_name = Ім’я для показу
field-language = Мова
field-reason = Причина
field-tags = Мітки
field-slug = Адреса (slug)
field-description = Опис
field-category = Розділ
field-q = Слова для пошуку
field-note = Нотатка
field-subject = Тема
field-token = Посилання
field-value = Значення
field-article = Стаття
field-confirm = Підтвердження
field-decision = Рішення
field-duplicate_of = Початкова тема
field-of = Початкова тема
field-for_days = Кількість днів
field-days = Кількість днів
field-ids = Записи
field-id = Запис
field-key = Налаштування
field-kind = Тип
field-lifecycle = Етап життєвого циклу
field-segment = Сегмент
field-owner_id = Виконавець
field-owner = Виконавець
field-page = Сторінка
field-per_page = Записів на сторінці
field-offset = Зсув
field-limit = Ліміт
field-post = Допис
field-thread = Тема
field-role = Роль
field-s = Посилання
field-settings = Налаштування
field-sort = Сортування
field-start_threads = Хто може створювати теми
field-see_min_role = Хто бачить
field-status = Статус
field-state = Стан
field-premoderation = Премодерація
field-crm_tasks = Завдання CRM
field-rank = Ранг
field-period = Період
field-mode = Доставка
field-notes = Нотатки
field-remind_at = Час нагадування
field-in_hours = Через скільки годин
field-due_within_hours = Термін (у годинах)
field-priority = Пріоритет
field-name = Назва
field-path = Адреса
field-query = Рядок запиту
field-target = Що відстежувати
field-line = Рядок
field-ask_id = Сеанс запитання
field-rules = Правила
field-reputation = Репутація
field-crm = CRM
field-crm-connector = Конектор CRM
field-escalated = Ескалація
field-account = Обліковий запис
field-badge = Значок
field-reply = Відповідь
field-bio = Про себе
field-from = Перший день
field-to = Останній день
field-range = Період
field-avatar = Зображення
field-current_password = Поточний пароль
field-new_password = Новий пароль
field-new_email = Нова адреса електронної пошти
field-time_zone = Часовий пояс
field-idempotency_key = Ключ ідемпотентності
