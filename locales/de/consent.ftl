## Einwilligung in Zwecke: eine Person erteilt oder widerruft sie einzeln.

attribute-consent-title = Ihre Auswahl
attribute-consent-intro = Kreuzen Sie an, was { $brand } tun darf. Nichts ist vorausgewählt, und Sie können hier jederzeit ein Häkchen entfernen, um Ihre Einwilligung zu widerrufen.
attribute-consent-submit = Auswahl speichern
consent-purpose-marketing_email = Angebote und Neuigkeiten per E-Mail
consent-purpose-marketing_email-hint = Höchstens zwei E-Mails im Monat zu Produkten und Angeboten, die zu Ihnen passen.
consent-purpose-marketing_sms = Angebote per SMS
consent-purpose-marketing_sms-hint = Gelegentliche SMS zu Angeboten. Es gelten die üblichen Tarife Ihres Anbieters.
consent-purpose-group_sharing = Meine Daten mit den anderen Marken der Gruppe teilen
consent-purpose-group_sharing-hint = Ihr Name und Ihre Kontaktdaten, damit die anderen Marken der Gruppe Ihnen ihre Produkte anbieten können, ohne erneut zu fragen.
error-consent-checkbox-value = Diese Auswahl wurde nicht verstanden. Setzen oder entfernen Sie das Häkchen und versuchen Sie es erneut.

## Einwilligung in Dokumente: die Bedingungen und Hinweise, die eine Person liest und annimmt.

document-consent-title = Bedingungen und Datenschutz
document-consent-needed = Bitte lesen Sie die folgenden Dokumente. Setzen Sie bei jedem ein Häkchen, um es anzunehmen und fortzufahren.
document-consent-major = Einige Dokumente wurden wesentlich geändert. Bitte lesen Sie sie erneut und nehmen Sie sie an, um fortzufahren.
document-consent-minor = Sie müssen nichts annehmen: Diese Dokumente wurden nur aktualisiert. Fahren Sie fort, wenn Sie bereit sind.
document-consent-version = Version { $version }
document-consent-accept = Annehmen und weiter
document-consent-refuse = Ich nehme nicht an
document-consent-continue = Weiter
error-document-consent-unticked = Setzen Sie hier ein Häkchen, um das Dokument anzunehmen, oder wählen Sie „Ich nehme nicht an“.
consent-document-terms = Nutzungsbedingungen
consent-document-terms-accept = Ich habe die Nutzungsbedingungen gelesen und nehme sie an
consent-document-terms-updated = Wir haben die Nutzungsbedingungen aktualisiert (Version { $version }). Die Änderungen sind gering und erfordern keine neue Zustimmung.
consent-document-privacy = Datenschutzhinweis
consent-document-privacy-accept = Ich habe den Datenschutzhinweis gelesen
consent-document-privacy-updated = Wir haben den Datenschutzhinweis aktualisiert (Version { $version }). Die Änderungen sind gering und erfordern keine neue Zustimmung.
document-consent-refused-title = Nicht angenommen
document-consent-refused-body = Ohne Ihre Zustimmung können wir nicht fortfahren. Sonst wurde nichts geändert, und Sie können jederzeit zurückkommen.
document-consent-changed = Während Sie gelesen haben, hat sich etwas geändert: Ein Dokument hat eine neue Version, oder Sie haben in einem anderen Fenster entschieden. Bitte sehen Sie es sich noch einmal an, bevor Sie entscheiden.
