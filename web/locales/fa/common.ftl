# رشته‌های مشترک: قاب صفحه، ناوبری، زمان، شمارش‌ها، خطاها.

-brand-fallback = Hearth

## قاب صفحه (base.html)
skip-to-content = رفتن به محتوا
nav-main = منوی اصلی
nav-home = خانه
nav-kb = پایگاه دانش
nav-ideas = ایده‌ها
nav-leaders = برترین‌ها
nav-ask = پرسیدن سؤال
nav-agent = میز پشتیبانی
nav-admin = مدیریت
nav-settings = تنظیمات
nav-sign-in = ورود
nav-join = عضویت
nav-sign-out = خروج
nav-menu = منو
nav-notifications = اعلان‌ها
notifications-unread = { $count ->
    [0] اعلان‌ها، بدون اعلان خوانده‌نشده
   *[other] اعلان‌ها، { $count } خوانده‌نشده
}
search-label = جستجو
search-placeholder = جستجو در انجمن
search-open = باز کردن جستجو
footer-powered = قدرت‌گرفته از Hearth
footer-language = زبان
footer-language-apply = تغییر زبان

## زمان نسبی و مطلق
time-just-now = همین حالا
time-minutes-ago = { $count } دقیقه پیش
time-hours-ago = { $count } ساعت پیش
time-days-ago = { $count } روز پیش
time-months-ago = { $count } ماه پیش
time-years-ago = { $count } سال پیش

## شمارش‌ها
count-replies = { $count } پاسخ
count-views = { $count } بازدید
count-votes = { $count } رأی
count-members = { $count } عضو
count-threads = { $count } موضوع
count-posts = { $count } نوشته
count-points = { $count } امتیاز
count-results = { $count } نتیجه

## نقش‌ها
role-customer = مشتری
role-agent = کارشناس پشتیبانی
role-moderator = ناظر
role-admin = مدیر

## صفحه‌بندی و کارهای مشترک
pager-newer = جدیدتر
pager-older = قدیمی‌تر
pager-previous = قبلی
pager-next = بعدی
action-save = ذخیره
action-cancel = انصراف
action-delete = حذف
action-edit = ویرایش
action-submit = ارسال
action-back = بازگشت

## صفحه‌های خطا
error-title-401 = لطفاً وارد شوید
error-title-403 = اجازه ندارید
error-title-404 = پیدا نشد
error-title-413 = بیش از اندازه بزرگ
error-title-422 = لطفاً ورودی را بررسی کنید
error-title-429 = کمی آهسته‌تر
error-title-503 = سرور مشغول است
error-title-500 = مشکلی پیش آمد
error-home = بازگشت به صفحهٔ اصلی
error-sign-in = ورود
error-new-confirmation = یک پیوند تأیید تازه برایم بفرست
error-validation_failed = لطفاً «{ $field }» را بررسی کنید.
error-not_found = این صفحه یا مورد را پیدا نکردیم.
error-unauthenticated = برای این کار وارد شوید.
error-forbidden = اجازهٔ این کار را ندارید.
error-conflict = این با چیزی که از قبل هست یا در این فاصله تغییر کرده در تضاد است. صفحه را دوباره بارگیری و دوباره تلاش کنید.
error-bad_credentials = نام کاربری یا گذرواژه نادرست است.
error-busy = سایت مشغول است. لطفاً چند لحظهٔ دیگر دوباره تلاش کنید.
error-unavailable = سرویسی که این کار لازم دارد پاسخ نمی‌دهد. لطفاً چند لحظهٔ دیگر دوباره تلاش کنید.
error-rate_limited = درخواست‌ها بیش از حد زیاد است. لطفاً { $seconds } ثانیهٔ دیگر دوباره تلاش کنید.
error-suspended = این حساب معلق شده است.
error-silenced = فعلاً نمی‌توانید چیزی منتشر کنید.
error-email_unconfirmed = پیش از نوشتن، نشانی ایمیل خود را تأیید کنید: پیوندی را که برایتان فرستادیم باز کنید یا پیوند تازه بخواهید.
error-internal = در سمت ما مشکلی پیش آمد؛ ثبت شده است.
error-csrf = مهلت این فرم تمام شده است. برگردید، صفحه را دوباره بارگیری کنید و دوباره تلاش کنید.
error-payload_too_large = آنچه فرستادید بیش از اندازه بزرگ است.
error-generic = درخواست انجام نشد.
error-reason = دلیل: { $reason }

## نام فیلدها برای «لطفاً … را بررسی کنید»
field-title = عنوان
field-body = متن
field-file = پرونده
field-username = نام کاربری
field-email = نشانی ایمیل
field-password = گذرواژه
field-display_name = نام نمایشی
field-language = زبان
field-reason = دلیل
field-tags = برچسب‌ها
field-slug = نشانی (slug)
field-description = توضیحات
field-category = بخش
field-q = واژه‌های جستجو
field-note = یادداشت
field-subject = موضوع
field-token = پیوند
field-value = مقدار
field-article = مقاله
field-confirm = تأیید
field-decision = تصمیم
field-duplicate_of = موضوع اصلی
field-of = موضوع اصلی
field-for_days = شمار روزها
field-days = شمار روزها
field-ids = موارد
field-id = مورد
field-key = تنظیم
field-kind = نوع
field-lifecycle = مرحلهٔ چرخهٔ عمر
field-segment = گروه مشتری
field-owner_id = مسئول
field-owner = مسئول
field-page = صفحه
field-per_page = شمار در هر صفحه
field-offset = جابه‌جایی
field-limit = حد
field-post = نوشته
field-thread = موضوع
field-role = نقش
field-s = پیوند
field-settings = تنظیمات
field-sort = ترتیب
field-start_threads = چه کسی می‌تواند موضوع بسازد
field-see_min_role = چه کسی می‌بیند
field-status = وضعیت
field-state = وضعیت
field-premoderation = پیش‌بررسی
field-crm_tasks = کارهای CRM
field-rank = رتبه
field-period = دوره
field-mode = شیوهٔ ارسال
field-notes = یادداشت‌ها
field-remind_at = زمان یادآوری
field-in_hours = چند ساعت دیگر
field-due_within_hours = مهلت (ساعت)
field-priority = اولویت
field-name = نام
field-path = نشانی
field-query = رشتهٔ پرس‌وجو
field-target = چه چیزی دنبال شود
field-line = خط
field-ask_id = نشست پرسش
field-rules = قواعد
field-reputation = اعتبار
field-crm = CRM
field-crm-connector = رابط CRM
field-escalated = ارجاع
field-account = حساب
field-badge = نشان
field-reply = پاسخ
field-bio = دربارهٔ من
field-from = روز نخست
field-to = روز پایانی
field-range = بازه
field-avatar = تصویر
field-current_password = گذرواژهٔ کنونی
field-new_password = گذرواژهٔ تازه
field-new_email = نشانی ایمیل تازه
field-time_zone = منطقهٔ زمانی
field-idempotency_key = کلید یکتایی درخواست
