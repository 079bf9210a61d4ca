## Wheelhouse's own wording of shared texts (car insurance).

registration-title = أمِّن سيارتك: أنشئ حسابك
password-login-title = سجّل الدخول إلى تأمين سيارتك
