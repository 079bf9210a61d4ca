## Fouten van de API, getoond als een verzoek niet kan worden afgehandeld.

api-malformed-json = Het verzoek kon niet worden gelezen. Laad de pagina opnieuw en probeer het nog eens.
api-invalid-request = Het verzoek was niet compleet. Laad de pagina opnieuw en probeer het nog eens.
api-unsupported-media-type = Het verzoek is niet als JSON verstuurd. Laad de pagina opnieuw en probeer het nog eens.
api-payload-too-large = Het verzoek was te groot. Maak korter wat je hebt ingevuld en probeer het opnieuw.
api-tenant-not-found = Deze site is niet bekend bij de inlogdienst.
api-journey-not-found = Deze inlogpagina is niet ingericht. Neem contact op met de klantenservice van de site.
api-flow-not-found = Deze sessie is niet gevonden. Begin opnieuw.
api-flow-expired = Deze sessie is verlopen. Begin opnieuw.
api-flow-ended = Deze sessie is al afgelopen. Begin opnieuw als dat nodig is.
api-step-mismatch = Deze pagina was verouderd; hier ben je nu.
api-action-unavailable = Dat kan niet bij deze stap.
api-invalid-input = Een deel van wat je hebt ingevuld moet worden verbeterd.
api-conflict = Een ander verzoek veranderde deze sessie tegelijk; hier ben je nu.
api-rate-limited = Te veel pogingen. Wacht even en probeer het opnieuw.
api-origin-not-allowed = Deze site mag de inlogdienst niet gebruiken.
api-channel-unavailable = Deze inlogdienst kan nog geen { $channel ->
    [email] e-mail
    [sms] sms-berichten
   *[voice] spraakoproepen
} versturen, en deze stap heeft die nodig. Probeer het later opnieuw of neem contact op met de klantenservice van de site.
api-invalid-context = Deze pagina gaf gegevens door die het formulier niet accepteert ({ $key }), dus het kon niet starten. Laad de pagina opnieuw; gebeurt het weer, meld het dan aan de klantenservice van de site.
api-method-not-allowed = Dit adres accepteert dit soort verzoek niet.
api-not-found = Hier is niets.
api-internal = Er ging bij ons iets mis. Er is niets veranderd; probeer het zo opnieuw.
