## Números de teléfono: lo que aparece junto a un campo de teléfono cuando se rechaza un número.

error-phone-invalid = Introduce un número de teléfono, por ejemplo +34 612 34 56 78.
error-phone-country = No podemos usar números de ese país. Introduce un número de un país en el que operamos.
error-phone-no-sms = Este número no puede recibir SMS. Introduce un número de móvil o elige una llamada de voz.
