//! A citizen's own look at a case: by number (with or without hyphens) and either the mobile
//! number given at receipt (the whole number: case numbers are sequential, and four digits were
//! too few a secret — issue 12) or the 查询码 printed on the 收件凭证 (issue 14 point 10).
//! Status in plain words, the working days left, what the applicant must still do, the history
//! and the notices' titles — nothing personal. A wrong pair is the same 404 as an unknown
//! number, so the answer tells nothing about which part was wrong.

use app::api::{
    appointments::normalize_code,
    cases::{PublicCaseStatus, PublicHistoryEntry, PublicNotice},
};
use rules::{CaseState, tracking};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{
    Ctx, Loaded,
    deadlines::{suspension_rows, sweep_clock_for_read},
    load,
    timeliness::Cause,
};
use crate::{
    error::{AppError, AppResult},
    services::notices,
    store::{
        columns::RequestStatus,
        entities::{case_correction, case_due, case_extension, cases},
    },
};

fn not_found() -> AppError {
    AppError::missing(
        "case_not_found",
        "没有找到该办件：请核对申请编号和手机号（或查询码）",
    )
}

/// What opens a case besides its number.
pub enum CaseKey<'a> {
    Phone(&'a str),
    /// The 查询码 as typed (any case, with or without its hyphen).
    Code(&'a str),
}

/// The case number as stored, whatever way it was typed; unknown forms stay as typed (and then
/// match nothing).
pub fn stored_number(number: &str) -> String {
    tracking::case_number(number).unwrap_or_else(|| number.trim().to_string())
}

pub async fn public_status(
    ctx: &Ctx,
    number: &str,
    key: CaseKey<'_>,
) -> AppResult<PublicCaseStatus> {
    let opens: Box<dyn Fn(&cases::Model) -> bool + Send> = match key {
        CaseKey::Phone(phone) => {
            let phone = rules::MobilePhone::parse(phone).map_err(|_| {
                AppError::invalid("invalid_phone", "请输入申请时所留的完整手机号（11 位）")
                    .with_field("phone")
            })?;
            Box::new(move |c| c.applicant_phone.as_str() == phone.as_str())
        }
        CaseKey::Code(code) => {
            let code = normalize_code(code);
            if code.len() != 8 {
                return Err(AppError::invalid(
                    "invalid_lookup_code",
                    "查询码为 8 位字母和数字，见收件凭证",
                )
                .with_field("code"));
            }
            Box::new(move |c| c.lookup_code.as_deref() == Some(code.as_str()))
        }
    };
    sweep_clock_for_read(ctx).await?;
    let row = cases::Entity::find()
        .filter(cases::Column::Number.eq(stored_number(number)))
        .one(&ctx.db.conn)
        .await?
        .filter(|c| opens(c))
        .ok_or_else(not_found)?;
    let loaded = load(&ctx.db.conn, row.id).await?;
    let st = loaded.state()?;
    let notices: Vec<PublicNotice> = notices::of_case(&ctx.db.conn, row.id)
        .await?
        .into_iter()
        .map(|n| PublicNotice {
            title: n.title,
            issued_at: n.issued_at,
        })
        .collect();
    let due_at = row.due_at.filter(|_| st.is_clock_running());
    let working_days_left = match due_at {
        Some(due) => Some(
            tracking::working_days_left(&ctx.calendar, ctx.today(), ctx.local(due).date())
                .map_err(|e| AppError::internal(anyhow::anyhow!("days left: {e}")))?,
        ),
        None => None,
    };
    let corrections = if st == CaseState::CorrectionRequested {
        super::review::correction_progress(&ctx.db.conn, row.id).await?
    } else {
        None
    };
    let history = history(ctx, &loaded, &notices).await?;
    let promised = match st {
        CaseState::Received => super::receipt::promised_at_receipt(ctx, &loaded)?,
        _ => None,
    };
    Ok(PublicCaseStatus {
        number: row.number.clone(),
        item_name: loaded.item.name.clone(),
        unit_name: loaded.item.unit_name.clone(),
        state: st.code().to_string(),
        state_label: st.label_zh().to_string(),
        received_on: ctx.local(row.received_at).date(),
        due_at,
        due_provisional: row.due_provisional,
        suspended: st == CaseState::Suspended,
        notices,
        stage_text: tracking::plain_stage(st).to_string(),
        working_days_left,
        past_due: due_at.is_some_and(|due| ctx.now > due),
        applicant_todo: tracking::applicant_todo(st, corrections.as_ref()),
        history,
        promised_date: promised.as_ref().map(|d| d.date),
        promised_provisional: promised.is_some_and(|d| d.provisional),
        center_name: loaded.center.name.clone(),
        center_phone: loaded.center.phone.clone(),
    })
}

/// What happened, newest first: receipt, every notice issued, corrections handed in, special
/// procedures ended, delivery and close.
async fn history(
    ctx: &Ctx,
    loaded: &Loaded,
    notices: &[PublicNotice],
) -> AppResult<Vec<PublicHistoryEntry>> {
    let row = &loaded.row;
    let db = &ctx.db.conn;
    // (moment, step order at one moment, text): a correction handed in comes before the notice
    // issued on it, a notice before the delivery of what it says.
    let mut steps: Vec<(chrono::DateTime<chrono::Utc>, u8, String)> =
        vec![(row.received_at, 0, "窗口收件，出具收件凭证".to_string())];
    for c in case_correction::Entity::find()
        .filter(case_correction::Column::CaseId.eq(row.id))
        .all(db)
        .await?
    {
        steps.push((c.received_at, 1, "收到补正材料".to_string()));
    }
    // A provisional due made final when the year's calendar came out: the 受理通知书
    // promised to tell (公布后据实调整并告知).
    for d in case_due::Entity::find()
        .filter(case_due::Column::CaseId.eq(row.id))
        .filter(case_due::Column::Stage.is_null())
        .filter(case_due::Column::Cause.eq(Cause::Calendar.code()))
        .all(db)
        .await?
    {
        if let Some(due) = d.due_at {
            let due = ctx.local(due);
            steps.push((
                d.effective_at,
                1,
                format!(
                    "国家法定节假日安排公布，办理期限据实调整为{}",
                    app::format::date_time(due)
                ),
            ));
        }
    }
    // 第四十二条第一款: the applicant is told the extension's reason (the notice's title alone
    // said nothing of why).
    for e in case_extension::Entity::find()
        .filter(case_extension::Column::CaseId.eq(row.id))
        .filter(case_extension::Column::Status.eq(RequestStatus::Approved))
        .all(db)
        .await?
    {
        if let Some(at) = e.decided_at {
            steps.push((
                at,
                1,
                format!(
                    "经首席代表批准，办理期限延长{}个工作日，延期理由：{}",
                    e.days, e.reason
                ),
            ));
        }
    }
    for s in suspension_rows(db, row.id).await? {
        if let Some(end) = s.end_at {
            steps.push((end, 1, "特别程序结束，恢复计算办理时限".to_string()));
        }
    }
    steps.extend(
        notices
            .iter()
            .map(|n| (n.issued_at, 2, format!("出具《{}》", n.title))),
    );
    if let Some(at) = row.delivered_at {
        steps.push((at, 3, "办理结果已送达".to_string()));
    }
    if let Some(at) = row.closed_at {
        // The owner's feedback is what the applicant was told (首问负责); a withdrawal's is
        // the applicant's own reason.
        let withdrawn = loaded.state()? == CaseState::Withdrawn;
        let text = match row.feedback.as_deref().map(str::trim) {
            Some(f) if withdrawn => f.to_string(),
            Some(f) if !f.is_empty() => format!("办结：{f}"),
            _ => "办结".to_string(),
        };
        steps.push((at, 4, text));
    }
    steps.sort_by_key(|(at, order, _)| (*at, *order));
    let out = steps
        .into_iter()
        .rev()
        .map(|(at, _, text)| PublicHistoryEntry { at, text })
        .collect();
    Ok(out)
}
