//! 移交首问责任: the unit's chief representative hands an open case to another clerk of the unit
//! (its owner left or cannot follow it). The panel says so plainly when the owner's account is
//! deactivated: nobody else can close such a case.

use leptos::prelude::*;

use crate::{
    api::{
        ApiError, Role,
        cases::{CaseDetail, HandoverRequest},
        client::send,
        org,
    },
    components::form::{FormProblem, SelectField, TextField},
};

#[component]
pub fn HandoverPanel(
    case: CaseDetail,
    /// Called once the case has a new owner (the page reloads the case).
    on_done: Callback<String>,
) -> impl IntoView {
    let s = case.summary.clone();
    let to = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let problem = FormProblem::default();
    // Read in the browser only: the list changes what the form shows, and a resource the
    // server rendered with its answer pending and the browser hydrated with it resolved broke
    // hydration (the chief's case page crashed on some loads).
    let staff = LocalResource::new(org::staff);
    let unit = s.unit_id;
    let owner = s.owner_id;
    let clerks = Signal::derive(move || {
        staff
            .get()
            .and_then(Result::ok)
            .map(|list| {
                list.items
                    .into_iter()
                    .filter(|p| {
                        p.active
                            && p.unit_id == Some(unit)
                            && p.id != owner
                            && p.roles.contains(&Role::Clerk)
                    })
                    .map(|p| {
                        (
                            p.id.to_string(),
                            format!("{}（{}）", p.name, p.staff_number),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let case_id = s.id;
    let send_handover = Action::new(move |body: &HandoverRequest| {
        let body = body.clone();
        async move {
            let path = format!("/api/v1/cases/{case_id}/handover");
            send::<_, CaseDetail>(crate::api::Method::Post, path, Some(&body)).await
        }
    });
    Effect::new(move |_| match send_handover.value().get() {
        Some(Ok(case)) => {
            to.set(String::new());
            reason.set(String::new());
            on_done.run(format!(
                "已移交给{}，由其继续跟踪办理并反馈",
                case.summary.owner_name
            ));
        }
        Some(Err(e)) => problem.set(e),
        None => {}
    });
    let version = s.version;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        problem.clear();
        let invalid = |field: &str, message: &str| {
            ApiError::from(crate::api::validate::Invalid::new(
                "required", field, message,
            ))
        };
        let Ok(to_staff_id) = to.get_untracked().parse::<i64>() else {
            problem.set(invalid("to_staff_id", "请选择接手的窗口工作人员"));
            return;
        };
        if reason.get_untracked().trim().is_empty() {
            problem.set(invalid("reason", "请填写移交原因"));
            return;
        }
        send_handover.dispatch(HandoverRequest {
            version,
            to_staff_id,
            reason: reason.get_untracked(),
        });
    };
    let left = !case.owner_active;
    view! {
        <section class="panel" aria-labelledby="handover-title">
            <h2 id="handover-title">"移交首问责任"</h2>
            {if left {
                view! {
                    <p class="warn-box" role="status">
                        {format!(
                            "首问负责人{}的账号已停用，此件无人跟踪办结。\
                             请移交给本单位其他窗口工作人员。",
                            s.owner_name,
                        )}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <p class="muted">
                        {format!(
                            "现由{}负责。首问负责人调离、长期休假等无法继续跟踪时，\
                             移交给本单位其他窗口工作人员，由其办结并向申请人反馈。",
                            s.owner_name,
                        )}
                    </p>
                }
                    .into_any()
            }}
            <form class="stack" novalidate on:submit=submit>
                <SelectField
                    id="to_staff_id"
                    label="接手的窗口工作人员"
                    value=to
                    options=clerks
                    placeholder="请选择"
                    error=problem.at("to_staff_id")
                />
                {move || {
                    (staff.get().is_some() && clerks.with(Vec::is_empty))
                        .then(|| {
                            view! {
                                <p class="muted">
                                    "本单位没有其他在岗的窗口工作人员，\
                                     请联系系统管理员在“工作人员”中增配后再移交。"
                                </p>
                            }
                        })
                }}
                <TextField id="reason" label="移交原因" value=reason error=problem.at("reason") />
                {move || {
                    problem
                        .signal()
                        .get()
                        .filter(|e| {
                            !matches!(e.field.as_deref(), Some("to_staff_id" | "reason"))
                        })
                        .map(|e| view! { <p class="error-text" role="alert">{e.message}</p> })
                }}
                <button
                    type="submit"
                    class="button"
                    disabled=move || send_handover.pending().get()
                >
                    "移交"
                </button>
            </form>
        </section>
    }
}
