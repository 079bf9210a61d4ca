## Telefonnummern: was neben einem Telefonfeld steht, wenn eine Nummer abgelehnt wird.

error-phone-invalid = Geben Sie eine Telefonnummer ein, zum Beispiel +49 151 23456789.
error-phone-country = Telefonnummern aus diesem Land können wir nicht verwenden. Geben Sie eine Nummer aus einem Land ein, in dem wir tätig sind.
error-phone-no-sms = Diese Nummer kann keine SMS empfangen. Geben Sie eine Mobilnummer ein oder wählen Sie einen Anruf.
error-phone-no-sms-only = Diese Nummer kann keine SMS empfangen. Geben Sie eine Mobilnummer ein.

## Telefonnummer bestätigen (phone_number_verification): der Schritt und der Code per SMS oder Anruf.

phone-verification-title = Telefonnummer bestätigen
field-phone-number = Telefonnummer
field-phone-number-hint = Wir senden einen Code an diese Nummer, um zu prüfen, dass sie Ihnen gehört.
field-phone-channel = Wie sollen wir den Code senden?
phone-channel-sms = Textnachricht (SMS)
phone-channel-voice = Anruf
action-send-code = Code senden
phone-verification-sent-sms = Wir haben einen Code per SMS an { $phone } gesendet. Er ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig.
phone-verification-sent-voice = Wir rufen { $phone } an und lesen einen Code vor. Er ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig.
phone-verification-code-hint = Der { $length }-stellige Code aus der SMS oder dem Anruf. Sie können ihn einfügen.
action-change-number = Andere Nummer verwenden
action-call-instead = Lieber anrufen
action-text-instead = Lieber per SMS
sms-verification-code-subject = Bestätigungscode von { $brand }
sms-verification-code-body = Ihr Code von { $brand } lautet { $code }. Er ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig. Geben Sie ihn an niemanden weiter.
voice-verification-code-subject = Bestätigungsanruf von { $brand }
voice-verification-code-body = Guten Tag, hier ist { $brand }. Ihr Bestätigungscode lautet { $code_spoken }. Noch einmal: Ihr Code lautet { $code_spoken }. Er ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig.
error-message-cap-phone = Wir haben in der letzten Stunde zu viele Nachrichten an diese Nummer gesendet und deshalb keinen Code verschickt. Warten Sie eine Weile und fordern Sie dann einen neuen Code an.
error-code-paused-phone = Für diese Nummer wurden zu viele falsche Codes eingegeben. Versuchen Sie es in { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} noch einmal.
