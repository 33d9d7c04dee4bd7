//! Status columns: each lifecycle of `rules` as the store keeps it. The stored codes belong to
//! the store — they never change with a rename in the rules — and each enum converts to and from
//! its rules twin without a fallible step.

use sea_orm::entity::prelude::*;

/// Declares a `DeriveActiveEnum` column enum with the same variants as a rules enum, and the
/// conversions both ways.
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident => $rules:path { $($variant:ident = $code:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        pub enum $name {
            $(#[sea_orm(string_value = $code)] $variant),+
        }

        impl From<$name> for $rules {
            fn from(v: $name) -> Self {
                match v {
                    $($name::$variant => <$rules>::$variant),+
                }
            }
        }

        impl From<$rules> for $name {
            fn from(v: $rules) -> Self {
                match v {
                    $(<$rules>::$variant => $name::$variant),+
                }
            }
        }
    };
}

stored_enum! {
    /// `queue_ticket.status`.
    pub enum TicketStatus => rules::TicketStatus {
        Waiting = "waiting",
        Called = "called",
        Serving = "serving",
        Done = "done",
        NoShow = "no_show",
        Reassigning = "reassigning",
    }
}

stored_enum! {
    /// `appointment.status`.
    pub enum AppointmentStatus => rules::AppointmentStatus {
        Booked = "booked",
        Cancelled = "cancelled",
        Arrived = "arrived",
        NoShow = "no_show",
    }
}

stored_enum! {
    /// `one_time_exception.status` and `case_extension.status`.
    pub enum RequestStatus => rules::RequestStatus {
        Pending = "pending",
        Approved = "approved",
        Refused = "refused",
        Used = "used",
        Lapsed = "lapsed",
    }
}

stored_enum! {
    /// `inquiry.status`.
    pub enum InquiryStatus => rules::InquiryStatus {
        Open = "open",
        Waiting = "waiting",
        FeedbackDue = "feedback_due",
        Closed = "closed",
    }
}

/// A mainland mobile number as a column holds it: its 11 digits, made only from a parsed
/// `rules::MobilePhone` — so every written form of one number ("138-1234-5678",
/// "+86 138 1234 5678", …) is one stored value, and a lookup by any of them finds it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveValueType)]
pub struct StoredPhone(String);

impl From<&rules::MobilePhone> for StoredPhone {
    fn from(phone: &rules::MobilePhone) -> Self {
        StoredPhone(phone.as_str().to_string())
    }
}

impl StoredPhone {
    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number, parsed again (rows written before numbers were parsed may not parse).
    pub fn mobile(&self) -> Option<rules::MobilePhone> {
        rules::MobilePhone::parse(&self.0).ok()
    }
}

impl TicketStatus {
    /// Still to be served today (see `rules::TicketStatus::UNFINISHED`).
    pub fn unfinished() -> Vec<TicketStatus> {
        rules::TicketStatus::UNFINISHED.map(Into::into).to_vec()
    }

    /// In a clerk's hands (see `rules::TicketStatus::IN_HAND`).
    pub fn in_hand() -> Vec<TicketStatus> {
        rules::TicketStatus::IN_HAND.map(Into::into).to_vec()
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ActiveEnum, Iterable};

    use super::*;

    #[test]
    fn a_time_limit_comes_back_from_its_columns_and_a_row_without_them_reads_none() {
        for limit in [
            rules::TimeLimit::Immediate { minutes: 30 },
            rules::TimeLimit::Promised { working_days: 5 },
        ] {
            let (kind, amount) = time_limit_columns(limit);
            assert_eq!(time_limit_of(Some(&kind), Some(amount)), Some(limit));
        }
        // The codes m0016's backfill writes from version 1 of the snapshot.
        assert_eq!(
            time_limit_columns(rules::TimeLimit::Immediate { minutes: 1 }).0,
            "immediate"
        );
        assert_eq!(time_limit_of(None, None), None);
        assert_eq!(time_limit_of(Some("promised"), None), None);
        assert_eq!(time_limit_of(Some("promised"), Some(-1)), None);
        assert_eq!(time_limit_of(Some("someday"), Some(3)), None);
    }

    /// The codes in the database since issues #5 and #6: changing one would orphan every row.
    #[test]
    fn stored_codes_are_the_ones_the_rows_hold() {
        let codes = |v: Vec<String>| v.join(",");
        assert_eq!(
            codes(TicketStatus::iter().map(|s| s.to_value()).collect()),
            "waiting,called,serving,done,no_show,reassigning"
        );
        assert_eq!(
            codes(AppointmentStatus::iter().map(|s| s.to_value()).collect()),
            "booked,cancelled,arrived,no_show"
        );
        assert_eq!(
            codes(RequestStatus::iter().map(|s| s.to_value()).collect()),
            "pending,approved,refused,used,lapsed"
        );
        assert_eq!(
            codes(InquiryStatus::iter().map(|s| s.to_value()).collect()),
            "open,waiting,feedback_due,closed"
        );
    }

    #[test]
    fn every_rules_status_has_a_stored_twin() {
        for s in rules::TicketStatus::ALL {
            assert_eq!(rules::TicketStatus::from(TicketStatus::from(*s)), *s);
        }
        for s in rules::AppointmentStatus::ALL {
            assert_eq!(
                rules::AppointmentStatus::from(AppointmentStatus::from(*s)),
                *s
            );
        }
        for s in rules::RequestStatus::ALL {
            assert_eq!(rules::RequestStatus::from(RequestStatus::from(*s)), *s);
        }
        for s in rules::InquiryStatus::ALL {
            assert_eq!(rules::InquiryStatus::from(InquiryStatus::from(*s)), *s);
        }
    }
}

/// `cases.time_limit_kind` and `cases.time_limit_amount` (m0016): the time limit a list of
/// cases shows, kept beside the item snapshot it is copied from.
pub fn time_limit_columns(limit: rules::TimeLimit) -> (String, i32) {
    let (kind, amount) = match limit {
        rules::TimeLimit::Immediate { minutes } => ("immediate", minutes),
        rules::TimeLimit::Promised { working_days } => ("promised", working_days),
    };
    (kind.to_string(), i32::try_from(amount).unwrap_or(i32::MAX))
}

/// The time limit of [`time_limit_columns`]; `None` when a row lacks them (written before m0016
/// by an older instance) or holds what no version wrote.
pub fn time_limit_of(kind: Option<&str>, amount: Option<i32>) -> Option<rules::TimeLimit> {
    let amount = u32::try_from(amount?).ok()?;
    match kind? {
        "immediate" => Some(rules::TimeLimit::Immediate { minutes: amount }),
        "promised" => Some(rules::TimeLimit::Promised {
            working_days: amount,
        }),
        _ => None,
    }
}

stored_enum! {
    /// `rectification.status`.
    pub enum RectificationStatus => rules::RectificationStatus {
        Open = "open",
        Reported = "reported",
        Closed = "closed",
        Reopened = "reopened",
        Withdrawn = "withdrawn",
    }
}

stored_enum! {
    /// `rating_appeal.status`.
    pub enum AppealStatus => rules::AppealStatus {
        Pending = "pending",
        Upheld = "upheld",
        Rejected = "rejected",
    }
}
