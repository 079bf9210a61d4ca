## Wheelhouse's own wording of shared texts (car insurance).

registration-title = Verzeker je auto: maak je account aan
password-login-title = Log in bij je autoverzekering
