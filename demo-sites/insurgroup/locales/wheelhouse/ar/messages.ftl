## Wheelhouse's own wording of shared texts (car insurance).

email-verification-code-subject = رمز { $brand } الخاص بتأمين سيارتك
