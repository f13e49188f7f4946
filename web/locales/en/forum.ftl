# The forum: boards, threads, posts, asking, editing, edit history, search
# and member profiles.

## Shared by the forum's pages
forum-by = by
forum-pages = Pages
forum-page-of = Page { $page } of { $pages }

## Thread states (search also shows KB articles as "published")
thread-status-open = Open
thread-status-answered = Answered
thread-status-solved = Solved
thread-status-locked = Locked
thread-status-published = KB article

## A board's thread orders
thread-sort-latest = Latest
thread-sort-unanswered = Unanswered
thread-sort-solved = Solved
thread-sort-top = Top

## A board (category.html)
category-archived = This board is archived: you can read its threads, but it takes no new threads or replies.
category-ask-here = Ask in this board
category-sort = Sort threads
category-empty = No threads here yet.

## A thread (thread.html)
thread-duplicate-of = Marked as a duplicate of
thread-in-kb = This answer is in the knowledge base:
thread-in-kb-link = read the article
thread-staff-answered = Answered by the support team.
thread-community-solved = Solved by the community. Answer by
thread-held = Your post is saved and waits for a moderator's review before others see it. You will be told when it is decided.
thread-reported = Thank you: the moderators have your report.
thread-solution = Solution
thread-solution-by = Accepted answer by
thread-solution-jump = Jump to the accepted solution
thread-pager-earlier = Earlier
thread-pager-later = Later
thread-archived = This board is archived: its threads are read-only.
thread-locked = This thread is locked.
thread-reply-label = Your answer (Markdown)
thread-reply-button = Post reply
thread-sign-in-to-reply = Sign in to reply
thread-kb-article = KB article ({ $status })
thread-kb-status-draft = draft
thread-kb-status-review = in review
thread-kb-status-published = published
thread-kb-status-archived = archived
thread-promote = Promote to KB
thread-watch = Watch this thread
thread-unwatch = Stop watching
thread-support-task = Support task #{ $id } ({ $status })
thread-task-status-new = new
thread-task-status-open = open
thread-task-status-pending = pending
thread-task-status-escalated = escalated
thread-task-status-resolved = resolved
thread-task-status-closed = closed
thread-escalate = Escalate to support
thread-move-to = Move to
thread-move = Move
thread-duplicate-field = Duplicate of thread
    .placeholder = number
thread-mark-duplicate = Mark duplicate
thread-lock = Lock thread
thread-unlock = Unlock thread

## A post (post.html)
post-official = Official · { $role }
post-edited = edited
post-accepted = Accepted solution
post-review-held = waiting for review
post-review-hidden = hidden pending review
post-review-removed = removed by a moderator
post-deleted = deleted
post-hidden-body = This post is hidden while a moderator reviews it.
post-kudos = { $count ->
    [one] { $count } kudo
   *[other] { $count } kudos
}
post-kudo-give = Give kudo
    .aria-label = { $count ->
        [one] Give kudo (now { $count } kudo)
       *[other] Give kudo (now { $count } kudos)
    }
post-kudo-withdraw = Withdraw kudo
    .aria-label = { $count ->
        [one] Withdraw kudo (now { $count } kudo)
       *[other] Withdraw kudo (now { $count } kudos)
    }
post-accept = Accept as solution
post-report = Report
post-report-why = Why should moderators look at this post?
post-report-spam = Spam or advertising
post-report-abusive = Abusive or hateful
post-report-off_topic = Off topic
post-report-needs_staff = Needs the staff's attention
post-report-other = Something else
post-report-note = Note for the moderators (optional)
post-report-send = Send report

## Asking (ask.html)
ask-find-similar = Find similar questions
ask-already-answered = Already answered?
ask-body = Details (Markdown)
ask-tags = Tags (comma separated)
ask-submit = Post question

## Editing a post and its history
edit-title = Edit post
edit-body = Text (Markdown)
history-title = Edit history
history-back = Back to the post
history-version = Version { $number }
history-none = This post has not been edited.

## Search (search.html); the tips are search syntax: keep "…", tag:,
## category: and is:solved as they are, translate the example words.
search-form = Search the community
search-submit = Search
search-tip = Tip:
search-tip-phrase = "exact phrase"
search-tip-tag = tag:billing
search-tip-category = category:support
search-tip-solved = is:solved
search-filters = Filters
search-clear = Clear filters
search-boards = Boards
search-status = Status
search-tags = Tags
search-kind = Type
search-kind-threads = Threads
search-kind-idea = Idea
search-kind-ideas = Ideas
search-kind-articles = Articles
search-results = Results
search-prompt = Type a question, a phrase or a tag.
search-widened-any = No result has all of these words; showing results with any of them.
search-widened-near = No result has these words as typed; showing results with similar spellings.
search-none = Nothing matched your search.
search-ask = Ask the community
search-from-thread = From a community thread

## A member's profile (profile.html)
profile-joined = joined
profile-questions = Questions
profile-replies = Replies
profile-accepted = Accepted answers
profile-kudos = Kudos received
profile-badges = Badges
profile-no-badges = No badges yet.
profile-none-yet = None yet.
profile-recent = Recent questions

## The composer's character count (server text, then hearth.js)
compose-limit = At most { $max } characters.
compose-too-long = Too long to post: shorten the text (it stays here).
compose-preview = Preview
compose-attach = Attach a file
compose-uploading = Uploading…
compose-upload-failed = The file could not be uploaded.
compose-draft-saved = Draft saved
post-quote = Quote
post-quote-wrote = wrote
search-instant = Quick results
compose-mention-list = Members to mention
compose-mentions = { $count ->
    [one] { $count } member suggested
   *[other] { $count } members suggested
}

## The member's own settings (/settings/profile)
profile-settings-title = Your profile
profile-settings-view = See your public profile
profile-settings-saved = Your profile was saved.
profile-settings-profile = Profile
profile-settings-avatar = Your picture. Without one, your initials are drawn.
profile-settings-avatar-choose = Upload a picture
profile-settings-avatar-hint = PNG, JPEG, GIF or WebP; the centre is cropped to a square.
profile-settings-avatar-remove = Use my initials instead
profile-settings-avatar-saved = Your picture is saved.
profile-settings-save = Save profile
profile-settings-password = Password
profile-settings-password-changed = Your password was changed; your other sessions were signed out.
profile-settings-password-hint = At least 8 characters. Changing it signs you out everywhere else.
profile-settings-password-save = Change password
profile-bio = About
profile-settings-email-current = Your address now:
profile-settings-email-save = Send a confirmation link
profile-settings-email-sent = We sent a link to your new address. Your address changes when you open it.
profile-settings-time-zone-none = Not chosen (UTC)
profile-settings-time-zone-hint = Dates and times on pages are shown in this zone.
profile-settings-time-zone-detected = Your browser’s time zone is selected. Save the profile to keep it.
profile-activity = Activity
