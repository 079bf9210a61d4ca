## L’avertissement avant qu’une session (un flow) expire, avec la proposition de plus de temps (WCAG 2.2.1).
## Le serveur envoie chaque texte déjà rédigé ; le widget affiche la ligne de temps restant qui convient.

flow-expiry-warning = Votre session va bientôt expirer
flow-expiry-hint = Choisissez « Continuer » pour avoir plus de temps. Ce que vous avez saisi est conservé.
flow-expiry-continue = Continuer
flow-expiry-final = Cette session ne peut plus être prolongée. Terminez avant son expiration, ou recommencez ensuite.
flow-expiry-minutes-left = { $minutes ->
    [one] Il reste moins d’une minute.
   *[other] Il reste moins de { $minutes } minutes.
}
flow-expiry-seconds-left = { $seconds ->
    [one] Il reste moins d’une seconde.
   *[other] Il reste moins de { $seconds } secondes.
}
