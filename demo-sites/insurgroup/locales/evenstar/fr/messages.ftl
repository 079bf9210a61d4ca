## Evenstar Life's own wording of shared texts (life insurance).

email-verification-code-subject = Votre code { $brand } pour votre assurance vie
