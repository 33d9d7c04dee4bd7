//! One case: its state, its live deadline, the step the clerk can take now, its notices (one tap
//! to print) and its history. Staff of other roles (chief representative, supervisor) see the
//! same page without the actions.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::api::events::Topic;
use leptos_meta::Title;
use leptos_router::{hooks::use_params_map, params::ParamsMap};
use rules::{
    CaseState, Decision, SpecialProcedure, review::CorrectionProgress, supervision::RatedSubject,
};

use super::{
    case_handover::HandoverPanel,
    review::{ReviewDraft, ReviewPanel},
};
use crate::{
    api::{
        ApiError, Me, Role, calendar,
        cases::{
            self, CaseDetail, CloseRequest, CorrectionReceipt, DecisionRequest, DeliveryRequest,
            ExtensionRequest, OneTimeExceptionRequest, ResumeRequest, SuspendRequest,
            WithdrawRequest,
        },
        catalog::LimitSpec,
        org,
    },
    components::{
        countdown::{Countdown, WithCalendar},
        feedback::{ActionResult, ErrorBox, Loading},
        form::{FieldError, FormProblem, TextField, option},
        guard::RequireRole,
        hall_clock::HallClock,
        live::LiveRefresh,
        rating_slip::RatingSlipFor,
        suspend::suspend,
    },
    format,
};

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || case_id(&params.read());
    view! {
        <Title text="办件" />
        <RequireRole role=Role::Clerk render=move |me| view! { <CaseView me=me id=id() /> } />
    }
}

/// The read-only view for chief representatives and supervisors (`/cases/:id`).
#[component]
pub fn CaseReadOnlyPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || case_id(&params.read());
    let session = crate::session::Session::get();
    view! {
        <Title text="办件" />
        <Suspense fallback=Loading>
            {move || suspend(async move {
                match session.me.await {
                    Ok(
                        me,
                    ) if me.has(Role::Supervisor) || me.has(Role::ChiefRepresentative)
                        || me.has(Role::Clerk) => view! { <CaseView me=me id=id() /> }.into_any(),
                    Ok(_) => {
                        view! {
                            <section class="panel">
                                <h1>"无权访问"</h1>
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn case_id(params: &ParamsMap) -> i64 {
    params
        .get("id")
        .and_then(|v| v.parse().ok())
        .unwrap_or_default()
}

/// A step on the case; one action runs them all.
#[derive(Clone)]
enum Step {
    StartReview(i64),
    ToDecision(i64),
    Correction(CorrectionReceipt),
    Exception(OneTimeExceptionRequest),
    Suspend(SuspendRequest),
    Resume(ResumeRequest),
    Extend(ExtensionRequest),
    Decide(DecisionRequest),
    Deliver(DeliveryRequest),
    Close(CloseRequest),
    Withdraw(WithdrawRequest),
}

impl Step {
    /// The form that sends this step: its refusal is shown at that form's fields only (the
    /// exception and the suspension forms, both on the page at once, each have a `reason`).
    fn form(&self) -> &'static str {
        match self {
            Step::StartReview(_) | Step::ToDecision(_) => "progress",
            Step::Correction(_) => "correction",
            Step::Exception(_) => "exception",
            Step::Suspend(_) => "suspend",
            Step::Resume(_) => "resume",
            Step::Extend(_) => "extension",
            Step::Decide(_) => "decision",
            Step::Deliver(_) => "delivery",
            Step::Close(_) => "close",
            Step::Withdraw(_) => "withdraw",
        }
    }
}

/// What someone's step on a case changes: its version, and the state of each request on it
/// (a refused extension leaves the case itself as it was). Not the whole detail: figures read
/// against the clock differ between two loads a second apart.
#[derive(Clone, PartialEq)]
struct CaseMoves(i64, Vec<rules::RequestStatus>);

impl CaseMoves {
    fn of(case: &CaseDetail) -> Self {
        let extensions = case.extensions.iter().map(|e| e.status);
        let exceptions = case.one_time_exceptions.iter().map(|e| e.status);
        CaseMoves(case.summary.version, extensions.chain(exceptions).collect())
    }
}

/// The form that sent the page's last step (see [`Step::form`]).
#[derive(Clone, Copy)]
struct LastSent(RwSignal<&'static str>);

async fn run(id: i64, step: Step) -> Result<String, ApiError> {
    let done = |what: &str| Ok(what.to_string());
    match step {
        Step::StartReview(v) => cases::step(id, "start-review", v)
            .await
            .and_then(|_| done("已进入审查环节")),
        Step::ToDecision(v) => cases::step(id, "to-decision", v)
            .await
            .and_then(|_| done("已进入决定环节")),
        Step::Correction(b) => cases::receive_correction(id, b)
            .await
            .and_then(|_| done("已登记收到的补正材料")),
        Step::Exception(b) => crate::api::client::send::<_, cases::OneTimeExceptionRecord>(
            crate::api::Method::Post,
            format!("/api/v1/cases/{id}/one-time-exceptions"),
            Some(&b),
        )
        .await
        .and_then(|_| done("已提请首席代表批准补充告知")),
        Step::Suspend(b) => cases::suspend(id, b)
            .await
            .and_then(|_| done("已中止计时，并出具特别程序告知书")),
        Step::Resume(b) => cases::resume(id, b).await.and_then(|_| done("已恢复计时")),
        Step::Extend(b) => cases::request_extension(id, b)
            .await
            .and_then(|_| done("延期申请已提交首席代表审批")),
        Step::Decide(b) => cases::decide(id, b)
            .await
            .and_then(|_| done("已作出决定并出具决定书")),
        Step::Deliver(b) => cases::deliver(id, b).await.and_then(|_| done("已送达")),
        Step::Close(b) => cases::close(id, b).await.and_then(|_| done("已办结")),
        Step::Withdraw(b) => crate::api::client::send::<_, CaseDetail>(
            crate::api::Method::Post,
            format!("/api/v1/cases/{id}/withdraw"),
            Some(&b),
        )
        .await
        .and_then(|_| done("已登记申请人撤回")),
    }
}

#[component]
fn CaseView(me: Me, id: i64) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let detail = Resource::new(move || (id, version.get()), |(id, _)| cases::detail(id));
    let full_calendar = Resource::new(|| (), |_| calendar::full());
    let centers = Resource::new(|| (), |_| org::centers());
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    let last_sent = LastSent(RwSignal::new(""));
    provide_context(last_sent);
    let step = Action::new(move |s: &Step| {
        last_sent.0.set(s.form());
        let s = s.clone();
        async move { run(id, s).await }
    });
    let extension = ExtensionDraft::new();
    let review = ReviewDraft::new();
    let typed = Typed::new();
    provide_context(typed);
    // The case as it was when the last message was shown: once someone else changes it (the
    // chief approved the extension), "延期申请已提交首席代表审批" no longer tells the truth.
    let message_about = StoredValue::new(None::<CaseMoves>);
    Effect::new(move |_| {
        let Some(Ok(case)) = detail.get() else {
            return;
        };
        let now = CaseMoves::of(&case);
        let changed = message_about.with_value(|m| m.as_ref().is_some_and(|m| *m != now));
        if changed {
            result.set(None);
        }
        message_about.set_value(Some(now));
    });
    // A message speaks of the case as the next load shows it.
    let say = move |outcome: Result<String, ApiError>| {
        message_about.set_value(None);
        result.set(Some(outcome));
    };
    // A new attempt starts clean: the last attempt's messages go as soon as a step is sent.
    Effect::new(move |_| {
        if step.pending().get() {
            result.set(None);
        }
    });
    Effect::new(move |_| {
        if let Some(outcome) = step.value().get() {
            // A refused step keeps the page as it is (every typed value stays, the forms' values
            // live here, above the re-rendered case); a stale version shows the case as it now is.
            let reload = outcome
                .as_ref()
                .map_or_else(|e| e.code == "stale_version", |_| true);
            if outcome.is_ok() {
                typed.clear();
            }
            let sent_by_extension = extension.sent.get_untracked();
            extension.sent.set(false);
            match outcome {
                // A refusal about one of the extension's fields shows at that field.
                Err(e) if sent_by_extension && e.field.is_some() => extension.problem.set(e),
                outcome => say(outcome),
            }
            if reload {
                version.update(|v| *v += 1);
            }
        }
    });
    let me = StoredValue::new(me);
    view! {
        <LiveRefresh topics=&[Topic::Cases] version=version />
        <ActionResult message=result />
        <Suspense fallback=Loading>
            {move || suspend(async move {
                let cal = full_calendar.await.ok().and_then(|f| f.work_calendar().ok());
                let centers = centers.await.map(|l| l.items).unwrap_or_default();
                match detail.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(case) => {
                        let hours = centers
                            .into_iter()
                            .find(|c| c.id == case.summary.center_id)
                            .map(|c| c.business_hours);
                        let acts = me
                            .with_value(|m| {
                                m.has(Role::Clerk) && m.staff.unit_id == Some(case.summary.unit_id)
                            });
                        let owner = me.with_value(|m| m.staff.id == case.summary.owner_id);
                        // The unit's chief representative may hand an open case to another clerk.
                        let chief = case.summary.state.is_open()
                            && me
                                .with_value(|m| {
                                    m.has(Role::ChiefRepresentative)
                                        && m.staff.unit_id == Some(case.summary.unit_id)
                                });
                        // Once delivered, the rating code for the applicant (the serving unit's
                        // staff and supervisors may print it).
                        let rating = case
                            .delivered_at
                            .is_some()
                            .then_some(case.summary.id)
                            .filter(|_| {
                                me.with_value(|m| {
                                    m.has(Role::Supervisor)
                                        || m.staff.unit_id == Some(case.summary.unit_id)
                                })
                            });
                        let header = case.clone();
                        view! {
                            <WithCalendar calendar=cal.clone() hours=hours.clone()>
                                <CaseHeader case=header />
                            </WithCalendar>
                            {acts
                                .then(|| {
                                    view! {
                                        <Actions
                                            case=case.clone()
                                            owner=owner
                                            step=step
                                            calendar=cal.clone()
                                            hours=hours.clone()
                                            extension=extension
                                            review=review
                                            on_review=Callback::new(move |r: cases::ReviewResult| {
                                                say(Ok(review_outcome(&r)));
                                                version.update(|v| *v += 1);
                                            })
                                        />
                                    }
                                })}
                            {chief
                                .then(|| {
                                    view! {
                                        <HandoverPanel
                                            case=case.clone()
                                            on_done=Callback::new(move |done: String| {
                                                say(Ok(done));
                                                version.update(|v| *v += 1);
                                            })
                                        />
                                    }
                                })}
                            {rating
                                .map(|id| {
                                    view! {
                                        <RatingSlipFor subject=RatedSubject::Case subject_id=id />
                                    }
                                })}
                            <Notices case=case.clone() can_print=acts />
                            <History case=case.clone() />
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn CaseHeader(case: CaseDetail) -> impl IntoView {
    let clock = HallClock::get();
    let s = &case.summary;
    let received = format::date_time(clock.to_local(s.received_at));
    let state = s.state;
    let (label, due) = if state == CaseState::Received {
        ("受理审查截止", s.review_due_at)
    } else {
        ("办结期限", s.due_at)
    };
    let limit = if state == CaseState::Received {
        rules::TimeLimit::Promised { working_days: 5 }
    } else {
        s.time_limit
    };
    let running = due.is_some() || state == CaseState::Suspended;
    view! {
        <section class="panel case-head" aria-labelledby="case-title">
            <h1 id="case-title">"办件 "<span class="case-number">{s.number.clone()}</span></h1>
            <p class="lead">{s.item_name.clone()}" · "{case.item.unit_name.clone()}</p>
            <div class="case-state">
                <span class="state-pill">{s.state_label.clone()}</span>
                {s
                    .stage
                    .clone()
                    .map(|st| {
                        view! { <span class="muted">{format!("当前环节：{st}")}</span> }
                    })}
                {running
                    .then(|| {
                        view! {
                            <Countdown
                                due_at=due
                                limit=limit
                                provisional=s.due_provisional
                                label=label
                            />
                        }
                    })}
            </div>
            <dl class="facts">
                <dt>"申请人"</dt>
                <dd>{s.applicant_name.clone()}</dd>
                <dt>"证件号码"</dt>
                <dd>{case.applicant_id_number.clone()}</dd>
                <dt>"联系电话"</dt>
                <dd>{case.applicant_phone.clone()}</dd>
                <dt>"收件"</dt>
                <dd>{format!("{received}（{}）", case.channel.label())}</dd>
                <dt>"首问负责人"</dt>
                <dd>
                    {s.owner_name.clone()}
                    {(!case.owner_active)
                        .then(|| view! { <span class="muted">"（账号已停用）"</span> })}
                </dd>
                <dt>"承诺时限"</dt>
                <dd>
                    {case.item.time_limit.promised_label()}
                    {case.item.time_limit.statutory_label().map(|l| format!("（{l}）"))}
                </dd>
                {(state == CaseState::CorrectionRequested)
                    .then(|| {
                        let (applicant, clock) = correction_wait_text(&case);
                        view! {
                            <dt>"补正期限"</dt>
                            <dd data-testid="correction-wait">{applicant}</dd>
                            <dt>"补正期间计时"</dt>
                            <dd>{clock}</dd>
                        }
                    })}
                {case
                    .follow_up_check_on
                    .map(|d| {
                        view! {
                            <dt>"承诺核查"</dt>
                            <dd>{format!("{} 前", format::date(d))}</dd>
                        }
                    })}
                {case
                    .feedback
                    .clone()
                    .map(|f| {
                        view! {
                            <dt>"办结反馈"</dt>
                            <dd>{f}</dd>
                        }
                    })}
                <OnTime case=case.clone() />
            </dl>
        </section>
    }
}

/// While a case waits for corrections (待补正): how long the applicant has, and what the case's
/// clock does meanwhile. The law sets no time within which the applicant must correct (行政许可法
/// 第三十二条); the case's limit does not run until the last correction is received and restarts in
/// full from the day after it (the day of receipt is not counted).
fn correction_wait_text(case: &CaseDetail) -> (String, String) {
    let applicant = match case.first_correction_at {
        Some(at) => format!(
            "不限期：申请人可随时补正（{} 已出具一次性补正告知书）",
            format::date(HallClock::get().to_local(at).date())
        ),
        None => "不限期：申请人可随时补正".to_string(),
    };
    let clock = match case.item.time_limit {
        LimitSpec::Promised { working_days, .. } => format!(
            "暂停：办理时限尚未开始计算；自收到全部补正材料之日的次日起计算 {working_days} 个工作日"
        ),
        LimitSpec::Immediate { .. } => {
            "暂停：收到全部补正材料、符合法定形式的，当场办结".to_string()
        }
    };
    (applicant, clock)
}

/// Whether the case kept its limit, as recorded: overdue since when, and whether the decision
/// was on time against the due in force then (kept after the decision).
#[component]
fn OnTime(case: CaseDetail) -> impl IntoView {
    let clock = HallClock::get();
    let t = case.timeliness;
    let at = move |d: chrono::DateTime<chrono::Utc>| format::date_time(clock.to_local(d));
    let decision = t.decided_on_time.map(|on_time| {
        let due = t
            .decision_due_at
            .map(|d| format!("（期限 {}）", at(d)))
            .unwrap_or_default();
        if on_time {
            format!("按时作出决定{due}")
        } else {
            format!("超期作出决定{due}")
        }
    });
    let overdue = t.overdue_at.map(|d| format!("已超过办结期限 {}", at(d)));
    let text = decision.or(overdue);
    let late = t.overdue_at.is_some() || t.decided_on_time == Some(false);
    text.map(|text| {
        view! {
            <dt>"时限"</dt>
            <dd data-testid="on-time" class=if late { "late" } else { "on-time" }>
                {text}
            </dd>
        }
    })
}

#[component]
fn Actions(
    case: CaseDetail,
    owner: bool,
    step: Action<Step, Result<String, ApiError>>,
    calendar: Option<rules::WorkCalendar>,
    hours: Option<rules::BusinessHours>,
    on_review: Callback<cases::ReviewResult>,
    extension: ExtensionDraft,
    review: ReviewDraft,
) -> impl IntoView {
    let state = case.summary.state;
    let v = case.summary.version;
    let immediate = matches!(case.item.time_limit, LimitSpec::Immediate { .. });
    let in_decision_stage = case.summary.current_stage() == Some(rules::Stage::Decision);
    let pending = state.is_pending();
    let body = match state {
        CaseState::Received => view! {
            <section class="panel" aria-labelledby="review-title">
                <h2 id="review-title">"受理审查"</h2>
                <ReviewPanel
                    case=case.clone()
                    calendar=calendar
                    hours=hours
                    on_done=on_review
                    draft=review
                />
            </section>
        }
        .into_any(),
        CaseState::CorrectionRequested => view! {
            <CorrectionReceived case=case.clone() step=step />
            <section class="panel" aria-labelledby="review-title">
                <h2 id="review-title">"补正后重新审查"</h2>
                {outstanding_note(&case)}
                <ReviewPanel
                    case=case.clone()
                    calendar=calendar
                    hours=hours
                    on_done=on_review
                    draft=review
                />
            </section>
            {exception_note(&case)}
            <ExceptionRequest case=case.clone() step=step />
        }
        .into_any(),
        CaseState::Accepted { .. } if immediate => {
            view! { <DecisionForm version=v step=step /> }.into_any()
        }
        CaseState::Accepted { .. } => view! {
            <section class="panel">
                <h2>"审查"</h2>
                <button
                    type="button"
                    class="button primary big"
                    on:click=move |_| {
                        step.dispatch(Step::StartReview(v));
                    }
                >
                    "开始审查"
                </button>
            </section>
            <ExtensionForm case=case.clone() step=step draft=extension />
        }
        .into_any(),
        CaseState::InReview => view! {
            {(!in_decision_stage)
                .then(|| {
                    view! {
                        <section class="panel">
                            <h2>"审查环节"</h2>
                            <button
                                type="button"
                                class="button big"
                                on:click=move |_| {
                                    step.dispatch(Step::ToDecision(v));
                                }
                            >
                                "审查完毕，进入决定环节"
                            </button>
                        </section>
                    }
                })}
            <DecisionForm version=v step=step />
            <SuspendForm case=case.clone() step=step />
            <ExtensionForm case=case.clone() step=step draft=extension />
        }
        .into_any(),
        CaseState::Suspended => view! {
            <section class="panel">
                <h2>"特别程序"</h2>
                <p>
                    "特别程序所需时间不计入办理期限。程序结束后恢复计时。"
                </p>
                <button
                    type="button"
                    class="button primary big"
                    on:click=move |_| {
                        step.dispatch(
                            Step::Resume(ResumeRequest {
                                version: v,
                                end_at: None,
                                end_date: None,
                            }),
                        );
                    }
                >
                    "特别程序结束，恢复计时"
                </button>
            </section>
            <ExtensionForm case=case.clone() step=step draft=extension />
        }
        .into_any(),
        CaseState::Decided(_) => view! { <DeliveryForm version=v step=step /> }.into_any(),
        CaseState::Delivered if owner => view! { <CloseForm version=v step=step /> }.into_any(),
        CaseState::Delivered => view! {
            <section class="panel">
                <p>"已送达，待首问负责人反馈办结。"</p>
            </section>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        {body}
        {pending.then(|| view! { <WithdrawForm version=v step=step /> })}
    }
    .into_any()
}

/// The latest correction notice's materials, split by what has come in since it was issued
/// (`None` without a notice).
fn correction_progress(case: &CaseDetail) -> Option<CorrectionProgress> {
    let (noticed_at, deficiencies) = case.reviews.iter().rev().find_map(|r| match &r.outcome {
        rules::review::ReviewOutcome::CorrectionRequired { deficiencies } => {
            Some((r.reviewed_at, deficiencies))
        }
        _ => None,
    })?;
    let corrections = case
        .corrections
        .iter()
        .map(|c| (c.received_at, c.material_keys.iter()));
    Some(CorrectionProgress::of(
        deficiencies,
        &noticed_at,
        corrections,
    ))
}

/// Before the re-review, what has not been registered yet: a clerk accepted a case with nothing
/// registered, and the clock's start (the last correction received) went unrecorded.
fn outstanding_note(case: &CaseDetail) -> Option<impl IntoView + use<>> {
    let progress = correction_progress(case).filter(|p| !p.complete())?;
    let names: Vec<String> = progress.outstanding.into_iter().map(|d| d.name).collect();
    Some(view! {
        <p class="warn-box" role="note">
            {format!(
                "尚未登记收到：{}。请先在上方登记申请人交来的补正材料，再重新审查；\
                 办理时限自收到全部补正材料之时起算。",
                names.join("、"),
            )}
        </p>
    })
}

/// Where the case's requests to tell one more material stand: the clerk asked the chief and
/// the page said nothing of the answer, so an approved material was easily left off the next
/// notice (the approval covers one later notice only).
fn exception_note(case: &CaseDetail) -> Option<impl IntoView + use<>> {
    let names = |status: rules::RequestStatus| {
        let names: Vec<String> = case
            .one_time_exceptions
            .iter()
            .filter(|e| e.status == status)
            .flat_map(|e| e.material_names.iter().cloned())
            .collect();
        (!names.is_empty()).then(|| names.join("、"))
    };
    let approved = names(rules::RequestStatus::Approved).map(|n| {
        format!(
            "首席代表已批准补充告知：{n}。重新审查时请在补正告知中一并列明\
             （批准只用于下一份补正告知）。"
        )
    });
    let pending =
        names(rules::RequestStatus::Pending).map(|n| format!("补充告知申请待首席代表审批：{n}。"));
    // Each refusal with its reason: what the clerk tells the applicant about that material.
    let refused = case
        .one_time_exceptions
        .iter()
        .filter(|e| e.status == rules::RequestStatus::Refused)
        .map(|e| {
            let why = e
                .decision_note
                .as_deref()
                .filter(|n| !n.trim().is_empty())
                .map(|n| format!("（理由：{n}）"))
                .unwrap_or_default();
            format!(
                "首席代表未批准补充告知：{}{why}，此后的补正告知不能要求该材料。",
                e.material_names.join("、")
            )
        });
    let text: Vec<String> = approved.into_iter().chain(pending).chain(refused).collect();
    (!text.is_empty()).then(|| {
        view! {
            <p class="notice-box" role="note" data-testid="exception-status">
                {text.join(" ")}
            </p>
        }
    })
}

/// Corrected materials handed in: only what the latest notice asked for and has not come in
/// yet is offered, nothing ticked beforehand (one tap used to register every material, and a
/// second tap the same ones again, which the server now refuses).
#[component]
fn CorrectionReceived(
    case: CaseDetail,
    step: Action<Step, Result<String, ApiError>>,
) -> impl IntoView {
    let v = case.summary.version;
    let Some(progress) = correction_progress(&case) else {
        return ().into_any();
    };
    let (arrived, waiting): (Vec<_>, Vec<_>) = (
        progress
            .received
            .into_iter()
            .map(|d| (d.key, d.name))
            .collect(),
        progress
            .outstanding
            .into_iter()
            .map(|d| (d.key, d.name))
            .collect(),
    );
    let chosen = RwSignal::new(Vec::<String>::new());
    let chosen_error = error_at(step, "correction", "material_keys");
    let arrived_list = (!arrived.is_empty()).then(|| {
        let names: Vec<String> = arrived.into_iter().map(|(_, name)| name).collect();
        view! {
            <p class="ok-box">
                {format!(
                    "已登记收到：{}。办理时限自最后一次收到补正材料时起算。",
                    names.join("、"),
                )}
            </p>
        }
    });
    let form = if waiting.is_empty() {
        view! { <p>"补正材料已全部收到，请重新审查。"</p> }.into_any()
    } else {
        view! {
            <form
                class="stack"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    step.dispatch(
                        Step::Correction(CorrectionReceipt {
                            version: v,
                            material_keys: chosen.get(),
                        }),
                    );
                }
            >
                <fieldset
                    id="correction-materials"
                    class="checkgroup"
                    aria-describedby=move || {
                        chosen_error.with(Option::is_some).then_some("correction-materials-error")
                    }
                >
                    <legend>"本次收到的补正材料"</legend>
                    <FieldError id="correction-materials" error=chosen_error />
                    {waiting
                        .into_iter()
                        .map(|(key, name)| {
                            let k = key.clone();
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || chosen.with(|c| c.contains(&key))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen
                                                .update(|c| {
                                                    c.retain(|x| x != &k);
                                                    if on {
                                                        c.push(k.clone());
                                                    }
                                                });
                                        }
                                    />
                                    <span>{name}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <button type="submit" class="button">
                    "登记收到补正材料"
                </button>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="panel" aria-labelledby="correction-title">
            <h2 id="correction-title">"接收补正材料"</h2>
            {arrived_list}
            {form}
        </section>
    }
    .into_any()
}

#[component]
fn ExceptionRequest(
    case: CaseDetail,
    step: Action<Step, Result<String, ApiError>>,
) -> impl IntoView {
    let typed = Typed::get();
    let material = typed.field("exception.material", "");
    let reason = typed.field("exception.reason", "");
    let options: Vec<(String, String)> = case
        .item
        .materials
        .iter()
        .map(|m| (m.key.clone(), m.name.clone()))
        .collect();
    // Every problem is said at its field at once, before sending, and the server's at its field
    // too (they had shown only in the page's banner, far above the form).
    let local = RwSignal::new((None::<String>, None::<String>));
    let server_material = error_at(step, "exception", "material_keys");
    let server_reason = error_at(step, "exception", "reason");
    let material_error = Signal::derive(move || local.get().0.or_else(|| server_material.get()));
    let reason_error = Signal::derive(move || local.get().1.or_else(|| server_reason.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let no_material = material
            .get()
            .is_empty()
            .then(|| "请选择需要补充告知的材料".to_string());
        let no_reason = (!crate::api::validate::shows_something(&reason.get()))
            .then(|| "请说明需要补充告知的理由".to_string());
        let first = match (&no_material, &no_reason) {
            (Some(_), _) => Some("exception-material"),
            (None, Some(_)) => Some("exception-reason"),
            (None, None) => None,
        };
        local.set((no_material, no_reason));
        if let Some(field) = first {
            crate::components::form::focus_field(field);
            return;
        }
        step.dispatch(Step::Exception(OneTimeExceptionRequest {
            material_keys: vec![material.get()],
            reason: reason.get(),
        }));
    };
    view! {
        <details class="panel">
            <summary>
                "首次告知遗漏了材料？（须首席代表批准，并记入违反一次性告知记录）"
            </summary>
            <form class="stack" novalidate on:submit=submit>
                <div class="field">
                    <label for="exception-material">"需补充告知的材料"</label>
                    <FieldError id="exception-material" error=material_error />
                    <select
                        id="exception-material"
                        aria-invalid=move || material_error.get().map(|_| "true")
                        aria-describedby=move || {
                            material_error.get().map(|_| "exception-material-error")
                        }
                        prop:value=move || material.get()
                        on:change=move |ev| material.set(event_target_value(&ev))
                    >
                        {option("", "请选择")}
                        {options
                            .into_iter()
                            .map(|(k, n)| option(k, n))
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="exception-reason">"理由"</label>
                    <FieldError id="exception-reason" error=reason_error />
                    <textarea
                        id="exception-reason"
                        bind:value=reason
                        rows="2"
                        aria-invalid=move || reason_error.get().map(|_| "true")
                        aria-describedby=move || {
                            reason_error.get().map(|_| "exception-reason-error")
                        }
                    ></textarea>
                </div>
                <button type="submit" class="button">
                    "提请首席代表批准"
                </button>
            </form>
        </details>
    }
}

/// The decision, with what the document says: the grant's content, or the refusal's facts and
/// reasons. Each has its own text, so that switching the choice never carries a refusal's reasons
/// into a permit (a tester's 准予决定书 printed the reasons typed before switching back).
#[component]
fn DecisionForm(version: i64, step: Action<Step, Result<String, ApiError>>) -> impl IntoView {
    let typed = Typed::get();
    // No choice is made for the clerk: a grant or a refusal is chosen, and the choice is kept
    // with what was typed when the page draws its forms again.
    let chosen = typed.field("decision.choice", "");
    let decision = Signal::derive(move || match chosen.get().as_str() {
        "approved" => Some(Decision::Approved),
        "denied" => Some(Decision::Denied),
        _ => None,
    });
    let choose = move |d: Decision| chosen.set(d.code().to_string());
    let unchosen = RwSignal::new(None::<String>);
    let content = typed.field("decision.content", "");
    let reasons = typed.field("decision.reasons", "");
    let server_error = error_at(step, "decision", "reasons");
    // A refusal without reasons is said before the second look; the server says it too.
    let missing = RwSignal::new(None::<String>);
    let reasons_error = Signal::derive(move || missing.get().or_else(|| server_error.get()));
    // A decision is issued at once and cannot be taken back: the first tap shows what will be
    // issued, the second issues it (one tap granted a licence with 准予 chosen by default).
    let confirming = RwSignal::new(false);
    Effect::new(move |_| {
        step.value().track();
        confirming.set(false);
    });
    // The message is at the box, and the cursor goes there (the page's banner is far above).
    Effect::new(move |_| {
        if reasons_error.with(Option::is_some) {
            crate::components::form::focus_field("decision-reasons");
        }
    });
    let text = move || match decision.get() {
        Some(Decision::Denied) => reasons,
        _ => content,
    };
    view! {
        <section class="panel" aria-labelledby="decision-title">
            <h2 id="decision-title">"作出决定"</h2>
            <form
                class="stack"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    if decision.get().is_none() {
                        unchosen.set(Some("请选择准予或不予准予".into()));
                        crate::components::form::focus_field("decision-choice");
                        return;
                    }
                    let refusing = decision.get() == Some(Decision::Denied);
                    if refusing && !crate::api::validate::shows_something(&reasons.get()) {
                        missing.set(Some("请填写不予准予的理由".into()));
                        crate::components::form::focus_field("decision-reasons");
                        return;
                    }
                    missing.set(None);
                    confirming.set(true);
                }
            >
                <fieldset
                    class="segmented"
                    id="decision-choice"
                    aria-invalid=move || unchosen.with(Option::is_some).then_some("true")
                    aria-describedby=move || {
                        unchosen.with(Option::is_some).then_some("decision-choice-error")
                    }
                >
                    <legend>"决定"</legend>
                    <FieldError id="decision-choice" error=unchosen />
                    {[(Decision::Approved, "准予"), (Decision::Denied, "不予准予")]
                        .into_iter()
                        .map(|(d, label)| {
                            view! {
                                <label>
                                    <input
                                        type="radio"
                                        name="decision"
                                        prop:checked=move || decision.get() == Some(d)
                                        on:change=move |_| {
                                            choose(d);
                                            unchosen.set(None);
                                            confirming.set(false);
                                        }
                                    />
                                    <span>{label}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                {move || match decision.get() {
                    None => ().into_any(),
                    Some(Decision::Approved) => {
                        view! {
                            <div class="field">
                                <label for="decision-content">"决定内容（可选）"</label>
                                <textarea
                                    id="decision-content"
                                    bind:value=content
                                    rows="3"
                                ></textarea>
                            </div>
                        }
                            .into_any()
                    }
                    Some(Decision::Denied) => {
                        view! {
                            <div class="field">
                                <label for="decision-reasons">
                                    "不予准予的事实和理由（必填）"
                                </label>
                                <FieldError id="decision-reasons" error=reasons_error />
                                <textarea
                                    id="decision-reasons"
                                    bind:value=reasons
                                    rows="3"
                                    aria-invalid=move || {
                                        reasons_error.with(Option::is_some).then_some("true")
                                    }
                                    aria-describedby=move || {
                                        reasons_error
                                            .with(Option::is_some)
                                            .then_some("decision-reasons-error")
                                    }
                                ></textarea>
                            </div>
                        }
                            .into_any()
                    }
                }}
                <p class="muted">
                    "不予准予的决定书将告知申请人依法申请行政复议或提起行政诉讼的权利。"
                </p>
                <button type="submit" class="button primary big" hidden=move || confirming.get()>
                    "作出决定并出具决定书"
                </button>
                {move || {
                    confirming
                        .get()
                        .then(|| {
                            let document = match decision.get() {
                                Some(Decision::Denied) => "《不予行政许可决定书》",
                                _ => "《准予行政许可决定书》",
                            };
                            view! {
                                <div class="stack approve-confirm">
                                    <p role="note">
                                        {format!(
                                            "将立即向申请人出具{document}，决定作出后不能撤回。",
                                        )}
                                    </p>
                                    <div class="row wrap">
                                        <button
                                            type="button"
                                            class="button primary big"
                                            on:click=move |_| {
                                                let Some(decision) = decision.get_untracked() else {
                                                    return;
                                                };
                                                let reasons = text().get_untracked();
                                                step.dispatch(
                                                    Step::Decide(DecisionRequest {
                                                        version,
                                                        decision,
                                                        reasons,
                                                    }),
                                                );
                                            }
                                        >
                                            "确认作出决定"
                                        </button>
                                        <button
                                            type="button"
                                            class="button ghost"
                                            on:click=move |_| confirming.set(false)
                                        >
                                            "返回修改"
                                        </button>
                                    </div>
                                </div>
                            }
                        })
                }}
            </form>
        </section>
    }
}

/// The refusal of the last step, when `form` sent it and it concerns `field` (the one it names,
/// or one of every problem it lists) — shown at that field.
fn error_at(
    step: Action<Step, Result<String, ApiError>>,
    form: &'static str,
    field: &'static str,
) -> Signal<Option<String>> {
    let last = use_context::<LastSent>();
    Signal::derive(move || match step.value().get() {
        Some(Err(e)) if last.is_none_or(|l| l.0.get() == form) => e
            .field_messages()
            .into_iter()
            .find(|(f, _)| f == field)
            .map(|(_, message)| message),
        _ => None,
    })
}

/// A special procedure stops the clock from a moment: now (left empty), or an earlier moment —
/// more than 15 minutes back it is a late record and needs its reason (kept in the audit).
#[component]
fn SuspendForm(case: CaseDetail, step: Action<Step, Result<String, ApiError>>) -> impl IntoView {
    let clock = HallClock::get();
    let v = case.summary.version;
    let procedures: Vec<SpecialProcedure> = case.item.special_procedures.clone();
    if procedures.is_empty() {
        return ().into_any();
    }
    let typed = Typed::get();
    let procedure = typed.field("suspend.procedure", procedures[0].code());
    let reason = typed.field("suspend.reason", "");
    let start = typed.field("suspend.start", "");
    let backdate = typed.field("suspend.backdate", "");
    let days = typed.field("suspend.days", "");
    let days_error = error_at(step, "suspend", "expected_working_days");
    let start_error = error_at(step, "suspend", "start_at");
    let reason_error = error_at(step, "suspend", "reason");
    let backdate_error = error_at(step, "suspend", "backdate_reason");
    // Every problem is said at its field; the cursor goes to the first of them, in the form's
    // order (the page's banner is far above).
    Effect::new(move |_| {
        let fields = [
            (reason_error, "suspend-reason"),
            (days_error, "suspend-days"),
            (start_error, "suspend-start"),
            (backdate_error, "suspend-backdate"),
        ];
        if let Some((_, id)) = fields.into_iter().find(|(e, _)| e.with(Option::is_some)) {
            crate::components::form::focus_field(id);
        }
    });
    view! {
        <section class="panel" aria-labelledby="suspend-title">
            <h2 id="suspend-title">"特别程序（中止计时）"</h2>
            <form
                class="stack"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    let Some(p) = SpecialProcedure::from_code(&procedure.get()) else { return };
                    let start_at = chrono::NaiveDateTime::parse_from_str(
                            &start.get(),
                            "%Y-%m-%dT%H:%M",
                        )
                        .ok()
                        .map(|t| clock.from_local(t));
                    let backdate_reason = Some(backdate.get()).filter(|r| !r.trim().is_empty());
                    step.dispatch(
                        Step::Suspend(SuspendRequest {
                            version: v,
                            procedure: p,
                            reason: reason.get(),
                            start_at,
                            backdate_reason,
                            start_date: None,
                            // A number the field could not read is sent as 0: the server
                            // refuses it at the field, with the value kept.
                            expected_working_days: match days.get().trim() {
                                "" => None,
                                d => Some(d.parse().unwrap_or(0)),
                            },
                        }),
                    );
                }
            >
                <div class="field">
                    <label for="suspend-procedure">"程序"</label>
                    <select
                        id="suspend-procedure"
                        prop:value=move || procedure.get()
                        on:change=move |ev| procedure.set(event_target_value(&ev))
                    >
                        {procedures
                            .into_iter()
                            .map(|p| option(p.code(), p.label_zh()))
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="suspend-reason">"理由（将书面告知申请人）"</label>
                    <FieldError id="suspend-reason" error=reason_error />
                    <input
                        id="suspend-reason"
                        bind:value=reason
                        aria-invalid=move || reason_error.with(Option::is_some).then_some("true")
                    />
                </div>
                <TextField
                    id="suspend-days"
                    label="预计所需工作日（将书面告知申请人，不确定的可不填）"
                    value=days
                    input_type="number"
                    error=days_error
                />
                <TextField
                    id="suspend-start"
                    label="开始时间"
                    value=start
                    input_type="datetime-local"
                    hint="不填即为现在。须早于办结期限；早于现在 15 分钟以上为补录，须说明理由。"
                    error=start_error
                />
                <TextField
                    id="suspend-backdate"
                    label="补录理由（补录时必填，记入审计记录）"
                    value=backdate
                    error=backdate_error
                />
                <button type="submit" class="button">
                    "中止计时并出具告知书"
                </button>
            </form>
        </section>
    }
    .into_any()
}

/// What the clerk typed into the case page's other forms, by field. The forms are drawn again
/// whenever the case is reloaded (a change to any case of the unit, through the live stream), and
/// each had signals of its own: a half-typed decision vanished when a colleague's case was
/// accepted. The values are owned by the page, and emptied once a step has gone through.
#[derive(Clone, Copy)]
struct Typed {
    owner: StoredValue<Owner>,
    fields: StoredValue<HashMap<&'static str, RwSignal<String>>>,
}

impl Typed {
    fn new() -> Self {
        Self {
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            fields: StoredValue::new(HashMap::new()),
        }
    }

    /// The case page's drafts (every form below it is drawn inside the page).
    fn get() -> Self {
        use_context::<Typed>().unwrap_or_else(Typed::new)
    }

    /// The value of the field `key`, `initial` until something is typed.
    fn field(self, key: &'static str, initial: &str) -> RwSignal<String> {
        if let Some(kept) = self.fields.with_value(|f| f.get(key).copied()) {
            return kept;
        }
        let made = self
            .owner
            .with_value(|o| o.with(|| RwSignal::new(initial.to_string())));
        self.fields.update_value(|f| {
            f.insert(key, made);
        });
        made
    }

    /// Forgets every draft: the forms start afresh.
    fn clear(self) {
        self.fields.update_value(HashMap::clear);
    }
}

/// What the clerk typed into the extension form. It lives as long as the case page, not as long as
/// the form: a live refresh or a refused request re-renders the form with every typed value kept.
#[derive(Clone, Copy)]
struct ExtensionDraft {
    days: RwSignal<String>,
    reason: RwSignal<String>,
    problem: FormProblem,
    /// The last step sent was this form's (its refusals are shown at its fields).
    sent: RwSignal<bool>,
}

impl ExtensionDraft {
    fn new() -> Self {
        Self {
            days: RwSignal::new(String::new()),
            reason: RwSignal::new(String::new()),
            problem: FormProblem::default(),
            sent: RwSignal::new(false),
        }
    }

    /// The request, or every field that is not acceptable (checked before sending).
    fn request(&self, version: i64, bound: u32) -> Result<ExtensionRequest, ApiError> {
        use crate::api::validate::{Checks, Invalid};
        let mut checks = Checks::default();
        let days = self.days.get_untracked();
        let days = days.trim();
        let n = checks.ok(match days.parse::<u32>() {
            Ok(n) if n >= 1 && n <= bound => Ok(n),
            _ if days.is_empty() => Err(Invalid::new("required", "days", "请填写延长的工作日数")),
            _ => {
                let message = format!("延长工作日须为 1 至 {bound} 之间的整数");
                Err(Invalid::new("extension_exceeds_bound", "days", message))
            }
        });
        let reason = self.reason.get_untracked();
        if reason.trim().is_empty() {
            let message = "须说明延期理由，并告知申请人";
            checks.fail(Invalid::new("empty_reason", "reason", message));
        }
        let request = ExtensionRequest {
            version,
            days: n.unwrap_or_default(),
            reason,
        };
        checks.finish(request).map_err(ApiError::from)
    }
}

#[component]
fn ExtensionForm(
    case: CaseDetail,
    step: Action<Step, Result<String, ApiError>>,
    draft: ExtensionDraft,
) -> impl IntoView {
    let v = case.summary.version;
    let bound = case.item.extension_bound_days;
    let asked = case.extensions.iter().find(|e| e.status.is_live()).cloned();
    if bound == 0 {
        return ().into_any();
    }
    if let Some(e) = asked {
        let status = match e.status {
            rules::RequestStatus::Pending => "待首席代表审批",
            rules::RequestStatus::Approved => "已批准",
            _ => "已处理",
        };
        return view! {
            <section class="panel">
                <h2>"延期"</h2>
                <p>
                    {format!(
                        "已申请延期 {} 个工作日（{status}）：{}",
                        e.days,
                        e.reason,
                    )}
                </p>
            </section>
        }
        .into_any();
    }
    let problem = draft.problem;
    let invalid = |name: &'static str| move || problem.message_for(name).map(|_| "true");
    let described = |name: &'static str, id: &'static str| {
        move || problem.message_for(name).map(|_| format!("{id}-error"))
    };
    // The last refusal and the chief's reason, before the clerk asks again.
    let refused = case
        .extensions
        .iter()
        .rfind(|e| e.status == rules::RequestStatus::Refused)
        .map(|e| {
            let note = e.decision_note.clone().unwrap_or_default();
            format!(
                "上次申请延期 {} 个工作日未获批准。首席代表意见：{note}",
                e.days
            )
        });
    view! {
        <section class="panel" aria-labelledby="extension-title">
            <h2 id="extension-title">"申请延期"</h2>
            {refused.map(|r| view! { <p class="warn-box" role="note">{r}</p> })}
            <form
                class="stack"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    match draft.request(v, bound) {
                        Ok(request) => {
                            problem.clear();
                            draft.sent.set(true);
                            step.dispatch(Step::Extend(request));
                        }
                        Err(e) => problem.set(e),
                    }
                }
            >
                <div class="row wrap">
                    <div class="field">
                        <label for="extension-days">
                            {format!("延长工作日（最多 {bound} 个）")}
                        </label>
                        <FieldError id="extension-days" error=problem.at("days") />
                        <input
                            id="extension-days"
                            type="number"
                            min="1"
                            max=bound
                            bind:value=draft.days
                            inputmode="numeric"
                            aria-invalid=invalid("days")
                            aria-describedby=described("days", "extension-days")
                        />
                    </div>
                    <div class="field grow">
                        <label for="extension-reason">"理由（将告知申请人）"</label>
                        <FieldError id="extension-reason" error=problem.at("reason") />
                        <input
                            id="extension-reason"
                            bind:value=draft.reason
                            aria-invalid=invalid("reason")
                            aria-describedby=described("reason", "extension-reason")
                        />
                    </div>
                </div>
                <p class="muted">
                    "须在办结期限届满前由首席代表批准，只能延期一次。"
                </p>
                <button type="submit" class="button">
                    "提交延期申请"
                </button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn DeliveryForm(version: i64, step: Action<Step, Result<String, ApiError>>) -> impl IntoView {
    let method = Typed::get().field("delivery.method", "当场领取");
    view! {
        <section class="panel" aria-labelledby="delivery-title">
            <h2 id="delivery-title">"送达"</h2>
            <form
                class="stack"
                on:submit=move |ev| {
                    ev.prevent_default();
                    step.dispatch(
                        Step::Deliver(DeliveryRequest {
                            version,
                            method: method.get(),
                        }),
                    );
                }
            >
                <fieldset class="segmented">
                    <legend>"送达方式"</legend>
                    {["当场领取", "邮寄送达", "电子送达"]
                        .into_iter()
                        .map(|m| {
                            view! {
                                <label>
                                    <input
                                        type="radio"
                                        name="delivery"
                                        prop:checked=move || method.get() == m
                                        on:change=move |_| method.set(m.to_string())
                                    />
                                    <span>{m}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <button type="submit" class="button primary big">
                    "登记送达"
                </button>
            </form>
        </section>
    }
}

#[component]
fn CloseForm(version: i64, step: Action<Step, Result<String, ApiError>>) -> impl IntoView {
    let feedback = Typed::get().field("close.feedback", "");
    let feedback_error = error_at(step, "close", "feedback");
    // The message is at the box, and the cursor goes there (the page's banner is far above).
    Effect::new(move |_| {
        if feedback_error.with(Option::is_some) {
            crate::components::form::focus_field("close-feedback");
        }
    });
    view! {
        <section class="panel" aria-labelledby="close-title">
            <h2 id="close-title">"办结反馈"</h2>
            <form
                class="stack"
                on:submit=move |ev| {
                    ev.prevent_default();
                    step.dispatch(
                        Step::Close(CloseRequest {
                            version,
                            feedback: feedback.get(),
                        }),
                    );
                }
            >
                <div class="field">
                    <label for="close-feedback">
                        "向申请人反馈的情况（首问负责人填写）"
                    </label>
                    <FieldError id="close-feedback" error=feedback_error />
                    <textarea
                        id="close-feedback"
                        bind:value=feedback
                        rows="2"
                        aria-invalid=move || feedback_error.with(Option::is_some).then_some("true")
                        aria-describedby=move || {
                            feedback_error.with(Option::is_some).then_some("close-feedback-error")
                        }
                    ></textarea>
                </div>
                <button type="submit" class="button primary big">
                    "办结"
                </button>
            </form>
        </section>
    }
}

#[component]
fn WithdrawForm(version: i64, step: Action<Step, Result<String, ApiError>>) -> impl IntoView {
    let reason = Typed::get().field("withdraw.reason", "");
    view! {
        <details class="panel">
            <summary>"申请人撤回申请"</summary>
            <form
                class="stack"
                on:submit=move |ev| {
                    ev.prevent_default();
                    step.dispatch(
                        Step::Withdraw(WithdrawRequest {
                            version,
                            reason: reason.get(),
                        }),
                    );
                }
            >
                <div class="field">
                    <label for="withdraw-reason">"撤回原因"</label>
                    <input id="withdraw-reason" bind:value=reason />
                </div>
                <button type="submit" class="button ghost">
                    "登记撤回"
                </button>
            </form>
        </details>
    }
}

#[component]
fn Notices(case: CaseDetail, can_print: bool) -> impl IntoView {
    let clock = HallClock::get();
    if case.notices.is_empty() && !can_print {
        return ().into_any();
    }
    let receipt = format!("/clerk/cases/{}/receipt", case.summary.id);
    let received = format::date_time(clock.to_local(case.summary.received_at));
    view! {
        <section class="panel" aria-labelledby="notices-title">
            <h2 id="notices-title">"文书"</h2>
            <ul class="plain">
                {can_print
                    .then(|| {
                        view! {
                            <li class="notice-row">
                                <span>
                                    <strong>"《收件凭证》"</strong>
                                    " "
                                    <span class="case-number">{case.summary.number.clone()}</span>
                                </span>
                                <span class="muted">{received}</span>
                                <a
                                    class="button small"
                                    href=receipt
                                    aria-label="打印收件凭证"
                                >
                                    "打印"
                                </a>
                            </li>
                        }
                    })}
                {case
                    .notices
                    .into_iter()
                    .map(|n| {
                        let when = format::date_time(clock.to_local(n.issued_at));
                        view! {
                            <li class="notice-row">
                                <span>
                                    <strong>{format!("《{}》", n.title)}</strong>
                                    " "
                                    <span class="case-number">{n.number.clone()}</span>
                                </span>
                                <span class="muted">{when}</span>
                                {can_print
                                    .then(|| {
                                        view! {
                                            <a
                                                class="button small"
                                                href=format!("/notices/{}/print", n.id)
                                                aria-label=format!("打印{}", n.title)
                                            >
                                                {if n.prints > 0 { "补打" } else { "打印" }}
                                            </a>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

/// A chief's note on a decided request, as the case's history shows it.
fn chief_note(note: Option<String>) -> Option<String> {
    note.filter(|n| !n.trim().is_empty())
        .map(|n| format!("首席代表意见：{n}"))
}

#[component]
fn History(case: CaseDetail) -> impl IntoView {
    let clock = HallClock::get();
    let at = move |d: chrono::DateTime<chrono::Utc>| format::date_time(clock.to_local(d));
    // "王晓燕 · 2026-03-04 10:30", or the moment alone when the name was not kept.
    let by_at = move |who: &str, d: chrono::DateTime<chrono::Utc>| match who {
        "" => at(d),
        who => format!("{who} · {}", at(d)),
    };
    let names: std::collections::BTreeMap<String, String> = case
        .item
        .materials
        .iter()
        .map(|m| (m.key.clone(), m.name.clone()))
        .collect();
    // Every entry with its moment; the list is newest first, on the tablet and on paper.
    let mut entries: Vec<(chrono::DateTime<chrono::Utc>, AnyView)> = Vec::new();
    // The receipt opens the record, as on the applicant's /track (it was missing here), under
    // the clerk who received it: the first owner, before any handover.
    let received = case.summary.received_at;
    let receiver = case
        .handovers
        .first()
        .map_or_else(|| case.summary.owner_name.clone(), |h| h.from_name.clone());
    entries.push((
        received,
        view! {
            <strong>{format!("{}收件，出具收件凭证", case.channel.label())}</strong>
            <span class="muted">
                {format!(" {receiver} · {}", at(received))}
            </span>
        }
        .into_any(),
    ));
    for r in case.reviews {
        // Judged complete though the receipt did not list it: handed over at the review.
        let handed_in = (!r.handed_in.is_empty()).then(|| {
            let what: Vec<String> = r
                .handed_in
                .iter()
                .map(|k| names.get(k).cloned().unwrap_or_else(|| k.clone()))
                .collect();
            format!("收件凭证未列、审查时当场补交：{}", what.join("、"))
        });
        let detail = match &r.outcome {
            rules::review::ReviewOutcome::CorrectionRequired { deficiencies } => deficiencies
                .iter()
                .map(|d| d.line_zh())
                .collect::<Vec<_>>()
                .join("；"),
            _ => String::new(),
        };
        entries.push((
            r.reviewed_at,
            view! {
                <strong>
                    {format!("第 {} 次受理审查：{}", r.round, r.outcome.label_zh())}
                </strong>
                <span class="muted">{format!(" {} · {}", r.reviewed_by, at(r.reviewed_at))}</span>
                {handed_in.map(|h| view! { <p>{h}</p> })}
                {(!detail.is_empty()).then(|| view! { <p>{detail}</p> })}
            }
            .into_any(),
        ));
    }
    for c in case.corrections {
        let what = c
            .material_keys
            .iter()
            .map(|k| names.get(k).cloned().unwrap_or_else(|| k.clone()))
            .collect::<Vec<_>>()
            .join("、");
        entries.push((
            c.received_at,
            view! {
                {format!("收到补正材料：{what}")}
                <span class="muted">{format!(" {}", by_at(&c.received_by, c.received_at))}</span>
            }
            .into_any(),
        ));
    }
    for s in case.suspensions {
        entries.push((
            s.start_at,
            view! {
                {format!(
                    "特别程序：{}（{}），{} 起{}",
                    s.procedure.label_zh(),
                    s.reason,
                    at(s.start_at),
                    s
                        .end_at
                        .map(|e| format!("，{} 恢复计时", at(e)))
                        .unwrap_or_else(|| "，进行中".into()),
                )}
                {s
                    .backdate_reason
                    .map(|r| view! { <span class="muted">{format!("（补录：{r}）")}</span> })}
                <span class="muted">
                    {format!(
                        " 登记：{}{}",
                        s.recorded_by,
                        s.ended_by.map(|e| format!("，恢复：{e}")).unwrap_or_default(),
                    )}
                </span>
            }
            .into_any(),
        ));
    }
    // Deemed acceptance is no review and no clerk's step: it showed only as a notice here, while
    // the applicant's /track named it.
    // The due record's cause is the state the case entered then.
    let deemed = rules::CaseState::Accepted { deemed: true }.code();
    let dues = case.timeliness.dues.iter();
    for d in dues.filter(|d| d.cause == deemed) {
        entries.push((
            d.effective_at,
            view! {
                <strong>"逾期未告知补正，依法视为受理"</strong>
                <span class="muted">{format!(" {}", at(d.effective_at))}</span>
            }
            .into_any(),
        ));
    }
    let decided_timeliness = case
        .timeliness
        .steps
        .iter()
        .find(|st| st.step == "decision")
        .map(|st| format!("（{}）", st.timeliness_label))
        .unwrap_or_default();
    for st in case
        .timeliness
        .steps
        .into_iter()
        .filter(|st| st.step != "decision")
    {
        let due = st
            .due_at
            .map(|d| format!("，期限 {}", at(d)))
            .unwrap_or_default();
        entries.push((
            st.done_at,
            view! {
                {format!("{}：{}{due}", st.label, st.timeliness_label)}
                <span class="muted">{format!(" {}", at(st.done_at))}</span>
            }
            .into_any(),
        ));
    }
    // The decision, its delivery and the closing, each under whoever took it (they were
    // missing: the record ended at a stage's timeliness).
    if let Some(decided_at) = case.decided_at {
        let denied = case.decision.as_deref() == Some(rules::Decision::Denied.code());
        let what = if denied { "不予准予" } else { "准予" };
        let reasons = case
            .decision_reasons
            .clone()
            .filter(|r| !r.trim().is_empty());
        let who = case.decided_by.clone().unwrap_or_default();
        entries.push((
            decided_at,
            view! {
                <strong>{format!("作出决定：{what}{decided_timeliness}")}</strong>
                <span class="muted">{format!(" {}", by_at(&who, decided_at))}</span>
                {reasons
                    .map(|r| {
                        let head = if denied { "理由" } else { "决定内容" };
                        view! { <p>{format!("{head}：{r}")}</p> }
                    })}
            }
            .into_any(),
        ));
    }
    if let Some(delivered_at) = case.delivered_at {
        let how = case.delivery_method.clone().unwrap_or_default();
        let who = case.delivered_by.clone().unwrap_or_default();
        entries.push((
            delivered_at,
            view! {
                <strong>{format!("送达决定：{how}")}</strong>
                <span class="muted">{format!(" {}", by_at(&who, delivered_at))}</span>
            }
            .into_any(),
        ));
    }
    if let Some(closed_at) = case.closed_at {
        let feedback = case.feedback.clone().unwrap_or_default();
        let who = case.closed_by.clone().unwrap_or_default();
        // A withdrawal closes the case too; its feedback already says 申请人撤回.
        let text = match case.summary.state {
            rules::CaseState::Withdrawn => feedback,
            _ => format!("办结反馈：{feedback}"),
        };
        entries.push((
            closed_at,
            view! {
                <strong>{text}</strong>
                <span class="muted">{format!(" {}", by_at(&who, closed_at))}</span>
            }
            .into_any(),
        ));
    }
    for e in case.extensions {
        // The chief's reason for a refusal is written for the clerk who asked: it was stored
        // and never shown, and the clerk saw only a fresh request form.
        let note = chief_note(e.decision_note);
        entries.push((
            e.requested_at,
            view! {
                {format!(
                    "延期申请 {} 个工作日：{}（{}）",
                    e.days,
                    e.reason,
                    e.status.label_zh(),
                )}
                <span class="muted">{format!(" {}", at(e.requested_at))}</span>
                {note.map(|n| view! { <span class="decision-note">{n}</span> })}
            }
            .into_any(),
        ));
    }
    for e in case.one_time_exceptions {
        let note = chief_note(e.decision_note);
        entries.push((
            e.requested_at,
            view! {
                {format!(
                    "补充告知申请：{}，理由：{}（{}）",
                    e.material_names.join("、"),
                    e.reason,
                    e.status.label_zh(),
                )}
                <span class="muted">
                    {format!(" {} · {}", e.requested_by, at(e.requested_at))}
                </span>
                {note.map(|n| view! { <span class="decision-note">{n}</span> })}
            }
            .into_any(),
        ));
    }
    for h in case.handovers {
        entries.push((
            h.handed_over_at,
            view! {
                {format!(
                    "首问责任由{}移交给{}（{}）",
                    h.from_name,
                    h.to_name,
                    h.reason,
                )}
                <span class="muted">
                    {format!(" {} · {}", h.handed_over_by, at(h.handed_over_at))}
                </span>
            }
            .into_any(),
        ));
    }
    // Stable: entries of the same moment keep the order they were gathered in, reversed.
    entries.reverse();
    entries.sort_by_key(|e| std::cmp::Reverse(e.0));
    view! {
        <section class="panel" aria-labelledby="history-title">
            <h2 id="history-title">"办理记录"</h2>
            <p class="muted">"最新的在前"</p>
            <ol class="timeline" reversed>
                {entries.into_iter().map(|(_, entry)| view! { <li>{entry}</li> }).collect_view()}
            </ol>
        </section>
    }
}

/// What a review did, naming the notices it issued: "受理：已出具《受理通知书》".
fn review_outcome(r: &cases::ReviewResult) -> String {
    let titles: String = r
        .notices
        .iter()
        .map(|n| format!("《{}》", n.title))
        .collect();
    format!("{}：已出具{}", r.outcome.label_zh(), titles)
}
