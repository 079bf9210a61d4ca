## Wheelhouse's own wording of shared texts (car insurance).

registration-title = Asegura tu coche: crea tu cuenta
password-login-title = Inicia sesión en tu seguro de coche
