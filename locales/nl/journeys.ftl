## Staptitels en informatiepagina's.

registration-title = Maak je account aan
collect-user-data-title = Vertel ons wie je bent
email-validation-title = Controleer je e-mail
email-validation-sent = We hebben een code gestuurd naar { $email }. De code is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig.
set-password-title = Kies een wachtwoord
welcome-title = Welkom bij { $brand }
welcome-body = Je account is klaar. We melden je nu aan.
locked-title = Registratie gestopt
locked-body = De code is te vaak verkeerd ingevuld, dus hebben we deze registratie gestopt om je account te beschermen. Begin opnieuw om een nieuwe code te krijgen.
outcome-signed-in = Je bent ingelogd.
password-login-title = Inloggen
recovery-title = Stel een nieuw wachtwoord in
reset-password-title = Kies een nieuw wachtwoord
recovery-done-title = Je wachtwoord is gewijzigd
recovery-done-body = Je bent overal afgemeld waar je met dit account was aangemeld, en we hebben een bevestiging naar je e-mailadres gestuurd. We melden je hier nu aan.
recovery-locked-title = Nieuw wachtwoord instellen gestopt
recovery-locked-body = De code is te vaak verkeerd ingevuld, dus we zijn gestopt om je account te beschermen. Begin opnieuw om een nieuwe code te krijgen.

## Velden.

field-email = E-mailadres
field-given-name = Voornaam
field-family-name = Achternaam
field-code = Verificatiecode
field-code-hint = De code van { $length ->
    [one] 1 cijfer
   *[other] { $length } cijfers
} uit de e-mail. Je kunt hem plakken.
field-new-password = Nieuw wachtwoord
field-new-password-hint = Minstens { $min ->
    [one] 1 teken.
   *[other] { $min } tekens.
} Een paar losse woorden maken een sterk wachtwoord dat je makkelijk onthoudt.
field-password = Wachtwoord

## Acties.

action-continue = Doorgaan
action-verify = Controleren
action-resend = Stuur een nieuwe code
action-resend-wait = Je kunt over { $seconds ->
    [one] 1 seconde
   *[other] { $seconds } seconden
} een nieuwe code aanvragen.
action-set-password = Wachtwoord instellen
action-sign-in = Inloggen
action-reveal-show = Wachtwoord tonen
action-reveal-hide = Wachtwoord verbergen

## Meldingen en fouten bij velden en stappen.

note-code-resent = We hebben een nieuwe code gestuurd. De vorige code werkt niet meer.
error-required = Vul dit veld in.
error-too-long = Gebruik hoogstens { $max ->
    [one] 1 teken.
   *[other] { $max } tekens.
}
error-email-invalid = Vul een e-mailadres in zoals naam@voorbeeld.nl.
error-text-invalid = Haal de speciale tekens uit dit veld.
error-code-format = Vul { $length ->
    [one] het cijfer
   *[other] de { $length } cijfers
} van de code in.
error-code-wrong = Die code klopt niet. { $left ->
    [one] Je kunt het nog 1 keer proberen.
   *[other] Je kunt het nog { $left } keer proberen.
}
error-code-expired = Deze code is verlopen. Vraag een nieuwe code aan.
error-code-paused = Er zijn te veel verkeerde codes ingevuld voor dit adres. Probeer het over { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} opnieuw.
error-message-cap = We hebben het afgelopen uur te veel berichten naar dit adres gestuurd, dus we hebben geen code verstuurd. Wacht even en vraag dan een nieuwe code aan.
error-resend-wait = Wacht { $seconds ->
    [one] 1 seconde
   *[other] { $seconds } seconden
} voordat je een nieuwe code aanvraagt.
error-resend-limit = Je kunt geen codes meer aanvragen. Probeer het later opnieuw.
error-password-too-short = Gebruik minstens { $min ->
    [one] 1 teken.
   *[other] { $min } tekens.
}
error-password-too-long = Gebruik hoogstens { $max ->
    [one] 1 teken.
   *[other] { $max } tekens.
}
error-password-common = Dit wachtwoord is te gewoon en makkelijk te raden. Kies een ander.
error-password-personal = Gebruik je naam of e-mailadres niet in je wachtwoord.
error-password-brand = Gebruik de naam { $brand } niet in je wachtwoord; die wordt als een van de eerste geprobeerd.
error-password-invalid-characters = Haal de onzichtbare tekens en stuurtekens uit je wachtwoord; die zie je niet en kun je niet betrouwbaar opnieuw typen.
error-login-failed = Het e-mailadres of wachtwoord klopt niet. Controleer beide en probeer het opnieuw.
error-login-throttled = Te veel pogingen. Wacht { $seconds ->
    [one] 1 seconde
   *[other] { $seconds } seconden
} en probeer het opnieuw.
error-login-disabled = Inloggen met dit adres is geblokkeerd na te veel mislukte pogingen. Stel een nieuw wachtwoord in om het te ontgrendelen.
error-account-taken = Er is zojuist een account met dit adres aangemaakt, misschien in een ander venster. Log daarmee in.

## Journey titles, as a tenant's description (GET /v1/{tenant}) lists them.

journey-registration-title = Account aanmaken
journey-login-title = Inloggen
journey-recovery-title = Vergeten wachtwoord opnieuw instellen
journey-profile-title = Je profiel aanvullen
lookup-unavailable-title = We kunnen uw gegevens nu niet ophalen
lookup-unavailable-body = Onze dienst antwoordde niet op tijd. Wat u invulde, blijft bewaard: kies Doorgaan om het opnieuw te proberen.

## Inloggen met een code per e-mail (identify_by_email_code), een eerste wachtwoord en betrouwbaarheidsniveaus.

identify-by-email-code-title = Inloggen met een code per e-mail
identify-by-email-code-sent = We hebben een inlogcode naar { $email } gestuurd. Hij is { $minutes ->
    [one] 1 minuut
   *[other] { $minutes } minuten
} geldig. Komt hij niet aan, controleer dan het adres en vraag een nieuwe code aan.
error-assurance-insufficient = Deze manier van inloggen is hier niet sterk genoeg. Begin opnieuw en log in met uw wachtwoord of met een code die naar uw telefoon wordt gestuurd.
error-password-exists = Dit account heeft al een wachtwoord; we hebben het daarom niet gewijzigd. Log in met uw wachtwoord, of stel het opnieuw in als u het bent vergeten.
