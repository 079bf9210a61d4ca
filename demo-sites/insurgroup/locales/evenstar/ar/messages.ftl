## Evenstar Life's own wording of shared texts (life insurance).

email-verification-code-subject = رمز { $brand } الخاص بتأمين حياتك
