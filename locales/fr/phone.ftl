## Numéros de téléphone : ce qui s'affiche à côté d'un champ de téléphone quand un numéro est refusé.

error-phone-invalid = Saisissez un numéro de téléphone, par exemple +33 6 12 34 56 78.
error-phone-country = Nous ne pouvons pas utiliser les numéros de ce pays. Saisissez un numéro d'un pays où nous sommes présents.
error-phone-no-sms = Ce numéro ne peut pas recevoir de SMS. Saisissez un numéro de mobile ou choisissez un appel vocal.
error-phone-no-sms-only = Ce numéro ne peut pas recevoir de SMS. Saisissez un numéro de mobile.

## Vérification du numéro de téléphone (phone_number_verification) : l'étape, et le code par SMS ou par appel.

phone-verification-title = Vérifiez votre numéro de téléphone
field-phone-number = Numéro de téléphone
field-phone-number-hint = Nous envoyons un code à ce numéro pour vérifier qu'il est bien le vôtre.
field-phone-channel = Comment voulez-vous recevoir le code ?
phone-channel-sms = SMS
phone-channel-voice = Appel vocal
action-send-code = Envoyer le code
phone-verification-sent-sms = Nous avons envoyé un code par SMS au { $phone }. Il est valable { $minutes ->
    [one] { $minutes } minute.
   *[other] { $minutes } minutes.
}
phone-verification-sent-voice = Nous appelons le { $phone } pour vous lire un code. Il est valable { $minutes ->
    [one] { $minutes } minute.
   *[other] { $minutes } minutes.
}
phone-verification-code-hint = Le code à { $length ->
    [one] { $length } chiffre
   *[other] { $length } chiffres
} reçu par SMS ou par appel. Vous pouvez le coller.
action-change-number = Utiliser un autre numéro
action-call-instead = M'appeler plutôt
action-text-instead = M'envoyer plutôt un SMS
sms-verification-code-subject = Code de vérification { $brand }
sms-verification-code-body = Votre code { $brand } est { $code }. Il est valable { $minutes ->
    [one] { $minutes } minute.
   *[other] { $minutes } minutes.
} Ne le communiquez à personne.
voice-verification-code-subject = Appel de vérification { $brand }
voice-verification-code-body = Bonjour, ici { $brand }. Votre code de vérification est { $code_spoken }. Je répète : votre code est { $code_spoken }. Il est valable { $minutes ->
    [one] { $minutes } minute.
   *[other] { $minutes } minutes.
}
error-message-cap-phone = Nous avons envoyé trop de messages à ce numéro au cours de la dernière heure, nous n'avons donc pas envoyé de code. Patientez un moment, puis demandez un nouveau code.
error-code-paused-phone = Trop de codes erronés ont été saisis pour ce numéro. Réessayez dans { $minutes ->
    [one] { $minutes } minute.
   *[other] { $minutes } minutes.
}
