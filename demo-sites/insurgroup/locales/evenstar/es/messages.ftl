## Evenstar Life's own wording of shared texts (life insurance).

email-verification-code-subject = Tu código de { $brand } para tu seguro de vida
