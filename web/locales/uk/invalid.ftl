## Чому введене не прийнято: по реченню на правило (forum::Rule), з
## назвою поля ($field, з field-* у common.ftl) і числами правила.
invalid-required = Поле «{ $field }» не може бути порожнім.
invalid-too-short = У полі «{ $field }» потрібно щонайменше { $min } { $min ->
    [one] символ
    [few] символи
    [many] символів
   *[other] символу
}.
invalid-too-long = У полі «{ $field }» може бути не більше { $max } { $max ->
    [one] символу
   *[other] символів
}.
invalid-control-character = Поле «{ $field }» містить керівний символ ({ $code_point }); такі символи неприпустимі.
invalid-one-of = Поле «{ $field }»: виберіть одне зі значень: { $choices }.
invalid-unknown = Поле «{ $field }»: «{ $value }» не існує.
invalid-range = Поле «{ $field }»: потрібне ціле число від { $min } до { $max }.
invalid-whole-number = Поле «{ $field }»: потрібне ціле число.
invalid-email = Введіть правильну адресу електронної пошти.
invalid-email-domain-refused = Адреси на цьому домені тут не приймаються; вкажіть іншу адресу.
invalid-username = Ім’я користувача — від 3 до 32 літер, цифр, крапок, дефісів або підкреслень.
invalid-slug = Поле «{ $field }»: від 1 до 64 малих літер, цифр і дефісів.
invalid-slug-taken = Розділ із такою адресою вже є.
invalid-tag = Мітка «{ $tag }» має містити не більше 30 літер, цифр або дефісів.
invalid-too-many-tags = Тема може мати не більше { $max } { $max ->
    [one] мітки
   *[other] міток
}.
invalid-link-expired = Посилання недійсне, уже використане або застаріле. Попросіть нове.
invalid-repeated-post = Ви щойно надіслали такий самий текст; він уже опублікований (або чекає на перевірку).
invalid-board-archived = Цей розділ в архіві: він лише для читання, нові теми в ньому створити не можна.
invalid-only-question-has-title = Заголовок є лише в запитання.
invalid-question-is-not-an-answer = Саме запитання не може бути прийнятим рішенням.
invalid-not-solved = Статтею бази знань може стати лише розв’язана тема.
invalid-answer-deleted = Прийняту відповідь було видалено.
invalid-not-published = Відгуки приймаються лише для опублікованих статей.
invalid-duplicate-loop = Тема не може бути дублікатом самої себе або теми, позначеної як її дублікат.
invalid-confirm-username = Щоб підтвердити стирання даних, введіть ім’я користувача учасника.
invalid-in-the-past = Поле «{ $field }»: час має бути в майбутньому.
invalid-first-page = Сторінки нумеруються з 1.
invalid-past-last-page = Список доступний не далі сторінки { $last }; уточніть пошук або скористайтеся фільтрами.
invalid-agents-only = Завдання можна призначати лише агентам підтримки.
invalid-nothing-to-change = Змінювати нічого.
invalid-low-contrast = Контраст білого тексту на цьому кольорі лише { $ratio }:1, а WCAG AA вимагає щонайменше 4,5:1, щоб текст лишався читабельним. Виберіть темніший колір.
invalid-colour = Поле «{ $field }»: вкажіть колір у вигляді #rrggbb, наприклад #c2410c.
invalid-logo-address = Поле «{ $field }»: потрібна адреса https:// або шлях на цьому сайті, що починається з / (наприклад, /brand/logo.svg).
invalid-mailbox = Поле «{ $field }»: вкажіть адресу або «Ім’я <адреса>».
invalid-true-or-false = Поле «{ $field }»: потрібне значення true або false.
invalid-thread-reference = Вкажіть номер початкової теми або посилання на неї.
invalid-wrong-password = Це не ваш поточний пароль.
invalid-time-zone = Поле «{ $field }»: виберіть часовий пояс зі списку (наприклад, Europe/Kyiv).

## Ім’я користувача чи адреса вже належать іншому обліковому запису
error-taken-username = Це ім’я користувача вже зайняте; виберіть інше.
error-taken-email = Обліковий запис із цією адресою електронної пошти вже існує. Увійдіть або відновіть пароль.
invalid-file-too-large = Файл завеликий: не більше { $megabytes } МБ.
invalid-file-type = Такі файли не приймаються. Прикріпіть зображення PNG, JPEG, GIF або WebP, PDF або звичайний текст.
invalid-file-markup = Документи HTML, SVG і XML не приймаються. Вставте потрібну частину в допис як код.
invalid-file-unreadable = Не вдалося прочитати зображення; можливо, файл пошкоджено.
invalid-image-too-large = Зображення завелике: не більше { $megapixels } млн пікселів.
invalid-upload-quota = За добу можна завантажити { $files } { $files ->
    [one] файл
    [few] файли
   *[other] файлів
 } або { $megabytes } МБ. Спробуйте пізніше.
invalid-idempotency-key = Поле «{ $field }»: від 1 до 255 видимих символів ASCII (підійде UUID).
invalid-idempotency-key-reused = Поле «{ $field }»: цей ключ уже використано для іншого запиту; для нового запиту потрібен новий ключ.
