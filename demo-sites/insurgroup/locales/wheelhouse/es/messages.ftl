## Wheelhouse's own wording of shared texts (car insurance).

email-verification-code-subject = Tu código de { $brand } para tu seguro de coche
