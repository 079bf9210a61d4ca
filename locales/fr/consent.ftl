## Consentement aux finalités : une personne les accorde ou les retire une par une.

attribute-consent-title = Vos choix
attribute-consent-intro = Cochez ce que { $brand } peut faire. Rien n’est coché à votre place, et vous pouvez décocher une case ici à tout moment pour retirer votre accord.
attribute-consent-submit = Enregistrer mes choix
consent-purpose-marketing_email = Offres et actualités par e-mail
consent-purpose-marketing_email-hint = Au plus deux e-mails par mois sur des produits et des offres qui vous correspondent.
consent-purpose-marketing_sms = Offres par SMS
consent-purpose-marketing_sms-hint = Des SMS occasionnels sur nos offres. Les tarifs habituels de votre opérateur s’appliquent.
consent-purpose-group_sharing = Partager mes données avec les autres marques du groupe
consent-purpose-group_sharing-hint = Vos nom et coordonnées, pour que les autres marques du groupe puissent vous proposer leurs produits sans vous les redemander.
error-consent-checkbox-value = Ce choix n’a pas été compris. Cochez ou décochez la case, puis réessayez.

## Consentement aux documents : les conditions et notices qu’une personne lit et accepte.

document-consent-title = Conditions et confidentialité
document-consent-needed = Veuillez lire les documents ci-dessous. Pour continuer, cochez chaque case afin de les accepter.
document-consent-major = Certains documents ont changé de façon importante. Veuillez les relire et les accepter pour continuer.
document-consent-minor = Rien ne demande votre accord : ces documents ont seulement été mis à jour. Continuez quand vous êtes prêt.
document-consent-version = Version { $version }
document-consent-accept = Accepter et continuer
document-consent-refuse = Je n’accepte pas
document-consent-continue = Continuer
error-document-consent-unticked = Cochez cette case pour accepter le document, ou choisissez « Je n’accepte pas ».
consent-document-terms = Conditions d’utilisation
consent-document-terms-accept = J’ai lu et j’accepte les conditions d’utilisation
consent-document-terms-updated = Nous avons mis à jour les conditions d’utilisation (version { $version }). Les changements sont mineurs et ne demandent pas de nouvel accord.
consent-document-privacy = Politique de confidentialité
consent-document-privacy-accept = J’ai lu la politique de confidentialité
consent-document-privacy-updated = Nous avons mis à jour la politique de confidentialité (version { $version }). Les changements sont mineurs et ne demandent pas de nouvel accord.
document-consent-refused-title = Non accepté
document-consent-refused-body = Nous ne pouvons pas continuer sans votre accord. Rien d’autre n’a été modifié, et vous pouvez revenir quand vous le souhaitez.
document-consent-changed = Quelque chose a changé pendant votre lecture : un document a une nouvelle version, ou vous avez déjà décidé dans une autre fenêtre. Relisez avant de décider.
