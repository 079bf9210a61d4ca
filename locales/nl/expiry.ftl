## De waarschuwing voordat een sessie (een flow) verloopt, met het aanbod van meer tijd (WCAG 2.2.1).
## De server stuurt elke tekst ingevuld mee; de widget toont de regel met de resterende tijd die past.

flow-expiry-warning = Je sessie loopt bijna af
flow-expiry-hint = Kies Doorgaan om meer tijd te krijgen. Wat je hebt ingevuld, blijft staan.
flow-expiry-continue = Doorgaan
flow-expiry-final = Deze sessie kan niet meer worden verlengd. Rond af voordat ze afloopt, of begin daarna opnieuw.
flow-expiry-minutes-left = { $minutes ->
    [one] Nog minder dan 1 minuut.
   *[other] Nog minder dan { $minutes } minuten.
}
flow-expiry-seconds-left = { $seconds ->
    [one] Nog minder dan 1 seconde.
   *[other] Nog minder dan { $seconds } seconden.
}
