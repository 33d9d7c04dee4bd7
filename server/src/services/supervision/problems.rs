//! Problems: the list and one problem with its evidence link and files; problems filed by hand
//! from the seed's four channels (明察暗访、群众投诉、视频监控、实地督查) with photos or files.

use app::api::{
    Role,
    supervision::{FileView, NewProblem, ProblemQuery, ProblemView},
};
use rules::supervision::{ProblemKind, ProblemSource};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Set,
};

use super::{
    DEFAULT_RECTIFICATION_WORKING_DAYS, Raise, can_read_unit, raise, staff_name, text, unit_name,
};
use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, Principal, audit, center_of, found,
        paging::{ById, Page, PageRequest},
    },
    store::entities::{
        problem, problem_file, rectification, staff, staff_role, unit, violation, window,
        window_unit,
    },
};

/// The largest file attached to a problem (the API's body limit is 1 MiB); the browser checks
/// the same number before sending.
pub const MAX_FILE_BYTES: usize = app::api::supervision::MAX_FILE_BYTES as usize;
/// The most files one problem keeps from each side — the supervisors' evidence, and the
/// responsible unit's evidence of its fix: evidence is a few photos and a document, and without
/// a bound one account filled the disk with 900 KB uploads (40 in 0.6 s). One bound for both
/// let the supervised unit fill it and shut the supervisor's evidence out.
pub const MAX_FILES_PER_PROBLEM: u64 = 20;

/// The case a problem's evidence is about, if any: the case itself, one of its stages, a
/// violation on it or its extension.
pub(super) async fn case_of<C: ConnectionTrait>(
    db: &C,
    kind: &str,
    id: i64,
) -> AppResult<Option<i64>> {
    Ok(match kind {
        "case" => Some(id),
        k if k.starts_with("case_stage") => Some(id),
        "violation" => violation::Entity::find_by_id(id)
            .one(db)
            .await?
            .and_then(|v| v.case_id),
        "case_extension" => {
            use crate::store::entities::case_extension;
            case_extension::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|e| e.case_id)
        }
        _ => None,
    })
}

/// Where the evidence of a problem is read (the drill-down).
async fn evidence_link<C: ConnectionTrait>(
    db: &C,
    p: &problem::Model,
) -> AppResult<Option<String>> {
    let (Some(kind), Some(id)) = (p.evidence_kind.as_deref(), p.evidence_id) else {
        return Ok(None);
    };
    if let Some(case) = case_of(db, kind, id).await? {
        return Ok(Some(format!("/api/v1/cases/{case}")));
    }
    Ok(match kind {
        "ticket" => Some(format!("/api/v1/supervision/tickets/{id}")),
        "reassignment" => {
            use crate::store::entities::reassignment;
            reassignment::Entity::find_by_id(id)
                .one(db)
                .await?
                .map(|r| format!("/api/v1/supervision/tickets/{}", r.ticket_id))
        }
        "rating" => Some(format!("/api/v1/supervision/ratings/{id}")),
        "rectification" => Some(format!("/api/v1/supervision/rectifications/{id}")),
        _ => None,
    })
}

pub(crate) async fn view<C: ConnectionTrait>(db: &C, p: problem::Model) -> AppResult<ProblemView> {
    let item = rectification::Entity::find()
        .filter(rectification::Column::ProblemId.eq(p.id))
        .one(db)
        .await?;
    let files = problem_file::Entity::find()
        .select_only()
        .columns([
            problem_file::Column::Id,
            problem_file::Column::FileName,
            problem_file::Column::ContentType,
            problem_file::Column::Size,
        ])
        .filter(problem_file::Column::ProblemId.eq(p.id))
        .order_by_asc(problem_file::Column::Id)
        .into_tuple::<(i64, String, String, i64)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, file_name, content_type, size)| FileView {
            id,
            file_name,
            content_type,
            size,
        })
        .collect();
    let kind = ProblemKind::from_code(&p.kind).unwrap_or(ProblemKind::Conduct);
    let source = ProblemSource::from_code(&p.source).unwrap_or(ProblemSource::Detected);
    Ok(ProblemView {
        id: p.id,
        kind,
        kind_label: kind.label_zh().into(),
        source,
        source_label: source.label_zh().into(),
        center_id: p.center_id,
        unit_id: p.unit_id,
        unit_name: match p.unit_id {
            Some(u) => Some(unit_name(db, u).await?),
            None => None,
        },
        window_id: p.window_id,
        staff_id: p.staff_id,
        staff_name: staff_name(db, p.staff_id).await?,
        found_at: p.found_at,
        found_on: p.found_on,
        description: p.description.clone(),
        evidence_link: evidence_link(db, &p).await?,
        evidence_kind: p.evidence_kind,
        evidence_id: p.evidence_id,
        struck: p.struck,
        rectification_id: item.as_ref().map(|i| i.id),
        rectification_status: item.map(|i| i.status.into()),
        files,
    })
}

/// Problems, newest first: supervisors see all, unit staff their unit's.
/// A page of problems, newest first: at most `page.limit`, each older than `page.after` (a
/// problem id) when given.
pub async fn list(
    ctx: &Ctx,
    p: &Principal,
    q: ProblemQuery,
    page: &PageRequest<i64>,
) -> AppResult<Page<ProblemView, i64>> {
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from > to
    {
        return Err(
            AppError::invalid("from_after_to", "开始日期不能晚于结束日期").with_field("from"),
        );
    }
    let mut find = problem::Entity::find();
    if !p.has(Role::Supervisor) {
        let unit = p.unit_id.ok_or_else(AppError::forbidden)?;
        find = find.filter(problem::Column::UnitId.eq(unit));
    }
    if let Some(k) = &q.kind {
        find = find.filter(problem::Column::Kind.eq(k.clone()));
    }
    if let Some(s) = &q.source {
        find = find.filter(problem::Column::Source.eq(s.clone()));
    }
    if let Some(u) = q.unit_id {
        find = find.filter(problem::Column::UnitId.eq(u));
    }
    if let Some(s) = q.staff_id {
        find = find.filter(problem::Column::StaffId.eq(s));
    }
    if let Some(from) = q.from {
        find = find.filter(problem::Column::FoundOn.gte(from));
    }
    if let Some(to) = q.to {
        find = find.filter(problem::Column::FoundOn.lte(to));
    }
    let rows = page
        .by_id(ctx.conn(), find, problem::Column::Id, ById::NewestFirst)
        .await?;
    rows.try_map(|row| view(ctx.conn(), row)).await
}

async fn readable<C: ConnectionTrait>(db: &C, p: &Principal, id: i64) -> AppResult<problem::Model> {
    let row = found(db, problem::Entity, id, "问题").await?;
    if !can_read_unit(p, row.unit_id) {
        return Err(AppError::not_found("问题"));
    }
    Ok(row)
}

/// One problem (supervisors; the staff of its unit).
pub async fn detail(ctx: &Ctx, p: &Principal, id: i64) -> AppResult<ProblemView> {
    let row = readable(ctx.conn(), p, id).await?;
    view(ctx.conn(), row).await
}

/// Files a problem by hand from one of the four channels, with its rectification item.
pub async fn create(ctx: &Ctx, p: &Principal, body: NewProblem) -> AppResult<ProblemView> {
    if !body.source.is_manual() {
        return Err(AppError::invalid(
            "not_a_manual_channel",
            "问题来源须为明察暗访、群众投诉、视频监控或实地督查",
        )
        .with_field("source"));
    }
    body.check()?;
    let description = text(&body.description, "description", "问题描述", 500)?;
    let working_days = body
        .working_days
        .unwrap_or(DEFAULT_RECTIFICATION_WORKING_DAYS);
    let actor = p.id;
    let created = ctx
        .write_in_center(move |txn, ctx| {
            Box::pin(async move {
                let u = unit::Entity::find_by_id(body.unit_id)
                    .one(txn)
                    .await?
                    .filter(|u| u.active)
                    .ok_or_else(|| {
                        AppError::invalid("unknown_unit", "没有这个单位").with_field("unit_id")
                    })?;
                Ctx::lock_center(txn, u.center_id).await?;
                if let Some(w) = body.window_id {
                    let ok = window::Entity::find_by_id(w)
                        .one(txn)
                        .await?
                        .is_some_and(|w| w.center_id == u.center_id);
                    if !ok {
                        return Err(AppError::invalid("unknown_window", "没有这个窗口")
                            .with_field("window_id"));
                    }
                    // The problem counts on the window's score: it must be a window of the unit.
                    let serves = window_unit::Entity::find_by_id((w, u.id)).one(txn).await?;
                    if serves.is_none() {
                        return Err(AppError::invalid(
                            "window_not_of_unit",
                            "该窗口不办理所选单位的事项",
                        )
                        .with_field("window_id"));
                    }
                }
                if let Some(s) = body.staff_id {
                    let ok = staff::Entity::find_by_id(s)
                        .one(txn)
                        .await?
                        .is_some_and(|s| s.unit_id == Some(u.id));
                    if !ok {
                        return Err(AppError::invalid(
                            "staff_not_of_unit",
                            "责任人须为该单位的工作人员",
                        )
                        .with_field("staff_id"));
                    }
                }
                if let Some(c) = body.case_id {
                    use crate::store::entities::cases;
                    let ok = cases::Entity::find_by_id(c)
                        .one(txn)
                        .await?
                        .is_some_and(|c| c.unit_id == u.id);
                    if !ok {
                        return Err(
                            AppError::invalid("case_not_of_unit", "该办件不属于所选单位")
                                .with_field("case_id"),
                        );
                    }
                }
                let raised = raise(
                    txn,
                    &ctx,
                    Raise {
                        kind: body.kind,
                        source: body.source,
                        center_id: u.center_id,
                        unit_id: u.id,
                        window_id: body.window_id,
                        staff_id: body.staff_id,
                        description,
                        evidence: body.case_id.map(|c| ("case", c)),
                        key_extra: None,
                        reported_by: Some(actor),
                        working_days,
                    },
                )
                .await?;
                let (row, _) = raised.ok_or_else(|| {
                    AppError::internal(anyhow::anyhow!("a manual problem has no dedupe key"))
                })?;
                Ok(row)
            })
        })
        .await?;
    view(ctx.conn(), created).await
}

/// What a file's first bytes say it is; only photos and PDF are kept.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// `name` ending with an extension of `kind` (the sniffed type): kept when it does, else with
/// the type's extension added — PNG bytes named `evil.html` are kept as `evil.html.png`, so that
/// a download never opens as a page or a program.
fn named_as(name: String, kind: &str) -> String {
    let extensions: &[&str] = match kind {
        "image/jpeg" => &["jpg", "jpeg"],
        "image/png" => &["png"],
        _ => &["pdf"],
    };
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    if ext.is_some_and(|e| extensions.contains(&e.as_str())) {
        name
    } else {
        format!("{name}.{}", extensions[0])
    }
}

/// Whether `p` may attach a file to problem `id`: a supervisor to any problem they may read; the
/// responsible unit's clerks and chief representative (谁办理、谁负责) their evidence while the
/// item is theirs to fix (待整改, 重新整改) — another unit's staff are refused (403), an item
/// reported, closed out or withdrawn is (409).
async fn attachable<C: ConnectionTrait>(db: &C, p: &Principal, id: i64) -> AppResult<()> {
    use rules::RectificationStatus as S;
    if p.has(Role::Supervisor) {
        return readable(db, p, id).await.map(|_| ());
    }
    let row = found(db, problem::Entity, id, "问题").await?;
    if !can_read_unit(p, row.unit_id) {
        return Err(AppError::not_here(
            "not_responsible_unit",
            "只有责任单位的工作人员可以上传整改证据",
        ));
    }
    let status = rectification::Entity::find()
        .filter(rectification::Column::ProblemId.eq(id))
        .one(db)
        .await?
        .map(|item| S::from(item.status));
    match status {
        Some(S::Open | S::Reopened) => Ok(()),
        Some(s) => Err(AppError::conflict(
            "rectification_not_open",
            format!("该整改事项当前状态为“{}”，不能再上传整改证据", s.label_zh()),
        )),
        None => Err(AppError::conflict(
            "rectification_not_open",
            "该问题没有待整改的事项，不能上传整改证据",
        )),
    }
}

/// Attaches a photo or file to a problem (supervisors; the responsible unit while its item is
/// open, see [`attachable`]). The declared type must be what the bytes are; size at most
/// [`MAX_FILE_BYTES`].
pub async fn attach(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    file_name: String,
    declared: Option<String>,
    bytes: Vec<u8>,
) -> AppResult<FileView> {
    let file_name = text(&file_name, "name", "文件名", 100)?;
    if file_name.contains(['/', '\\']) {
        return Err(AppError::invalid("bad_file_name", "文件名不能含有路径").with_field("name"));
    }
    if bytes.is_empty() || bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::invalid(
            "file_size",
            format!("文件须为 1 字节至 {} KB", MAX_FILE_BYTES / 1024),
        )
        .with_field("file"));
    }
    let kind = sniff(&bytes).ok_or_else(|| {
        AppError::invalid("file_type", "只能上传 JPEG、PNG 照片或 PDF 文件").with_field("file")
    })?;
    if declared.as_deref().is_some_and(|d| d != kind) {
        return Err(
            AppError::invalid("file_type_mismatch", "文件内容与声明的类型不符").with_field("file"),
        );
    }
    let file_name = named_as(file_name, kind);
    let actor = p.id;
    let p = p.clone();
    let center = center_of::<problem::Entity>(ctx, problem::Column::CenterId, id, "问题").await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            attachable(txn, &p, id).await?;
            let supervisors = staff_role::Entity::find()
                .select_only()
                .column(staff_role::Column::StaffId)
                .filter(staff_role::Column::Role.eq(Role::Supervisor.code()));
            let uploader = problem_file::Column::UploadedBy;
            let same_side = if p.has(Role::Supervisor) {
                uploader.in_subquery(supervisors.into_query())
            } else {
                uploader.not_in_subquery(supervisors.into_query())
            };
            let kept = problem_file::Entity::find()
                .filter(problem_file::Column::ProblemId.eq(id))
                .filter(same_side)
                .count(txn)
                .await?;
            if kept >= MAX_FILES_PER_PROBLEM {
                let side = if p.has(Role::Supervisor) {
                    "督查"
                } else {
                    "整改单位"
                };
                return Err(AppError::conflict(
                    "too_many_files",
                    format!(
                        "每个问题最多保存{side}上传的 {MAX_FILES_PER_PROBLEM} 个文件，已经达到上限"
                    ),
                ));
            }
            let size = bytes.len() as i64;
            let new_row = problem_file::ActiveModel {
                problem_id: Set(id),
                file_name: Set(file_name),
                content_type: Set(kind.into()),
                size: Set(size),
                bytes: Set(bytes),
                uploaded_by: Set(actor),
                uploaded_at: Set(ctx.now),
                ..Default::default()
            };
            let row = audit::insert_new(
                txn,
                ctx.now,
                Some(actor),
                ("problem.attach", "problem_file"),
                new_row,
                |row| {
                    (
                        row.id,
                        serde_json::json!({
                            "problem_id": id, "file_name": row.file_name,
                            "content_type": row.content_type, "size": row.size,
                        }),
                    )
                },
            )
            .await?;
            Ok(FileView {
                id: row.id,
                file_name: row.file_name,
                content_type: row.content_type,
                size: row.size,
            })
        })
    })
    .await
}

/// A problem's file, for staff who may see the problem.
pub async fn file(
    ctx: &Ctx,
    p: &Principal,
    id: i64,
    file_id: i64,
) -> AppResult<(String, String, Vec<u8>)> {
    readable(ctx.conn(), p, id).await?;
    let f = problem_file::Entity::find_by_id(file_id)
        .one(ctx.conn())
        .await?
        .filter(|f| f.problem_id == id)
        .ok_or_else(|| AppError::not_found("文件"))?;
    Ok((f.file_name, f.content_type, f.bytes))
}
