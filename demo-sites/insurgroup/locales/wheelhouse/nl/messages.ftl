## Wheelhouse's own wording of shared texts (car insurance).

email-verification-code-subject = Je { $brand }-code voor je autoverzekering
