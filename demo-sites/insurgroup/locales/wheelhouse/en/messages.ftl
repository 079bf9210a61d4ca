## Wheelhouse's own wording of shared texts (car insurance).

email-verification-code-subject = Your { $brand } code for your car insurance
