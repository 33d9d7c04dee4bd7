//! Enums that are stored and sent as stable codes and shown with a Chinese label.

use thiserror::Error;

/// A code that names no status or event.
///
/// Source: product rule (statuses are stored as codes).
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("未知的代码“{0}”")]
pub struct UnknownCode(pub String);

/// Declares a fieldless enum with a stable snake_case code and a Chinese label per variant,
/// `ALL`, `code`, `from_code`, `label_zh`, and serde as the code.
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($(#[$vmeta:meta])* $variant:ident = ($code:literal, $label:literal)),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(into = "String", try_from = "String")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stable snake_case code (storage and the API). Source: product rule.
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),+
                }
            }

            /// The value with this code. Source: product rule.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// What the hall calls it. Source: product rule.
            pub fn label_zh(self) -> &'static str {
                match self {
                    $(Self::$variant => $label),+
                }
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> Self {
                v.code().to_owned()
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::lifecycle::UnknownCode;

            fn try_from(code: String) -> Result<Self, Self::Error> {
                Self::from_code(&code).ok_or($crate::lifecycle::UnknownCode(code))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label_zh())
            }
        }
    };
}

/// Test helper: codes and labels are unique and round-trip.
#[cfg(test)]
pub(crate) fn assert_codes_round_trip<T>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) where
    T: Copy + PartialEq + std::fmt::Debug + TryFrom<String> + Into<String>,
    <T as TryFrom<String>>::Error: std::fmt::Debug,
{
    for v in all {
        let back = T::try_from((*v).into()).expect("round trip");
        assert_eq!(back, *v);
        assert_eq!(
            all.iter().filter(|o| code(**o) == code(*v)).count(),
            1,
            "{v:?}"
        );
        assert_eq!(
            all.iter().filter(|o| label(**o) == label(*v)).count(),
            1,
            "{v:?}"
        );
    }
}
