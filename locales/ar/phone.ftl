## أرقام الهواتف: ما يظهر بجانب حقل الهاتف عند رفض رقم.

error-phone-invalid = أدخل رقم هاتف، مثل +971 50 123 4567.
error-phone-country = لا يمكننا استخدام أرقام الهواتف من هذا البلد. أدخل رقمًا من بلد نعمل فيه.
error-phone-no-sms = لا يمكن لهذا الرقم استقبال الرسائل النصية. أدخل رقم هاتف محمول، أو اختر مكالمة صوتية.
error-phone-no-sms-only = لا يمكن لهذا الرقم استقبال الرسائل النصية. أدخل رقم هاتف محمول.

## التحقق من رقم الهاتف (phone_number_verification): الخطوة، والرمز برسالة نصية أو بمكالمة.

phone-verification-title = تحقّق من رقم هاتفك
field-phone-number = رقم الهاتف
field-phone-number-hint = نرسل رمزًا إلى هذا الرقم للتأكد من أنه رقمك.
field-phone-channel = كيف نرسل إليك الرمز؟
phone-channel-sms = رسالة نصية (SMS)
phone-channel-voice = مكالمة صوتية
action-send-code = إرسال الرمز
phone-verification-sent-sms = أرسلنا رمزًا برسالة نصية إلى { $phone }. الرمز صالح لمدة { $minutes ->
    [zero] { $minutes } دقيقة.
    [one] دقيقة واحدة.
    [two] دقيقتين.
    [few] { $minutes } دقائق.
    [many] { $minutes } دقيقة.
   *[other] { $minutes } دقيقة.
}
phone-verification-sent-voice = نتصل الآن بالرقم { $phone } لنقرأ عليك رمزًا. الرمز صالح لمدة { $minutes ->
    [zero] { $minutes } دقيقة.
    [one] دقيقة واحدة.
    [two] دقيقتين.
    [few] { $minutes } دقائق.
    [many] { $minutes } دقيقة.
   *[other] { $minutes } دقيقة.
}
phone-verification-code-hint = الرمز المكوّن من { $length ->
    [zero] { $length } رقم
    [one] رقم واحد
    [two] رقمين
    [few] { $length } أرقام
    [many] { $length } رقمًا
   *[other] { $length } رقم
} والوارد في الرسالة النصية أو المكالمة. يمكنك لصقه.
action-change-number = استخدام رقم آخر
action-call-instead = اتصلوا بي بدلًا من ذلك
action-text-instead = أرسلوا إليّ رسالة نصية بدلًا من ذلك
sms-verification-code-subject = رمز التحقق من { $brand }
sms-verification-code-body = رمزك لدى { $brand } هو { $code }. الرمز صالح لمدة { $minutes ->
    [zero] { $minutes } دقيقة.
    [one] دقيقة واحدة.
    [two] دقيقتين.
    [few] { $minutes } دقائق.
    [many] { $minutes } دقيقة.
   *[other] { $minutes } دقيقة.
} لا تشاركه مع أحد.
voice-verification-code-subject = مكالمة التحقق من { $brand }
voice-verification-code-body = مرحبًا، معك { $brand }. رمز التحقق الخاص بك هو { $code_spoken }. أكرّر: رمزك هو { $code_spoken }. الرمز صالح لمدة { $minutes ->
    [zero] { $minutes } دقيقة.
    [one] دقيقة واحدة.
    [two] دقيقتين.
    [few] { $minutes } دقائق.
    [many] { $minutes } دقيقة.
   *[other] { $minutes } دقيقة.
}
error-message-cap-phone = أرسلنا رسائل كثيرة جدًا إلى هذا الرقم خلال الساعة الماضية، لذلك لم نرسل رمزًا. انتظر بعض الوقت ثم اطلب رمزًا جديدًا.
error-code-paused-phone = أُدخلت رموز خاطئة كثيرة جدًا لهذا الرقم. حاول مرة أخرى بعد { $minutes ->
    [zero] { $minutes } دقيقة.
    [one] دقيقة واحدة.
    [two] دقيقتين.
    [few] { $minutes } دقائق.
    [many] { $minutes } دقيقة.
   *[other] { $minutes } دقيقة.
}
