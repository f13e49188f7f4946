# The review queue (/mod/review) and moderation's words on other staff
# pages.

## Trust levels
mod-trust-new = new
mod-trust-member = member
mod-trust-leader = leader
mod-trust-staff = staff
# The author's trust, as a badge beside their name.
mod-author-new = new member
mod-author-member = established member
mod-author-leader = community leader
mod-author-staff = staff

## Decisions
mod-decision-approve = Approve
mod-decision-reject = Reject
mod-decision-reject_and_silence = Reject and silence the author
mod-decision-delete_spam = Delete as spam and suspend
mod-outcome-approve = Approved
mod-outcome-reject = Rejected
mod-outcome-reject_and_silence = Rejected, author silenced
mod-outcome-delete_spam = Deleted as spam, author suspended
mod-outcome-open = Waiting

## Where a post stands
mod-post-held = held
mod-post-hidden = hidden
mod-post-rejected = rejected
mod-post-shown = shown

## Why members report a post
mod-flag-spam = spam
mod-flag-abusive = abusive
mod-flag-off_topic = off topic
mod-flag-needs_staff = needs staff
mod-flag-other = other

## Why a post is held
mod-hold-links = { $count } links; new members may post { $max } per post
mod-hold-mentions = { $count } mentions; new members may mention { $max } people per post
mod-hold-first-day-topics = more than { $max } new topics on the first day
mod-hold-first-day-replies = more than { $max } replies on the first day
mod-hold-too-soon = new members wait { $seconds } s between posts
mod-hold-premoderation = this board reviews posts before they appear
mod-hold-flagged = reported by members (weight { $score })
mod-hold-spam = spam score { $score } of 100

## The queue
mod-title = Review queue
mod-done-claimed = The item is yours for the next 30 minutes.
mod-done-bulk = The chosen items are decided.
mod-done-decided = Decided. The author has been told.
mod-sla-title = Service level
mod-waiting = { $count } waiting
mod-waiting-too-long = { $count } waiting longer than { $hours } h
mod-held = { $count } held
mod-hidden = { $count } hidden
mod-span-minutes = { $minutes } min
mod-span-hours = { $hours } h { $minutes } min
# $value and $other: durations ("3 h 20 min").
mod-month-summary = Last 30 days: time to review { $value } (median), { $other } (p90) over { $count ->
    [one] { $count } decision
   *[other] { $count } decisions
}, { $n } approved.
mod-tabs = Queue
mod-tab-oldest = Oldest first
mod-tab-priority = By priority
mod-tab-decided = Decided
mod-items = { $count ->
    [one] { $count } item
   *[other] { $count } items
}
mod-empty = Nothing waits for review.
mod-bulk-label = For the ticked items
mod-bulk-reason = Reason told to the authors
mod-bulk-submit = Decide the ticked items
mod-choose-item = Choose item { $id }
# Followed by the thread's title in quotation marks.
mod-item-question = Question in
mod-item-reply = Reply in
# Followed by the author's name.
mod-item-by = by
mod-item-waiting-since = queued
mod-item-priority = priority { $n }
mod-overdue = overdue
mod-reports-caption = Reports (weight { $score })
mod-col-by = By
mod-col-reason = Reason
mod-col-note = Note
mod-col-weight = Weight
mod-claimed-by = Claimed by
mod-claim = Claim
mod-decision = Decision
mod-reason = Reason told to the author
mod-days = Days of silence or suspension (empty: 7 days of silence; a spammer is banned)
mod-decide = Decide
# Between the outcome and the moderator's name: "Rejected by Mia".
mod-decided-by = by

## Why the spam score is high (one per signal)
mod-signal-reads-like-spam = reads like past spam ({ $percent }%)
mod-signal-same-text = { $count ->
    [one] the same text came from { $count } other account today
   *[other] the same text came from { $count } other accounts today
}
mod-signal-spam-hosts = { $count ->
    [one] { $count } link host seen in spam
   *[other] { $count } link hosts seen in spam
}
mod-signal-unseen-hosts = { $count ->
    [one] { $count } link host never seen in this community
   *[other] { $count } link hosts never seen in this community
}
mod-signal-links = { $count ->
    [one] { $count } link
   *[other] { $count } links
}
mod-signal-typed-too-fast = a first post of { $count } characters written in { $seconds } s
mod-signal-remote = the spam checking service says spam
