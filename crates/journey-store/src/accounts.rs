//! What both backends keep of accounts, in the same shape: an account (`accounts`: subject,
//! tenant, attributes), what it is known by (`account_identifiers`: kind `email` now, phones and
//! external identities later, unique per tenant, kind and value) and what proves it is them
//! (`account_credentials`: kind `password` now, authenticator apps and passkeys later; at most
//! one password per account). Every look-up goes from an identifier to its account and from
//! there to a credential, so an account without a password is an ordinary account. The
//! statements are each backend's (`sqlite/accounts.rs`, `postgres/accounts.rs`).

/// The identifier kind of an email address.
pub(crate) const EMAIL: &str = "email";

/// The credential kind of a password (its PHC hash).
pub(crate) const PASSWORD: &str = "password";

/// A new account, as [`crate::Write::CreateAccount`] describes it.
pub(crate) struct NewAccount<'a> {
    pub(crate) tenant: &'a str,
    pub(crate) subject: &'a str,
    pub(crate) email: &'a str,
    pub(crate) attributes: &'a str,
    pub(crate) password_hash: Option<&'a str>,
}
