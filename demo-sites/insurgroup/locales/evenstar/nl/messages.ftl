## Evenstar Life's own wording of shared texts (life insurance).

email-verification-code-subject = Je { $brand }-code voor je levensverzekering
