# تبادل ایده‌ها (موضوع ۱۷): تابلوهای ایده، ایده‌ها، رأی‌ها، وضعیت‌ها و تاریخچه‌شان.

ideas-title = ایده‌ها
ideas-intro = پیشنهاد دهید چه چیزی بسازیم، به ایده‌هایی که می‌خواهید رأی دهید و ببینید با آن‌ها چه می‌کنیم.
ideas-no-boards = هنوز تابلوی ایده‌ای نیست.
ideas-submit = پیشنهاد یک ایده
ideas-submit-button = ارسال ایده
ideas-budget-note = در این تابلو می‌توانید { $count } رأی فعال داشته باشید.

## ترتیب و پالایش
ideas-sort = ترتیب ایده‌ها
ideas-sort-trending = پرطرفدار این روزها
ideas-sort-top = برترین
ideas-sort-newest = تازه‌ترین
ideas-sort-status = تغییر وضعیت اخیر
ideas-filter = پالایش ایده‌ها
ideas-filter-kind = وضعیت
ideas-filter-any = همه
ideas-filter-tag = برچسب
ideas-filter-area = بخش محصول
ideas-filter-mine = ایده‌هایی که به آن‌ها رأی داده‌ام
ideas-filter-apply = پالایش
ideas-count = { $count } ایده
ideas-votes = { $count } رأی
ideas-votes-word = رأی
ideas-you-voted = رأی داده‌اید
ideas-comments = { $count } نظر

## گونه‌های وضعیت
ideas-kind-open = باز
ideas-kind-active = در دست کار
ideas-kind-completed = انجام‌شده
ideas-kind-declined = ردشده
ideas-kind-duplicate = تکراری

## پیشنهاد ایده
ideas-field-title = عنوان
ideas-field-description = ایده را شرح دهید: چه کاری را برایتان ممکن می‌کند؟
ideas-field-tags = برچسب‌ها (با ویرگول جدا کنید)
ideas-field-area = بخش محصول

## یک ایده
ideas-votes-heading = رأی‌ها
ideas-budget-used = از { $max } رأی خود در این تابلو { $count } رأی را به کار برده‌اید.
ideas-vote = رأی به این ایده
ideas-unvote = پس گرفتن رأی من
ideas-voted = رأی شما شمرده شد.
ideas-unvoted = رأی شما پس گرفته شد.
ideas-refused-closed = این ایده بسته شده است و دیگر رأی نمی‌پذیرد.
ideas-refused-own = در این تابلو نمی‌توانید به ایدهٔ خودتان رأی دهید.
ideas-refused-budget = همهٔ { $count } رأی خود را در این تابلو به کار برده‌اید: برای رأی دادن اینجا یکی را پس بگیرید.
ideas-sign-in-to-vote = برای رأی دادن وارد شوید
ideas-timeline = تاریخچه
ideas-timeline-submitted = پیشنهاد شد
ideas-timeline-change = { $from } ← { $to }
ideas-change-status = تغییر وضعیت
ideas-new-status = وضعیت تازه
ideas-status-note = یادداشت عمومی
ideas-change-status-button = تغییر وضعیت
ideas-status-changed = وضعیت تغییر کرد؛ به رأی‌دهندگان، نویسنده، نظردهندگان و دنبال‌کنندگان خبر داده می‌شود.
ideas-voters = چه کسانی رأی داده‌اند
ideas-no-voters = هنوز کسی رأی نداده است.
ideas-comment = نظر دادن دربارهٔ این ایده

## مدیریت
ideas-board-kind = گونهٔ تابلو
ideas-board-kind-discussion = گفت‌وگو (پرسش و پاسخ)
ideas-board-kind-ideas = ایده‌ها (اعضا پیشنهاد می‌دهند و رأی می‌دهند)
ideas-admin-title = تنظیمات تابلوی ایده
ideas-admin-voting = رأی‌گیری
ideas-admin-budget = رأی‌های فعال هر عضو
ideas-admin-budget-help = برای نامحدود خالی بگذارید. رأی‌های ایده‌های بسته به رأی‌دهندگان برمی‌گردد.
ideas-admin-self-vote = نویسندگان می‌توانند به ایدهٔ خودشان رأی دهند
ideas-admin-statuses = وضعیت‌ها
ideas-admin-status-name = نام
ideas-admin-status-kind = گونه
ideas-admin-status-slug = نام کوتاه (در نشانی‌ها)
ideas-admin-status-colour = رنگ
ideas-admin-add-status = افزودن وضعیت

## آگاه‌سازی تغییر وضعیت
notify-kind-idea_status = تغییر وضعیت ایده‌ها
    .description = ایده‌ای که پیشنهاد داده‌اید، به آن رأی داده‌اید، درباره‌اش نظر داده‌اید یا دنبالش می‌کنید وضعیتش تغییر کرد.
notify-line-idea-status = وضعیت «{ $title }» اکنون { $to } است
notify-line-idea-status-returned = وضعیت «{ $title }» اکنون { $to } است؛ رأی شما به شما بازگشت

## The CRM contact timeline
timeline-idea-status = ایده‌ای که به آن رأی داده بود، «{ $title }»، اکنون { $to } است

## نقشهٔ راه
ideas-roadmap = نقشهٔ راه
ideas-roadmap-intro = آنچه برنامه‌ریزی کرده‌ایم، آنچه در دست ساخت است و آنچه به‌تازگی تحویل داده‌ایم.
ideas-roadmap-delivered = به‌تازگی تحویل‌شده
ideas-roadmap-empty = هنوز چیزی نیست.

## ایده‌های مشابه پیش از ارسال
ideas-similar = آیا یکی از این‌هاست؟
ideas-similar-intro = این ایده‌ها به ایدهٔ شما شبیه‌اند. رأی به یکی از آن‌ها صدای شما را کنار دیگران می‌گذارد؛ یا ایدهٔ خود را به هر حال بفرستید.
ideas-vote-instead = به جای آن به این رأی دهید
    .aria-label = به جای ارسال، به «{ $title }» رأی دهید
ideas-submit-anyway = به هر حال ایدهٔ من را بفرست

## ادغام ایده‌های تکراری
ideas-merge = ادغام در ایدهٔ دیگر
ideas-merge-into = شمارهٔ ایده‌ای که این ایده در آن ادغام شود
ideas-merge-help = رأی‌هایش به آنجا می‌رود (عضوی که به هر دو رأی داده یک بار شمرده می‌شود)؛ نظرهایش خواندنی می‌ماند. می‌توان آن را برگرداند.
ideas-merge-button = ادغام
ideas-merge-done = ایده در این ایده ادغام شد.
ideas-unmerge-done = ادغام برگردانده شد: رأی‌های این ایده بازگشت.
ideas-merged-from = ایدهٔ شمارهٔ { $id } در این ایده ادغام شده است.
ideas-merged-comments = خواندن نظرهایش
ideas-merged-here = ادغام‌شده در این ایده
ideas-unmerge = جدا کردن
    .aria-label = جدا کردن «{ $title }»

## ایده از نگاه CRM (کارکنان)
ideas-sort-score = امتیاز وزن‌دار
ideas-breakdown = چه کسانی پشت رأی‌ها هستند
ideas-score = امتیاز وزن‌دار: { $score }
ideas-breakdown-segment = بخش مشتریان
ideas-breakdown-stage = مرحلهٔ چرخهٔ عمر
ideas-breakdown-voters = رأی‌دهندگان
ideas-breakdown-none = در CRM نیست
ideas-breakdown-companies = { $count } شرکت
ideas-admin-weights = وزن بخش‌ها در امتیاز
ideas-admin-weights-help = هر خط یک بخش=وزن (مثلاً enterprise=3)؛ بخشی که نیامده وزن ۱ دارد.

## نام فیلدها در پیام‌های رد
field-colour = رنگ
field-into = ایده‌ای که در آن ادغام شود
field-product_area = بخش محصول
field-segment_weights = وزن بخش‌ها
field-status_kind = گونهٔ وضعیت
field-vote_budget = رأی‌های فعال هر عضو

## What a status change links to
ideas-change-link = بیشتر بخوانید
ideas-status-link = پیوند (مقالهٔ پایگاه دانش /kb/… یا یادداشت انتشار https://…)
field-link = پیوند
ideas-admin-edit-status = تغییر
ideas-admin-status-position = جایگاه در ترتیب (۱ نخست)
ideas-admin-remove-status = حذف وضعیت
ideas-admin-move-to = انتقال ایده‌هایش به
field-idea = ایده
field-idea-status = وضعیت ایده
field-move_to = انتقال ایده‌ها به
field-position = جایگاه در ترتیب
