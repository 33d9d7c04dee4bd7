//! 月通报 and the monthly report of attachment 1 (《“四项制度”问题整改清单月报表》): the rows
//! (序号, 单位, 问题来源, 发现时间, 问题描述, 责任人, 整改措施, 整改时限, 整改情况, 备注), the
//! units' submissions before the 22nd, and the XLSX export (A4 landscape).

use std::collections::HashMap;

use app::api::supervision::{
    ExportJobView, ExportState, MonthlyReport, MonthlyRow, UnitSubmission,
};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use rules::supervision::{MonthlyStatus, ProblemSource, monthly_status, submission_state};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, Query},
};

use super::unit_name;
use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, Principal,
        audit::{self, Change},
        center_of,
    },
    store::{
        columns::RectificationStatus,
        entities::{export_job, monthly_submission, problem, rectification, staff, unit},
    },
};

/// The columns of attachment 1, in order.
pub const COLUMNS: [&str; 10] = [
    "序号",
    "单位",
    "问题来源",
    "发现时间",
    "问题描述",
    "责任人",
    "整改措施",
    "整改时限",
    "整改情况",
    "备注",
];

/// The first and last day of `YYYY-MM`.
pub fn parse_month(text: &str) -> AppResult<(NaiveDate, NaiveDate)> {
    let bad = || AppError::invalid("bad_month", "月份格式应为 YYYY-MM").with_field("month");
    let (y, m) = text.split_once('-').ok_or_else(bad)?;
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(y, 4) || !digits(m, 2) {
        return Err(bad());
    }
    let first = NaiveDate::from_ymd_opt(
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        1,
    )
    .ok_or_else(bad)?;
    // Reports are of months the hall can have served in: no year before this product's
    // records, none past what a spreadsheet or a report form would show.
    if !(2000..=2099).contains(&first.year()) {
        return Err(
            AppError::invalid("month_out_of_range", "月份须在 2000 年至 2099 年之间")
                .with_field("month"),
        );
    }
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .ok_or_else(bad)?;
    Ok((first, next.pred_opt().ok_or_else(bad)?))
}

fn month_code(first: NaiveDate) -> String {
    format!("{:04}-{:02}", first.year(), first.month())
}

/// Items of the month's list read at a time: an export's progress moves by one batch.
const BATCH: u64 = 200;

/// The items of the month `[first, last]`'s list: found in it, or carried over still open at its
/// start; withdrawn ones and those of struck problems left out; with `unit`, only that unit's.
fn listed(first: NaiveDate, last: NaiveDate, unit: Option<i64>) -> Condition {
    let struck = Query::select()
        .column(problem::Column::Id)
        .from(problem::Entity)
        .and_where(problem::Column::Struck.eq(true))
        .to_owned();
    Condition::all()
        .add_option(unit.map(|u| rectification::Column::UnitId.eq(u)))
        .add(rectification::Column::Status.ne(RectificationStatus::Withdrawn))
        .add(rectification::Column::FoundOn.lte(last))
        .add(
            Condition::any()
                .add(rectification::Column::FoundOn.gte(first))
                .add(rectification::Column::ClosedOn.is_null())
                .add(rectification::Column::ClosedOn.gte(first)),
        )
        .add(rectification::Column::ProblemId.not_in_subquery(struck))
}

/// The report for a month: the items found in it and those carried over still open at its
/// start, each with its 整改情况 on the month's last day (or today, for the current month).
pub async fn report(ctx: &Ctx, month: &str) -> AppResult<MonthlyReport> {
    build(ctx, month, None, None).await
}

/// The report as `p` may read it: supervisors the whole hall's; a unit's clerks and chief
/// representative their own unit's rows, totals and submission (what the unit submits).
pub async fn report_for(ctx: &Ctx, p: &Principal, month: &str) -> AppResult<MonthlyReport> {
    if p.has(app::api::Role::Supervisor) {
        return report(ctx, month).await;
    }
    let unit = p.unit_id.ok_or_else(AppError::forbidden)?;
    build(ctx, month, None, Some(unit)).await
}

/// The report, read a batch of items at a time (with their problems and people in one query
/// each); with a job, its progress is written after every batch.
async fn build(
    ctx: &Ctx,
    month: &str,
    job: Option<&Job>,
    unit: Option<i64>,
) -> AppResult<MonthlyReport> {
    let (first, last) = parse_month(month)?;
    let today = ctx.today();
    if first > today {
        return Err(AppError::invalid("month_in_future", "该月份尚未开始").with_field("month"));
    }
    let as_of = last.min(today);
    let db = ctx.conn();
    let total = rectification::Entity::find()
        .filter(listed(first, last, unit))
        .count(db)
        .await?;
    if let Some(job) = job {
        job.progress(ctx, 0, total).await?;
    }
    let units: HashMap<i64, String> = unit::Entity::find()
        .select_only()
        .columns([unit::Column::Id, unit::Column::Name])
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut rows = Vec::new();
    let (mut closed, mut in_progress, mut overdue) = (0, 0, 0);
    let mut after: Option<(NaiveDate, i64)> = None;
    let mut done = 0;
    loop {
        let mut find = rectification::Entity::find().filter(listed(first, last, unit));
        if let Some((found_on, id)) = after {
            find = find.filter(
                Condition::any()
                    .add(rectification::Column::FoundOn.gt(found_on))
                    .add(
                        Condition::all()
                            .add(rectification::Column::FoundOn.eq(found_on))
                            .add(rectification::Column::Id.gt(id)),
                    ),
            );
        }
        let items = find
            .order_by_asc(rectification::Column::FoundOn)
            .order_by_asc(rectification::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        let Some(last_item) = items.last() else {
            break;
        };
        after = Some((last_item.found_on, last_item.id));
        let problems: HashMap<i64, problem::Model> = problem::Entity::find()
            .filter(problem::Column::Id.is_in(items.iter().map(|i| i.problem_id)))
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let people: Vec<i64> = items.iter().filter_map(|i| i.staff_id).collect();
        let names: HashMap<i64, String> = if people.is_empty() {
            HashMap::new()
        } else {
            staff::Entity::find()
                .select_only()
                .columns([staff::Column::Id, staff::Column::Name])
                .filter(staff::Column::Id.is_in(people))
                .into_tuple::<(i64, String)>()
                .all(db)
                .await?
                .into_iter()
                .collect()
        };
        let read = items.len() as u64;
        for item in items {
            let Some(p) = problems.get(&item.problem_id) else {
                continue;
            };
            if p.struck {
                continue;
            }
            let status = rules::RectificationStatus::from(item.status);
            let Some(state) = monthly_status(status, item.deadline, item.closed_on, as_of) else {
                continue;
            };
            match state {
                MonthlyStatus::Closed => closed += 1,
                MonthlyStatus::InProgress => in_progress += 1,
                MonthlyStatus::Overdue => overdue += 1,
            }
            let source = ProblemSource::from_code(&p.source).map_or("", ProblemSource::label_zh);
            let mut note = Vec::new();
            if item.found_on < first {
                note.push("上月结转".to_string());
            }
            if item.reopened > 0 {
                note.push(format!("重新打开 {} 次", item.reopened));
            }
            if let (MonthlyStatus::Closed, Some(d)) = (state, item.closed_on) {
                note.push(format!("{}销号", app::format::plain_date(d)));
            }
            rows.push(MonthlyRow {
                seq: rows.len() as u32 + 1,
                unit: units.get(&item.unit_id).cloned().unwrap_or_default(),
                source: source.into(),
                found_on: item.found_on,
                description: p.description.clone(),
                responsible: item
                    .staff_id
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_default(),
                measure: item.measure.unwrap_or_default(),
                deadline: item.deadline,
                status: state,
                note: note.join("；"),
                rectification_id: item.id,
            });
        }
        done += read;
        if let Some(job) = job {
            job.progress(ctx, done, total.max(done)).await?;
        }
        if read < BATCH {
            break;
        }
    }
    let mut units = submissions(ctx, first).await?;
    if let Some(u) = unit {
        units.retain(|s| s.unit_id == u);
    }
    Ok(MonthlyReport {
        month: month_code(first),
        // Attachment 1's title (Seed 附件1), with the area the deployment serves.
        title: format!(
            "{}政务服务系统“改进作风 提升质效”深入落实“四项制度”问题整改清单月报表（{}年{}月）",
            ctx.settings.region_name,
            first.year(),
            first.month()
        ),
        as_of,
        rows,
        closed,
        in_progress,
        overdue,
        units,
    })
}

pub(crate) async fn submissions(ctx: &Ctx, first: NaiveDate) -> AppResult<Vec<UnitSubmission>> {
    let db = ctx.conn();
    let units = unit::Entity::find()
        .filter(unit::Column::Active.eq(true))
        .order_by_asc(unit::Column::Id)
        .all(db)
        .await?;
    let done = monthly_submission::Entity::find()
        .filter(monthly_submission::Column::Month.eq(month_code(first)))
        .all(db)
        .await?;
    Ok(units
        .into_iter()
        .map(|u| {
            let on = done
                .iter()
                .find(|s| s.unit_id == u.id)
                .map(|s| s.submitted_on);
            let state = submission_state(first, on, ctx.today(), &ctx.calendar.provisional());
            UnitSubmission {
                unit_id: u.id,
                unit_name: u.name,
                state,
                state_label: state.label_zh().into(),
                submitted_on: on,
            }
        })
        .collect())
}

/// The unit's chief representative submits the month's list (once).
pub async fn submit(ctx: &Ctx, p: &Principal, month: &str) -> AppResult<UnitSubmission> {
    let (first, _) = parse_month(month)?;
    if first > ctx.today() {
        return Err(AppError::invalid("month_in_future", "该月份尚未开始").with_field("month"));
    }
    let unit_id = p
        .unit_id
        .filter(|_| p.has(app::api::Role::ChiefRepresentative))
        .ok_or_else(|| AppError::not_here("not_allowed", "只有单位首席代表可以报送月报表"))?;
    let actor = p.id;
    let code = month_code(first);
    let center = center_of::<unit::Entity>(ctx, unit::Column::CenterId, unit_id, "单位").await?;
    let row = ctx
        .write_for_center(center, move |txn, ctx| {
            Box::pin(async move {
                let exists = monthly_submission::Entity::find()
                    .filter(monthly_submission::Column::UnitId.eq(unit_id))
                    .filter(monthly_submission::Column::Month.eq(code.clone()))
                    .one(txn)
                    .await?;
                if exists.is_some() {
                    return Err(AppError::conflict("already_submitted", "本月报表已报送"));
                }
                let row = monthly_submission::ActiveModel {
                    unit_id: Set(unit_id),
                    month: Set(code),
                    submitted_at: Set(ctx.now),
                    submitted_on: Set(ctx.today()),
                    submitted_by: Set(actor),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit::record(
                    txn,
                    ctx.now,
                    Change::new_row(
                        Some(actor),
                        "monthly.submit",
                        "monthly_submission",
                        row.id,
                        serde_json::json!({"unit_id": unit_id, "month": row.month}),
                    ),
                )
                .await?;
                Ok(row)
            })
        })
        .await?;
    let cal = ctx.calendar.provisional();
    let state = submission_state(first, Some(row.submitted_on), ctx.today(), &cal);
    Ok(UnitSubmission {
        unit_id,
        unit_name: unit_name(ctx.conn(), unit_id).await?,
        state,
        state_label: state.label_zh().into(),
        submitted_on: Some(row.submitted_on),
    })
}

/// The report as an XLSX workbook: a title row, the ten columns of attachment 1, one row per
/// item and the totals; A4 landscape, fitted to the page width, header row repeated.
pub fn xlsx(report: &MonthlyReport) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{
        DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook,
    };
    let err = |e: rust_xlsxwriter::XlsxError| AppError::internal(anyhow::anyhow!(e));
    let mut book = Workbook::new();
    // Dated the day the figures are stated on, not the moment it is made: the same report is
    // the same file, whether downloaded at once or made by an export job.
    let dated = ExcelDateTime::from_ymd(
        report.as_of.year() as u16,
        report.as_of.month() as u8,
        report.as_of.day() as u8,
    )
    .map_err(err)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&dated));
    let sheet = book.add_worksheet();
    sheet.set_name("整改清单").map_err(err)?;
    sheet.set_landscape();
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(1, 1).map_err(err)?;
    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    sheet
        .merge_range(0, 0, 0, 9, &report.title, &title)
        .map_err(err)?;
    let widths = [6.0, 16.0, 10.0, 12.0, 36.0, 10.0, 24.0, 12.0, 10.0, 16.0];
    for (c, (name, w)) in COLUMNS.iter().zip(widths).enumerate() {
        sheet.set_column_width(c as u16, w).map_err(err)?;
        sheet
            .write_string_with_format(1, c as u16, *name, &head)
            .map_err(err)?;
    }
    for (i, r) in report.rows.iter().enumerate() {
        let row = i as u32 + 2;
        let texts = [
            r.unit.clone(),
            r.source.clone(),
            r.found_on.to_string(),
            r.description.clone(),
            r.responsible.clone(),
            r.measure.clone(),
            r.deadline.to_string(),
            r.status.label_zh().to_string(),
            r.note.clone(),
        ];
        sheet
            .write_number_with_format(row, 0, f64::from(r.seq), &cell)
            .map_err(err)?;
        for (c, t) in texts.iter().enumerate() {
            sheet
                .write_string_with_format(row, c as u16 + 1, t, &cell)
                .map_err(err)?;
        }
    }
    let total_row = report.rows.len() as u32 + 3;
    let totals = format!(
        "合计 {} 项：已销号 {} 项，整改中 {} 项，逾期 {} 项（截至{}）",
        report.rows.len(),
        report.closed,
        report.in_progress,
        report.overdue,
        app::format::plain_date(report.as_of)
    );
    sheet
        .merge_range(total_row, 0, total_row, 9, &totals, &Format::new())
        .map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// What an export job makes.
const MONTHLY_XLSX: &str = "monthly_xlsx";

/// A running job not heard from for this long was cut off (its server stopped): it reads as
/// failed. A batch takes well under a second.
const STALE_AFTER: Duration = Duration::seconds(120);

/// Jobs (and their files) are kept this long, then swept when the next one starts.
const KEEP: Duration = Duration::hours(24);

/// The file's name for a month.
pub fn file_name(month: &str) -> String {
    format!("整改清单月报表-{month}.xlsx")
}

/// A running export: its row, and the clock it states its progress by (the request's moment
/// plus the time it has run, so that a poll can tell a job cut off from one still working).
struct Job {
    id: i64,
    started: std::time::Instant,
}

impl Job {
    fn now(&self, ctx: &Ctx) -> DateTime<Utc> {
        ctx.now + Duration::from_std(self.started.elapsed()).unwrap_or_default()
    }

    async fn progress(&self, ctx: &Ctx, done: u64, total: u64) -> AppResult<()> {
        let (id, at) = (self.id, self.now(ctx));
        ctx.write(move |txn, _| {
            Box::pin(async move {
                export_job::Entity::update_many()
                    .col_expr(export_job::Column::Done, Expr::value(done as i64))
                    .col_expr(export_job::Column::Total, Expr::value(total as i64))
                    .col_expr(export_job::Column::UpdatedAt, Expr::value(at))
                    .filter(export_job::Column::Id.eq(id))
                    .exec(txn)
                    .await?;
                Ok(())
            })
        })
        .await
    }

    async fn finish(&self, ctx: &Ctx, outcome: Result<Vec<u8>, String>, month: &str) {
        let (id, at) = (self.id, self.now(ctx));
        let name = file_name(month);
        let written = ctx
            .write(move |txn, _| {
                Box::pin(async move {
                    let mut update = export_job::Entity::update_many()
                        .col_expr(export_job::Column::UpdatedAt, Expr::value(at))
                        .col_expr(export_job::Column::FinishedAt, Expr::value(Some(at)));
                    update = match outcome {
                        Ok(bytes) => update
                            .col_expr(
                                export_job::Column::Done,
                                Expr::col(export_job::Column::Total).into(),
                            )
                            .col_expr(export_job::Column::FileName, Expr::value(Some(name)))
                            .col_expr(export_job::Column::Bytes, Expr::value(Some(bytes))),
                        Err(message) => {
                            update.col_expr(export_job::Column::Error, Expr::value(Some(message)))
                        }
                    };
                    update
                        .filter(export_job::Column::Id.eq(id))
                        .exec(txn)
                        .await?;
                    Ok(())
                })
            })
            .await;
        if let Err(err) = written {
            tracing::warn!(error = %err, job = id, "could not record the end of an export");
        }
    }
}

/// Starts making the month's XLSX in the background (Supervisor) and returns the job at once;
/// [`export_status`] tells its progress, [`export_file`] gives the file once made.
pub async fn start_export(ctx: &Ctx, p: &Principal, month: &str) -> AppResult<ExportJobView> {
    let (first, _) = parse_month(month)?;
    if first > ctx.today() {
        return Err(AppError::invalid("month_in_future", "该月份尚未开始").with_field("month"));
    }
    let code = month_code(first);
    let requested_by = p.id;
    let row = ctx
        .write(move |txn, ctx| {
            Box::pin(async move {
                export_job::Entity::delete_many()
                    .filter(export_job::Column::CreatedAt.lt(ctx.now - KEEP))
                    .exec(txn)
                    .await?;
                Ok(export_job::ActiveModel {
                    kind: Set(MONTHLY_XLSX.into()),
                    param: Set(code),
                    requested_by: Set(requested_by),
                    total: Set(0),
                    done: Set(0),
                    file_name: Set(None),
                    bytes: Set(None),
                    error: Set(None),
                    created_at: Set(ctx.now),
                    updated_at: Set(ctx.now),
                    finished_at: Set(None),
                    ..Default::default()
                }
                .insert(txn)
                .await?)
            })
        })
        .await?;
    let job = Job {
        id: row.id,
        started: std::time::Instant::now(),
    };
    let worker = ctx.clone();
    let month = row.param.clone();
    tokio::spawn(async move { run_export(worker, job, month).await });
    Ok(view(ctx, &Status::from(row)))
}

async fn run_export(ctx: Ctx, job: Job, month: String) {
    let made = async {
        let report = build(&ctx, &month, Some(&job), None).await?;
        tokio::task::spawn_blocking(move || xlsx(&report))
            .await
            .map_err(AppError::internal)?
    }
    .await;
    let outcome = made.map_err(|err| {
        tracing::warn!(error = %err, job = job.id, "monthly export failed");
        "导出失败，请重新导出".to_string()
    });
    job.finish(&ctx, outcome, &month).await;
}

/// A job as the page sees it, without its file.
#[derive(Debug, FromQueryResult)]
struct Status {
    id: i64,
    param: String,
    requested_by: i64,
    total: i64,
    done: i64,
    file_name: Option<String>,
    error: Option<String>,
    updated_at: DateTime<Utc>,
}

impl From<export_job::Model> for Status {
    fn from(m: export_job::Model) -> Self {
        Status {
            id: m.id,
            param: m.param,
            requested_by: m.requested_by,
            total: m.total,
            done: m.done,
            file_name: m.file_name,
            error: m.error,
            updated_at: m.updated_at,
        }
    }
}

fn view(ctx: &Ctx, s: &Status) -> ExportJobView {
    let (state, error) = match (&s.file_name, &s.error) {
        (Some(_), _) => (ExportState::Ready, None),
        (None, Some(e)) => (ExportState::Failed, Some(e.clone())),
        (None, None) if ctx.now - s.updated_at > STALE_AFTER => (
            ExportState::Failed,
            Some("导出已中断，请重新导出".to_string()),
        ),
        (None, None) => (ExportState::Running, None),
    };
    let (done, total) = (s.done.max(0) as u64, s.total.max(0) as u64);
    let percent = match state {
        ExportState::Ready => 100,
        _ if total == 0 => 0,
        // The file is still to be written once every item is read.
        _ => (done.min(total) * 100 / total).min(99) as u8,
    };
    let ready = state == ExportState::Ready;
    ExportJobView {
        id: s.id,
        month: s.param.clone(),
        state,
        state_label: state.label_zh().into(),
        done,
        total,
        percent,
        file_name: s.file_name.clone(),
        download: ready.then(|| format!("/api/v1/supervision/monthly/exports/{}/file", s.id)),
        error,
    }
}

fn not_found() -> AppError {
    AppError::not_found("导出任务")
}

/// A job's progress, for the supervisor who started it.
pub async fn export_status(ctx: &Ctx, p: &Principal, id: i64) -> AppResult<ExportJobView> {
    let status = export_job::Entity::find_by_id(id)
        .select_only()
        .columns([
            export_job::Column::Id,
            export_job::Column::Param,
            export_job::Column::RequestedBy,
            export_job::Column::Total,
            export_job::Column::Done,
            export_job::Column::FileName,
            export_job::Column::Error,
            export_job::Column::UpdatedAt,
        ])
        .into_model::<Status>()
        .one(ctx.conn())
        .await?
        .filter(|s| s.requested_by == p.id)
        .ok_or_else(not_found)?;
    Ok(view(ctx, &status))
}

/// A made job's file (its name and bytes), for the supervisor who started it.
pub async fn export_file(ctx: &Ctx, p: &Principal, id: i64) -> AppResult<(String, Vec<u8>)> {
    let job = export_job::Entity::find_by_id(id)
        .one(ctx.conn())
        .await?
        .filter(|j| j.requested_by == p.id)
        .ok_or_else(not_found)?;
    match (job.file_name, job.bytes) {
        (Some(name), Some(bytes)) => Ok((name, bytes)),
        _ => Err(AppError::conflict(
            "export_not_ready",
            "文件尚未生成，请等待导出完成",
        )),
    }
}
