## E-mails. Texte brut ; la première ligne de chaque message est la formule d'accueil.

email-verification-code-subject = Votre code de vérification { $brand }
email-verification-code-body =
    Bonjour,

    Votre code de vérification est { $code }. Il est valable { $minutes ->
        [one] { $minutes } minute.
       *[other] { $minutes } minutes.
    }

    Si vous n'avez pas essayé de créer un compte { $brand }, vous pouvez ignorer cet e-mail.
email-account-exists-subject = Quelqu'un a essayé de s'inscrire avec votre adresse
email-account-exists-body =
    Bonjour,

    Quelqu'un a essayé de créer un compte { $brand } avec cette adresse e-mail, mais vous avez déjà un compte.

    Si c'était vous, connectez-vous plutôt, ou réinitialisez votre mot de passe si vous l'avez oublié. Si ce n'était pas vous, vous pouvez ignorer cet e-mail : votre compte n'a pas été modifié.
email-recovery-code-subject = Réinitialisez votre mot de passe { $brand }
email-recovery-code-body =
    Bonjour,

    Votre code de réinitialisation du mot de passe est { $code }. Il est valable { $minutes ->
        [one] { $minutes } minute.
       *[other] { $minutes } minutes.
    }

    Si vous n'avez pas demandé à réinitialiser votre mot de passe { $brand }, vous pouvez ignorer cet e-mail : votre mot de passe n'a pas été modifié.
email-recovery-unknown-subject = Quelqu'un a essayé de réinitialiser un mot de passe { $brand } avec votre adresse
email-recovery-unknown-body =
    Bonjour,

    Quelqu'un a demandé à réinitialiser le mot de passe d'un compte { $brand } avec cette adresse e-mail, mais aucun compte n'existe avec cette adresse.

    Si c'était vous, vous avez peut-être utilisé une autre adresse pour vous inscrire, ou vous pouvez créer un compte. Si ce n'était pas vous, vous pouvez ignorer cet e-mail.
email-password-changed-subject = Votre mot de passe { $brand } a été modifié
email-password-changed-body =
    Bonjour,

    Le mot de passe de votre compte { $brand } vient d'être modifié après une réinitialisation par e-mail, et toutes les sessions de votre compte ont été fermées.

    Si ce n'était pas vous, réinitialisez immédiatement votre mot de passe : quelqu'un a peut-être accès à votre messagerie.
email-signin-code-subject = Votre code de connexion { $brand }
email-signin-code-body =
    Bonjour,

    Votre code pour vous connecter à { $brand } est { $code }. Il est valable { $minutes ->
        [one] { $minutes } minute.
       *[other] { $minutes } minutes.
    }

    Si vous n'avez pas essayé de vous connecter à { $brand }, vous pouvez ignorer cet e-mail.
email-signin-unknown-subject = Quelqu'un a essayé de se connecter à { $brand } avec votre adresse
email-signin-unknown-body =
    Bonjour,

    Quelqu'un a demandé un code pour se connecter à { $brand } avec cette adresse e-mail, mais aucun compte ne l'utilise.

    Si c'était vous, vous avez peut-être utilisé une autre adresse, ou vous pouvez créer un compte. Sinon, vous pouvez ignorer cet e-mail.
