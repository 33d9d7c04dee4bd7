//! A citizen's own look at a case: by number and the last four digits of the phone given at
//! receipt. Status, due date and the notices' titles — nothing personal. A wrong pair is the
//! same 404 as an unknown number, so the answer tells nothing about which part was wrong.

use app::api::cases::{PublicCaseStatus, PublicNotice};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{Ctx, load, sweep_clock};
use crate::{
    error::{AppError, AppResult},
    services::notices,
    store::entities::cases,
};

fn not_found() -> AppError {
    AppError::missing(
        "case_not_found",
        "没有找到该办件：请核对申请编号和手机号后四位",
    )
}

pub async fn public_status(
    ctx: &Ctx,
    number: &str,
    phone_last4: &str,
) -> AppResult<PublicCaseStatus> {
    if phone_last4.len() != 4 || !phone_last4.chars().all(|c| c.is_ascii_digit()) {
        return Err(
            AppError::bad_request("invalid_phone_last4", "请输入手机号后四位数字")
                .with_field("phone_last4"),
        );
    }
    sweep_clock(ctx).await?;
    let row = cases::Entity::find()
        .filter(cases::Column::Number.eq(number.trim()))
        .one(&ctx.db.conn)
        .await?
        .filter(|c| c.applicant_phone.as_str().ends_with(phone_last4))
        .ok_or_else(not_found)?;
    let loaded = load(&ctx.db.conn, row.id).await?;
    let st = loaded.state()?;
    let notices = notices::of_case(&ctx.db.conn, row.id)
        .await?
        .into_iter()
        .map(|n| PublicNotice {
            title: n.title,
            issued_at: n.issued_at,
        })
        .collect();
    Ok(PublicCaseStatus {
        number: row.number.clone(),
        item_name: loaded.item.name.clone(),
        unit_name: loaded.item.unit_name.clone(),
        state: st.code().to_string(),
        state_label: st.label_zh().to_string(),
        received_on: ctx.local(row.received_at).date(),
        due_at: row.due_at.filter(|_| st.is_clock_running()),
        due_provisional: row.due_provisional,
        suspended: st == rules::CaseState::Suspended,
        notices,
    })
}
