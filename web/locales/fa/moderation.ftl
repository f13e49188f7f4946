# صف بررسی (/mod/review) و واژه‌های نظارت در دیگر صفحه‌های کارکنان.

## سطح‌های اعتماد
mod-trust-new = تازه
mod-trust-member = عادی
mod-trust-leader = رهبر
mod-trust-staff = کارکنان
# سطح اعتماد نویسنده، به‌صورت نشانی کنار نامش.
mod-author-new = عضو تازه
mod-author-member = عضو باسابقه
mod-author-leader = رهبر انجمن
mod-author-staff = از کارکنان

## تصمیم‌ها
mod-decision-approve = تأیید
mod-decision-reject = رد
mod-decision-reject_and_silence = رد و فقط‌خواندنی کردن نویسنده
mod-decision-delete_spam = حذف به‌عنوان هرزنامه و تعلیق نویسنده
mod-outcome-approve = تأیید شد
mod-outcome-reject = رد شد
mod-outcome-reject_and_silence = رد شد و نویسنده فقط‌خواندنی شد
mod-outcome-delete_spam = به‌عنوان هرزنامه حذف شد و نویسنده معلق شد
mod-outcome-open = در انتظار تصمیم

## وضعیت نوشته
mod-post-held = نگه‌داشته‌شده
mod-post-hidden = پنهان
mod-post-rejected = ردشده
mod-post-shown = نمایان

## چرا اعضا نوشته‌ای را گزارش می‌کنند
mod-flag-spam = هرزنامه
mod-flag-abusive = توهین‌آمیز
mod-flag-off_topic = بی‌ربط به موضوع
mod-flag-needs_staff = نیازمند کارکنان
mod-flag-other = دیگر

## چرا نوشته نگه داشته شده است
mod-hold-links = { $count } پیوند؛ سقف اعضای تازه { $max } پیوند در هر نوشته است
mod-hold-mentions = { $count } اشاره به افراد؛ اعضای تازه در هر نوشته حداکثر به { $max } نفر می‌توانند اشاره کنند
mod-hold-first-day-topics = بیش از { $max } موضوع تازه در نخستین روز
mod-hold-first-day-replies = بیش از { $max } پاسخ در نخستین روز
mod-hold-too-soon = اعضای تازه میان دو نوشته { $seconds } ثانیه صبر می‌کنند
mod-hold-premoderation = این بخش نوشته‌ها را پیش از انتشار بررسی می‌کند
mod-hold-flagged = گزارش‌شده از سوی اعضا (وزن { $score })
mod-hold-spam = امتیاز هرزنامه { $score } از ۱۰۰

## صف
mod-title = صف بررسی
mod-done-claimed = این مورد تا ۳۰ دقیقهٔ آینده در دست شماست.
mod-done-bulk = برای موردهای انتخاب‌شده تصمیم گرفته شد.
mod-done-decided = تصمیم گرفته شد. به نویسنده اطلاع داده شد.
mod-sla-title = سطح خدمت
mod-waiting = { $count } مورد در انتظار
mod-waiting-too-long = { $count } مورد بیش از { $hours } ساعت در انتظار
mod-held = { $count } نگه‌داشته‌شده
mod-hidden = { $count } پنهان
mod-span-minutes = { $minutes } دقیقه
mod-span-hours = { $hours } ساعت و { $minutes } دقیقه
# $value و $other مدت‌زمان‌اند («۳ ساعت و ۲۰ دقیقه»).
mod-month-summary = ۳۰ روز گذشته: زمان بررسی { $value } (میانه) و { $other } (صدک ۹۰)، در { $count } تصمیم که { $n } مورد از آن‌ها تأیید بود.
mod-tabs = صف
mod-tab-oldest = قدیمی‌ترین‌ها نخست
mod-tab-priority = بر پایهٔ اولویت
mod-tab-decided = تصمیم‌گرفته‌شده
mod-items = { $count } مورد
mod-empty = چیزی در انتظار بررسی نیست.
mod-bulk-label = برای موردهای علامت‌خورده
mod-bulk-reason = دلیلی که به نویسندگان گفته می‌شود
mod-bulk-submit = تصمیم دربارهٔ موردهای علامت‌خورده
mod-choose-item = انتخاب مورد { $id }
# پس از این، عنوان موضوع در گیومه می‌آید.
mod-item-question = پرسش در
mod-item-reply = پاسخ در
# پس از این، نام نویسنده می‌آید.
mod-item-by = از
mod-item-waiting-since = افزوده‌شده
mod-item-priority = اولویت { $n }
mod-overdue = عقب‌افتاده
mod-reports-caption = گزارش‌ها (وزن { $score })
mod-col-by = گزارش‌دهنده
mod-col-reason = دلیل
mod-col-note = یادداشت
mod-col-weight = وزن
mod-claimed-by = در دست
mod-claim = برداشتن
mod-decision = تصمیم
mod-reason = دلیلی که به نویسنده گفته می‌شود
mod-days = روزهای فقط‌خواندنی یا تعلیق (خالی: ۷ روز فقط‌خواندنی؛ هرزنامه‌فرست برای همیشه محروم می‌شود)
mod-decide = ثبت تصمیم
# میان نتیجه و نام ناظر: «رد شد توسط مریم».
mod-decided-by = توسط

## چرا امتیاز هرزنامه بالاست (برای هر نشانه)
mod-signal-reads-like-spam = شبیه هرزنامه‌های پیشین است ({ $percent }٪)
mod-signal-same-text = همین متن امروز از { $count } حساب دیگر هم آمده است
mod-signal-spam-hosts = { $count } میزبانِ پیوند در هرزنامه دیده شده است
mod-signal-unseen-hosts = { $count } میزبانِ پیوند تاکنون در این جامعه دیده نشده است
mod-signal-links = { $count } پیوند
mod-signal-typed-too-fast = نخستین نوشته با { $count } نویسه در { $seconds } ثانیه نوشته شده است
mod-signal-remote = سرویس بررسی هرزنامه آن را هرزنامه می‌داند
