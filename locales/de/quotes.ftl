## Angebote speichern und Versicherungen abschließen (die Abläufe save-quote, add-quote, buy-car und buy-life).

journey-save-quote-title = Angebot speichern
journey-add-quote-title = Ein Angebot zu Ihrem Konto hinzufügen
journey-buy-car-title = Kfz-Versicherung abschließen
journey-buy-life-title = Lebensversicherung abschließen
save-quote-title = Ihr Angebot speichern
no-quote-title = Wir finden dieses Angebot nicht
no-quote-body = Das Angebot ist vielleicht abgelaufen oder gilt für ein anderes Produkt. Fordern Sie auf der Seite ein neues Angebot an und speichern Sie dieses.
save-quote-locked-title = Speichern abgebrochen
save-quote-locked-body = Der Code wurde zu oft falsch eingegeben, deshalb haben wir zum Schutz Ihres Kontos abgebrochen. Fordern Sie Ihr Angebot erneut an, um einen neuen Code zu erhalten.
buy-car-title = Ihre Kfz-Versicherung abschließen
buy-car-profile-title = Ihre Angaben für die Police
buy-no-quote-title = Zuerst ein Angebot anfordern
buy-no-quote-body = Wir haben in Ihrem Konto kein gespeichertes Kfz-Angebot gefunden. Fordern Sie ein Angebot für Ihr Auto an, speichern Sie es und kommen Sie zum Abschließen zurück.
buy-refused-title = Ohne diese Bedingungen können wir Sie nicht versichern
buy-refused-body = Für eine Police müssen die Nutzungsbedingungen und die Datenschutzerklärung akzeptiert sein. Es wurde nichts abgeschlossen und nichts geändert. Sie können jederzeit zurückkommen.
buy-locked-title = Abschluss abgebrochen
buy-locked-body = Der Code wurde zu oft falsch eingegeben, deshalb haben wir zum Schutz Ihres Kontos abgebrochen. Es wurde nichts abgeschlossen. Beginnen Sie neu, um einen neuen Code zu erhalten.
buy-life-not-yet-title = Eine Lebensversicherung online abzuschließen ist noch nicht möglich
buy-life-not-yet-body = Für eine Lebensversicherung muss Ihre Identität geprüft sein, und das geht online noch nicht. Es wurde nichts abgeschlossen und nichts an Ihrem Konto geändert. Rufen Sie uns an, wir helfen Ihnen gern.
