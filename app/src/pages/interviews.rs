//! `/supervisor/interviews`: 约谈 on the supervisor's phone (Seed §三(四): 发现多次不落实
//! “四项制度”的…分别进行约谈). The people and units whose problems this quarter reached the
//! hall's threshold, each on to its problems and with a form to record the talk (date and
//! outcome); below, the talks recorded, a page at a time.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use rules::supervision::Quarter;

use crate::{
    api::{
        ApiError, Role,
        supervision::{self, InterviewFlag, InterviewView, NewInterview},
    },
    components::{
        feedback::{ErrorBox, Loading, listed},
        form::{ErrorSummary, FormProblem, TextArea, TextField},
        guard::RequireRole,
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
    pages::supervision::SupervisorPanel,
};

/// Who a talk is with, as the API names it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Subject {
    kind: String,
    id: i64,
    name: String,
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "staff" => "人员",
        _ => "单位",
    }
}

/// The problems list filtered to a flag's person or unit and quarter.
fn problems_link(f: &InterviewFlag) -> String {
    let who = match f.subject_kind.as_str() {
        "staff" => format!("staff_id={}", f.subject_id),
        _ => format!("unit_id={}", f.subject_id),
    };
    match Quarter::parse(&f.quarter) {
        Some(q) => format!(
            "/supervisor/problems?{who}&from={}&to={}",
            q.first_day(),
            q.last_day()
        ),
        None => format!("/supervisor/problems?{who}"),
    }
}

fn quarter_label(code: &str) -> String {
    Quarter::parse(code).map_or_else(|| code.to_string(), Quarter::label_zh)
}

#[component]
pub fn InterviewsPage() -> impl IntoView {
    view! {
        <Title text="约谈" />
        <RequireRole role=Role::Supervisor render=|_me| view! { <Interviews /> } />
    }
}

#[component]
fn Interviews() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let flags = Resource::new(move || version.get(), |_| supervision::interview_flags());
    let records = Resource::new(move || version.get(), |_| supervision::interviews(None));
    let open = RwSignal::new(None::<Subject>);
    let saved = RwSignal::new(None::<InterviewView>);
    view! {
        <SupervisorPanel title="约谈">
            <p class="muted">
                "本季度问题次数达到约谈线的人员和单位，应分别约谈；约谈后在此记录日期和结果。"
            </p>
            {move || {
                saved
                    .get()
                    .map(|i| {
                        view! {
                            <p class="ok-box" role="status">
                                {format!(
                                    "已记录对{}的约谈（{}）。",
                                    i.name,
                                    format::date(i.held_on),
                                )}
                            </p>
                        }
                    })
            }}
            <section aria-labelledby="flags-heading">
                <h2 id="flags-heading">"本季度应约谈"</h2>
                <Suspense fallback=Loading>
                    {move || suspend(async move {
                        listed(
                            flags.await,
                            "本季度没有达到约谈线的人员或单位。",
                            "plain card-list",
                            move |f| {
                                view! { <FlagCard f=f open=open saved=saved version=version /> }
                            },
                        )
                    })}
                </Suspense>
            </section>
            <section aria-labelledby="records-heading">
                <h2 id="records-heading">"约谈记录"</h2>
                <Suspense fallback=Loading>
                    {move || suspend(async move {
                        match records.await {
                            Ok((items, next)) => {
                                view! { <Records first=items next=next /> }.into_any()
                            }
                            Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </SupervisorPanel>
    }
}

/// One flag: who, how many problems against the threshold, on to the problems, and the button
/// that opens the form under it.
#[component]
fn FlagCard(
    f: InterviewFlag,
    open: RwSignal<Option<Subject>>,
    saved: RwSignal<Option<InterviewView>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let subject = Subject {
        kind: f.subject_kind.clone(),
        id: f.subject_id,
        name: f.name.clone(),
    };
    let heading = format!("flag-{}-{}", f.subject_kind, f.subject_id);
    let labelled_by = heading.clone();
    let link = problems_link(&f);
    let this = subject.clone();
    let is_open = Memo::new(move |_| open.with(|o| o.as_ref() == Some(&this)));
    let toggle = {
        let subject = subject.clone();
        move |_| {
            saved.set(None);
            open.update(|o| {
                *o = if o.as_ref() == Some(&subject) {
                    None
                } else {
                    Some(subject.clone())
                }
            })
        }
    };
    let threshold = if f.threshold > 0 {
        format!("（约谈线 {} 次）", f.threshold)
    } else {
        String::new()
    };
    view! {
        <li class="card">
            <article aria-labelledby=labelled_by>
                <h3 id=heading class="flag-name">
                    {format!("{}（{}）", f.name, kind_label(&f.subject_kind))}
                </h3>
                <p>
                    {format!("{}问题 {} 次{threshold}", quarter_label(&f.quarter), f.problems)}
                    {f.held.then_some(" · 本季度已约谈")}
                </p>
                // The list behind the link holds every problem; several about one case count
                // as one time here (a supervisor read 5 times against 9 problems, unexplained).
                <p class="muted">
                    "同一办件在同一项制度上的多个问题计为一次；只有计入约谈的问题类别才计数。"
                </p>
                <p class="actions">
                    <a href=link>{format!("查看{}的问题", f.name)}</a>
                </p>
                <button
                    type="button"
                    class="button"
                    aria-expanded=move || if is_open.get() { "true" } else { "false" }
                    aria-label=format!("记录约谈：{}", f.name)
                    on:click=toggle
                >
                    "记录约谈"
                </button>
                <Show when=move || is_open.get()>
                    <InterviewForm subject=subject.clone() open saved version />
                </Show>
            </article>
        </li>
    }
}

/// 记录约谈: the date (today unless changed) and what was said and agreed, both required.
#[component]
fn InterviewForm(
    subject: Subject,
    open: RwSignal<Option<Subject>>,
    saved: RwSignal<Option<InterviewView>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let today = HallClock::get().local_now_untracked().date();
    let held_on = RwSignal::new(today.to_string());
    let outcome = RwSignal::new(String::new());
    let problem = FormProblem::default();
    // The form is sent by the page's script: before it runs (a slow network, or none) a tap
    // reloaded the page and threw away what was typed; the button waits for it.
    let ready = crate::components::scripted();
    let record = Action::new(|body: &NewInterview| {
        let body = body.clone();
        async move { supervision::record_interview(body).await }
    });
    Effect::new(move |_| match record.value().get() {
        Some(Ok(v)) => {
            problem.clear();
            saved.set(Some(v));
            open.set(None);
            version.update(|n| *n += 1);
        }
        Some(Err(e)) => problem.set(e),
        None => {}
    });
    let local = |field: &str, message: &str| ApiError {
        code: "invalid_input".into(),
        message: message.into(),
        field: Some(field.into()),
        status: 422,
        problems: Vec::new(),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let date = held_on.get_untracked();
        let parsed = date.trim().parse::<NaiveDate>();
        let text = outcome.get_untracked();
        let wrong = if date.trim().is_empty() {
            Some(local("held_on", "请填写约谈日期"))
        } else if parsed.is_err() {
            Some(local("held_on", "约谈日期格式应为 2026-03-04"))
        } else if parsed.is_ok_and(|d| d > today) {
            Some(local("held_on", "约谈日期不能晚于今天"))
        } else if text.trim().is_empty() {
            Some(local("outcome", "请填写约谈情况和结果"))
        } else {
            None
        };
        if let Some(e) = wrong {
            problem.set(e);
            return;
        }
        problem.clear();
        record.dispatch(NewInterview {
            subject_kind: subject.kind.clone(),
            subject_id: subject.id,
            held_on: parsed.unwrap_or(today),
            outcome: text,
        });
    };
    let target = Callback::new(|f: String| match f.as_str() {
        "held_on" => Some("held_on".to_string()),
        "outcome" => Some("outcome".to_string()),
        _ => None,
    });
    view! {
        <form class="stack interview-form" on:submit=submit novalidate>
            <ErrorSummary error=problem.signal() target=target />
            <TextField
                id="held_on"
                label="约谈日期"
                value=held_on
                input_type="date"
                required=true
                error=problem.at("held_on")
            />
            <TextArea
                id="outcome"
                label="约谈情况和结果"
                value=outcome
                hint="如：约谈对象、指出的问题、本人表态和整改承诺"
                required=true
                error=problem.at("outcome")
            />
            <button
                    type="submit"
                    class="button primary"
                    disabled=move || !ready.get() || record.pending().get()
                >
                "保存约谈记录"
            </button>
        </form>
    }
}

/// The talks recorded, newest first: the first page, then “更多” for each next one.
#[component]
fn Records(first: Vec<InterviewView>, next: Option<String>) -> impl IntoView {
    let items = RwSignal::new(first);
    let cursor = RwSignal::new(next);
    let more = Action::new(|c: &String| supervision::interviews(Some(c.clone())));
    Effect::new(move |_| {
        if let Some(Ok((page, next))) = more.value().get() {
            items.update(|i| i.extend(page));
            cursor.set(next);
        }
    });
    view! {
        <Show
            when=move || items.with(|i| !i.is_empty())
            fallback=|| view! { <p class="muted">"还没有约谈记录。"</p> }
        >
            <ul class="plain card-list">
                <For
                    each=move || items.get()
                    key=|i| i.id
                    children=|i| view! { <RecordCard i=i /> }
                />
            </ul>
        </Show>
        {move || more.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })}
        <Show when=move || cursor.with(Option::is_some)>
            <button
                type="button"
                class="button"
                disabled=move || more.pending().get()
                on:click=move |_| {
                    if let Some(c) = cursor.get_untracked() {
                        more.dispatch(c);
                    }
                }
            >
                "更多"
            </button>
        </Show>
    }
}

#[component]
fn RecordCard(i: InterviewView) -> impl IntoView {
    view! {
        <li class="card">
            <p>
                <strong>{format!("{}（{}）", i.name, kind_label(&i.subject_kind))}</strong>
                {format!(" · {}", format::date(i.held_on))}
            </p>
            <p class="muted">
                {format!(
                    "{}问题 {} 次 · 约谈人：{}",
                    quarter_label(&i.quarter),
                    i.problems,
                    i.interviewer_name,
                )}
            </p>
            <p>{format!("约谈情况和结果：{}", i.outcome)}</p>
        </li>
    }
}
