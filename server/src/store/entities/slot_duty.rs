use sea_orm::entity::prelude::*;

/// The duty roster (排班) of a slot and each check-in.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "slot_duty")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub slot_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub staff_id: i64,
    pub checked_in_at: Option<DateTimeUtc>,
    pub late_minutes: Option<i32>,
}

super::no_relations!();
