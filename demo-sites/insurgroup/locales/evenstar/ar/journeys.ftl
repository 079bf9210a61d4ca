## Evenstar Life's own wording of shared texts (life insurance).

registration-title = احمِ من تحب: أنشئ حسابك
password-login-title = سجّل الدخول إلى تأمين حياتك
