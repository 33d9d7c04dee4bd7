//! 月通报: a month's bulletin per unit (Seed §三(三) 日监控、周巡查、月通报): the on-time rate of
//! the month's cases (decided on time in it, or gone overdue in it), the problems found by
//! kind, the rectification list's status (已销号 / 整改中 / 逾期, as in attachment 1) and the
//! ratings (per level, 满意率, 回访率).
//!
//! Every figure is counted by the database (GROUP BY unit), no row is read one by one.

use std::collections::BTreeMap;

use app::api::{
    Role,
    supervision::{Bulletin, BulletinCount, UnitBulletin},
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rules::supervision::{ProblemKind, RatingLevel, Ratio, follow_up_rate, satisfaction_rate};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, Query},
};

use super::{can_read_unit, monthly::parse_month};
use crate::{
    error::{AppError, AppResult},
    services::{Ctx, Principal},
    store::{
        columns::RectificationStatus as S,
        entities::{cases, problem, rating, rectification, unit},
    },
};

/// The bulletin of `month` for `unit_id`, or for every active unit with the hall's total.
/// Supervisors read any unit's; a unit's clerks and chief representative read their own unit's
/// (asked without a unit, theirs).
pub async fn bulletin(
    ctx: &Ctx,
    p: &Principal,
    month: &str,
    unit_id: Option<i64>,
) -> AppResult<Bulletin> {
    let unit_id = if p.has(Role::Supervisor) {
        unit_id
    } else {
        let own = unit_id.or(p.unit_id);
        if !can_read_unit(p, own) {
            return Err(AppError::not_here("other_unit", "只能查看本单位的月通报"));
        }
        own
    };
    let (first, last) = parse_month(month)?;
    let today = ctx.today();
    if first > today {
        return Err(AppError::invalid("month_in_future", "该月份尚未开始").with_field("month"));
    }
    let as_of = last.min(today);
    let db = ctx.conn();
    let units: Vec<(i64, String)> = match unit_id {
        Some(id) => {
            let u = unit::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::not_found("单位"))?;
            vec![(u.id, u.name)]
        }
        None => unit::Entity::find()
            .filter(unit::Column::Active.eq(true))
            .order_by_asc(unit::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect(),
    };
    let counts = Counts::load(ctx, unit_id, first, last, as_of).await?;
    let rows: Vec<UnitBulletin> = units
        .iter()
        .map(|(id, name)| counts.of(Some(*id), name.clone()))
        .collect();
    let total = unit_id
        .is_none()
        .then(|| counts.of(None, "全部单位合计".into()));
    Ok(Bulletin {
        month: format!("{:04}-{:02}", first.year(), first.month()),
        title: format!(
            "政务服务“四项制度”落实情况月通报（{}年{}月）",
            first.year(),
            first.month()
        ),
        as_of,
        units: rows,
        total,
    })
}

/// The month's counts per unit, each as the database grouped it.
#[derive(Default)]
struct Counts {
    /// unit → (counted: on time + late, on time).
    cases: BTreeMap<i64, (u64, u64)>,
    /// (unit, kind) → problems.
    problems: BTreeMap<(i64, String), u64>,
    /// unit → (items, closed, overdue).
    items: BTreeMap<i64, (u64, u64, u64)>,
    /// (unit, level) → (ratings, followed up).
    ratings: BTreeMap<(i64, String), (u64, u64)>,
}

fn n(v: i64) -> u64 {
    v.max(0) as u64
}

impl Counts {
    async fn load(
        ctx: &Ctx,
        unit_id: Option<i64>,
        first: NaiveDate,
        last: NaiveDate,
        as_of: NaiveDate,
    ) -> AppResult<Counts> {
        let db = ctx.conn();
        let mut out = Counts::default();
        let (from, to) = month_bounds(ctx, first, last)?;

        // A case counts once, in one month, so that a published month never changes: decided on
        // time, in the month of the decision; late, in the month its due passed, whether it was
        // decided later or not yet (deciding an overdue case the next month moved it out of the
        // month it went overdue in, and that month's rate rose to 100 %).
        let mut q = cases::Entity::find()
            .select_only()
            .column(cases::Column::UnitId)
            .column_as(cases::Column::Id.count(), "on_time")
            .filter(cases::Column::DecidedAt.gte(from))
            .filter(cases::Column::DecidedAt.lt(to))
            .filter(
                Condition::any()
                    .add(cases::Column::DueAt.is_null())
                    .add(Expr::col(cases::Column::DecidedAt).lte(Expr::col(cases::Column::DueAt))),
            )
            .group_by(cases::Column::UnitId);
        if let Some(u) = unit_id {
            q = q.filter(cases::Column::UnitId.eq(u));
        }
        let rows: Vec<(i64, i64)> = q.into_tuple().all(db).await?;
        for (u, good) in rows {
            out.cases.insert(u, (n(good), n(good)));
        }
        // Late: the due fell in the month and passed, and the case was decided after it or is
        // still open (withdrawn and other ended cases without a decision do not count).
        let ended = rules::CaseState::ALL
            .into_iter()
            .filter(|s| s.is_terminal())
            .map(|s| s.code());
        let mut q = cases::Entity::find()
            .select_only()
            .column(cases::Column::UnitId)
            .column_as(cases::Column::Id.count(), "late")
            .filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(cases::Column::DecidedAt.is_null())
                            .add(cases::Column::State.is_not_in(ended)),
                    )
                    .add(Expr::col(cases::Column::DecidedAt).gt(Expr::col(cases::Column::DueAt))),
            )
            .filter(cases::Column::DueAt.gte(from))
            .filter(cases::Column::DueAt.lt(to.min(ctx.now)))
            .group_by(cases::Column::UnitId);
        if let Some(u) = unit_id {
            q = q.filter(cases::Column::UnitId.eq(u));
        }
        let rows: Vec<(i64, i64)> = q.into_tuple().all(db).await?;
        for (u, late) in rows {
            out.cases.entry(u).or_default().0 += n(late);
        }

        // Problems found in the month, struck ones left out.
        let mut q = problem::Entity::find()
            .select_only()
            .columns([problem::Column::UnitId, problem::Column::Kind])
            .column_as(problem::Column::Id.count(), "n")
            .filter(problem::Column::FoundOn.gte(first))
            .filter(problem::Column::FoundOn.lte(last))
            .filter(problem::Column::Struck.eq(false))
            .group_by(problem::Column::UnitId)
            .group_by(problem::Column::Kind);
        if let Some(u) = unit_id {
            q = q.filter(problem::Column::UnitId.eq(u));
        }
        let rows: Vec<(Option<i64>, String, i64)> = q.into_tuple().all(db).await?;
        for (u, kind, count) in rows {
            if let Some(u) = u {
                *out.problems.entry((u, kind)).or_default() += n(count);
            }
        }

        // The month's rectification list, as attachment 1 reports it (`monthly_status`): items
        // found in the month or carried over still open at its start, withdrawn ones and those
        // of struck problems left out; closed if closed out by `as_of`, else overdue past the
        // deadline, else in progress.
        let struck = Query::select()
            .column(problem::Column::Id)
            .from(problem::Entity)
            .and_where(problem::Column::Struck.eq(true))
            .to_owned();
        let listed = Condition::all()
            .add(rectification::Column::Status.ne(S::Withdrawn))
            .add(rectification::Column::FoundOn.lte(last))
            .add(
                Condition::any()
                    .add(rectification::Column::FoundOn.gte(first))
                    .add(rectification::Column::ClosedOn.is_null())
                    .add(rectification::Column::ClosedOn.gte(first)),
            )
            .add(rectification::Column::ProblemId.not_in_subquery(struck))
            .add_option(unit_id.map(|u| rectification::Column::UnitId.eq(u)));
        let closed_then = Condition::all()
            .add(rectification::Column::Status.eq(S::Closed))
            .add(rectification::Column::ClosedOn.lte(as_of));
        let grouped = |extra: Condition| {
            rectification::Entity::find()
                .select_only()
                .column(rectification::Column::UnitId)
                .column_as(rectification::Column::Id.count(), "n")
                .filter(listed.clone())
                .filter(extra)
                .group_by(rectification::Column::UnitId)
        };
        let all: Vec<(i64, i64)> = grouped(Condition::all()).into_tuple().all(db).await?;
        let closed: Vec<(i64, i64)> = grouped(closed_then.clone()).into_tuple().all(db).await?;
        let overdue: Vec<(i64, i64)> = grouped(
            Condition::all()
                .add(closed_then.not())
                .add(rectification::Column::Deadline.lt(as_of)),
        )
        .into_tuple()
        .all(db)
        .await?;
        for (u, c) in all {
            out.items.entry(u).or_default().0 = n(c);
        }
        for (u, c) in closed {
            out.items.entry(u).or_default().1 = n(c);
        }
        for (u, c) in overdue {
            out.items.entry(u).or_default().2 = n(c);
        }

        // Ratings given in the month, struck ones left out.
        let mut q = rating::Entity::find()
            .select_only()
            .columns([rating::Column::UnitId, rating::Column::Level])
            .column_as(rating::Column::Id.count(), "n")
            .column_as(rating::Column::FollowUpAt.count(), "followed")
            .filter(rating::Column::RatedOn.gte(first))
            .filter(rating::Column::RatedOn.lte(last))
            .filter(rating::Column::Struck.eq(false))
            .group_by(rating::Column::UnitId)
            .group_by(rating::Column::Level);
        if let Some(u) = unit_id {
            q = q.filter(rating::Column::UnitId.eq(u));
        }
        let rows: Vec<(i64, String, i64, i64)> = q.into_tuple().all(db).await?;
        for (u, level, count, followed) in rows {
            out.ratings.insert((u, level), (n(count), n(followed)));
        }
        Ok(out)
    }

    /// One unit's figures (`None`: every unit's summed).
    fn of(&self, unit: Option<i64>, name: String) -> UnitBulletin {
        let mine = |u: i64| unit.is_none_or(|x| x == u);
        let (decided, on_time) = self
            .cases
            .iter()
            .filter(|(u, _)| mine(**u))
            .fold((0, 0), |(a, b), (_, (x, y))| (a + x, b + y));
        let problems_by_kind: Vec<BulletinCount> = ProblemKind::ALL
            .iter()
            .filter_map(|k| {
                let count: u64 = self
                    .problems
                    .iter()
                    .filter(|((u, code), _)| mine(*u) && code == k.code())
                    .map(|(_, c)| c)
                    .sum();
                (count > 0).then(|| BulletinCount {
                    code: k.code().into(),
                    label: k.label_zh().into(),
                    count,
                })
            })
            .collect();
        let (items, closed, overdue) = self
            .items
            .iter()
            .filter(|(u, _)| mine(**u))
            .fold((0, 0, 0), |(a, b, c), (_, (x, y, z))| (a + x, b + y, c + z));
        let level = |l: RatingLevel| -> (u64, u64) {
            self.ratings
                .iter()
                .filter(|((u, code), _)| mine(*u) && code == l.code())
                .fold((0, 0), |(a, b), (_, (x, y))| (a + x, b + y))
        };
        let ratings_by_level: Vec<BulletinCount> = RatingLevel::ALL
            .iter()
            .map(|l| BulletinCount {
                code: l.code().into(),
                label: l.label_zh().into(),
                count: level(*l).0,
            })
            .collect();
        let rated: u64 = ratings_by_level.iter().map(|c| c.count).sum();
        let bad = RatingLevel::ALL
            .iter()
            .filter(|l| l.opens_rectification())
            .map(|l| level(*l))
            .fold((0, 0), |(a, b), (x, y)| (a + x, b + y));
        let satisfied = rated - bad.0;
        UnitBulletin {
            unit_id: unit,
            unit_name: name,
            decided,
            on_time,
            late: decided - on_time,
            on_time_rate: Ratio::new(on_time, decided).percent(),
            problems: problems_by_kind.iter().map(|c| c.count).sum(),
            problems_by_kind,
            rectifications: items,
            closed,
            in_progress: items.saturating_sub(closed + overdue),
            overdue,
            ratings: rated,
            ratings_by_level,
            satisfied,
            satisfaction_rate: satisfaction_rate(satisfied, rated).percent(),
            bad_ratings: bad.0,
            followed_up: bad.1.min(bad.0),
            follow_up_rate: follow_up_rate(bad.1, bad.0).percent(),
        }
    }
}

/// The month `[first, last]` as the UTC instants it runs between (halls' time).
fn month_bounds(
    ctx: &Ctx,
    first: NaiveDate,
    last: NaiveDate,
) -> AppResult<(DateTime<Utc>, DateTime<Utc>)> {
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight");
    Ok((
        ctx.to_utc(midnight(first))?,
        ctx.to_utc(midnight(last + Duration::days(1)))?,
    ))
}
