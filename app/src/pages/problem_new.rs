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
    },
    components::{
        feedback::{ErrorBox, Loading},
        form,
        guard::RequireRole,
        suspend::suspend,
    },
};

/// What the form sends: the problem, and the chosen file if any (read by the browser only).
#[derive(Clone)]
struct Filing {
    problem: NewProblem,
    with_file: bool,
}

/// Files the problem, then its file; the problem stands even if the file is refused (the page
/// says so, and the supervisor may attach it again from the problem's page).
async fn file(f: Filing, input: NodeRef<leptos::html::Input>) -> Result<ProblemView, ApiError> {
    let problem = supervision::create_problem(f.problem).await?;
    if f.with_file {
        supervision::attach_chosen(problem.id, input).await?;
    }
    Ok(problem)
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
    let source = RwSignal::new(ProblemSource::MysteryVisit.code().to_string());
    let kind = RwSignal::new(ProblemKind::Conduct.code().to_string());
    let unit = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let days = RwSignal::new("10".to_string());
    let chosen = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    let problem = RwSignal::new(None::<ProblemView>);
    let send = Action::new(move |f: &Filing| file(f.clone(), input));
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(p)) = send.value().get() {
            problem.set(Some(p.clone()));
            navigate(
                &format!("/supervisor/problems/{}", p.id),
                Default::default(),
            );
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let problem = NewProblem {
            source: ProblemSource::from_code(&source.get_untracked())
                .unwrap_or(ProblemSource::MysteryVisit),
            kind: ProblemKind::from_code(&kind.get_untracked()).unwrap_or(ProblemKind::Conduct),
            unit_id: unit.get_untracked().parse().unwrap_or(0),
            window_id: None,
            staff_id: None,
            description: description.get_untracked(),
            case_id: None,
            working_days: days.get_untracked().trim().parse().ok(),
        };
        send.dispatch(Filing {
            problem,
            with_file: chosen.get_untracked(),
        });
    };
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
            {move || {
                send.value().get().and_then(|r| r.err()).map(|e| view! { <ErrorBox error=e /> })
            }}
            <form class="stack" on:submit=on_submit>
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
                    <Suspense fallback=Loading>
                        {move || suspend(async move {
                            let list = units.await.map(|l| l.items).unwrap_or_default();
                            view! {
                                <select
                                    id="unit"
                                    required
                                    prop:value=move || unit.get()
                                    on:change=move |ev| unit.set(event_target_value(&ev))
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
                <div class="field">
                    <label for="description">"问题描述"</label>
                    <textarea
                        id="description"
                        required
                        maxlength="500"
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <div class="field">
                    <label for="days">"整改时限（工作日）"</label>
                    <input
                        id="days"
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
                    <input
                        id="evidence"
                        type="file"
                        accept="image/jpeg,image/png,application/pdf"
                        node_ref=input
                        on:change=move |_| chosen.set(supervision::chosen_file(input).is_some())
                    />
                </div>
                <button type="submit" class="button primary" disabled=move || send.pending().get()>
                    "登记问题"
                </button>
            </form>
            {move || problem.get().map(|_| registered())}
        </section>
    }
}

fn registered() -> impl IntoView {
    view! {
        <p class="ok-box" role="status">
            "已登记。"
        </p>
    }
}
