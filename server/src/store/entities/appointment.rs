use sea_orm::entity::prelude::*;

/// An after-hours appointment (`Appointment`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "appointment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub code: String,
    pub slot_id: i64,
    pub center_id: i64,
    pub item_code: String,
    pub name: String,
    pub phone: crate::store::columns::StoredPhone,
    pub id_number: Option<String>,
    pub method: String,
    pub status: crate::store::columns::AppointmentStatus,
    pub created_at: DateTimeUtc,
    pub created_by: Option<i64>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub arrived_at: Option<DateTimeUtc>,
    pub ticket_id: Option<i64>,
    pub no_show_at: Option<DateTimeUtc>,
    pub version: i64,
}

super::no_relations!();
