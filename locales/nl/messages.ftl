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
email-recovery-code-subject = Stel je { $brand }-wachtwoord opnieuw in
email-recovery-code-body =
    Hallo,

    Je code om een nieuw wachtwoord in te stellen is { $code }. De code is { $minutes ->
        [one] 1 minuut
       *[other] { $minutes } minuten
    } geldig.

    Heb je niet gevraagd om een nieuw { $brand }-wachtwoord? Dan kun je deze e-mail negeren; je wachtwoord is niet veranderd.
email-recovery-unknown-subject = Iemand probeerde een { $brand }-wachtwoord opnieuw in te stellen met jouw adres
email-recovery-unknown-body =
    Hallo,

    Iemand vroeg om een nieuw wachtwoord voor een { $brand }-account met dit e-mailadres, maar er is geen account met dit adres.

    Was jij dit? Misschien heb je je met een ander adres aangemeld, of je kunt een account aanmaken. Was jij het niet? Dan kun je deze e-mail negeren.
email-password-changed-subject = Je { $brand }-wachtwoord is gewijzigd
email-password-changed-body =
    Hallo,

    Het wachtwoord van je { $brand }-account is zojuist gewijzigd na een verzoek per e-mail, en je bent overal afgemeld.

    Was jij dit niet? Stel dan direct opnieuw een nieuw wachtwoord in: iemand heeft misschien toegang tot je e-mail.
email-signin-code-subject = Uw inlogcode voor { $brand }
email-signin-code-body =
    Hallo,

    Uw code om in te loggen bij { $brand } is { $code }. Hij is { $minutes ->
        [one] 1 minuut
       *[other] { $minutes } minuten
    } geldig.

    Hebt u niet geprobeerd in te loggen bij { $brand }, dan kunt u deze e-mail negeren.
email-signin-unknown-subject = Iemand probeerde met uw adres in te loggen bij { $brand }
email-signin-unknown-body =
    Hallo,

    Iemand vroeg een code aan om met dit e-mailadres in te loggen bij { $brand }, maar er is geen account met dit adres.

    Was u dit, dan hebt u misschien een ander adres gebruikt, of u kunt een account aanmaken. Was u het niet, dan kunt u deze e-mail negeren.
