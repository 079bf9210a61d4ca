## Evenstar Life's own wording of shared texts (life insurance).

registration-title = Protégez ceux que vous aimez : créez votre compte
password-login-title = Connectez-vous à votre assurance vie
