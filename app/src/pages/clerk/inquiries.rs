//! 首问负责: record a contact in a few taps, end it in exactly one outcome, confirm referrals sent
//! to this unit, report escalation results back.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::api::events::Topic;
use leptos_meta::Title;

use crate::{
    api::{
        ApiError, Role,
        cases::Channel,
        catalog::{self, CatalogQuery},
        inquiries::{
            self, FeedbackRequest, InquiryOutcome, InquiryView, NewInquiry, OutcomeRequest,
            ReferralView,
        },
        org,
        validate::Invalid,
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{ErrorSummary, FieldError, FormProblem, described_by, focus_field, option},
        guard::RequireRole,
        hall_clock::HallClock,
        live::LiveRefresh,
        suspend::suspend,
    },
    format,
};

#[component]
pub fn InquiriesPage() -> impl IntoView {
    view! {
        <Title text="咨询登记" />
        <RequireRole role=Role::Clerk render=|_me| view! { <Inquiries /> } />
    }
}

/// Everything this page sends, through one action.
#[derive(Clone)]
enum Send {
    Create(NewInquiry),
    Outcome(i64, OutcomeRequest),
    Confirm(i64),
    Feedback(i64, FeedbackRequest),
}

async fn send(s: Send) -> Result<String, ApiError> {
    match s {
        Send::Create(b) => inquiries::create(b)
            .await
            .map(|_| "已登记，您是这条咨询的首问负责人".into()),
        Send::Outcome(id, b) => inquiries::set_outcome(id, b).await.map(|v| match v.status {
            rules::InquiryStatus::Waiting => "已转出，确认接收前仍由您负责".into(),
            _ => "已办结这条咨询".into(),
        }),
        Send::Confirm(id) => inquiries::confirm_referral(id)
            .await
            .map(|_| "已确认接收转办，已列入“我负责的咨询”".into()),
        Send::Feedback(id, b) => inquiries::give_feedback(id, b)
            .await
            .map(|_| "已反馈并办结".into()),
    }
}

#[component]
fn Inquiries() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let drafts = Drafts::new();
    let inbox = Resource::new(move || version.get(), |_| inquiries::inbox());
    let items = Resource::new(|| (), |_| catalog::list(CatalogQuery::default()));
    let units = Resource::new(|| (), |_| org::units());
    let windows = Resource::new(|| (), |_| org::windows());
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    let action = Action::new(|s: &Send| send(s.clone()));
    let channel = RwSignal::new(Channel::Counter);
    let topic = RwSignal::new(String::new());
    let item = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    // What is wrong with the new inquiry, each message at its field and all at once (they came
    // one at a time, at the top of the page).
    let problem = FormProblem::default();
    // The new-inquiry form empties only once its inquiry is recorded: after an error every
    // typed value stays for the clerk to correct.
    let clear_when_recorded = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(outcome) = action.value().get() {
            if clear_when_recorded.get_untracked() {
                clear_when_recorded.set(false);
                match &outcome {
                    Ok(_) => {
                        topic.set(String::new());
                        name.set(String::new());
                        phone.set(String::new());
                    }
                    Err(e) if !e.field_messages().is_empty() => {
                        problem.set(e.clone());
                        return;
                    }
                    Err(_) => {}
                }
            }
            result.set(Some(outcome));
            version.update(|v| *v += 1);
        }
    });

    let on_create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // A double tap recorded the inquiry twice: nothing is sent while an answer is awaited.
        if action.pending().get_untracked() {
            return;
        }
        let opt = |s: String| Some(s).filter(|s| !s.trim().is_empty());
        let new = NewInquiry {
            channel: channel.get(),
            topic: topic.get(),
            item_code: opt(item.get()),
            applicant_name: opt(name.get()),
            applicant_phone: opt(phone.get()),
        };
        // A new attempt: what was said of the last one goes.
        result.set(None);
        if let Err(problems) = new.check() {
            problem.set(problems.into());
            return;
        }
        problem.clear();
        action.dispatch(Send::Create(new));
        clear_when_recorded.set(true);
    };

    // The input each API field name belongs to.
    let target = Callback::new(|field: String| {
        let id = match field.as_str() {
            "topic" => "inquiry-topic",
            "item_code" => "inquiry-item",
            "applicant_name" => "inquiry-name",
            "applicant_phone" => "inquiry-phone",
            _ => return None,
        };
        Some(id.to_string())
    });
    let invalid =
        move |field: &'static str| move || problem.message_for(field).is_some().then_some("true");
    let described = move |field: &'static str, error_id: &'static str| {
        move || problem.message_for(field).is_some().then_some(error_id)
    };
    view! {
        <LiveRefresh topics=&[Topic::Inquiries] version=version />
        <h1>"咨询登记"</h1>
        <ActionResult message=result />
        <Suspense fallback=Loading>
            {move || suspend(async move {
                let items = items.await.map(|c| c.items).unwrap_or_default();
                let units = units.await.map(|l| l.items).unwrap_or_default();
                let windows = windows.await.map(|l| l.items).unwrap_or_default();
                let inbox = inbox.await;
                let item_options = StoredValue::new(
                    items.iter().map(|i| (i.code.clone(), i.name.clone())).collect::<Vec<_>>(),
                );
                let unit_options = StoredValue::new(
                    units
                        .iter()
                        .filter(|u| u.active)
                        .map(|u| (u.id, u.name.clone(), u.center_id))
                        .collect::<Vec<_>>(),
                );
                let window_options = StoredValue::new(
                    windows
                        .iter()
                        .filter(|w| w.active)
                        .map(|w| (
                            w.id,
                            format!("{} {}", w.number, w.name.clone().unwrap_or_default()),
                            w.unit_ids.clone(),
                        ))
                        .collect::<Vec<_>>(),
                );
                view! {
                    <section class="panel" aria-labelledby="new-inquiry">
                        <h2 id="new-inquiry">"登记一次咨询"</h2>
                        <form class="stack" on:submit=on_create novalidate>
                            <ErrorSummary error=problem.signal() target=target />
                            <fieldset class="segmented">
                                <legend>"渠道"</legend>
                                {Channel::ALL
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <label>
                                                <input
                                                    type="radio"
                                                    name="inquiry-channel"
                                                    prop:checked=move || channel.get() == c
                                                    on:change=move |_| channel.set(c)
                                                />
                                                <span>{c.label()}</span>
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                            <div class="field">
                                <label for="inquiry-topic">"咨询事项"</label>
                                <FieldError id="inquiry-topic" error=problem.at("topic") />
                                <input
                                    id="inquiry-topic"
                                    bind:value=topic
                                    placeholder="如：开饭馆需要办什么证"
                                    required
                                    aria-invalid=invalid("topic")
                                    aria-describedby=described("topic", "inquiry-topic-error")
                                />
                            </div>
                            <div class="field">
                                <label for="inquiry-item">"相关事项（可选）"</label>
                                <select
                                    id="inquiry-item"
                                    on:change=move |ev| item.set(event_target_value(&ev))
                                    prop:value=move || item.get()
                                >
                                    {option("", "不指定")}
                                    {item_options
                                        .get_value()
                                        .into_iter()
                                        .map(|(c, n)| option(c, n))
                                        .collect_view()}
                                </select>
                            </div>
                            <div class="row wrap">
                                <div class="field">
                                    <label for="inquiry-name">"姓名（可选）"</label>
                                    <FieldError
                                        id="inquiry-name"
                                        error=problem.at("applicant_name")
                                    />
                                    <input
                                        id="inquiry-name"
                                        bind:value=name
                                        aria-invalid=invalid("applicant_name")
                                        aria-describedby=described(
                                            "applicant_name",
                                            "inquiry-name-error",
                                        )
                                    />
                                </div>
                                <div class="field">
                                    <label for="inquiry-phone">"电话（可选）"</label>
                                    <FieldError
                                        id="inquiry-phone"
                                        error=problem.at("applicant_phone")
                                    />
                                    <input
                                        id="inquiry-phone"
                                        type="tel"
                                        bind:value=phone
                                        inputmode="tel"
                                        aria-invalid=invalid("applicant_phone")
                                        aria-describedby=described(
                                            "applicant_phone",
                                            "inquiry-phone-error",
                                        )
                                    />
                                </div>
                            </div>
                            <button type="submit" class="button primary big">
                                "登记"
                            </button>
                        </form>
                    </section>
                    {match inbox {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(inbox) => {
                            view! {
                                <section class="panel" aria-labelledby="referrals-in">
                                    <h2 id="referrals-in">"转来本单位、待确认接收"</h2>
                                    {if inbox.referrals_to_confirm.is_empty() {
                                        view! { <p class="muted">"没有待确认的转办。"</p> }
                                            .into_any()
                                    } else {
                                        view! {
                                            <ul class="plain">
                                                {inbox
                                                    .referrals_to_confirm
                                                    .into_iter()
                                                    .map(|r| referral_row(r, action))
                                                    .collect_view()}
                                            </ul>
                                        }
                                            .into_any()
                                    }}
                                </section>
                                <section class="panel" aria-labelledby="my-inquiries">
                                    <h2 id="my-inquiries">"我负责的咨询"</h2>
                                    <ul class="plain inquiries">
                                        {inbox
                                            .mine
                                            .into_iter()
                                            .map(|q| {
                                                view! {
                                                    <InquiryRow
                                                        q=q
                                                        drafts=drafts
                                                        action=action
                                                        item_options=item_options
                                                        unit_options=unit_options
                                                        window_options=window_options
                                                    />
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                </section>
                            }
                                .into_any()
                        }
                    }}
                }
            })}
        </Suspense>
    }
}

/// What a clerk has chosen and typed in one inquiry's answer form.
#[derive(Clone, Copy)]
struct Draft {
    choice: RwSignal<String>,
    note: RwSignal<String>,
    /// What was told the applicant at the end: its own box (it shared the outcome's, and an
    /// escalation's question stood in it as the feedback, one tap from being recorded).
    feedback: RwSignal<String>,
    item: RwSignal<String>,
    unit: RwSignal<String>,
    window: RwSignal<String>,
    agency: RwSignal<String>,
    address: RwSignal<String>,
    phone: RwSignal<String>,
}

/// The answer forms' drafts by inquiry id, owned by the page rather than by the rows: the list
/// re-renders on every refresh (another inquiry registered, a live event), and a half-written
/// answer was wiped with its row.
#[derive(Clone, Copy)]
struct Drafts {
    owner: StoredValue<Owner>,
    by_id: StoredValue<HashMap<i64, Draft>>,
}

impl Drafts {
    fn new() -> Self {
        Drafts {
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            by_id: StoredValue::new(HashMap::new()),
        }
    }

    /// The draft of inquiry `id`, made (with the item it was about) the first time it is shown.
    fn of(self, id: i64, item: String) -> Draft {
        if let Some(d) = self.by_id.with_value(|m| m.get(&id).copied()) {
            return d;
        }
        let text = || RwSignal::new(String::new());
        let made = self.owner.with_value(|owner| {
            owner.with(|| Draft {
                choice: text(),
                note: text(),
                feedback: text(),
                item: RwSignal::new(item),
                unit: text(),
                window: text(),
                agency: text(),
                address: text(),
                phone: text(),
            })
        });
        self.by_id.update_value(|m| {
            m.insert(id, made);
        });
        made
    }
}

#[component]
fn InquiryRow(
    q: InquiryView,
    drafts: Drafts,
    action: Action<Send, Result<String, ApiError>>,
    item_options: StoredValue<Vec<(String, String)>>,
    unit_options: StoredValue<Vec<(i64, String, i64)>>,
    window_options: StoredValue<Vec<(i64, String, Vec<i64>)>>,
) -> impl IntoView {
    let clock = HallClock::get();
    let id = q.id;
    let version = q.version;
    let when = format::date_time(clock.to_local(q.created_at));
    let status = match q.status {
        rules::InquiryStatus::Open => "待处理",
        rules::InquiryStatus::Waiting => "已转出，待对方确认/处理",
        rules::InquiryStatus::FeedbackDue => "待反馈申请人",
        rules::InquiryStatus::Closed => "已办结",
    };
    let outcome = q.outcome.as_ref().map(|o| o.label());
    let Draft {
        choice,
        note,
        feedback,
        item,
        unit,
        window,
        agency,
        address,
        phone,
    } = drafts.of(id, q.item_code.clone().unwrap_or_default());
    let center_id = q.center_id;
    let receive_href = format!(
        "/clerk/receive?inquiry={id}{}",
        q.item_code
            .clone()
            .map(|c| format!("&item={c}"))
            .unwrap_or_default()
    );
    // Every problem of the outcome is told at its field, before anything is sent (the server's
    // first one alone showed at the top of the page, far from the form).
    let problem = FormProblem::default();
    let input_of = move |field: &str| -> Option<String> {
        let input = match field {
            "note" | "question" => "note",
            "item_code" => "guide",
            "unit_id" => "unit",
            "window_id" => "window",
            "agency" | "address" | "phone" => field,
            _ => return None,
        };
        Some(format!("{input}-{id}"))
    };
    // The message at the input `input` (`note`, `unit`…) of this row.
    let error_at = move |input: &'static str| {
        MaybeProp::derive(move || {
            let error = problem.signal().get()?;
            let wanted = format!("{input}-{id}");
            let messages = error.field_messages().into_iter();
            messages
                .filter(|(field, _)| input_of(field).as_deref() == Some(wanted.as_str()))
                .map(|(_, message)| message)
                .next()
        })
    };
    // `aria-invalid` and the message's id on the input `input` while it has a message.
    let wired = move |input: &'static str| {
        let error = error_at(input);
        let described = described_by(&format!("{input}-{id}"), false, error);
        let invalid = move || error.with(Option::is_some).then_some("true");
        view! { <{..} aria-invalid=invalid aria-describedby=described /> }
    };
    let on_outcome = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.clear();
        let outcome = match choice.get().as_str() {
            "handled" => InquiryOutcome::HandledOnSpot { note: note.get() },
            "guide" => InquiryOutcome::GuideGiven {
                item_code: item.get(),
            },
            "internal" => match unit.get().parse() {
                Ok(unit_id) => InquiryOutcome::InternalReferral {
                    unit_id,
                    window_id: window.get().parse().ok(),
                    note: Some(note.get()).filter(|n| !n.trim().is_empty()),
                },
                Err(_) => {
                    let missing = Invalid::new("required", "unit_id", "请选择转至单位");
                    problem.set(missing.into());
                    focus_field(&format!("unit-{id}"));
                    return;
                }
            },
            "external" => InquiryOutcome::ExternalReferral {
                agency: agency.get(),
                address: address.get(),
                phone: phone.get(),
            },
            "escalate" => InquiryOutcome::Escalation {
                question: note.get(),
            },
            _ => return,
        };
        match outcome.validated() {
            Ok(outcome) => {
                action.dispatch(Send::Outcome(id, OutcomeRequest { version, outcome }));
            }
            Err(problems) => {
                if let Some(first) = input_of(&problems.first().field) {
                    focus_field(&first);
                }
                problem.set(problems.into());
            }
        }
    };
    let on_feedback = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(Send::Feedback(
            id,
            FeedbackRequest {
                version,
                note: feedback.get(),
            },
        ));
    };
    let open = q.status == rules::InquiryStatus::Open;
    let feedback_due = q.status == rules::InquiryStatus::FeedbackDue;
    let resolution = q.escalation.as_ref().and_then(|e| e.resolution.clone());
    // Whom to call back: a referred inquiry reached its new owner with the topic alone.
    let contact = [q.applicant_name.clone(), q.applicant_phone.clone()]
        .into_iter()
        .flatten()
        .filter(|t| !t.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    view! {
        <li class="inquiry" class:overdue-row=q.overdue>
            <div class="notice-row">
                <span>
                    <strong>{q.topic.clone()}</strong>
                    {format!("（{}，{}）", q.channel.label(), when)}
                </span>
                <span class="muted">
                    {outcome.map(|o| format!("{o} · ")).unwrap_or_default()}{status}
                    {q.overdue.then_some(" · 已超时")}
                </span>
            </div>
            {(!contact.is_empty())
                .then(|| view! { <p class="muted">{format!("咨询人：{contact}")}</p> })}
            {resolution
                .map(|r| view! { <p class="ok-box">{format!("首席代表意见：{r}")}</p> })}
            {open
                .then(|| {
                    view! {
                        <form
                            class="stack outcome-form"
                            on:submit=on_outcome
                            aria-label=format!("处理结果：{}", q.topic)
                        >
                            <fieldset class="segmented">
                                <legend>"处理结果"</legend>
                                {[
                                    ("handled", "当场解答"),
                                    ("guide", "提供服务指南"),
                                    ("internal", "内部转办"),
                                    ("external", "外部指引"),
                                    ("escalate", "提请首席代表"),
                                ]
                                    .into_iter()
                                    .map(|(v, l)| {
                                        view! {
                                            <label>
                                                <input
                                                    type="radio"
                                                    name=format!("outcome-{id}")
                                                    prop:checked=move || choice.get() == v
                                                    on:change=move |_| choice.set(v.to_string())
                                                />
                                                <span>{l}</span>
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                                <a class="button small" href=receive_href.clone()>
                                    "转为办件"
                                </a>
                            </fieldset>
                            <Show when=move || {
                                matches!(choice.get().as_str(), "handled" | "escalate" | "internal")
                            }>
                                <div class="field">
                                    <label for=format!(
                                        "note-{id}",
                                    )>
                                        {move || match choice.get().as_str() {
                                            "escalate" => "需协调的问题",
                                            "internal" => "转办说明（可选）",
                                            _ => "解答内容",
                                        }}
                                    </label>
                                    <FieldError id=format!("note-{id}") error=error_at("note") />
                                    <input
                                        id=format!("note-{id}")
                                        {..wired("note")}
                                        bind:value=note
                                    />
                                </div>
                            </Show>
                            <Show when=move || choice.get() == "guide">
                                <div class="field">
                                    <label for=format!("guide-{id}")>"服务指南"</label>
                                    <FieldError id=format!("guide-{id}") error=error_at("guide") />
                                    <select
                                        id=format!("guide-{id}")
                                        {..wired("guide")}
                                        on:change=move |ev| item.set(event_target_value(&ev))
                                        prop:value=move || item.get()
                                    >
                                        {option("", "请选择")}
                                        {item_options
                                            .get_value()
                                            .into_iter()
                                            .map(|(c, n)| option(c, n))
                                            .collect_view()}
                                    </select>
                                </div>
                            </Show>
                            <Show when=move || choice.get() == "internal">
                                <div class="row wrap">
                                    <div class="field">
                                        <label for=format!("unit-{id}")>"转至单位"</label>
                                        <FieldError
                                            id=format!("unit-{id}")
                                            error=error_at("unit")
                                        />
                                        <select
                                            id=format!("unit-{id}")
                                            {..wired("unit")}
                                            on:change=move |ev| {
                                                unit.set(event_target_value(&ev));
                                                window.set(String::new());
                                                problem.forget("unit_id");
                                            }
                                        >
                                            {option("", "请选择")}
                                            {unit_options
                                                .get_value()
                                                .into_iter()
                                                .filter(|u| u.2 == center_id)
                                                .map(|(uid, n, _)| option(uid, n))
                                                .collect_view()}
                                        </select>
                                    </div>
                                    <div class="field">
                                        <label for=format!(
                                            "window-{id}",
                                        )>"窗口（可选）"</label>
                                        <select
                                            id=format!("window-{id}")
                                            on:change=move |ev| window.set(event_target_value(&ev))
                                        >
                                            {option("", "不指定")}
                                            {move || {
                                                let u: Option<i64> = unit.get().parse().ok();
                                                window_options
                                                    .get_value()
                                                    .into_iter()
                                                    .filter(|w| u.is_some_and(|u| w.2.contains(&u)))
                                                    .map(|(wid, n, _)| option(wid, n))
                                                    .collect_view()
                                            }}
                                        </select>
                                    </div>
                                </div>
                            </Show>
                            <Show when=move || choice.get() == "external">
                                <div class="row wrap">
                                    <div class="field">
                                        <label for=format!("agency-{id}")>"单位名称"</label>
                                        <FieldError
                                            id=format!("agency-{id}")
                                            error=error_at("agency")
                                        />
                                        <input
                                            id=format!("agency-{id}")
                                            {..wired("agency")}
                                            bind:value=agency
                                        />
                                    </div>
                                    <div class="field">
                                        <label for=format!("address-{id}")>"地址"</label>
                                        <FieldError
                                            id=format!("address-{id}")
                                            error=error_at("address")
                                        />
                                        <input
                                            id=format!("address-{id}")
                                            {..wired("address")}
                                            bind:value=address
                                        />
                                    </div>
                                    <div class="field">
                                        <label for=format!("phone-{id}")>"电话"</label>
                                        <FieldError
                                            id=format!("phone-{id}")
                                            error=error_at("phone")
                                        />
                                        <input
                                            id=format!("phone-{id}")
                                            bind:value=phone
                                            inputmode="tel"
                                            {..wired("phone")}
                                        />
                                    </div>
                                </div>
                            </Show>
                            <Show when=move || !choice.get().is_empty()>
                                <button type="submit" class="button primary">
                                    "确定"
                                </button>
                            </Show>
                        </form>
                    }
                })}
            {feedback_due
                .then(|| {
                    view! {
                        <form
                            class="stack"
                            on:submit=on_feedback
                            aria-label=format!("反馈：{}", q.topic)
                        >
                            <div class="field">
                                <label for=format!(
                                    "feedback-{id}",
                                )>"已向申请人反馈的内容"</label>
                                <input id=format!("feedback-{id}") bind:value=feedback />
                            </div>
                            <button type="submit" class="button primary">
                                "反馈并办结"
                            </button>
                        </form>
                    }
                })}
        </li>
    }
}

/// A referral sent to this unit, waiting to be confirmed as received.
fn referral_row(r: ReferralView, action: Action<Send, Result<String, ApiError>>) -> impl IntoView {
    let note = r.note.clone().map(|n| format!("：{n}")).unwrap_or_default();
    let contact = [r.applicant_name.clone(), r.applicant_phone.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("，");
    view! {
        <li class="notice-row">
            <span>
                {format!("{}（{} 转来）{}", r.topic, r.from_name, note)}
                {(!contact.is_empty())
                    .then(|| view! { <span class="muted">{format!(" 联系人：{contact}")}</span> })}
            </span>
            <button
                type="button"
                class="button small primary"
                on:click=move |_| {
                    action.dispatch(Send::Confirm(r.id));
                }
                aria-label=format!("确认接收：{}", r.topic)
            >
                "确认接收"
            </button>
        </li>
    }
}
