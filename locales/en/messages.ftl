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
email-recovery-code-subject = Reset your { $brand } password
email-recovery-code-body =
    Hello,

    Your code to reset your password is { $code }. It is valid for { $minutes ->
        [one] 1 minute.
       *[other] { $minutes } minutes.
    }

    If you did not ask to reset your { $brand } password, you can ignore this email; your password has not changed.
email-recovery-unknown-subject = Someone tried to reset a { $brand } password with your address
email-recovery-unknown-body =
    Hello,

    Someone asked to reset the password of a { $brand } account with this email address, but there is no account with it.

    If this was you, you may have registered with another address, or you can create an account. If it was not you, you can ignore this email.
email-password-changed-subject = Your { $brand } password was changed
email-password-changed-body =
    Hello,

    The password of your { $brand } account was just changed after a reset by email, and every session of your account was signed out.

    If this was not you, reset your password again at once: someone may have access to your email.
email-signin-code-subject = Your { $brand } sign-in code
email-signin-code-body =
    Hello,

    Your code to sign in to { $brand } is { $code }. It is valid for { $minutes ->
        [one] 1 minute.
       *[other] { $minutes } minutes.
    }

    If you did not try to sign in to { $brand }, you can ignore this email.
email-signin-unknown-subject = Someone tried to sign in to { $brand } with your address
email-signin-unknown-body =
    Hello,

    Someone asked for a code to sign in to { $brand } with this email address, but there is no account with it.

    If this was you, you may have used another address, or you can create an account. If it was not you, you can ignore this email.
