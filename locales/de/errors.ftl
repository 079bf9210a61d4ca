## Fehler der API, angezeigt, wenn eine Anfrage nicht bearbeitet werden kann.

api-malformed-json = Die Anfrage konnte nicht gelesen werden. Laden Sie die Seite neu und versuchen Sie es noch einmal.
api-invalid-request = Die Anfrage war unvollständig. Laden Sie die Seite neu und versuchen Sie es noch einmal.
api-unsupported-media-type = Die Anfrage wurde nicht als JSON gesendet. Laden Sie die Seite neu und versuchen Sie es noch einmal.
api-payload-too-large = Die Anfrage war zu groß. Kürzen Sie Ihre Eingabe und versuchen Sie es noch einmal.
api-tenant-not-found = Diese Website ist dem Anmeldedienst nicht bekannt.
api-journey-not-found = Diese Anmeldeseite ist nicht eingerichtet. Wenden Sie sich an den Kundenservice der Website.
api-flow-not-found = Diese Sitzung wurde nicht gefunden. Bitte beginnen Sie von vorn.
api-flow-expired = Diese Sitzung ist abgelaufen. Bitte beginnen Sie von vorn.
api-flow-ended = Diese Sitzung ist bereits beendet. Beginnen Sie bei Bedarf von vorn.
api-step-mismatch = Diese Seite war nicht mehr aktuell. Hier sehen Sie, wo Sie gerade sind.
api-action-unavailable = Das ist in diesem Schritt nicht möglich.
api-invalid-input = Einige Ihrer Angaben müssen korrigiert werden.
api-conflict = Eine andere Anfrage hat diese Sitzung gleichzeitig geändert. Hier sehen Sie, wo Sie gerade sind.
api-rate-limited = Zu viele Versuche. Warten Sie einen Moment und versuchen Sie es dann noch einmal.
api-origin-not-allowed = Diese Website darf den Anmeldedienst nicht verwenden.
api-channel-unavailable = Dieser Anmeldedienst kann noch keine { $channel ->
    [email] E-Mails
    [sms] SMS
   *[voice] Sprachanrufe
} senden, und dieser Schritt braucht sie. Versuchen Sie es später noch einmal oder wenden Sie sich an den Support der Website.
api-invalid-context = Diese Seite hat Angaben übergeben, die das Formular nicht annimmt ({ $key }), daher konnte es nicht starten. Laden Sie die Seite neu; wenn es wieder passiert, wenden Sie sich an den Support der Website.
api-method-not-allowed = Diese Adresse nimmt diese Art von Anfrage nicht an.
api-not-found = Hier gibt es nichts.
api-internal = Bei uns ist etwas schiefgelaufen. Es wurde nichts geändert. Versuchen Sie es gleich noch einmal.
