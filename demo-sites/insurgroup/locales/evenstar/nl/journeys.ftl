## Evenstar Life's own wording of shared texts (life insurance).

registration-title = Zorg voor wie je liefhebt: maak je account aan
password-login-title = Log in bij je levensverzekering
