## Telefoonnummers: wat naast een telefoonveld staat als een nummer niet wordt aangenomen.

error-phone-invalid = Vul een telefoonnummer in, zoals +31 6 12345678 of 06 12345678.
error-phone-country = Telefoonnummers uit dat land kunnen we niet gebruiken. Vul een nummer in uit een land waar we actief zijn.
error-phone-no-sms = Dit nummer kan geen sms ontvangen. Vul een mobiel nummer in, of kies voor een telefoontje.
error-phone-no-sms-only = Dit nummer kan geen sms ontvangen. Vul een mobiel nummer in.

## Telefoonnummer controleren (phone_number_verification): de stap, en de code per sms of telefoontje.

phone-verification-title = Controleer je telefoonnummer
field-phone-number = Telefoonnummer
field-phone-number-hint = We sturen een code naar dit nummer om te controleren dat het van jou is.
field-phone-channel = Hoe sturen we de code?
phone-channel-sms = Sms
phone-channel-voice = Telefoontje
action-send-code = Code sturen
phone-verification-sent-sms = We hebben een code per sms gestuurd naar { $phone }. De code is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig.
phone-verification-sent-voice = We bellen { $phone } en lezen een code voor. De code is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig.
phone-verification-code-hint = De code van { $length ->
    [one] 1 cijfer
   *[other] { $length } cijfers
} uit de sms of het telefoontje. Je kunt hem plakken.
action-change-number = Ander nummer gebruiken
action-call-instead = Bel me liever
action-text-instead = Stuur liever een sms
sms-verification-code-subject = Controlecode van { $brand }
sms-verification-code-body = Je code van { $brand } is { $code }. De code is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig. Deel hem met niemand.
voice-verification-code-subject = Controletelefoontje van { $brand }
voice-verification-code-body = Hallo, dit is { $brand }. Je controlecode is { $code_spoken }. Nog een keer: je code is { $code_spoken }. De code is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig.
error-message-cap-phone = We hebben het afgelopen uur te veel berichten naar dit nummer gestuurd, dus we hebben geen code verstuurd. Wacht even en vraag dan een nieuwe code aan.
error-code-paused-phone = Er zijn te veel verkeerde codes ingevuld voor dit nummer. Probeer het over { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} opnieuw.
