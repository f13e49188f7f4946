# میز پشتیبانی: صف پشتیبانی، یک کار، پاسخ‌های آماده.

## مشترک
agent-col-id = شماره
agent-col-subject = موضوع
agent-col-customer = مشتری
agent-col-priority = اولویت
agent-col-status = وضعیت
agent-col-owner = مسئول
agent-col-due = مهلت
agent-task-number = کار شمارهٔ { $id }
agent-queue-crumb = صف
agent-escalated = ارجاع‌شده
agent-overdue = عقب‌افتاده
agent-breached = از مهلت گذشته
agent-owner-unassigned = بدون مسئول

## وضعیت کارها
agent-status-new = تازه
agent-status-open = باز
agent-status-pending = در انتظار
agent-status-escalated = ارجاع‌شده
agent-status-resolved = حل‌شده
agent-status-closed = بسته

## اولویت‌ها
agent-priority-low = کم
agent-priority-normal = عادی
agent-priority-high = زیاد
agent-priority-urgent = فوری

## وضعیت موضوع در انجمن
agent-thread-open = باز
agent-thread-answered = پاسخ‌داده‌شده
agent-thread-solved = حل‌شده
agent-thread-locked = قفل‌شده

## نسخهٔ کار در CRM بیرونی
agent-sync-pending = در انتظار همگام‌سازی
agent-sync-synced = همگام
agent-sync-failed = همگام‌سازی ناموفق

## صف
agent-queue-title = میز پشتیبانی
agent-queue-heading = صف پشتیبانی
agent-reminders-due = یادآوری‌های سررسیده
agent-reminder-done = انجام شد
agent-filter-active = فعال
agent-filter-any = همه
agent-owner-anyone = هر کسی
agent-owner-me = من
agent-due-within = مهلت تا چند ساعت دیگر
agent-stats-escalated = همهٔ ارجاع‌ها: { $count }
agent-stats-breaches = گذشتن از مهلت نخستین پاسخ: { $count }
# $minutes عددی صحیح است، از پیش با رقم‌های فارسی.
agent-stats-median = میانهٔ زمان نخستین پاسخ: { $minutes } دقیقه
agent-no-tasks = هیچ کاری با این فیلترها نیست.

## یک کار
agent-task-priority = اولویت: { $priority }
agent-task-first-due = مهلت نخستین پاسخ:
agent-task-resolution-due = مهلت حل:
agent-task-owner = مسئول:
agent-task-not-synced-yet = (هنوز نه)
agent-task-escalated = ارجاع شد:
agent-task-question = پرسش:
agent-task-claim = برداشتن کار
agent-unchanged = (بدون تغییر)
agent-task-assign = واگذاری به شناسهٔ کاربر
agent-task-assign-hint = نام کاربری یک کارشناس، یا none برای برداشتن مسئول
agent-task-update = به‌روزرسانی
agent-task-reply-title = پاسخ از طرف پشتیبانی
agent-task-canned = پاسخ آماده
agent-task-insert = درج
agent-task-reply-body = پاسخ رسمی
agent-task-post-reply = انتشار پاسخ رسمی
agent-task-remind-title = یادآوری به من
agent-task-remind-in = چند ساعت دیگر
agent-task-remind-note = یادداشت
agent-task-set-reminder = تنظیم یادآوری
agent-task-reminder = یادآوری
agent-task-other-tasks = کارهای دیگر
agent-task-threads = موضوع‌ها
agent-task-timeline = تاریخچه

## پاسخ‌های آماده
agent-canned-title = پاسخ‌های آماده
agent-canned-placeholders = جای‌نگهدارها:
agent-canned-field-title = عنوان
agent-canned-field-body = متن
# پس از این واژه، عنوان پاسخ در گیومه می‌آید.
agent-canned-delete = حذف
agent-canned-new = پاسخ آمادهٔ تازه
agent-canned-add = افزودن

## سابقهٔ مشتری در صفحهٔ کار (پارامترها از CRM)
timeline-member-joined = به جامعه پیوست
timeline-post-created = در موضوع شمارهٔ { $thread } پاسخ داد
timeline-thread-created = پرسید «{ $title }»
timeline-task-created = کار شمارهٔ { $task } باز شد ({ $priority })
timeline-task-escalated = کار شمارهٔ { $task } ارجاع شد: { $reason }
timeline-task-status = کار شمارهٔ { $task }: { $from } ← { $to } ({ $reason })
timeline-why-customer-replied = مشتری پاسخ داد
timeline-why-solution-accepted = یک راه‌حل پذیرفته شد
timeline-why-solution-withdrawn = راه‌حل پذیرفته‌شده پس گرفته شد
timeline-why-external-crm = در CRM بیرونی تغییر کرد
timeline-why-by-agent = کارشناس تغییر داد
timeline-task-sla = کار شمارهٔ { $task }: { $what }
timeline-sla-first-due-soon = مهلت نخستین پاسخ نزدیک است
timeline-sla-first-breached = مهلت نخستین پاسخ گذشت
timeline-sla-resolution-due-soon = مهلت حل نزدیک است
timeline-sla-resolution-breached = مهلت حل گذشت
timeline-task-updated = کار شمارهٔ { $task }: { $changes }
timeline-change-priority = اولویت { $from } ← { $to }
timeline-change-assigned = به { $user } سپرده شد
timeline-change-unassigned = از کسی گرفته شد
timeline-contact-segment = گروه مشتری از { $from } به { $to } تغییر کرد

## چرا کار ارجاع شد
agent-escalation-keyword = واژهٔ کلیدی «{ $keyword }»
agent-escalation-vip = پرسنده مشتری ویژه است
agent-escalation-no-response = پس از { $hours } ساعت نه پاسخی پذیرفته شده و نه کارشناسی پاسخ داده است
agent-escalation-manual = کارمند شمارهٔ { $by } ارجاع داد
agent-escalation-external = در CRM بیرونی ارجاع شد
agent-task-more-replies = { $count } پاسخ دیگر: موضوع را باز کنید

## The queue's SLA countdowns
duration-minutes = { $count } دقیقه
duration-hours = { $count } ساعت
duration-days = { $count } روز
agent-due-in = مهلت: { $duration } دیگر
agent-overdue-by = { $duration } از مهلت گذشته
