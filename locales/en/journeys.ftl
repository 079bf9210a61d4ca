## Step titles and information pages.

registration-title = Create your account
collect-user-data-title = Tell us about yourself
email-validation-title = Check your email
email-validation-sent = We sent a code to { $email }. It is valid for { $minutes ->
    [one] 1 minute.
   *[other] { $minutes } minutes.
}
set-password-title = Choose a password
welcome-title = Welcome to { $brand }
welcome-body = Your account is ready. We will sign you in now.
locked-title = Registration stopped
locked-body = The code was entered wrongly too many times, so we stopped this registration to protect your account. Start again to get a new code.
outcome-signed-in = You are signed in.
password-login-title = Sign in
recovery-title = Reset your password
reset-password-title = Choose a new password
recovery-done-title = Your password is changed
recovery-done-body = Every session of your account has been signed out, and we sent a confirmation to your email address. We will sign you in here now.
recovery-locked-title = Password reset stopped
recovery-locked-body = The code was entered wrongly too many times, so we stopped this password reset to protect your account. Start again to get a new code.

## Fields.

field-email = Email address
field-given-name = First name
field-family-name = Last name
field-code = Verification code
field-code-hint = The { $length }-digit code from the email. You can paste it.
field-new-password = New password
field-new-password-hint = At least { $min ->
    [one] 1 character.
   *[other] { $min } characters.
} A few unrelated words make a strong password that is easy to remember.
field-password = Password

## Actions.

action-continue = Continue
action-verify = Verify
action-resend = Send a new code
action-resend-wait = You can ask for a new code after { $seconds ->
    [one] 1 second.
   *[other] { $seconds } seconds.
}
action-set-password = Set password
action-sign-in = Sign in
action-reveal-show = Show password
action-reveal-hide = Hide password

## Notes and errors beside fields and steps.

note-code-resent = We sent a new code. The previous code no longer works.
error-required = Fill in this field.
error-too-long = Use at most { $max ->
    [one] 1 character.
   *[other] { $max } characters.
}
error-email-invalid = Enter an email address like name@example.com.
error-text-invalid = Remove the special characters from this field.
error-code-format = Enter the { $length ->
    [one] 1 digit
   *[other] { $length } digits
} of the code.
error-code-wrong = That code is not right. { $left ->
    [one] You have 1 try left.
   *[other] You have { $left } tries left.
}
error-code-expired = This code has expired. Ask for a new code.
error-code-paused = Too many wrong codes were entered for this address. Try again in { $minutes ->
    [one] 1 minute.
   *[other] { $minutes } minutes.
}
error-message-cap = We have sent too many messages to this address in the last hour, so we did not send a code. Wait a while, then ask for a new code.
error-resend-wait = Wait { $seconds ->
    [one] 1 second
   *[other] { $seconds } seconds
} before asking for a new code.
error-resend-limit = You cannot ask for more codes. Start again later.
error-password-too-short = Use at least { $min ->
    [one] 1 character.
   *[other] { $min } characters.
}
error-password-too-long = Use at most { $max ->
    [one] 1 character.
   *[other] { $max } characters.
}
error-password-common = This password is too common and easy to guess. Choose another one.
error-password-personal = Do not use your name or email address in your password.
error-password-brand = Do not use the name { $brand } in your password; it is among the first things people try.
error-password-invalid-characters = Remove the invisible or control characters from your password; they cannot be seen or typed again reliably.
error-login-failed = The email address or password is not right. Check both and try again.
error-login-throttled = Too many attempts. Wait { $seconds ->
    [one] 1 second
   *[other] { $seconds } seconds
} and try again.
error-login-disabled = Sign-in for this address is locked after too many failed attempts. Reset your password to unlock it.
error-account-taken = An account with this address was created a moment ago, perhaps in another window. Sign in with it instead.

## Journey titles, as a tenant's description (GET /v1/{tenant}) lists them.

journey-registration-title = Create an account
journey-login-title = Log in
journey-recovery-title = Reset a forgotten password
journey-profile-title = Complete your profile
lookup-unavailable-title = We cannot fetch your details right now
lookup-unavailable-body = Our service did not answer in time. Nothing you entered is lost: select Continue to try again.

## Signing in by an email code (identify_by_email_code), first passwords and levels of assurance.

identify-by-email-code-title = Sign in with a code by email
identify-by-email-code-sent = We sent a sign-in code to { $email }. It is valid for { $minutes ->
    [one] 1 minute.
   *[other] { $minutes } minutes.
} If it does not arrive, check the address and ask for a new code.
error-assurance-insufficient = This way of signing in is not strong enough here. Start again and sign in with your password or a code sent to your phone.
error-password-exists = This account already has a password, so we did not change it. Sign in with your password, or reset it if you forgot it.
