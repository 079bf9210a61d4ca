## Correos electrónicos. Texto sin formato; la primera línea de cada mensaje es el saludo.

email-verification-code-subject = Tu código de verificación de { $brand }
email-verification-code-body =
    Hola:

    Tu código de verificación es { $code }. Es válido durante { $minutes ->
        [one] 1 minuto.
       *[other] { $minutes } minutos.
    }

    Si no has intentado crear una cuenta de { $brand }, puedes ignorar este correo.
email-account-exists-subject = Alguien ha intentado registrarse con tu dirección
email-account-exists-body =
    Hola:

    Alguien ha intentado crear una cuenta de { $brand } con esta dirección de correo electrónico, pero ya tienes una cuenta.

    Si has sido tú, inicia sesión o, si no recuerdas la contraseña, restablécela. Si no has sido tú, puedes ignorar este correo; tu cuenta no ha cambiado.
email-recovery-code-subject = Restablece tu contraseña de { $brand }
email-recovery-code-body =
    Hola:

    Tu código para restablecer la contraseña es { $code }. Es válido durante { $minutes ->
        [one] 1 minuto.
       *[other] { $minutes } minutos.
    }

    Si no has pedido restablecer tu contraseña de { $brand }, puedes ignorar este correo; tu contraseña no ha cambiado.
email-recovery-unknown-subject = Alguien ha intentado restablecer una contraseña de { $brand } con tu dirección
email-recovery-unknown-body =
    Hola:

    Alguien ha pedido restablecer la contraseña de una cuenta de { $brand } con esta dirección de correo electrónico, pero no hay ninguna cuenta con esta dirección.

    Si has sido tú, quizá te registraste con otra dirección; también puedes crear una cuenta. Si no has sido tú, puedes ignorar este correo.
email-password-changed-subject = Se ha cambiado tu contraseña de { $brand }
email-password-changed-body =
    Hola:

    Se acaba de cambiar la contraseña de tu cuenta de { $brand } tras restablecerla por correo electrónico, y se han cerrado todas las sesiones de tu cuenta.

    Si no has sido tú, vuelve a restablecer tu contraseña de inmediato: puede que alguien tenga acceso a tu correo.
email-signin-code-subject = Tu código de acceso a { $brand }
email-signin-code-body =
    Hola:

    Tu código para acceder a { $brand } es { $code }. Es válido durante { $minutes ->
        [one] 1 minuto.
       *[other] { $minutes } minutos.
    }

    Si no has intentado acceder a { $brand }, puedes ignorar este correo.
email-signin-unknown-subject = Alguien intentó acceder a { $brand } con tu dirección
email-signin-unknown-body =
    Hola:

    Alguien pidió un código para acceder a { $brand } con esta dirección de correo, pero no hay ninguna cuenta con ella.

    Si fuiste tú, quizá usaste otra dirección, o puedes crear una cuenta. Si no fuiste tú, puedes ignorar este correo.
