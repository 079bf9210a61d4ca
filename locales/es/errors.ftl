## Errores de la API, que se muestran cuando no se puede atender una solicitud.

api-malformed-json = No se ha podido leer la solicitud. Vuelve a cargar la página e inténtalo de nuevo.
api-invalid-request = La solicitud estaba incompleta. Vuelve a cargar la página e inténtalo de nuevo.
api-unsupported-media-type = La solicitud no se ha enviado como JSON. Vuelve a cargar la página e inténtalo de nuevo.
api-payload-too-large = La solicitud era demasiado grande. Acorta lo que has escrito e inténtalo de nuevo.
api-tenant-not-found = El servicio de inicio de sesión no conoce este sitio.
api-journey-not-found = Esta página de inicio de sesión no está configurada. Ponte en contacto con el servicio de atención al cliente del sitio.
api-flow-not-found = No se ha encontrado esta sesión. Vuelve a empezar.
api-flow-expired = Esta sesión ha caducado. Vuelve a empezar.
api-flow-ended = Esta sesión ya ha terminado. Vuelve a empezar si lo necesitas.
api-step-mismatch = Esta página no estaba actualizada; aquí tienes el punto en el que estás ahora.
api-action-unavailable = Eso no se puede hacer en este paso.
api-invalid-input = Hay que corregir parte de lo que has introducido.
api-conflict = Otra solicitud ha cambiado esta sesión al mismo tiempo; aquí tienes el punto en el que estás ahora.
api-rate-limited = Demasiados intentos. Espera un momento e inténtalo de nuevo.
api-origin-not-allowed = Este sitio no tiene permiso para usar el servicio de inicio de sesión.
api-channel-unavailable = Este servicio de acceso todavía no puede enviar { $channel ->
    [email] correos electrónicos
    [sms] mensajes de texto
   *[voice] llamadas de voz
}, y este paso los necesita. Vuelve a intentarlo más tarde o ponte en contacto con el soporte del sitio.
api-invalid-context = Esta página envió información que el formulario no acepta ({ $key }), por lo que no pudo empezar. Vuelve a cargar la página; si vuelve a ocurrir, ponte en contacto con el soporte del sitio.
api-method-not-allowed = Esta dirección no acepta ese tipo de solicitud.
api-not-found = Aquí no hay nada.
api-internal = Algo ha fallado por nuestra parte. No se ha cambiado nada; vuelve a intentarlo en un momento.
