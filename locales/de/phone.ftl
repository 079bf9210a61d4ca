## Telefonnummern: was neben einem Telefonfeld steht, wenn eine Nummer abgelehnt wird.

error-phone-invalid = Geben Sie eine Telefonnummer ein, zum Beispiel +49 151 23456789.
error-phone-country = Telefonnummern aus diesem Land können wir nicht verwenden. Geben Sie eine Nummer aus einem Land ein, in dem wir tätig sind.
error-phone-no-sms = Diese Nummer kann keine SMS empfangen. Geben Sie eine Mobilnummer ein oder wählen Sie einen Anruf.
