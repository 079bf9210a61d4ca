## Toestemming voor doeleinden: een persoon geeft of trekt ze één voor één in.

attribute-consent-title = Uw keuzes
attribute-consent-intro = Vink aan wat { $brand } mag doen. Er staat niets voor u aangevinkt, en u kunt hier altijd iets uitvinken om uw toestemming in te trekken.
attribute-consent-submit = Mijn keuzes opslaan
consent-purpose-marketing_email = Aanbiedingen en nieuws per e-mail
consent-purpose-marketing_email-hint = Hooguit twee e-mails per maand over producten en aanbiedingen die bij u passen.
consent-purpose-marketing_sms = Aanbiedingen per sms
consent-purpose-marketing_sms-hint = Af en toe een sms over aanbiedingen. De gewone tarieven van uw provider gelden.
consent-purpose-group_sharing = Mijn gegevens delen met de andere merken van de groep
consent-purpose-group_sharing-hint = Uw naam en contactgegevens, zodat de andere merken van de groep u hun producten kunnen aanbieden zonder het opnieuw te vragen.
error-consent-checkbox-value = Deze keuze werd niet begrepen. Vink het vakje aan of uit en probeer het opnieuw.

## Toestemming voor documenten: de voorwaarden en verklaringen die een persoon leest en accepteert.

document-consent-title = Voorwaarden en privacy
document-consent-needed = Lees de documenten hieronder. Vink elk vakje aan om ze te accepteren en verder te gaan.
document-consent-major = Sommige documenten zijn wezenlijk gewijzigd. Lees ze opnieuw en accepteer ze om verder te gaan.
document-consent-minor = U hoeft niets te accepteren: deze documenten zijn alleen bijgewerkt. Ga verder wanneer u klaar bent.
document-consent-version = Versie { $version }
document-consent-accept = Accepteren en verder
document-consent-refuse = Ik accepteer niet
document-consent-continue = Verder
error-document-consent-unticked = Vink dit vakje aan om het document te accepteren, of kies „Ik accepteer niet”.
consent-document-terms = Gebruiksvoorwaarden
consent-document-terms-accept = Ik heb de gebruiksvoorwaarden gelezen en accepteer ze
consent-document-terms-updated = We hebben de gebruiksvoorwaarden bijgewerkt (versie { $version }). De wijzigingen zijn klein en vragen geen nieuwe acceptatie.
consent-document-privacy = Privacyverklaring
consent-document-privacy-accept = Ik heb de privacyverklaring gelezen
consent-document-privacy-updated = We hebben de privacyverklaring bijgewerkt (versie { $version }). De wijzigingen zijn klein en vragen geen nieuwe acceptatie.
document-consent-refused-title = Niet geaccepteerd
document-consent-refused-body = Zonder uw acceptatie kunnen we niet verder. Verder is er niets veranderd, en u kunt terugkomen wanneer u wilt.
document-consent-changed = Er is iets veranderd terwijl u las: een document heeft een nieuwe versie, of u hebt in een ander venster al gekozen. Kijk nog eens voordat u beslist.
