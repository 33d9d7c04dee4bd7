use sea_orm::entity::prelude::*;

/// One acceptance review of a case, with every verdict.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_review")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub round: i32,
    #[sea_orm(column_type = "Text")]
    pub verdicts: String,
    pub outcome: String,
    #[sea_orm(column_type = "Text")]
    pub outcome_detail: String,
    pub reviewed_by: i64,
    pub reviewed_at: DateTimeUtc,
}

super::no_relations!();
