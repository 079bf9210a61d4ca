# Textes de secours du widget de parcours, utilisés seulement quand le serveur de parcours est injoignable
# (ou ne dit rien de la situation). Tous les autres textes viennent du serveur.
# Le widget intègre ce fichier à la compilation et ne lit que des lignes simples `clé = valeur`.
widget-loading = Chargement…
widget-network-error = Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.
widget-retry = Réessayer
widget-start-again = Recommencer
