//! 好差评: the code printed on a served ticket, delivered case or kept appointment; the public
//! rating (once per code); a 差评 opens a verification and rectification item for the unit that
//! served (谁办理、谁负责) with 15 working days; the recorded 回访; the unit's appeal (申诉复核)
//! that a supervisor decides — upheld, the rating is struck and its item withdrawn.

use app::api::{
    Role,
    appointments::display_code,
    supervision::{
        AppealDecision, AppealView, FollowUp, NewAppeal, NewRating, RatingCodeRequest,
        RatingCodeView, RatingForm, RatingView,
    },
};
use chrono_tz::Tz;
use rules::supervision::{
    ProblemKind, ProblemSource, RATING_RECTIFICATION_WORKING_DAYS, RatedSubject, RatingCode,
    RatingIndicator, RatingLevel, check_comment,
};
use rules::{AppealEvent, AppealStatus};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};

use super::{Raise, raise, rectifications, text, unit_name};
use crate::{
    error::{AppError, AppResult},
    services::{
        Ctx, Principal,
        audit::{self, Change},
        found,
        paging::{ById, Page, PageRequest},
        versioned,
    },
    store::{
        columns::{self, AppointmentStatus, TicketStatus},
        documents,
        entities::{
            appointment, appointment_slot, cases, problem, queue_ticket, rating, rating_appeal,
            rating_code, service_item,
        },
    },
};

versioned::versioned!(
    rating_appeal as "rating_appeal",
    stamp(_active, _now) {},
    view(row) serde_json::json!({
        "status": rules::AppealStatus::from(row.status),
        "decision_note": row.decision_note,
    }),
);

/// What a code rates: its center, unit, window and person, and a reference to show (on the
/// printed slip and on the rating page alike).
struct Served {
    center_id: i64,
    unit_id: i64,
    window_id: Option<i64>,
    staff_id: Option<i64>,
    reference: String,
}

/// The subject, if it was served (ticket done, case delivered, appointment kept). Its reference
/// names it as the citizen knows it: the ticket number and day, the case number, the booking
/// code and the slot's local date and time (in `tz`, the halls' time zone).
async fn served<C: ConnectionTrait>(
    db: &C,
    tz: Tz,
    subject: RatedSubject,
    id: i64,
) -> AppResult<Served> {
    let not_yet =
        || AppError::conflict("not_served_yet", "办理完成后才能评价").with_field("subject_id");
    match subject {
        RatedSubject::Ticket => {
            let t = found(db, queue_ticket::Entity, id, "号票").await?;
            if t.status != TicketStatus::Done {
                return Err(not_yet());
            }
            Ok(Served {
                center_id: t.center_id,
                unit_id: t.unit_id,
                window_id: t.window_id,
                staff_id: t.served_by.or(t.called_by),
                reference: format!("{}号 · {}", t.number, app::format::date(t.day)),
            })
        }
        RatedSubject::Case => {
            let c = found(db, cases::Entity, id, "办件").await?;
            if c.delivered_at.is_none() {
                return Err(not_yet());
            }
            Ok(Served {
                center_id: c.center_id,
                unit_id: c.unit_id,
                window_id: None,
                staff_id: Some(c.owner_id),
                reference: c.number,
            })
        }
        RatedSubject::Appointment => {
            let a = found(db, appointment::Entity, id, "预约").await?;
            if a.status != AppointmentStatus::Arrived {
                return Err(not_yet());
            }
            let slot = appointment_slot::Entity::find_by_id(a.slot_id)
                .one(db)
                .await?
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("booking without slot")))?;
            // The ticket the visit was served on names the unit, window and person.
            let ticket = match a.ticket_id {
                Some(t) => queue_ticket::Entity::find_by_id(t).one(db).await?,
                None => None,
            };
            let unit_id = ticket
                .as_ref()
                .map(|t| t.unit_id)
                .or(slot.unit_id)
                .ok_or_else(|| AppError::conflict("not_served_yet", "该预约尚无办理单位"))?;
            Ok(Served {
                center_id: a.center_id,
                unit_id,
                window_id: ticket.as_ref().and_then(|t| t.window_id),
                staff_id: ticket.as_ref().and_then(|t| t.served_by.or(t.called_by)),
                reference: {
                    let start = slot.start_at.with_timezone(&tz).naive_local();
                    let end = slot.end_at.with_timezone(&tz).naive_local();
                    format!(
                        "{} · {} {}",
                        display_code(&a.code),
                        app::format::date(start.date()),
                        app::format::time_range(start.time(), end.time())
                    )
                },
            })
        }
    }
}

/// The unit a visit is of, finished or not (a booking not yet served: its slot's unit, else its
/// item's), or 404.
async fn unit_of<C: ConnectionTrait>(
    db: &C,
    subject: RatedSubject,
    id: i64,
) -> AppResult<Option<i64>> {
    Ok(match subject {
        RatedSubject::Ticket => Some(found(db, queue_ticket::Entity, id, "号票").await?.unit_id),
        RatedSubject::Case => Some(found(db, cases::Entity, id, "办件").await?.unit_id),
        RatedSubject::Appointment => {
            let a = found(db, appointment::Entity, id, "预约").await?;
            let ticket = match a.ticket_id {
                Some(t) => queue_ticket::Entity::find_by_id(t).one(db).await?,
                None => None,
            };
            let slot = appointment_slot::Entity::find_by_id(a.slot_id)
                .one(db)
                .await?;
            match ticket.map(|t| t.unit_id).or(slot.and_then(|s| s.unit_id)) {
                Some(unit) => Some(unit),
                // A center-wide slot: the unit whose item was booked.
                None => service_item::Entity::find()
                    .filter(service_item::Column::Code.eq(&a.item_code))
                    .one(db)
                    .await?
                    .map(|item| item.unit_id),
            }
        }
    })
}

fn subject_of(row: &rating_code::Model) -> AppResult<RatedSubject> {
    RatedSubject::from_code(&row.subject)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("bad subject {}", row.subject)))
}

/// The code as shown to the citizen: what it rates (`reference`, see [`served`]), its page, that
/// page's absolute address on `origin` (the site's public origin, or empty for a relative
/// address) and the page's QR code.
fn code_view(
    row: &rating_code::Model,
    reference: String,
    origin: &str,
    rated_at: Option<chrono::DateTime<chrono::Utc>>,
) -> AppResult<RatingCodeView> {
    let page = format!("/rate/{}", row.code);
    let url = format!("{origin}{page}");
    let qr_svg = crate::qr::svg(&url)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("no QR code for {url}")))?;
    let subject = subject_of(row)?;
    Ok(RatingCodeView {
        code: row.code.clone(),
        subject,
        subject_id: row.subject_id,
        subject_label: subject.label_zh().into(),
        reference,
        page,
        url,
        qr_svg,
        rated_at,
    })
}

/// What a code is given for. A ticket issued to a kept appointment is that visit: its code is
/// the appointment's, so that the slip of the duty desk and the slip of the window carry one code
/// and the visit is rated once (一次一评).
async fn rated_visit<C: ConnectionTrait>(
    db: &C,
    subject: RatedSubject,
    id: i64,
) -> AppResult<(RatedSubject, i64)> {
    if subject != RatedSubject::Ticket {
        return Ok((subject, id));
    }
    let booking = appointment::Entity::find()
        .filter(appointment::Column::TicketId.eq(id))
        .one(db)
        .await?;
    Ok(match booking {
        Some(a) => (RatedSubject::Appointment, a.id),
        None => (subject, id),
    })
}

/// The code to print for a served subject (the same code every time), for staff of its unit
/// and supervisors; `origin` is where a phone that scans its QR code reaches this site.
pub async fn code_for(
    ctx: &Ctx,
    p: &Principal,
    req: RatingCodeRequest,
    origin: String,
) -> AppResult<RatingCodeView> {
    let p = p.clone();
    let (row, reference, rated_at) = ctx
        .write_in_center(move |txn, ctx| {
            Box::pin(async move {
                let (subject, subject_id) = rated_visit(txn, req.subject, req.subject_id).await?;
                // Who may ask comes first: nothing of another unit's visit is told, not even
                // whether it is finished.
                let mine = |unit: Option<i64>| unit.is_some() && unit == p.unit_id;
                if !p.has(Role::Supervisor) && !mine(unit_of(txn, subject, subject_id).await?) {
                    return Err(AppError::not_here(
                        "not_your_unit",
                        "只能为本单位办理的事项生成评价码",
                    ));
                }
                if subject != req.subject {
                    // A kept appointment's ticket gets the visit's code once it is done too.
                    served(txn, ctx.tz, req.subject, req.subject_id).await?;
                }
                let s = served(txn, ctx.tz, subject, subject_id).await?;
                // On the center's chain: "one code per subject" rests on what follows.
                Ctx::lock_center(txn, s.center_id).await?;
                let existing = rating_code::Entity::find()
                    .filter(rating_code::Column::Subject.eq(subject.code()))
                    .filter(rating_code::Column::SubjectId.eq(subject_id))
                    .one(txn)
                    .await?;
                if let Some(row) = existing {
                    let rated = rating::Entity::find()
                        .filter(rating::Column::CodeId.eq(row.id))
                        .one(txn)
                        .await?
                        .map(|r| r.rated_at);
                    return Ok((row, s.reference, rated));
                }
                let mut bytes = [0u8; RatingCode::LEN];
                rand::Rng::fill(&mut rand::rng(), &mut bytes);
                let code = RatingCode::from_random(bytes);
                let new_row = rating_code::ActiveModel {
                    code: Set(code.as_str().into()),
                    subject: Set(subject.code().into()),
                    subject_id: Set(subject_id),
                    center_id: Set(s.center_id),
                    unit_id: Set(s.unit_id),
                    window_id: Set(s.window_id),
                    staff_id: Set(s.staff_id),
                    created_at: Set(ctx.now),
                    ..Default::default()
                };
                let row = audit::insert_new(
                    txn,
                    ctx.now,
                    Some(p.id),
                    ("rating_code.issue", "rating_code"),
                    new_row,
                    |row| {
                        (
                            row.id,
                            serde_json::json!({
                                "subject": row.subject,
                                "subject_id": row.subject_id
                            }),
                        )
                    },
                )
                .await?;
                Ok((row, s.reference, None))
            })
        })
        .await?;
    code_view(&row, reference, &origin, rated_at)
}

async fn by_code<C: ConnectionTrait>(db: &C, code: &str) -> AppResult<rating_code::Model> {
    let code = RatingCode::parse(code)
        .map_err(|e| AppError::invalid(e.code(), e.to_string()).with_field("code"))?;
    rating_code::Entity::find()
        .filter(rating_code::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::missing("rating_code_unknown", "没有这个评价码，请核对后重试"))
}

/// The public rating page of a code (anyone, rate-limited by the route).
pub async fn form(ctx: &Ctx, code: &str) -> AppResult<RatingForm> {
    let row = by_code(ctx.conn(), code).await?;
    let subject = subject_of(&row)?;
    let s = served(ctx.conn(), ctx.tz, subject, row.subject_id).await?;
    let rated = rating::Entity::find()
        .filter(rating::Column::CodeId.eq(row.id))
        .one(ctx.conn())
        .await?
        .is_some();
    Ok(RatingForm {
        code: row.code,
        subject,
        subject_label: subject.label_zh().into(),
        reference: s.reference,
        unit_name: unit_name(ctx.conn(), row.unit_id).await?,
        channel: subject.channel(),
        indicators: subject.channel().indicators().to_vec(),
        already_rated: rated,
    })
}

fn indicators_of(r: &rating::Model) -> AppResult<Vec<(RatingIndicator, RatingLevel)>> {
    documents::rating_indicators(&r.indicators)
}

async fn view<C: ConnectionTrait>(db: &C, r: rating::Model) -> AppResult<RatingView> {
    let appeal = rating_appeal::Entity::find()
        .filter(rating_appeal::Column::RatingId.eq(r.id))
        .one(db)
        .await?
        .map(appeal_view);
    let level = RatingLevel::from_code(&r.level).unwrap_or(RatingLevel::Fair);
    let subject = RatedSubject::from_code(&r.subject).unwrap_or(RatedSubject::Ticket);
    let contact = contact_of(db, subject, r.subject_id).await?;
    Ok(RatingView {
        id: r.id,
        subject,
        subject_id: r.subject_id,
        reference: contact.reference,
        contact_name: contact.name,
        contact_phone: contact.phone,
        unit_id: r.unit_id,
        unit_name: unit_name(db, r.unit_id).await?,
        staff_id: r.staff_id,
        level,
        level_label: level.label_zh().into(),
        indicators: indicators_of(&r)?,
        comment: r.comment,
        rated_at: r.rated_at,
        struck: r.struck,
        problem_id: r.problem_id,
        follow_up_at: r.follow_up_at,
        follow_up_note: r.follow_up_note,
        appeal,
    })
}

/// Whom the unit calls back about a rating (回访): the service as the citizen knows it, and the
/// name and phone recorded with it. A ticket taken at the kiosk has neither, unless it was a
/// booking's.
struct Contact {
    reference: String,
    name: Option<String>,
    phone: Option<String>,
}

async fn contact_of<C: ConnectionTrait>(
    db: &C,
    subject: RatedSubject,
    id: i64,
) -> AppResult<Contact> {
    let booked = |a: appointment::Model, reference: String| Contact {
        reference,
        name: Some(a.name),
        phone: Some(a.phone.as_str().to_string()),
    };
    Ok(match subject {
        RatedSubject::Case => {
            let c = found(db, cases::Entity, id, "办件").await?;
            Contact {
                reference: c.number,
                name: Some(c.applicant_name),
                phone: Some(c.applicant_phone.as_str().to_string()),
            }
        }
        RatedSubject::Appointment => {
            let a = found(db, appointment::Entity, id, "预约").await?;
            let reference = format!("预约码 {}", display_code(&a.code));
            booked(a, reference)
        }
        RatedSubject::Ticket => {
            let t = found(db, queue_ticket::Entity, id, "号票").await?;
            let reference = format!("{}号 · {}", t.number, app::format::date(t.day));
            let booking = appointment::Entity::find()
                .filter(appointment::Column::TicketId.eq(t.id))
                .one(db)
                .await?;
            match booking {
                Some(a) => booked(a, reference),
                None => Contact {
                    reference,
                    name: None,
                    phone: None,
                },
            }
        }
    })
}

fn appeal_view(a: rating_appeal::Model) -> AppealView {
    let status: AppealStatus = a.status.into();
    AppealView {
        id: a.id,
        rating_id: a.rating_id,
        reason: a.reason,
        filed_at: a.filed_at,
        status,
        status_label: status.label_zh().into(),
        decision_note: a.decision_note,
        version: a.version,
    }
}

/// Rates once per code. A 差评 opens the unit's verification and rectification item.
pub async fn rate(ctx: &Ctx, code: &str, body: NewRating) -> AppResult<RatingView> {
    let comment = check_comment(body.comment.as_deref().unwrap_or(""))
        .map_err(|e| AppError::invalid(e.code(), e.to_string()).with_field("comment"))?;
    let code = code.to_string();
    ctx.write_in_center(move |txn, ctx| {
        Box::pin(async move {
            let row = by_code(txn, &code).await?;
            let subject = subject_of(&row)?;
            // Who served, as it stands now: a kept appointment's code is given at the duty desk
            // on arrival, before a window has served the visit (谁办理、谁负责).
            let by = served(txn, ctx.tz, subject, row.subject_id).await?;
            // On the serving center's chain (issue 16: citizens rating in two halls never wait
            // on each other), locked before "rated already?" is asked.
            Ctx::lock_center(txn, by.center_id).await?;
            let asked = subject.channel().indicators();
            let mut indicators = vec![(RatingIndicator::Overall, body.level)];
            for (ind, level) in &body.indicators {
                if !asked.contains(ind) || *ind == RatingIndicator::Overall {
                    return Err(AppError::invalid(
                        "indicator_not_asked",
                        format!("此渠道不评价“{}”", ind.label_zh()),
                    )
                    .with_field("indicators"));
                }
                if indicators.iter().any(|(i, _)| i == ind) {
                    return Err(AppError::invalid("indicator_twice", "每项指标只能评价一次")
                        .with_field("indicators"));
                }
                indicators.push((*ind, *level));
            }
            let done = rating::Entity::find()
                .filter(rating::Column::CodeId.eq(row.id))
                .one(txn)
                .await?;
            if done.is_some() {
                return Err(AppError::conflict(
                    "already_rated",
                    "此次服务已经评价过了（一次一评）",
                ));
            }
            let new_row = rating::ActiveModel {
                code_id: Set(row.id),
                subject: Set(row.subject.clone()),
                subject_id: Set(row.subject_id),
                channel: Set(subject.channel().code().into()),
                center_id: Set(by.center_id),
                unit_id: Set(by.unit_id),
                window_id: Set(by.window_id),
                staff_id: Set(by.staff_id),
                level: Set(body.level.code().into()),
                points: Set(body.level.points() as i32),
                indicators: Set(documents::rating_indicators_json(&indicators)?),
                comment: Set(comment),
                rated_at: Set(ctx.now),
                rated_on: Set(ctx.today()),
                struck: Set(false),
                ..Default::default()
            };
            let inserted = audit::insert_new(
                txn,
                ctx.now,
                None,
                ("rating.create", "rating"),
                new_row,
                |inserted| {
                    (
                        inserted.id,
                        serde_json::json!({
                            "code": row.code, "level": inserted.level, "unit_id": inserted.unit_id,
                        }),
                    )
                },
            )
            .await?;
            let mut saved = inserted.clone();
            if body.level.opens_rectification() {
                // Named as the citizen knows it (the case number, the ticket and day): the unit
                // calls the citizen back about that service.
                let rated = format!("{} {}", row.subject_label(), by.reference);
                let description = match &inserted.comment {
                    Some(c) => format!("{rated}：{}（{c}）", body.level.label_zh()),
                    None => format!("{rated}：{}", body.level.label_zh()),
                };
                let raised = raise(
                    txn,
                    &ctx,
                    Raise {
                        kind: ProblemKind::BadRating,
                        source: ProblemSource::Rating,
                        center_id: by.center_id,
                        unit_id: by.unit_id,
                        window_id: by.window_id,
                        staff_id: by.staff_id,
                        description,
                        evidence: Some(("rating", inserted.id)),
                        key_extra: None,
                        reported_by: None,
                        working_days: RATING_RECTIFICATION_WORKING_DAYS,
                    },
                )
                .await?;
                if let Some((p, _)) = raised {
                    let mut active = inserted.into_active_model();
                    active.problem_id = Set(Some(p.id));
                    saved = active.update(txn).await?;
                }
            }
            // The code is on a slip anyone may pick up (a dropped one, a QR photographed over
            // a shoulder): the answer names no one. The unit reads whom to call back in its list.
            let mut rated = view(txn, saved).await?;
            rated.contact_name = None;
            rated.contact_phone = None;
            Ok(rated)
        })
    })
    .await
}

trait SubjectLabel {
    fn subject_label(&self) -> &'static str;
}

impl SubjectLabel for rating_code::Model {
    fn subject_label(&self) -> &'static str {
        RatedSubject::from_code(&self.subject).map_or("服务", RatedSubject::label_zh)
    }
}

/// Which ratings a list holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListFilter {
    /// Only 差评.
    pub bad: bool,
    /// Only this level.
    pub level: Option<RatingLevel>,
    /// Only those whose appeal waits for a supervisor's decision (待复核申诉).
    pub appeal_pending: bool,
}

/// A page of ratings, newest first (supervisors all; unit staff their unit's), as `filter`
/// says.
pub async fn list(
    ctx: &Ctx,
    p: &Principal,
    filter: ListFilter,
    page: &PageRequest<i64>,
) -> AppResult<Page<RatingView, i64>> {
    let mut find = rating::Entity::find();
    if !p.has(Role::Supervisor) {
        let unit = p.unit_id.ok_or_else(AppError::forbidden)?;
        find = find.filter(rating::Column::UnitId.eq(unit));
    }
    if filter.bad {
        find = find.filter(rating::Column::Points.lte(2));
    }
    if let Some(level) = filter.level {
        find = find.filter(rating::Column::Level.eq(level.code()));
    }
    if filter.appeal_pending {
        find = find.filter(
            rating::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(rating_appeal::Column::RatingId)
                    .from(rating_appeal::Entity)
                    .and_where(rating_appeal::Column::Status.eq(columns::AppealStatus::Pending))
                    .to_owned(),
            ),
        );
    }
    let rows = page
        .by_id(ctx.conn(), find, rating::Column::Id, ById::NewestFirst)
        .await?;
    rows.try_map(|r| view(ctx.conn(), r)).await
}

/// The center of rating `id`: its later steps run on that center's chain.
async fn rating_center(ctx: &Ctx, id: i64) -> AppResult<i64> {
    crate::services::center_of::<rating::Entity>(ctx, rating::Column::CenterId, id, "评价").await
}

async fn readable<C: ConnectionTrait>(db: &C, p: &Principal, id: i64) -> AppResult<rating::Model> {
    let r = found(db, rating::Entity, id, "评价").await?;
    if !super::can_read_unit(p, Some(r.unit_id)) {
        return Err(AppError::not_found("评价"));
    }
    Ok(r)
}

/// One rating with its appeal.
pub async fn detail(ctx: &Ctx, p: &Principal, id: i64) -> AppResult<RatingView> {
    let r = readable(ctx.conn(), p, id).await?;
    view(ctx.conn(), r).await
}

fn is_bad(r: &rating::Model) -> bool {
    RatingLevel::from_code(&r.level).is_some_and(RatingLevel::opens_rectification)
}

/// Records the phone follow-up (回访) of a 差评: a supervisor, or the unit's chief
/// representative.
pub async fn follow_up(ctx: &Ctx, p: &Principal, id: i64, body: FollowUp) -> AppResult<RatingView> {
    let note = text(&body.note, "note", "回访记录", 500)?;
    let p = p.clone();
    let center = rating_center(ctx, id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let r = readable(txn, &p, id).await?;
            let may = p.has(Role::Supervisor)
                || (p.has(Role::ChiefRepresentative) && p.unit_id == Some(r.unit_id));
            if !may {
                return Err(AppError::not_here(
                    "not_allowed",
                    "只有督查人员或本单位首席代表可以回访",
                ));
            }
            if !is_bad(&r) {
                return Err(AppError::invalid("no_follow_up_due", "只有差评需要回访"));
            }
            if r.follow_up_at.is_some() {
                return Err(AppError::conflict("already_followed_up", "此差评已回访"));
            }
            let mut active = r.clone().into_active_model();
            active.follow_up_at = Set(Some(ctx.now));
            active.follow_up_by = Set(Some(p.id));
            active.follow_up_note = Set(Some(note.clone()));
            let saved = active.update(txn).await?;
            audit::record(
                txn,
                ctx.now,
                Change {
                    actor_id: Some(p.id),
                    action: "rating.follow_up",
                    entity: "rating",
                    entity_id: r.id.to_string(),
                    before: Some(serde_json::json!({"follow_up_note": null})),
                    after: Some(serde_json::json!({"follow_up_note": note})),
                },
            )
            .await?;
            view(txn, saved).await
        })
    })
    .await
}

/// The unit's chief representative appeals a 差评 as mistaken or abusive (once).
pub async fn appeal(ctx: &Ctx, p: &Principal, id: i64, body: NewAppeal) -> AppResult<RatingView> {
    let reason = text(&body.reason, "reason", "申诉理由", 500)?;
    let p = p.clone();
    let center = rating_center(ctx, id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let r = readable(txn, &p, id).await?;
            if !(p.has(Role::ChiefRepresentative) && p.unit_id == Some(r.unit_id)) {
                return Err(AppError::not_here(
                    "not_allowed",
                    "只有本单位首席代表可以申诉",
                ));
            }
            if !is_bad(&r) || r.struck {
                return Err(AppError::invalid(
                    "nothing_to_appeal",
                    "只能对有效的差评提出申诉",
                ));
            }
            let exists = rating_appeal::Entity::find()
                .filter(rating_appeal::Column::RatingId.eq(r.id))
                .one(txn)
                .await?;
            if exists.is_some() {
                return Err(AppError::conflict("already_appealed", "此评价已提出过申诉"));
            }
            let new_row = rating_appeal::ActiveModel {
                rating_id: Set(r.id),
                reason: Set(reason),
                filed_by: Set(p.id),
                filed_at: Set(ctx.now),
                status: Set(columns::AppealStatus::Pending),
                version: Set(1),
                ..Default::default()
            };
            audit::insert_new(
                txn,
                ctx.now,
                Some(p.id),
                ("rating_appeal.file", "rating_appeal"),
                new_row,
                |a| {
                    (
                        a.id,
                        serde_json::json!({"rating_id": r.id, "reason": a.reason}),
                    )
                },
            )
            .await?;
            view(txn, r).await
        })
    })
    .await
}

/// A supervisor decides an appeal. Upheld: the rating is struck (it counts nowhere), its
/// problem struck and its rectification item withdrawn.
pub async fn decide(
    ctx: &Ctx,
    p: &Principal,
    appeal_id: i64,
    body: AppealDecision,
) -> AppResult<RatingView> {
    let note = text(&body.note, "note", "复核意见", 500)?;
    let p = p.clone();
    let rating_id = found(ctx.conn(), rating_appeal::Entity, appeal_id, "申诉")
        .await?
        .rating_id;
    let center = rating_center(ctx, rating_id).await?;
    ctx.write_for_center(center, move |txn, ctx| {
        Box::pin(async move {
            let before = found(txn, rating_appeal::Entity, appeal_id, "申诉").await?;
            if before.version != body.version {
                return Err(versioned::stale(
                    "此申诉已被更新，请刷新",
                    appeal_view(before),
                ));
            }
            let event = if body.uphold {
                AppealEvent::Uphold
            } else {
                AppealEvent::Reject
            };
            let status = rules::AppealStatus::from(before.status).apply(event)?;
            let r = rating::Entity::find_by_id(before.rating_id)
                .one(txn)
                .await?
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("appeal without rating")))?;
            // Separation of duties: nobody decides an appeal about their own unit.
            if p.unit_id == Some(r.unit_id) {
                return Err(rectifications::own_unit());
            }
            let mut active = before.clone().into_active_model();
            active.status = Set(status.into());
            active.decided_by = Set(Some(p.id));
            active.decided_at = Set(Some(ctx.now));
            active.decision_note = Set(Some(note.clone()));
            let action = format!("rating_appeal.{}", event.code());
            versioned::save(txn, ctx.now, Some(p.id), &action, &before, active).await?;
            if status != AppealStatus::Upheld {
                return view(txn, r).await;
            }
            let mut active = r.clone().into_active_model();
            active.struck = Set(true);
            let struck = active.update(txn).await?;
            audit::record(
                txn,
                ctx.now,
                Change {
                    actor_id: Some(p.id),
                    action: "rating.strike",
                    entity: "rating",
                    entity_id: r.id.to_string(),
                    before: Some(serde_json::json!({"struck": false})),
                    after: Some(serde_json::json!({"struck": true, "appeal_id": appeal_id})),
                },
            )
            .await?;
            if let Some(pid) = r.problem_id
                && let Some(pr) = problem::Entity::find_by_id(pid).one(txn).await?
            {
                let mut ap = pr.into_active_model();
                ap.struck = Set(true);
                ap.update(txn).await?;
                audit::record(
                    txn,
                    ctx.now,
                    Change {
                        actor_id: Some(p.id),
                        action: "problem.strike",
                        entity: "problem",
                        entity_id: pid.to_string(),
                        before: Some(serde_json::json!({"struck": false})),
                        after: Some(serde_json::json!({"struck": true})),
                    },
                )
                .await?;
                let why = format!("申诉成立：{note}");
                rectifications::withdraw_for_problem(txn, &ctx, &p, pid, &why).await?;
            }
            view(txn, struck).await
        })
    })
    .await
}
