//! 首席代表: escalations to resolve, extension requests and one-time-rule exceptions to decide,
//! and the unit's running cases.

use leptos::prelude::*;

use crate::api::events::Topic;
use leptos_meta::Title;

use crate::{
    api::{
        ApiError, Me, Method, Role, calendar,
        cases::{self, ApprovalDecisionInput, CaseScope, ExtensionRecord, OneTimeExceptionRecord},
        client::{get, send},
        inquiries::{self, EscalationView, ResolveRequest},
    },
    components::{
        calendar_warning::NextYearCalendarWarning,
        countdown::{Countdown, WithCalendar},
        feedback::{ActionResult, ErrorBox, Loading, listed},
        form::FieldError,
        guard::RequireRole,
        hall_clock::HallClock,
        live::LiveRefresh,
        suspend::suspend,
    },
    format,
    pages::{clerk::CaseTable, queue_day::QueueDayPanel, reassignments::ReassignmentInbox},
};

#[component]
pub fn ChiefDesk() -> impl IntoView {
    view! {
        <Title text="首席代表" />
        <RequireRole role=Role::ChiefRepresentative render=|me| view! { <Desk me=me /> } />
    }
}

#[derive(Clone)]
enum Decide {
    /// The request, whether approved, and the chief's note (the reason for a refusal).
    Extension(i64, bool, Option<String>),
    Exception(i64, bool, Option<String>),
    Resolve(i64, String),
}

async fn decide(d: Decide) -> Result<String, ApiError> {
    match d {
        Decide::Extension(id, approve, note) => {
            cases::decide_extension(id, ApprovalDecisionInput { approve, note })
                .await
                .map(|_| {
                    if approve {
                        "已批准延期，延期告知书已出具".into()
                    } else {
                        "已不予批准延期".into()
                    }
                })
        }
        Decide::Exception(id, approve, note) => send::<_, OneTimeExceptionRecord>(
            Method::Post,
            format!("/api/v1/one-time-exceptions/{id}/decision"),
            Some(&ApprovalDecisionInput { approve, note }),
        )
        .await
        .map(|_| {
            if approve {
                "已批准补充告知（将记入违反一次性告知记录）".into()
            } else {
                "已不予批准".into()
            }
        }),
        Decide::Resolve(id, resolution) => {
            inquiries::resolve_escalation(id, ResolveRequest { resolution })
                .await
                .map(|_| "已答复，首问负责人将向申请人反馈".into())
        }
    }
}

#[component]
fn Desk(me: Me) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let extensions = Resource::new(move || version.get(), |_| cases::pending_extensions());
    let exceptions = Resource::new(
        move || version.get(),
        |_| get::<Vec<OneTimeExceptionRecord>>("/api/v1/one-time-exceptions".into()),
    );
    let inbox = Resource::new(move || version.get(), |_| inquiries::inbox());
    let unit_cases = Resource::new(
        move || version.get(),
        |_| cases::list(CaseScope::Unit, false),
    );
    let full_calendar = Resource::new(|| (), |_| calendar::full());
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    let action = Action::new(|d: &Decide| decide(d.clone()));
    Effect::new(move |_| {
        if let Some(outcome) = action.value().get() {
            result.set(Some(outcome));
            version.update(|v| *v += 1);
        }
    });
    view! {
        <LiveRefresh topics=&[Topic::Cases, Topic::Inquiries] version=version />
        <h1>"首席代表"</h1>
        <p class="lead">
            {format!(
                "{} · {}",
                me.unit_name.clone().unwrap_or_default(),
                me.center_name.clone().unwrap_or_default(),
            )}
        </p>
        <nav class="sub-nav" aria-label="本单位督查">
            <a href="/unit/supervision">"本单位整改与评价"</a>
            <a href="/chief/bulletin">"本单位月通报"</a>
        </nav>
        <ActionResult message=result />
        <NextYearCalendarWarning />
        <ReassignmentInbox />
        {me.center_id.map(|center_id| view! { <QueueDayPanel center_id=center_id /> })}
        <Suspense fallback=Loading>
            {move || suspend(async move {
                let cal = full_calendar.await.ok().and_then(|f| f.work_calendar().ok());
                let extensions = extensions.await;
                let exceptions = exceptions.await;
                let inbox = inbox.await;
                let unit_cases = unit_cases.await;
                view! {
                    <WithCalendar calendar=cal>
                        <section class="panel" aria-labelledby="ext-title">
                            <h2 id="ext-title">"待审批的延期申请"</h2>
                            {listed(
                                extensions,
                                "没有待审批的延期申请。",
                                "plain",
                                move |e| extension_row(e, action),
                            )}
                        </section>
                        <section class="panel" aria-labelledby="esc-title">
                            <h2 id="esc-title">"提请协调的咨询"</h2>
                            {listed(
                                inbox.map(|i| i.escalations_to_resolve),
                                "没有待协调的事项。",
                                "plain",
                                move |e| escalation_row(e, action),
                            )}
                        </section>
                        <section class="panel" aria-labelledby="exc-title">
                            <h2 id="exc-title">"补充告知申请（一次性告知例外）"</h2>
                            {listed(
                                exceptions,
                                "没有待批准的补充告知。",
                                "plain",
                                move |x| exception_row(x, action),
                            )}
                        </section>
                        <section class="panel" aria-labelledby="unit-cases">
                            <h2 id="unit-cases">"本单位在办件"</h2>
                            {match unit_cases {
                                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                Ok(list) if list.items.is_empty() => {
                                    view! {
                                        <p class="muted">"本单位目前没有在办件。"</p>
                                    }
                                        .into_any()
                                }
                                Ok(list) => {
                                    view! { <CaseTable cases=list.items read_only=true /> }
                                        .into_any()
                                }
                            }}
                        </section>
                    </WithCalendar>
                }
            })}
        </Suspense>
    }
}

type Decider = Action<Decide, Result<String, ApiError>>;

/// An extension request: approved or refused after a second look — an approval issues the
/// applicant's extension notice at once (a stray tap approved for good); a refusal needs a
/// reason (one tap used to refuse for good, with nothing said to the clerk who asked).
fn extension_row(e: ExtensionRecord, action: Decider) -> impl IntoView {
    let id = e.id;
    let refusing = RwSignal::new(false);
    let approving = RwSignal::new(false);
    let days = e.days;
    let number = e.case_number.clone();
    let refuse = Callback::new(move |reason: String| {
        action.dispatch(Decide::Extension(id, false, Some(reason)));
    });
    view! {
        <li class="decision-row">
            <div>
                <strong>
                    {format!("{} {}：延长 {} 个工作日", e.case_number, e.item_name, e.days)}
                </strong>
                <p>{format!("理由：{}（{} 申请）", e.reason, e.requested_by)}</p>
                <Countdown
                    due_at=e.due_at
                    limit=rules::TimeLimit::Promised {
                        working_days: 1,
                    }
                    label="须在期限届满前审批"
                />
            </div>
            <div class="row" hidden=move || refusing.get() || approving.get()>
                <button
                    type="button"
                    class="button primary"
                    aria-label=format!("批准延期 {}", e.case_number)
                    on:click=move |_| approving.set(true)
                >
                    "批准"
                </button>
                <button
                    type="button"
                    class="button ghost"
                    aria-label=format!("不批准延期 {number}")
                    on:click=move |_| refusing.set(true)
                >
                    "不批准"
                </button>
            </div>
            <RefuseForm
                field_id=format!("refuse-note-{id}")
                label="不予批准的理由（将告知申请延期的工作人员）"
                open=refusing
                on_refuse=refuse
            />
            {move || {
                approving
                    .get()
                    .then(|| {
                        view! {
                            <div class="stack approve-confirm">
                                <p role="note">
                                    {format!(
                                        "批准后将立即向申请人出具延期告知书，\
                                         办结期限延长 {days} 个工作日，不能撤回。",
                                    )}
                                </p>
                                <div class="row">
                                    <button
                                        type="button"
                                        class="button primary"
                                        on:click=move |_| {
                                            action.dispatch(Decide::Extension(id, true, None));
                                        }
                                    >
                                        "确认批准"
                                    </button>
                                    <button
                                        type="button"
                                        class="button ghost"
                                        on:click=move |_| approving.set(false)
                                    >
                                        "取消"
                                    </button>
                                </div>
                            </div>
                        }
                    })
            }}
        </li>
    }
}

/// The reason for a refusal, asked before the refusal is sent (the clerk who asked is told
/// it): it takes the cursor as it opens, and an empty reason is said at the box.
#[component]
fn RefuseForm(
    /// The reason box's id, unique on the page.
    field_id: String,
    label: &'static str,
    /// Open while the chief is refusing; 取消 closes it.
    open: RwSignal<bool>,
    on_refuse: Callback<String>,
    /// What refusing means, said above the box.
    #[prop(optional)]
    consequence: Option<&'static str>,
) -> impl IntoView {
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<String>);
    let focus_id = field_id.clone();
    Effect::new(move |_| {
        if open.get() {
            crate::components::form::focus_field(&focus_id);
        }
    });
    move || {
        let field_id = field_id.clone();
        let described = format!("{field_id}-error");
        open.get().then(|| {
            view! {
                <form
                    class="stack refuse-form"
                    novalidate
                    on:submit={
                        let field_id = field_id.clone();
                        move |ev| {
                            ev.prevent_default();
                            let reason = note.get().trim().to_string();
                            if reason.is_empty() {
                                note_error.set(Some("请填写不予批准的理由".into()));
                                crate::components::form::focus_field(&field_id);
                                return;
                            }
                            note_error.set(None);
                            on_refuse.run(reason);
                        }
                    }
                >
                    {consequence.map(|c| view! { <p role="note">{c}</p> })}
                    <div class="field">
                        <label for=field_id.clone()>{label}</label>
                        <FieldError id=field_id.clone() error=note_error />
                        <input
                            id=field_id.clone()
                            bind:value=note
                            aria-invalid=move || note_error.with(Option::is_some).then_some("true")
                            aria-describedby=move || {
                                note_error.with(Option::is_some).then_some(described.clone())
                            }
                        />
                    </div>
                    <div class="row">
                        <button type="submit" class="button danger">
                            "确认不批准"
                        </button>
                        <button
                            type="button"
                            class="button ghost"
                            on:click=move |_| {
                                open.set(false);
                                note_error.set(None);
                            }
                        >
                            "取消"
                        </button>
                    </div>
                </form>
            }
        })
    }
}

fn escalation_row(e: EscalationView, action: Decider) -> impl IntoView {
    let clock = HallClock::get();
    let answer = RwSignal::new(String::new());
    let id = e.id;
    let asked = format::date_time(clock.to_local(e.created_at));
    view! {
        <li class="decision-row">
            <div>
                <strong>{e.topic.clone()}</strong>
                <p>{format!("{}（{} 提请，{}）", e.question, e.from_name, asked)}</p>
            </div>
            <form
                class="stack"
                on:submit=move |ev| {
                    ev.prevent_default();
                    action.dispatch(Decide::Resolve(id, answer.get()));
                }
            >
                <label for=format!("answer-{id}")>"协调处理意见"</label>
                <input id=format!("answer-{id}") bind:value=answer />
                <button type="submit" class="button primary">
                    "答复"
                </button>
            </form>
        </li>
    }
}

fn exception_row(x: OneTimeExceptionRecord, action: Decider) -> impl IntoView {
    // Either answer is final and is told to the clerk: a second look, as for an extension (one
    // tap refused a request, and two requests had two buttons both named only "批准"); a
    // refusal says why, so that the clerk knows what to tell the applicant.
    let approving = RwSignal::new(false);
    let refusing = RwSignal::new(false);
    let id = x.id;
    let number = x.case_number.clone();
    let materials = x.material_names.join("、");
    let refuse = Callback::new(move |reason: String| {
        action.dispatch(Decide::Exception(id, false, Some(reason)));
    });
    view! {
        <li class="decision-row">
            <div>
                <strong>{format!("{}：补充告知 {}", x.case_number, materials)}</strong>
                <p>{format!("理由：{}（{} 申请）", x.reason, x.requested_by)}</p>
            </div>
            <div class="row" hidden=move || approving.get() || refusing.get()>
                <button
                    type="button"
                    class="button primary"
                    aria-label=format!("批准补充告知 {number}")
                    on:click=move |_| approving.set(true)
                >
                    "批准"
                </button>
                <button
                    type="button"
                    class="button ghost"
                    aria-label=format!("不批准补充告知 {}", x.case_number)
                    on:click=move |_| refusing.set(true)
                >
                    "不批准"
                </button>
            </div>
            <RefuseForm
                field_id=format!("refuse-exception-{id}")
                label="不予批准的理由（将告知提请的工作人员）"
                open=refusing
                on_refuse=refuse
                consequence="不批准后，此后的补正告知不能再要求该材料，不能撤回。"
            />
            {move || {
                approving
                    .get()
                    .then(|| {
                        view! {
                            <div class="stack approve-confirm">
                                <p role="note">
                                    "批准后，下一份补正告知书可以列明该材料，\
                                     并记入违反一次性告知记录，不能撤回。"
                                </p>
                                <div class="row">
                                    <button
                                        type="button"
                                        class="button primary"
                                        on:click=move |_| {
                                            action.dispatch(Decide::Exception(id, true, None));
                                        }
                                    >
                                        "确认批准"
                                    </button>
                                    <button
                                        type="button"
                                        class="button ghost"
                                        on:click=move |_| approving.set(false)
                                    >
                                        "取消"
                                    </button>
                                </div>
                            </div>
                        }
                    })
            }}
        </li>
    }
}
