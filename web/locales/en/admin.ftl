# Administration pages: the dashboard, members, boards, the staff audit
# log, site settings and the CRM rules.

## Shared by the staff pages
admin-any = any
admin-role = Role
admin-status = Status
admin-rank = Rank
admin-reason = Reason
admin-filter = Filter
admin-none = None.
admin-pages = Pages
admin-page-of = Page { $page } of { $pages }
admin-col-member = Member
admin-col-email = Email
admin-col-posts = Posts
admin-col-joined = Joined
admin-col-last-seen = Last seen
admin-col-when = When
admin-col-who = Who
admin-col-what = What
admin-col-on = On
admin-col-before = Before
admin-col-after = After
admin-col-board = Board
admin-col-threads = Threads
admin-col-state = State
admin-col-order = Order

## Member standing
admin-status-active = active
admin-status-silenced = silenced
admin-status-suspended = suspended
admin-status-banned = banned

## Dashboard
admin-dash-title = Administration
admin-dash-today = Last 24 hours:
# Follows a number in bold: "<strong>7</strong> new members".
admin-dash-new-members = { $count ->
    [one] new member
   *[other] new members
}
# Follows a number in bold: "<strong>3</strong> posts".
admin-dash-posts = { $count ->
    [one] post
   *[other] posts
}
admin-dash-status-active = { $count } active
admin-dash-status-silenced = { $count } silenced
admin-dash-status-suspended = { $count } suspended
admin-dash-status-banned = { $count } banned
admin-dash-review = Review queue
admin-dash-review-waiting = { $count } waiting for review
admin-dash-review-overdue = { $count } overdue
admin-dash-open-reports = { $count ->
    [one] { $count } open report
   *[other] { $count } open reports
}
admin-dash-held-posts = { $count ->
    [one] { $count } held post
   *[other] { $count } held posts
}
admin-dash-hidden-posts = { $count ->
    [one] { $count } hidden post
   *[other] { $count } hidden posts
}
admin-dash-review-month = Last 30 days: { $count } decided, { $n } of them approved (false alarms)
# $value: a number with one decimal, already in the page's digits.
admin-dash-report-rate = { $value } reports per 1,000 posts
admin-dash-mail = Mail
admin-dash-mail-waiting = { $count } waiting
admin-dash-mail-sent = { $count } sent
admin-dash-mail-failed = { $count } given up
admin-dash-support = Support
admin-dash-sla-breaches = { $count ->
    [one] { $count } task past its SLA
   *[other] { $count } tasks past their SLA
}
admin-dash-crm-dead = { $count ->
    [one] { $count } CRM delivery given up
   *[other] { $count } CRM deliveries given up
}

## Members
admin-members-title = Members
admin-members-find = Find members
admin-members-q = Name or email
admin-members-sort = Sort
admin-members-sort-joined = newest
admin-members-sort-seen = last seen
admin-members-sort-posts = most posts
admin-members-show = Show
admin-members-found = { $count } found

## One member
admin-member-until = until
admin-member-email-pending = email not confirmed
admin-member-email-confirmed = email confirmed
admin-member-email-not-asked = email not confirmed (not asked)
admin-member-joined = joined
admin-member-profile = public profile
admin-member-crm-contact = CRM contact
admin-member-reset-link = Mail is off, so hand this single-use link (valid one hour) to the member:
admin-member-moderation = Moderation
admin-member-trust = Trust
admin-member-reports-received = Reports on their posts
admin-member-reports-given = Reports they made
admin-member-addresses = Addresses they signed in or registered from
admin-member-address = Address
admin-member-times = Times
admin-member-other-accounts = Other accounts there
admin-member-change-role = Change role
admin-member-standing = Standing
admin-member-new-standing = New standing
admin-member-standing-active = Active (lift any limit)
admin-member-standing-silenced = Silenced: reads, cannot post
admin-member-standing-suspended = Suspended: cannot sign in
admin-member-standing-banned = Banned: suspended for good
admin-member-days = For how many days (blank: until lifted)
admin-member-standing-reason = Reason, shown to the member
admin-member-apply = Apply
admin-member-email = Email address
admin-member-email-explain = The member has not opened the confirmation link yet, so they cannot post.
admin-member-confirm-email = Confirm the address
admin-member-password = Password
admin-member-send-reset = Send a password reset link
admin-member-erase-title = Erase personal data
admin-member-erase-explain = Removes the name, email, password, sessions, identities, preferences, notices and CRM details for good; posts stay, as "Deleted member". This cannot be undone.
# Followed by the username in bold.
admin-member-erase-type = To confirm, type the username
admin-member-erase = Erase
admin-member-history = Staff actions on this member

## Staff audit log
admin-audit-title = Staff audit log
admin-audit-action = Action
    .placeholder = member.standing
admin-audit-command-line = command line
admin-audit-target-user = member #{ $id }
admin-audit-target-board = board #{ $id }
admin-audit-target-post = post #{ $id }
admin-audit-target-setting = site settings
admin-audit-action-member-role = Role changed
admin-audit-action-member-standing = Standing changed
admin-audit-action-member-password_reset = Password reset link made
admin-audit-action-member-erased = Personal data erased
admin-audit-action-member-email_confirmed = Email address confirmed by staff
admin-audit-action-member-email_changed = Email address changed by the member (confirmed at the new address)
admin-audit-action-board-create = Board created
admin-audit-action-board-update = Board settings changed
admin-audit-action-board-move = Board moved
admin-audit-action-board-archive = Board archived
admin-audit-action-board-unarchive = Board opened again
admin-audit-action-setting-set = Site setting changed
admin-audit-action-setting-clear = Site setting reset to the file's value
admin-audit-action-review-approve = Review: approved
admin-audit-action-review-reject = Review: rejected
admin-audit-action-review-reject_and_silence = Review: rejected, author silenced
admin-audit-action-review-delete_spam = Review: deleted as spam, author suspended
admin-audit-value-mailed = mailed to the member
admin-audit-value-link-shown = link shown to staff
admin-audit-value-confirmed = confirmed
admin-audit-value-unconfirmed = not confirmed
admin-audit-value-erased = erased
admin-audit-value-approved = approved

## Boards
admin-boards-title = Boards
admin-boards-intro = In the order members see them. Archived boards are read-only and left off the board list; their threads stay readable.
admin-boards-move-up = Move { $name } up
admin-boards-move-down = Move { $name } down
admin-boards-up = Up
admin-boards-down = Down
admin-boards-new = New board
admin-boards-create = Create board
admin-boards-audit = Board changes in the audit log
admin-board-who-sees = Who sees it
admin-board-who-starts = Who starts threads
admin-board-crm = CRM tasks
admin-board-crm-field = CRM tasks for new threads
admin-board-premod = Pre-moderation
admin-board-see-customer = everyone
admin-board-see-agent = agents and up
admin-board-see-moderator = moderators and admins
admin-board-see-admin = admins
admin-board-start-everyone = everyone
admin-board-start-everyone-option = everyone who sees it
admin-board-start-rank-option = members of a rank and up
admin-board-start-rank-of = rank { $rank } and up
admin-board-start-staff = staff
admin-board-crm-rules = as the CRM rules say
admin-board-crm-on = on
admin-board-crm-off = off
admin-board-premod-none = none
admin-board-premod-new_members = first posts of new members
admin-board-premod-all = all posts
admin-board-archived = archived
admin-board-open = open
admin-board-slug = Address
    .placeholder = how-to
admin-board-slug-hint = lower-case letters, digits and dashes; it cannot change later
admin-board-name = Name
admin-board-description = Description
admin-board-rank = Rank (for "members of a rank")
admin-board-position = position { $n }
admin-board-archived-note = read-only, not on the board list
admin-board-view = the board
admin-board-all = all boards
admin-board-settings = Settings
admin-board-archive-title = Archive
admin-board-archive-explain = An archived board takes no new threads or replies and leaves the board list; its threads stay readable at their addresses.
admin-board-archive = Archive
admin-board-unarchive = Open the board again
admin-board-history = Changes to this board

## CRM administration
admin-crm-title = CRM administration
admin-crm-heading = CRM
admin-crm-connector = Connector: { $name }
admin-crm-connector-none = Connector: built-in only
admin-crm-pending = pending deliveries: { $count }
admin-crm-dead-count = dead letters: { $count }
admin-crm-rules = Rules
admin-crm-task-categories = Categories whose threads become tasks
admin-crm-no-response-hours = Escalate with no accepted answer and no agent reply after (hours, 0 = off)
admin-crm-keywords = Escalation keywords
admin-crm-vip-segments = VIP segments (escalate at once)
admin-crm-manual-escalation = Moderators and agents may escalate by hand
admin-crm-default-priority = Default priority
admin-crm-escalated-priority = Escalated priority
admin-crm-vip-priority = VIP priority
admin-crm-segments = Contact segments
admin-crm-lifecycle = Lifecycle stages
admin-crm-sla = SLA targets
admin-crm-sla-first = First response (hours)
admin-crm-sla-resolution = Resolution (hours)
admin-crm-sla-first-for = First response for { $priority } priority, in hours
admin-crm-sla-resolution-for = Resolution for { $priority } priority, in hours
admin-crm-warn-before = Warn before (minutes)
admin-crm-save = Save rules
admin-crm-dead = Dead letters
admin-crm-no-dead = Nothing failed for good.
admin-crm-replay-all = Replay all
admin-crm-replay = Replay
admin-crm-replay-one = Replay delivery #{ $id }
admin-crm-col-task = Task
admin-crm-col-kind = Kind
admin-crm-col-attempts = Attempts
admin-crm-col-error = Last error
admin-crm-col-action = Action
admin-crm-kind-sync = task update
admin-crm-kind-comment = comment

## Site settings
admin-settings-title = Site settings
admin-settings-intro = These settings take effect on every node within seconds, without a restart. A setting not set here has the configuration file's (or environment's) value.
admin-settings-admins-only = Only administrators change them.
admin-settings-col-setting = Setting
admin-settings-col-value = Value
admin-settings-col-source = Source
admin-settings-rate-limit = { $key }: requests allowed
admin-settings-rate-period = { $key }: period in seconds
# Between a rate limit's two fields: "[10] per [60] s".
admin-settings-per = per
admin-settings-seconds = s
admin-settings-rate = { $limit } per { $seconds } s
admin-settings-source-here = set here (file: { $value })
admin-settings-source-file = file
admin-settings-reset = Reset { $key } to the file's value
admin-settings-yes = yes
admin-settings-no = no
admin-settings-empty = (empty)
admin-settings-registration-open = open: anyone may register
admin-settings-registration-invite_only = invitation only
admin-settings-registration-sso_only = single sign-on only

## Site settings: the groups (.save: the group's button)
setting-group-site = Site
    .save = Save site settings
setting-group-registration = Registration
    .save = Save registration settings
setting-group-mail = Mail
    .save = Save mail settings
setting-group-rate_limits = Rate limits
    .save = Save rate limits
setting-group-moderation = Moderation
    .save = Save moderation settings

## Site settings: what each does (the key, dots as dashes)
setting-site_name = Shown in every page's header and title, and in mails.
setting-default_language = The interface language for visitors whose browser asks for none of en, ru, uk, fa.
setting-registration-mode = Who may create an account with a password: anyone, no one (by invitation only), or no one (accounts come from single sign-on only).
setting-mail-from = The sender of every mail, e.g. Acme Community <community@example.com>.
setting-rate_limits-register_per_address = Registrations from one network address per period (0: no limit).
setting-rate_limits-register_per_address_per_day = Registrations from one network address over a longer period, normally a day (0: no limit).
setting-rate_limits-password_forgot_per_address = Password reset requests from one address per period (0: no limit).
setting-rate_limits-sso_start_per_address = Single sign-on attempts from one address per period (0: no limit).
setting-rate_limits-search_per_address = Searches from one address per period (0: no limit).
setting-rate_limits-suggest_per_address = Suggestion look-ups while asking a question, from one address per period (0: no limit).
setting-rate_limits-thread_per_address = New threads from one address per period (0: no limit).
setting-rate_limits-thread_per_account = New threads by one account per period (0: no limit).
setting-rate_limits-reply_per_address = Replies from one address per period (0: no limit).
setting-rate_limits-reply_per_account = Replies by one account per period (0: no limit).
setting-rate_limits-confirm_resend_per_address = New confirmation mails asked for from one address per period (0: no limit).
setting-rate_limits-confirm_resend_per_account = New confirmation mails asked for by one account per period (0: no limit).
setting-moderation-review_sla_hours = Open review items older than this are overdue.
setting-moderation-flags-min_trust = The least trust a member needs to report posts.
setting-moderation-flags-daily_allowance = Reports one member may make per day.
setting-moderation-flags-hide_threshold = A post is hidden pending review when its reports weigh this much.
setting-moderation-flags-member_weight = The weight of an ordinary member's report.
setting-moderation-flags-leader_weight = The weight of a community leader's or staff member's report.
setting-moderation-new_members-enabled = Whether the new-member limits below apply.
setting-moderation-new_members-max_links = Links a new member's post may carry.
setting-moderation-new_members-max_mentions = Mentions a new member's post may carry.
setting-moderation-new_members-max_topics_first_day = Threads a new member may start on their first day.
setting-moderation-new_members-max_replies_first_day = Replies a new member may post on their first day.
setting-moderation-new_members-min_seconds_between_posts = Seconds a new member waits between two posts (0: no wait).
setting-moderation-new_members-duplicate_window_secs = The same text twice within this many seconds is refused (0: never).
setting-moderation-spam-enabled = Whether new members' posts are scored for spam.
setting-moderation-spam-hold_at = A new member's post scoring this or more (of 100) is held.
setting-moderation-spam-min_training_docs = Decisions of each kind the classifier learns from before it speaks.
setting-moderation-trust-new_member_days = An account younger than this many days is new…
setting-moderation-trust-trusted_after_posts = …and so is one with fewer visible posts than this…
setting-moderation-trust-trusted_min_points = …unless its reputation reached this many points.
setting-moderation-trust-sso_is_trusted = A single sign-on identity vouches for a member.
setting-moderation-trust-crm_company_is_trusted = A CRM contact with a known company vouches for a member.
setting-moderation-trust-leader_rank = Members at this rank or above are community leaders (empty: none).
