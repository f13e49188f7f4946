## چرا ورودی پذیرفته نشد: یک جمله برای هر قاعده (forum::Rule)، با نام
## فیلد ($field، از field-* در common.ftl) و عددهای قاعده.
invalid-required = «{ $field }» نمی‌تواند خالی باشد.
invalid-too-short = «{ $field }» دست‌کم به { $min } نویسه نیاز دارد.
invalid-too-long = «{ $field }» حداکثر می‌تواند { $max } نویسه داشته باشد.
invalid-control-character = «{ $field }» یک نویسهٔ کنترلی ({ $code_point }) دارد که مجاز نیست.
invalid-one-of = «{ $field }»: یکی از این‌ها را انتخاب کنید: { $choices }.
invalid-unknown = «{ $field }»: «{ $value }» وجود ندارد.
invalid-range = «{ $field }» باید عددی صحیح از { $min } تا { $max } باشد.
invalid-whole-number = «{ $field }» باید عددی صحیح باشد.
invalid-email = یک نشانی ایمیل درست وارد کنید.
invalid-email-domain-refused = با نشانی‌های این دامنه نمی‌توان اینجا ثبت‌نام کرد؛ از نشانی دیگری استفاده کنید.
invalid-username = نام کاربری از ۳ تا ۳۲ حرف، رقم، نقطه، خط تیره یا زیرخط تشکیل می‌شود.
invalid-slug = «{ $field }»: از ۱ تا ۶۴ حرف کوچک، رقم و خط تیره استفاده کنید.
invalid-slug-taken = بخشی با این نشانی از قبل وجود دارد.
invalid-tag = برچسب «{ $tag }» باید حداکثر ۳۰ حرف، رقم یا خط تیره باشد.
invalid-too-many-tags = هر موضوع حداکثر { $max } برچسب می‌تواند داشته باشد.
invalid-link-expired = این پیوند نامعتبر است، پیش‌تر استفاده شده یا منقضی شده است. پیوند تازه‌ای بخواهید.
invalid-repeated-post = همین متن را چند لحظه پیش فرستادید؛ از قبل منتشر شده است (یا در انتظار بررسی است).
invalid-board-archived = این بخش بایگانی شده است: فقط‌خواندنی است و موضوع تازه نمی‌پذیرد.
invalid-only-question-has-title = فقط پرسش عنوان دارد.
invalid-question-is-not-an-answer = خود پرسش نمی‌تواند راه‌حل پذیرفته‌شدهٔ آن باشد.
invalid-not-solved = فقط موضوعی که حل شده است می‌تواند مقالهٔ پایگاه دانش شود.
invalid-answer-deleted = پاسخ پذیرفته‌شده حذف شده است.
invalid-not-published = فقط مقاله‌های منتشرشده بازخورد می‌پذیرند.
invalid-duplicate-loop = یک موضوع نمی‌تواند تکراریِ خودش باشد، یا تکراریِ موضوعی که تکراریِ آن علامت خورده است.
invalid-confirm-username = برای تأیید پاک‌سازی، نام کاربری عضو را بنویسید.
invalid-in-the-past = «{ $field }» باید در آینده باشد.
invalid-first-page = شمارهٔ صفحه‌ها از ۱ شروع می‌شود.
invalid-past-last-page = این فهرست حداکثر تا صفحهٔ { $last } می‌رسد؛ جستجو را دقیق‌تر کنید یا از فیلترها استفاده کنید.
invalid-agents-only = کارها را فقط می‌توان به کارشناسان پشتیبانی سپرد.
invalid-nothing-to-change = چیزی برای تغییر نیست.
invalid-low-contrast = کنتراست متن سفید روی این رنگ فقط { $ratio }:۱ است، و WCAG AA برای خوانا ماندن متن دست‌کم ۴٫۵:۱ می‌خواهد. رنگ تیره‌تری انتخاب کنید.
invalid-colour = «{ $field }»: رنگ را به شکل #rrggbb بنویسید، مثلاً #c2410c.
invalid-logo-address = «{ $field }»: یک نشانی https:// یا مسیری در همین سایت که با / شروع شود (مثلاً /brand/logo.svg).
invalid-mailbox = «{ $field }»: یک نشانی بنویسید، یا «نام <نشانی>».
invalid-true-or-false = «{ $field }» باید true یا false باشد.
invalid-thread-reference = شماره یا پیوند موضوع اصلی را بنویسید.
invalid-wrong-password = این گذرواژهٔ کنونی شما نیست.
invalid-time-zone = «{ $field }»: یک منطقهٔ زمانی از فهرست انتخاب کنید (مثلاً Asia/Tehran).

## نام کاربری یا نشانی‌ای که حساب دیگری دارد
error-taken-username = این نام کاربری گرفته شده است؛ نام دیگری انتخاب کنید.
error-taken-email = حسابی با این نشانی ایمیل از قبل وجود دارد. وارد شوید یا گذرواژه را بازنشانی کنید.
