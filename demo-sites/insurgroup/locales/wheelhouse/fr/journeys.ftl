## Wheelhouse's own wording of shared texts (car insurance).

registration-title = Assurez votre voiture : créez votre compte
password-login-title = Connectez-vous à votre assurance auto
