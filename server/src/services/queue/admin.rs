//! Queue definitions (Admin).

use app::api::{
    queue::{QueueInput, QueueView},
    validate::required_text,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{center, queue_view};
use crate::{
    error::{AppError, AppResult},
    services::{Ctx, audit, org::active_unit},
    store::entities::queue_def,
};

/// Creates a queue of a center for a unit, under a letter (Admin; demo data).
pub async fn create_queue(
    ctx: &Ctx,
    actor: Option<i64>,
    input: QueueInput,
) -> AppResult<QueueView> {
    let letter = input.letter.trim().to_uppercase();
    if letter.len() != 1 || !letter.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(
            AppError::invalid("invalid_letter", "队列字母须为一个大写英文字母")
                .with_field("letter"),
        );
    }
    let name = required_text(&input.name, "name", "队列名称", 30)?;
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            center(txn, input.center_id).await?;
            // On the center's chain: "one queue per letter" rests on what follows.
            Ctx::lock_center(txn, input.center_id).await?;
            let unit = active_unit(txn, input.unit_id, "unit_id").await?;
            if unit.center_id != input.center_id {
                return Err(
                    AppError::invalid("unit_of_other_center", "该单位不在这个中心")
                        .with_field("unit_id"),
                );
            }
            let taken = queue_def::Entity::find()
                .filter(queue_def::Column::CenterId.eq(input.center_id))
                .filter(queue_def::Column::Letter.eq(&letter))
                .one(txn)
                .await?
                .is_some();
            if taken {
                return Err(AppError::conflict(
                    "letter_taken",
                    format!("该中心已有 {letter} 队列"),
                )
                .with_field("letter"));
            }
            let new_row = queue_def::ActiveModel {
                center_id: Set(input.center_id),
                letter: Set(letter),
                unit_id: Set(input.unit_id),
                name: Set(name),
                active: Set(true),
                ..Default::default()
            };
            let def = audit::insert_new(
                txn,
                ctx.now,
                actor,
                ("queue.create", "queue_def"),
                new_row,
                |def| {
                    (
                        def.id,
                        serde_json::json!({
                            "letter": def.letter, "unit_id": def.unit_id, "name": def.name,
                        }),
                    )
                },
            )
            .await?;
            queue_view(txn, &def, ctx.today(), 0).await
        })
    })
    .await
}
