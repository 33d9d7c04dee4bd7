//! Applicant identifiers checked at the window: resident ID (GB 11643-1999), unified social credit
//! code (GB 32100-2015) and mainland mobile number. Each parse returns a typed error with a Chinese
//! message.
//!
//! Source: issue #5 (Cases: applicant person / company, phone).

mod credit_code;
mod mobile;
mod resident_id;

pub use credit_code::{CreditCodeError, UnifiedSocialCreditCode};
pub use mobile::{MobilePhone, MobilePhoneError};
pub use resident_id::{ResidentId, ResidentIdError};
