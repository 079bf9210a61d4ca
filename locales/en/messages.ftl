## Emails. Plain text; the first line of each body greets.

email-verification-code-subject = Your { $brand } verification code
email-verification-code-body =
    Hello,

    Your verification code is { $code }. It is valid for { $minutes ->
        [one] 1 minute.
       *[other] { $minutes } minutes.
    }

    If you did not try to create a { $brand } account, you can ignore this email.
email-account-exists-subject = Someone tried to register with your address
email-account-exists-body =
    Hello,

    Someone tried to create a { $brand } account with this email address, but you already have an account.

    If this was you, sign in instead, or reset your password if you forgot it. If it was not you, you can ignore this email; your account has not changed.
