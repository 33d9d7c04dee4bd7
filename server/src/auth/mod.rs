//! Staff authentication and authorisation.
//!
//! - Passwords: argon2id (`services::staff::password`).
//! - Sessions: server-side, stored in the same database ([`session`]); the cookie holds only a
//!   signed random id, `HttpOnly; SameSite=Strict`.
//! - Authorisation is declared in each handler's signature: `Caller<Admins>` lets only admins in.
//!   No session → 401, a session without one of the policy's roles → 403.
//! - Login attempts are rate limited per staff number and per client address ([`rate_limit`]).

pub mod caller;
pub mod client_address;
pub mod rate_limit;
pub mod session;
pub mod stream_seats;

pub use caller::{Caller, MaybeCaller, Policy, Principal};

pub use crate::services::staff::password::random_token;

/// Policies: which roles may call a route. An empty list means any signed-in staff member.
pub mod policy {
    use app::api::Role;

    macro_rules! policy {
        ($(#[$doc:meta])* $name:ident = [$($role:ident),*]) => {
            $(#[$doc])*
            pub struct $name;
            impl super::Policy for $name {
                const ROLES: &'static [Role] = &[$(Role::$role),*];
            }
        };
    }

    policy!(
        /// Any signed-in staff member.
        AnyStaff = []
    );
    policy!(
        /// Administrators: organisation, calendar, catalog.
        Admins = [Admin]
    );
    policy!(
        /// Supervisors (read everything, change nothing of the cases).
        Supervisors = [Supervisor]
    );
    policy!(
        /// Window clerks.
        Clerks = [Clerk]
    );
    policy!(
        /// Chief representatives of units.
        Chiefs = [ChiefRepresentative]
    );
    policy!(
        /// Staff who belong to a unit: clerks and chief representatives.
        UnitStaff = [Clerk, ChiefRepresentative]
    );
    policy!(
        /// Who may read cases: their unit's staff and supervisors (each service re-checks the
        /// unit).
        CaseReaders = [Clerk, ChiefRepresentative, Supervisor]
    );
    policy!(
        /// Who may end the day's queue (only when nobody is left waiting).
        QueueClosers = [ChiefRepresentative, Admin]
    );
    policy!(
        /// Who reads the extended-service records.
        ExtendedReaders = [Supervisor, ChiefRepresentative]
    );
    policy!(
        /// Who sets a slot's duty roster.
        DutyEditors = [Admin, ChiefRepresentative]
    );
    policy!(
        /// Who sees the appointment slots with their bookings.
        SlotReaders = [Clerk, ChiefRepresentative, Supervisor, Admin]
    );
    policy!(
        /// People who look after the organisation: admins manage it, supervisors read it.
        OrgReaders = [Admin, Supervisor, Clerk, ChiefRepresentative]
    );
}
