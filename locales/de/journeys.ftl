## Schritttitel und Informationsseiten.

registration-title = Konto erstellen
collect-user-data-title = Erzählen Sie uns etwas über sich
email-validation-title = Prüfen Sie Ihre E-Mails
email-validation-sent = Wir haben einen Code an { $email } gesendet. Er ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig.
set-password-title = Passwort festlegen
welcome-title = Willkommen bei { $brand }
welcome-body = Ihr Konto ist eingerichtet. Wir melden Sie jetzt an.
locked-title = Registrierung abgebrochen
locked-body = Der Code wurde zu oft falsch eingegeben. Zum Schutz Ihres Kontos haben wir die Registrierung deshalb abgebrochen. Beginnen Sie von vorn, um einen neuen Code zu erhalten.
outcome-signed-in = Sie sind angemeldet.
password-login-title = Anmelden
recovery-title = Passwort zurücksetzen
reset-password-title = Neues Passwort festlegen
recovery-done-title = Ihr Passwort wurde geändert
recovery-done-body = Sie wurden in allen Sitzungen Ihres Kontos abgemeldet, und wir haben eine Bestätigung an Ihre E-Mail-Adresse gesendet. Wir melden Sie hier jetzt an.
recovery-locked-title = Zurücksetzen des Passworts abgebrochen
recovery-locked-body = Der Code wurde zu oft falsch eingegeben. Zum Schutz Ihres Kontos haben wir das Zurücksetzen des Passworts deshalb abgebrochen. Beginnen Sie von vorn, um einen neuen Code zu erhalten.

## Felder.

field-email = E-Mail-Adresse
field-given-name = Vorname
field-family-name = Nachname
field-code = Bestätigungscode
field-code-hint = Der { $length }-stellige Code aus der E-Mail. Sie können ihn einfügen.
field-new-password = Neues Passwort
field-new-password-hint = Mindestens { $min ->
    [one] 1 Zeichen.
   *[other] { $min } Zeichen.
} Ein paar Wörter, die nichts miteinander zu tun haben, ergeben ein starkes Passwort, das Sie sich leicht merken können.
field-password = Passwort

## Aktionen.

action-continue = Weiter
action-verify = Bestätigen
action-resend = Neuen Code senden
action-resend-wait = Sie können in { $seconds ->
    [one] 1 Sekunde
   *[other] { $seconds } Sekunden
} einen neuen Code anfordern.
action-set-password = Passwort festlegen
action-sign-in = Anmelden
action-reveal-show = Passwort anzeigen
action-reveal-hide = Passwort verbergen

## Hinweise und Fehler bei Feldern und Schritten.

note-code-resent = Wir haben einen neuen Code gesendet. Der vorherige Code ist nicht mehr gültig.
error-required = Füllen Sie dieses Feld aus.
error-too-long = Verwenden Sie höchstens { $max ->
    [one] 1 Zeichen.
   *[other] { $max } Zeichen.
}
error-email-invalid = Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.
error-text-invalid = Entfernen Sie die Sonderzeichen aus diesem Feld.
error-code-format = Geben Sie { $length ->
    [one] die Ziffer
   *[other] alle { $length } Ziffern
} des Codes ein.
error-code-wrong = Dieser Code ist nicht richtig. { $left ->
    [one] Sie haben noch 1 Versuch.
   *[other] Sie haben noch { $left } Versuche.
}
error-code-expired = Dieser Code ist abgelaufen. Fordern Sie einen neuen Code an.
error-code-paused = Für diese Adresse wurden zu viele falsche Codes eingegeben. Versuchen Sie es in { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} noch einmal.
error-message-cap = Wir haben in der letzten Stunde zu viele Nachrichten an diese Adresse gesendet und deshalb keinen Code verschickt. Warten Sie eine Weile und fordern Sie dann einen neuen Code an.
error-resend-wait = Warten Sie { $seconds ->
    [one] 1 Sekunde
   *[other] { $seconds } Sekunden
}, bevor Sie einen neuen Code anfordern.
error-resend-limit = Sie können keine weiteren Codes anfordern. Beginnen Sie später von vorn.
error-password-too-short = Verwenden Sie mindestens { $min ->
    [one] 1 Zeichen.
   *[other] { $min } Zeichen.
}
error-password-too-long = Verwenden Sie höchstens { $max ->
    [one] 1 Zeichen.
   *[other] { $max } Zeichen.
}
error-password-common = Dieses Passwort ist zu verbreitet und leicht zu erraten. Wählen Sie ein anderes.
error-password-personal = Verwenden Sie weder Ihren Namen noch Ihre E-Mail-Adresse in Ihrem Passwort.
error-password-brand = Verwenden Sie den Namen { $brand } nicht in Ihrem Passwort. Er gehört zu dem, was zuerst ausprobiert wird.
error-password-invalid-characters = Entfernen Sie die unsichtbaren Zeichen und Steuerzeichen aus Ihrem Passwort. Man sieht sie nicht und kann sie nicht zuverlässig erneut eingeben.
error-login-failed = Die E-Mail-Adresse oder das Passwort ist nicht richtig. Prüfen Sie beides und versuchen Sie es noch einmal.
error-login-throttled = Zu viele Versuche. Warten Sie { $seconds ->
    [one] 1 Sekunde
   *[other] { $seconds } Sekunden
} und versuchen Sie es dann noch einmal.
error-login-disabled = Die Anmeldung mit dieser Adresse ist nach zu vielen Fehlversuchen gesperrt. Setzen Sie Ihr Passwort zurück, um sie zu entsperren.
error-account-taken = Mit dieser Adresse wurde gerade ein Konto erstellt, vielleicht in einem anderen Fenster. Melden Sie sich stattdessen damit an.

## Journey titles, as a tenant's description (GET /v1/{tenant}) lists them.

journey-registration-title = Konto erstellen
journey-login-title = Anmelden
journey-recovery-title = Vergessenes Passwort zurücksetzen
journey-profile-title = Profil vervollständigen
lookup-unavailable-title = Wir können Ihre Angaben gerade nicht abrufen
lookup-unavailable-body = Unser Dienst hat nicht rechtzeitig geantwortet. Nichts von dem, was Sie eingegeben haben, geht verloren: Wählen Sie Weiter, um es erneut zu versuchen.

## Anmelden mit einem Code per E-Mail (identify_by_email_code), ein erstes Passwort und Vertrauensniveaus.

identify-by-email-code-title = Mit einem Code per E-Mail anmelden
identify-by-email-code-sent = Wir haben einen Anmeldecode an { $email } gesendet. Er ist { $minutes ->
    [one] 1 Minute
   *[other] { $minutes } Minuten
} gültig. Wenn er nicht ankommt, prüfen Sie die Adresse und fordern Sie einen neuen Code an.
error-assurance-insufficient = Diese Art der Anmeldung reicht hier nicht aus. Beginnen Sie von vorn und melden Sie sich mit Ihrem Passwort oder einem Code an Ihr Telefon an.
error-password-exists = Dieses Konto hat bereits ein Passwort, daher haben wir es nicht geändert. Melden Sie sich mit Ihrem Passwort an oder setzen Sie es zurück, wenn Sie es vergessen haben.
