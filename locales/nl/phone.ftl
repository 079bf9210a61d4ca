## Telefoonnummers: wat naast een telefoonveld staat als een nummer niet wordt aangenomen.

error-phone-invalid = Vul een telefoonnummer in, zoals +31 6 12345678 of 06 12345678.
error-phone-country = Telefoonnummers uit dat land kunnen we niet gebruiken. Vul een nummer in uit een land waar we actief zijn.
error-phone-no-sms = Dit nummer kan geen sms ontvangen. Vul een mobiel nummer in, of kies voor een telefoontje.
