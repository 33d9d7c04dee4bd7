//! `Appointment`: an after-hours booking (Seed §二(四)四、五).
//!
//! ```text
//! Booked ─Reschedule→ Booked      Booked ─Cancel→ Cancelled
//! Booked ─Arrive→ Arrived (a priority ticket)      Booked ─NoShow→ NoShow
//! ```

use thiserror::Error;

coded_enum! {
    /// Where a booking stands. Source: Seed §二(四)五; issue #6.
    pub enum AppointmentStatus {
        /// Holds a seat.
        Booked = ("booked", "已预约"),
        /// Cancelled by the citizen; the seat is free again.
        Cancelled = ("cancelled", "已取消"),
        /// The citizen came and got a priority ticket.
        Arrived = ("arrived", "已到场"),
        /// Nobody came (recorded after the slot began).
        NoShow = ("no_show", "未到"),
    }
}

coded_enum! {
    /// Something that happens to a booking. Source: Seed §二(四)五; issue #6.
    pub enum AppointmentEvent {
        /// The citizen cancels.
        Cancel = ("cancel", "取消"),
        /// The citizen moves it to another slot.
        Reschedule = ("reschedule", "改约"),
        /// The citizen arrives.
        Arrive = ("arrive", "到场"),
        /// Recorded as not come.
        NoShow = ("no_show", "记为未到"),
    }
}

/// A booking step the rules refuse: only a booking that still holds its seat can change.
///
/// Source: Seed §二(四)五; issue #6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("{}", self.message())]
pub struct AppointmentRefusal {
    /// The status.
    pub from: AppointmentStatus,
    /// The event refused.
    pub event: AppointmentEvent,
}

impl AppointmentRefusal {
    /// Stable snake_case code, per event (the API's codes since issue #6). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self.event {
            AppointmentEvent::Cancel => "not_cancellable",
            AppointmentEvent::Reschedule => "not_reschedulable",
            AppointmentEvent::Arrive | AppointmentEvent::NoShow => "not_booked",
        }
    }

    fn message(&self) -> &'static str {
        match self.event {
            AppointmentEvent::Cancel => "该预约已取消或已办理，不能再取消",
            AppointmentEvent::Reschedule => "该预约已取消或已办理，不能改约",
            AppointmentEvent::Arrive | AppointmentEvent::NoShow => "该预约已取消、已到或已记为未到",
        }
    }
}

impl AppointmentStatus {
    /// The status after `event`, or the refusal. Source: Seed §二(四)五; issue #6.
    pub fn apply(self, event: AppointmentEvent) -> Result<Self, AppointmentRefusal> {
        use AppointmentEvent as E;
        use AppointmentStatus as S;
        match (self, event) {
            (S::Booked, E::Cancel) => Ok(S::Cancelled),
            (S::Booked, E::Reschedule) => Ok(S::Booked),
            (S::Booked, E::Arrive) => Ok(S::Arrived),
            (S::Booked, E::NoShow) => Ok(S::NoShow),
            (from, event) => Err(AppointmentRefusal { from, event }),
        }
    }

    /// Whether it holds a seat (and counts against overlapping bookings of the same phone).
    /// Source: issue #6.
    pub fn holds_seat(self) -> bool {
        self == Self::Booked
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AppointmentEvent as E;
    use AppointmentStatus as S;

    #[test]
    fn only_a_booking_that_holds_its_seat_can_change() {
        for &from in S::ALL {
            for &event in E::ALL {
                let got = from.apply(event);
                if from == S::Booked {
                    assert!(got.is_ok(), "{event:?}");
                } else {
                    assert_eq!(got, Err(AppointmentRefusal { from, event }));
                }
            }
        }
        assert_eq!(S::Booked.apply(E::Cancel), Ok(S::Cancelled));
        assert_eq!(S::Booked.apply(E::Arrive), Ok(S::Arrived));
        assert_eq!(S::Booked.apply(E::NoShow), Ok(S::NoShow));
        assert_eq!(S::Booked.apply(E::Reschedule), Ok(S::Booked));
    }

    #[test]
    fn a_cancelled_booking_cannot_be_cancelled_again() {
        let e = S::Cancelled.apply(E::Cancel).unwrap_err();
        assert_eq!(e.code(), "not_cancellable");
        assert_eq!(e.to_string(), "该预约已取消或已办理，不能再取消");
        assert_eq!(
            S::Arrived.apply(E::NoShow).unwrap_err().code(),
            "not_booked"
        );
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        crate::lifecycle::coded::assert_codes_round_trip(S::ALL, S::code, S::label_zh);
        crate::lifecycle::coded::assert_codes_round_trip(E::ALL, E::code, E::label_zh);
    }
}
