## Completar el perfil: los datos que pide un recorrido y que la cuenta aún no tiene.

profile-completion-title = Unos datos más
profile-completion-intro = Para continuar necesitamos algunos datos que tu cuenta aún no tiene. Solo pedimos lo que falta.
field-birthdate = Fecha de nacimiento
field-date-hint = Por ejemplo, 1990-04-12.
field-address-street-address = Calle y número
field-address-postal-code = Código postal
field-address-locality = Localidad
field-address-country = País
country-be = Bélgica
country-de = Alemania
country-es = España
country-fr = Francia
country-gb = Reino Unido
country-nl = Países Bajos

## Attributes a journey declares itself: the demo's questions about a car.

field-car-use = ¿Para qué usarás principalmente el coche?
field-car-use-private = Uso particular
field-car-use-commute = Ir al trabajo
field-car-use-business = Uso profesional
field-garage = ¿El coche duerme en un garaje?
field-garage-yes = Sí
field-garage-no = No

## What is shown beside a profile field when its value is refused.

error-date-invalid = Escribe una fecha real, por ejemplo 1990-04-12.
error-date-range = Escribe una fecha entre 1900 y hoy.
error-date-too-young = Debes tener al menos { $years } años.
error-choice-invalid = Elige una de las opciones.
error-postal-code = Escribe un código postal del país elegido, por ejemplo 28013 para España.
