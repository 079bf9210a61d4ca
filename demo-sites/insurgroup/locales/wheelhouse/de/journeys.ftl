## Wheelhouse's own wording of shared texts (car insurance).

registration-title = Ihr Auto versichern: Konto erstellen
password-login-title = Bei Ihrer Kfz-Versicherung anmelden
