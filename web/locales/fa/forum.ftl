# انجمن: بخش‌ها، موضوع‌ها، نوشته‌ها، پرسیدن، ویرایش، تاریخچهٔ ویرایش، جستجو
# و نمایهٔ اعضا.

## مشترک میان صفحه‌های انجمن
forum-by = از
forum-pages = صفحه‌ها
forum-page-of = صفحهٔ { $page } از { $pages }

## وضعیت موضوع (در جستجو، مقاله‌های پایگاه دانش «published» هستند)
thread-status-open = باز
thread-status-answered = پاسخ‌داده‌شده
thread-status-solved = حل‌شده
thread-status-locked = قفل‌شده
thread-status-published = مقالهٔ پایگاه دانش

## ترتیب موضوع‌های یک بخش
thread-sort-latest = تازه‌ترین
thread-sort-unanswered = بی‌پاسخ
thread-sort-solved = حل‌شده
thread-sort-top = برترین

## بخش (category.html)
category-archived = این بخش بایگانی شده است: می‌توانید موضوع‌هایش را بخوانید، اما موضوع یا پاسخ تازه نمی‌پذیرد.
category-ask-here = پرسیدن سؤال در این بخش
category-sort = ترتیب موضوع‌ها
category-empty = هنوز موضوعی در این بخش نیست.

## موضوع (thread.html)
thread-duplicate-of = این موضوع تکراری است؛ موضوع اصلی:
thread-in-kb = این پاسخ در پایگاه دانش آمده است:
thread-in-kb-link = خواندن مقاله
thread-staff-answered = تیم پشتیبانی پاسخ داده است.
thread-community-solved = با کمک جامعه حل شد. پاسخ از
thread-held = نوشتهٔ شما ذخیره شد و پیش از آنکه دیگران آن را ببینند، منتظر بررسی ناظر است. از نتیجه باخبرتان می‌کنیم.
thread-reported = ممنون؛ گزارش شما به دست ناظران رسید.
thread-solution = راه‌حل
thread-solution-by = پاسخ پذیرفته‌شده از
thread-solution-jump = رفتن به راه‌حل پذیرفته‌شده
thread-pager-earlier = قبلی
thread-pager-later = بعدی
thread-archived = این بخش بایگانی شده است: موضوع‌هایش فقط خواندنی‌اند.
thread-locked = این موضوع قفل شده است.
thread-reply-label = پاسخ شما (Markdown)
thread-reply-button = ارسال پاسخ
thread-sign-in-to-reply = برای پاسخ دادن وارد شوید
thread-kb-article = مقالهٔ پایگاه دانش ({ $status })
thread-kb-status-draft = پیش‌نویس
thread-kb-status-review = در حال بررسی
thread-kb-status-published = منتشرشده
thread-kb-status-archived = بایگانی‌شده
thread-promote = انتقال به پایگاه دانش
thread-watch = دنبال کردن این موضوع
thread-unwatch = دنبال نکردن
thread-support-task = درخواست پشتیبانی شمارهٔ { $id } ({ $status })
thread-task-status-new = جدید
thread-task-status-open = باز
thread-task-status-pending = در انتظار
thread-task-status-escalated = ارجاع‌شده
thread-task-status-resolved = حل‌شده
thread-task-status-closed = بسته
thread-escalate = ارجاع به پشتیبانی
thread-move-to = انتقال به
thread-move = انتقال
thread-duplicate-field = تکراریِ موضوع
    .placeholder = شماره
thread-mark-duplicate = علامت‌گذاری به‌عنوان تکراری
thread-lock = قفل کردن موضوع
thread-unlock = باز کردن قفل موضوع

## نوشته (post.html)
post-official = رسمی · { $role }
post-edited = ویرایش‌شده
post-accepted = راه‌حل پذیرفته‌شده
post-review-held = در انتظار بررسی
post-review-hidden = پنهان تا پایان بررسی
post-review-removed = حذف‌شده به دست ناظر
post-deleted = حذف‌شده
post-hidden-body = این نوشته تا پایان بررسی ناظر پنهان است.
post-kudos = { $count } تشکر
post-kudo-give = تشکر
    .aria-label = تشکر (تاکنون { $count } تشکر)
post-kudo-withdraw = پس گرفتن تشکر
    .aria-label = پس گرفتن تشکر (تاکنون { $count } تشکر)
post-accept = پذیرفتن به‌عنوان راه‌حل
post-report = گزارش
post-report-why = چرا ناظران باید این نوشته را ببینند؟
post-report-spam = هرزنامه یا تبلیغ
post-report-abusive = توهین‌آمیز یا نفرت‌پراکن
post-report-off_topic = بی‌ربط به موضوع
post-report-needs_staff = نیازمند توجه کارکنان
post-report-other = دلیلی دیگر
post-report-note = یادداشت برای ناظران (اختیاری)
post-report-send = ارسال گزارش

## پرسیدن (ask.html)
ask-find-similar = یافتن سؤال‌های مشابه
ask-already-answered = پیش‌تر پاسخ داده شده؟
ask-body = جزئیات (Markdown)
ask-tags = برچسب‌ها (با فاصله جدا کنید)
ask-submit = ارسال سؤال

## ویرایش نوشته و تاریخچهٔ آن
edit-title = ویرایش نوشته
edit-body = متن (Markdown)
history-title = تاریخچهٔ ویرایش
history-back = بازگشت به نوشته
history-version = نسخهٔ { $number }
history-none = این نوشته ویرایش نشده است.

## جستجو (search.html)؛ نکته‌ها نحو جستجو هستند: "…"، tag:، category: و
## is:solved را دست نزنید و فقط واژه‌های نمونه را ترجمه کنید.
search-form = جستجو در انجمن
search-submit = جستجو
search-tip = نکته:
search-tip-phrase = "عبارت دقیق"
search-tip-tag = tag:پرداخت
search-tip-category = category:support
search-tip-solved = is:solved
search-filters = پالایه‌ها
search-clear = پاک کردن پالایه‌ها
search-boards = بخش‌ها
search-status = وضعیت
search-tags = برچسب‌ها
search-kind = نوع
search-kind-threads = گفتگوها
search-kind-idea = ایده
search-kind-ideas = ایده‌ها
search-kind-articles = مقاله‌ها
search-results = نتیجه‌ها
search-prompt = یک سؤال، عبارت یا برچسب بنویسید.
search-widened-any = هیچ نتیجه‌ای همهٔ این واژه‌ها را ندارد؛ نتیجه‌هایی با هر یک از آن‌ها نشان داده می‌شود.
search-widened-near = این واژه‌ها عیناً پیدا نشد؛ نتیجه‌هایی با املای نزدیک نشان داده می‌شود.
search-none = چیزی با جستجوی شما جور نبود.
search-ask = از جامعه بپرسید
search-from-thread = از یک موضوع در جامعه

## نمایهٔ عضو (profile.html)
profile-joined = عضویت:
profile-questions = سؤال‌ها
profile-replies = پاسخ‌ها
profile-accepted = پاسخ‌های پذیرفته‌شده
profile-kudos = تشکرهای دریافتی
profile-badges = نشان‌ها
profile-no-badges = هنوز نشانی ندارد.
profile-none-yet = هنوز چیزی نیست.
profile-recent = سؤال‌های اخیر

## The composer's character count (server text, then hearth.js)
compose-limit = حداکثر { $max } نویسه.
compose-too-long = برای فرستادن بیش از اندازه بلند است: متن را کوتاه‌تر کنید (همین‌جا می‌ماند).
compose-preview = پیش‌نمایش
compose-attach = پیوست کردن پرونده
compose-uploading = در حال بارگذاری…
compose-upload-failed = پرونده بارگذاری نشد.
compose-draft-saved = پیش‌نویس ذخیره شد
post-quote = نقل قول
post-quote-wrote = نوشت
search-instant = نتیجه‌های فوری
compose-mention-list = اعضا برای نام بردن
compose-mentions = { $count } عضو پیشنهاد شد

## تنظیمات خود عضو (/settings/profile)
profile-settings-title = نمایهٔ شما
profile-settings-view = دیدن نمایهٔ عمومی
profile-settings-saved = نمایهٔ شما ذخیره شد.
profile-settings-profile = نمایه
profile-settings-avatar = تصویر شما. اگر نباشد، حروف اول نامتان کشیده می‌شود.
profile-settings-avatar-choose = بارگذاری تصویر
profile-settings-avatar-hint = PNG، JPEG، GIF یا WebP؛ وسط تصویر به شکل مربع بریده می‌شود.
profile-settings-avatar-remove = به‌جای آن حروف اول نامم را نشان بده
profile-settings-avatar-saved = تصویر شما ذخیره شد.
profile-settings-save = ذخیرهٔ نمایه
profile-settings-password = گذرواژه
profile-settings-password-changed = گذرواژهٔ شما عوض شد؛ نشست‌های دیگرتان بسته شدند.
profile-settings-password-hint = دست‌کم ۸ نویسه. با عوض کردن آن، در همهٔ جاهای دیگر از حساب بیرون می‌روید.
profile-settings-password-save = تغییر گذرواژه
profile-bio = دربارهٔ من
profile-settings-email-current = نشانی کنونی شما:
profile-settings-email-save = فرستادن پیوند تأیید
profile-settings-email-sent = پیوندی به نشانی تازه‌تان فرستادیم. وقتی آن را باز کنید، نشانی عوض می‌شود.
profile-settings-time-zone-none = انتخاب‌نشده (UTC)
profile-settings-time-zone-hint = تاریخ‌ها و ساعت‌ها در صفحه‌ها به وقت این منطقه نشان داده می‌شوند.
profile-settings-time-zone-detected = منطقهٔ زمانی مرورگرتان انتخاب شده است. برای نگه‌داشتن آن، نمایه را ذخیره کنید.
profile-activity = فعالیت
