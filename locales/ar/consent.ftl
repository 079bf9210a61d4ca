## الموافقة على الأغراض: يمنحها الشخص أو يسحبها واحدًا تلو الآخر.

attribute-consent-title = اختياراتك
attribute-consent-intro = ضع علامة على ما يُسمح لـ { $brand } بفعله. لم نحدّد أي خيار نيابةً عنك، ويمكنك إزالة أي علامة هنا في أي وقت لسحب موافقتك.
attribute-consent-submit = احفظ اختياراتي
consent-purpose-marketing_email = العروض والأخبار عبر البريد الإلكتروني
consent-purpose-marketing_email-hint = رسالتان على الأكثر شهريًا عن منتجات وعروض تناسبك.
consent-purpose-marketing_sms = العروض عبر الرسائل النصية
consent-purpose-marketing_sms-hint = رسائل نصية من حين لآخر عن العروض. تُطبَّق الأسعار المعتادة لمزوّد خدمتك.
consent-purpose-group_sharing = مشاركة بياناتي مع العلامات التجارية الأخرى في المجموعة
consent-purpose-group_sharing-hint = اسمك وبيانات الاتصال بك، لكي تعرض عليك العلامات الأخرى في المجموعة منتجاتها دون أن تسألك مرة أخرى.
error-consent-checkbox-value = لم نفهم هذا الاختيار. ضع العلامة أو أزلها ثم حاول مرة أخرى.

## الموافقة على المستندات: الشروط والإشعارات التي يقرؤها الشخص ويقبلها.

document-consent-title = الشروط والخصوصية
document-consent-needed = يُرجى قراءة المستندات أدناه. للمتابعة، ضع علامة في كل مربع لقبولها.
document-consent-major = تغيّرت بعض المستندات تغييرًا مهمًا. يُرجى قراءتها مرة أخرى وقبولها للمتابعة.
document-consent-minor = لا شيء يحتاج إلى موافقتك: حُدّثت هذه المستندات فقط. تابع عندما تكون مستعدًا.
document-consent-version = الإصدار { $version }
document-consent-accept = اقبل وتابع
document-consent-refuse = لا أقبل
document-consent-continue = متابعة
error-document-consent-unticked = ضع علامة في هذا المربع لقبول المستند، أو اختر «لا أقبل».
consent-document-terms = شروط الاستخدام
consent-document-terms-accept = قرأت شروط الاستخدام وأقبلها
consent-document-terms-updated = حدّثنا شروط الاستخدام (الإصدار { $version }). التغييرات بسيطة ولا تتطلب موافقة جديدة.
consent-document-privacy = إشعار الخصوصية
consent-document-privacy-accept = قرأت إشعار الخصوصية
consent-document-privacy-updated = حدّثنا إشعار الخصوصية (الإصدار { $version }). التغييرات بسيطة ولا تتطلب موافقة جديدة.
document-consent-refused-title = لم يتم القبول
document-consent-refused-body = لا يمكننا المتابعة دون موافقتك. لم يتغيّر أي شيء آخر، ويمكنك العودة متى شئت.
document-consent-changed = تغيّر شيء أثناء قراءتك: للمستند إصدار جديد، أو اتخذت قرارك في نافذة أخرى. يُرجى المراجعة مرة أخرى قبل أن تقرّر.
