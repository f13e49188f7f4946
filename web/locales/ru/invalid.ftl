## Почему ввод не принят: по предложению на правило (forum::Rule), с
## названием поля ($field, из field-* в common.ftl) и числами правила.
invalid-required = Поле «{ $field }» не может быть пустым.
invalid-too-short = В поле «{ $field }» нужно не меньше { $min } { $min ->
    [one] символа
   *[other] символов
}.
invalid-too-long = В поле «{ $field }» может быть не больше { $max } { $max ->
    [one] символа
   *[other] символов
}.
invalid-control-character = Поле «{ $field }» содержит управляющий символ ({ $code_point }); такие символы недопустимы.
invalid-one-of = Поле «{ $field }»: выберите одно из значений: { $choices }.
invalid-unknown = Поле «{ $field }»: «{ $value }» не существует.
invalid-range = Поле «{ $field }»: нужно целое число от { $min } до { $max }.
invalid-whole-number = Поле «{ $field }»: нужно целое число.
invalid-email = Введите правильный адрес электронной почты.
invalid-email-domain-refused = Адреса на этом домене здесь не принимаются; укажите другой адрес.
invalid-username = Имя пользователя — от 3 до 32 букв, цифр, точек, дефисов или подчёркиваний.
invalid-slug = Поле «{ $field }»: от 1 до 64 строчных букв, цифр и дефисов.
invalid-slug-taken = Раздел с таким адресом уже есть.
invalid-tag = Метка «{ $tag }» должна состоять не более чем из 30 букв, цифр или дефисов.
invalid-too-many-tags = У темы может быть не больше { $max } { $max ->
    [one] метки
   *[other] меток
}.
invalid-link-expired = Ссылка недействительна, уже использована или устарела. Запросите новую.
invalid-repeated-post = Вы только что отправили такой же текст; он уже опубликован (или ждёт проверки).
invalid-board-archived = Этот раздел в архиве: он доступен только для чтения, новые темы в нём создать нельзя.
invalid-only-question-has-title = Заголовок есть только у вопроса.
invalid-question-is-not-an-answer = Сам вопрос не может быть принятым решением.
invalid-not-solved = Статьёй базы знаний может стать только решённая тема.
invalid-answer-deleted = Принятый ответ был удалён.
invalid-not-published = Отзывы принимаются только для опубликованных статей.
invalid-duplicate-loop = Тема не может быть дубликатом самой себя или темы, отмеченной как её дубликат.
invalid-confirm-username = Чтобы подтвердить удаление данных, введите имя пользователя участника.
invalid-in-the-past = Поле «{ $field }»: время должно быть в будущем.
invalid-first-page = Страницы нумеруются с 1.
invalid-past-last-page = Список доступен не дальше страницы { $last }; уточните поиск или воспользуйтесь фильтрами.
invalid-agents-only = Задачи можно назначать только агентам поддержки.
invalid-nothing-to-change = Изменять нечего.
invalid-low-contrast = Контраст белого текста на этом цвете всего { $ratio }:1, а WCAG AA требует не меньше 4,5:1, чтобы текст оставался читаемым. Выберите цвет темнее.
invalid-colour = Поле «{ $field }»: укажите цвет в виде #rrggbb, например #c2410c.
invalid-logo-address = Поле «{ $field }»: нужен адрес https:// или путь на этом сайте, начинающийся с / (например, /brand/logo.svg).
invalid-mailbox = Поле «{ $field }»: укажите адрес или «Имя <адрес>».
invalid-true-or-false = Поле «{ $field }»: нужно значение true или false.
invalid-thread-reference = Укажите номер исходной темы или ссылку на неё.
invalid-wrong-password = Это не ваш текущий пароль.
invalid-time-zone = Поле «{ $field }»: выберите часовой пояс из списка (например, Europe/Kyiv).

## Имя пользователя или адрес уже заняты другой учётной записью
error-taken-username = Это имя пользователя уже занято; выберите другое.
error-taken-email = Учётная запись с этим адресом электронной почты уже есть. Войдите или восстановите пароль.
invalid-file-too-large = Файл слишком большой: не больше { $megabytes } МБ.
invalid-file-type = Такие файлы не принимаются. Прикрепите изображение PNG, JPEG, GIF или WebP, PDF или обычный текст.
invalid-file-markup = Документы HTML, SVG и XML не принимаются. Вставьте нужную часть в сообщение как код.
invalid-file-unreadable = Не удалось прочитать изображение; возможно, файл повреждён.
invalid-image-too-large = Изображение слишком большое: не больше { $megapixels } млн пикселей.
invalid-upload-quota = За сутки можно загрузить { $files } { $files ->
    [one] файл
    [few] файла
   *[other] файлов
 } или { $megabytes } МБ. Попробуйте позже.
invalid-idempotency-key = Поле «{ $field }»: от 1 до 255 видимых символов ASCII (подойдёт UUID).
invalid-idempotency-key-reused = Поле «{ $field }»: этот ключ уже использован для другого запроса; для нового запроса нужен новый ключ.
