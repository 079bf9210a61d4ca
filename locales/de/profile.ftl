## Profil ergänzen: die Angaben, die eine Journey braucht und die dem Konto noch fehlen.

profile-completion-title = Noch ein paar Angaben
profile-completion-intro = Um fortzufahren, brauchen wir einige Angaben, die Ihr Konto noch nicht hat. Wir fragen nur, was fehlt.
field-birthdate = Geburtsdatum
field-date-hint = Zum Beispiel 1990-04-12.
field-address-street-address = Straße und Hausnummer
field-address-postal-code = Postleitzahl
field-address-locality = Ort
field-address-country = Land
country-be = Belgien
country-de = Deutschland
country-es = Spanien
country-fr = Frankreich
country-gb = Vereinigtes Königreich
country-nl = Niederlande

## Attributes a journey declares itself: the demo's questions about a car.

field-car-use = Wofür nutzen Sie das Auto hauptsächlich?
field-car-use-private = Privat
field-car-use-commute = Arbeitsweg
field-car-use-business = Geschäftlich
field-garage = Steht das Auto nachts in einer Garage?
field-garage-yes = Ja
field-garage-no = Nein

## What is shown beside a profile field when its value is refused.

error-date-invalid = Geben Sie ein gültiges Datum ein, zum Beispiel 1990-04-12.
error-date-range = Geben Sie ein Datum zwischen 1900 und heute ein.
error-date-too-young = Sie müssen mindestens { $years } Jahre alt sein.
error-choice-invalid = Wählen Sie eine der Möglichkeiten.
error-postal-code = Geben Sie eine Postleitzahl des gewählten Landes ein, zum Beispiel 10115 für Deutschland.
