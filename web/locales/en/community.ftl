# Reputation: badges and the leaderboard. Badge and rank names are the
# site owner's words and are not here.

## Badges
community-badges-title = Badges
community-badge-nobody = Nobody holds this badge yet.
community-badge-holders = Holders
# A member's badge level when it is repeatable: "×3"
community-badge-level = ×{ $level }
# Before a relative time: "awarded 3 days ago"
community-badge-awarded = awarded { $when }

## What earns a badge (written from its rule when the site owner kept the
## built-in description)
community-criterion-posts = { $count ->
    [1] Posted for the first time.
    [one] Wrote { $count } post.
   *[other] Wrote { $count } posts.
}
community-criterion-posts-again = { $count ->
    [one] Another { $count } post (repeatable).
   *[other] Another { $count } posts (repeatable).
}
community-criterion-accepted = { $count ->
    [1] Gave a first accepted answer.
    [one] { $count } accepted answer.
   *[other] { $count } accepted answers.
}
community-criterion-accepted-again = { $count ->
    [one] Another { $count } accepted answer (repeatable).
   *[other] Another { $count } accepted answers (repeatable).
}
community-criterion-kudos = { $count ->
    [one] Received { $count } kudo.
   *[other] Received { $count } kudos.
}
community-criterion-kudos-again = { $count ->
    [one] Another { $count } kudo received (repeatable).
   *[other] Another { $count } kudos received (repeatable).
}
community-criterion-kb = { $count ->
    [1] An answer promoted to the knowledge base.
    [one] { $count } answer promoted to the knowledge base.
   *[other] { $count } answers promoted to the knowledge base.
}
community-criterion-kb-again = { $count ->
    [one] Another { $count } answer promoted to the knowledge base (repeatable).
   *[other] Another { $count } answers promoted to the knowledge base (repeatable).
}
community-criterion-categories = { $count ->
    [one] Answered in { $count } category.
   *[other] Answered in { $count } different categories.
}
community-criterion-categories-again = { $count ->
    [one] Answered in another { $count } category (repeatable).
   *[other] Answered in another { $count } categories (repeatable).
}
community-criterion-streak = { $count ->
    [one] Active { $count } day.
   *[other] Active { $count } days in a row.
}
community-criterion-streak-again = { $count ->
    [one] Active another { $count } day (repeatable).
   *[other] Active another { $count } days in a row (repeatable).
}
community-criterion-points = { $count ->
    [one] Earned { $count } point.
   *[other] Earned { $count } points.
}
community-criterion-points-again = { $count ->
    [one] Another { $count } point earned (repeatable).
   *[other] Another { $count } points earned (repeatable).
}
community-criterion-idea-votes = { $count ->
    [one] An idea of yours reached { $count } vote.
   *[other] An idea of yours reached { $count } votes.
}
community-criterion-idea-votes-again = { $count ->
    [one] An idea of yours reached another { $count } vote (repeatable).
   *[other] An idea of yours reached another { $count } votes (repeatable).
}
community-criterion-ideas-delivered = { $count ->
    [one] { $count } idea of yours delivered.
   *[other] { $count } ideas of yours delivered.
}
community-criterion-ideas-delivered-again = { $count ->
    [one] Another { $count } idea of yours delivered (repeatable).
   *[other] Another { $count } ideas of yours delivered (repeatable).
}

## Leaderboard
community-leaderboard-title = Leaderboard
community-leaderboard-heading = Top contributors
community-leaderboard-periods = Period
community-leaderboard-boards = Boards
community-period-week = This week
community-period-month = This month
community-period-all = All time
community-leaderboard-all-boards = All boards
community-leaderboard-empty = No points earned in this period yet.
community-leaderboard-all-badges = All badges
