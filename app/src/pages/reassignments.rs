//! 无法办理转交: tickets a window declared it cannot serve, waiting for the chief representative
//! to assign another staff member and window. Staff may not refuse extended service (Seed
//! §二(四)三), so the only way out of this list is an assignment: no refusing, no dropping.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::api::events::Topic;

use crate::{
    api::{
        ApiError, Role,
        org::{self, StaffView, WindowView},
        queue::{self, AssignRequest, ReassignmentView, TicketView},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::option,
        hall_clock::HallClock,
        live::LiveRefresh,
        suspend::suspend,
    },
    format,
};

/// The chief's choice for one report, as the two selects hold it (ids as text, empty: none yet).
#[derive(Clone, Default, PartialEq)]
struct Choice {
    staff: String,
    window: String,
}

/// Choices live outside the list: the list re-renders on every queue event of the hall, and a
/// half-made choice must survive that.
type Choices = RwSignal<HashMap<i64, Choice>>;

#[component]
pub fn ReassignmentInbox() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let reports = Resource::new(move || version.get(), |_| queue::reassignments());
    // Who can be assigned is read again with every report (staff added since the page opened,
    // as its note tells the chief to ask for, are offered at once).
    let staff = Resource::new(move || version.get(), |_| org::staff());
    let windows = Resource::new(move || version.get(), |_| org::windows());
    let choices: Choices = RwSignal::new(HashMap::new());
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    let assign = Action::new(|(id, body): &(i64, AssignRequest)| {
        let (id, body) = (*id, body.clone());
        async move {
            queue::assign(id, body).await.map(|r| {
                format!(
                    "已指派：{} 号由 {} 在 {} 号窗口办理",
                    r.ticket.number,
                    r.assigned_staff.unwrap_or_default(),
                    r.assigned_window.unwrap_or_default()
                )
            })
        }
    });
    Effect::new(move |_| {
        if let Some(outcome) = assign.value().get() {
            result.set(Some(outcome));
            version.update(|v| *v += 1);
        }
    });
    view! {
        <LiveRefresh topics=&[Topic::Reassignments] version=version />
        <section class="panel reassign-panel" aria-labelledby="reassign-title">
            <h2 id="reassign-title">"待重新指派的取号"</h2>
            <p class="muted">
                "窗口报告无法办理的号，须另行安排工作人员和窗口办理，不得拒绝或退回。"
            </p>
            <ActionResult message=result />
            <Transition fallback=Loading>
                {move || suspend(async move {
                    let staff = staff.await.map(|l| l.items);
                    let windows = windows.await.map(|l| l.items);
                    match (reports.await, staff, windows) {
                        (Ok(list), _, _) if list.is_empty() => {
                            view! { <p class="muted">"没有待重新指派的取号。"</p> }
                                .into_any()
                        }
                        (Ok(list), Ok(staff), Ok(windows)) => {
                            view! {
                                <ul class="plain">
                                    {list
                                        .into_iter()
                                        .map(|r| {
                                            view! {
                                                <ReportRow
                                                    report=r
                                                    staff=staff.clone()
                                                    windows=windows.clone()
                                                    choices=choices
                                                    assign=assign
                                                    result=result
                                                />
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => {
                            view! { <ErrorBox error=e /> }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

type AssignAction = Action<(i64, AssignRequest), Result<String, ApiError>>;

/// Who may take the ticket: an active clerk of the ticket's unit (only a clerk serves at a window)
/// who is not the one who reported and has a window to be sent to (the server accepts no one
/// else: a chief was offered only the reporting clerk, and every choice was refused).
fn clerks_of(
    staff: &[StaffView],
    windows: &[WindowView],
    ticket: &TicketView,
    reporter: i64,
) -> Vec<(String, String)> {
    staff
        .iter()
        .filter(|s| s.active && s.unit_id == Some(ticket.unit_id) && s.roles.contains(&Role::Clerk))
        .filter(|s| s.id != reporter)
        .filter(|s| !windows_for(windows, ticket.center_id, ticket.unit_id, Some(s)).is_empty())
        .map(|s| (s.id.to_string(), s.name.clone()))
        .collect()
}

/// Active windows of the center that serve the unit; once a person is chosen, only the windows
/// that person works at (the server accepts nothing else).
fn windows_for(
    windows: &[WindowView],
    center_id: i64,
    unit_id: i64,
    person: Option<&StaffView>,
) -> Vec<(String, String)> {
    windows
        .iter()
        .filter(|w| w.active && w.center_id == center_id && w.unit_ids.contains(&unit_id))
        .filter(|w| person.is_none_or(|p| p.window_ids.contains(&w.id)))
        .map(|w| (w.id.to_string(), w.label()))
        .collect()
}

#[component]
fn ReportRow(
    report: ReassignmentView,
    staff: Vec<StaffView>,
    windows: Vec<WindowView>,
    choices: Choices,
    assign: AssignAction,
    result: RwSignal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    let clock = HallClock::get();
    let id = report.id;
    let ticket = report.ticket;
    let number = ticket.number.clone();
    let chosen = move || choices.with(|c| c.get(&id).cloned().unwrap_or_default());
    let people = clerks_of(&staff, &windows, &ticket, report.from_staff_id);
    let nobody = people.is_empty();
    let window_options = move || {
        let person = chosen().staff.parse::<i64>().ok();
        let person = staff.iter().find(|s| Some(s.id) == person);
        windows_for(&windows, ticket.center_id, ticket.unit_id, person)
    };
    let set_staff = move |value: String| {
        choices.update(|c| {
            let entry = c.entry(id).or_default();
            entry.staff = value;
            // A window the new person does not work at cannot stay chosen.
            entry.window.clear();
        });
    };
    let set_window = move |value: String| {
        choices.update(|c| c.entry(id).or_default().window = value);
    };
    let incomplete = format!("请为 {number} 号同时选择指派人员和指派窗口");
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let choice = chosen();
        match (choice.staff.parse(), choice.window.parse()) {
            (Ok(staff_id), Ok(window_id)) => {
                assign.dispatch((
                    id,
                    AssignRequest {
                        staff_id,
                        window_id,
                    },
                ));
            }
            _ => {
                result.set(Some(Err(ApiError {
                    code: "required".into(),
                    message: incomplete.clone(),
                    field: Some("staff_id".into()),
                    status: 422,
                    problems: Vec::new(),
                })));
            }
        }
    };
    let (staff_id, window_id) = (
        format!("reassign-staff-{id}"),
        format!("reassign-window-{id}"),
    );
    view! {
        <li class="decision-row reassign-row">
            <div class="reassign-facts">
                <strong>{format!("{} 号 · {}", number, ticket.queue_name)}</strong>
                <p>{format!("原因：{}", report.reason)}</p>
                <p class="muted">
                    {format!(
                        "{} 报告无法办理，{}",
                        report.from_staff,
                        format::date_time(clock.to_local(report.created_at)),
                    )}
                </p>
            </div>
            {nobody
                .then(|| {
                    view! {
                        <p class="error-text reassign-note" role="note">
                            "本单位没有其他在窗口值守的工作人员可以指派。\
                             请联系系统管理员在“工作人员”中为本单位增配窗口工作人员，\
                             增配后即可在此指派；在此之前请向办事群众说明情况。"
                        </p>
                    }
                })}
            <form class="row wrap reassign-form" on:submit=on_submit hidden=nobody>
                <div class="field">
                    <label for=staff_id.clone()>"指派人员"</label>
                    <select
                        id=staff_id
                        aria-label=format!("指派人员 {number}")
                        on:change=move |ev| set_staff(event_target_value(&ev))
                        prop:value=move || chosen().staff
                    >
                        {option("", "请选择")}
                        {people
                            .into_iter()
                            .map(|(v, l)| option(v, l))
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=window_id.clone()>"指派窗口"</label>
                    <select
                        id=window_id
                        aria-label=format!("指派窗口 {number}")
                        on:change=move |ev| set_window(event_target_value(&ev))
                        prop:value=move || chosen().window
                    >
                        {option("", "请选择")}
                        {move || {
                            window_options()
                                .into_iter()
                                .map(|(v, l)| option(v, l))
                                .collect_view()
                        }}
                    </select>
                </div>
                <button type="submit" class="button primary" aria-label=format!("指派 {number}")>
                    "指派"
                </button>
            </form>
        </li>
    }
}
