use sea_orm::entity::prelude::*;

/// A step taken — the decision, or a completed stage — with the due in force then and whether it
/// was on time (issue #11 point 3). Kept after the decision; supervision reads it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_step")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub step: String,
    pub done_at: DateTimeUtc,
    pub due_at: Option<DateTimeUtc>,
    pub timeliness: String,
}

super::no_relations!();
