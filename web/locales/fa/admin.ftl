# صفحه‌های مدیریت: خلاصه، اعضا، بخش‌ها، گزارش اقدامات کارکنان، تنظیمات
# سایت و قواعد CRM.

## مشترک میان صفحه‌های کارکنان
admin-any = همه
admin-role = نقش
admin-status = وضعیت
admin-rank = رتبه
admin-reason = دلیل
admin-filter = اعمال
admin-none = موردی نیست.
admin-pages = صفحه‌ها
admin-page-of = صفحهٔ { $page } از { $pages }
admin-col-member = عضو
admin-col-email = ایمیل
admin-col-posts = نوشته‌ها
admin-col-joined = عضویت
admin-col-last-seen = آخرین بازدید
admin-col-when = زمان
admin-col-who = چه کسی
admin-col-what = اقدام
admin-col-on = روی
admin-col-before = پیش از تغییر
admin-col-after = پس از تغییر
admin-col-board = بخش
admin-col-threads = موضوع‌ها
admin-col-state = وضعیت
admin-col-order = ترتیب

## وضعیت عضو
admin-status-active = فعال
admin-status-silenced = فقط‌خواندنی
admin-status-suspended = معلق
admin-status-banned = محروم

## خلاصه
admin-dash-title = مدیریت
admin-dash-today = ۲۴ ساعت گذشته:
# پس از عددی پررنگ: «<strong>۷</strong> عضو تازه».
admin-dash-new-members = عضو تازه
# پس از عددی پررنگ: «<strong>۳</strong> نوشته».
admin-dash-posts = نوشته
admin-dash-status-active = { $count } فعال
admin-dash-status-silenced = { $count } فقط‌خواندنی
admin-dash-status-suspended = { $count } معلق
admin-dash-status-banned = { $count } محروم
admin-dash-review = صف بررسی
admin-dash-review-waiting = { $count } مورد در انتظار بررسی
admin-dash-review-overdue = { $count } مورد عقب‌افتاده
admin-dash-open-reports = { $count } گزارش باز
admin-dash-held-posts = { $count } نوشتهٔ نگه‌داشته‌شده
admin-dash-hidden-posts = { $count } نوشتهٔ پنهان
admin-dash-review-month = ۳۰ روز گذشته: { $count } تصمیم، که { $n } مورد از آن‌ها تأیید بود (هشدار نادرست)
# $value عددی با یک رقم اعشار است، از پیش با رقم‌های فارسی.
admin-dash-report-rate = { $value } گزارش در هر ۱٬۰۰۰ نوشته
admin-dash-mail = ایمیل
admin-dash-mail-waiting = { $count } در صف
admin-dash-mail-sent = { $count } فرستاده‌شده
admin-dash-mail-failed = { $count } ناموفق
admin-dash-support = پشتیبانی
admin-dash-sla-breaches = { $count } کار که از مهلت SLA گذشته است
admin-dash-crm-dead = { $count } ارسال ناموفق به CRM

## اعضا
admin-members-title = اعضا
admin-members-find = جستجوی اعضا
admin-members-q = نام یا ایمیل
admin-members-sort = ترتیب
admin-members-sort-joined = تازه‌ترین
admin-members-sort-seen = آخرین بازدید
admin-members-sort-posts = بیشترین نوشته
admin-members-show = نمایش
admin-members-found = { $count } مورد پیدا شد

## یک عضو
admin-member-until = تا
admin-member-email-pending = ایمیل تأییدنشده
admin-member-email-confirmed = تأیید ایمیل:
admin-member-email-not-asked = ایمیل تأییدنشده (درخواست نشده بود)
admin-member-joined = عضویت:
admin-member-profile = نمایهٔ عمومی
admin-member-crm-contact = مخاطب در CRM
admin-member-reset-link = ایمیل خاموش است؛ پس این پیوند یک‌بارمصرف را (که یک ساعت اعتبار دارد) به عضو بدهید:
admin-member-moderation = نظارت
admin-member-trust = اعتماد
admin-member-reports-received = گزارش‌ها دربارهٔ نوشته‌های این عضو
admin-member-reports-given = گزارش‌هایی که این عضو داده است
admin-member-addresses = نشانی‌هایی که این عضو از آن‌ها وارد شده یا ثبت‌نام کرده است
admin-member-address = نشانی
admin-member-times = دفعات
admin-member-other-accounts = حساب‌های دیگر در همین نشانی
admin-member-change-role = تغییر نقش
admin-member-standing = وضعیت
admin-member-new-standing = وضعیت تازه
admin-member-standing-active = فعال (برداشتن همهٔ محدودیت‌ها)
admin-member-standing-silenced = فقط‌خواندنی: می‌خواند، اما نمی‌تواند بنویسد
admin-member-standing-suspended = معلق: نمی‌تواند وارد شود
admin-member-standing-banned = محروم: تعلیق همیشگی
admin-member-days = چند روز (خالی: تا وقتی برداشته شود)
admin-member-standing-reason = دلیل (به عضو نشان داده می‌شود)
admin-member-apply = اعمال
admin-member-email = نشانی ایمیل
admin-member-email-explain = این عضو هنوز پیوند تأیید را باز نکرده است، برای همین نمی‌تواند بنویسد.
admin-member-confirm-email = تأیید نشانی
admin-member-password = گذرواژه
admin-member-send-reset = فرستادن پیوند بازنشانی گذرواژه
admin-member-erase-title = پاک کردن داده‌های شخصی
admin-member-erase-explain = نام، ایمیل، گذرواژه، نشست‌ها، هویت‌های پیوندخورده، ترجیحات، اعلان‌ها و جزئیات CRM برای همیشه پاک می‌شوند؛ نوشته‌ها می‌مانند، اما به نام یک عضو حذف‌شده. این کار برگشت‌پذیر نیست.
# پس از این عبارت، نام کاربری پررنگ می‌آید.
admin-member-erase-type = برای تأیید، این نام کاربری را وارد کنید:
admin-member-erase = پاک کردن
admin-member-history = اقدامات کارکنان دربارهٔ این عضو

## گزارش اقدامات کارکنان
admin-audit-title = گزارش اقدامات کارکنان
admin-audit-action = اقدام
    .placeholder = member.standing
admin-audit-command-line = خط فرمان
admin-audit-target-user = عضو شمارهٔ { $id }
admin-audit-target-board = بخش شمارهٔ { $id }
admin-audit-target-post = نوشتهٔ شمارهٔ { $id }
admin-audit-target-setting = تنظیمات سایت
admin-audit-action-member-role = تغییر نقش
admin-audit-action-member-standing = تغییر وضعیت
admin-audit-action-member-password_reset = ساخت پیوند بازنشانی گذرواژه
admin-audit-action-member-erased = پاک کردن داده‌های شخصی
admin-audit-action-member-email_confirmed = تأیید ایمیل به دست کارکنان
admin-audit-action-member-email_changed = عضو نشانی ایمیل خود را عوض کرد (در نشانی تازه تأیید شد)
admin-audit-action-board-create = ساخت بخش
admin-audit-action-board-update = تغییر تنظیمات بخش
admin-audit-action-board-move = جابه‌جایی بخش
admin-audit-action-board-archive = بایگانی بخش
admin-audit-action-board-unarchive = بازگشایی بخش
admin-audit-action-setting-set = تغییر تنظیم سایت
admin-audit-action-setting-clear = بازگرداندن تنظیم به مقدار فایل
admin-audit-action-review-approve = بررسی: تأیید شد
admin-audit-action-review-reject = بررسی: رد شد
admin-audit-action-review-reject_and_silence = بررسی: رد شد و نویسنده فقط‌خواندنی شد
admin-audit-action-review-delete_spam = بررسی: به‌عنوان هرزنامه حذف شد و نویسنده معلق شد
admin-audit-value-mailed = برای عضو ایمیل شد
admin-audit-value-link-shown = پیوند به کارکنان نشان داده شد
admin-audit-value-confirmed = تأییدشده
admin-audit-value-unconfirmed = تأییدنشده
admin-audit-value-erased = پاک‌شده
admin-audit-value-approved = تأییدشده

## بخش‌ها
admin-boards-title = بخش‌ها
admin-boards-intro = به همان ترتیبی که اعضا می‌بینند. بخش‌های بایگانی‌شده فقط‌خواندنی‌اند و در فهرست بخش‌ها نمی‌آیند؛ موضوع‌هایشان همچنان خواندنی است.
admin-boards-move-up = بردن «{ $name }» به بالا
admin-boards-move-down = بردن «{ $name }» به پایین
admin-boards-up = بالا
admin-boards-down = پایین
admin-boards-new = بخش تازه
admin-boards-create = ساخت بخش
admin-boards-audit = تغییرات بخش‌ها در گزارش اقدامات
admin-board-who-sees = چه کسانی می‌بینند
admin-board-who-starts = چه کسانی موضوع باز می‌کنند
admin-board-crm = کارهای CRM
admin-board-crm-field = کارهای CRM برای موضوع‌های تازه
admin-board-premod = بررسی پیش از انتشار
admin-board-see-customer = همه
admin-board-see-agent = کارشناسان پشتیبانی و بالاتر
admin-board-see-moderator = ناظران و مدیران
admin-board-see-admin = مدیران
admin-board-start-everyone = همه
admin-board-start-everyone-option = همهٔ کسانی که بخش را می‌بینند
admin-board-start-rank-option = اعضای یک رتبهٔ مشخص و بالاتر
admin-board-start-rank-of = رتبهٔ { $rank } و بالاتر
admin-board-start-staff = کارکنان
admin-board-crm-rules = طبق قواعد CRM
admin-board-crm-on = روشن
admin-board-crm-off = خاموش
admin-board-premod-none = هیچ
admin-board-premod-new_members = نخستین نوشته‌های اعضای تازه
admin-board-premod-all = همهٔ نوشته‌ها
admin-board-archived = بایگانی‌شده
admin-board-open = باز
admin-board-slug = نشانی
    .placeholder = how-to
admin-board-slug-hint = حروف کوچک لاتین، رقم و خط تیره؛ بعداً نمی‌توان آن را تغییر داد
admin-board-name = نام
admin-board-description = توضیحات
admin-board-rank = رتبه (برای گزینهٔ «اعضای یک رتبهٔ مشخص»)
admin-board-position = جایگاه { $n }
admin-board-archived-note = فقط‌خواندنی، بیرون از فهرست بخش‌ها
admin-board-view = دیدن بخش
admin-board-all = همهٔ بخش‌ها
admin-board-settings = تنظیمات
admin-board-archive-title = بایگانی
admin-board-archive-explain = بخش بایگانی‌شده موضوع یا پاسخ تازه نمی‌پذیرد و از فهرست بخش‌ها بیرون می‌رود؛ موضوع‌هایش در همان نشانی‌ها خواندنی می‌مانند.
admin-board-archive = بایگانی
admin-board-unarchive = بازگشایی دوبارهٔ بخش
admin-board-history = تغییرات این بخش

## مدیریت CRM
admin-crm-title = مدیریت CRM
admin-crm-heading = CRM
admin-crm-connector = رابط: { $name }
admin-crm-connector-none = رابط: فقط CRM داخلی
admin-crm-pending = ارسال‌های در انتظار: { $count }
admin-crm-dead-count = ارسال‌های ناموفق: { $count }
admin-crm-rules = قواعد
admin-crm-task-categories = بخش‌هایی که موضوع‌هایشان به کار پشتیبانی تبدیل می‌شود
admin-crm-no-response-hours = ارجاع اگر پس از این مدت نه پاسخ پذیرفته‌شده‌ای باشد و نه پاسخ کارشناس (ساعت؛ ۰ = خاموش)
admin-crm-keywords = واژه‌های کلیدی ارجاع
admin-crm-vip-segments = گروه‌های VIP (ارجاع فوری)
admin-crm-manual-escalation = ناظران و کارشناسان می‌توانند دستی ارجاع دهند
admin-crm-default-priority = اولویت پیش‌فرض
admin-crm-escalated-priority = اولویت پس از ارجاع
admin-crm-vip-priority = اولویت VIP
admin-crm-segments = گروه‌های مخاطبان
admin-crm-lifecycle = مرحله‌های چرخهٔ عمر
admin-crm-sla = مهلت‌های SLA
admin-crm-sla-first = نخستین پاسخ (ساعت)
admin-crm-sla-resolution = حل مسئله (ساعت)
admin-crm-sla-first-for = نخستین پاسخ برای اولویت { $priority }، به ساعت
admin-crm-sla-resolution-for = حل مسئله برای اولویت { $priority }، به ساعت
admin-crm-warn-before = هشدار پیش از موعد (دقیقه)
admin-crm-save = ذخیرهٔ قواعد
admin-crm-dead = ارسال‌های ناموفق
admin-crm-no-dead = هیچ ارسالی برای همیشه ناموفق نمانده است.
admin-crm-replay-all = ارسال دوبارهٔ همه
admin-crm-replay = ارسال دوباره
admin-crm-replay-one = ارسال دوبارهٔ شمارهٔ { $id }
admin-crm-col-task = کار
admin-crm-col-kind = نوع
admin-crm-col-attempts = تلاش‌ها
admin-crm-col-error = آخرین خطا
admin-crm-col-action = اقدام
admin-crm-kind-sync = به‌روزرسانی کار
admin-crm-kind-comment = دیدگاه

## تنظیمات سایت
admin-settings-title = تنظیمات سایت
admin-settings-intro = این تنظیمات در چند ثانیه و بدون راه‌اندازی دوباره روی همهٔ گره‌ها اعمال می‌شوند. تنظیمی که اینجا تعیین نشده باشد، مقدار فایل پیکربندی (یا متغیرهای محیطی) را دارد.
admin-settings-admins-only = فقط مدیران می‌توانند آن‌ها را تغییر دهند.
admin-settings-col-setting = تنظیم
admin-settings-col-value = مقدار
admin-settings-col-source = منبع
admin-settings-rate-limit = { $key }: تعداد درخواست‌های مجاز
admin-settings-rate-period = { $key }: دوره به ثانیه
# میان دو فیلد محدودیت: «[۱۰] در هر [۶۰] ثانیه».
admin-settings-per = در هر
admin-settings-seconds = ثانیه
admin-settings-rate = { $limit } در هر { $seconds } ثانیه
admin-settings-source-here = تعیین‌شده در اینجا (در فایل: { $value })
admin-settings-source-file = فایل
admin-settings-reset = بازگرداندن { $key } به مقدار فایل
admin-settings-yes = بله
admin-settings-no = خیر
admin-settings-empty = (خالی)
admin-settings-registration-open = باز: هر کسی می‌تواند ثبت‌نام کند
admin-settings-registration-invite_only = فقط با دعوت‌نامه
admin-settings-registration-sso_only = فقط با ورود یکپارچه

## تنظیمات سایت: گروه‌ها (.save دکمهٔ ذخیرهٔ گروه است)
setting-group-site = سایت
    .save = ذخیرهٔ تنظیمات سایت
setting-group-registration = ثبت‌نام
    .save = ذخیرهٔ تنظیمات ثبت‌نام
setting-group-mail = ایمیل
    .save = ذخیرهٔ تنظیمات ایمیل
setting-group-rate_limits = محدودیت نرخ درخواست‌ها
    .save = ذخیرهٔ محدودیت‌ها
setting-group-moderation = نظارت
    .save = ذخیرهٔ تنظیمات نظارت

## تنظیمات سایت: کار هر تنظیم (کلید، با خط تیره به جای نقطه)
setting-site_name = در سرصفحه و عنوان هر صفحه و در ایمیل‌ها نمایش داده می‌شود.
setting-default_language = زبان رابط برای بازدیدکنندگانی که مرورگرشان هیچ‌یک از زبان‌های en، ru، uk و fa را نمی‌خواهد.
setting-registration-mode = چه کسی می‌تواند با گذرواژه حساب بسازد: هر کسی، هیچ‌کس (فقط با دعوت‌نامه)، یا هیچ‌کس (حساب‌ها فقط از ورود یکپارچه می‌آیند).
setting-mail-from = فرستندهٔ همهٔ ایمیل‌ها، برای نمونه Acme Community <community@example.com>.
setting-rate_limits-register_per_address = شمار ثبت‌نام‌ها از یک نشانی شبکه در هر دوره (۰: بدون محدودیت).
setting-rate_limits-register_per_address_per_day = شمار ثبت‌نام‌ها از یک نشانی شبکه در دوره‌ای بلندتر، معمولاً یک روز (۰: بدون محدودیت).
setting-rate_limits-password_forgot_per_address = شمار درخواست‌های بازنشانی گذرواژه از یک نشانی در هر دوره (۰: بدون محدودیت).
setting-rate_limits-sso_start_per_address = شمار تلاش‌ها برای ورود یکپارچه از یک نشانی در هر دوره (۰: بدون محدودیت).
setting-rate_limits-search_per_address = شمار جستجوها از یک نشانی در هر دوره (۰: بدون محدودیت).
setting-rate_limits-suggest_per_address = شمار درخواست‌های پیشنهاد هنگام نوشتن پرسش، از یک نشانی در هر دوره (۰: بدون محدودیت).
setting-rate_limits-thread_per_address = شمار موضوع‌های تازه از یک نشانی در هر دوره (۰: بدون محدودیت).
setting-rate_limits-thread_per_account = شمار موضوع‌های تازه از یک حساب در هر دوره (۰: بدون محدودیت).
setting-rate_limits-reply_per_address = شمار پاسخ‌ها از یک نشانی در هر دوره (۰: بدون محدودیت).
setting-rate_limits-reply_per_account = شمار پاسخ‌ها از یک حساب در هر دوره (۰: بدون محدودیت).
setting-rate_limits-confirm_resend_per_address = شمار درخواست‌های ایمیل تأیید تازه از یک نشانی در هر دوره (۰: بدون محدودیت).
setting-rate_limits-confirm_resend_per_account = شمار درخواست‌های ایمیل تأیید تازه از یک حساب در هر دوره (۰: بدون محدودیت).
setting-moderation-review_sla_hours = موردهای باز صف بررسی که از این چند ساعت قدیمی‌تر باشند، عقب‌افتاده به شمار می‌آیند.
setting-moderation-flags-min_trust = کمترین سطح اعتمادی که عضو برای گزارش کردن نوشته‌ها لازم دارد.
setting-moderation-flags-daily_allowance = شمار گزارش‌هایی که هر عضو در روز می‌تواند بدهد.
setting-moderation-flags-hide_threshold = وقتی وزن گزارش‌های یک نوشته به این مقدار برسد، نوشته تا بررسی پنهان می‌شود.
setting-moderation-flags-member_weight = وزن گزارش یک عضو عادی.
setting-moderation-flags-leader_weight = وزن گزارش یک رهبر انجمن یا یکی از کارکنان.
setting-moderation-new_members-enabled = اینکه محدودیت‌های اعضای تازه (در ادامه) اعمال شوند یا نه.
setting-moderation-new_members-max_links = شمار پیوندهایی که نوشتهٔ یک عضو تازه می‌تواند داشته باشد.
setting-moderation-new_members-max_mentions = شمار اشاره‌ها به افراد (@) که نوشتهٔ یک عضو تازه می‌تواند داشته باشد.
setting-moderation-new_members-max_topics_first_day = شمار موضوع‌هایی که عضو تازه در نخستین روز می‌تواند باز کند.
setting-moderation-new_members-max_replies_first_day = شمار پاسخ‌هایی که عضو تازه در نخستین روز می‌تواند بنویسد.
setting-moderation-new_members-min_seconds_between_posts = چند ثانیه عضو تازه باید میان دو نوشته صبر کند (۰: بدون انتظار).
setting-moderation-new_members-duplicate_window_secs = متن یکسانی که در این چند ثانیه دو بار فرستاده شود پذیرفته نمی‌شود (۰: هرگز).
setting-moderation-spam-enabled = اینکه نوشته‌های اعضای تازه از نظر هرزنامه امتیاز بگیرند یا نه.
setting-moderation-spam-hold_at = نوشتهٔ عضو تازه با این امتیاز یا بیشتر (از ۱۰۰) نگه داشته می‌شود.
setting-moderation-spam-min_training_docs = شمار تصمیم‌های هر نوع که دسته‌بند باید از آن‌ها بیاموزد تا نظر بدهد.
setting-moderation-trust-new_member_days = حسابی که کمتر از این چند روز عمر دارد تازه است…
setting-moderation-trust-trusted_after_posts = …و همچنین حسابی که نوشته‌های دیدنی‌اش از این شمار کمتر است…
setting-moderation-trust-trusted_min_points = …مگر آنکه اعتبارش به این شمار امتیاز رسیده باشد.
setting-moderation-trust-sso_is_trusted = هویت ورود یکپارچه ضامن عضو است.
setting-moderation-trust-crm_company_is_trusted = مخاطب CRM با شرکت شناخته‌شده ضامن عضو است.
setting-moderation-trust-leader_rank = اعضای این رتبه و بالاتر رهبران انجمن‌اند (خالی: هیچ‌کس).
