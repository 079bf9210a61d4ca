## Profile completion: the attributes a journey asks for that the account lacks.

profile-completion-title = A few more details
profile-completion-intro = To go on we need a few details your account does not have yet. We ask only for what is missing.
field-birthdate = Date of birth
field-date-hint = For example 1990-04-12.
field-address-street-address = Street and number
field-address-postal-code = Postal code
field-address-locality = Town or city
field-address-country = Country
country-be = Belgium
country-de = Germany
country-es = Spain
country-fr = France
country-gb = United Kingdom
country-nl = Netherlands

## Attributes a journey declares itself: the demo's questions about a car.

field-car-use = How will you mainly use the car?
field-car-use-private = Private use
field-car-use-commute = Commuting
field-car-use-business = Business
field-garage = Is the car parked in a garage at night?
field-garage-yes = Yes
field-garage-no = No

## What is shown beside a profile field when its value is refused.

error-date-invalid = Enter a real date, like 1990-04-12.
error-date-range = Enter a date between 1900 and today.
error-date-too-young = You must be at least { $years } years old.
error-choice-invalid = Choose one of the options.
error-postal-code = Enter a postal code of the chosen country, like 1015 CJ for the Netherlands.
