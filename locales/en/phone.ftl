## Phone numbers: what is shown beside a phone field when a number is refused.

error-phone-invalid = Enter a phone number, like +31 6 12345678 or 06 12345678.
error-phone-country = We cannot use phone numbers from that country. Enter a number from a country we serve.
error-phone-no-sms = This number cannot receive text messages. Enter a mobile number, or choose a voice call.
