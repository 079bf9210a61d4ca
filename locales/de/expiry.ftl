## Die Warnung, bevor eine Sitzung (ein Flow) abläuft, mit dem Angebot von mehr Zeit (WCAG 2.2.1).
## Der Server schickt jeden Text fertig mit; das Widget zeigt die Zeile mit der passenden Restzeit.

flow-expiry-warning = Ihre Sitzung läuft gleich ab
flow-expiry-hint = Wählen Sie „Weiter“, um mehr Zeit zu bekommen. Ihre Eingaben bleiben erhalten.
flow-expiry-continue = Weiter
flow-expiry-final = Diese Sitzung lässt sich nicht weiter verlängern. Schließen Sie vorher ab oder beginnen Sie danach neu.
flow-expiry-minutes-left = { $minutes ->
    [one] Noch weniger als 1 Minute.
   *[other] Noch weniger als { $minutes } Minuten.
}
flow-expiry-seconds-left = { $seconds ->
    [one] Noch weniger als 1 Sekunde.
   *[other] Noch weniger als { $seconds } Sekunden.
}
