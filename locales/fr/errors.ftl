## Erreurs de l'API, affichées quand une requête ne peut pas être traitée.

api-malformed-json = La requête n'a pas pu être lue. Rechargez la page et réessayez.
api-invalid-request = La requête était incomplète. Rechargez la page et réessayez.
api-unsupported-media-type = La requête n'a pas été envoyée au format JSON. Rechargez la page et réessayez.
api-payload-too-large = La requête était trop volumineuse. Raccourcissez votre saisie et réessayez.
api-tenant-not-found = Ce site n'est pas connu du service de connexion.
api-journey-not-found = Cette page de connexion n'est pas configurée. Contactez le service client du site.
api-flow-not-found = Cette session est introuvable. Recommencez depuis le début.
api-flow-expired = Cette session a expiré. Recommencez depuis le début.
api-flow-ended = Cette session est déjà terminée. Recommencez depuis le début si nécessaire.
api-step-mismatch = Cette page n'était plus à jour ; voici où vous en êtes.
api-action-unavailable = Cette action n'est pas possible à cette étape.
api-invalid-input = Certaines informations saisies doivent être corrigées.
api-conflict = Une autre requête a modifié cette session au même moment ; voici où vous en êtes.
api-rate-limited = Trop de tentatives. Patientez un instant, puis réessayez.
api-origin-not-allowed = Ce site n'est pas autorisé à utiliser le service de connexion.
api-channel-unavailable = Ce service de connexion ne peut pas encore envoyer { $channel ->
    [email] d'e-mails
    [sms] de SMS
   *[voice] d'appels vocaux
}, et cette étape en a besoin. Réessayez plus tard ou contactez l'assistance du site.
api-invalid-context = Cette page a transmis des informations que le formulaire n'accepte pas ({ $key }), il n'a donc pas pu démarrer. Rechargez la page ; si cela se reproduit, contactez l'assistance du site.
api-method-not-allowed = Cette adresse n'accepte pas ce type de requête.
api-not-found = Il n'y a rien ici.
api-internal = Un problème est survenu de notre côté. Rien n'a été modifié ; réessayez dans un instant.
