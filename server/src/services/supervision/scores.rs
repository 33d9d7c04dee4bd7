//! 季考核 / 年评定: each unit's, window's or person's score for a quarter or a year from the
//! documented formula (`rules::supervision::ScoreInputs::score`), with the breakdown.

use std::collections::{BTreeMap, BTreeSet};

use app::api::supervision::ScoreRow;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rules::supervision::{FourSystem, ProblemKind, ProblemSource, Quarter, Ratio, ScoreInputs};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::interviews::parse_quarter;
use crate::{
    error::{AppError, AppResult},
    services::Ctx,
    store::{
        columns::{RectificationStatus, TicketStatus},
        entities::{
            case_handover, cases, inquiry, problem, queue_ticket, rating, rectification, staff,
            staff_window, unit, window,
        },
    },
};

/// The period `[first, end)`: `2026Q1`, `2026` or this quarter.
fn period(ctx: &Ctx, text: Option<&str>) -> AppResult<(NaiveDate, NaiveDate)> {
    let bad =
        || AppError::invalid("bad_period", "考核期格式应为 2026Q1 或 2026").with_field("period");
    // The years the monthly report takes too (1999 was accepted here and refused there).
    let (first, end): (NaiveDate, NaiveDate) = match text.map(str::trim) {
        None | Some("") => {
            let q = Quarter::of(ctx.today());
            AppResult::Ok((q.first_day(), q.end()))
        }
        Some(t) if t.len() == 4 => {
            let y: i32 = t.parse().map_err(|_| bad())?;
            let first = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(bad)?;
            Ok((first, NaiveDate::from_ymd_opt(y + 1, 1, 1).ok_or_else(bad)?))
        }
        Some(t) => {
            let q = parse_quarter(t).ok_or_else(bad)?;
            Ok((q.first_day(), q.end()))
        }
    }?;
    if !(2000..=2099).contains(&first.year()) {
        return Err(
            AppError::invalid("period_out_of_range", "考核期须在 2000 年至 2099 年之间")
                .with_field("period"),
        );
    }
    Ok((first, end))
}

/// Whose figures a score counts.
#[derive(Clone, Copy)]
enum Level {
    Unit,
    /// A window: what was served or rated there, and the cases, problems and rectifications of
    /// the people who sit at it (a case records no window).
    Window,
    Staff,
}

impl Level {
    fn parse(text: Option<&str>) -> AppResult<Self> {
        match text.map(str::trim).unwrap_or("unit") {
            "" | "unit" => Ok(Level::Unit),
            "window" => Ok(Level::Window),
            "staff" => Ok(Level::Staff),
            _ => Err(AppError::invalid(
                "bad_level",
                "考核对象须为单位（unit）、窗口（window）或人员（staff）",
            )
            .with_field("level")),
        }
    }

    fn code(self) -> &'static str {
        match self {
            Level::Unit => "unit",
            Level::Window => "window",
            Level::Staff => "staff",
        }
    }
}

/// The facts of one period, loaded once and counted per unit or person.
struct Facts {
    cases: Vec<cases::Model>,
    /// Each handed-over case's handovers, oldest first (read for staff and window scores).
    handovers: BTreeMap<i64, Vec<case_handover::Model>>,
    /// Who sits at each window (read for window scores).
    seated: BTreeMap<i64, BTreeSet<i64>>,
    tickets: Vec<queue_ticket::Model>,
    problems: Vec<problem::Model>,
    ratings: Vec<rating::Model>,
    items: Vec<rectification::Model>,
    inquiries: Vec<inquiry::Model>,
}

fn within(t: Option<DateTime<Utc>>, ctx: &Ctx, first: NaiveDate, end: NaiveDate) -> bool {
    t.is_some_and(|t| {
        let d = ctx.local(t).date();
        first <= d && d < end
    })
}

/// Who owned case `c` (首问负责人) at `t`: a case handed over counts for whoever had it when
/// the counted thing happened — its receipt, its decision, its due passing — not for whoever
/// holds it now (a handover moved the old owner's record onto the new one).
fn owner_at(f: &Facts, c: &cases::Model, t: Option<DateTime<Utc>>) -> i64 {
    let Some(handovers) = f.handovers.get(&c.id).filter(|h| !h.is_empty()) else {
        return c.owner_id;
    };
    let Some(t) = t else {
        return c.owner_id;
    };
    // What happened at the very moment of a handover was the old owner's doing.
    match handovers.iter().rev().find(|h| h.handed_over_at < t) {
        Some(h) => h.to_staff_id,
        None => handovers[0].from_staff_id,
    }
}

/// A case that has not ended without a decision (withdrawn, not accepted): its due still binds.
fn still_followed(c: &cases::Model) -> bool {
    rules::CaseState::from_code(&c.state).is_some_and(|s| !s.is_terminal())
}

fn inputs(
    f: &Facts,
    ctx: &Ctx,
    level: Level,
    id: i64,
    first: NaiveDate,
    end: NaiveDate,
) -> ScoreInputs {
    let no_one = BTreeSet::new();
    let seated = f.seated.get(&id).unwrap_or(&no_one);
    let sits_here = |staff: Option<i64>| staff.is_some_and(|s| seated.contains(&s));
    // A case counts for its unit, or for whoever owned it at the moment `t` that counts (and
    // the windows they sit at).
    let case_of = |c: &cases::Model, t: Option<DateTime<Utc>>| match level {
        Level::Unit => c.unit_id == id,
        Level::Window => sits_here(Some(owner_at(f, c, t))),
        Level::Staff => owner_at(f, c, t) == id,
    };
    let mine_p = |p: &problem::Model| match level {
        Level::Unit => p.unit_id == Some(id),
        Level::Window => match p.window_id {
            Some(w) => w == id,
            None => sits_here(p.staff_id),
        },
        Level::Staff => p.staff_id == Some(id),
    };
    let decided: Vec<_> = f
        .cases
        .iter()
        .filter(|c| case_of(c, c.decided_at) && within(c.decided_at, ctx, first, end))
        .collect();
    let on_time = decided
        .iter()
        .filter(|c| match (c.decided_at, c.due_at) {
            (Some(d), Some(due)) => d <= due,
            _ => true,
        })
        .count() as u64;
    // A case past its due and still undecided is late already: it counts against the period
    // its due fell in (else deciding a late case would lower the score, leaving it raise none).
    let late_open = f
        .cases
        .iter()
        .filter(|c| case_of(c, c.due_at) && c.decided_at.is_none() && still_followed(c))
        .filter(|c| c.due_at.is_some_and(|due| due < ctx.now) && within(c.due_at, ctx, first, end))
        .count() as u64;
    let received = f
        .cases
        .iter()
        .filter(|c| case_of(c, Some(c.received_at)) && within(Some(c.received_at), ctx, first, end))
        .count() as u64;
    let of_system = |s: FourSystem| {
        f.problems
            .iter()
            .filter(move |p| mine_p(p) && !p.struck)
            .filter(move |p| {
                ProblemKind::from_code(&p.kind).and_then(ProblemKind::system) == Some(s)
            })
    };
    let system = |s: FourSystem| of_system(s).count() as u64;
    // The detector's time-limit problems are the late cases counted above; one a supervisor
    // filed by hand (a patrol, a complaint) is a failure the case data did not show.
    let found_by_hand = of_system(FourSystem::TimeLimit)
        .filter(|p| ProblemSource::from_code(&p.source).is_some_and(ProblemSource::is_manual))
        .count() as u64;
    let served = f
        .tickets
        .iter()
        .filter(|t| match level {
            Level::Unit => t.unit_id == id,
            Level::Window => t.window_id == Some(id),
            Level::Staff => t.served_by == Some(id),
        })
        .count() as u64;
    let rated: Vec<_> = f
        .ratings
        .iter()
        .filter(|r| !r.struck)
        .filter(|r| match level {
            Level::Unit => r.unit_id == id,
            Level::Window => r.window_id == Some(id),
            Level::Staff => r.staff_id == Some(id),
        })
        .collect();
    let points: u64 = rated.iter().map(|r| r.points.max(0) as u64).sum();
    let due: Vec<_> = f
        .items
        .iter()
        .filter(|i| match level {
            Level::Unit => i.unit_id == id,
            Level::Window => sits_here(i.staff_id),
            Level::Staff => i.staff_id == Some(id),
        })
        .filter(|i| first <= i.deadline && i.deadline < end)
        // An item still within its deadline counts neither for nor against.
        .filter(|i| i.deadline < ctx.today() || i.status == RectificationStatus::Closed)
        .collect();
    let closed_in_time = due
        .iter()
        .filter(|i| {
            i.status == RectificationStatus::Closed && i.closed_on.is_some_and(|d| d <= i.deadline)
        })
        .count() as u64;
    // 首问负责: the inquiries taken here, by whoever took them (a referral does not move one).
    let taken = f
        .inquiries
        .iter()
        .filter(|q| match level {
            Level::Unit => q.unit_id == id,
            Level::Window => sits_here(Some(q.owner_id)),
            Level::Staff => q.owner_id == id,
        })
        .count() as u64;
    ScoreInputs {
        on_time: Ratio::new(on_time, decided.len() as u64 + late_open).less(found_by_hand),
        one_time: Ratio::less_failures(received, system(FourSystem::OneTimeNotice)),
        extended: Ratio::less_failures(served, system(FourSystem::ExtendedService)),
        ratings: ScoreInputs::ratings_ratio(rated.len() as u64, points),
        rectification: Ratio::new(closed_in_time, due.len() as u64),
        first_inquiry: Ratio::less_failures(taken, system(FourSystem::FirstInquiry)),
    }
}

/// Scores of every active unit (`level = unit`), active window (`window`) or staff member with
/// a unit (`staff`).
pub async fn scores(
    ctx: &Ctx,
    level: Option<&str>,
    period_text: Option<&str>,
) -> AppResult<Vec<ScoreRow>> {
    let (first, end) = period(ctx, period_text)?;
    let level = Level::parse(level)?;
    let db = ctx.conn();
    let from = ctx.to_utc(first.and_hms_opt(0, 0, 0).expect("midnight"))?;
    let to = ctx.to_utc(end.and_hms_opt(0, 0, 0).expect("midnight"))?;
    // Handovers are rare: all of them, for staff and window scores.
    let mut handovers = BTreeMap::<i64, Vec<case_handover::Model>>::new();
    let mut seated = BTreeMap::<i64, BTreeSet<i64>>::new();
    if matches!(level, Level::Window) {
        for s in staff_window::Entity::find().all(db).await? {
            seated.entry(s.window_id).or_default().insert(s.staff_id);
        }
    }
    if matches!(level, Level::Staff | Level::Window) {
        let rows = case_handover::Entity::find()
            .order_by_asc(case_handover::Column::Id)
            .all(db)
            .await?;
        for h in rows {
            handovers.entry(h.case_id).or_default().push(h);
        }
    }
    let facts = Facts {
        handovers,
        seated,
        cases: cases::Entity::find()
            .filter(
                cases::Column::ReceivedAt
                    .gte(from)
                    .and(cases::Column::ReceivedAt.lt(to))
                    .or(cases::Column::DecidedAt
                        .gte(from)
                        .and(cases::Column::DecidedAt.lt(to)))
                    .or(cases::Column::DecidedAt
                        .is_null()
                        .and(cases::Column::DueAt.gte(from))
                        .and(cases::Column::DueAt.lt(to))),
            )
            .all(db)
            .await?,
        tickets: queue_ticket::Entity::find()
            .filter(queue_ticket::Column::Day.gte(first))
            .filter(queue_ticket::Column::Day.lt(end))
            .filter(queue_ticket::Column::Status.eq(TicketStatus::Done))
            .all(db)
            .await?,
        problems: problem::Entity::find()
            .filter(problem::Column::FoundOn.gte(first))
            .filter(problem::Column::FoundOn.lt(end))
            .all(db)
            .await?,
        ratings: rating::Entity::find()
            .filter(rating::Column::RatedOn.gte(first))
            .filter(rating::Column::RatedOn.lt(end))
            .all(db)
            .await?,
        items: rectification::Entity::find()
            .filter(rectification::Column::Deadline.gte(first))
            .filter(rectification::Column::Deadline.lt(end))
            .filter(rectification::Column::Status.ne(RectificationStatus::Withdrawn))
            .all(db)
            .await?,
        inquiries: inquiry::Entity::find()
            .filter(inquiry::Column::CreatedAt.gte(from))
            .filter(inquiry::Column::CreatedAt.lt(to))
            .all(db)
            .await?,
    };
    // The hall's weights (setting `score_weights`), checked at start-up to sum to 100.
    let weights = ctx.settings.score_weights;
    let subjects: Vec<(i64, String)> = match level {
        Level::Unit => unit::Entity::find()
            .filter(unit::Column::Active.eq(true))
            .order_by_asc(unit::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect(),
        Level::Window => window::Entity::find()
            .filter(window::Column::Active.eq(true))
            .order_by_asc(window::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|w| match w.name {
                Some(name) => (w.id, format!("{} {name}", w.number)),
                None => (w.id, w.number),
            })
            .collect(),
        Level::Staff => staff::Entity::find()
            .filter(staff::Column::Active.eq(true))
            .filter(staff::Column::UnitId.is_not_null())
            .order_by_asc(staff::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect(),
    };
    Ok(subjects
        .into_iter()
        .map(|(id, name)| ScoreRow {
            level: level.code().into(),
            id,
            name,
            breakdown: inputs(&facts, ctx, level, id, first, end).score(weights),
        })
        .collect())
}
