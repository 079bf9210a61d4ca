## Evenstar Life's own wording of shared texts (life insurance).

registration-title = Für die Menschen, die Ihnen wichtig sind: Konto erstellen
password-login-title = Bei Ihrer Lebensversicherung anmelden
