# ایمیل‌ها. موضوع با نام سایت در کروشه آغاز می‌شود (آن را کد می‌افزاید).
# نام‌ها و عنوان‌ها نوشتهٔ کاربران است.

mail-greeting = سلام { $name }،
mail-subject-reply = { $poster } به پرسش شما «{ $title }» پاسخ داد
mail-subject-accepted = پاسخ شما در «{ $title }» به‌عنوان راه‌حل پذیرفته شد
mail-subject-mention = { $mentioner } در «{ $title }» به شما اشاره کرد
mail-subject-watched = فعالیت تازه در «{ $title }»
mail-subject-escalated = به شما ارجاع شد: «{ $title }»
mail-subject-sla = مهلت SLA رو به پایان است: «{ $title }»
mail-subject-password_reset = بازنشانی گذرواژه
mail-subject-email_confirm = نشانی ایمیل خود را تأیید کنید
mail-subject-digest = خلاصهٔ روزانهٔ شما: { $count } به‌روزرسانی
mail-reset-body = کسی (امیدواریم خودتان) خواسته است گذرواژهٔ شما بازنشانی شود. این پیوند فقط یک بار و تا یک ساعت کار می‌کند. اگر شما نبودید، این ایمیل را نادیده بگیرید.
mail-confirm-body = خوش آمدید! پیوند را باز کنید و «تأیید» را بزنید تا بتوانید بنویسید. این پیوند فقط یک بار و تا سه روز کار می‌کند. اگر این حساب را شما نساخته‌اید، این ایمیل را نادیده بگیرید.
mail-open = باز کردن
mail-why = این ایمیل را به‌خاطر تنظیمات اعلان «{ $kind }» دریافت می‌کنید.
mail-unsubscribe = لغو اشتراک این ایمیل‌ها
