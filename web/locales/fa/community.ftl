# اعتبار: نشان‌ها و جدول برترین‌ها. نام نشان‌ها و رتبه‌ها را مالک سایت
# تعیین می‌کند و اینجا نیست.

## نشان‌ها
community-badges-title = نشان‌ها
community-badge-nobody = هنوز کسی این نشان را ندارد.
community-badge-holders = دارندگان
# سطح نشان تکرارشونده: «×۳»
community-badge-level = ×{ $level }
# با زمان نسبی: «۳ روز پیش دریافت شد»
community-badge-awarded = { $when } دریافت شد

## شرط گرفتن نشان (از قاعدهٔ آن نوشته می‌شود اگر مالک سایت توضیح پیش‌فرض را نگه داشته باشد)
community-criterion-posts = { $count ->
    [1] انتشار نخستین نوشته.
   *[other] انتشار { $count } نوشته.
}
community-criterion-posts-again = { $count } نوشتهٔ دیگر (تکرارشدنی).
community-criterion-accepted = { $count ->
    [1] نخستین پاسخ پذیرفته‌شده.
   *[other] { $count } پاسخ پذیرفته‌شده.
}
community-criterion-accepted-again = { $count } پاسخ پذیرفته‌شدهٔ دیگر (تکرارشدنی).
community-criterion-kudos = دریافت { $count } تشکر.
community-criterion-kudos-again = { $count } تشکر دیگر (تکرارشدنی).
community-criterion-kb = { $count ->
    [1] راه یافتن یک پاسخ به پایگاه دانش.
   *[other] راه یافتن { $count } پاسخ به پایگاه دانش.
}
community-criterion-kb-again = { $count } پاسخ دیگر در پایگاه دانش (تکرارشدنی).
community-criterion-categories = پاسخ دادن در { $count } بخش گوناگون.
community-criterion-categories-again = پاسخ دادن در { $count } بخش دیگر (تکرارشدنی).
community-criterion-streak = { $count } روز فعالیت پیاپی.
community-criterion-streak-again = { $count } روز فعالیت پیاپی دیگر (تکرارشدنی).
community-criterion-points = کسب { $count } امتیاز.
community-criterion-points-again = { $count } امتیاز دیگر (تکرارشدنی).
community-criterion-idea-votes = یکی از ایده‌های شما به { $count } رأی رسید.
community-criterion-idea-votes-again = یکی از ایده‌های شما { $count } رأی دیگر گرفت (تکرارشدنی).
community-criterion-ideas-delivered = { $count } ایدهٔ شما اجرا شد.
community-criterion-ideas-delivered-again = { $count } ایدهٔ دیگر شما اجرا شد (تکرارشدنی).

## جدول برترین‌ها
community-leaderboard-title = برترین‌ها
community-leaderboard-heading = فعال‌ترین اعضا
community-leaderboard-periods = بازهٔ زمانی
community-leaderboard-boards = بخش‌ها
community-period-week = این هفته
community-period-month = این ماه
community-period-all = از آغاز تاکنون
community-leaderboard-all-boards = همهٔ بخش‌ها
community-leaderboard-empty = هنوز کسی در این بازه امتیازی نگرفته است.
community-leaderboard-all-badges = همهٔ نشان‌ها
