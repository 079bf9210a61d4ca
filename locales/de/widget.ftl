# Ersatztexte des Journey-Widgets, nur verwendet, wenn der Journey-Server nicht erreichbar ist
# (oder zur Situation nichts sagt). Alle anderen Texte kommen vom Server.
# Das Widget bindet diese Datei beim Kompilieren ein und liest nur einfache Zeilen `schlüssel = wert`.
widget-loading = Wird geladen…
widget-network-error = Wir konnten den Server nicht erreichen. Prüfen Sie Ihre Verbindung und versuchen Sie es noch einmal.
widget-retry = Erneut versuchen
widget-start-again = Von vorn beginnen
