# Общие строки: рамка страницы, навигация, время, счётчики, ошибки.

-brand-fallback = Hearth

## Рамка страницы (base.html)
skip-to-content = Перейти к содержимому
nav-main = Главное меню
nav-home = Главная
nav-kb = База знаний
nav-ideas = Идеи
nav-leaders = Лидеры
nav-ask = Задать вопрос
nav-agent = Консоль агента
nav-admin = Администрирование
nav-settings = Настройки
nav-sign-in = Войти
nav-join = Регистрация
nav-sign-out = Выйти
nav-menu = Меню
nav-notifications = Уведомления
notifications-unread = { $count ->
    [0] Уведомления, непрочитанных нет
    [one] Уведомления, { $count } непрочитанное
    [few] Уведомления, { $count } непрочитанных
   *[many] Уведомления, { $count } непрочитанных
}
search-label = Поиск
search-placeholder = Поиск по сообществу
search-open = Открыть поиск
footer-powered = Работает на Hearth
footer-language = Язык
footer-language-apply = Сменить язык

## Относительное и абсолютное время
time-just-now = только что
time-minutes-ago = { $count ->
    [one] { $count } минуту назад
    [few] { $count } минуты назад
   *[many] { $count } минут назад
}
time-hours-ago = { $count ->
    [one] { $count } час назад
    [few] { $count } часа назад
   *[many] { $count } часов назад
}
time-days-ago = { $count ->
    [one] { $count } день назад
    [few] { $count } дня назад
   *[many] { $count } дней назад
}
time-months-ago = { $count ->
    [one] { $count } месяц назад
    [few] { $count } месяца назад
   *[many] { $count } месяцев назад
}
time-years-ago = { $count ->
    [one] { $count } год назад
    [few] { $count } года назад
   *[many] { $count } лет назад
}

## Счётчики
count-replies = { $count ->
    [one] { $count } ответ
    [few] { $count } ответа
   *[many] { $count } ответов
}
count-views = { $count ->
    [one] { $count } просмотр
    [few] { $count } просмотра
   *[many] { $count } просмотров
}
count-votes = { $count ->
    [one] { $count } голос
    [few] { $count } голоса
   *[many] { $count } голосов
}
count-members = { $count ->
    [one] { $count } участник
    [few] { $count } участника
   *[many] { $count } участников
}
count-threads = { $count ->
    [one] { $count } тема
    [few] { $count } темы
   *[many] { $count } тем
}
count-posts = { $count ->
    [one] { $count } сообщение
    [few] { $count } сообщения
   *[many] { $count } сообщений
}
count-points = { $count ->
    [one] { $count } балл
    [few] { $count } балла
   *[many] { $count } баллов
}
count-results = { $count ->
    [one] { $count } результат
    [few] { $count } результата
   *[many] { $count } результатов
}

## Роли
role-customer = Клиент
role-agent = Агент поддержки
role-moderator = Модератор
role-admin = Администратор

## Листание и общие действия
pager-newer = Новее
pager-older = Старее
pager-previous = Назад
pager-next = Далее
action-save = Сохранить
action-cancel = Отмена
action-delete = Удалить
action-edit = Изменить
action-submit = Отправить
action-back = Назад

## Страницы ошибок
error-title-401 = Войдите, пожалуйста
error-title-403 = Нет доступа
error-title-404 = Не найдено
error-title-413 = Слишком большой объём
error-title-422 = Проверьте введённые данные
error-title-429 = Не так быстро
error-title-503 = Сервер занят
error-title-500 = Что-то пошло не так
error-home = На главную
error-sign-in = Войти
error-new-confirmation = Прислать новую ссылку для подтверждения
error-validation_failed = Проверьте поле «{ $field }».
error-not_found = Мы не нашли эту страницу или запись.
error-unauthenticated = Чтобы сделать это, войдите.
error-forbidden = У вас нет прав на это действие.
error-conflict = Это противоречит уже существующим данным или они изменились. Обновите страницу и попробуйте снова.
error-bad_credentials = Неверное имя пользователя или пароль.
error-busy = Сайт занят. Попробуйте ещё раз через минуту.
error-unavailable = Нужная для этого служба не отвечает. Попробуйте ещё раз через минуту.
error-rate_limited = { $seconds ->
    [one] Слишком много запросов. Попробуйте снова через { $seconds } секунду.
    [few] Слишком много запросов. Попробуйте снова через { $seconds } секунды.
   *[many] Слишком много запросов. Попробуйте снова через { $seconds } секунд.
}
error-suspended = Эта учётная запись заблокирована.
error-silenced = Сейчас вы не можете публиковать сообщения.
error-email_unconfirmed = Подтвердите адрес электронной почты, прежде чем писать: откройте ссылку из нашего письма или запросите новую.
error-internal = На нашей стороне что-то пошло не так; ошибка записана в журнал.
error-csrf = Срок действия формы истёк. Вернитесь назад, обновите страницу и попробуйте снова.
error-payload_too_large = Отправленные данные слишком велики.
error-generic = Не удалось выполнить запрос.
error-reason = Причина: { $reason }

## Названия полей для «проверьте …»
field-title = Заголовок
field-body = Текст
field-file = Файл
field-username = Имя пользователя
field-email = Адрес электронной почты
field-password = Пароль
field-display_name = Отображаемое имя
field-language = Язык
field-reason = Причина
field-tags = Метки
field-slug = Адрес (slug)
field-description = Описание
field-category = Раздел
field-q = Слова для поиска
field-note = Заметка
field-subject = Тема
field-token = Ссылка
field-value = Значение
field-article = Статья
field-confirm = Подтверждение
field-decision = Решение
field-duplicate_of = Исходная тема
field-of = Исходная тема
field-for_days = Количество дней
field-days = Количество дней
field-ids = Записи
field-id = Запись
field-key = Настройка
field-kind = Тип
field-lifecycle = Этап жизненного цикла
field-segment = Сегмент
field-owner_id = Исполнитель
field-owner = Исполнитель
field-page = Страница
field-per_page = Записей на странице
field-offset = Смещение
field-limit = Лимит
field-post = Сообщение
field-thread = Тема
field-role = Роль
field-s = Ссылка
field-settings = Настройки
field-sort = Сортировка
field-start_threads = Кто может создавать темы
field-see_min_role = Кто видит
field-status = Статус
field-state = Состояние
field-premoderation = Премодерация
field-crm_tasks = Задачи CRM
field-rank = Ранг
field-period = Период
field-mode = Доставка
field-notes = Заметки
field-remind_at = Время напоминания
field-in_hours = Через сколько часов
field-due_within_hours = Срок (в часах)
field-priority = Приоритет
field-name = Название
field-path = Адрес
field-query = Строка запроса
field-target = Что отслеживать
field-line = Строка
field-ask_id = Сеанс вопроса
field-rules = Правила
field-reputation = Репутация
field-crm = CRM
field-crm-connector = Коннектор CRM
field-escalated = Эскалация
field-account = Учётная запись
field-badge = Значок
field-reply = Ответ
field-bio = О себе
field-from = Первый день
field-to = Последний день
field-range = Период
field-avatar = Картинка
field-current_password = Текущий пароль
field-new_password = Новый пароль
field-new_email = Новый адрес электронной почты
field-time_zone = Часовой пояс
field-idempotency_key = Ключ идемпотентности
