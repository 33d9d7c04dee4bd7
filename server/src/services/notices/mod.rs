//! Notices (文书): numbered per unit, kind and year with no gaps and no duplicates — the number
//! is taken in the same transaction as the state change that issues it — rendered once, stored
//! with its data and a SHA-256, and never changed. Printing again is recorded and marked 补打.

pub mod data;
pub mod render;
mod stored;

use app::api::notices::{NoticeKind, NoticeSummary, NoticeView, PrintRecord};
use chrono::Datelike;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};

pub use data::{NoticeBody, NoticeData};

use super::{
    Ctx,
    audit::{self, Change},
};
use crate::{
    error::{AppError, AppResult},
    services::found,
    store::{
        counter,
        entities::{notice, notice_counter, notice_print, unit},
    },
};

/// Takes the next number of (unit, kind, year), in the caller's transaction.
async fn next_seq<C: ConnectionTrait>(
    txn: &C,
    unit_id: i64,
    kind: NoticeKind,
    year: i32,
) -> AppResult<i64> {
    use sea_orm::sea_query::IntoIden;
    counter::next(
        txn,
        notice_counter::Entity,
        vec![
            (notice_counter::Column::UnitId.into_iden(), unit_id.into()),
            (notice_counter::Column::Kind.into_iden(), kind.code().into()),
            (notice_counter::Column::Year.into_iden(), year.into()),
        ],
        notice_counter::Column::LastSeq,
    )
    .await
}

/// Issues a notice inside the caller's transaction and returns it; `issued_by` is the staff
/// member it is issued under and `audit_actor` who caused it (`None`: the system, e.g. a
/// deemed acceptance the law implies).
pub async fn issue<C: ConnectionTrait>(
    txn: &C,
    ctx: &Ctx,
    issued_by: i64,
    audit_actor: Option<i64>,
    unit_id: i64,
    case_id: Option<i64>,
    mut data: NoticeData,
) -> AppResult<notice::Model> {
    let kind = data.kind;
    let now = ctx.now;
    let year = ctx.today().year();
    let seq = next_seq(txn, unit_id, kind, year).await?;
    data.number = format!(
        "{}{}字〔{year}〕第{seq:05}号",
        data.unit_name,
        kind.number_word()
    );
    data.title = kind.title(data.licensing).to_string();
    data.issued_on = ctx.today();
    let html = render::document(&data);
    let sha256 = hex::encode(Sha256::digest(html.as_bytes()));
    let new_row = notice::ActiveModel {
        unit_id: Set(unit_id),
        kind: Set(kind.code().to_string()),
        year: Set(year),
        seq: Set(seq),
        number: Set(data.number.clone()),
        case_id: Set(case_id),
        title: Set(data.title.clone()),
        data: Set(data.to_stored()?),
        html: Set(html),
        sha256: Set(sha256.clone()),
        issued_by: Set(issued_by),
        issued_at: Set(now),
        ..Default::default()
    };
    let row = audit::insert_new(
        txn,
        now,
        audit_actor,
        ("notice.issue", "notice"),
        new_row,
        |row| {
            (
                row.id,
                serde_json::json!({
                    "kind": kind.code(), "number": row.number, "case_id": case_id, "sha256": sha256,
                }),
            )
        },
    )
    .await?;
    Ok(row)
}

async fn prints_of<C: ConnectionTrait>(db: &C, notice_id: i64) -> AppResult<i64> {
    Ok(notice_print::Entity::find()
        .filter(notice_print::Column::NoticeId.eq(notice_id))
        .count(db)
        .await? as i64)
}

pub async fn summary<C: ConnectionTrait>(db: &C, row: &notice::Model) -> AppResult<NoticeSummary> {
    Ok(NoticeSummary {
        id: row.id,
        kind: NoticeKind::from_code(&row.kind).ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("notice {} kind {}", row.id, row.kind))
        })?,
        number: row.number.clone(),
        title: row.title.clone(),
        case_id: row.case_id,
        issued_at: row.issued_at,
        sha256: row.sha256.clone(),
        prints: prints_of(db, row.id).await?,
    })
}

pub async fn of_case<C: ConnectionTrait>(db: &C, case_id: i64) -> AppResult<Vec<NoticeSummary>> {
    let rows = notice::Entity::find()
        .filter(notice::Column::CaseId.eq(case_id))
        .order_by_asc(notice::Column::Id)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        out.push(summary(db, row).await?);
    }
    Ok(out)
}

pub async fn load<C: ConnectionTrait>(db: &C, id: i64) -> AppResult<notice::Model> {
    found(db, notice::Entity, id, "文书").await
}

pub async fn view<C: ConnectionTrait>(db: &C, row: notice::Model) -> AppResult<NoticeView> {
    Ok(NoticeView {
        summary: summary(db, &row).await?,
        data: api_data(NoticeData::from_stored(&row.data)?)?,
        html: row.html,
    })
}

/// The notice's data as the API shows it: the service's own shape, not the stored one.
fn api_data(data: NoticeData) -> AppResult<serde_json::Value> {
    serde_json::to_value(data).map_err(AppError::internal)
}

/// Records a printing; every printing after the first is a reprint (补打).
pub async fn record_print(ctx: &Ctx, actor: i64, notice_id: i64) -> AppResult<PrintRecord> {
    let now = ctx.now;
    ctx.write_in_center(move |txn, _| {
        Box::pin(async move {
            let notice = load(txn, notice_id).await?;
            // On its unit's center's chain, locked before the printings are counted: two
            // printings at once are a print and a reprint, never two prints.
            let center_id = found(txn, unit::Entity, notice.unit_id, "单位")
                .await?
                .center_id;
            Ctx::lock_center(txn, center_id).await?;
            let earlier = prints_of(txn, notice_id).await?;
            let reprint = earlier > 0;
            notice_print::ActiveModel {
                notice_id: Set(notice_id),
                printed_by: Set(actor),
                printed_at: Set(now),
                reprint: Set(reprint),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            audit::record(
                txn,
                now,
                Change {
                    actor_id: Some(actor),
                    action: if reprint {
                        "notice.reprint"
                    } else {
                        "notice.print"
                    },
                    entity: "notice",
                    entity_id: notice_id.to_string(),
                    before: None,
                    after: Some(serde_json::json!({ "prints": earlier + 1 })),
                },
            )
            .await?;
            Ok(PrintRecord {
                notice_id,
                reprint,
                prints: earlier + 1,
            })
        })
    })
    .await
}
