## Evenstar Life's own wording of shared texts (life insurance).

email-verification-code-subject = Ihr { $brand }-Code für Ihre Lebensversicherung
