# Форум: розділи, теми, дописи, запитання, редагування, історія змін, пошук
# і профілі учасників.

## Спільне для сторінок форуму
forum-by = автор:
forum-pages = Сторінки
forum-page-of = Сторінка { $page } з { $pages }

## Стани теми (у пошуку статті бази знань — «published»)
thread-status-open = Відкрита
thread-status-answered = Є відповіді
thread-status-solved = Розв’язана
thread-status-locked = Закрита
thread-status-published = Стаття бази знань

## Порядок тем у розділі
thread-sort-latest = Нові
thread-sort-unanswered = Без відповіді
thread-sort-solved = Розв’язані
thread-sort-top = Популярні

## Розділ (category.html)
category-archived = Розділ в архіві: теми можна читати, але нові теми й відповіді не приймаються.
category-ask-here = Поставити запитання в цьому розділі
category-sort = Порядок тем
category-empty = Тут поки немає тем.

## Тема (thread.html)
thread-duplicate-of = Позначено як дублікат теми
thread-in-kb = Ця відповідь є в базі знань:
thread-in-kb-link = читати статтю
thread-staff-answered = Відповіла служба підтримки.
thread-community-solved = Розв’язано спільнотою. Автор відповіді:
thread-held = Ваш допис збережено, і він чекає на перевірку модератором, перш ніж його побачать інші. Ми повідомимо вас про рішення.
thread-reported = Дякуємо: модератори отримали вашу скаргу.
thread-solution = Розв’язок
thread-solution-by = Прийнята відповідь від
thread-solution-jump = Перейти до прийнятого розв’язку
thread-pager-earlier = Раніше
thread-pager-later = Пізніше
thread-archived = Розділ в архіві: його теми доступні лише для читання.
thread-locked = Цю тему закрито.
thread-reply-label = Ваша відповідь (Markdown)
thread-reply-button = Відповісти
thread-sign-in-to-reply = Увійдіть, щоб відповісти
thread-kb-article = Стаття бази знань ({ $status })
thread-kb-status-draft = чернетка
thread-kb-status-review = на перевірці
thread-kb-status-published = опублікована
thread-kb-status-archived = в архіві
thread-promote = Перенести до бази знань
thread-watch = Стежити за темою
thread-unwatch = Не стежити
thread-support-task = Звернення до підтримки №{ $id } ({ $status })
thread-task-status-new = нове
thread-task-status-open = відкрите
thread-task-status-pending = очікує
thread-task-status-escalated = передане вище
thread-task-status-resolved = розв’язане
thread-task-status-closed = закрите
thread-escalate = Передати до підтримки
thread-move-to = Перенести до розділу
thread-move = Перенести
thread-duplicate-field = Дублікат теми
    .placeholder = номер
thread-mark-duplicate = Позначити як дублікат
thread-lock = Закрити тему
thread-unlock = Відкрити тему

## Допис (post.html)
post-official = Офіційно · { $role }
post-edited = змінено
post-accepted = Прийнятий розв’язок
post-review-held = чекає на перевірку
post-review-hidden = приховано до перевірки
post-review-removed = вилучено модератором
post-deleted = вилучено
post-hidden-body = Цей допис приховано, поки його перевіряє модератор.
post-kudos = { $count ->
    [one] { $count } подяка
    [few] { $count } подяки
   *[many] { $count } подяк
}
post-kudo-give = Подякувати
    .aria-label = { $count ->
        [one] Подякувати (зараз { $count } подяка)
        [few] Подякувати (зараз { $count } подяки)
       *[many] Подякувати (зараз { $count } подяк)
    }
post-kudo-withdraw = Скасувати подяку
    .aria-label = { $count ->
        [one] Скасувати подяку (зараз { $count } подяка)
        [few] Скасувати подяку (зараз { $count } подяки)
       *[many] Скасувати подяку (зараз { $count } подяк)
    }
post-accept = Прийняти як розв’язок
post-report = Поскаржитися
post-report-why = Чому модераторам варто поглянути на цей допис?
post-report-spam = Спам або реклама
post-report-abusive = Образи або ворожнеча
post-report-off_topic = Не на тему
post-report-needs_staff = Потрібна увага працівників
post-report-other = Інше
post-report-note = Примітка для модераторів (необов’язково)
post-report-send = Надіслати скаргу

## Запитання (ask.html)
ask-find-similar = Знайти схожі запитання
ask-already-answered = Вже є відповідь?
ask-body = Подробиці (Markdown)
ask-tags = Мітки (через кому)
ask-submit = Опублікувати запитання

## Редагування допису та історія змін
edit-title = Редагування допису
edit-body = Текст (Markdown)
history-title = Історія змін
history-back = Повернутися до допису
history-version = Версія { $number }
history-none = Цей допис не редагували.

## Пошук (search.html); підказки — синтаксис пошуку: "…", tag:, category:
## та is:solved не перекладаються, перекладаються слова прикладів.
search-form = Пошук у спільноті
search-submit = Знайти
search-tip = Підказка:
search-tip-phrase = "точна фраза"
search-tip-tag = tag:оплата
search-tip-category = category:support
search-tip-solved = is:solved
search-filters = Фільтри
search-clear = Скинути фільтри
search-boards = Розділи
search-status = Стан
search-tags = Мітки
search-kind = Тип
search-kind-threads = Теми
search-kind-idea = Ідея
search-kind-ideas = Ідеї
search-kind-articles = Статті
search-results = Результати
search-prompt = Введіть запитання, фразу або мітку.
search-widened-any = Жоден результат не містить усіх цих слів; показано результати з будь-яким із них.
search-widened-near = Саме таких слів не знайшлося; показано результати зі схожим написанням.
search-none = За вашим запитом нічого не знайдено.
search-ask = Запитати спільноту
search-from-thread = З теми спільноти

## Профіль учасника (profile.html)
profile-joined = реєстрація:
profile-questions = Запитання
profile-replies = Відповіді
profile-accepted = Прийняті відповіді
profile-kudos = Отримано подяк
profile-badges = Значки
profile-no-badges = Значків поки немає.
profile-none-yet = Поки немає.
profile-recent = Нещодавні запитання

## The composer's character count (server text, then hearth.js)
compose-limit = Не більше { $max } символів.
compose-too-long = Задовго для надсилання: скоротіть текст (він залишиться тут).
compose-preview = Попередній перегляд
compose-attach = Прикріпити файл
compose-uploading = Завантаження…
compose-upload-failed = Не вдалося завантажити файл.
compose-draft-saved = Чернетку збережено
post-quote = Цитувати
post-quote-wrote = написав(-ла)
search-instant = Швидкі результати
compose-mention-list = Кого згадати
compose-mentions = Учасників у підказці: { $count }

## Власні налаштування учасника (/settings/profile)
profile-settings-title = Ваш профіль
profile-settings-view = Відкрити публічний профіль
profile-settings-saved = Профіль збережено.
profile-settings-profile = Профіль
profile-settings-avatar = Ваше зображення. Якщо його немає, малюються ваші ініціали.
profile-settings-avatar-choose = Завантажити зображення
profile-settings-avatar-hint = PNG, JPEG, GIF або WebP; середина обрізається до квадрата.
profile-settings-avatar-remove = Показувати мої ініціали
profile-settings-avatar-saved = Зображення збережено.
profile-settings-save = Зберегти профіль
profile-settings-password = Пароль
profile-settings-password-changed = Пароль змінено; інші сеанси завершено.
profile-settings-password-hint = Щонайменше 8 символів. Після зміни ви вийдете на всіх інших пристроях.
profile-settings-password-save = Змінити пароль
profile-bio = Про себе
profile-settings-email-current = Ваша адреса зараз:
profile-settings-email-save = Надіслати посилання для підтвердження
profile-settings-email-sent = Ми надіслали посилання на нову адресу. Адреса зміниться, коли ви його відкриєте.
profile-settings-time-zone-none = Не вибрано (UTC)
profile-settings-time-zone-hint = Дати й час на сторінках показуються в цьому поясі.
profile-settings-time-zone-detected = Вибрано часовий пояс вашого браузера. Збережіть профіль, щоб залишити його.
profile-activity = Активність
