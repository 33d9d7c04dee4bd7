use sea_orm::entity::prelude::*;

/// One answered item of a weekly patrol; a finding names its problem.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "patrol_answer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub patrol_id: i64,
    pub position: i32,
    /// The item's wording when the patrol was made (the checklist is configurable).
    #[sea_orm(column_type = "Text")]
    pub item: String,
    pub ok: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    pub unit_id: Option<i64>,
    pub problem_id: Option<i64>,
}

super::no_relations!();
