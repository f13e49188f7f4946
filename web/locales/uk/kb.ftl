# База знань: статті, відгуки читачів, редагування та черга перевірки.
# Заголовки, тексти й мітки статей, назви розділів — текст користувачів.

## Стани статті
kb-status-draft = Чернетка
kb-status-review = На перевірці
kb-status-published = Опублікована
kb-status-archived = В архіві

## Головна сторінка бази знань
kb-home-intro = Найкращі відповіді спільноти, перевірені нашою командою.
kb-home-empty = Статей поки немає.
kb-review-queue = Черга перевірки
kb-helpful = { $count ->
    [one] { $count } читач вважає статтю корисною
    [few] { $count } читачі вважають статтю корисною
   *[many] { $count } читачів вважають статтю корисною
}

## Стаття
# Далі йде @ім’я автора (посилання)
kb-article-source = На основі прийнятої відповіді від
kb-article-thread = Відкрити тему в спільноті
kb-article-version = Версія { $version }
# Перед відносним часом: «опублікована 3 дні тому»
kb-article-published = опублікована { $when }
kb-feedback-question = Стаття допомогла?
kb-feedback-yes-count = Так: { $count }
kb-feedback-no-count = Ні: { $count }
kb-feedback-yes = Так
kb-feedback-no = Ні
kb-feedback-sign-in = Увійдіть, щоб оцінити статтю
kb-article-edit = Редагувати й перевірити

## Редагування та перевірка статті
kb-edit-title = Редагування: { $title }
kb-edit-view = Відкрити статтю
kb-edit-unhelpful = Більшість читачів вважають статтю некорисною.
kb-source-changed = Джерело змінилося після останньої перевірки
kb-source-question = Запитання
kb-source-answer = Прийнята відповідь
kb-source-republish = Після повторної публікації джерело вважається перевіреним.
kb-edit-tags = Мітки (через кому)
kb-edit-body = Стаття (Markdown)
kb-edit-note = Що змінилося
kb-edit-save = Зберегти нову версію
kb-action-review = Надіслати на перевірку
kb-action-publish = Опублікувати
kb-action-archive = В архів
kb-action-draft = Повернути в чернетки
kb-history = Історія
kb-history-rule = за правилом перенесення
kb-history-promoted = Перенесено з теми №{ $id }

## Черга перевірки
kb-review-title = Черга перевірки бази знань
kb-review-heading = Перевірка бази знань
kb-review-empty = На перевірку нічого не чекає.
kb-review-source-changed = джерело змінилося
kb-review-unhelpful = переважно некорисна
kb-review-by-rule = за правилом
# Перед відносним часом: «оновлена 3 дні тому»
kb-review-updated = оновлена { $when }

## Заготовка чернетки з теми (мова сайту). {author}, {link} і {kudos}
## залиште як є: їх підставляють.
kb-draft-question = Запитання
kb-draft-answer = Відповідь
kb-draft-answer-by = Відповідь {"{"}author{"}"} у {"{"}link{"}"}.
kb-draft-thread-link = темі спільноти
kb-draft-also-useful = Також корисно
kb-draft-reply-by = {"{"}author{"}"} ({"{"}link{"}"}, подяк: {"{"}kudos{"}"})
kb-draft-reply-link = відповідь
