# Reserveteksten van de journey-widget, alleen gebruikt als de journey-server onbereikbaar is
# (of niets zegt over de situatie). Alle andere teksten komen van de server.
# De widget neemt dit bestand op bij het compileren en leest alleen regels `sleutel = waarde`.
widget-loading = Laden…
widget-network-error = We konden de server niet bereiken. Controleer je verbinding en probeer het opnieuw.
widget-retry = Opnieuw proberen
widget-start-again = Opnieuw beginnen
