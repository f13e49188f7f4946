# Обмен идеями (задача 17): доски идей, идеи, голоса, статусы и их история.

ideas-title = Идеи
ideas-intro = Предложите, что нам сделать дальше, голосуйте за нужные вам идеи и следите, что мы с ними делаем.
ideas-no-boards = Досок идей пока нет.
ideas-submit = Предложить идею
ideas-submit-button = Отправить идею
ideas-budget-note = { $count ->
    [one] В этой доске у вас может быть { $count } действующий голос.
    [few] В этой доске у вас может быть { $count } действующих голоса.
   *[many] В этой доске у вас может быть { $count } действующих голосов.
}

## Сортировки и фильтры
ideas-sort = Порядок идей
ideas-sort-trending = Набирают голоса
ideas-sort-top = Лучшие
ideas-sort-newest = Новые
ideas-sort-status = Недавно сменили статус
ideas-filter = Отбор идей
ideas-filter-kind = Статус
ideas-filter-any = Любой
ideas-filter-tag = Метка
ideas-filter-area = Область продукта
ideas-filter-mine = Идеи, за которые я голосовал(а)
ideas-filter-apply = Отобрать
ideas-count = { $count ->
    [one] { $count } идея
    [few] { $count } идеи
   *[many] { $count } идей
}
ideas-votes = { $count ->
    [one] { $count } голос
    [few] { $count } голоса
   *[many] { $count } голосов
}
ideas-votes-word = { $count ->
    [one] голос
    [few] голоса
   *[many] голосов
}
ideas-you-voted = Вы проголосовали
ideas-comments = { $count ->
    [one] { $count } комментарий
    [few] { $count } комментария
   *[many] { $count } комментариев
}

## Виды статусов
ideas-kind-open = Открыта
ideas-kind-active = В работе
ideas-kind-completed = Выполнена
ideas-kind-declined = Отклонена
ideas-kind-duplicate = Дубликат

## Предложение идеи
ideas-field-title = Заголовок
ideas-field-description = Опишите идею: что она позволит вам сделать?
ideas-field-tags = Метки (через запятую)
ideas-field-area = Область продукта

## Идея
ideas-votes-heading = Голоса
ideas-budget-used = Вы используете { $count } из { $max } ваших голосов в этой доске.
ideas-vote = Проголосовать за идею
ideas-unvote = Отозвать мой голос
ideas-voted = Ваш голос учтён.
ideas-unvoted = Ваш голос отозван.
ideas-refused-closed = Эта идея закрыта, голоса больше не принимаются.
ideas-refused-own = В этой доске нельзя голосовать за собственную идею.
ideas-refused-budget = { $count ->
    [one] Вы уже используете { $count } голос в этой доске: отзовите его, чтобы проголосовать здесь.
    [few] Вы уже используете все { $count } голоса в этой доске: отзовите один, чтобы проголосовать здесь.
   *[many] Вы уже используете все { $count } голосов в этой доске: отзовите один, чтобы проголосовать здесь.
}
ideas-sign-in-to-vote = Войдите, чтобы голосовать
ideas-timeline = История
ideas-timeline-submitted = Предложена
ideas-timeline-change = { $from } → { $to }
ideas-change-status = Сменить статус
ideas-new-status = Новый статус
ideas-status-note = Публичный комментарий
ideas-change-status-button = Сменить статус
ideas-status-changed = Статус изменён; проголосовавшим, автору, комментаторам и подписчикам придёт уведомление.
ideas-voters = Кто проголосовал
ideas-no-voters = Пока никто не проголосовал.
ideas-comment = Прокомментировать идею

## Администрирование
ideas-board-kind = Вид доски
ideas-board-kind-discussion = Обсуждения (вопросы и ответы)
ideas-board-kind-ideas = Идеи (участники предлагают и голосуют)
ideas-admin-title = Настройки доски идей
ideas-admin-voting = Голосование
ideas-admin-budget = Действующих голосов у участника
ideas-admin-budget-help = Оставьте пустым, чтобы не ограничивать. Голоса за закрытые идеи возвращаются проголосовавшим.
ideas-admin-self-vote = Авторы могут голосовать за свои идеи
ideas-admin-statuses = Статусы
ideas-admin-status-name = Название
ideas-admin-status-kind = Вид
ideas-admin-status-slug = Краткое имя (в адресах)
ideas-admin-status-colour = Цвет
ideas-admin-add-status = Добавить статус

## Уведомления о смене статуса
notify-kind-idea_status = Смена статуса идей
    .description = Идея, которую вы предложили, поддержали, прокомментировали или отслеживаете, сменила статус.
notify-line-idea-status = «{ $title }»: теперь { $to }
notify-line-idea-status-returned = «{ $title }»: теперь { $to }; ваш голос возвращён вам

## The CRM contact timeline
timeline-idea-status = идея, за которую участник голосовал, «{ $title }», теперь { $to }

## Дорожная карта
ideas-roadmap = Дорожная карта
ideas-roadmap-intro = Что мы планируем, что делаем сейчас и что недавно выпустили.
ideas-roadmap-delivered = Недавно выпущено
ideas-roadmap-empty = Пока пусто.

## Похожие идеи перед отправкой
ideas-similar = Может быть, это одна из них?
ideas-similar-intro = Эти идеи похожи на вашу. Голос за одну из них добавится к голосам других; или отправьте свою.
ideas-vote-instead = Проголосовать за эту
    .aria-label = Проголосовать за «{ $title }» вместо отправки своей
ideas-submit-anyway = Всё равно отправить мою

## Объединение дубликатов
ideas-merge = Объединить с другой идеей
ideas-merge-into = Номер идеи, с которой объединить эту
ideas-merge-help = Её голоса перейдут туда (участник, голосовавший за обе, учитывается один раз); комментарии останутся доступны. Это можно отменить.
ideas-merge-button = Объединить
ideas-merge-done = Идея объединена с этой.
ideas-unmerge-done = Объединение отменено: голоса этой идеи возвращены.
ideas-merged-from = Идея №{ $id } объединена с этой.
ideas-merged-comments = Читать её комментарии
ideas-merged-here = Объединены с этой идеей
ideas-unmerge = Разъединить
    .aria-label = Разъединить «{ $title }»

## Идея глазами CRM (сотрудники)
ideas-sort-score = Взвешенная оценка
ideas-breakdown = Кто стоит за голосами
ideas-score = Взвешенная оценка: { $score }
ideas-breakdown-segment = Сегмент клиентов
ideas-breakdown-stage = Этап жизненного цикла
ideas-breakdown-voters = Голосовавших
ideas-breakdown-none = Нет в CRM
ideas-breakdown-companies = { $count ->
    [one] { $count } компания
    [few] { $count } компании
   *[many] { $count } компаний
}
ideas-admin-weights = Веса сегментов в оценке
ideas-admin-weights-help = По одной строке сегмент=вес (например enterprise=3); сегмент, которого нет в списке, весит 1.

## Названия полей в отказах
field-colour = Цвет
field-into = Идея, с которой объединить
field-product_area = Область продукта
field-segment_weights = Веса сегментов
field-status_kind = Вид статуса
field-vote_budget = Действующих голосов у участника

## What a status change links to
ideas-change-link = Подробнее
ideas-status-link = Ссылка (статья базы знаний /kb/… или заметки о выпуске https://…)
field-link = Ссылка
ideas-admin-edit-status = Изменить
ideas-admin-status-position = Место в порядке (1 — первое)
ideas-admin-remove-status = Удалить статус
ideas-admin-move-to = Перенести его идеи в
field-idea = Идея
field-idea-status = Статус идеи
field-move_to = Куда перенести идеи
field-position = Место в порядке
