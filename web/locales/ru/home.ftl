# Главная страница (home.html, home_row.html).

home-title = Главная
home-welcome = Добро пожаловать в { $site }
home-lede = Задавайте вопросы, делитесь ответами и помогайте друг другу.
home-browse-kb = Открыть базу знаний
home-boards = Разделы
home-private = закрытый
home-latest = Новые темы
home-latest-empty = Тем пока нет. Задайте вопрос первым!
home-unanswered = Без ответа
home-unanswered-note = Эти вопросы всё ещё ждут первого ответа. Может быть, вы поможете?
home-unanswered-empty = На каждый вопрос уже есть ответ. Спасибо всем!
home-solved = Недавно решённые
home-solved-empty = Решённых вопросов пока нет.
home-accepted-answer = Принятый ответ
home-articles = Избранные статьи
home-articles-empty = Статей пока нет.
home-all-articles = Все статьи
home-helpful = { $count ->
    [one] { $count } читатель счёл статью полезной
    [few] { $count } читателя сочли статью полезной
   *[many] { $count } читателей сочли статью полезной
}
home-contributors = Самые активные участники месяца
home-contributors-empty = В этом месяце баллы ещё никто не заработал.
home-leaderboard = Весь рейтинг

## Настройки фирменного оформления (описания на /admin/settings)
setting-theme-brand_color = Фирменный цвет кнопок, ссылок и выделений в виде #rrggbb. Белый текст на нём должен иметь контраст не ниже 4,5:1 (WCAG AA), поэтому слишком светлые цвета не принимаются.
setting-theme-logo_url = Логотип в шапке вместо названия сайта (название становится его текстовой альтернативой): адрес https:// или путь на домене сайта, например /brand/logo.svg (его отдаёт ваш веб-сервер). Пусто — только название сайта.
