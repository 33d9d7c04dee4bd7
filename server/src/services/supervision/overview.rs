//! 日监控: the supervisor's overview — today's figures and the trends behind the charts, each
//! with the link to the list it is counted from.

use std::collections::BTreeMap;

use app::api::supervision::{Bar, CenterQueue, DecidedCase, DecidedDay, Overview, RateBar};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rules::StatusThresholds;
use rules::supervision::{
    ProblemKind, RatingLevel, SUBMISSION_REMIND_FROM_DAY, SubmissionState, follow_up_rate,
};
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};

use super::{monthly, unit_name};
use crate::{
    error::AppResult,
    services::Ctx,
    store::{
        columns::{AppealStatus, RectificationStatus as S, TicketStatus},
        entities::{
            appointment_slot, cases, problem, queue_ticket, rating, rating_appeal, rectification,
            service_center, service_item, slot_duty,
        },
    },
};

/// Days of the on-time trend.
const TREND_DAYS: i64 = 14;

pub async fn overview(ctx: &Ctx) -> AppResult<Overview> {
    let db = ctx.conn();
    let today = ctx.today();
    let pending = [S::Open, S::Reported, S::Reopened];
    let pending_rectifications = rectification::Entity::find()
        .filter(rectification::Column::Status.is_in(pending))
        .count(db)
        .await?;
    let overdue_rectifications = rectification::Entity::find()
        .filter(rectification::Column::Status.is_in(pending))
        .filter(rectification::Column::Deadline.lt(today))
        .count(db)
        .await?;
    let pending_appeals = rating_appeal::Entity::find()
        .filter(rating_appeal::Column::Status.eq(AppealStatus::Pending))
        .count(db)
        .await?;
    let undecided = cases::Entity::find().filter(cases::Column::DecidedAt.is_null());
    let cases_overdue = undecided
        .clone()
        .filter(cases::Column::DueAt.lt(ctx.now))
        .count(db)
        .await?;
    // Near due by the cases' own rule: due within the next two working days (a Friday's
    // "within 48 hours" had missed Monday and Tuesday's cases, or a holiday's).
    let last = StatusThresholds::default().near_due_through(today, &ctx.calendar.provisional())?;
    let until = ctx.to_utc((last + Duration::days(1)).and_time(chrono::NaiveTime::MIN))?;
    let cases_near_due = undecided
        .filter(cases::Column::DueAt.gte(ctx.now))
        .filter(cases::Column::DueAt.lt(until))
        .count(db)
        .await?;
    let queues = queues(ctx, today).await?;
    let waiting_tickets = queues.iter().map(|q| q.view.waiting).sum();
    let called: usize = queues.iter().map(|q| q.called).sum();
    let mean_wait_minutes = if called == 0 {
        0.0
    } else {
        let total: f64 = queues.iter().map(|q| q.wait_total).sum();
        round1(total / called as f64)
    };
    let slots: Vec<i64> = appointment_slot::Entity::find()
        .select_only()
        .column(appointment_slot::Column::Id)
        .filter(appointment_slot::Column::Day.eq(today))
        .into_tuple()
        .all(db)
        .await?;
    let duties = slot_duty::Entity::find()
        .filter(slot_duty::Column::SlotId.is_in(slots))
        .all(db)
        .await?;
    let month_start = today.with_day(1).expect("day 1");
    let (problems_by_kind, problems_by_unit) = problems_by(ctx, month_start).await?;
    let (ratings, follow_up_rate, bad_ratings) = ratings(ctx, month_start).await?;
    Ok(Overview {
        today,
        open_problems: pending_rectifications,
        pending_rectifications,
        overdue_rectifications,
        cases_overdue,
        cases_near_due,
        waiting_tickets,
        mean_wait_minutes,
        duty_checked_in: duties.iter().filter(|d| d.checked_in_at.is_some()).count() as u64,
        duty_expected: duties.len() as u64,
        queues: queues.into_iter().map(|q| q.view).collect(),
        on_time_trend: on_time_trend(ctx, today).await?,
        problems_by_kind,
        problems_by_unit,
        ratings,
        follow_up_rate,
        bad_ratings,
        monthly_reminder: reminder(ctx, today).await?,
        pending_appeals,
    })
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A center's queue with the sums its hall-wide figures are made of.
struct QueueFigures {
    view: CenterQueue,
    called: usize,
    wait_total: f64,
}

/// Today's queues per center: the waiting tickets (and how long the first has waited) and the
/// waits of the tickets called so far. Only today's tickets are read (a hall's day).
async fn queues(ctx: &Ctx, today: NaiveDate) -> AppResult<Vec<QueueFigures>> {
    type Row = (i64, DateTime<Utc>, Option<DateTime<Utc>>, TicketStatus);
    let rows: Vec<Row> = queue_ticket::Entity::find()
        .select_only()
        .columns([
            queue_ticket::Column::CenterId,
            queue_ticket::Column::IssuedAt,
            queue_ticket::Column::CalledAt,
            queue_ticket::Column::Status,
        ])
        .filter(queue_ticket::Column::Day.eq(today))
        .into_tuple()
        .all(ctx.conn())
        .await?;
    let centers: Vec<(i64, String)> = service_center::Entity::find()
        .select_only()
        .columns([service_center::Column::Id, service_center::Column::Name])
        .filter(service_center::Column::Active.eq(true))
        .order_by_asc(service_center::Column::Id)
        .into_tuple()
        .all(ctx.conn())
        .await?;
    let minutes = |from: DateTime<Utc>, to: DateTime<Utc>| (to - from).num_seconds() as f64 / 60.0;
    Ok(centers
        .into_iter()
        .map(|(center_id, center_name)| {
            let mine = rows.iter().filter(|r| r.0 == center_id);
            let waits: Vec<f64> = mine
                .clone()
                .filter_map(|(_, issued, called, _)| called.map(|c| minutes(*issued, c)))
                .collect();
            let waiting: Vec<f64> = mine
                .filter(|r| r.3 == TicketStatus::Waiting)
                .map(|(_, issued, _, _)| minutes(*issued, ctx.now).max(0.0))
                .collect();
            let wait_total: f64 = waits.iter().sum();
            QueueFigures {
                view: CenterQueue {
                    center_id,
                    center_name,
                    waiting: waiting.len() as u64,
                    mean_wait_minutes: if waits.is_empty() {
                        0.0
                    } else {
                        round1(wait_total / waits.len() as f64)
                    },
                    longest_wait_minutes: round1(waiting.iter().copied().fold(0.0, f64::max)),
                },
                called: waits.len(),
                wait_total,
            }
        })
        .collect())
}

/// The on-time rate per day of the last 14 days: each day counted by the database from the
/// index on (decided_at, due_at), so that no case row is read (1,000,000 cases: bench/overview).
async fn on_time_trend(ctx: &Ctx, today: NaiveDate) -> AppResult<Vec<RateBar>> {
    let first = today - Duration::days(TREND_DAYS - 1);
    let mut out = Vec::with_capacity(TREND_DAYS as usize);
    for i in 0..TREND_DAYS {
        let day = first + Duration::days(i);
        let (from, to) = day_bounds(ctx, day)?;
        let counted: Option<(i64, Option<i64>)> = cases::Entity::find()
            .select_only()
            .column_as(Expr::cust("COUNT(*)"), "decided")
            .column_as(
                Expr::cust(
                    "SUM(CASE WHEN due_at IS NULL OR decided_at <= due_at THEN 1 ELSE 0 END)",
                ),
                "on_time",
            )
            .filter(cases::Column::DecidedAt.gte(from))
            .filter(cases::Column::DecidedAt.lt(to))
            .into_tuple()
            .one(ctx.conn())
            .await?;
        let (all, good) = counted.map_or((0, 0), |(a, g)| (a, g.unwrap_or(0)));
        // Nothing decided is no rate at all: a quiet day is not a perfect one.
        let rate = (all > 0).then(|| good as f64 * 100.0 / all as f64);
        out.push(RateBar {
            key: day.to_string(),
            label: format!("{}/{}", day.month(), day.day()),
            value: rate.map(|r| (r * 10.0).round() / 10.0),
            decided: all.max(0) as u64,
            link: format!("/supervisor/decided?day={day}"),
        });
    }
    Ok(out)
}

/// This month's problems (struck ones left out) by kind and by unit, counted by the database.
async fn problems_by(ctx: &Ctx, since: NaiveDate) -> AppResult<(Vec<Bar>, Vec<Bar>)> {
    let rows: Vec<(String, Option<i64>, i64)> = problem::Entity::find()
        .select_only()
        .columns([problem::Column::Kind, problem::Column::UnitId])
        .column_as(problem::Column::Id.count(), "n")
        .filter(problem::Column::FoundOn.gte(since))
        .filter(problem::Column::Struck.eq(false))
        .group_by(problem::Column::Kind)
        .group_by(problem::Column::UnitId)
        .into_tuple()
        .all(ctx.conn())
        .await?;
    let mut kinds: BTreeMap<&str, i64> = BTreeMap::new();
    let mut units: BTreeMap<i64, i64> = BTreeMap::new();
    for (k, u, n) in &rows {
        *kinds.entry(k.as_str()).or_default() += n;
        if let Some(u) = u {
            *units.entry(*u).or_default() += n;
        }
    }
    let by_kind = ProblemKind::ALL
        .iter()
        .filter_map(|k| {
            kinds.get(k.code()).map(|n| Bar {
                key: k.code().into(),
                label: k.label_zh().into(),
                value: *n as f64,
                link: format!("/supervisor/problems?kind={}", k.code()),
            })
        })
        .collect();
    let mut by_unit = Vec::new();
    for (u, n) in units {
        by_unit.push(Bar {
            key: u.to_string(),
            label: unit_name(ctx.conn(), u).await?,
            value: n as f64,
            link: format!("/supervisor/problems?unit_id={u}"),
        });
    }
    by_unit.sort_by(|a, b| b.value.total_cmp(&a.value));
    Ok((by_kind, by_unit))
}

/// This month's ratings per level, the follow-up rate of its bad ones and how many there are,
/// counted by the database.
async fn ratings(ctx: &Ctx, since: NaiveDate) -> AppResult<(Vec<Bar>, f64, u64)> {
    let rows: Vec<(String, i64, i64)> = rating::Entity::find()
        .select_only()
        .column(rating::Column::Level)
        .column_as(rating::Column::Id.count(), "n")
        .column_as(rating::Column::FollowUpAt.count(), "followed")
        .filter(rating::Column::RatedOn.gte(since))
        .filter(rating::Column::Struck.eq(false))
        .group_by(rating::Column::Level)
        .into_tuple()
        .all(ctx.conn())
        .await?;
    let bad_rows = || {
        rows.iter().filter(|(l, _, _)| {
            RatingLevel::from_code(l).is_some_and(RatingLevel::opens_rectification)
        })
    };
    let bad = bad_rows().map(|r| r.1 as u64).sum();
    let followed = bad_rows().map(|r| r.2 as u64).sum();
    let bars = RatingLevel::ALL
        .iter()
        .map(|l| Bar {
            key: l.code().into(),
            label: l.label_zh().into(),
            // Folded from +0: an empty `sum()` of floats is -0, which reads “-0次”.
            value: rows
                .iter()
                .filter(|(c, _, _)| c == l.code())
                .fold(0.0, |n, r| n + r.1 as f64),
            link: format!("/supervisor/ratings?level={}", l.code()),
        })
        .collect();
    Ok((bars, follow_up_rate(followed, bad).percent(), bad))
}

async fn reminder(ctx: &Ctx, today: NaiveDate) -> AppResult<Option<String>> {
    if today.day() < SUBMISSION_REMIND_FROM_DAY {
        return Ok(None);
    }
    // Only the units' submissions: the month's rows are not needed for the reminder.
    let units = monthly::submissions(ctx, today.with_day(1).expect("day 1")).await?;
    let waiting = units
        .iter()
        .filter(|u| u.state == SubmissionState::Remind)
        .count();
    let late = units
        .iter()
        .filter(|u| u.state == SubmissionState::Late)
        .count();
    Ok(match (waiting, late) {
        (0, 0) => None,
        (w, 0) => Some(format!(
            "{w} 个单位尚未报送本月整改清单月报表（每月22日前报送）"
        )),
        (_, l) => Some(format!("{l} 个单位逾期未报送本月整改清单月报表")),
    })
}

/// The cases behind one bar of the on-time trend: every case decided that day (halls' time),
/// counted in full, the late ones listed first (at most `DecidedDay::LIMIT`).
pub async fn decided_day(ctx: &Ctx, day: NaiveDate) -> AppResult<DecidedDay> {
    let (from, to) = day_bounds(ctx, day)?;
    type Row = (
        i64,
        String,
        String,
        i64,
        DateTime<Utc>,
        Option<DateTime<Utc>>,
    );
    let mut rows: Vec<Row> = cases::Entity::find()
        .select_only()
        .columns([
            cases::Column::Id,
            cases::Column::Number,
            cases::Column::ItemCode,
            cases::Column::UnitId,
            cases::Column::DecidedAt,
            cases::Column::DueAt,
        ])
        .filter(cases::Column::DecidedAt.gte(from))
        .filter(cases::Column::DecidedAt.lt(to))
        .order_by_asc(cases::Column::DecidedAt)
        .into_tuple()
        .all(ctx.conn())
        .await?;
    let on_time = |r: &Row| r.5.is_none_or(|due| r.4 <= due);
    let decided = rows.len() as u64;
    let punctual = rows.iter().filter(|r| on_time(r)).count() as u64;
    // Late ones first, each group in order of decision (a stable sort keeps that order).
    rows.sort_by_key(|r| on_time(r));
    rows.truncate(DecidedDay::LIMIT as usize);
    let mut items: BTreeMap<String, String> = BTreeMap::new();
    let mut units: BTreeMap<i64, String> = BTreeMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        if !items.contains_key(&r.2) {
            let name = service_item::Entity::find_by_id(r.2.clone())
                .one(ctx.conn())
                .await?
                .map(|i| i.name)
                .unwrap_or_else(|| r.2.clone());
            items.insert(r.2.clone(), name);
        }
        if let std::collections::btree_map::Entry::Vacant(e) = units.entry(r.3) {
            e.insert(unit_name(ctx.conn(), r.3).await?);
        }
        out.push(DecidedCase {
            on_time: on_time(&r),
            item_name: items[&r.2].clone(),
            unit_name: units[&r.3].clone(),
            id: r.0,
            number: r.1,
            decided_at: r.4,
            due_at: r.5,
        });
    }
    Ok(DecidedDay {
        day,
        decided,
        on_time: punctual,
        cases: out,
    })
}

/// A local day as the UTC instants it runs between.
fn day_bounds(ctx: &Ctx, day: NaiveDate) -> AppResult<(DateTime<Utc>, DateTime<Utc>)> {
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight");
    Ok((
        ctx.to_utc(midnight(day))?,
        ctx.to_utc(midnight(day + Duration::days(1)))?,
    ))
}
