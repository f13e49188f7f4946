# The agent console: the support queue, a task, canned responses.

## Shared
agent-col-id = #
agent-col-subject = Subject
agent-col-customer = Customer
agent-col-priority = Priority
agent-col-status = Status
agent-col-owner = Owner
agent-col-due = Due
agent-task-number = Task #{ $id }
agent-queue-crumb = Queue
agent-escalated = escalated
agent-overdue = overdue
agent-breached = breached
agent-owner-unassigned = unassigned

## Task statuses
agent-status-new = new
agent-status-open = open
agent-status-pending = pending
agent-status-escalated = escalated
agent-status-resolved = resolved
agent-status-closed = closed

## Priorities
agent-priority-low = low
agent-priority-normal = normal
agent-priority-high = high
agent-priority-urgent = urgent

## A forum thread's status
agent-thread-open = open
agent-thread-answered = answered
agent-thread-solved = solved
agent-thread-locked = locked

## A task's mirror in the external CRM
agent-sync-pending = waiting to sync
agent-sync-synced = in sync
agent-sync-failed = sync failed

## The queue
agent-queue-title = Agent console
agent-queue-heading = Support queue
agent-reminders-due = Reminders due
agent-reminder-done = Done
agent-filter-active = active
agent-filter-any = any
agent-owner-anyone = anyone
agent-owner-me = me
agent-due-within = Due within (hours)
agent-stats-escalated = escalated in all: { $count }
agent-stats-breaches = first-response breaches: { $count }
# $minutes: a whole number, already in the page's digits.
agent-stats-median = median first response: { $minutes } min
agent-no-tasks = No tasks match.

## A task
agent-task-priority = Priority { $priority }
agent-task-first-due = first response due
agent-task-resolution-due = resolution due
agent-task-owner = owner
agent-task-not-synced-yet = (not yet)
agent-task-escalated = Escalated:
agent-task-question = Question
agent-task-claim = Claim
agent-unchanged = (unchanged)
agent-task-assign = Assign to user id
agent-task-assign-hint = an agent's username, or none to unassign
agent-task-update = Update
agent-task-reply-title = Reply as staff
agent-task-canned = Canned response
agent-task-insert = Insert
agent-task-reply-body = Official reply
agent-task-post-reply = Post official reply
agent-task-remind-title = Remind me
agent-task-remind-in = In how many hours
agent-task-remind-note = Note
agent-task-set-reminder = Set reminder
agent-task-reminder = Reminder
agent-task-other-tasks = Other tasks
agent-task-threads = Threads
agent-task-timeline = Timeline

## Canned responses
agent-canned-title = Canned responses
agent-canned-placeholders = Placeholders:
agent-canned-field-title = Title
agent-canned-field-body = Text
# Followed by the response's title in quotation marks.
agent-canned-delete = Delete
agent-canned-new = New response
agent-canned-add = Add

## The customer's timeline on the task page (params from the CRM)
timeline-member-joined = joined the community
timeline-post-created = replied in thread #{ $thread }
timeline-thread-created = asked “{ $title }”
timeline-task-created = task #{ $task } opened ({ $priority })
timeline-task-escalated = task #{ $task } escalated: { $reason }
timeline-task-status = task #{ $task }: { $from } → { $to } ({ $reason })
timeline-why-customer-replied = the customer replied
timeline-why-solution-accepted = a solution was accepted
timeline-why-solution-withdrawn = the accepted solution was withdrawn
timeline-why-external-crm = changed in the external CRM
timeline-why-by-agent = changed by an agent
timeline-task-sla = task #{ $task }: { $what }
timeline-sla-first-due-soon = first response due soon
timeline-sla-first-breached = first response SLA breached
timeline-sla-resolution-due-soon = resolution due soon
timeline-sla-resolution-breached = resolution SLA breached
timeline-task-updated = task #{ $task }: { $changes }
timeline-change-priority = priority { $from } → { $to }
timeline-change-assigned = assigned to { $user }
timeline-change-unassigned = unassigned
timeline-contact-segment = segment changed from { $from } to { $to }

## Why a task was escalated
agent-escalation-keyword = the keyword “{ $keyword }”
agent-escalation-vip = the asker is a VIP
agent-escalation-no-response = no accepted answer and no agent reply after { $hours ->
    [one] { $hours } hour
   *[other] { $hours } hours
}
agent-escalation-manual = escalated by staff member #{ $by }
agent-escalation-external = escalated in the external CRM
agent-task-more-replies = { $count ->
    [one] { $count } more reply: open the thread
   *[other] { $count } more replies: open the thread
}

## The queue's SLA countdowns
duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
duration-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}
duration-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
agent-due-in = due in { $duration }
agent-overdue-by = { $duration } overdue
