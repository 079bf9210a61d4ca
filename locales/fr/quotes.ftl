## Enregistrer des devis et souscrire une assurance (les parcours save-quote, add-quote, buy-car et buy-life).

journey-save-quote-title = Enregistrer votre devis
journey-add-quote-title = Ajouter un devis à votre compte
journey-buy-car-title = Souscrire une assurance auto
journey-buy-life-title = Souscrire une assurance vie
save-quote-title = Enregistrez votre devis
no-quote-title = Nous ne trouvons pas ce devis
no-quote-body = Le devis a peut-être expiré, ou il concerne un autre produit. Demandez un nouveau devis sur la page et enregistrez celui-ci.
save-quote-locked-title = Enregistrement arrêté
save-quote-locked-body = Le code a été mal saisi trop de fois, nous avons donc arrêté pour protéger votre compte. Demandez de nouveau votre devis pour recevoir un nouveau code.
buy-car-title = Souscrivez votre assurance auto
buy-car-profile-title = Vos informations pour le contrat
buy-no-quote-title = Demandez d’abord un devis
buy-no-quote-body = Nous n’avons trouvé aucun devis auto enregistré sur votre compte. Demandez un devis pour votre voiture, enregistrez-le et revenez pour souscrire.
buy-refused-title = Nous ne pouvons pas vous assurer sans cela
buy-refused-body = Un contrat exige l’acceptation des conditions d’utilisation et de la politique de confidentialité. Rien n’a été souscrit ni modifié. Vous pouvez revenir à tout moment.
buy-locked-title = Souscription arrêtée
buy-locked-body = Le code a été mal saisi trop de fois, nous avons donc arrêté pour protéger votre compte. Rien n’a été souscrit. Recommencez pour recevoir un nouveau code.
buy-life-not-yet-title = Souscrire une assurance vie en ligne n’est pas encore possible
buy-life-not-yet-body = Une assurance vie exige la vérification de votre identité, ce que nous ne pouvons pas encore faire en ligne. Rien n’a été souscrit ni modifié sur votre compte. Appelez-nous, nous vous aiderons.
