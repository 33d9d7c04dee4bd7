//! The audit chain's seal: how a record's hash is computed, which key sealed the chain, and the
//! anchors kept outside the database.
//!
//! - Each record's hash is an HMAC-SHA256, keyed with the configured `audit_key`, over the
//!   previous record's hash and every field ([`chain_hash`]). Someone who can edit the database
//!   but does not hold the key cannot recompute the chain after editing a row: `audit-verify`
//!   names the row. The key is never stored in the database.
//! - `audit_seal` holds a check value of the key ([`key_check`]); the server refuses to start
//!   with another key, and the verifier says so instead of reporting every record as edited.
//! - A chain written before keying (plain SHA-256) is sealed once: `server audit-seal` checks it
//!   as it was written, then recomputes every hash with the key. In dev mode the server does this
//!   itself at start; in production it refuses to start until the operator has run the command.
//! - Anchors: with `audit_anchor_file` set, the server appends the chain's head (`id`, `hash`)
//!   to that file as the chain grows. The file lives outside the database; `audit-verify` checks
//!   that every anchored record still has the anchored hash, so that even someone holding the
//!   key cannot rewrite history that was anchored, nor cut the chain's end off unnoticed.
//!
//! - Chains (issue 16): one per center and one for the deployment (`store::chain`). A record's
//!   hash covers its chain and its place in it (`seq`); [`verify`] walks every chain. Anchors
//!   name records by their `id`, which is unique across chains, so one file serves them all.
//!
//! [`chain_hash`] is the one place that computes a hash.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    io::{BufRead, Write},
    path::Path,
};

use app::api::audit::Verification;
use chrono::{DateTime, SecondsFormat, Utc};
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};
use sha2::{Digest, Sha256};

use crate::{
    error::{AppError, AppResult},
    store::{
        AuditKey, Db,
        entities::{audit_chain, audit_record, audit_seal},
    },
};

pub use crate::store::chain::GENESIS_HASH;

/// What a record's hash covers.
pub struct Fields<'a> {
    /// 0 for the deployment-wide chain (whose records are framed as before chains existed).
    pub chain_id: i64,
    /// The place in the chain.
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub prev_hash: &'a str,
}

impl<'a> Fields<'a> {
    pub fn of(row: &'a audit_record::Model, prev_hash: &'a str) -> Self {
        Fields {
            chain_id: row.chain_id,
            seq: row.seq,
            at: row.at,
            actor_id: row.actor_id,
            action: &row.action,
            entity: &row.entity,
            entity_id: &row.entity_id,
            before: row.before.as_deref(),
            after: row.after.as_deref(),
            prev_hash,
        }
    }
}

/// How hashes are computed: with the key, or (only to check a chain written before keying) the
/// plain SHA-256 of that time.
#[derive(Clone, Copy)]
pub enum Sealing<'k> {
    Keyed(&'k AuditKey),
    Unkeyed,
}

/// The hash of one record: the previous hash and every field, each length-prefixed so that no
/// two different records give the same input; HMAC-SHA256 under the key.
pub fn chain_hash(sealing: Sealing<'_>, f: &Fields<'_>) -> String {
    match sealing {
        Sealing::Keyed(key) => {
            let mut mac = Hmac::<Sha256>::new_from_slice(key.bytes())
                .expect("HMAC takes a key of any length");
            feed(f, |bytes| mac.update(bytes));
            hex::encode(mac.finalize().into_bytes())
        }
        Sealing::Unkeyed => {
            let mut hasher = Sha256::new();
            feed(f, |bytes| hasher.update(bytes));
            hex::encode(hasher.finalize())
        }
    }
}

fn feed(f: &Fields<'_>, mut update: impl FnMut(&[u8])) {
    let mut put = |label: &str, value: Option<&str>| {
        let value = value.unwrap_or("\u{0}null");
        update(label.as_bytes());
        update(&(value.len() as u64).to_be_bytes());
        update(value.as_bytes());
    };
    if f.chain_id != crate::store::chain::DEPLOYMENT {
        put("chain", Some(&f.chain_id.to_string()));
    }
    put("prev", Some(f.prev_hash));
    put("id", Some(&f.seq.to_string()));
    put(
        "at",
        Some(&f.at.to_rfc3339_opts(SecondsFormat::Micros, true)),
    );
    put("actor", f.actor_id.map(|a| a.to_string()).as_deref());
    put("action", Some(f.action));
    put("entity", Some(f.entity));
    put("entity_id", Some(f.entity_id));
    put("before", f.before);
    put("after", f.after);
}

/// A check value of the key: an HMAC of a fixed text, safe to store beside the chain.
pub fn key_check(key: &AuditKey) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.bytes()).expect("HMAC takes a key of any length");
    mac.update(b"chuangkou audit key check v1");
    hex::encode(mac.finalize().into_bytes())
}

fn broken(records: u64, id: i64, reason: &str) -> Verification {
    Verification {
        ok: false,
        records,
        first_broken_id: Some(id),
        reason: Some(reason.to_string()),
    }
}

/// Walks every chain in order with `sealing`, naming the first record that no longer matches
/// (edited, removed, inserted, moved to another chain) or a head that does not point at its
/// chain's last record.
pub async fn walk<C: ConnectionTrait>(db: &C, sealing: Sealing<'_>) -> AppResult<Verification> {
    let mut heads: BTreeMap<i64, audit_chain::Model> = audit_chain::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.chain_id, h))
        .collect();
    let mut count = 0u64;
    // The chain being walked: its id, the seq and hash of its last record seen, and its id.
    let mut walking: Option<(i64, i64, String, i64)> = None;
    let mut pages = audit_record::Entity::find()
        .order_by_asc(audit_record::Column::ChainId)
        .order_by_asc(audit_record::Column::Seq)
        .paginate(db, 1000);
    while let Some(rows) = pages.fetch_and_next().await? {
        for row in rows {
            let (expected_seq, expected_prev) = match &walking {
                Some((chain, seq, hash, _)) if *chain == row.chain_id => (seq + 1, hash.clone()),
                _ => {
                    if let Some(done) = walking.take()
                        && let Some(broken) = check_head(&mut heads, done, count)
                    {
                        return Ok(broken);
                    }
                    if !heads.contains_key(&row.chain_id) {
                        return Ok(broken(count, row.id, "记录所属的审计链没有链尾记录"));
                    }
                    (1, GENESIS_HASH.to_string())
                }
            };
            if row.seq != expected_seq {
                return Ok(broken(
                    count,
                    row.id,
                    "记录编号不连续（有记录被删除或插入）",
                ));
            }
            if row.prev_hash != expected_prev {
                return Ok(broken(count, row.id, "与前一条记录的链接不符"));
            }
            if chain_hash(sealing, &Fields::of(&row, &row.prev_hash)) != row.hash {
                return Ok(broken(count, row.id, "记录内容已被修改"));
            }
            walking = Some((row.chain_id, row.seq, row.hash, row.id));
            count += 1;
        }
    }
    if let Some(done) = walking.take()
        && let Some(broken) = check_head(&mut heads, done, count)
    {
        return Ok(broken);
    }
    // Heads whose chain has no record left at all.
    if let Some(head) = heads.values().find(|h| h.last_seq != 0) {
        return Ok(broken(
            count,
            head.last_id,
            "链尾与最新记录不符（最新记录被删除或修改）",
        ));
    }
    Ok(Verification {
        ok: true,
        records: count,
        first_broken_id: None,
        reason: None,
    })
}

/// Whether the head of the chain just walked points at its last record (`done`: chain, seq,
/// hash and id of that record); the head is taken out of `heads`.
fn check_head(
    heads: &mut BTreeMap<i64, audit_chain::Model>,
    (chain, seq, hash, id): (i64, i64, String, i64),
    count: u64,
) -> Option<Verification> {
    let head = heads.remove(&chain)?;
    (head.last_seq != seq || head.last_hash != hash).then(|| {
        broken(
            count,
            head.last_id.max(id),
            "链尾与最新记录不符（最新记录被删除或修改）",
        )
    })
}

/// Checks the chain with `key`: it must be sealed with that key and every record must match.
pub async fn verify<C: ConnectionTrait>(db: &C, key: &AuditKey) -> AppResult<Verification> {
    let seal = audit_seal::Entity::find_by_id(1).one(db).await?;
    match seal {
        Some(seal) if seal.key_check == key_check(key) => walk(db, Sealing::Keyed(key)).await,
        Some(_) => Ok(Verification {
            ok: false,
            records: 0,
            first_broken_id: None,
            reason: Some("配置的审计密钥不是封存此审计链的密钥".into()),
        }),
        None => {
            let records = audit_record::Entity::find().count(db).await?;
            Ok(Verification {
                ok: records == 0,
                records: 0,
                first_broken_id: None,
                reason: (records > 0).then(|| "审计链未以密钥封存（缺少封存记录）".into()),
            })
        }
    }
}

/// [`verify`], then (when the chain itself checks out) every anchor kept outside the database.
pub async fn verify_with_anchors<C: ConnectionTrait>(
    db: &C,
    key: &AuditKey,
    anchors: &[Anchor],
) -> AppResult<Verification> {
    let verification = verify(db, key).await?;
    if !verification.ok {
        return Ok(verification);
    }
    Ok(verify_anchors(db, anchors, verification.records)
        .await?
        .unwrap_or(verification))
}

/// What to do at start with a chain that has records but no seal (written before keying).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsealed {
    /// Check it as written and seal it with the key (dev mode; `server audit-seal`).
    Seal,
    /// Refuse: the operator runs `server audit-seal` (production).
    Refuse,
}

/// Makes sure the chain is sealed with the database's key before anything is appended. A fresh
/// database is sealed at once; a chain sealed with another key is an error (the wrong key is
/// configured); an unsealed chain with records is handled as `unsealed` says.
pub async fn ensure_sealed(db: &Db, unsealed: Unsealed) -> anyhow::Result<()> {
    let key = db.audit_key().clone();
    db.write(move |txn| {
        Box::pin(async move {
            let expected = key_check(&key);
            match audit_seal::Entity::find_by_id(1).one(txn).await? {
                Some(seal) if seal.key_check == expected => return Ok(()),
                Some(_) => {
                    return Err(AppError::internal(anyhow::anyhow!(
                        "audit_key is not the key this database's audit chain is sealed with"
                    )));
                }
                None => {}
            }
            let records = audit_record::Entity::find().count(txn).await?;
            if records > 0 {
                if unsealed == Unsealed::Refuse {
                    return Err(AppError::internal(anyhow::anyhow!(
                        "the audit chain was written before it was keyed: run `server \
                         audit-seal` once to check it and seal it with the configured audit_key"
                    )));
                }
                reseal(txn, &key).await?;
            }
            audit_seal::ActiveModel {
                id: Set(1),
                key_check: Set(expected),
            }
            .insert(txn)
            .await?;
            Ok(())
        })
    })
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Checks a chain written before keying as it was written, then recomputes every hash with the
/// key. A chain that does not check out is not sealed: that would launder the edit.
async fn reseal(txn: &sea_orm::DatabaseTransaction, key: &AuditKey) -> AppResult<()> {
    let before = walk(txn, Sealing::Unkeyed).await?;
    if !before.ok {
        return Err(AppError::internal(anyhow::anyhow!(
            "the unkeyed audit chain is broken at record {} ({}); it is not sealed",
            before.first_broken_id.unwrap_or_default(),
            before.reason.unwrap_or_default()
        )));
    }
    let rows = audit_record::Entity::find()
        .order_by_asc(audit_record::Column::ChainId)
        .order_by_asc(audit_record::Column::Seq)
        .all(txn)
        .await?;
    let mut prev: Option<(i64, String)> = None;
    let mut heads = BTreeMap::new();
    for row in rows {
        let prev_hash = match &prev {
            Some((chain, hash)) if *chain == row.chain_id => hash.clone(),
            _ => GENESIS_HASH.to_string(),
        };
        let hash = chain_hash(Sealing::Keyed(key), &Fields::of(&row, &prev_hash));
        let chain = row.chain_id;
        heads.insert(chain, hash.clone());
        let mut model: audit_record::ActiveModel = row.into();
        model.prev_hash = Set(prev_hash);
        model.hash = Set(hash.clone());
        model.update(txn).await?;
        prev = Some((chain, hash));
    }
    for (chain, hash) in heads {
        audit_chain::Entity::update_many()
            .col_expr(audit_chain::Column::LastHash, Expr::value(hash))
            .filter(audit_chain::Column::ChainId.eq(chain))
            .exec(txn)
            .await?;
    }
    tracing::warn!(
        records = before.records,
        "the audit chain written before keying checked out and is now sealed with the audit key"
    );
    Ok(())
}

/// One line of the anchor file: the chain's head at some moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub id: i64,
    pub hash: String,
}

/// Reads the anchor file (`id hash [when]` per line). A missing file has no anchors yet.
pub fn read_anchors(path: &Path) -> std::io::Result<Vec<Anchor>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err),
    };
    let mut anchors = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        let mut parts = line.split_whitespace();
        let (Some(id), Some(hash)) = (parts.next(), parts.next()) else {
            continue;
        };
        let id = id.parse().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("bad anchor line: {line}"),
            )
        })?;
        anchors.push(Anchor {
            id,
            hash: hash.to_string(),
        });
    }
    Ok(anchors)
}

/// Appends the head of every chain that has grown since it was last anchored to the anchor
/// file; `anchored` maps a chain to the record id last anchored for it. Empty at start: a head
/// already in `file_ids` (the ids the file holds) is not written again.
pub async fn anchor_heads<C: ConnectionTrait>(
    db: &C,
    path: &Path,
    anchored: &mut HashMap<i64, i64>,
    file_ids: &HashSet<i64>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let heads = audit_chain::Entity::find()
        .order_by_asc(audit_chain::Column::ChainId)
        .all(db)
        .await?;
    let mut grown = Vec::new();
    for head in heads {
        if head.last_seq == 0 || anchored.get(&head.chain_id) == Some(&head.last_id) {
            continue;
        }
        if file_ids.contains(&head.last_id) {
            anchored.insert(head.chain_id, head.last_id);
        } else {
            grown.push(head);
        }
    }
    if grown.is_empty() {
        return Ok(());
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let when = now.to_rfc3339_opts(SecondsFormat::Secs, true);
    for head in &grown {
        writeln!(file, "{} {} {when}", head.last_id, head.last_hash)?;
    }
    file.sync_data()?;
    for head in grown {
        anchored.insert(head.chain_id, head.last_id);
    }
    Ok(())
}

/// Checks that every anchored record still has the anchored hash (and still exists).
pub async fn verify_anchors<C: ConnectionTrait>(
    db: &C,
    anchors: &[Anchor],
    records: u64,
) -> AppResult<Option<Verification>> {
    for anchor in anchors {
        let row = audit_record::Entity::find_by_id(anchor.id).one(db).await?;
        match row {
            Some(row) if row.hash == anchor.hash => {}
            Some(_) => return Ok(Some(broken(records, anchor.id, "与链外锚点记录的哈希不符"))),
            None => {
                return Ok(Some(broken(
                    records,
                    anchor.id,
                    "链外锚点记录的审计记录已不存在（链尾被截断）",
                )));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields<'a>(prev: &'a str, after: Option<&'a str>) -> Fields<'a> {
        Fields {
            chain_id: 0,
            seq: 1,
            at: DateTime::parse_from_rfc3339("2026-03-02T01:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            actor_id: Some(7),
            action: "center.create",
            entity: "service_center",
            entity_id: "1",
            before: None,
            after,
            prev_hash: prev,
        }
    }

    fn key(text: &str) -> AuditKey {
        AuditKey::new(text)
    }

    #[test]
    fn the_hash_depends_on_every_field_and_the_previous_hash() {
        let k = key("k".repeat(32).as_str());
        let s = Sealing::Keyed(&k);
        let a = chain_hash(s, &fields(GENESIS_HASH, Some("{\"name\":\"a\"}")));
        let b = chain_hash(s, &fields(GENESIS_HASH, Some("{\"name\":\"b\"}")));
        let c = chain_hash(s, &fields(&a, Some("{\"name\":\"a\"}")));
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn a_missing_value_and_an_empty_value_hash_differently() {
        let k = key("k".repeat(32).as_str());
        assert_ne!(
            chain_hash(Sealing::Keyed(&k), &fields(GENESIS_HASH, None)),
            chain_hash(Sealing::Keyed(&k), &fields(GENESIS_HASH, Some("")))
        );
    }

    #[test]
    fn without_the_key_the_hash_cannot_be_recomputed() {
        let right = key("the-right-key-the-right-key-0123");
        let wrong = key("the-wrong-key-the-wrong-key-0123");
        let f = fields(GENESIS_HASH, Some("{}"));
        let sealed = chain_hash(Sealing::Keyed(&right), &f);
        assert_ne!(sealed, chain_hash(Sealing::Keyed(&wrong), &f));
        assert_ne!(sealed, chain_hash(Sealing::Unkeyed, &f));
        assert_eq!(sealed, chain_hash(Sealing::Keyed(&right), &f));
    }

    #[test]
    fn the_key_check_names_the_key_without_revealing_it() {
        let a = key("the-right-key-the-right-key-0123");
        let b = key("the-wrong-key-the-wrong-key-0123");
        assert_ne!(key_check(&a), key_check(&b));
        assert!(!key_check(&a).contains("right"));
    }

    #[test]
    fn anchors_are_read_back_as_written_and_a_missing_file_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("anchors");
        assert!(read_anchors(&path).unwrap().is_empty());
        std::fs::write(&path, "3 abc 2026-03-04T02:00:00Z\n\n9 def\n").unwrap();
        assert_eq!(
            read_anchors(&path).unwrap(),
            vec![
                Anchor {
                    id: 3,
                    hash: "abc".into()
                },
                Anchor {
                    id: 9,
                    hash: "def".into()
                }
            ]
        );
    }
}
