## Attribute consent: the purposes a person grants or withdraws one by one.

attribute-consent-title = Your choices
attribute-consent-intro = Tick what { $brand } may do. Nothing is ticked for you, and you can untick anything here at any time to withdraw it.
attribute-consent-submit = Save my choices
consent-purpose-marketing_email = Offers and news by email
consent-purpose-marketing_email-hint = At most two emails a month about products and offers that suit you.
consent-purpose-marketing_sms = Offers by text message
consent-purpose-marketing_sms-hint = Occasional text messages about offers. Standard rates of your provider apply.
consent-purpose-group_sharing = Share my details with the group's other brands
consent-purpose-group_sharing-hint = Your name and contact details, so the group's other brands can offer you their products without asking again.
error-consent-checkbox-value = This choice was not understood. Tick or untick the box and try again.

## Document consent: the terms and notices a person reads and accepts.

document-consent-title = Terms and privacy
document-consent-needed = Please read the documents below. To continue, tick each box to accept them.
document-consent-major = Some documents have changed in ways that matter. Please read them again and accept them to continue.
document-consent-minor = Nothing needs your acceptance: these were only updated. Continue when you are ready.
document-consent-version = Version { $version }
document-consent-accept = Accept and continue
document-consent-refuse = I do not accept
document-consent-continue = Continue
error-document-consent-unticked = Tick this box to accept the document, or choose “I do not accept”.
consent-document-terms = Terms of use
consent-document-terms-accept = I have read and accept the terms of use
consent-document-terms-updated = We updated the terms of use (version { $version }). The changes are small and need no new acceptance.
consent-document-privacy = Privacy notice
consent-document-privacy-accept = I have read the privacy notice
consent-document-privacy-updated = We updated the privacy notice (version { $version }). The changes are small and need no new acceptance.
document-consent-refused-title = Not accepted
document-consent-refused-body = We cannot go on without your acceptance. Nothing else was changed, and you can come back whenever you like.
document-consent-changed = Something changed while you were reading: a document has a new version, or you decided in another window. Please look again before you decide.
