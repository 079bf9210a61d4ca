## Consentimiento para finalidades: una persona las concede o las retira una a una.

attribute-consent-title = Sus preferencias
attribute-consent-intro = Marque lo que { $brand } puede hacer. No hay nada marcado por usted, y puede desmarcar cualquier casilla aquí en cualquier momento para retirar su consentimiento.
attribute-consent-submit = Guardar mis preferencias
consent-purpose-marketing_email = Ofertas y novedades por correo electrónico
consent-purpose-marketing_email-hint = Como mucho dos correos al mes sobre productos y ofertas adecuados para usted.
consent-purpose-marketing_sms = Ofertas por SMS
consent-purpose-marketing_sms-hint = Algún SMS ocasional con ofertas. Se aplican las tarifas habituales de su operador.
consent-purpose-group_sharing = Compartir mis datos con las demás marcas del grupo
consent-purpose-group_sharing-hint = Su nombre y sus datos de contacto, para que las demás marcas del grupo puedan ofrecerle sus productos sin volver a pedírselos.
error-consent-checkbox-value = No hemos entendido esta opción. Marque o desmarque la casilla e inténtelo de nuevo.

## Consentimiento para documentos: las condiciones y los avisos que una persona lee y acepta.

document-consent-title = Condiciones y privacidad
document-consent-needed = Lea los documentos siguientes. Para continuar, marque cada casilla para aceptarlos.
document-consent-major = Algunos documentos han cambiado de forma importante. Vuelva a leerlos y acéptelos para continuar.
document-consent-minor = No hace falta que acepte nada: estos documentos solo se han actualizado. Continúe cuando quiera.
document-consent-version = Versión { $version }
document-consent-accept = Aceptar y continuar
document-consent-refuse = No acepto
document-consent-continue = Continuar
error-document-consent-unticked = Marque esta casilla para aceptar el documento, o elija «No acepto».
consent-document-terms = Condiciones de uso
consent-document-terms-accept = He leído y acepto las condiciones de uso
consent-document-terms-updated = Hemos actualizado las condiciones de uso (versión { $version }). Los cambios son pequeños y no requieren una nueva aceptación.
consent-document-privacy = Aviso de privacidad
consent-document-privacy-accept = He leído el aviso de privacidad
consent-document-privacy-updated = Hemos actualizado el aviso de privacidad (versión { $version }). Los cambios son pequeños y no requieren una nueva aceptación.
document-consent-refused-title = No aceptado
document-consent-refused-body = No podemos continuar sin su aceptación. No se ha cambiado nada más, y puede volver cuando quiera.
document-consent-changed = Algo cambió mientras leía: un documento tiene una nueva versión, o ya decidió en otra ventana. Vuelva a revisarlo antes de decidir.
