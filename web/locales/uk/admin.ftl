# Сторінки адміністрування: зведення, учасники, розділи, журнал дій
# персоналу, налаштування сайту і правила CRM.

## Спільні для сторінок персоналу
admin-any = усі
admin-role = Роль
admin-status = Статус
admin-rank = Ранг
admin-reason = Причина
admin-filter = Застосувати
admin-none = Записів немає.
admin-pages = Сторінки
admin-page-of = Сторінка { $page } з { $pages }
admin-col-member = Учасник
admin-col-email = Ел. пошта
admin-col-posts = Дописи
admin-col-joined = Реєстрація
admin-col-last-seen = Останній візит
admin-col-when = Коли
admin-col-who = Хто
admin-col-what = Що
admin-col-on = Об’єкт
admin-col-before = Було
admin-col-after = Стало
admin-col-board = Розділ
admin-col-threads = Теми
admin-col-state = Стан
admin-col-order = Порядок

## Статус учасника
admin-status-active = активний
admin-status-silenced = лише читання
admin-status-suspended = заблокований
admin-status-banned = заблокований назавжди

## Зведення
admin-dash-title = Адміністрування
admin-dash-today = За останні 24 години:
# Після числа, виділеного жирним: «<strong>7</strong> нових учасників».
admin-dash-new-members = { $count ->
    [one] новий учасник
    [few] нові учасники
   *[many] нових учасників
}
# Після числа, виділеного жирним: «<strong>3</strong> дописи».
admin-dash-posts = { $count ->
    [one] допис
    [few] дописи
   *[many] дописів
}
admin-dash-status-active = активних: { $count }
admin-dash-status-silenced = лише читання: { $count }
admin-dash-status-suspended = заблокованих: { $count }
admin-dash-status-banned = заблокованих назавжди: { $count }
admin-dash-review = Черга перевірки
admin-dash-review-waiting = чекають на перевірку: { $count }
admin-dash-review-overdue = прострочено: { $count }
admin-dash-open-reports = відкритих скарг: { $count }
admin-dash-held-posts = затриманих дописів: { $count }
admin-dash-hidden-posts = прихованих дописів: { $count }
admin-dash-review-month = За останні 30 днів рішень: { $count }, з них схвалено (хибні тривоги): { $n }
# $value — число з одним знаком після коми, уже в цифрах сторінки.
admin-dash-report-rate = скарг на 1000 дописів: { $value }
admin-dash-mail = Пошта
admin-dash-mail-waiting = у черзі: { $count }
admin-dash-mail-sent = надіслано: { $count }
admin-dash-mail-failed = не доставлено: { $count }
admin-dash-support = Підтримка
admin-dash-sla-breaches = завдань із порушеним SLA: { $count }
admin-dash-crm-dead = не доставлено в CRM: { $count }

## Учасники
admin-members-title = Учасники
admin-members-find = Пошук учасників
admin-members-q = Ім’я або ел. пошта
admin-members-sort = Порядок
admin-members-sort-joined = спершу нові
admin-members-sort-seen = за останнім візитом
admin-members-sort-posts = за кількістю дописів
admin-members-show = Показати
admin-members-found = Знайдено: { $count }

## Учасник
admin-member-until = до
admin-member-email-pending = адресу пошти не підтверджено
admin-member-email-confirmed = адресу пошти підтверджено
admin-member-email-not-asked = адресу пошти не підтверджено (підтвердження не вимагалося)
admin-member-joined = реєстрація:
admin-member-profile = публічний профіль
admin-member-crm-contact = контакт у CRM
admin-member-reset-link = Пошту вимкнено, тож передайте учасникові це одноразове посилання (діє одну годину):
admin-member-moderation = Модерація
admin-member-trust = Довіра
admin-member-reports-received = Скарги на дописи учасника
admin-member-reports-given = Скарги, подані учасником
admin-member-addresses = Адреси, з яких учасник входив або реєструвався
admin-member-address = Адреса
admin-member-times = Скільки разів
admin-member-other-accounts = Інші облікові записи з цієї адреси
admin-member-change-role = Змінити роль
admin-member-standing = Статус
admin-member-new-standing = Новий статус
admin-member-standing-active = Активний (зняти всі обмеження)
admin-member-standing-silenced = Лише читання: може читати, але не писати
admin-member-standing-suspended = Заблокований: не може увійти
admin-member-standing-banned = Заблокований назавжди
admin-member-days = На скільки днів (порожньо — до скасування)
admin-member-standing-reason = Причина (її побачить учасник)
admin-member-apply = Застосувати
admin-member-email = Адреса електронної пошти
admin-member-email-explain = Учасник ще не відкрив посилання для підтвердження, тому поки не може писати.
admin-member-confirm-email = Підтвердити адресу
admin-member-password = Пароль
admin-member-send-reset = Надіслати посилання для скидання пароля
admin-member-erase-title = Видалення особистих даних
admin-member-erase-explain = Безповоротно видаляє ім’я, адресу пошти, пароль, сеанси, прив’язані облікові записи, налаштування, сповіщення і дані в CRM; дописи лишаються, але будуть підписані як від видаленого учасника. Скасувати це неможливо.
# Після цих слів жирним виводиться ім’я користувача.
admin-member-erase-type = Для підтвердження введіть ім’я користувача
admin-member-erase = Видалити дані
admin-member-history = Дії персоналу щодо учасника

## Журнал дій персоналу
admin-audit-title = Журнал дій персоналу
admin-audit-action = Дія
    .placeholder = member.standing
admin-audit-command-line = командний рядок
admin-audit-target-user = учасник №{ $id }
admin-audit-target-board = розділ №{ $id }
admin-audit-target-post = допис №{ $id }
admin-audit-target-setting = налаштування сайту
admin-audit-action-member-role = Зміна ролі
admin-audit-action-member-standing = Зміна статусу
admin-audit-action-member-password_reset = Посилання для скидання пароля
admin-audit-action-member-erased = Видалення особистих даних
admin-audit-action-member-email_confirmed = Адресу пошти підтвердив співробітник
admin-audit-action-member-email_changed = Учасник змінив адресу пошти (підтверджено на новій адресі)
admin-audit-action-board-create = Створення розділу
admin-audit-action-board-update = Зміна налаштувань розділу
admin-audit-action-board-move = Переміщення розділу
admin-audit-action-board-archive = Перенесення розділу в архів
admin-audit-action-board-unarchive = Повернення розділу з архіву
admin-audit-action-setting-set = Зміна налаштування сайту
admin-audit-action-setting-clear = Повернення налаштування до значення з файлу
admin-audit-action-review-approve = Перевірка: схвалено
admin-audit-action-review-reject = Перевірка: відхилено
admin-audit-action-review-reject_and_silence = Перевірка: відхилено, автора переведено в режим «лише читання»
admin-audit-action-review-delete_spam = Перевірка: видалено як спам, автора заблоковано
admin-audit-value-mailed = надіслано учасникові поштою
admin-audit-value-link-shown = посилання показано співробітникові
admin-audit-value-confirmed = підтверджено
admin-audit-value-unconfirmed = не підтверджено
admin-audit-value-erased = видалено
admin-audit-value-approved = схвалено

## Розділи
admin-boards-title = Розділи
admin-boards-intro = У тому порядку, в якому їх бачать учасники. Архівні розділи доступні лише для читання і не показуються в списку розділів; їхні теми й далі можна читати.
admin-boards-move-up = Перемістити розділ «{ $name }» вище
admin-boards-move-down = Перемістити розділ «{ $name }» нижче
admin-boards-up = Вище
admin-boards-down = Нижче
admin-boards-new = Новий розділ
admin-boards-create = Створити розділ
admin-boards-audit = Зміни розділів у журналі
admin-board-who-sees = Хто бачить
admin-board-who-starts = Хто створює теми
admin-board-crm = Завдання CRM
admin-board-crm-field = Завдання CRM для нових тем
admin-board-premod = Премодерація
admin-board-see-customer = усі
admin-board-see-agent = агенти й вище
admin-board-see-moderator = модератори й адміністратори
admin-board-see-admin = адміністратори
admin-board-start-everyone = усі
admin-board-start-everyone-option = усі, хто бачить розділ
admin-board-start-rank-option = учасники від певного рангу
admin-board-start-rank-of = ранг «{ $rank }» і вище
admin-board-start-staff = персонал
admin-board-crm-rules = за правилами CRM
admin-board-crm-on = створюються
admin-board-crm-off = не створюються
admin-board-premod-none = немає
admin-board-premod-new_members = перші дописи нових учасників
admin-board-premod-all = усі дописи
admin-board-archived = в архіві
admin-board-open = відкритий
admin-board-slug = Адреса
    .placeholder = how-to
admin-board-slug-hint = малі латинські літери, цифри й дефіси; згодом змінити не можна
admin-board-name = Назва
admin-board-description = Опис
admin-board-rank = Ранг (для варіанта «учасники від певного рангу»)
admin-board-position = позиція { $n }
admin-board-archived-note = лише читання, не показується в списку розділів
admin-board-view = розділ на сайті
admin-board-all = усі розділи
admin-board-settings = Налаштування
admin-board-archive-title = Архів
admin-board-archive-explain = В архівному розділі не можна створювати теми й відповідати, і він зникає зі списку розділів; його теми лишаються доступними за своїми адресами.
admin-board-archive = Перенести в архів
admin-board-unarchive = Повернути розділ з архіву
admin-board-history = Зміни розділу

## Адміністрування CRM
admin-crm-title = Адміністрування CRM
admin-crm-heading = CRM
admin-crm-connector = Конектор: { $name }
admin-crm-connector-none = Конектор: лише вбудована CRM
admin-crm-pending = чекають на доставку: { $count }
admin-crm-dead-count = не доставлено: { $count }
admin-crm-rules = Правила
admin-crm-task-categories = Розділи, теми яких стають завданнями
admin-crm-no-response-hours = Ескалювати, якщо немає ні прийнятої відповіді, ні відповіді агента, через (годин; 0 — не ескалювати)
admin-crm-keywords = Ключові слова для ескалації
admin-crm-vip-segments = VIP-сегменти (ескалація одразу)
admin-crm-manual-escalation = Модератори й агенти можуть ескалювати вручну
admin-crm-default-priority = Пріоритет за замовчуванням
admin-crm-escalated-priority = Пріоритет після ескалації
admin-crm-vip-priority = Пріоритет для VIP
admin-crm-segments = Сегменти контактів
admin-crm-lifecycle = Етапи життєвого циклу
admin-crm-sla = Строки за SLA
admin-crm-sla-first = Перша відповідь (годин)
admin-crm-sla-resolution = Розв’язання (годин)
admin-crm-sla-first-for = Перша відповідь за пріоритету «{ $priority }», у годинах
admin-crm-sla-resolution-for = Розв’язання за пріоритету «{ $priority }», у годинах
admin-crm-warn-before = Попереджати заздалегідь (хвилин)
admin-crm-save = Зберегти правила
admin-crm-dead = Недоставлені
admin-crm-no-dead = Остаточно недоставлених немає.
admin-crm-replay-all = Надіслати всі повторно
admin-crm-replay = Надіслати повторно
admin-crm-replay-one = Надіслати повторно доставку №{ $id }
admin-crm-col-task = Завдання
admin-crm-col-kind = Тип
admin-crm-col-attempts = Спроби
admin-crm-col-error = Остання помилка
admin-crm-col-action = Дія
admin-crm-kind-sync = оновлення завдання
admin-crm-kind-comment = коментар

## Налаштування сайту
admin-settings-title = Налаштування сайту
admin-settings-intro = Ці налаштування набувають чинності на всіх вузлах за кілька секунд, без перезапуску. Якщо налаштування тут не задано, діє значення з файлу конфігурації (або зі змінних середовища).
admin-settings-admins-only = Змінювати їх можуть лише адміністратори.
admin-settings-col-setting = Налаштування
admin-settings-col-value = Значення
admin-settings-col-source = Джерело
admin-settings-rate-limit = { $key }: скільки запитів дозволено
admin-settings-rate-period = { $key }: період у секундах
# Між двома полями обмеження: «[10] за [60] с».
admin-settings-per = за
admin-settings-seconds = с
admin-settings-rate = { $limit } за { $seconds } с
admin-settings-source-here = задано тут (у файлі: { $value })
admin-settings-source-file = файл
admin-settings-reset = Повернути { $key } до значення з файлу
admin-settings-yes = так
admin-settings-no = ні
admin-settings-empty = (порожньо)
admin-settings-registration-open = відкрита: зареєструватися може будь-хто
admin-settings-registration-invite_only = лише за запрошеннями
admin-settings-registration-sso_only = лише через єдиний вхід

## Налаштування сайту: групи (.save — кнопка групи)
setting-group-site = Сайт
    .save = Зберегти налаштування сайту
setting-group-registration = Реєстрація
    .save = Зберегти налаштування реєстрації
setting-group-mail = Пошта
    .save = Зберегти налаштування пошти
setting-group-rate_limits = Обмеження частоти запитів
    .save = Зберегти обмеження
setting-group-moderation = Модерація
    .save = Зберегти налаштування модерації

## Налаштування сайту: що робить кожне (ключ, крапки замінено дефісами)
setting-site_name = Показується в шапці й заголовку кожної сторінки, а також у листах.
setting-default_language = Мова інтерфейсу для відвідувачів, браузер яких не запитує жодної з мов en, ru, uk, fa.
setting-registration-mode = Хто може створити обліковий запис із паролем: будь-хто, ніхто (лише за запрошеннями) або ніхто (облікові записи створюються лише через єдиний вхід).
setting-mail-from = Відправник усіх листів, наприклад Acme Community <community@example.com>.
setting-rate_limits-register_per_address = Реєстрацій з однієї мережевої адреси за період (0 — без обмеження).
setting-rate_limits-register_per_address_per_day = Реєстрацій з однієї мережевої адреси за довший період, зазвичай добу (0 — без обмеження).
setting-rate_limits-password_forgot_per_address = Запитів на скидання пароля з однієї адреси за період (0 — без обмеження).
setting-rate_limits-sso_start_per_address = Спроб єдиного входу з однієї адреси за період (0 — без обмеження).
setting-rate_limits-search_per_address = Пошукових запитів з однієї адреси за період (0 — без обмеження).
setting-rate_limits-suggest_per_address = Запитів підказок під час створення запитання з однієї адреси за період (0 — без обмеження).
setting-rate_limits-thread_per_address = Нових тем з однієї адреси за період (0 — без обмеження).
setting-rate_limits-thread_per_account = Нових тем від одного облікового запису за період (0 — без обмеження).
setting-rate_limits-reply_per_address = Відповідей з однієї адреси за період (0 — без обмеження).
setting-rate_limits-reply_per_account = Відповідей від одного облікового запису за період (0 — без обмеження).
setting-rate_limits-confirm_resend_per_address = Запитів на повторний лист із підтвердженням з однієї адреси за період (0 — без обмеження).
setting-rate_limits-confirm_resend_per_account = Запитів на повторний лист із підтвердженням від одного облікового запису за період (0 — без обмеження).
setting-moderation-review_sla_hours = Відкриті елементи черги перевірки, старші за стільки годин, вважаються простроченими.
setting-moderation-flags-min_trust = Найнижчий рівень довіри, з яким учасник може скаржитися на дописи.
setting-moderation-flags-daily_allowance = Скільки скарг учасник може подати за добу.
setting-moderation-flags-hide_threshold = Допис приховується до перевірки, коли сумарна вага скарг на нього сягає цього значення.
setting-moderation-flags-member_weight = Вага скарги звичайного учасника.
setting-moderation-flags-leader_weight = Вага скарги лідера спільноти або співробітника.
setting-moderation-new_members-enabled = Чи діють обмеження для нових учасників, наведені нижче.
setting-moderation-new_members-max_links = Скільки посилань може містити допис нового учасника.
setting-moderation-new_members-max_mentions = Скільки згадок може містити допис нового учасника.
setting-moderation-new_members-max_topics_first_day = Скільки тем новий учасник може створити першого дня.
setting-moderation-new_members-max_replies_first_day = Скільки відповідей новий учасник може написати першого дня.
setting-moderation-new_members-min_seconds_between_posts = Скільки секунд новий учасник чекає між двома дописами (0 — без очікування).
setting-moderation-new_members-duplicate_window_secs = Той самий текст, надісланий двічі впродовж стількох секунд, відхиляється (0 — ніколи).
setting-moderation-spam-enabled = Чи оцінювати дописи нових учасників на спам.
setting-moderation-spam-hold_at = Допис нового учасника з такою оцінкою спаму або вищою (зі 100) затримується.
setting-moderation-spam-min_training_docs = Скільки рішень кожного виду класифікатор має вивчити, перш ніж виносити оцінки.
setting-moderation-trust-new_member_days = Обліковий запис, молодший за стільки днів, вважається новим…
setting-moderation-trust-trusted_after_posts = …як і обліковий запис, у якого менше видимих дописів, ніж тут зазначено…
setting-moderation-trust-trusted_min_points = …хіба що його репутація сягнула стількох балів.
setting-moderation-trust-sso_is_trusted = Обліковий запис єдиного входу є порукою за учасника.
setting-moderation-trust-crm_company_is_trusted = Контакт у CRM з відомою компанією є порукою за учасника.
setting-moderation-trust-leader_rank = Учасники з цим рангом і вище вважаються лідерами спільноти (порожньо — ніхто).
