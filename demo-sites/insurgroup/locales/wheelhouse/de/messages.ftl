## Wheelhouse's own wording of shared texts (car insurance).

email-verification-code-subject = Ihr { $brand }-Code für Ihre Kfz-Versicherung
