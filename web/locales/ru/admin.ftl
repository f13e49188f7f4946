# Страницы администрирования: сводка, участники, разделы, журнал действий
# персонала, настройки сайта и правила CRM.

## Общие для страниц персонала
admin-any = все
admin-role = Роль
admin-status = Статус
admin-rank = Ранг
admin-reason = Причина
admin-filter = Применить
admin-none = Записей нет.
admin-pages = Страницы
admin-page-of = Страница { $page } из { $pages }
admin-col-member = Участник
admin-col-email = Эл. почта
admin-col-posts = Сообщения
admin-col-joined = Регистрация
admin-col-last-seen = Последний визит
admin-col-when = Когда
admin-col-who = Кто
admin-col-what = Что
admin-col-on = Объект
admin-col-before = Было
admin-col-after = Стало
admin-col-board = Раздел
admin-col-threads = Темы
admin-col-state = Состояние
admin-col-order = Порядок

## Статус участника
admin-status-active = активен
admin-status-silenced = только чтение
admin-status-suspended = заблокирован
admin-status-banned = заблокирован навсегда

## Сводка
admin-dash-title = Администрирование
admin-dash-today = За последние 24 часа:
# После числа, выделенного жирным: «<strong>7</strong> новых участников».
admin-dash-new-members = { $count ->
    [one] новый участник
    [few] новых участника
   *[many] новых участников
}
# После числа, выделенного жирным: «<strong>3</strong> сообщения».
admin-dash-posts = { $count ->
    [one] сообщение
    [few] сообщения
   *[many] сообщений
}
admin-dash-status-active = активных: { $count }
admin-dash-status-silenced = только чтение: { $count }
admin-dash-status-suspended = заблокированных: { $count }
admin-dash-status-banned = заблокированных навсегда: { $count }
admin-dash-review = Очередь проверки
admin-dash-review-waiting = ждут проверки: { $count }
admin-dash-review-overdue = просрочено: { $count }
admin-dash-open-reports = открытых жалоб: { $count }
admin-dash-held-posts = задержанных сообщений: { $count }
admin-dash-hidden-posts = скрытых сообщений: { $count }
admin-dash-review-month = За последние 30 дней решений: { $count }, из них одобрено (ложные тревоги): { $n }
# $value — число с одним знаком после запятой, уже в цифрах страницы.
admin-dash-report-rate = жалоб на 1000 сообщений: { $value }
admin-dash-mail = Почта
admin-dash-mail-waiting = в очереди: { $count }
admin-dash-mail-sent = отправлено: { $count }
admin-dash-mail-failed = не доставлено: { $count }
admin-dash-support = Поддержка
admin-dash-sla-breaches = задач с нарушенным SLA: { $count }
admin-dash-crm-dead = не доставлено в CRM: { $count }

## Участники
admin-members-title = Участники
admin-members-find = Поиск участников
admin-members-q = Имя или эл. почта
admin-members-sort = Порядок
admin-members-sort-joined = сначала новые
admin-members-sort-seen = по последнему визиту
admin-members-sort-posts = по числу сообщений
admin-members-show = Показать
admin-members-found = Найдено: { $count }

## Участник
admin-member-until = до
admin-member-email-pending = адрес почты не подтверждён
admin-member-email-confirmed = адрес почты подтверждён
admin-member-email-not-asked = адрес почты не подтверждён (подтверждение не требовалось)
admin-member-joined = регистрация:
admin-member-profile = публичный профиль
admin-member-crm-contact = контакт в CRM
admin-member-reset-link = Почта отключена, поэтому передайте участнику эту одноразовую ссылку (действует один час):
admin-member-moderation = Модерация
admin-member-trust = Доверие
admin-member-reports-received = Жалобы на сообщения участника
admin-member-reports-given = Жалобы, поданные участником
admin-member-addresses = Адреса, с которых участник входил или регистрировался
admin-member-address = Адрес
admin-member-times = Сколько раз
admin-member-other-accounts = Другие учётные записи с этого адреса
admin-member-change-role = Сменить роль
admin-member-standing = Статус
admin-member-new-standing = Новый статус
admin-member-standing-active = Активен (снять все ограничения)
admin-member-standing-silenced = Только чтение: может читать, но не писать
admin-member-standing-suspended = Заблокирован: не может войти
admin-member-standing-banned = Заблокирован навсегда
admin-member-days = На сколько дней (пусто — до отмены)
admin-member-standing-reason = Причина (её увидит участник)
admin-member-apply = Применить
admin-member-email = Адрес электронной почты
admin-member-email-explain = Участник ещё не открыл ссылку для подтверждения, поэтому пока не может писать.
admin-member-confirm-email = Подтвердить адрес
admin-member-password = Пароль
admin-member-send-reset = Отправить ссылку для сброса пароля
admin-member-erase-title = Удаление личных данных
admin-member-erase-explain = Безвозвратно удаляет имя, адрес почты, пароль, сеансы, привязанные учётные записи, настройки, уведомления и данные в CRM; сообщения остаются, но будут подписаны как от удалённого участника. Отменить это нельзя.
# После этих слов жирным выводится имя пользователя.
admin-member-erase-type = Для подтверждения введите имя пользователя
admin-member-erase = Удалить данные
admin-member-history = Действия персонала в отношении участника

## Журнал действий персонала
admin-audit-title = Журнал действий персонала
admin-audit-action = Действие
    .placeholder = member.standing
admin-audit-command-line = командная строка
admin-audit-target-user = участник №{ $id }
admin-audit-target-board = раздел №{ $id }
admin-audit-target-post = сообщение №{ $id }
admin-audit-target-setting = настройки сайта
admin-audit-action-member-role = Смена роли
admin-audit-action-member-standing = Смена статуса
admin-audit-action-member-password_reset = Ссылка для сброса пароля
admin-audit-action-member-erased = Удаление личных данных
admin-audit-action-member-email_confirmed = Адрес почты подтверждён сотрудником
admin-audit-action-member-email_changed = Участник сменил адрес почты (подтверждён по новому адресу)
admin-audit-action-board-create = Создание раздела
admin-audit-action-board-update = Изменение настроек раздела
admin-audit-action-board-move = Перемещение раздела
admin-audit-action-board-archive = Перенос раздела в архив
admin-audit-action-board-unarchive = Возврат раздела из архива
admin-audit-action-setting-set = Изменение настройки сайта
admin-audit-action-setting-clear = Возврат настройки к значению из файла
admin-audit-action-review-approve = Проверка: одобрено
admin-audit-action-review-reject = Проверка: отклонено
admin-audit-action-review-reject_and_silence = Проверка: отклонено, автор переведён в режим «только чтение»
admin-audit-action-review-delete_spam = Проверка: удалено как спам, автор заблокирован
admin-audit-value-mailed = отправлена участнику по почте
admin-audit-value-link-shown = ссылка показана сотруднику
admin-audit-value-confirmed = подтверждён
admin-audit-value-unconfirmed = не подтверждён
admin-audit-value-erased = удалены
admin-audit-value-approved = одобрено

## Разделы
admin-boards-title = Разделы
admin-boards-intro = В том порядке, в каком их видят участники. Архивные разделы доступны только для чтения и не показываются в списке разделов; их темы по-прежнему можно читать.
admin-boards-move-up = Переместить раздел «{ $name }» выше
admin-boards-move-down = Переместить раздел «{ $name }» ниже
admin-boards-up = Выше
admin-boards-down = Ниже
admin-boards-new = Новый раздел
admin-boards-create = Создать раздел
admin-boards-audit = Изменения разделов в журнале
admin-board-who-sees = Кто видит
admin-board-who-starts = Кто создаёт темы
admin-board-crm = Задачи CRM
admin-board-crm-field = Задачи CRM для новых тем
admin-board-premod = Премодерация
admin-board-see-customer = все
admin-board-see-agent = агенты и выше
admin-board-see-moderator = модераторы и администраторы
admin-board-see-admin = администраторы
admin-board-start-everyone = все
admin-board-start-everyone-option = все, кто видит раздел
admin-board-start-rank-option = участники с определённого ранга
admin-board-start-rank-of = ранг «{ $rank }» и выше
admin-board-start-staff = сотрудники
admin-board-crm-rules = по правилам CRM
admin-board-crm-on = создаются
admin-board-crm-off = не создаются
admin-board-premod-none = нет
admin-board-premod-new_members = первые сообщения новых участников
admin-board-premod-all = все сообщения
admin-board-archived = в архиве
admin-board-open = открыт
admin-board-slug = Адрес
    .placeholder = how-to
admin-board-slug-hint = строчные латинские буквы, цифры и дефисы; потом изменить нельзя
admin-board-name = Название
admin-board-description = Описание
admin-board-rank = Ранг (для варианта «участники с определённого ранга»)
admin-board-position = позиция { $n }
admin-board-archived-note = только чтение, не показывается в списке разделов
admin-board-view = раздел на сайте
admin-board-all = все разделы
admin-board-settings = Настройки
admin-board-archive-title = Архив
admin-board-archive-explain = В архивном разделе нельзя создавать темы и отвечать, и он исчезает из списка разделов; его темы остаются доступны по своим адресам.
admin-board-archive = Перенести в архив
admin-board-unarchive = Вернуть раздел из архива
admin-board-history = Изменения раздела

## Администрирование CRM
admin-crm-title = Администрирование CRM
admin-crm-heading = CRM
admin-crm-connector = Коннектор: { $name }
admin-crm-connector-none = Коннектор: только встроенная CRM
admin-crm-pending = ожидают доставки: { $count }
admin-crm-dead-count = не доставлено: { $count }
admin-crm-rules = Правила
admin-crm-task-categories = Разделы, темы которых становятся задачами
admin-crm-no-response-hours = Эскалировать, если нет ни принятого ответа, ни ответа агента, через (часов; 0 — не эскалировать)
admin-crm-keywords = Ключевые слова для эскалации
admin-crm-vip-segments = VIP-сегменты (эскалация сразу)
admin-crm-manual-escalation = Модераторы и агенты могут эскалировать вручную
admin-crm-default-priority = Приоритет по умолчанию
admin-crm-escalated-priority = Приоритет после эскалации
admin-crm-vip-priority = Приоритет для VIP
admin-crm-segments = Сегменты контактов
admin-crm-lifecycle = Этапы жизненного цикла
admin-crm-sla = Сроки по SLA
admin-crm-sla-first = Первый ответ (часов)
admin-crm-sla-resolution = Решение (часов)
admin-crm-sla-first-for = Первый ответ при приоритете «{ $priority }», в часах
admin-crm-sla-resolution-for = Решение при приоритете «{ $priority }», в часах
admin-crm-warn-before = Предупреждать заранее (минут)
admin-crm-save = Сохранить правила
admin-crm-dead = Недоставленные
admin-crm-no-dead = Окончательно недоставленных нет.
admin-crm-replay-all = Отправить все повторно
admin-crm-replay = Отправить повторно
admin-crm-replay-one = Отправить повторно доставку №{ $id }
admin-crm-col-task = Задача
admin-crm-col-kind = Тип
admin-crm-col-attempts = Попытки
admin-crm-col-error = Последняя ошибка
admin-crm-col-action = Действие
admin-crm-kind-sync = обновление задачи
admin-crm-kind-comment = комментарий

## Настройки сайта
admin-settings-title = Настройки сайта
admin-settings-intro = Эти настройки вступают в силу на всех узлах за несколько секунд, без перезапуска. Если настройка здесь не задана, действует значение из файла конфигурации (или из переменных окружения).
admin-settings-admins-only = Изменять их могут только администраторы.
admin-settings-col-setting = Настройка
admin-settings-col-value = Значение
admin-settings-col-source = Источник
admin-settings-rate-limit = { $key }: сколько запросов разрешено
admin-settings-rate-period = { $key }: период в секундах
# Между двумя полями ограничения: «[10] за [60] с».
admin-settings-per = за
admin-settings-seconds = с
admin-settings-rate = { $limit } за { $seconds } с
admin-settings-source-here = задано здесь (в файле: { $value })
admin-settings-source-file = файл
admin-settings-reset = Вернуть { $key } к значению из файла
admin-settings-yes = да
admin-settings-no = нет
admin-settings-empty = (пусто)
admin-settings-registration-open = открыта: зарегистрироваться может любой
admin-settings-registration-invite_only = только по приглашениям
admin-settings-registration-sso_only = только через единый вход

## Настройки сайта: группы (.save — кнопка группы)
setting-group-site = Сайт
    .save = Сохранить настройки сайта
setting-group-registration = Регистрация
    .save = Сохранить настройки регистрации
setting-group-mail = Почта
    .save = Сохранить настройки почты
setting-group-rate_limits = Ограничения частоты запросов
    .save = Сохранить ограничения
setting-group-moderation = Модерация
    .save = Сохранить настройки модерации

## Настройки сайта: что делает каждая (ключ, точки заменены дефисами)
setting-site_name = Показывается в шапке и заголовке каждой страницы, а также в письмах.
setting-default_language = Язык интерфейса для посетителей, браузер которых не запрашивает ни один из языков en, ru, uk, fa.
setting-registration-mode = Кто может создать учётную запись с паролем: любой, никто (только по приглашениям) или никто (учётные записи создаются только через единый вход).
setting-mail-from = Отправитель всех писем, например Acme Community <community@example.com>.
setting-rate_limits-register_per_address = Регистраций с одного сетевого адреса за период (0 — без ограничения).
setting-rate_limits-register_per_address_per_day = Регистраций с одного сетевого адреса за более длинный период, обычно сутки (0 — без ограничения).
setting-rate_limits-password_forgot_per_address = Запросов на сброс пароля с одного адреса за период (0 — без ограничения).
setting-rate_limits-sso_start_per_address = Попыток единого входа с одного адреса за период (0 — без ограничения).
setting-rate_limits-search_per_address = Поисковых запросов с одного адреса за период (0 — без ограничения).
setting-rate_limits-suggest_per_address = Запросов подсказок при создании вопроса с одного адреса за период (0 — без ограничения).
setting-rate_limits-thread_per_address = Новых тем с одного адреса за период (0 — без ограничения).
setting-rate_limits-thread_per_account = Новых тем от одной учётной записи за период (0 — без ограничения).
setting-rate_limits-reply_per_address = Ответов с одного адреса за период (0 — без ограничения).
setting-rate_limits-reply_per_account = Ответов от одной учётной записи за период (0 — без ограничения).
setting-rate_limits-confirm_resend_per_address = Запросов повторного письма с подтверждением с одного адреса за период (0 — без ограничения).
setting-rate_limits-confirm_resend_per_account = Запросов повторного письма с подтверждением от одной учётной записи за период (0 — без ограничения).
setting-moderation-review_sla_hours = Открытые элементы очереди проверки старше стольких часов считаются просроченными.
setting-moderation-flags-min_trust = Минимальный уровень доверия, при котором участник может жаловаться на сообщения.
setting-moderation-flags-daily_allowance = Сколько жалоб участник может подать за сутки.
setting-moderation-flags-hide_threshold = Сообщение скрывается до проверки, когда суммарный вес жалоб на него достигает этого значения.
setting-moderation-flags-member_weight = Вес жалобы обычного участника.
setting-moderation-flags-leader_weight = Вес жалобы лидера сообщества или сотрудника.
setting-moderation-new_members-enabled = Действуют ли ограничения для новых участников, перечисленные ниже.
setting-moderation-new_members-max_links = Сколько ссылок может быть в сообщении нового участника.
setting-moderation-new_members-max_mentions = Сколько упоминаний может быть в сообщении нового участника.
setting-moderation-new_members-max_topics_first_day = Сколько тем новый участник может создать в первый день.
setting-moderation-new_members-max_replies_first_day = Сколько ответов новый участник может написать в первый день.
setting-moderation-new_members-min_seconds_between_posts = Сколько секунд новый участник ждёт между двумя сообщениями (0 — без ожидания).
setting-moderation-new_members-duplicate_window_secs = Один и тот же текст, отправленный дважды в течение стольких секунд, отклоняется (0 — никогда).
setting-moderation-spam-enabled = Оценивать ли сообщения новых участников на спам.
setting-moderation-spam-hold_at = Сообщение нового участника с такой оценкой спама или выше (из 100) задерживается.
setting-moderation-spam-min_training_docs = Сколько решений каждого вида классификатор должен изучить, прежде чем выносить оценки.
setting-moderation-trust-new_member_days = Учётная запись младше стольких дней считается новой…
setting-moderation-trust-trusted_after_posts = …как и учётная запись, у которой меньше видимых сообщений, чем здесь указано…
setting-moderation-trust-trusted_min_points = …если только её репутация не достигла стольких баллов.
setting-moderation-trust-sso_is_trusted = Учётная запись единого входа служит поручительством за участника.
setting-moderation-trust-crm_company_is_trusted = Контакт в CRM с известной компанией служит поручительством за участника.
setting-moderation-trust-leader_rank = Участники с этим рангом и выше считаются лидерами сообщества (пусто — никто).
