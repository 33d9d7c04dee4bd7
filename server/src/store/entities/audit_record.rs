use sea_orm::entity::prelude::*;

/// One state change: who, when, what, before/after. Append-only and hash-chained
/// (one chain per center and one for the deployment).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_record")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 0: the deployment-wide chain; otherwise the center whose chain holds the record.
    pub chain_id: i64,
    /// The record's place in its chain: 1, 2, … without gaps.
    pub seq: i64,
    pub at: DateTimeUtc,
    pub actor_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub before: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

super::no_relations!();
