# Shared by every page: the frame, navigation, times, counts, errors.

-brand-fallback = Hearth

## The frame (base.html)
skip-to-content = Skip to content
nav-main = Main
nav-home = Home
nav-kb = Knowledge base
nav-ideas = Ideas
nav-leaders = Leaders
nav-ask = Ask a question
nav-agent = Agent console
nav-admin = Admin
nav-settings = Settings
nav-sign-in = Sign in
nav-join = Join
nav-sign-out = Sign out
nav-menu = Menu
nav-notifications = Notifications
notifications-unread = { $count ->
    [0] Notifications, none unread
    [one] Notifications, { $count } unread
   *[other] Notifications, { $count } unread
}
search-label = Search
search-placeholder = Search the community
search-open = Open search
footer-powered = Powered by Hearth
footer-language = Language
footer-language-apply = Change language

## Relative and absolute times
time-just-now = just now
time-minutes-ago = { $count ->
    [one] { $count } minute ago
   *[other] { $count } minutes ago
}
time-hours-ago = { $count ->
    [one] { $count } hour ago
   *[other] { $count } hours ago
}
time-days-ago = { $count ->
    [one] { $count } day ago
   *[other] { $count } days ago
}
time-months-ago = { $count ->
    [one] { $count } month ago
   *[other] { $count } months ago
}
time-years-ago = { $count ->
    [one] { $count } year ago
   *[other] { $count } years ago
}

## Counts used on many pages
count-replies = { $count ->
    [one] { $count } reply
   *[other] { $count } replies
}
count-views = { $count ->
    [one] { $count } view
   *[other] { $count } views
}
count-votes = { $count ->
    [one] { $count } vote
   *[other] { $count } votes
}
count-members = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
count-threads = { $count ->
    [one] { $count } thread
   *[other] { $count } threads
}
count-posts = { $count ->
    [one] { $count } post
   *[other] { $count } posts
}
count-points = { $count ->
    [one] { $count } point
   *[other] { $count } points
}
count-results = { $count ->
    [one] { $count } result
   *[other] { $count } results
}

## Roles
role-customer = Customer
role-agent = Support agent
role-moderator = Moderator
role-admin = Administrator

## Pagination and common actions
pager-newer = Newer
pager-older = Older
pager-previous = Previous
pager-next = Next
action-save = Save
action-cancel = Cancel
action-delete = Delete
action-edit = Edit
action-submit = Submit
action-back = Back

## Error pages
error-title-401 = Please sign in
error-title-403 = Not allowed
error-title-404 = Not found
error-title-413 = Too large
error-title-422 = Please check your input
error-title-429 = Slow down
error-title-503 = Busy
error-title-500 = Something went wrong
error-home = Back to the home page
error-sign-in = Sign in
error-new-confirmation = Send me a new confirmation link
error-validation_failed = Please check { $field }.
error-not_found = We could not find that page or item.
error-unauthenticated = Sign in to do this.
error-forbidden = You are not allowed to do this.
error-conflict = This conflicts with something that already exists or was changed meanwhile. Reload and try again.
error-bad_credentials = Wrong username or password.
error-busy = The site is busy. Please try again in a moment.
error-unavailable = A service this needs is not answering. Please try again in a moment.
error-rate_limited = { $seconds ->
    [one] Too many requests. Please try again in { $seconds } second.
   *[other] Too many requests. Please try again in { $seconds } seconds.
}
error-suspended = This account is suspended.
error-silenced = You cannot post at the moment.
error-email_unconfirmed = Confirm your email address before posting: open the link we mailed you, or ask for a new one.
error-internal = Something went wrong on our side; it has been logged.
error-csrf = This form has expired. Go back, reload the page and try again.
error-payload_too_large = What you sent is too large.
error-generic = The request could not be completed.
error-reason = Reason: { $reason }

## Field names, for "please check …" (the form fields members fill in)
field-title = Title
field-body = Text
field-file = File
field-username = Username
field-email = Email address
field-password = Password
field-display_name = Display name
field-language = Language
field-reason = Reason
field-tags = Tags
field-slug = Address (slug)
field-description = Description
field-category = Board
field-q = Search words
field-note = Note
field-subject = Subject
field-token = Link
field-value = Value
field-article = Article
field-confirm = Confirmation
field-decision = Decision
field-duplicate_of = Original thread
field-of = Original thread
field-for_days = Number of days
field-days = Number of days
field-ids = Items
field-id = Item
field-key = Setting
field-kind = Kind
field-lifecycle = Lifecycle stage
field-segment = Segment
field-owner_id = Assignee
field-owner = Assignee
field-page = Page
field-per_page = Items per page
field-offset = Offset
field-limit = Limit
field-post = Post
field-thread = Thread
field-role = Role
field-s = Link
field-settings = Settings
field-sort = Sort order
field-start_threads = Who may start threads
field-see_min_role = Who can see it
field-status = Status
field-state = State
field-premoderation = Pre-moderation
field-crm_tasks = CRM tasks
field-rank = Rank
field-period = Period
field-mode = Delivery
field-notes = Notes
field-remind_at = Reminder time
field-in_hours = In how many hours
field-due_within_hours = Due within (hours)
field-priority = Priority
field-name = Name
field-path = Address
field-query = Query string
field-target = What to watch
field-line = Line
field-ask_id = Question session
field-rules = Rules
field-reputation = Reputation
field-crm = CRM
field-crm-connector = CRM connector
field-escalated = Escalation
field-account = Account
field-badge = Badge
field-reply = Reply
field-bio = Bio
field-from = First day
field-to = Last day
field-range = Period
field-avatar = Picture
field-current_password = Current password
field-new_password = New password
field-new_email = New email address
field-time_zone = Time zone
field-idempotency_key = Idempotency key
