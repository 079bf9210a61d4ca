## Numéros de téléphone : ce qui s'affiche à côté d'un champ de téléphone quand un numéro est refusé.

error-phone-invalid = Saisissez un numéro de téléphone, par exemple +33 6 12 34 56 78.
error-phone-country = Nous ne pouvons pas utiliser les numéros de ce pays. Saisissez un numéro d'un pays où nous sommes présents.
error-phone-no-sms = Ce numéro ne peut pas recevoir de SMS. Saisissez un numéro de mobile ou choisissez un appel vocal.
