## Compléter le profil : les informations qu'un parcours demande et que le compte n'a pas encore.

profile-completion-title = Encore quelques informations
profile-completion-intro = Pour continuer, il nous faut quelques informations que votre compte n'a pas encore. Nous ne demandons que ce qui manque.
field-birthdate = Date de naissance
field-date-hint = Par exemple 1990-04-12.
field-address-street-address = Rue et numéro
field-address-postal-code = Code postal
field-address-locality = Ville
field-address-country = Pays
country-be = Belgique
country-de = Allemagne
country-es = Espagne
country-fr = France
country-gb = Royaume-Uni
country-nl = Pays-Bas

## Attributes a journey declares itself: the demo's questions about a car.

field-car-use = À quoi servira surtout la voiture ?
field-car-use-private = Usage privé
field-car-use-commute = Trajets domicile-travail
field-car-use-business = Usage professionnel
field-garage = La voiture est-elle garée dans un garage la nuit ?
field-garage-yes = Oui
field-garage-no = Non

## What is shown beside a profile field when its value is refused.

error-date-invalid = Saisissez une date réelle, par exemple 1990-04-12.
error-date-range = Saisissez une date entre 1900 et aujourd'hui.
error-date-too-young = Vous devez avoir au moins { $years } ans.
error-choice-invalid = Choisissez l'une des options.
error-postal-code = Saisissez un code postal du pays choisi, par exemple 75001 pour la France.
