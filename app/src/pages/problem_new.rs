//! `/supervisor/new-problem`: a supervisor files a problem found by hand — 明察暗访, 群众投诉,
//! 视频监控 or 实地督查 — on the phone, with a photo or file (JPEG, PNG or PDF) taken there; the
//! problem opens its rectification item for the unit at once (issue #13).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;
use rules::supervision::{ProblemKind, ProblemSource};

use crate::{
    api::{
        ApiError, Role, org,
        supervision::{self, NewProblem, ProblemView},
        validate::{Invalid, refuse_also},
    },
    components::{
        feedback::Loading,
        form::{self, ErrorSummary, FieldError, FormProblem},
        guard::RequireRole,
        suspend::suspend,
    },
};

/// What the form sends: the problem, and the chosen file if any (read by the browser only).
#[derive(Clone)]
struct Filing {
    problem: NewProblem,
    with_file: bool,
    /// The problem this form already filed, when its file was refused: sending again only
    /// attaches the file, never files the problem twice.
    filed: Option<ProblemView>,
}

/// What became of a sending: the problem once filed (even when its file was then refused), and
/// what went wrong, if anything.
#[derive(Clone)]
struct Filed {
    problem: Option<ProblemView>,
    error: Option<ApiError>,
}

/// Checks the chosen file first (a file of the wrong kind files nothing), files the problem
/// unless it was filed already, then sends its file.
async fn file(f: Filing, input: NodeRef<leptos::html::Input>) -> Filed {
    let refused = |problem, error| Filed {
        problem,
        error: Some(error),
    };
    if f.with_file
        && let Some((_, kind, size)) = supervision::chosen_file(input)
        && let Err(invalid) = supervision::check_file(&kind, size, "file")
    {
        return refused(f.filed, invalid.into());
    }
    let problem = match f.filed {
        Some(p) => p,
        None => match supervision::create_problem(f.problem).await {
            Ok(p) => p,
            Err(e) => return refused(None, e),
        },
    };
    if f.with_file
        && let Err(mut e) = supervision::attach_chosen(problem.id, input).await
    {
        e.message = format!(
            "问题已登记，但文件未能保存：{}。请重新选择文件后再次提交（不会重复登记）。",
            e.message
        );
        e.field = Some("file".into());
        e.code = form::SAVED_WITH_PROBLEM.into();
        return refused(Some(problem), e);
    }
    Filed {
        problem: Some(problem),
        error: None,
    }
}

/// The form's input of each field an error may name.
fn field_id(name: &str) -> Option<&'static str> {
    Some(match name {
        "source" => "source",
        "kind" => "kind",
        "unit_id" => "unit",
        "staff_id" => "person",
        "window_id" => "window",
        "description" => "description",
        "working_days" => "days",
        "file" | "name" => "evidence",
        _ => return None,
    })
}

#[component]
pub fn NewProblemPage() -> impl IntoView {
    view! {
        <Title text="登记问题" />
        <RequireRole role=Role::Supervisor render=|_me| view! { <ProblemForm /> } />
    }
}

#[component]
fn ProblemForm() -> impl IntoView {
    let units = Resource::new(|| (), |_| org::units());
    let people = Resource::new(
        || (),
        |_| async {
            let staff = org::staff().await?.items.into_iter().filter(|s| s.active);
            let choices = staff.filter_map(|s| {
                let label = format!("{}（{}）", s.name, s.staff_number);
                Some(Choice {
                    id: s.id,
                    label,
                    unit_ids: vec![s.unit_id?],
                })
            });
            Ok::<_, ApiError>(choices.collect::<Vec<_>>())
        },
    );
    let windows = Resource::new(
        || (),
        |_| async {
            let windows = org::windows().await?.items.into_iter().filter(|w| w.active);
            let choices = windows.map(|w| Choice {
                id: w.id,
                label: w.label(),
                unit_ids: w.unit_ids.clone(),
            });
            Ok::<_, ApiError>(choices.collect::<Vec<_>>())
        },
    );
    let source = RwSignal::new(ProblemSource::MysteryVisit.code().to_string());
    let kind = RwSignal::new(ProblemKind::Conduct.code().to_string());
    let unit = RwSignal::new(String::new());
    // The person and window concerned, when known: the problem counts on their scores and on
    // the person's interview threshold (the form could not name them).
    let person = RwSignal::new(String::new());
    let window = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let days = RwSignal::new("10".to_string());
    let chosen = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let filed = RwSignal::new(None::<ProblemView>);
    let problem = FormProblem::default();
    // The form is sent by the page's script: before it runs (a slow network, or none) a tap
    // reloaded the page and threw away what was typed; the button waits for it.
    let ready = crate::components::scripted();
    let send = Action::new(move |f: &Filing| file(f.clone(), input));
    let navigate = use_navigate();
    Effect::new(move |_| {
        let Some(outcome) = send.value().get() else {
            return;
        };
        if let Some(p) = &outcome.problem {
            filed.set(Some(p.clone()));
        }
        match (outcome.problem, outcome.error) {
            (_, Some(e)) => problem.set(e),
            (Some(p), None) => {
                navigate(
                    &format!("/supervisor/problems/{}", p.id),
                    Default::default(),
                );
            }
            (None, None) => {}
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // A double tap would file the problem twice: one sending at a time.
        if send.pending().get_untracked() {
            return;
        }
        problem.clear();
        let new_problem = NewProblem {
            source: ProblemSource::from_code(&source.get_untracked())
                .unwrap_or(ProblemSource::MysteryVisit),
            kind: ProblemKind::from_code(&kind.get_untracked()).unwrap_or(ProblemKind::Conduct),
            unit_id: unit.get_untracked().parse().unwrap_or(0),
            window_id: window.get_untracked().parse().ok(),
            staff_id: person.get_untracked().parse().ok(),
            description: description.get_untracked(),
            case_id: None,
            working_days: days.get_untracked().trim().parse().ok(),
        };
        // Everything missing or wrong is told at once, at its field, before anything is sent.
        let days_typed = days.get_untracked();
        let days_unreadable = !days_typed.trim().is_empty() && new_problem.working_days.is_none();
        let checked = new_problem.check();
        let checked = if days_unreadable {
            let wrong = Invalid::new(
                "invalid_number",
                "working_days",
                "整改时限须为 1 至 60 的整数",
            );
            refuse_also(checked, wrong)
        } else {
            checked
        };
        if let Err(problems) = checked {
            problem.set(problems.into());
            return;
        }
        send.dispatch(Filing {
            problem: new_problem,
            with_file: chosen.get_untracked(),
            filed: filed.get_untracked(),
        });
    };
    let target = Callback::new(move |name: String| field_id(&name).map(str::to_string));
    let invalid =
        move |name: &'static str| move || problem.message_for(name).is_some().then_some("true");
    let options = |list: &'static [(&'static str, &'static str)]| {
        list.iter()
            .map(|(code, label)| form::option(code, *label))
            .collect_view()
    };
    let sources: &'static [(&'static str, &'static str)] = &[
        ("mystery_visit", "明察暗访"),
        ("complaint", "群众投诉"),
        ("video_check", "视频监控"),
        ("on_site_check", "实地督查"),
    ];
    view! {
        <section class="panel phone-panel">
            <h1>"登记问题"</h1>
            <p>
                <a href="/supervisor/overview">"返回总览"</a>
            </p>
            <ErrorSummary error=problem.signal() target />
            <form class="stack" novalidate on:submit=on_submit>
                <div class="field">
                    <label for="source">"问题来源"</label>
                    <select
                        id="source"
                        prop:value=move || source.get()
                        on:change=move |ev| source.set(event_target_value(&ev))
                    >
                        {options(sources)}
                    </select>
                </div>
                <div class="field">
                    <label for="kind">"问题类别"</label>
                    <select
                        id="kind"
                        prop:value=move || kind.get()
                        on:change=move |ev| kind.set(event_target_value(&ev))
                    >
                        {ProblemKind::ALL
                            .iter()
                            .map(|k| {
                                form::selected_option(
                                    k.code(),
                                    k.label_zh(),
                                    *k == ProblemKind::Conduct,
                                )
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="unit">"责任单位"</label>
                    <FieldError id="unit" error=problem.at("unit_id") />
                    <Suspense fallback=Loading>
                        {move || suspend(async move {
                            let list = units.await.map(|l| l.items).unwrap_or_default();
                            view! {
                                <select
                                    id="unit"
                                    required
                                    aria-invalid=invalid("unit_id")
                                    prop:value=move || unit.get()
                                    on:change=move |ev| {
                                        unit.set(event_target_value(&ev));
                                        person.set(String::new());
                                        window.set(String::new());
                                    }
                                >
                                    <option value="">"请选择单位"</option>
                                    {list
                                        .into_iter()
                                        .filter(|u| u.active)
                                        .map(|u| form::option(u.id, u.name))
                                        .collect_view()}
                                </select>
                            }
                                .into_any()
                        })}
                    </Suspense>
                </div>
                <UnitChoice
                    id="person"
                    label="责任人（可不选）"
                    field="staff_id"
                    choices=people
                    unit
                    chosen=person
                    problem
                />
                <UnitChoice
                    id="window"
                    label="窗口（可不选）"
                    field="window_id"
                    choices=windows
                    unit
                    chosen=window
                    problem
                />
                <div class="field">
                    <label for="description">"问题描述"</label>
                    <FieldError id="description" error=problem.at("description") />
                    <textarea
                        id="description"
                        required
                        aria-invalid=invalid("description")
                        maxlength="500"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <div class="field">
                    <label for="days">"整改时限（工作日）"</label>
                    <FieldError id="days" error=problem.at("working_days") />
                    <input
                        id="days"
                        aria-invalid=invalid("working_days")
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max="60"
                        prop:value=move || days.get()
                        on:input=move |ev| days.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="evidence">
                        "照片或文件（JPEG、PNG 或 PDF，可不选）"
                    </label>
                    <FieldError
                        id="evidence"
                        error=Signal::derive(move || {
                            problem.message_for("file").or_else(|| problem.message_for("name"))
                        })
                    />
                    <input
                        id="evidence"
                        type="file"
                        aria-invalid=move || {
                            (problem.message_for("file").is_some()
                                || problem.message_for("name").is_some())
                                .then_some("true")
                        }
                        accept="image/jpeg,image/png,application/pdf"
                        node_ref=input
                        on:change=move |_| chosen.set(supervision::chosen_file(input).is_some())
                    />
                </div>
                <button
                    type="submit"
                    class="button primary"
                    disabled=move || !ready.get() || send.pending().get()
                >
                    "登记问题"
                </button>
            </form>
            {move || filed.get().map(registered)}
        </section>
    }
}

/// A person or a window the problem may name, and the units it belongs to.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Choice {
    id: i64,
    label: String,
    unit_ids: Vec<i64>,
}

/// A select of the people or the windows of the chosen unit, "不指定" first: a problem names
/// them only when known, and only within the unit it is filed against.
#[component]
fn UnitChoice(
    id: &'static str,
    label: &'static str,
    field: &'static str,
    choices: Resource<Result<Vec<Choice>, ApiError>>,
    unit: RwSignal<String>,
    chosen: RwSignal<String>,
    problem: FormProblem,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <FieldError id=id error=problem.at(field) />
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    let list = choices.await.unwrap_or_default();
                    view! {
                        <select
                            id=id
                            aria-invalid=move || problem.message_for(field).map(|_| "true")
                            prop:value=move || chosen.get()
                            on:change=move |ev| chosen.set(event_target_value(&ev))
                        >
                            <option value="">"不指定"</option>
                            {move || {
                                let unit_id = unit.get().parse::<i64>().unwrap_or(0);
                                list.iter()
                                    .filter(|c| c.unit_ids.contains(&unit_id))
                                    .map(|c| form::option(c.id, c.label.clone()))
                                    .collect_view()
                            }}
                        </select>
                    }
                        .into_any()
                })}
            </Suspense>
        </div>
    }
}

/// The problem this form has filed (its file still to be sent): where to find it.
fn registered(p: ProblemView) -> impl IntoView {
    view! {
        <p class="ok-box" role="status">
            "问题已登记，"
            <a href=format!("/supervisor/problems/{}", p.id)>"查看问题"</a>
            "。"
        </p>
    }
}
