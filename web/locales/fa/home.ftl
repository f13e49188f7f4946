# صفحهٔ اصلی (home.html، home_row.html).

home-title = صفحهٔ اصلی
home-welcome = به { $site } خوش آمدید
home-lede = بپرسید، پاسخ‌هایتان را به اشتراک بگذارید و به یکدیگر کمک کنید.
home-browse-kb = مرور پایگاه دانش
home-boards = بخش‌ها
home-private = خصوصی
home-latest = تازه‌ترین موضوع‌ها
home-latest-empty = هنوز موضوعی نیست. نخستین پرسش را شما مطرح کنید!
home-unanswered = بی‌پاسخ
home-unanswered-note = این پرسش‌ها هنوز منتظر نخستین پاسخ‌اند. می‌توانید کمک کنید؟
home-unanswered-empty = همهٔ پرسش‌ها پاسخ گرفته‌اند. از همه سپاسگزاریم!
home-solved = به‌تازگی حل‌شده
home-solved-empty = هنوز هیچ پرسشی حل نشده است.
home-accepted-answer = پاسخ پذیرفته‌شده
home-articles = مقاله‌های برگزیده
home-articles-empty = هنوز مقاله‌ای نیست.
home-all-articles = همهٔ مقاله‌ها
home-helpful = { $count } خواننده آن را سودمند دانسته‌اند
home-contributors = فعال‌ترین اعضای این ماه
home-contributors-empty = این ماه هنوز کسی امتیازی نگرفته است.
home-leaderboard = جدول کامل امتیازها

## تنظیمات ظاهر برند (توضیح‌ها در ‎/admin/settings)
setting-theme-brand_color = رنگ برند برای دکمه‌ها، پیوندها و بخش‌های برجسته، به شکل ‎#rrggbb. کنتراست متن سفید روی این رنگ باید دست‌کم ۴٫۵ به ۱ باشد (WCAG AA)؛ برای همین رنگ‌های خیلی روشن پذیرفته نمی‌شوند.
setting-theme-logo_url = لوگویی که به جای نام سایت در سرصفحه نمایش داده می‌شود (نام سایت متن جایگزین آن می‌شود): یک نشانی https://‎ یا مسیری روی دامنهٔ همین سایت، مانند ‎/brand/logo.svg (که وب‌سرور شما آن را ارائه می‌دهد). اگر خالی بماند، فقط نام سایت نمایش داده می‌شود.
