use sea_orm::entity::prelude::*;

/// A registered kiosk of a center: its device token (hashed) exempts it from the per-address
/// limit on anonymous writes until it is revoked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kiosk")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub center_id: i64,
    pub name: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub created_by: i64,
    pub revoked_at: Option<DateTimeUtc>,
}

super::no_relations!();
