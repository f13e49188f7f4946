# The home page (home.html, home_row.html).

home-title = Home
home-welcome = Welcome to { $site }
home-lede = Ask questions, share answers, and help each other.
home-browse-kb = Browse the knowledge base
home-boards = Boards
home-private = private
home-latest = Latest threads
home-latest-empty = No threads yet. Be the first to ask a question!
home-unanswered = Unanswered
home-unanswered-note = These questions are still waiting for their first reply. Can you help?
home-unanswered-empty = Every question has a reply. Thank you, everyone!
home-solved = Recently solved
home-solved-empty = No questions have been solved yet.
home-accepted-answer = Accepted answer
home-articles = Featured articles
home-articles-empty = No articles yet.
home-all-articles = All articles
home-helpful = { $count ->
    [one] { $count } reader found it helpful
   *[other] { $count } readers found it helpful
}
home-contributors = Top contributors this month
home-contributors-empty = Nobody has earned points this month yet.
home-leaderboard = Full leaderboard

## The brand theme's site settings (described on /admin/settings)
setting-theme-brand_color = The brand colour of buttons, links and highlights, written #rrggbb. White text on it must have a contrast of at least 4.5:1 (WCAG AA), so very light colours are refused.
setting-theme-logo_url = The logo shown in the header instead of the site name (which becomes its text alternative): an https:// address, or a path on this site's domain such as /brand/logo.svg (served by your web server). Empty: the site name alone.
