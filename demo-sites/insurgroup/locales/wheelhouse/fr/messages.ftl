## Wheelhouse's own wording of shared texts (car insurance).

email-verification-code-subject = Votre code { $brand } pour votre assurance auto
