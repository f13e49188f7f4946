# پایگاه دانش: مقاله‌ها، بازخورد خوانندگان، ویرایش و صف بازبینی.
# عنوان، متن و برچسب مقاله‌ها و نام بخش‌ها نوشتهٔ کاربران است.

## وضعیت مقاله
kb-status-draft = پیش‌نویس
kb-status-review = در حال بازبینی
kb-status-published = منتشرشده
kb-status-archived = بایگانی‌شده

## صفحهٔ اصلی پایگاه دانش
kb-home-intro = پاسخ‌های برگزیدهٔ انجمن که تیم ما بازبینی کرده است.
kb-home-empty = هنوز مقاله‌ای نیست.
kb-review-queue = صف بازبینی
kb-helpful = { $count } نفر این را مفید دانستند

## مقاله
# پس از آن @نام‌کاربری نویسنده می‌آید (پیوند)
kb-article-source = بر پایهٔ پاسخ پذیرفته‌شدهٔ
kb-article-thread = باز کردن موضوع در انجمن
kb-article-version = نسخهٔ { $version }
# با زمان نسبی: «۳ روز پیش منتشر شد»
kb-article-published = { $when } منتشر شد
kb-feedback-question = این مقاله به کارتان آمد؟
kb-feedback-yes-count = بله: { $count }
kb-feedback-no-count = نه: { $count }
kb-feedback-yes = بله
kb-feedback-no = نه
kb-feedback-sign-in = برای امتیاز دادن به این مقاله وارد شوید
kb-article-edit = ویرایش و بازبینی

## ویرایش و بازبینی مقاله
kb-edit-title = ویرایش: { $title }
kb-edit-view = دیدن مقاله
kb-edit-unhelpful = بیشتر خوانندگان این مقاله را مفید ندانستند.
kb-source-changed = منبع از آخرین بازبینی تغییر کرده است
kb-source-question = پرسش
kb-source-answer = پاسخ پذیرفته‌شده
kb-source-republish = با انتشار دوباره، منبع بازبینی‌شده به شمار می‌آید.
kb-edit-tags = برچسب‌ها (با ویرگول جدا کنید)
kb-edit-body = مقاله (Markdown)
kb-edit-note = چه چیزی تغییر کرد
kb-edit-save = ذخیرهٔ نسخهٔ تازه
kb-action-review = فرستادن برای بازبینی
kb-action-publish = انتشار
kb-action-archive = بایگانی
kb-action-draft = بازگشت به پیش‌نویس
kb-history = تاریخچه
kb-history-rule = قاعدهٔ انتقال خودکار
kb-history-promoted = برگرفته از موضوع شمارهٔ { $id }

## صف بازبینی
kb-review-title = صف بازبینی پایگاه دانش
kb-review-heading = بازبینی پایگاه دانش
kb-review-empty = چیزی در انتظار بازبینی نیست.
kb-review-source-changed = منبع تغییر کرده
kb-review-unhelpful = بیشتر نامفید
kb-review-by-rule = با قاعدهٔ خودکار
# با زمان نسبی: «۳ روز پیش به‌روز شد»
kb-review-updated = { $when } به‌روز شد

## قالب پیش‌نویسی که از یک موضوع ساخته می‌شود (زبان سایت). {author}،
## {link} و {kudos} را دست نزنید: جایگزین می‌شوند.
kb-draft-question = پرسش
kb-draft-answer = پاسخ
kb-draft-answer-by = پاسخ از {"{"}author{"}"} در {"{"}link{"}"}.
kb-draft-thread-link = موضوعِ جامعه
kb-draft-also-useful = این‌ها هم سودمندند
kb-draft-reply-by = {"{"}author{"}"} ({"{"}link{"}"}، {"{"}kudos{"}"} تشکر)
kb-draft-reply-link = پاسخ
