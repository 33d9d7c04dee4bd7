//! 周巡查: a supervisor's weekly patrol of a center with the configured checklist, filled in on
//! the phone. Every item is answered; each finding becomes a problem (实地督查) with its
//! rectification item for the unit named. One patrol per center and ISO week.

use app::api::supervision::{
    NewPatrol, PatrolAnswerView, PatrolChecklist, PatrolQuery, PatrolView,
};
use rules::supervision::{PatrolAnswer, ProblemKind, ProblemSource, check_patrol, patrol_week};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{DEFAULT_RECTIFICATION_WORKING_DAYS, Raise, raise, staff_name, text};
use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, Principal,
        audit::{self, Change},
        found,
        paging::{ById, Page, PageRequest},
    },
    store::entities::{patrol, patrol_answer, service_center, unit},
};

/// This week's checklist.
pub fn checklist(ctx: &Ctx) -> PatrolChecklist {
    PatrolChecklist {
        week: patrol_week(ctx.today()),
        items: ctx.settings.patrol_items.clone(),
    }
}

async fn view<C: ConnectionTrait>(db: &C, p: patrol::Model) -> AppResult<PatrolView> {
    let answers = patrol_answer::Entity::find()
        .filter(patrol_answer::Column::PatrolId.eq(p.id))
        .order_by_asc(patrol_answer::Column::Position)
        .all(db)
        .await?;
    Ok(PatrolView {
        id: p.id,
        center_id: p.center_id,
        week: p.week,
        patrolled_on: p.patrolled_on,
        inspector_name: staff_name(db, Some(p.inspector_id))
            .await?
            .unwrap_or_default(),
        findings: answers.iter().filter(|a| !a.ok).count() as u32,
        answers: answers
            .into_iter()
            .map(|a| PatrolAnswerView {
                item: a.position as u32,
                label: a.item,
                ok: a.ok,
                note: a.note,
                unit_id: a.unit_id,
                problem_id: a.problem_id,
            })
            .collect(),
    })
}

/// Records this week's patrol of a center; its findings become problems (Supervisor).
pub async fn record(ctx: &Ctx, p: &Principal, body: NewPatrol) -> AppResult<PatrolView> {
    let items = ctx.settings.patrol_items.clone();
    let checked: Vec<PatrolAnswer> = body
        .answers
        .iter()
        .map(|a| PatrolAnswer {
            item: a.item as usize,
            ok: a.ok,
            has_note: a.note.as_deref().is_some_and(|n| !n.trim().is_empty()),
            has_unit: a.unit_id.is_some(),
        })
        .collect();
    check_patrol(items.len(), &checked)
        .map_err(|e| AppError::invalid(e.code(), e.to_string()).with_field("answers"))?;
    let mut answers = Vec::with_capacity(body.answers.len());
    for a in &body.answers {
        let note = match a.note.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(n) => Some(text(n, "answers", "问题情况", 500)?),
            None => None,
        };
        answers.push((a.item as usize, a.ok, note, a.unit_id));
    }
    answers.sort_by_key(|a| a.0);
    let week = patrol_week(ctx.today());
    let actor = p.id;
    let center_id = body.center_id;
    let id = ctx
        .write_in_center(move |txn, ctx| {
            Box::pin(async move {
                service_center::Entity::find_by_id(center_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| {
                        AppError::invalid("unknown_center", "没有这个服务中心")
                            .with_field("center_id")
                    })?;
                // On the center's chain: "one patrol a week" rests on what follows.
                Ctx::lock_center(txn, center_id).await?;
                let done = patrol::Entity::find()
                    .filter(patrol::Column::CenterId.eq(center_id))
                    .filter(patrol::Column::Week.eq(week.clone()))
                    .one(txn)
                    .await?;
                if done.is_some() {
                    return Err(AppError::conflict(
                        "patrol_already_made",
                        "本周已对该服务中心进行过巡查",
                    ));
                }
                let row = patrol::ActiveModel {
                    center_id: Set(center_id),
                    week: Set(week.clone()),
                    patrolled_on: Set(ctx.today()),
                    inspector_id: Set(actor),
                    created_at: Set(ctx.now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                let mut findings = Vec::new();
                for (position, ok, note, unit_id) in answers {
                    let item = &items[position];
                    let mut problem_id = None;
                    if !ok {
                        let u = unit::Entity::find_by_id(unit_id.unwrap_or_default())
                            .one(txn)
                            .await?
                            .filter(|u| u.active && u.center_id == center_id)
                            .ok_or_else(|| {
                                AppError::invalid(
                                    "unknown_unit",
                                    format!("第 {} 项：该服务中心没有这个单位", position + 1),
                                )
                                .with_field("answers")
                            })?;
                        let raised = raise(
                            txn,
                            &ctx,
                            Raise {
                                kind: ProblemKind::Conduct,
                                source: ProblemSource::OnSiteCheck,
                                center_id,
                                unit_id: u.id,
                                window_id: None,
                                staff_id: None,
                                description: format!(
                                    "周巡查（{}）：{item}——{}",
                                    rules::supervision::patrol_week_zh(&week),
                                    note.as_deref().unwrap_or_default()
                                ),
                                evidence: None,
                                key_extra: None,
                                reported_by: Some(actor),
                                working_days: DEFAULT_RECTIFICATION_WORKING_DAYS,
                            },
                        )
                        .await?;
                        problem_id = raised.map(|(p, _)| p.id);
                        findings.push(problem_id);
                    }
                    patrol_answer::ActiveModel {
                        patrol_id: Set(row.id),
                        position: Set(position as i32),
                        item: Set(item.clone()),
                        ok: Set(ok),
                        note: Set(note),
                        unit_id: Set(unit_id.filter(|_| !ok)),
                        problem_id: Set(problem_id),
                        ..Default::default()
                    }
                    .insert(txn)
                    .await?;
                }
                audit::record(
                    txn,
                    ctx.now,
                    Change::new_row(
                        Some(actor),
                        "patrol.record",
                        "patrol",
                        row.id,
                        serde_json::json!({
                            "center_id": center_id, "week": week, "findings": findings,
                        }),
                    ),
                )
                .await?;
                Ok(row.id)
            })
        })
        .await?;
    let row = found(ctx.conn(), patrol::Entity, id, "巡查记录").await?;
    view(ctx.conn(), row).await
}

/// A page of patrols, newest first, of one week or all (Supervisor).
pub async fn list(
    ctx: &Ctx,
    q: PatrolQuery,
    page: &PageRequest<i64>,
) -> AppResult<Page<PatrolView, i64>> {
    let mut find = patrol::Entity::find();
    if let Some(w) = q.week {
        find = find.filter(patrol::Column::Week.eq(w));
    }
    let rows = page
        .by_id(ctx.conn(), find, patrol::Column::Id, ById::NewestFirst)
        .await?;
    rows.try_map(|row| view(ctx.conn(), row)).await
}
