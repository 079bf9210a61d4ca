## Wheelhouse's own wording of shared texts (car insurance).

registration-title = Insure your car: create your account
password-login-title = Sign in to your car insurance
