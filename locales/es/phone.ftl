## Números de teléfono: lo que aparece junto a un campo de teléfono cuando se rechaza un número.

error-phone-invalid = Introduce un número de teléfono, por ejemplo +34 612 34 56 78.
error-phone-country = No podemos usar números de ese país. Introduce un número de un país en el que operamos.
error-phone-no-sms = Este número no puede recibir SMS. Introduce un número de móvil o elige una llamada de voz.
error-phone-no-sms-only = Este número no puede recibir SMS. Introduce un número de móvil.

## Verificación del número de teléfono (phone_number_verification): el paso, y el código por SMS o llamada.

phone-verification-title = Verifica tu número de teléfono
field-phone-number = Número de teléfono
field-phone-number-hint = Enviamos un código a este número para comprobar que es tuyo.
field-phone-channel = ¿Cómo te enviamos el código?
phone-channel-sms = Mensaje de texto (SMS)
phone-channel-voice = Llamada de voz
action-send-code = Enviar código
phone-verification-sent-sms = Hemos enviado un código por SMS al { $phone }. Es válido durante { $minutes ->
    [one] 1 minuto.
   *[other] { $minutes } minutos.
}
phone-verification-sent-voice = Estamos llamando al { $phone } para leerte un código. Es válido durante { $minutes ->
    [one] 1 minuto.
   *[other] { $minutes } minutos.
}
phone-verification-code-hint = El código de { $length ->
    [one] 1 dígito
   *[other] { $length } dígitos
} del SMS o de la llamada. Puedes pegarlo.
action-change-number = Usar otro número
action-call-instead = Prefiero una llamada
action-text-instead = Prefiero un SMS
sms-verification-code-subject = Código de verificación de { $brand }
sms-verification-code-body = Tu código de { $brand } es { $code }. Es válido durante { $minutes ->
    [one] 1 minuto.
   *[other] { $minutes } minutos.
} No lo compartas con nadie.
voice-verification-code-subject = Llamada de verificación de { $brand }
voice-verification-code-body = Hola, te llamamos de { $brand }. Tu código de verificación es { $code_spoken }. Te lo repito: tu código es { $code_spoken }. Es válido durante { $minutes ->
    [one] 1 minuto.
   *[other] { $minutes } minutos.
}
error-message-cap-phone = Hemos enviado demasiados mensajes a este número en la última hora, así que no te hemos enviado ningún código. Espera un rato y luego pide un código nuevo.
error-code-paused-phone = Se han introducido demasiados códigos incorrectos para este número. Vuelve a intentarlo dentro de { $minutes ->
    [one] 1 minuto.
   *[other] { $minutes } minutos.
}
