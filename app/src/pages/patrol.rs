//! 周巡查 on the supervisor's phone: this week's checklist for one center. An item found wanting
//! says what was found and which unit answers for it; the server turns each finding into a
//! problem (实地督查) with its rectification item.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{
        ApiError, Role,
        org::{self, CenterView, UnitView},
        supervision::{self, NewPatrol, PatrolAnswerInput, PatrolChecklist},
    },
    components::{
        feedback::{ErrorBox, Loading},
        form::option,
        guard::RequireRole,
        suspend::suspend,
    },
    pages::supervision::SupervisorPanel,
};

/// One line of the checklist as the form holds it, with what is wrong with it (kept at the
/// line's fields; nothing typed is cleared by an error).
#[derive(Clone, Copy)]
struct PatrolLine {
    item: usize,
    found: RwSignal<bool>,
    note: RwSignal<String>,
    unit: RwSignal<String>,
    note_error: RwSignal<Option<String>>,
    unit_error: RwSignal<Option<String>>,
}

impl PatrolLine {
    fn new(item: usize) -> Self {
        Self {
            item,
            found: RwSignal::new(false),
            note: RwSignal::new(String::new()),
            unit: RwSignal::new(String::new()),
            note_error: RwSignal::new(None),
            unit_error: RwSignal::new(None),
        }
    }

    /// Checks the line before sending: a finding needs what was found and the unit.
    fn check(&self) -> bool {
        let found = self.found.get_untracked();
        let note_missing = found && self.note.get_untracked().trim().is_empty();
        let unit_missing = found && self.unit.get_untracked().parse::<i64>().is_err();
        self.note_error
            .set(note_missing.then(|| "请写明发现的问题".to_string()));
        self.unit_error
            .set(unit_missing.then(|| "请选择责任单位".to_string()));
        !note_missing && !unit_missing
    }

    fn answer(&self) -> PatrolAnswerInput {
        let found = self.found.get_untracked();
        PatrolAnswerInput {
            item: self.item as u32,
            ok: !found,
            note: found.then(|| self.note.get_untracked()),
            unit_id: found
                .then(|| self.unit.get_untracked().parse().ok())
                .flatten(),
        }
    }
}

/// A line's message at its field, which the control is described by.
fn line_error(id: String, error: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        error.get().map(|message| {
            view! {
                <p id=id.clone() class="error-text field-error">
                    <span class="sr-only">"错误："</span>
                    {message}
                </p>
            }
        })
    }
}

#[component]
fn PatrolLineCard(
    line: PatrolLine,
    label: String,
    units: StoredValue<Vec<UnitView>>,
    center: RwSignal<i64>,
) -> impl IntoView {
    let n = line.item + 1;
    let (note_id, unit_id) = (format!("patrol-note-{n}"), format!("patrol-unit-{n}"));
    let (note_err, unit_err) = (format!("{note_id}-error"), format!("{unit_id}-error"));
    let note_described = {
        let id = note_err.clone();
        move || line.note_error.with(Option::is_some).then(|| id.clone())
    };
    let unit_described = {
        let id = unit_err.clone();
        move || line.unit_error.with(Option::is_some).then(|| id.clone())
    };
    view! {
        <li class="card">
            <p>{format!("{n}. {label}")}</p>
            <label class="check-line">
                <input
                    type="checkbox"
                    prop:checked=move || line.found.get()
                    on:change=move |ev| line.found.set(event_target_checked(&ev))
                />
                {format!("第{n}项发现问题")}
            </label>
            <Show when=move || line.found.get()>
                <div class="field">
                    <label for=note_id.clone()>{format!("第{n}项问题情况")}</label>
                    {line_error(note_err.clone(), line.note_error)}
                    <textarea
                        id=note_id.clone()
                        maxlength="500"
                        aria-invalid=move || line.note_error.with(Option::is_some).then_some("true")
                        aria-describedby=note_described.clone()
                        prop:value=move || line.note.get()
                        on:input=move |ev| line.note.set(event_target_value(&ev))
                    ></textarea>
                </div>
                <div class="field">
                    <label for=unit_id.clone()>{format!("第{n}项责任单位")}</label>
                    {line_error(unit_err.clone(), line.unit_error)}
                    <select
                        id=unit_id.clone()
                        aria-invalid=move || line.unit_error.with(Option::is_some).then_some("true")
                        aria-describedby=unit_described.clone()
                        prop:value=move || line.unit.get()
                        on:change=move |ev| line.unit.set(event_target_value(&ev))
                    >
                        {option("", "（请选择）")}
                        {move || {
                            units
                                .with_value(|us| {
                                    us.iter()
                                        .filter(|u| u.active && u.center_id == center.get())
                                        .map(|u| option(u.id, u.name.clone()))
                                        .collect_view()
                                })
                        }}
                    </select>
                </div>
            </Show>
        </li>
    }
}

#[component]
fn PatrolForm(
    list: PatrolChecklist,
    centers: Vec<CenterView>,
    units: Vec<UnitView>,
) -> impl IntoView {
    let center = RwSignal::new(centers.first().map(|c| c.id).unwrap_or_default());
    let lines: Vec<PatrolLine> = (0..list.items.len()).map(PatrolLine::new).collect();
    let units = StoredValue::new(units);
    // The form is sent by the page's script: before it runs (a slow network, or none) a tap
    // reloaded the page and threw away what was typed; the button waits for it.
    let ready = crate::components::scripted();
    let send = Action::new(|body: &NewPatrol| {
        let body = body.clone();
        async move { supervision::record_patrol(body).await }
    });
    let checked = lines.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Every line is checked (not only the first wrong one), so each shows its message.
        let wrong = checked.iter().filter(|l| !l.check()).count();
        let all_right = wrong == 0;
        if all_right {
            send.dispatch(NewPatrol {
                center_id: center.get_untracked(),
                answers: checked.iter().map(PatrolLine::answer).collect(),
            });
        }
    };
    let done = move || send.value().get().and_then(|r| r.ok());
    let failed = move || {
        send.value()
            .get()
            .and_then(|r: Result<_, ApiError>| r.err())
    };
    let items = StoredValue::new(lines.iter().copied().zip(list.items).collect::<Vec<_>>());
    let centers = StoredValue::new(centers);
    view! {
        <p class="lead">
            {format!(
                "本周（{}）巡查清单：逐项检查，发现问题的写明情况和责任单位。",
                rules::supervision::patrol_week_zh(&list.week),
            )}
        </p>
        <Show
            when=move || done().is_none()
            fallback=move || {
                let made = done().map(|p| p.findings).unwrap_or_default();
                view! {
                    <p class="ok-box" role="status">
                        {format!(
                            "已记录本周巡查，发现问题 {made} 项，已列入问题整改清单。",
                        )}
                    </p>
                    <p>
                        <a href="/supervisor/rectifications">"查看整改清单"</a>
                    </p>
                }
            }
        >
            <form on:submit=submit.clone() novalidate>
                <div class="field">
                    <label for="patrol-center">"巡查的服务中心"</label>
                    <select
                        id="patrol-center"
                        on:change=move |ev| {
                            center.set(event_target_value(&ev).parse().unwrap_or_default())
                        }
                    >
                        {centers
                            .with_value(|cs| {
                                cs.iter()
                                    .map(|c| option(c.id, c.name.clone()))
                                    .collect_view()
                            })}
                    </select>
                </div>
                <ol class="plain card-list patrol-list">
                    {items
                        .with_value(|v| {
                            v.iter()
                                .map(|(line, label)| {
                                    view! {
                                        <PatrolLineCard
                                            line=*line
                                            label=label.clone()
                                            units
                                            center
                                        />
                                    }
                                })
                                .collect_view()
                        })}
                </ol>
                {move || failed().map(|e| view! { <ErrorBox error=e /> })}
                <button
                    type="submit"
                    class="button primary"
                    disabled=move || !ready.get() || send.pending().get()
                >
                    "提交巡查结果"
                </button>
            </form>
        </Show>
    }
}

/// `/supervisor/patrol`: 周巡查 on the phone, one center per week.
#[component]
pub fn PatrolPage() -> impl IntoView {
    view! {
        <Title text="周巡查" />
        <RequireRole
            role=Role::Supervisor
            render=|_me| {
                let data = Resource::new(
                    || (),
                    |_| async {
                        let list = supervision::patrol_checklist().await?;
                        let centers = org::centers().await?.items;
                        let units = org::units().await?.items;
                        Ok::<_, ApiError>((list, centers, units))
                    },
                );
                view! {
                    <SupervisorPanel title="周巡查">
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                match data.await {
                                    Ok((list, centers, units)) => {
                                        view! { <PatrolForm list centers units /> }.into_any()
                                    }
                                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                }
                            })}
                        </Suspense>
                    </SupervisorPanel>
                }
            }
        />
    }
}
