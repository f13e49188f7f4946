# Головна сторінка (home.html, home_row.html).

home-title = Головна
home-welcome = Ласкаво просимо до { $site }
home-lede = Ставте запитання, діліться відповідями й допомагайте одне одному.
home-browse-kb = Відкрити базу знань
home-boards = Розділи
home-private = закритий
home-latest = Нові теми
home-latest-empty = Тем поки немає. Поставте запитання першими!
home-unanswered = Без відповіді
home-unanswered-note = Ці запитання досі чекають на першу відповідь. Можливо, ви допоможете?
home-unanswered-empty = На кожне запитання вже є відповідь. Дякуємо всім!
home-solved = Нещодавно розв’язані
home-solved-empty = Розв’язаних запитань поки немає.
home-accepted-answer = Прийнята відповідь
home-articles = Вибрані статті
home-articles-empty = Статей поки немає.
home-all-articles = Усі статті
home-helpful = { $count ->
    [one] { $count } читач вважає статтю корисною
    [few] { $count } читачі вважають статтю корисною
   *[many] { $count } читачів вважають статтю корисною
}
home-contributors = Найактивніші учасники місяця
home-contributors-empty = Цього місяця бали ще ніхто не заробив.
home-leaderboard = Увесь рейтинг

## Налаштування фірмового оформлення (описи на /admin/settings)
setting-theme-brand_color = Фірмовий колір кнопок, посилань і виділень у форматі #rrggbb. Білий текст на ньому повинен мати контраст щонайменше 4,5:1 (WCAG AA), тому надто світлі кольори не приймаються.
setting-theme-logo_url = Логотип у шапці замість назви сайту (назва стає його текстовою альтернативою): адреса https:// або шлях на домені сайту, наприклад /brand/logo.svg (його віддає ваш вебсервер). Порожньо — лише назва сайту.
