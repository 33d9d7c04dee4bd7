use sea_orm::entity::prelude::*;

/// The due in force from a moment on — of the case (`stage` `None`) or of one stage — so that
/// every step can be judged against the due in force when it was taken (issue #11 point 3).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case_due")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    pub stage: Option<String>,
    pub effective_at: DateTimeUtc,
    /// `None` while the clock is stopped.
    pub due_at: Option<DateTimeUtc>,
    pub due_provisional: bool,
    pub cause: String,
}

super::no_relations!();
