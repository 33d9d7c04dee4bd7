//! The official work calendar (`WorkCalendar`) as stored: seeded from the State Council notices
//! shipped with the product, extended by administrators year by year, every change audited.
//!
//! The computed calendar is cached per instance and rebuilt when the stored years change; the
//! check is one small query, made at most every few seconds and at once after an edit announced
//! by any instance ([`CalendarCache`]).

use std::sync::Arc;

use app::api::calendar::{CalendarYearInput, CalendarYearView, HolidayEntry, MakeupEntry};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use tokio::sync::RwLock;

use super::{
    Ctx,
    audit::{self, Change, snapshot},
};
use crate::{
    error::{AppError, AppResult},
    store::{
        Db,
        cache::{self, TtlCache},
        entities::{calendar_day, calendar_year},
    },
};

/// The audit entity of calendar changes.
const CALENDAR_ENTITY: &str = "calendar_year";
const HOLIDAY: &str = "holiday";
const WORKDAY: &str = "workday";

/// Which stored state a cached calendar was built from.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
struct Stamp {
    years: i64,
    latest: Option<DateTime<Utc>>,
}

/// The computed calendar of one instance. It is trusted for a few seconds after a check; an
/// administrator's change forgets it at once on every instance (`store::cache`); past that, the
/// stamp query tells whether the stored years changed (another process, a lost announcement).
pub struct CalendarCache {
    checked: TtlCache<(), Arc<rules::WorkCalendar>>,
    inner: RwLock<Option<(Stamp, Arc<rules::WorkCalendar>)>>,
}

impl CalendarCache {
    pub fn new(db: &Db) -> Arc<Self> {
        let cache = Arc::new(Self {
            checked: TtlCache::new(cache::TTL),
            inner: RwLock::new(None),
        });
        let forget = cache.clone();
        db.changes.listen(&[CALENDAR_ENTITY], move |what| {
            if what == cache::EVERYTHING || what == CALENDAR_ENTITY {
                forget.checked.clear();
            }
        });
        cache
    }

    /// The calendar as stored now.
    pub async fn get<C: ConnectionTrait>(&self, db: &C) -> AppResult<Arc<rules::WorkCalendar>> {
        if let Some(calendar) = self.checked.get(&()) {
            return Ok(calendar);
        }
        let began = self.checked.begin();
        let stamp = stamp(db).await?;
        let cached = match self.inner.read().await.as_ref() {
            Some((at, calendar)) if *at == stamp => Some(calendar.clone()),
            _ => None,
        };
        let calendar = match cached {
            Some(calendar) => calendar,
            None => {
                let calendar = Arc::new(load(db).await?);
                *self.inner.write().await = Some((stamp, calendar.clone()));
                calendar
            }
        };
        self.checked.put((), calendar.clone(), began);
        Ok(calendar)
    }
}

async fn stamp<C: ConnectionTrait>(db: &C) -> AppResult<Stamp> {
    let row = calendar_year::Entity::find()
        .select_only()
        .column_as(Expr::col(calendar_year::Column::Year).count(), "years")
        .column_as(Expr::col(calendar_year::Column::UpdatedAt).max(), "latest")
        .into_model::<Stamp>()
        .one(db)
        .await?;
    Ok(row.unwrap_or(Stamp {
        years: 0,
        latest: None,
    }))
}

/// Builds the `WorkCalendar` from the stored years.
pub async fn load<C: ConnectionTrait>(db: &C) -> AppResult<rules::WorkCalendar> {
    let views = all_years(db).await?;
    rules::WorkCalendar::new(views.iter().map(CalendarYearView::to_arrangement))
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored calendar is invalid: {e:?}")))
}

fn view(year: &calendar_year::Model, days: &[calendar_day::Model]) -> CalendarYearView {
    CalendarYearView {
        year: year.year,
        source: year.source.clone(),
        holidays: days
            .iter()
            .filter(|d| d.kind == HOLIDAY)
            .map(|d| HolidayEntry {
                date: d.date,
                name: d.name.clone(),
                part_of_run: d.part_of_run,
            })
            .collect(),
        makeup_workdays: days
            .iter()
            .filter(|d| d.kind == WORKDAY)
            .map(|d| MakeupEntry {
                date: d.date,
                name: d.name.clone(),
            })
            .collect(),
    }
}

pub async fn all_years<C: ConnectionTrait>(db: &C) -> AppResult<Vec<CalendarYearView>> {
    let years = calendar_year::Entity::find()
        .order_by_asc(calendar_year::Column::Year)
        .all(db)
        .await?;
    let days = calendar_day::Entity::find()
        .order_by_asc(calendar_day::Column::Date)
        .all(db)
        .await?;
    Ok(years
        .iter()
        .map(|y| {
            let of_year: Vec<_> = days.iter().filter(|d| d.year == y.year).cloned().collect();
            view(y, &of_year)
        })
        .collect())
}

pub async fn year_numbers<C: ConnectionTrait>(db: &C) -> AppResult<Vec<i32>> {
    Ok(calendar_year::Entity::find()
        .order_by_asc(calendar_year::Column::Year)
        .all(db)
        .await?
        .into_iter()
        .map(|y| y.year)
        .collect())
}

pub async fn get_year<C: ConnectionTrait>(db: &C, year: i32) -> AppResult<CalendarYearView> {
    let row = calendar_year::Entity::find_by_id(year)
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::missing(
                "calendar_year_unknown",
                format!("尚未录入 {year} 年的节假日安排"),
            )
        })?;
    let days = calendar_day::Entity::find()
        .filter(calendar_day::Column::Year.eq(year))
        .order_by_asc(calendar_day::Column::Date)
        .all(db)
        .await?;
    Ok(view(&row, &days))
}

/// Checks an arrangement with the rules and turns the first problems into one 422.
fn validated(year: i32, input: &CalendarYearInput) -> AppResult<rules::YearArrangement> {
    if !(2000..=2100).contains(&year) {
        return Err(AppError::bad_request(
            "invalid_year",
            "年份须在 2000–2100 之间",
        ));
    }
    let arrangement = input.to_arrangement(year);
    if let Err(issues) = rules::validate_announced_year(&arrangement) {
        let first = &issues[0];
        let all: Vec<String> = issues.iter().map(|i| i.to_string()).collect();
        return Err(AppError::invalid(first.code(), all.join("；"))
            .with_field(issue_field(&arrangement, first)));
    }
    Ok(arrangement)
}

/// Names the list an issue is about (`holidays` or `makeup_workdays`) with the entry's index.
fn issue_field(arrangement: &rules::YearArrangement, issue: &rules::CalendarIssue) -> String {
    let date = issue.date();
    if let Some(i) = arrangement
        .holidays
        .iter()
        .position(|h| Some(h.date) == date)
    {
        return format!("holidays[{i}]");
    }
    if let Some(i) = arrangement
        .makeup_workdays
        .iter()
        .position(|m| Some(m.date) == date)
    {
        return format!("makeup_workdays[{i}]");
    }
    "holidays".into()
}

async fn write_year<C: ConnectionTrait>(
    txn: &C,
    arrangement: &rules::YearArrangement,
    source: &str,
    actor: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let year = arrangement.year;
    calendar_day::Entity::delete_many()
        .filter(calendar_day::Column::Year.eq(year))
        .exec(txn)
        .await?;
    match calendar_year::Entity::find_by_id(year).one(txn).await? {
        Some(existing) => {
            let mut model: calendar_year::ActiveModel = existing.into();
            model.source = Set(source.to_string());
            model.updated_at = Set(now);
            model.updated_by = Set(actor);
            model.update(txn).await?;
        }
        None => {
            calendar_year::ActiveModel {
                year: Set(year),
                source: Set(source.to_string()),
                updated_at: Set(now),
                updated_by: Set(actor),
            }
            .insert(txn)
            .await?;
        }
    }
    let holidays = arrangement
        .holidays
        .iter()
        .map(|h| (h.date, HOLIDAY, h.name.clone(), h.part_of_run));
    let makeups = arrangement
        .makeup_workdays
        .iter()
        .map(|m| (m.date, WORKDAY, m.name.clone(), false));
    let rows: Vec<calendar_day::ActiveModel> = holidays
        .chain(makeups)
        .map(
            |(date, kind, name, part_of_run)| calendar_day::ActiveModel {
                date: Set(date),
                year: Set(year),
                kind: Set(kind.to_string()),
                name: Set(name),
                part_of_run: Set(part_of_run),
            },
        )
        .collect();
    if !rows.is_empty() {
        calendar_day::Entity::insert_many(rows).exec(txn).await?;
    }
    Ok(())
}

/// Stores the shipped years that the database does not hold yet. Years an administrator has
/// entered or replaced are never overwritten.
pub async fn seed_shipped(db: &Db, now: DateTime<Utc>) -> AppResult<()> {
    let held = year_numbers(&db.conn).await?;
    let missing: Vec<rules::YearArrangement> = rules::shipped_years()
        .into_iter()
        .filter(|y| !held.contains(&y.year))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    db.write(move |txn| {
        Box::pin(async move {
            for arrangement in &missing {
                // Another instance may have seeded meanwhile.
                if calendar_year::Entity::find_by_id(arrangement.year)
                    .one(txn)
                    .await?
                    .is_some()
                {
                    continue;
                }
                write_year(txn, arrangement, "shipped", None, now).await?;
                audit::record(
                    txn,
                    now,
                    Change {
                        actor_id: None,
                        action: "calendar.seed_year",
                        entity: CALENDAR_ENTITY,
                        entity_id: arrangement.year.to_string(),
                        before: None,
                        after: snapshot(&get_year(txn, arrangement.year).await?),
                    },
                )
                .await?;
            }
            Ok(())
        })
    })
    .await
}

/// Adds or replaces a year (Admin) and, in the same transaction, recomputes every provisional
/// (「暂定」) due date with the published year. Returns the stored year.
pub async fn replace_year(
    ctx: &Ctx,
    actor: i64,
    year: i32,
    input: CalendarYearInput,
) -> AppResult<CalendarYearView> {
    let now = ctx.now;
    let arrangement = validated(year, &input)?;
    ctx.write(move |txn, mut ctx| {
        Box::pin(async move {
            let before = match calendar_year::Entity::find_by_id(year).one(txn).await? {
                Some(_) => Some(get_year(txn, year).await?),
                None => None,
            };
            // A year gone by is history: every case of it was counted by it.
            if before.is_some() && year < chrono::Datelike::year(&ctx.today()) {
                return Err(AppError::conflict(
                    "calendar_year_past",
                    format!("{year}年已经过去，其节假日安排不能再修改"),
                ));
            }
            // Days gone by and today were counted by the arrangement in force.
            let today = ctx.today();
            if let Some(day) = ctx
                .calendar
                .first_past_day_rewritten(&arrangement, today)
                .map_err(|e| AppError::internal(anyhow::anyhow!("calendar: {e}")))?
            {
                return Err(AppError::conflict(
                    "calendar_day_past",
                    // Saving replaces the whole year: an admin who pasted one new holiday was
                    // told of 1月1日, a day they never touched.
                    format!(
                        "保存将以所填内容替换{year}年全年安排，而{}已经过去（或就是今天），\
                         已按原安排计算办理期限，不能再改为其他类型。请先将该年度现有安排\
                         “载入到右侧编辑”，在其基础上只调整今后的日期",
                        day.format("%Y年%-m月%-d日")
                    ),
                )
                .with_field("holidays"));
            }
            write_year(txn, &arrangement, "admin", Some(actor), now).await?;
            let after = get_year(txn, year).await?;
            ctx.calendar = Arc::new(load(txn).await?);
            super::cases::recompute_year(txn, &ctx, actor, year).await?;
            audit::record(
                txn,
                now,
                Change {
                    actor_id: Some(actor),
                    action: "calendar.replace_year",
                    entity: CALENDAR_ENTITY,
                    entity_id: year.to_string(),
                    before: before.as_ref().and_then(snapshot),
                    after: snapshot(&after),
                },
            )
            .await?;
            Ok(after)
        })
    })
    .await
}
