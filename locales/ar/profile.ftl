## استكمال الملف الشخصي: البيانات التي تطلبها الرحلة وليست في الحساب بعد.

profile-completion-title = بعض التفاصيل الإضافية
profile-completion-intro = للمتابعة نحتاج إلى بعض التفاصيل غير الموجودة في حسابك بعد. لا نطلب إلا ما ينقص.
field-birthdate = تاريخ الميلاد
field-date-hint = مثلًا 1990-04-12.
field-address-street-address = الشارع والرقم
field-address-postal-code = الرمز البريدي
field-address-locality = المدينة
field-address-country = البلد
country-be = بلجيكا
country-de = ألمانيا
country-es = إسبانيا
country-fr = فرنسا
country-gb = المملكة المتحدة
country-nl = هولندا

## Attributes a journey declares itself: the demo's questions about a car.

field-car-use = فيمَ ستستخدم السيارة غالبًا؟
field-car-use-private = استخدام شخصي
field-car-use-commute = التنقل إلى العمل
field-car-use-business = استخدام تجاري
field-garage = هل تُركن السيارة في مرآب ليلًا؟
field-garage-yes = نعم
field-garage-no = لا

## What is shown beside a profile field when its value is refused.

error-date-invalid = أدخل تاريخًا صحيحًا، مثل 1990-04-12.
error-date-range = أدخل تاريخًا بين 1900 واليوم.
error-date-too-young = يجب ألا يقل عمرك عن { $years } سنة.
error-choice-invalid = اختر أحد الخيارات.
error-postal-code = أدخل رمزًا بريديًا للبلد المختار، مثل 1015 CJ لهولندا.
