# Форум: разделы, темы, сообщения, вопросы, правка, история правок, поиск
# и профили участников.

## Общее для страниц форума
forum-by = автор:
forum-pages = Страницы
forum-page-of = Страница { $page } из { $pages }

## Состояния темы (в поиске статьи базы знаний — «published»)
thread-status-open = Открыта
thread-status-answered = Есть ответы
thread-status-solved = Решена
thread-status-locked = Закрыта
thread-status-published = Статья базы знаний

## Порядок тем в разделе
thread-sort-latest = Новые
thread-sort-unanswered = Без ответа
thread-sort-solved = Решённые
thread-sort-top = Популярные

## Раздел (category.html)
category-archived = Раздел в архиве: темы можно читать, но новые темы и ответы не принимаются.
category-ask-here = Задать вопрос в этом разделе
category-sort = Порядок тем
category-empty = Здесь пока нет тем.

## Тема (thread.html)
thread-duplicate-of = Отмечена как дубликат темы
thread-in-kb = Этот ответ есть в базе знаний:
thread-in-kb-link = читать статью
thread-staff-answered = Ответила служба поддержки.
thread-community-solved = Решено сообществом. Автор ответа:
thread-held = Ваше сообщение сохранено и ждёт проверки модератором, прежде чем его увидят другие. Мы сообщим вам о решении.
thread-reported = Спасибо: модераторы получили вашу жалобу.
thread-solution = Решение
thread-solution-by = Принятый ответ от
thread-solution-jump = Перейти к принятому решению
thread-pager-earlier = Раньше
thread-pager-later = Позже
thread-archived = Раздел в архиве: его темы доступны только для чтения.
thread-locked = Эта тема закрыта.
thread-reply-label = Ваш ответ (Markdown)
thread-reply-button = Ответить
thread-sign-in-to-reply = Войдите, чтобы ответить
thread-kb-article = Статья базы знаний ({ $status })
thread-kb-status-draft = черновик
thread-kb-status-review = на проверке
thread-kb-status-published = опубликована
thread-kb-status-archived = в архиве
thread-promote = Перенести в базу знаний
thread-watch = Следить за темой
thread-unwatch = Не следить
thread-support-task = Обращение в поддержку №{ $id } ({ $status })
thread-task-status-new = новое
thread-task-status-open = открыто
thread-task-status-pending = ожидает
thread-task-status-escalated = передано выше
thread-task-status-resolved = решено
thread-task-status-closed = закрыто
thread-escalate = Передать в поддержку
thread-move-to = Перенести в раздел
thread-move = Перенести
thread-duplicate-field = Дубликат темы
    .placeholder = номер
thread-mark-duplicate = Отметить как дубликат
thread-lock = Закрыть тему
thread-unlock = Открыть тему

## Сообщение (post.html)
post-official = Официально · { $role }
post-edited = изменено
post-accepted = Принятое решение
post-review-held = ждёт проверки
post-review-hidden = скрыто до проверки
post-review-removed = удалено модератором
post-deleted = удалено
post-hidden-body = Это сообщение скрыто, пока его проверяет модератор.
post-kudos = { $count ->
    [one] { $count } благодарность
    [few] { $count } благодарности
   *[many] { $count } благодарностей
}
post-kudo-give = Поблагодарить
    .aria-label = { $count ->
        [one] Поблагодарить (сейчас { $count } благодарность)
        [few] Поблагодарить (сейчас { $count } благодарности)
       *[many] Поблагодарить (сейчас { $count } благодарностей)
    }
post-kudo-withdraw = Отозвать благодарность
    .aria-label = { $count ->
        [one] Отозвать благодарность (сейчас { $count } благодарность)
        [few] Отозвать благодарность (сейчас { $count } благодарности)
       *[many] Отозвать благодарность (сейчас { $count } благодарностей)
    }
post-accept = Принять как решение
post-report = Пожаловаться
post-report-why = Почему модераторам стоит взглянуть на это сообщение?
post-report-spam = Спам или реклама
post-report-abusive = Оскорбления или разжигание ненависти
post-report-off_topic = Не по теме
post-report-needs_staff = Нужно внимание сотрудников
post-report-other = Другое
post-report-note = Примечание для модераторов (необязательно)
post-report-send = Отправить жалобу

## Вопрос (ask.html)
ask-find-similar = Найти похожие вопросы
ask-already-answered = Уже есть ответ?
ask-body = Подробности (Markdown)
ask-tags = Метки (через запятую)
ask-submit = Опубликовать вопрос

## Правка сообщения и история правок
edit-title = Правка сообщения
edit-body = Текст (Markdown)
history-title = История правок
history-back = Вернуться к сообщению
history-version = Версия { $number }
history-none = Это сообщение не редактировалось.

## Поиск (search.html); подсказки — синтаксис поиска: "…", tag:, category:
## и is:solved не переводятся, переводятся слова примеров.
search-form = Поиск по сообществу
search-submit = Найти
search-tip = Подсказка:
search-tip-phrase = "точная фраза"
search-tip-tag = tag:оплата
search-tip-category = category:support
search-tip-solved = is:solved
search-filters = Фильтры
search-clear = Сбросить фильтры
search-boards = Разделы
search-status = Состояние
search-tags = Метки
search-kind = Тип
search-kind-threads = Темы
search-kind-idea = Идея
search-kind-ideas = Идеи
search-kind-articles = Статьи
search-results = Результаты
search-prompt = Введите вопрос, фразу или метку.
search-widened-any = Ни в одном результате нет всех этих слов; показаны результаты с любым из них.
search-widened-near = Таких слов в точности не нашлось; показаны результаты с похожим написанием.
search-none = По вашему запросу ничего не найдено.
search-ask = Спросить сообщество
search-from-thread = Из темы сообщества

## Профиль участника (profile.html)
profile-joined = регистрация:
profile-questions = Вопросы
profile-replies = Ответы
profile-accepted = Принятые ответы
profile-kudos = Получено благодарностей
profile-badges = Значки
profile-no-badges = Значков пока нет.
profile-none-yet = Пока нет.
profile-recent = Недавние вопросы

## The composer's character count (server text, then hearth.js)
compose-limit = Не больше { $max } символов.
compose-too-long = Слишком длинно для отправки: сократите текст (он останется здесь).
compose-preview = Предпросмотр
compose-attach = Прикрепить файл
compose-uploading = Загрузка…
compose-upload-failed = Не удалось загрузить файл.
compose-draft-saved = Черновик сохранён
post-quote = Цитировать
post-quote-wrote = написал(а)
search-instant = Быстрые результаты
compose-mention-list = Кого упомянуть
compose-mentions = Участников в подсказке: { $count }

## Собственные настройки участника (/settings/profile)
profile-settings-title = Ваш профиль
profile-settings-view = Открыть публичный профиль
profile-settings-saved = Профиль сохранён.
profile-settings-profile = Профиль
profile-settings-avatar = Ваша картинка. Если её нет, рисуются ваши инициалы.
profile-settings-avatar-choose = Загрузить картинку
profile-settings-avatar-hint = PNG, JPEG, GIF или WebP; середина обрезается до квадрата.
profile-settings-avatar-remove = Показывать мои инициалы
profile-settings-avatar-saved = Картинка сохранена.
profile-settings-save = Сохранить профиль
profile-settings-password = Пароль
profile-settings-password-changed = Пароль изменён; другие сеансы завершены.
profile-settings-password-hint = Не меньше 8 символов. После смены вы выйдете на всех других устройствах.
profile-settings-password-save = Сменить пароль
profile-bio = О себе
profile-settings-email-current = Ваш адрес сейчас:
profile-settings-email-save = Отправить ссылку для подтверждения
profile-settings-email-sent = Мы отправили ссылку на новый адрес. Адрес сменится, когда вы её откроете.
profile-settings-time-zone-none = Не выбран (UTC)
profile-settings-time-zone-hint = Даты и время на страницах показываются в этом поясе.
profile-settings-time-zone-detected = Выбран часовой пояс вашего браузера. Сохраните профиль, чтобы оставить его.
profile-activity = Активность
