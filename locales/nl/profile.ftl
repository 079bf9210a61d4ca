## Profiel aanvullen: de gegevens die een journey vraagt en die het account nog mist.

profile-completion-title = Nog een paar gegevens
profile-completion-intro = Om verder te gaan hebben we een paar gegevens nodig die je account nog niet heeft. We vragen alleen wat ontbreekt.
field-birthdate = Geboortedatum
field-date-hint = Bijvoorbeeld 1990-04-12.
field-address-street-address = Straat en huisnummer
field-address-postal-code = Postcode
field-address-locality = Plaats
field-address-country = Land
country-be = België
country-de = Duitsland
country-es = Spanje
country-fr = Frankrijk
country-gb = Verenigd Koninkrijk
country-nl = Nederland

## Attributes a journey declares itself: the demo's questions about a car.

field-car-use = Waarvoor gebruik je de auto vooral?
field-car-use-private = Privé
field-car-use-commute = Woon-werkverkeer
field-car-use-business = Zakelijk
field-garage = Staat de auto 's nachts in een garage?
field-garage-yes = Ja
field-garage-no = Nee

## What is shown beside a profile field when its value is refused.

error-date-invalid = Vul een bestaande datum in, zoals 1990-04-12.
error-date-range = Vul een datum in tussen 1900 en vandaag.
error-date-too-young = Je moet minstens { $years } jaar oud zijn.
error-choice-invalid = Kies een van de mogelijkheden.
error-postal-code = Vul een postcode van het gekozen land in, zoals 1015 CJ voor Nederland.
