## Evenstar Life's own wording of shared texts (life insurance).

registration-title = Look after the people you love: create your account
password-login-title = Sign in to your life insurance
