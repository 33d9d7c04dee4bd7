use sea_orm::entity::prelude::*;

/// A case handed from one owner (首问负责人) to another by the unit's chief representative.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_handover")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub from_staff_id: i64,
    pub to_staff_id: i64,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub handed_over_by: i64,
    pub handed_over_at: DateTimeUtc,
}

super::no_relations!();
