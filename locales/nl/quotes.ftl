## Offertes bewaren en verzekeringen afsluiten (de reizen save-quote, add-quote, buy-car en buy-life).

journey-save-quote-title = Bewaar je offerte
journey-add-quote-title = Voeg een offerte toe aan je account
journey-buy-car-title = Sluit een autoverzekering af
journey-buy-life-title = Sluit een levensverzekering af
save-quote-title = Bewaar je offerte
no-quote-title = We kunnen deze offerte niet vinden
no-quote-body = De offerte is misschien verlopen, of hoort bij een ander product. Vraag op de pagina een nieuwe offerte aan en bewaar die.
save-quote-locked-title = Bewaren gestopt
save-quote-locked-body = De code is te vaak verkeerd ingevuld, dus we zijn gestopt om je account te beschermen. Vraag je offerte opnieuw aan voor een nieuwe code.
buy-car-title = Sluit je autoverzekering af
buy-car-profile-title = Je gegevens voor de polis
buy-no-quote-title = Vraag eerst een offerte aan
buy-no-quote-body = We vonden geen bewaarde auto-offerte op je account. Vraag een offerte voor je auto aan, bewaar die en kom terug om af te sluiten.
buy-refused-title = Zonder deze voorwaarden kunnen we je niet verzekeren
buy-refused-body = Voor een polis moet je de gebruiksvoorwaarden en de privacyverklaring accepteren. Er is niets afgesloten en niets gewijzigd. Je kunt altijd terugkomen.
buy-locked-title = Afsluiten gestopt
buy-locked-body = De code is te vaak verkeerd ingevuld, dus we zijn gestopt om je account te beschermen. Er is niets afgesloten. Begin opnieuw voor een nieuwe code.
buy-life-not-yet-title = Een levensverzekering online afsluiten kan nog niet
buy-life-not-yet-body = Voor een levensverzekering moet je identiteit gecontroleerd zijn, en dat kan nog niet online. Er is niets afgesloten en niets gewijzigd op je account. Bel ons, dan helpen we je.
