## E-Mails. Reiner Text; die erste Zeile jeder Nachricht ist die Begrüßung.

email-verification-code-subject = Ihr Bestätigungscode für { $brand }
email-verification-code-body =
    Hallo,

    Ihr Bestätigungscode lautet { $code }. Er ist { $minutes ->
        [one] 1 Minute
       *[other] { $minutes } Minuten
    } gültig.

    Wenn Sie nicht versucht haben, ein { $brand }-Konto zu erstellen, können Sie diese E-Mail ignorieren.
email-account-exists-subject = Jemand hat versucht, sich mit Ihrer Adresse zu registrieren
email-account-exists-body =
    Hallo,

    Jemand hat versucht, mit dieser E-Mail-Adresse ein { $brand }-Konto zu erstellen, aber Sie haben bereits ein Konto.

    Wenn Sie das waren, melden Sie sich stattdessen an, oder setzen Sie Ihr Passwort zurück, falls Sie es vergessen haben. Wenn Sie es nicht waren, können Sie diese E-Mail ignorieren. An Ihrem Konto hat sich nichts geändert.
email-recovery-code-subject = Ihr { $brand }-Passwort zurücksetzen
email-recovery-code-body =
    Hallo,

    Ihr Code zum Zurücksetzen Ihres Passworts lautet { $code }. Er ist { $minutes ->
        [one] 1 Minute
       *[other] { $minutes } Minuten
    } gültig.

    Wenn Sie nicht angefordert haben, Ihr { $brand }-Passwort zurückzusetzen, können Sie diese E-Mail ignorieren. Ihr Passwort wurde nicht geändert.
email-recovery-unknown-subject = Jemand hat versucht, mit Ihrer Adresse ein { $brand }-Passwort zurückzusetzen
email-recovery-unknown-body =
    Hallo,

    Jemand hat angefordert, das Passwort eines { $brand }-Kontos mit dieser E-Mail-Adresse zurückzusetzen, aber zu dieser Adresse gibt es kein Konto.

    Wenn Sie das waren, haben Sie sich vielleicht mit einer anderen Adresse registriert, oder Sie können ein Konto erstellen. Wenn Sie es nicht waren, können Sie diese E-Mail ignorieren.
email-password-changed-subject = Ihr { $brand }-Passwort wurde geändert
email-password-changed-body =
    Hallo,

    Das Passwort Ihres { $brand }-Kontos wurde soeben nach einem Zurücksetzen per E-Mail geändert, und Sie wurden in allen Sitzungen Ihres Kontos abgemeldet.

    Wenn Sie das nicht waren, setzen Sie Ihr Passwort sofort erneut zurück: Möglicherweise hat jemand Zugriff auf Ihre E-Mails.
email-signin-code-subject = Ihr Anmeldecode für { $brand }
email-signin-code-body =
    Hallo,

    Ihr Code für die Anmeldung bei { $brand } lautet { $code }. Er ist { $minutes ->
        [one] 1 Minute
       *[other] { $minutes } Minuten
    } gültig.

    Wenn Sie sich nicht bei { $brand } anmelden wollten, können Sie diese E-Mail ignorieren.
email-signin-unknown-subject = Jemand hat versucht, sich mit Ihrer Adresse bei { $brand } anzumelden
email-signin-unknown-body =
    Hallo,

    Jemand hat einen Code angefordert, um sich mit dieser E-Mail-Adresse bei { $brand } anzumelden, aber es gibt kein Konto mit dieser Adresse.

    Wenn Sie das waren, haben Sie vielleicht eine andere Adresse verwendet, oder Sie können ein Konto anlegen. Wenn nicht, können Sie diese E-Mail ignorieren.
