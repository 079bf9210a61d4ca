## Evenstar Life's own wording of shared texts (life insurance).

email-verification-code-subject = Your { $brand } code for your life insurance
