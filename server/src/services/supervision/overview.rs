//! 日监控: the supervisor's overview — today's figures and the trends behind the charts, each
//! with the link to the list it is counted from.

use std::collections::BTreeMap;

use app::api::supervision::{Bar, Overview};
use chrono::{Datelike, Duration, NaiveDate};
use rules::supervision::{
    ProblemKind, RatingLevel, SUBMISSION_REMIND_FROM_DAY, SubmissionState, follow_up_rate,
};
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, sea_query::Expr,
};

use super::{monthly, unit_name};
use crate::{
    error::AppResult,
    services::Ctx,
    store::{
        columns::{RectificationStatus as S, TicketStatus},
        entities::{
            appointment_slot, cases, problem, queue_ticket, rating, rectification, slot_duty,
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
    let undecided = cases::Entity::find().filter(cases::Column::DecidedAt.is_null());
    let cases_overdue = undecided
        .clone()
        .filter(cases::Column::DueAt.lt(ctx.now))
        .count(db)
        .await?;
    let cases_near_due = undecided
        .filter(cases::Column::DueAt.gte(ctx.now))
        .filter(cases::Column::DueAt.lt(ctx.now + Duration::days(2)))
        .count(db)
        .await?;
    let waiting_tickets = queue_ticket::Entity::find()
        .filter(queue_ticket::Column::Day.eq(today))
        .filter(queue_ticket::Column::Status.eq(TicketStatus::Waiting))
        .count(db)
        .await?;
    let calls: Vec<(
        chrono::DateTime<chrono::Utc>,
        Option<chrono::DateTime<chrono::Utc>>,
    )> = queue_ticket::Entity::find()
        .select_only()
        .columns([
            queue_ticket::Column::IssuedAt,
            queue_ticket::Column::CalledAt,
        ])
        .filter(queue_ticket::Column::Day.eq(today))
        .filter(queue_ticket::Column::CalledAt.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let waits: Vec<f64> = calls
        .iter()
        .filter_map(|(issued, called)| called.map(|c| (c - *issued).num_seconds() as f64 / 60.0))
        .collect();
    let mean_wait_minutes = if waits.is_empty() {
        0.0
    } else {
        (waits.iter().sum::<f64>() / waits.len() as f64 * 10.0).round() / 10.0
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
    let (ratings, follow_up_rate) = ratings(ctx, month_start).await?;
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
        on_time_trend: on_time_trend(ctx, today).await?,
        problems_by_kind,
        problems_by_unit,
        ratings,
        follow_up_rate,
        monthly_reminder: reminder(ctx, today).await?,
    })
}

/// The on-time rate per day of the last 14 days: each day counted by the database from the
/// index on (decided_at, due_at), so that no case row is read (1,000,000 cases: bench/overview).
async fn on_time_trend(ctx: &Ctx, today: NaiveDate) -> AppResult<Vec<Bar>> {
    let first = today - Duration::days(TREND_DAYS - 1);
    let mut out = Vec::with_capacity(TREND_DAYS as usize);
    for i in 0..TREND_DAYS {
        let day = first + Duration::days(i);
        let from = ctx.to_utc(day.and_hms_opt(0, 0, 0).expect("midnight"))?;
        let to = ctx.to_utc(
            (day + Duration::days(1))
                .and_hms_opt(0, 0, 0)
                .expect("midnight"),
        )?;
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
        let rate = if all == 0 {
            100.0
        } else {
            good as f64 * 100.0 / all as f64
        };
        out.push(Bar {
            key: day.to_string(),
            label: format!("{}/{}", day.month(), day.day()),
            value: (rate * 10.0).round() / 10.0,
            link: "/supervisor".into(),
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

/// This month's ratings per level and the follow-up rate of its bad ones, counted by the
/// database.
async fn ratings(ctx: &Ctx, since: NaiveDate) -> AppResult<(Vec<Bar>, f64)> {
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
            value: rows
                .iter()
                .filter(|(c, _, _)| c == l.code())
                .map(|r| r.1 as f64)
                .sum(),
            link: format!("/supervisor/ratings?level={}", l.code()),
        })
        .collect();
    Ok((bars, follow_up_rate(followed, bad).percent()))
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
