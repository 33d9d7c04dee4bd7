//! `Principal`: the signed-in staff member as the use cases see them, and the checks of where
//! they may act. The router's `auth` layer finds the principal of a request; services decide.

use app::api::Role;

use crate::error::{AppError, AppResult};

#[derive(Debug, Clone)]
pub struct Principal {
    pub id: i64,
    pub staff_number: String,
    pub name: String,
    pub unit_id: Option<i64>,
    /// The center of the unit (none without a unit: administrators, supervisors).
    pub center_id: Option<i64>,
    pub roles: Vec<Role>,
    /// A stamp of the current password (see `auth::session::credential_stamp`); a session
    /// opened with another password is over.
    pub credential_stamp: String,
}

impl Principal {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// A clerk of `unit_id` (cases, referrals, bookings of the unit are theirs to move).
    pub fn ensure_clerk_of(&self, unit_id: i64, message: &str) -> AppResult<()> {
        if self.has(Role::Clerk) && self.unit_id == Some(unit_id) {
            Ok(())
        } else {
            Err(AppError::not_here("not_your_unit", message))
        }
    }

    /// The chief representative of `unit_id` (decisions of that unit only).
    pub fn ensure_chief_of(&self, unit_id: i64) -> AppResult<()> {
        if self.has(Role::ChiefRepresentative) && self.unit_id == Some(unit_id) {
            Ok(())
        } else {
            Err(AppError::not_here(
                "not_your_unit",
                "只有本单位首席代表可以审批",
            ))
        }
    }

    /// Deciding a request someone made: never one's own (separation of duties — a clerk who is
    /// also the unit's chief representative still needs another to approve what they asked).
    pub fn ensure_not_own(&self, requested_by: i64) -> AppResult<()> {
        if self.id == requested_by {
            return Err(AppError::not_here(
                "own_request",
                "不能审批本人提出的申请，请由本单位其他首席代表审批",
            ));
        }
        Ok(())
    }

    /// Deciding a request on a case: never on a case one is responsible for (首问负责人), even
    /// when a colleague asked — the extension or exception protects the owner's own record.
    pub fn ensure_not_owner(&self, owner_id: i64) -> AppResult<()> {
        if self.id == owner_id {
            return Err(AppError::not_here(
                "own_case",
                "不能审批本人负责的办件的申请，请由本单位其他首席代表审批",
            ));
        }
        Ok(())
    }

    /// Acting at `center_id`: administrators act everywhere, everyone else only at the center
    /// of their own unit (a chief of one hall cannot close another hall's day).
    pub fn ensure_acts_in(&self, center_id: i64) -> AppResult<()> {
        if self.has(Role::Admin) || self.center_id == Some(center_id) {
            Ok(())
        } else {
            Err(AppError::not_here(
                "not_your_center",
                "只能在本人所在的服务中心操作",
            ))
        }
    }

    /// The one center this person reads, or none when they read every center (supervisors and
    /// administrators). Someone of no center reads none (center 0 names no center).
    pub fn reads_only(&self) -> Option<i64> {
        let everywhere = self.has(Role::Admin) || self.has(Role::Supervisor);
        (!everywhere).then(|| self.center_id.unwrap_or_default())
    }

    /// Reading what happens at `center_id`: supervisors and administrators read every center,
    /// everyone else only their own.
    pub fn ensure_sees(&self, center_id: i64) -> AppResult<()> {
        match self.reads_only() {
            Some(own) if own != center_id => Err(AppError::not_here(
                "not_your_center",
                "只能在本人所在的服务中心操作",
            )),
            _ => Ok(()),
        }
    }
}
