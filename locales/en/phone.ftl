## Phone numbers: what is shown beside a phone field when a number is refused.

error-phone-invalid = Enter a phone number, like +31 6 12345678 or 06 12345678.
error-phone-country = We cannot use phone numbers from that country. Enter a number from a country we serve.
error-phone-no-sms = This number cannot receive text messages. Enter a mobile number, or choose a voice call.
error-phone-no-sms-only = This number cannot receive text messages. Enter a mobile number.

## Phone number verification (phone_number_verification): the step, and the code by SMS or call.

phone-verification-title = Verify your phone number
field-phone-number = Phone number
field-phone-number-hint = We send a code to this number to check that it is yours.
field-phone-channel = How should we send the code?
phone-channel-sms = Text message (SMS)
phone-channel-voice = Voice call
action-send-code = Send code
phone-verification-sent-sms = We sent a code by text message to { $phone }. It is valid for { $minutes ->
    [one] 1 minute.
   *[other] { $minutes } minutes.
}
phone-verification-sent-voice = We are calling { $phone } to read out a code. It is valid for { $minutes ->
    [one] 1 minute.
   *[other] { $minutes } minutes.
}
phone-verification-code-hint = The { $length }-digit code from the text message or the call. You can paste it.
action-change-number = Use another number
action-call-instead = Call me instead
action-text-instead = Text me instead
sms-verification-code-subject = { $brand } verification code
sms-verification-code-body = Your { $brand } code is { $code }. It is valid for { $minutes ->
    [one] 1 minute.
   *[other] { $minutes } minutes.
} Do not share it with anyone.
voice-verification-code-subject = { $brand } verification call
voice-verification-code-body = Hello, this is { $brand }. Your verification code is { $code_spoken }. Once again, your code is { $code_spoken }. It is valid for { $minutes ->
    [one] 1 minute.
   *[other] { $minutes } minutes.
}
error-message-cap-phone = We have sent too many messages to this number in the last hour, so we did not send a code. Wait a while, then ask for a new code.
error-code-paused-phone = Too many wrong codes were entered for this number. Try again in { $minutes ->
    [one] 1 minute.
   *[other] { $minutes } minutes.
}
