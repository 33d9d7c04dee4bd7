use sea_orm::entity::prelude::*;

/// A "cannot serve" report and the chief representative's reassignment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reassignment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub ticket_id: i64,
    pub center_id: i64,
    pub unit_id: i64,
    pub from_staff_id: i64,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub created_at: DateTimeUtc,
    pub assigned_staff_id: Option<i64>,
    pub assigned_window_id: Option<i64>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<DateTimeUtc>,
}

super::no_relations!();
