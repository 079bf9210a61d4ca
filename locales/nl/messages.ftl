## E-mails. Platte tekst.

email-verification-code-subject = Je verificatiecode voor { $brand }
email-verification-code-body =
    Hallo,

    Je verificatiecode is { $code }. De code is { $minutes ->
        [one] 1 minuut
       *[other] { $minutes } minuten
    } geldig.

    Heb je niet geprobeerd een { $brand }-account aan te maken? Dan kun je deze e-mail negeren.
email-account-exists-subject = Iemand probeerde zich te registreren met jouw adres
email-account-exists-body =
    Hallo,

    Iemand probeerde een { $brand }-account aan te maken met dit e-mailadres, maar je hebt al een account.

    Was jij dit? Log dan in, of stel een nieuw wachtwoord in als je het vergeten bent. Was jij het niet? Dan kun je deze e-mail negeren; er is niets aan je account veranderd.
