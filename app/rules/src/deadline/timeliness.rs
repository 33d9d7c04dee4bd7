//! Whether a case was decided, and each stage done, on time — against the due moment in force when
//! the step was taken, kept after the decision (issue #11 point 3).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::error::zh_moment;
use super::limit::Due;
use super::stage::Stage;

/// From `from` on, the due in force was `due` (a new acceptance, a suspension, a resumption, an
/// approved extension each start one).
///
/// Source: Seed §二(三) (限时办结); issue #11 point 3 (record the due moment in force at each
/// step).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DueChange {
    /// When this due took effect (local time).
    pub from: NaiveDateTime,
    /// The due from then on.
    pub due: Due,
}

/// The dues of a case (or of one stage) in the order they took effect.
///
/// Source: issue #11 point 3.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<DueChange>", into = "Vec<DueChange>")]
pub struct DueHistory(Vec<DueChange>);

impl DueHistory {
    /// The history of `changes`, ordered by when they took effect (two at the same moment keep
    /// their order: the later one is in force). Source: issue #11 point 3.
    pub fn new(mut changes: Vec<DueChange>) -> Self {
        changes.sort_by_key(|c| c.from);
        Self(changes)
    }

    /// Records that `due` is in force from `from`. Source: issue #11 point 3.
    pub fn record(&mut self, from: NaiveDateTime, due: Due) {
        let at = self.0.partition_point(|c| c.from <= from);
        self.0.insert(at, DueChange { from, due });
    }

    /// The changes, oldest first. Source: issue #11 point 3.
    pub fn changes(&self) -> &[DueChange] {
        &self.0
    }

    /// The due in force at `at`: the last change that took effect at or before it.
    /// Source: issue #11 point 3.
    pub fn in_force_at(&self, at: NaiveDateTime) -> Option<Due> {
        self.0.iter().rev().find(|c| c.from <= at).map(|c| c.due)
    }
}

impl From<Vec<DueChange>> for DueHistory {
    fn from(changes: Vec<DueChange>) -> Self {
        Self::new(changes)
    }
}

impl From<DueHistory> for Vec<DueChange> {
    fn from(history: DueHistory) -> Self {
        history.0
    }
}

/// How a step stood against the due in force when it was taken.
///
/// Source: Seed §二(三)四 (坚决杜绝…导致办件超期行为发生); issue #11 point 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "timeliness", rename_all = "snake_case")]
pub enum Timeliness {
    /// At or before the due moment.
    OnTime {
        /// The due moment in force.
        due: NaiveDateTime,
    },
    /// After the due moment.
    Late {
        /// The due moment in force, which had passed.
        due: NaiveDateTime,
    },
    /// Taken while a special procedure stopped the clock (not counted, so not late).
    ClockStopped,
}

impl Timeliness {
    /// Whether the step kept the limit (on time, or while the clock was stopped).
    /// Source: 行政许可法 第四十五条; issue #11 point 3.
    pub fn is_on_time(&self) -> bool {
        !matches!(self, Self::Late { .. })
    }

    /// Stable snake_case code (as serialised). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::OnTime { .. } => "on_time",
            Self::Late { .. } => "late",
            Self::ClockStopped => "clock_stopped",
        }
    }

    /// The Chinese label, e.g. for the supervision lists. Source: Seed §二(三).
    pub fn label_zh(&self) -> &'static str {
        match self {
            Self::OnTime { .. } => "按时办结",
            Self::Late { .. } => "超期办结",
            Self::ClockStopped => "暂停计时期间办结",
        }
    }
}

/// A step taken before any due was in force.
///
/// Source: issue #11 point 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[error("{}时尚无办理期限，无法判断是否按时", zh_moment(.at))]
pub struct NoDueInForce {
    /// When the step was taken.
    pub at: NaiveDateTime,
}

impl NoDueInForce {
    /// Stable snake_case code. Source: product rule.
    pub fn code(&self) -> &'static str {
        "no_due_in_force"
    }
}

/// How a step taken at `done_at` stood against the due in force then ([`DueHistory::in_force_at`]):
/// on time when at or before the due moment (the due moment itself is still on time, as in
/// [`status_at`](super::status_at)), late after it, clock stopped while suspended.
/// Source: Seed §二(三); 行政许可法 第四十五条; issue #11 point 3.
pub fn timeliness(
    history: &DueHistory,
    done_at: NaiveDateTime,
) -> Result<Timeliness, NoDueInForce> {
    match history.in_force_at(done_at) {
        None => Err(NoDueInForce { at: done_at }),
        Some(Due::Suspended) => Ok(Timeliness::ClockStopped),
        Some(Due::At(due)) if done_at <= due => Ok(Timeliness::OnTime { due }),
        Some(Due::At(due)) => Ok(Timeliness::Late { due }),
    }
}

/// A stage that was completed: its own due history and when it was done.
///
/// Source: Seed §二(三) (受理、审查、决定、送达等环节办结时限); issue #11 point 3.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletedStage {
    /// The stage.
    pub stage: Stage,
    /// The dues of the stage, in the order they took effect.
    pub dues: DueHistory,
    /// When the stage was completed (local time).
    pub done_at: NaiveDateTime,
}

/// Whether the decision and each completed stage were on time: what the service stores with the
/// decided case, so that supervision still sees it once the due is no longer shown.
///
/// Source: Seed §二(三); issue #11 point 3.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnTimeRecord {
    /// The decision against the case's due.
    pub decision: Timeliness,
    /// Each completed stage against its own due, in the order given.
    pub stages: Vec<(Stage, Timeliness)>,
}

impl OnTimeRecord {
    /// Whether the decision and every stage kept their limits. Source: issue #11 point 3.
    pub fn all_on_time(&self) -> bool {
        self.decision.is_on_time() && self.stages.iter().all(|(_, t)| t.is_on_time())
    }
}

/// The [`OnTimeRecord`] of a case decided at `decided_at` with the due history `case_dues` and the
/// completed `stages`.
/// Source: Seed §二(三); issue #11 point 3.
pub fn on_time_record(
    case_dues: &DueHistory,
    decided_at: NaiveDateTime,
    stages: &[CompletedStage],
) -> Result<OnTimeRecord, NoDueInForce> {
    Ok(OnTimeRecord {
        decision: timeliness(case_dues, decided_at)?,
        stages: stages
            .iter()
            .map(|s| Ok((s.stage, timeliness(&s.dues, s.done_at)?)))
            .collect::<Result<_, NoDueInForce>>()?,
    })
}
