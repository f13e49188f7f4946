# База знаний: статьи, отзывы читателей, правка и очередь проверки.
# Заголовки, тексты и метки статей, названия разделов — пользовательский текст.

## Состояния статьи
kb-status-draft = Черновик
kb-status-review = На проверке
kb-status-published = Опубликована
kb-status-archived = В архиве

## Главная страница базы знаний
kb-home-intro = Лучшие ответы сообщества, проверенные нашей командой.
kb-home-empty = Статей пока нет.
kb-review-queue = Очередь проверки
kb-helpful = { $count ->
    [one] { $count } читатель считает статью полезной
    [few] { $count } читателя считают статью полезной
   *[many] { $count } читателей считают статью полезной
}

## Статья
# Дальше идёт @имя автора (ссылка)
kb-article-source = На основе принятого ответа от
kb-article-thread = Открыть тему в сообществе
kb-article-version = Версия { $version }
# Перед относительным временем: «опубликована 3 дня назад»
kb-article-published = опубликована { $when }
kb-feedback-question = Статья помогла?
kb-feedback-yes-count = Да: { $count }
kb-feedback-no-count = Нет: { $count }
kb-feedback-yes = Да
kb-feedback-no = Нет
kb-feedback-sign-in = Войдите, чтобы оценить статью
kb-article-edit = Править и проверить

## Правка и проверка статьи
kb-edit-title = Правка: { $title }
kb-edit-view = Открыть статью
kb-edit-unhelpful = Большинство читателей сочли статью бесполезной.
kb-source-changed = Источник изменился после последней проверки
kb-source-question = Вопрос
kb-source-answer = Принятый ответ
kb-source-republish = После повторной публикации источник считается проверенным.
kb-edit-tags = Метки (через запятую)
kb-edit-body = Статья (Markdown)
kb-edit-note = Что изменилось
kb-edit-save = Сохранить новую версию
kb-action-review = Отправить на проверку
kb-action-publish = Опубликовать
kb-action-archive = В архив
kb-action-draft = Вернуть в черновики
kb-history = История
kb-history-rule = по правилу переноса
kb-history-promoted = Перенесено из темы №{ $id }

## Очередь проверки
kb-review-title = Очередь проверки базы знаний
kb-review-heading = Проверка базы знаний
kb-review-empty = Проверки ничего не ждёт.
kb-review-source-changed = источник изменился
kb-review-unhelpful = в основном бесполезна
kb-review-by-rule = по правилу
# Перед относительным временем: «обновлена 3 дня назад»
kb-review-updated = обновлена { $when }

## Заготовка черновика из темы (язык сайта). {author}, {link} и {kudos}
## оставьте как есть: они подставляются.
kb-draft-question = Вопрос
kb-draft-answer = Ответ
kb-draft-answer-by = Ответ {"{"}author{"}"} в {"{"}link{"}"}.
kb-draft-thread-link = теме сообщества
kb-draft-also-useful = Тоже полезно
kb-draft-reply-by = {"{"}author{"}"} ({"{"}link{"}"}, благодарностей: {"{"}kudos{"}"})
kb-draft-reply-link = ответ
