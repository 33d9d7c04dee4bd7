//! Password hashing: argon2id with the library's recommended parameters (OWASP). Only the PHC
//! string is stored; verification runs on the blocking pool because it is deliberately slow.

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng},
};

use crate::error::AppError;

/// The length rule of a staff password (shared with the browser's form).
pub fn check_strength(password: &str) -> Result<(), AppError> {
    app::api::validate::password_strength(password, "password").map_err(AppError::from)
}

pub async fn hash(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(AppError::internal)?
}

pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(anyhow::anyhow!("argon2 hash failed: {e}")))
}

/// Verifies `password` against a stored PHC string. With no stored hash (unknown staff number) a
/// dummy hash is checked anyway, so that the answer takes the same time either way.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let stored = match stored {
            Some(stored) => stored,
            None => DUMMY_HASH.clone(),
        };
        let parsed = PasswordHash::new(&stored)
            .map_err(|e| AppError::internal(anyhow::anyhow!("stored hash unreadable: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(AppError::internal)?
}

/// A random URL-safe token of `len` characters (session secrets, booking codes use their own
/// alphabet).
pub fn random_token(len: usize) -> String {
    use rand::{Rng, distr::Alphanumeric};
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// A stamp of the stored password hash (whose salt changes with every new password). Kept in
/// the session at login and compared at each request; a new password ends the other sessions.
pub fn credential_stamp(password_hash: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(password_hash.as_bytes())[..16])
}

/// The argon2id hash of a random string nobody knows; used only to spend the same time.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash_blocking(&random_token(32)).expect("hashing a random string cannot fail")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_and_never_the_password() {
        let hashed = hash_blocking("correct horse").unwrap();
        assert!(hashed.starts_with("$argon2id$"));
        assert!(!hashed.contains("correct horse"));
    }

    #[tokio::test]
    async fn the_right_password_verifies_and_a_wrong_one_does_not() {
        let hashed = hash_blocking("correct horse").unwrap();
        assert!(
            verify("correct horse".into(), Some(hashed.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("wrong horse".into(), Some(hashed)).await.unwrap());
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(!verify("anything".into(), None).await.unwrap());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_strength("short").is_err());
        assert!(check_strength("long enough").is_ok());
    }
}
