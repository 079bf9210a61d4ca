## Títulos de los pasos y páginas informativas.

registration-title = Crea tu cuenta
collect-user-data-title = Cuéntanos sobre ti
email-validation-title = Revisa tu correo
email-validation-sent = Hemos enviado un código a { $email }. Es válido durante { $minutes ->
    [one] 1 minuto.
   *[other] { $minutes } minutos.
}
set-password-title = Elige una contraseña
welcome-title = Te damos la bienvenida a { $brand }
welcome-body = Tu cuenta está lista. Ahora vamos a iniciar tu sesión.
locked-title = Registro detenido
locked-body = Se ha introducido mal el código demasiadas veces, así que hemos detenido este registro para proteger tu cuenta. Vuelve a empezar para recibir un código nuevo.
outcome-signed-in = Has iniciado sesión.
password-login-title = Iniciar sesión
recovery-title = Restablece tu contraseña
reset-password-title = Elige una contraseña nueva
recovery-done-title = Tu contraseña se ha cambiado
recovery-done-body = Se han cerrado todas las sesiones de tu cuenta y hemos enviado una confirmación a tu dirección de correo electrónico. Ahora vamos a iniciar tu sesión aquí.
recovery-locked-title = Restablecimiento de contraseña detenido
recovery-locked-body = Se ha introducido mal el código demasiadas veces, así que hemos detenido el restablecimiento de la contraseña para proteger tu cuenta. Vuelve a empezar para recibir un código nuevo.

## Campos.

field-email = Correo electrónico
field-given-name = Nombre
field-family-name = Apellidos
field-code = Código de verificación
field-code-hint = El código de { $length ->
    [one] 1 dígito
   *[other] { $length } dígitos
} del correo. Puedes pegarlo.
field-new-password = Contraseña nueva
field-new-password-hint = Al menos { $min ->
    [one] 1 carácter.
   *[other] { $min } caracteres.
} Unas cuantas palabras sin relación entre sí forman una contraseña segura y fácil de recordar.
field-password = Contraseña

## Acciones.

action-continue = Continuar
action-verify = Verificar
action-resend = Enviar un código nuevo
action-resend-wait = Podrás pedir un código nuevo dentro de { $seconds ->
    [one] 1 segundo.
   *[other] { $seconds } segundos.
}
action-set-password = Guardar contraseña
action-sign-in = Iniciar sesión
action-reveal-show = Mostrar contraseña
action-reveal-hide = Ocultar contraseña

## Avisos y errores junto a los campos y los pasos.

note-code-resent = Te hemos enviado un código nuevo. El código anterior ya no funciona.
error-required = Rellena este campo.
error-too-long = Usa como máximo { $max ->
    [one] 1 carácter.
   *[other] { $max } caracteres.
}
error-email-invalid = Introduce una dirección de correo electrónico como nombre@ejemplo.com.
error-text-invalid = Quita los caracteres especiales de este campo.
error-code-format = Introduce { $length ->
    [one] el dígito
   *[other] los { $length } dígitos
} del código.
error-code-wrong = Ese código no es correcto. { $left ->
    [one] Te queda 1 intento.
   *[other] Te quedan { $left } intentos.
}
error-code-expired = Este código ha caducado. Pide un código nuevo.
error-code-paused = Se han introducido demasiados códigos incorrectos para esta dirección. Vuelve a intentarlo dentro de { $minutes ->
    [one] 1 minuto.
   *[other] { $minutes } minutos.
}
error-message-cap = Hemos enviado demasiados mensajes a esta dirección en la última hora, así que no te hemos enviado ningún código. Espera un rato y luego pide un código nuevo.
error-resend-wait = Espera { $seconds ->
    [one] 1 segundo
   *[other] { $seconds } segundos
} antes de pedir un código nuevo.
error-resend-limit = No puedes pedir más códigos. Vuelve a empezar más tarde.
error-password-too-short = Usa al menos { $min ->
    [one] 1 carácter.
   *[other] { $min } caracteres.
}
error-password-too-long = Usa como máximo { $max ->
    [one] 1 carácter.
   *[other] { $max } caracteres.
}
error-password-common = Esta contraseña es demasiado común y fácil de adivinar. Elige otra.
error-password-personal = No uses tu nombre ni tu dirección de correo electrónico en la contraseña.
error-password-brand = No uses el nombre { $brand } en la contraseña: es de lo primero que se prueba.
error-password-invalid-characters = Quita de la contraseña los caracteres invisibles o de control: no se ven y no se pueden volver a escribir de forma fiable.
error-login-failed = El correo electrónico o la contraseña no son correctos. Revisa ambos e inténtalo de nuevo.
error-login-throttled = Demasiados intentos. Espera { $seconds ->
    [one] 1 segundo
   *[other] { $seconds } segundos
} e inténtalo de nuevo.
error-login-disabled = El inicio de sesión con esta dirección se ha bloqueado tras demasiados intentos fallidos. Restablece tu contraseña para desbloquearlo.
error-account-taken = Se acaba de crear una cuenta con esta dirección, quizá en otra ventana. Inicia sesión con ella.

## Journey titles, as a tenant's description (GET /v1/{tenant}) lists them.

journey-registration-title = Crear una cuenta
journey-login-title = Iniciar sesión
journey-recovery-title = Restablecer una contraseña olvidada
journey-profile-title = Completar tu perfil
lookup-unavailable-title = No podemos obtener tus datos en este momento
lookup-unavailable-body = Nuestro servicio no respondió a tiempo. No se ha perdido nada de lo que escribiste: elige Continuar para volver a intentarlo.

## Acceso con un código por correo (identify_by_email_code), primera contraseña y niveles de seguridad.

identify-by-email-code-title = Acceder con un código por correo
identify-by-email-code-sent = Hemos enviado un código de acceso a { $email }. Es válido durante { $minutes ->
    [one] 1 minuto.
   *[other] { $minutes } minutos.
} Si no llega, comprueba la dirección y pide un código nuevo.
error-assurance-insufficient = Esta forma de acceder no es lo bastante segura aquí. Empieza de nuevo y accede con tu contraseña o con un código enviado a tu teléfono.
error-password-exists = Esta cuenta ya tiene una contraseña, así que no la hemos cambiado. Accede con tu contraseña o restablécela si la has olvidado.
