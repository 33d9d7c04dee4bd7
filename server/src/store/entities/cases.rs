use sea_orm::entity::prelude::*;

/// An application (`Case`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    pub center_id: i64,
    pub unit_id: i64,
    pub item_code: String,
    #[sea_orm(column_type = "Text")]
    pub item_snapshot: String,
    pub owner_id: i64,
    pub inquiry_id: Option<i64>,
    pub applicant_kind: String,
    pub applicant_name: String,
    pub applicant_id_number: String,
    pub applicant_phone: crate::store::columns::StoredPhone,
    pub channel: String,
    pub state: String,
    pub stage: Option<String>,
    pub stage_started_at: Option<DateTimeUtc>,
    pub received_at: DateTimeUtc,
    pub review_due_at: Option<DateTimeUtc>,
    pub first_correction_at: Option<DateTimeUtc>,
    pub last_correction_at: Option<DateTimeUtc>,
    pub accepted_at: Option<DateTimeUtc>,
    pub clock_start_at: Option<DateTimeUtc>,
    pub due_at: Option<DateTimeUtc>,
    pub due_provisional: bool,
    pub decided_at: Option<DateTimeUtc>,
    pub decision: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_reasons: Option<String>,
    pub follow_up_check_on: Option<Date>,
    pub delivered_at: Option<DateTimeUtc>,
    pub delivery_method: Option<String>,
    pub closed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub feedback: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i64,
    /// The due moment the case ran past (kept after the decision; issue #11 point 3).
    pub overdue_at: Option<DateTimeUtc>,
    /// The due moment in force when the decision was taken.
    pub decision_due_at: Option<DateTimeUtc>,
    /// Whether the decision kept it (`None` before the decision).
    pub decided_on_time: Option<bool>,
    /// The material keys handed in at receipt (a JSON list), when recorded one by one.
    #[sea_orm(column_type = "Text", nullable)]
    pub received_materials: Option<String>,
    /// The 收件凭证's lookup code (查询码), normalised (upper case, no hyphen).
    pub lookup_code: Option<String>,
    /// What a list shows of `item_snapshot` (m0016): the item's name and its time limit, kind
    /// (`immediate`, `promised`) and amount (minutes, working days). `None` on a row an older
    /// instance wrote: read the snapshot then.
    pub item_name: Option<String>,
    pub time_limit_kind: Option<String>,
    pub time_limit_amount: Option<i32>,
    /// Who took the decision, delivered it, closed the case (m0020; `None` before it).
    pub decided_by: Option<i64>,
    pub delivered_by: Option<i64>,
    pub closed_by: Option<i64>,
}

super::no_relations!();
