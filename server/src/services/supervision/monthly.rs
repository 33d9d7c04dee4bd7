//! 月通报 and the monthly report of attachment 1 (《“四项制度”问题整改清单月报表》): the rows
//! (序号, 单位, 问题来源, 发现时间, 问题描述, 责任人, 整改措施, 整改时限, 整改情况, 备注), the
//! units' submissions before the 22nd, and the XLSX export (A4 landscape).

use app::api::supervision::{MonthlyReport, MonthlyRow, UnitSubmission};
use chrono::{Datelike, NaiveDate};
use rules::supervision::{MonthlyStatus, ProblemSource, monthly_status, submission_state};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{staff_name, unit_name};
use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, Principal,
        audit::{self, Change},
    },
    store::{
        columns::RectificationStatus,
        entities::{monthly_submission, problem, rectification, unit},
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
    let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
    let first = NaiveDate::from_ymd_opt(
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        1,
    )
    .ok_or_else(bad)?;
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

/// The report for a month: the items found in it and those carried over still open at its
/// start, each with its 整改情况 on the month's last day (or today, for the current month).
pub async fn report(ctx: &Ctx, month: &str) -> AppResult<MonthlyReport> {
    let (first, last) = parse_month(month)?;
    let today = ctx.today();
    if first > today {
        return Err(AppError::invalid("month_in_future", "该月份尚未开始").with_field("month"));
    }
    let as_of = last.min(today);
    let db = ctx.conn();
    let items = rectification::Entity::find()
        .filter(rectification::Column::Status.ne(RectificationStatus::Withdrawn))
        .filter(rectification::Column::FoundOn.lte(last))
        .filter(
            Condition::any()
                .add(rectification::Column::FoundOn.gte(first))
                .add(rectification::Column::ClosedOn.is_null())
                .add(rectification::Column::ClosedOn.gte(first)),
        )
        .order_by_asc(rectification::Column::FoundOn)
        .order_by_asc(rectification::Column::Id)
        .all(db)
        .await?;
    let mut rows = Vec::new();
    let (mut closed, mut in_progress, mut overdue) = (0, 0, 0);
    for item in items {
        let Some(p) = problem::Entity::find_by_id(item.problem_id).one(db).await? else {
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
            note.push(format!("{d} 销号"));
        }
        rows.push(MonthlyRow {
            seq: rows.len() as u32 + 1,
            unit: unit_name(db, item.unit_id).await?,
            source: source.into(),
            found_on: item.found_on,
            description: p.description,
            responsible: staff_name(db, item.staff_id).await?.unwrap_or_default(),
            measure: item.measure.unwrap_or_default(),
            deadline: item.deadline,
            status: state,
            note: note.join("；"),
            rectification_id: item.id,
        });
    }
    let units = submissions(ctx, first).await?;
    Ok(MonthlyReport {
        month: month_code(first),
        title: format!(
            "政务服务系统深入落实“四项制度”问题整改清单月报表（{}年{}月）",
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
            let state = submission_state(first, on, ctx.today());
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
    let row = ctx
        .write(move |txn, ctx| {
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
    let state = submission_state(first, Some(row.submitted_on), ctx.today());
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
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| AppError::internal(anyhow::anyhow!(e));
    let mut book = Workbook::new();
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
        "合计 {} 项：已销号 {} 项，整改中 {} 项，逾期 {} 项（截至 {}）",
        report.rows.len(),
        report.closed,
        report.in_progress,
        report.overdue,
        report.as_of
    );
    sheet
        .merge_range(total_row, 0, total_row, 9, &totals, &Format::new())
        .map_err(err)?;
    book.save_to_buffer().map_err(err)
}
