use sea_orm::entity::prelude::*;

/// The head of one audit chain (0: deployment-wide; otherwise a center's id): the newest
/// record's place in the chain, id and hash. Locked by the transaction that appends to it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_chain")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub chain_id: i64,
    pub last_seq: i64,
    pub last_id: i64,
    pub last_hash: String,
}

super::no_relations!();
