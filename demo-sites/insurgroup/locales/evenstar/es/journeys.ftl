## Evenstar Life's own wording of shared texts (life insurance).

registration-title = Protege a quienes quieres: crea tu cuenta
password-login-title = Inicia sesión en tu seguro de vida
