# اعلان‌ها: صفحهٔ اعلان‌ها، تنظیمات آن‌ها، لغو اشتراک با پیوند ایمیل و
# گونه‌های اعلان.

## گونه‌های اعلان (تنظیمات، لغو اشتراک، پایین ایمیل‌ها)
notify-kind-reply = پاسخ به پرسش‌های شما
    .description = کسی به پرسشی که مطرح کرده‌اید پاسخ می‌دهد.
notify-kind-accepted = پاسخ‌های پذیرفته‌شده
    .description = پاسخ شما به‌عنوان راه‌حل پذیرفته می‌شود.
notify-kind-mention = اشاره‌ها
    .description = کسی با @نام‌کاربری به شما اشاره می‌کند.
notify-kind-watched = موضوع‌ها و بخش‌های دنبال‌شده
    .description = جایی که دنبال می‌کنید مطلب تازه‌ای منتشر می‌شود.
notify-kind-badge = نشان‌ها
    .description = نشانی به دست می‌آورید.
notify-kind-escalated = ارجاع‌ها
    .description = یک کار پشتیبانی به شما ارجاع داده می‌شود.
notify-kind-sla = هشدارهای SLA
    .description = مهلت پاسخ‌گویی یک کار پشتیبانی رو به پایان است.
notify-kind-kb_review = مقاله‌های نیازمند بازبینی
    .description = یک مقالهٔ پایگاه دانش باید بازبینی شود.
notify-kind-analytics = آمار هفتگی جامعه
    .description = برای مدیران: آمار اصلی هفتهٔ گذشته، هر دوشنبه.

## شیوه‌های ارسال ایمیل
notify-mode-instant = فوری
notify-mode-digest = در خلاصهٔ روزانه
notify-mode-off = ارسال نشود

## متن اعلان‌ها (عنوان موضوع‌ها، نام‌ها و نام نشان‌ها نوشتهٔ کاربران است)
notify-line-reply = { $poster } در «{ $title }» پاسخ داد
notify-line-mention = { $mentioner } در «{ $title }» به شما اشاره کرد
notify-line-watched = فعالیت تازه در «{ $title }»
notify-line-accepted = پاسخ شما در «{ $title }» پذیرفته شد
notify-line-badge = نشان «{ $badge }» را به دست آوردید
notify-line-badge-level = نشان «{ $badge }» را به دست آوردید (×{ $level })
notify-line-kb-awaiting = مقالهٔ در انتظار بازبینی: { $article }
notify-line-kb-unhelpful = خوانندگان این مقاله را مفید نمی‌دانند: { $article }
notify-line-kb-source_changed = منبع مقاله تغییر کرد: { $article }
notify-line-escalated = کار شمارهٔ { $id } ارجاع شد: «{ $title }»
notify-line-sla = کار شمارهٔ { $id }: مهلت SLA رو به پایان است («{ $title }»)
notify-line-analytics = هفتهٔ جامعه در یک نگاه: از { $from } تا { $to }
notify-line-role = نقش شما اکنون { $role } است
notify-line-active = حساب شما دوباره فعال است
notify-line-silenced = فعلاً نمی‌توانید چیزی بنویسید: { $reason }
notify-line-silenced-bare = فعلاً نمی‌توانید چیزی بنویسید
notify-line-suspended = حساب شما معلق شد: { $reason }
notify-line-suspended-bare = حساب شما معلق شد
notify-line-banned = حساب شما بسته شد: { $reason }
notify-line-banned-bare = حساب شما بسته شد
notify-line-post-hidden = نوشتهٔ شما در «{ $title }» پس از گزارش اعضا پنهان شد؛ یک ناظر آن را بررسی می‌کند
notify-line-post-approved = نوشتهٔ شما در «{ $title }» تأیید شد و اکنون برای همه دیده می‌شود
notify-line-post-restored = نوشتهٔ شما در «{ $title }» دوباره دیده می‌شود
notify-line-post-removed = نوشتهٔ شما در «{ $title }» را یک ناظر حذف کرد: { $reason }
notify-line-post-removed-bare = نوشتهٔ شما در «{ $title }» را یک ناظر حذف کرد

## صفحهٔ اعلان‌ها
notify-title = اعلان‌ها
notify-new = { $count } تازه
notify-mark-read = همه را خوانده‌شده علامت بزن
notify-empty = هنوز چیزی نیست.

## تنظیمات اعلان‌ها
notify-settings-title = تنظیمات اعلان‌ها
notify-settings-heading = اعلان‌ها
notify-settings-saved = ذخیره شد.
notify-settings-kind = چه وقت
notify-settings-mail = ایمیل
notify-settings-boards = بخش‌هایی که دنبال می‌کنید
notify-settings-boards-none = هنوز هیچ بخشی را دنبال نمی‌کنید.
notify-settings-threads = موضوع‌هایی که دنبال می‌کنید
notify-settings-threads-none = هنوز هیچ؛ در هر موضوع «دنبال کردن» را بزنید.
notify-watch = دنبال کردن
notify-unwatch = لغو دنبال کردن

## لغو اشتراک با پیوند ایمیل
notify-unsubscribe-title = لغو اشتراک
notify-unsubscribe-ask = اشتراک لغو شود؟
notify-unsubscribe-question = دیگر ایمیل‌های دستهٔ «{ $kind }» فرستاده نشود؟
notify-unsubscribe-button = لغو اشتراک
notify-unsubscribe-done-title = اشتراک لغو شد
notify-unsubscribe-done = دیگر ایمیلی از دستهٔ «{ $kind }» برایتان فرستاده نمی‌شود.
notify-unsubscribe-settings = تغییر تنظیمات اعلان‌ها
