//! Live events: what the server publishes after a change and the pages listen to. One `Topic`
//! enum for both sides, so a page cannot listen to a topic nobody publishes.

use serde::{Deserialize, Serialize};

/// What an event is about. A page subscribes to the topics whose data it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Cases: received, reviewed, decided, extended…
    Cases,
    /// Inquiries, referrals and escalations.
    Inquiries,
    /// Queue tickets, calls, the display board.
    Queue,
    /// "Cannot serve" reports waiting for a chief representative.
    Reassignments,
    /// Bookings, duty check-ins and rosters.
    Appointments,
}

impl Topic {
    /// Every topic.
    pub const ALL: [Topic; 5] = [
        Topic::Cases,
        Topic::Inquiries,
        Topic::Queue,
        Topic::Reassignments,
        Topic::Appointments,
    ];

    /// The SSE event name and the `topics=` query value.
    pub fn code(self) -> &'static str {
        match self {
            Topic::Cases => "cases",
            Topic::Inquiries => "inquiries",
            Topic::Queue => "queue",
            Topic::Reassignments => "reassignments",
            Topic::Appointments => "appointments",
        }
    }

    pub fn from_code(code: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Topics anyone may follow without signing in (the hall's display and kiosk).
    pub fn is_public(self) -> bool {
        matches!(self, Topic::Queue)
    }
}

/// One live event: a topic, what happened and ids — never personal data. Pages re-read what
/// they show through the API, which checks who may see what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveEvent {
    pub topic: Topic,
    /// What happened, e.g. `case.changed`.
    pub kind: String,
    pub center_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub id: Option<i64>,
}
