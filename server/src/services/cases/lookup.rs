//! A citizen's own look at a case: by number and the mobile number given at receipt (the whole
//! number: case numbers are sequential, and four digits were too few a secret — issue 12).
//! Status, due date and the notices' titles — nothing personal. A wrong pair is the same 404 as
//! an unknown number, so the answer tells nothing about which part was wrong.

use app::api::cases::{PublicCaseStatus, PublicNotice};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::{Ctx, load, sweep_clock};
use crate::{
    error::{AppError, AppResult},
    services::notices,
    store::entities::cases,
};

fn not_found() -> AppError {
    AppError::missing("case_not_found", "没有找到该办件：请核对申请编号和手机号")
}

pub async fn public_status(ctx: &Ctx, number: &str, phone: &str) -> AppResult<PublicCaseStatus> {
    let phone = rules::MobilePhone::parse(phone).map_err(|_| {
        AppError::invalid("invalid_phone", "请输入申请时所留的完整手机号（11 位）")
            .with_field("phone")
    })?;
    sweep_clock(ctx).await?;
    let row = cases::Entity::find()
        .filter(cases::Column::Number.eq(number.trim()))
        .one(&ctx.db.conn)
        .await?
        .filter(|c| c.applicant_phone.as_str() == phone.as_str())
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
