use sea_orm::entity::prelude::*;

/// A 约谈 held with a person or unit with repeated problems.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "interview")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subject_kind: String,
    pub subject_id: i64,
    pub quarter: String,
    pub problems: i32,
    pub held_on: Date,
    pub interviewer_id: i64,
    #[sea_orm(column_type = "Text")]
    pub outcome: String,
    pub created_at: DateTimeUtc,
}

super::no_relations!();
