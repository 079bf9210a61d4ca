## التحذير قبل انتهاء صلاحية الجلسة، مع عرض وقت إضافي (WCAG 2.2.1).
## يرسل الخادم كل نص جاهزًا، ويعرض الـ widget سطر الوقت المتبقي المناسب.

flow-expiry-warning = جلستك على وشك الانتهاء
flow-expiry-hint = اختر «متابعة» للحصول على وقت إضافي. سيبقى ما أدخلته كما هو.
flow-expiry-continue = متابعة
flow-expiry-final = لا يمكن تمديد هذه الجلسة أكثر من ذلك. أكمل قبل انتهائها، أو ابدأ من جديد بعد ذلك.
flow-expiry-minutes-left = { $minutes ->
    [zero] بقي أقل من دقيقة.
    [one] بقي أقل من دقيقة واحدة.
    [two] بقي أقل من دقيقتين.
    [few] بقي أقل من { $minutes } دقائق.
    [many] بقي أقل من { $minutes } دقيقة.
   *[other] بقي أقل من { $minutes } دقيقة.
}
flow-expiry-seconds-left = { $seconds ->
    [zero] بقي أقل من ثانية.
    [one] بقي أقل من ثانية واحدة.
    [two] بقي أقل من ثانيتين.
    [few] بقي أقل من { $seconds } ثوانٍ.
    [many] بقي أقل من { $seconds } ثانية.
   *[other] بقي أقل من { $seconds } ثانية.
}
