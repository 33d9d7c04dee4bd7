use sea_orm::entity::prelude::*;

/// A recurring after-hours slot (e.g. weekdays 17:00–19:00).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "slot_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_id: i64,
    pub unit_id: Option<i64>,
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub weekdays: String,
    #[sea_orm(column_type = "Text")]
    pub item_codes: String,
    pub start_time: Time,
    pub end_time: Time,
    pub capacity: i32,
    #[sea_orm(column_type = "Text")]
    pub duty_staff_ids: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Also every rest day (公休日; issue #11 point 9).
    pub rest_days: bool,
    /// Also every day of a public holiday (法定节假日).
    pub public_holidays: bool,
}

super::no_relations!();
