# Notifications: the bell's page, notification settings, unsubscribing,
# and the kinds of notification.

## Kinds of notification (settings, unsubscribe pages, mails' footers)
notify-kind-reply = Replies to your questions
    .description = Someone answers a question you asked.
notify-kind-accepted = Accepted answers
    .description = Your answer is accepted as the solution.
notify-kind-mention = Mentions
    .description = Someone mentions you by @username.
notify-kind-watched = Watched threads and boards
    .description = Something new is posted where you watch.
notify-kind-badge = Badges
    .description = You earn a badge.
notify-kind-escalated = Escalations
    .description = A support task is escalated to you.
notify-kind-sla = SLA warnings
    .description = A support task is about to miss its response time.
notify-kind-kb_review = Articles to review
    .description = A knowledge base article needs a curator’s look.
notify-kind-analytics = Weekly community figures
    .description = Admins: last week's headline figures, every Monday.

## Mail modes
notify-mode-instant = At once
notify-mode-digest = In the daily digest
notify-mode-off = Off

## The bell's lines (thread titles, names and badge names are user content)
notify-line-reply = { $poster } replied to “{ $title }”
notify-line-mention = { $mentioner } mentioned you in “{ $title }”
notify-line-watched = New activity in “{ $title }”
notify-line-accepted = Your answer in “{ $title }” was accepted
notify-line-badge = You earned the badge “{ $badge }”
notify-line-badge-level = You earned the badge “{ $badge }” (×{ $level })
notify-line-kb-awaiting = Article awaiting review: { $article }
notify-line-kb-unhelpful = Readers find this article unhelpful: { $article }
notify-line-kb-source_changed = Source changed: { $article }
notify-line-escalated = Task #{ $id } escalated: “{ $title }”
notify-line-sla = Task #{ $id }: SLA about to breach (“{ $title }”)
notify-line-analytics = Your community’s week in figures: { $from } to { $to }
notify-line-role = Your role is now: { $role }
notify-line-active = Your account is active again
notify-line-silenced = You cannot post for now: { $reason }
notify-line-silenced-bare = You cannot post for now
notify-line-suspended = Your account is suspended: { $reason }
notify-line-suspended-bare = Your account is suspended
notify-line-banned = Your account is closed: { $reason }
notify-line-banned-bare = Your account is closed
notify-line-post-hidden = Your post in “{ $title }” was hidden after members reported it; a moderator will review it
notify-line-post-approved = Your post in “{ $title }” was approved and is now visible
notify-line-post-restored = Your post in “{ $title }” is visible again
notify-line-post-removed = Your post in “{ $title }” was removed by a moderator: { $reason }
notify-line-post-removed-bare = Your post in “{ $title }” was removed by a moderator

## The notifications page
notify-title = Notifications
notify-new = { $count } new
notify-mark-read = Mark all as read
notify-empty = Nothing yet.

## Notification settings
notify-settings-title = Notification settings
notify-settings-heading = Notifications
notify-settings-saved = Saved.
notify-settings-kind = When
notify-settings-mail = Mail
notify-settings-boards = Boards you watch
notify-settings-boards-none = You watch no boards yet.
notify-settings-threads = Threads you watch
notify-settings-threads-none = None yet: use “Watch” on a thread.
notify-watch = Watch
notify-unwatch = Stop watching

## Unsubscribing by a mail's link
notify-unsubscribe-title = Unsubscribe
notify-unsubscribe-ask = Unsubscribe?
notify-unsubscribe-question = Stop mails about “{ $kind }”?
notify-unsubscribe-button = Unsubscribe
notify-unsubscribe-done-title = Unsubscribed
notify-unsubscribe-done = You will get no more mails about “{ $kind }”.
notify-unsubscribe-settings = Change your notification settings
