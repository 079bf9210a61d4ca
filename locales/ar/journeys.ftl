## عناوين الخطوات وصفحات المعلومات.

registration-title = أنشئ حسابك
collect-user-data-title = عرّفنا بنفسك
email-validation-title = تحقّق من بريدك الإلكتروني
email-validation-sent = أرسلنا رمزًا إلى { $email }. الرمز صالح لمدة { $minutes ->
    [zero] { $minutes } دقيقة.
    [one] دقيقة واحدة.
    [two] دقيقتين.
    [few] { $minutes } دقائق.
    [many] { $minutes } دقيقة.
   *[other] { $minutes } دقيقة.
}
set-password-title = اختر كلمة مرور
welcome-title = مرحبًا بك في { $brand }
welcome-body = حسابك جاهز. سنسجّل دخولك الآن.
locked-title = توقّف التسجيل
locked-body = أُدخل الرمز بشكل خاطئ مرات كثيرة جدًا، لذلك أوقفنا هذا التسجيل لحماية حسابك. ابدأ من جديد للحصول على رمز جديد.
outcome-signed-in = تم تسجيل دخولك.
password-login-title = تسجيل الدخول
recovery-title = إعادة تعيين كلمة المرور
reset-password-title = اختر كلمة مرور جديدة
recovery-done-title = تم تغيير كلمة المرور
recovery-done-body = سجّلنا خروجك من جميع جلسات حسابك، وأرسلنا تأكيدًا إلى عنوان بريدك الإلكتروني. سنسجّل دخولك هنا الآن.
recovery-locked-title = توقّفت إعادة تعيين كلمة المرور
recovery-locked-body = أُدخل الرمز بشكل خاطئ مرات كثيرة جدًا، لذلك أوقفنا إعادة تعيين كلمة المرور لحماية حسابك. ابدأ من جديد للحصول على رمز جديد.

## الحقول.

field-email = البريد الإلكتروني
field-given-name = الاسم الأول
field-family-name = اسم العائلة
field-code = رمز التحقق
field-code-hint = الرمز المكوّن من { $length ->
    [zero] { $length } رقم
    [one] رقم واحد
    [two] رقمين
    [few] { $length } أرقام
    [many] { $length } رقمًا
   *[other] { $length } رقم
} والوارد في البريد الإلكتروني. يمكنك لصقه.
field-new-password = كلمة المرور الجديدة
field-new-password-hint = { $min ->
    [zero] { $min } حرف على الأقل.
    [one] حرف واحد على الأقل.
    [two] حرفان على الأقل.
    [few] { $min } أحرف على الأقل.
    [many] { $min } حرفًا على الأقل.
   *[other] { $min } حرف على الأقل.
} بضع كلمات لا علاقة بينها تصنع كلمة مرور قوية يسهل تذكّرها.
field-password = كلمة المرور

## الإجراءات.

action-continue = متابعة
action-verify = تحقّق
action-resend = إرسال رمز جديد
action-resend-wait = يمكنك طلب رمز جديد بعد { $seconds ->
    [zero] { $seconds } ثانية.
    [one] ثانية واحدة.
    [two] ثانيتين.
    [few] { $seconds } ثوانٍ.
    [many] { $seconds } ثانية.
   *[other] { $seconds } ثانية.
}
action-set-password = تعيين كلمة المرور
action-sign-in = تسجيل الدخول
action-reveal-show = إظهار كلمة المرور
action-reveal-hide = إخفاء كلمة المرور

## الملاحظات والأخطاء بجانب الحقول والخطوات.

note-code-resent = أرسلنا رمزًا جديدًا. الرمز السابق لم يعد صالحًا.
error-required = املأ هذا الحقل.
error-too-long = استخدم { $max ->
    [zero] { $max } حرف على الأكثر.
    [one] حرفًا واحدًا على الأكثر.
    [two] حرفين على الأكثر.
    [few] { $max } أحرف على الأكثر.
    [many] { $max } حرفًا على الأكثر.
   *[other] { $max } حرف على الأكثر.
}
error-email-invalid = أدخل عنوان بريد إلكتروني مثل name@example.com.
error-text-invalid = أزِل الرموز الخاصة من هذا الحقل.
error-code-format = أدخل الرمز كاملًا، وهو مكوّن من { $length ->
    [zero] { $length } رقم.
    [one] رقم واحد.
    [two] رقمين.
    [few] { $length } أرقام.
    [many] { $length } رقمًا.
   *[other] { $length } رقم.
}
error-code-wrong = هذا الرمز غير صحيح. { $left ->
    [zero] لم تتبقَّ لديك أي محاولة.
    [one] تبقّت لديك محاولة واحدة.
    [two] تبقّت لديك محاولتان.
    [few] تبقّت لديك { $left } محاولات.
    [many] تبقّت لديك { $left } محاولة.
   *[other] تبقّت لديك { $left } محاولة.
}
error-code-expired = انتهت صلاحية هذا الرمز. اطلب رمزًا جديدًا.
error-code-paused = أُدخلت رموز خاطئة كثيرة جدًا لهذا العنوان. حاول مرة أخرى بعد { $minutes ->
    [zero] { $minutes } دقيقة.
    [one] دقيقة واحدة.
    [two] دقيقتين.
    [few] { $minutes } دقائق.
    [many] { $minutes } دقيقة.
   *[other] { $minutes } دقيقة.
}
error-message-cap = أرسلنا رسائل كثيرة جدًا إلى هذا العنوان خلال الساعة الماضية، لذلك لم نرسل رمزًا. انتظر بعض الوقت ثم اطلب رمزًا جديدًا.
error-resend-wait = انتظر { $seconds ->
    [zero] { $seconds } ثانية
    [one] ثانية واحدة
    [two] ثانيتين
    [few] { $seconds } ثوانٍ
    [many] { $seconds } ثانية
   *[other] { $seconds } ثانية
} قبل طلب رمز جديد.
error-resend-limit = لا يمكنك طلب المزيد من الرموز. ابدأ من جديد لاحقًا.
error-password-too-short = استخدم { $min ->
    [zero] { $min } حرف على الأقل.
    [one] حرفًا واحدًا على الأقل.
    [two] حرفين على الأقل.
    [few] { $min } أحرف على الأقل.
    [many] { $min } حرفًا على الأقل.
   *[other] { $min } حرف على الأقل.
}
error-password-too-long = استخدم { $max ->
    [zero] { $max } حرف على الأكثر.
    [one] حرفًا واحدًا على الأكثر.
    [two] حرفين على الأكثر.
    [few] { $max } أحرف على الأكثر.
    [many] { $max } حرفًا على الأكثر.
   *[other] { $max } حرف على الأكثر.
}
error-password-common = كلمة المرور هذه شائعة جدًا ويسهل تخمينها. اختر كلمة مرور أخرى.
error-password-personal = لا تستخدم اسمك أو عنوان بريدك الإلكتروني في كلمة المرور.
error-password-brand = لا تستخدم الاسم { $brand } في كلمة المرور، فهو من أول ما يجرّبه من يحاول تخمينها.
error-password-invalid-characters = أزِل الأحرف غير المرئية وأحرف التحكم من كلمة المرور، فلا يمكن رؤيتها ولا إعادة كتابتها بشكل موثوق.
error-login-failed = البريد الإلكتروني أو كلمة المرور غير صحيحة. تحقّق منهما وحاول مرة أخرى.
error-login-throttled = محاولات كثيرة جدًا. انتظر { $seconds ->
    [zero] { $seconds } ثانية
    [one] ثانية واحدة
    [two] ثانيتين
    [few] { $seconds } ثوانٍ
    [many] { $seconds } ثانية
   *[other] { $seconds } ثانية
} ثم حاول مرة أخرى.
error-login-disabled = تم قفل تسجيل الدخول بهذا العنوان بعد محاولات فاشلة كثيرة جدًا. أعد تعيين كلمة المرور لإلغاء القفل.
error-account-taken = أُنشئ حساب بهذا العنوان قبل لحظات، ربما في نافذة أخرى. سجّل الدخول به بدلًا من ذلك.

## Journey titles, as a tenant's description (GET /v1/{tenant}) lists them.

journey-registration-title = إنشاء حساب
journey-login-title = تسجيل الدخول
journey-recovery-title = إعادة تعيين كلمة مرور منسية
journey-profile-title = استكمال ملفك الشخصي
lookup-unavailable-title = لا يمكننا جلب بياناتك الآن
lookup-unavailable-body = لم تُجب خدمتنا في الوقت المحدد. لم يضِع شيء مما أدخلته: اختر «متابعة» للمحاولة مرة أخرى.

## تسجيل الدخول برمز عبر البريد الإلكتروني (identify_by_email_code)، وأول كلمة مرور، ومستويات الضمان.

identify-by-email-code-title = سجّل الدخول برمز عبر البريد الإلكتروني
identify-by-email-code-sent = أرسلنا رمز تسجيل دخول إلى { $email }. الرمز صالح لمدة { $minutes ->
    [zero] { $minutes } دقيقة.
    [one] دقيقة واحدة.
    [two] دقيقتين.
    [few] { $minutes } دقائق.
    [many] { $minutes } دقيقة.
   *[other] { $minutes } دقيقة.
} إذا لم يصلك، فتحقّق من العنوان واطلب رمزًا جديدًا.
error-assurance-insufficient = طريقة تسجيل الدخول هذه غير كافية هنا. ابدأ من جديد وسجّل الدخول بكلمة المرور أو برمز يُرسَل إلى هاتفك.
error-password-exists = لهذا الحساب كلمة مرور بالفعل، لذا لم نغيّرها. سجّل الدخول بكلمة المرور، أو أعد تعيينها إذا نسيتها.
