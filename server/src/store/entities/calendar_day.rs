use sea_orm::entity::prelude::*;

/// A day that differs from the Monday–Friday rule: a holiday, or a make-up working day (调休).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_day")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub date: Date,
    pub year: i32,
    /// `holiday` | `workday`
    pub kind: String,
    pub name: String,
    pub part_of_run: bool,
}

super::no_relations!();
