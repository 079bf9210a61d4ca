## Titres des étapes et pages d'information.

registration-title = Créez votre compte
collect-user-data-title = Parlez-nous de vous
email-validation-title = Consultez vos e-mails
email-validation-sent = Nous avons envoyé un code à { $email }. Il est valable { $minutes ->
    [one] { $minutes } minute.
   *[other] { $minutes } minutes.
}
set-password-title = Choisissez un mot de passe
welcome-title = Bienvenue chez { $brand }
welcome-body = Votre compte est prêt. Nous vous connectons maintenant.
locked-title = Inscription interrompue
locked-body = Le code a été mal saisi trop de fois : nous avons donc interrompu cette inscription pour protéger votre compte. Recommencez pour recevoir un nouveau code.
outcome-signed-in = Connexion réussie.
password-login-title = Connexion
recovery-title = Réinitialisez votre mot de passe
reset-password-title = Choisissez un nouveau mot de passe
recovery-done-title = Votre mot de passe a été modifié
recovery-done-body = Toutes les sessions de votre compte ont été fermées, et nous avons envoyé une confirmation à votre adresse e-mail. Nous vous connectons ici maintenant.
recovery-locked-title = Réinitialisation du mot de passe interrompue
recovery-locked-body = Le code a été mal saisi trop de fois : nous avons donc interrompu la réinitialisation du mot de passe pour protéger votre compte. Recommencez pour recevoir un nouveau code.

## Champs.

field-email = Adresse e-mail
field-given-name = Prénom
field-family-name = Nom
field-code = Code de vérification
field-code-hint = Le code à { $length ->
    [one] { $length } chiffre
   *[other] { $length } chiffres
} reçu par e-mail. Vous pouvez le coller.
field-new-password = Nouveau mot de passe
field-new-password-hint = Au moins { $min ->
    [one] { $min } caractère.
   *[other] { $min } caractères.
} Quelques mots sans rapport entre eux forment un mot de passe solide et facile à retenir.
field-password = Mot de passe

## Actions.

action-continue = Continuer
action-verify = Vérifier
action-resend = Envoyer un nouveau code
action-resend-wait = Vous pourrez demander un nouveau code dans { $seconds ->
    [one] { $seconds } seconde.
   *[other] { $seconds } secondes.
}
action-set-password = Enregistrer le mot de passe
action-sign-in = Se connecter
action-reveal-show = Afficher le mot de passe
action-reveal-hide = Masquer le mot de passe

## Remarques et erreurs à côté des champs et des étapes.

note-code-resent = Nous avons envoyé un nouveau code. Le code précédent ne fonctionne plus.
error-required = Remplissez ce champ.
error-too-long = Utilisez { $max ->
    [one] { $max } caractère au maximum.
   *[other] { $max } caractères au maximum.
}
error-email-invalid = Saisissez une adresse e-mail comme nom@exemple.fr.
error-text-invalid = Supprimez les caractères spéciaux de ce champ.
error-code-format = Saisissez { $length ->
    [one] le chiffre
   *[other] les { $length } chiffres
} du code.
error-code-wrong = Ce code n'est pas correct. { $left ->
    [one] Il vous reste { $left } essai.
   *[other] Il vous reste { $left } essais.
}
error-code-expired = Ce code a expiré. Demandez un nouveau code.
error-code-paused = Trop de codes erronés ont été saisis pour cette adresse. Réessayez dans { $minutes ->
    [one] { $minutes } minute.
   *[other] { $minutes } minutes.
}
error-message-cap = Nous avons envoyé trop de messages à cette adresse au cours de la dernière heure, nous n'avons donc pas envoyé de code. Patientez un moment, puis demandez un nouveau code.
error-resend-wait = Patientez { $seconds ->
    [one] { $seconds } seconde
   *[other] { $seconds } secondes
} avant de demander un nouveau code.
error-resend-limit = Vous ne pouvez plus demander de code. Recommencez plus tard.
error-password-too-short = Utilisez au moins { $min ->
    [one] { $min } caractère.
   *[other] { $min } caractères.
}
error-password-too-long = Utilisez { $max ->
    [one] { $max } caractère au maximum.
   *[other] { $max } caractères au maximum.
}
error-password-common = Ce mot de passe est trop courant et facile à deviner. Choisissez-en un autre.
error-password-personal = N'utilisez ni votre nom ni votre adresse e-mail dans votre mot de passe.
error-password-brand = N'utilisez pas le nom { $brand } dans votre mot de passe : c'est l'une des premières choses que l'on essaie.
error-password-invalid-characters = Supprimez les caractères invisibles ou de contrôle de votre mot de passe : on ne les voit pas et on ne peut pas les ressaisir de façon fiable.
error-login-failed = L'adresse e-mail ou le mot de passe est incorrect. Vérifiez les deux et réessayez.
error-login-throttled = Trop de tentatives. Patientez { $seconds ->
    [one] { $seconds } seconde
   *[other] { $seconds } secondes
} et réessayez.
error-login-disabled = La connexion avec cette adresse est bloquée après trop de tentatives infructueuses. Réinitialisez votre mot de passe pour la débloquer.
error-account-taken = Un compte avec cette adresse vient d'être créé, peut-être dans une autre fenêtre. Connectez-vous plutôt avec ce compte.

## Journey titles, as a tenant's description (GET /v1/{tenant}) lists them.

journey-registration-title = Créer un compte
journey-login-title = Se connecter
journey-recovery-title = Réinitialiser un mot de passe oublié
journey-profile-title = Compléter votre profil
lookup-unavailable-title = Nous ne pouvons pas récupérer vos informations pour le moment
lookup-unavailable-body = Notre service n'a pas répondu à temps. Rien de ce que vous avez saisi n'est perdu : choisissez Continuer pour réessayer.

## Connexion par un code envoyé par e-mail (identify_by_email_code), premier mot de passe et niveaux d'assurance.

identify-by-email-code-title = Se connecter avec un code par e-mail
identify-by-email-code-sent = Nous avons envoyé un code de connexion à { $email }. Il est valable { $minutes ->
    [one] { $minutes } minute.
   *[other] { $minutes } minutes.
} S'il n'arrive pas, vérifiez l'adresse et demandez un nouveau code.
error-assurance-insufficient = Ce mode de connexion n'est pas assez sûr ici. Recommencez et connectez-vous avec votre mot de passe ou un code envoyé sur votre téléphone.
error-password-exists = Ce compte a déjà un mot de passe : nous ne l'avons donc pas modifié. Connectez-vous avec votre mot de passe, ou réinitialisez-le si vous l'avez oublié.
