# Уведомления: страница уведомлений, их настройки, отписка по ссылке из
# письма и виды уведомлений.

## Виды уведомлений (настройки, отписка, подвал писем)
notify-kind-reply = Ответы на ваши вопросы
    .description = Кто-то отвечает на заданный вами вопрос.
notify-kind-accepted = Принятые ответы
    .description = Ваш ответ отмечен как решение.
notify-kind-mention = Упоминания
    .description = Кто-то упоминает вас через @имя.
notify-kind-watched = Отслеживаемые темы и разделы
    .description = Появилось новое там, где вы следите.
notify-kind-badge = Значки
    .description = Вы получили значок.
notify-kind-escalated = Эскалации
    .description = Вам эскалирована задача поддержки.
notify-kind-sla = Предупреждения SLA
    .description = Задача поддержки вот-вот выйдет за срок ответа.
notify-kind-kb_review = Статьи на проверку
    .description = Статье базы знаний нужно внимание куратора.
notify-kind-analytics = Еженедельные показатели сообщества
    .description = Для администраторов: главные цифры прошлой недели, каждый понедельник.

## Режимы писем
notify-mode-instant = Сразу
notify-mode-digest = В ежедневной сводке
notify-mode-off = Не присылать

## Строки уведомлений (заголовки тем, имена и названия значков — пользовательский текст)
notify-line-reply = { $poster } ответил(а) в теме «{ $title }»
notify-line-mention = { $mentioner } упомянул(а) вас в теме «{ $title }»
notify-line-watched = Новое в теме «{ $title }»
notify-line-accepted = Ваш ответ в теме «{ $title }» принят
notify-line-badge = Вы получили значок «{ $badge }»
notify-line-badge-level = Вы получили значок «{ $badge }» (×{ $level })
notify-line-kb-awaiting = Статья ждёт проверки: { $article }
notify-line-kb-unhelpful = Читатели считают статью бесполезной: { $article }
notify-line-kb-source_changed = Источник статьи изменился: { $article }
notify-line-escalated = Задача №{ $id } эскалирована: «{ $title }»
notify-line-sla = Задача №{ $id }: скоро нарушение SLA («{ $title }»)
notify-line-analytics = Неделя сообщества в цифрах: с { $from } по { $to }
notify-line-role = Ваша роль теперь: { $role }
notify-line-active = Ваша учётная запись снова активна
notify-line-silenced = Вы временно не можете писать: { $reason }
notify-line-silenced-bare = Вы временно не можете писать
notify-line-suspended = Ваша учётная запись приостановлена: { $reason }
notify-line-suspended-bare = Ваша учётная запись приостановлена
notify-line-banned = Ваша учётная запись закрыта: { $reason }
notify-line-banned-bare = Ваша учётная запись закрыта
notify-line-post-hidden = Ваше сообщение в теме «{ $title }» скрыто после жалоб участников; его проверит модератор
notify-line-post-approved = Ваше сообщение в теме «{ $title }» одобрено и теперь видно всем
notify-line-post-restored = Ваше сообщение в теме «{ $title }» снова видно
notify-line-post-removed = Модератор удалил ваше сообщение в теме «{ $title }»: { $reason }
notify-line-post-removed-bare = Модератор удалил ваше сообщение в теме «{ $title }»

## Страница уведомлений
notify-title = Уведомления
notify-new = { $count ->
    [one] { $count } новое
    [few] { $count } новых
   *[many] { $count } новых
}
notify-mark-read = Отметить все как прочитанные
notify-empty = Пока ничего нет.

## Настройки уведомлений
notify-settings-title = Настройки уведомлений
notify-settings-heading = Уведомления
notify-settings-saved = Сохранено.
notify-settings-kind = Когда
notify-settings-mail = Письма
notify-settings-boards = Разделы, за которыми вы следите
notify-settings-boards-none = Вы пока не следите ни за одним разделом.
notify-settings-threads = Темы, за которыми вы следите
notify-settings-threads-none = Пока нет: нажмите «Следить» в теме.
notify-watch = Следить
notify-unwatch = Не следить

## Отписка по ссылке из письма
notify-unsubscribe-title = Отписка
notify-unsubscribe-ask = Отписаться?
notify-unsubscribe-question = Больше не присылать письма из категории «{ $kind }»?
notify-unsubscribe-button = Отписаться
notify-unsubscribe-done-title = Вы отписались
notify-unsubscribe-done = Письма из категории «{ $kind }» больше не будут приходить.
notify-unsubscribe-settings = Изменить настройки уведомлений
