//! Receiving an application (收件): the applicant checked, the item as it is today kept with the
//! case, a number per center and year, the time of receipt the server's.

use app::api::{
    Role,
    cases::{CaseDetail, CheckedApplicant, ReceiveCase},
    catalog::ServiceItem,
};
use chrono::{DateTime, Datelike, SubsecRound, Utc};
use rules::CaseState;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, DatabaseTransaction, IntoActiveModel,
    sea_query::IntoIden,
};

use super::{
    Ctx, Loaded, Principal,
    deadlines::{acceptance_due_provisional, review_due},
    views,
};
use crate::{
    error::{AppError, AppResult},
    services::{audit, inquiries},
    store::{
        columns::{self, StoredPhone},
        counter, documents,
        entities::{case_counter, cases, service_center},
    },
};

pub async fn receive(ctx: &Ctx, p: &Principal, input: ReceiveCase) -> AppResult<CaseDetail> {
    let Some(unit_id) = p.unit_id.filter(|_| p.has(Role::Clerk)) else {
        return Err(AppError::forbidden());
    };
    let applicant = input.check_applicant(ctx.today())?;
    // The item (from memory, usually) tells the center before the write starts: the receipt
    // then queues behind that center's other receipts alone, and those queued together share
    // one transaction (two halls' receipts never wait on each other). What the case keeps is
    // worked out now, outside the center's turn (issue 16): inside, only the number, the rows
    // and the audit record are left, unless the item or its center changed meanwhile.
    let item = item_of_unit(ctx, ctx.conn(), &input.item_code, unit_id).await?;
    let center = ctx.caches.center(ctx.conn(), item.center_id).await?;
    let center_id = center.id;
    let early = Prepared::of(ctx, item, center, input.materials.as_deref())?;
    // PostgreSQL: the case's id now, so that inside the turn its audit record can be sealed
    // without writing the case first.
    let id = ctx.db.ids.next(ctx.conn(), "cases").await?;
    // A receipt that concludes no inquiry writes nothing but its case and record: on
    // PostgreSQL they are written with the other receipts of its batch, in one statement.
    let deferring = id.is_some() && input.inquiry_id.is_none();
    let turn = InTurn {
        input,
        applicant,
        unit_id,
        actor: p.id,
        center_id,
        early,
        id,
        deferring,
    };
    let loaded = if deferring {
        ctx.write_deferred_for_center(center_id, move |txn, ctx| Box::pin(turn.run(txn, ctx)))
            .await?
    } else {
        ctx.write_for_center(center_id, move |txn, ctx| Box::pin(turn.run(txn, ctx)))
            .await?
    };
    // The reply from what the transaction held (issue 16), built after the center's turn: a
    // new case has nothing hanging off it yet.
    views::detail_of_new(&loaded, p.name.clone())
}

/// What a receipt does in its center's turn.
struct InTurn {
    input: ReceiveCase,
    applicant: CheckedApplicant,
    unit_id: i64,
    actor: i64,
    center_id: i64,
    early: Prepared,
    /// The case's id, taken before the turn (PostgreSQL).
    id: Option<i64>,
    /// Whether the case and its record are left for the batch's end (`store::deferred`).
    deferring: bool,
}

impl InTurn {
    async fn run(self, txn: &DatabaseTransaction, ctx: Ctx) -> AppResult<Loaded> {
        let Self {
            input,
            applicant,
            unit_id,
            actor,
            center_id,
            early,
            id,
            deferring,
        } = self;
        // Read again inside: the check and what is kept rest on the same reading.
        let item = item_of_unit(&ctx, txn, &input.item_code, unit_id).await?;
        if item.center_id != center_id {
            return Err(AppError::conflict(
                "item_moved",
                "该事项刚被调整到另一个中心，请重新提交",
            ));
        }
        let center = ctx.caches.center(txn, center_id).await?;
        let kept = if early.rests_on(&item, &center) {
            early
        } else {
            Prepared::of(&ctx, item, center, input.materials.as_deref())?
        };
        // Nothing fails after the number is taken (a deferring write must not, see
        // `store::Db::write_deferred_for_center`) but the writes themselves.
        let year = ctx.today().year();
        let seq = counter::next_on_chain(
            txn,
            case_counter::Entity,
            vec![
                (case_counter::Column::CenterId.into_iden(), center_id.into()),
                (case_counter::Column::Year.into_iden(), year.into()),
            ],
            case_counter::Column::LastSeq,
        )
        .await?;
        let number = format!("{year}-{center_id:02}-{seq:05}");
        let state = CaseState::Received.code();
        // Both stores keep microseconds: the row, its record and the reply hold the same
        // instants.
        let now = ctx.now.trunc_subsecs(6);
        let review_due = kept.review_due.trunc_subsecs(6);
        let after = serde_json::json!({
            "number": number, "item_code": kept.source.code, "state": state,
            "received_at": now, "review_due_at": review_due,
        });
        let row = cases::Model {
            id: id.unwrap_or_default(),
            number,
            center_id,
            unit_id,
            item_code: kept.source.code.clone(),
            item_snapshot: kept.snapshot,
            owner_id: actor,
            inquiry_id: input.inquiry_id,
            applicant_kind: applicant.kind.code().to_string(),
            applicant_name: applicant.name.clone(),
            applicant_id_number: applicant.id_number.clone(),
            applicant_phone: StoredPhone::from(&applicant.phone),
            channel: input.channel.code().to_string(),
            state: state.to_string(),
            stage: Some(rules::Stage::Acceptance.label_zh().to_string()),
            stage_started_at: Some(now),
            received_at: now,
            review_due_at: Some(review_due),
            first_correction_at: None,
            last_correction_at: None,
            accepted_at: None,
            clock_start_at: None,
            due_at: None,
            // Until acceptance, the due shown is the review's.
            due_provisional: acceptance_due_provisional(&ctx, review_due),
            decided_at: None,
            decision: None,
            decision_reasons: None,
            follow_up_check_on: None,
            delivered_at: None,
            delivery_method: None,
            closed_at: None,
            feedback: None,
            created_at: now,
            updated_at: now,
            version: 1,
            overdue_at: None,
            decision_due_at: None,
            decided_on_time: None,
            received_materials: kept.received,
            lookup_code: Some(new_lookup_code()),
            item_name: Some(kept.source.name.clone()),
            time_limit_kind: Some(kept.limit.0),
            time_limit_amount: Some(kept.limit.1),
            decided_by: None,
            delivered_by: None,
            closed_by: None,
        };
        let (action, by) = (("case.receive", "case"), Some(actor));
        let row = match id {
            Some(_) if deferring => {
                audit::defer_new_case(txn, ctx.now, by, action.0, row, after).await?
            }
            // PostgreSQL: the case, its record and the chain's head in one statement.
            Some(id) => {
                let new_row = row.into_active_model().reset_all();
                audit::insert_known(txn, ctx.now, by, action, (id, new_row), after).await?
            }
            None => {
                let mut new_row = row.into_active_model().reset_all();
                new_row.id = NotSet;
                let record = |row: &cases::Model| (row.id, after);
                audit::insert_new(txn, ctx.now, by, action, new_row, record).await?
            }
        };
        if let Some(inquiry_id) = input.inquiry_id {
            inquiries::link_case(txn, &ctx, actor, inquiry_id, row.id).await?;
        }
        Ok(Loaded {
            item: kept.kept_item,
            row,
            hours: kept.hours,
            center: kept.center,
        })
    }
}

/// What a receipt keeps of its item and center, worked out from one reading of them.
struct Prepared {
    /// The item as read, to tell whether a later reading still matches.
    source: ServiceItem,
    center: service_center::Model,
    hours: rules::BusinessHours,
    /// `cases.item_snapshot`, and the item as read back from it (what the reply shows).
    snapshot: String,
    kept_item: ServiceItem,
    received: Option<String>,
    review_due: DateTime<Utc>,
    /// `cases.time_limit_kind` and `time_limit_amount`.
    limit: (String, i32),
}

impl Prepared {
    fn of(
        ctx: &Ctx,
        item: ServiceItem,
        center: service_center::Model,
        materials: Option<&[String]>,
    ) -> AppResult<Self> {
        let hours = documents::business_hours(&center.business_hours)?;
        let kept = ctx.caches.kept_item(&item)?;
        Ok(Self {
            kept_item: kept.read_back.clone(),
            received: received_materials(&item, materials)?,
            review_due: review_due(ctx, &hours, ctx.now)?,
            limit: columns::time_limit_columns(item.time_limit.time_limit()),
            snapshot: kept.snapshot.clone(),
            hours,
            center,
            source: item,
        })
    }

    /// Whether this was worked out from the same item and center as `item` and `center`.
    fn rests_on(&self, item: &ServiceItem, center: &service_center::Model) -> bool {
        self.source == *item && self.center == *center
    }
}

/// The active item `code`, which the clerk's unit must handle.
async fn item_of_unit<C: sea_orm::ConnectionTrait>(
    ctx: &Ctx,
    db: &C,
    code: &str,
    unit_id: i64,
) -> AppResult<ServiceItem> {
    let item = ctx.caches.active_item(db, code, "item_code").await?;
    if item.unit_id != unit_id {
        return Err(AppError::invalid(
            "item_not_of_your_unit",
            format!("“{}”由{}办理，请转至该单位窗口", item.name, item.unit_name),
        )
        .with_field("item_code"));
    }
    Ok(item)
}

/// The receipt's 查询码: eight characters of the booking codes' alphabet (no 0/O, 1/I/L), about
/// 40 bits; with the case number it opens the public lookup, so it is kept like the phone.
fn new_lookup_code() -> String {
    use app::api::appointments::CODE_ALPHABET;
    use rand::Rng;
    let mut rng = rand::rng();
    (0..8)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// The materials handed in, as a stored list of the item's keys (each once, in the item's
/// order); `None` when the clerk did not record them one by one.
fn received_materials(item: &ServiceItem, keys: Option<&[String]>) -> AppResult<Option<String>> {
    let Some(keys) = keys else {
        return Ok(None);
    };
    if let Some(unknown) = keys
        .iter()
        .find(|k| !item.materials.iter().any(|m| &m.key == *k))
    {
        return Err(AppError::invalid(
            "unknown_material",
            format!("“{unknown}”不是该事项的申请材料"),
        )
        .with_field("materials"));
    }
    let ordered: Vec<String> = item
        .materials
        .iter()
        .filter(|m| keys.contains(&m.key))
        .map(|m| m.key.clone())
        .collect();
    documents::list_json(&ordered).map(Some)
}
