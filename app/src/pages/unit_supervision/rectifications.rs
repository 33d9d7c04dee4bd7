//! 本单位整改清单: the unit's items not yet closed out, the ones to fix first; each reported with
//! the measure taken, what was done and an evidence file, then read only until 销号.

use std::collections::HashMap;

use chrono::NaiveDate;
use leptos::{html, prelude::*};
use rules::RectificationStatus;
use rules::supervision::MonthlyStatus;

use super::ItemText;
use crate::{
    api::{
        ApiError,
        supervision::{
            self, FileView, ProblemQuery, RectificationQuery, RectificationView, ReportFix,
        },
        validate::{Checks, required_text},
    },
    components::{
        feedback::{ActionResult, Loading, listed},
        form::{ErrorSummary, FormProblem},
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
};

/// Sent back by a supervisor: open again, with the supervisor's note (a send-back keeps its
/// note in `close_note`; a reopened item has its own status).
fn sent_back(item: &RectificationView) -> bool {
    item.status == RectificationStatus::Open && item.close_note.is_some()
}

/// What the unit reads as an item's state.
fn state_label(item: &RectificationView) -> &'static str {
    match item.status {
        RectificationStatus::Reported => "待销号",
        RectificationStatus::Reopened => "重新整改",
        RectificationStatus::Open if sent_back(item) => "被退回",
        RectificationStatus::Open => "整改中",
        RectificationStatus::Closed => "已销号",
        RectificationStatus::Withdrawn => "已撤销",
    }
}

/// The list's order: overdue first, then sent back or reopened, then the rest still to fix, and
/// last those waiting for 销号; soonest deadline first within each.
fn order(item: &RectificationView) -> (u8, NaiveDate, i64) {
    let rank = if item.status == RectificationStatus::Reported {
        3
    } else if item.report_status == Some(MonthlyStatus::Overdue) {
        0
    } else if sent_back(item) || item.status == RectificationStatus::Reopened {
        1
    } else {
        2
    };
    (rank, item.deadline, item.id)
}

/// The files of each problem, by problem id.
fn files_by_problem(
    problems: Result<Vec<supervision::ProblemView>, ApiError>,
) -> HashMap<i64, Vec<FileView>> {
    problems
        .map(|list| list.into_iter().map(|p| (p.id, p.files)).collect())
        .unwrap_or_default()
}

/// 本单位整改清单: the unit's items not yet closed out.
#[component]
pub(super) fn Rectifications() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let items = Resource::new(
        move || version.get(),
        |_| supervision::rectifications(RectificationQuery::pending()),
    );
    let problems = Resource::new(
        move || version.get(),
        |_| supervision::problems(ProblemQuery::default()),
    );
    let done = RwSignal::new(None::<Result<String, ApiError>>);
    view! {
        <section class="panel" aria-labelledby="unit-rect-title">
            <h2 id="unit-rect-title">"本单位整改清单"</h2>
            <p class="muted">
                "逾期、被退回和整改中的事项在前。"
                "报告整改措施和整改情况并附证据后，由督查人员复核销号。"
            </p>
            <ActionResult message=done />
            <Transition fallback=Loading>
                {move || suspend(async move {
                    let files = files_by_problem(problems.await);
                    let list = items
                        .await
                        .map(|mut list| {
                            list.sort_by_key(order);
                            list
                        });
                    listed(
                        list,
                        "本单位没有待整改的事项。",
                        "plain card-list",
                        move |item| {
                            let files = files.get(&item.problem_id).cloned().unwrap_or_default();
                            view! { <RectificationItem item files version done /> }
                        },
                    )
                })}
            </Transition>
        </section>
    }
}

/// The evidence already attached to an item's problem, each a link to download it.
fn evidence_links(problem_id: i64, files: Vec<FileView>) -> impl IntoView {
    (!files.is_empty()).then(|| {
        view! {
            <p class="muted">"已上传的证据："</p>
            <ul class="plain-inline">
                {files
                    .into_iter()
                    .map(|f| {
                        let href = format!(
                            "/api/v1/supervision/problems/{problem_id}/files/{}",
                            f.id,
                        );
                        view! {
                            <li>
                                <a href=href>{f.file_name}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

#[component]
fn RectificationItem(
    item: RectificationView,
    files: Vec<FileView>,
    version: RwSignal<u32>,
    done: RwSignal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    let overdue = item.report_status == Some(MonthlyStatus::Overdue);
    let open = matches!(
        item.status,
        RectificationStatus::Open | RectificationStatus::Reopened
    );
    let staff = item.staff_name.clone().unwrap_or_else(|| "—".into());
    let facts = format!(
        "整改时限 {} · {} · 发现 {} · 责任人 {staff}",
        format::date(item.deadline),
        item.source_label,
        format::date(item.found_on)
    );
    let returned = (sent_back(&item) || item.status == RectificationStatus::Reopened)
        .then(|| item.close_note.clone())
        .flatten()
        .map(|n| view! { <p class="warn-box">{format!("督查意见：{n}")}</p> });
    let body = if open {
        view! { <ReportForm item=item.clone() version done /> }.into_any()
    } else {
        reported(&item)
    };
    view! {
        <li class="card" class:overdue-row=overdue>
            <h3>{format!("{}：{}", item.kind_label, item.description)}</h3>
            <p>
                <span class="state-pill">{state_label(&item)}</span>
                {overdue.then(|| view! { <strong class="overdue-text">" 逾期"</strong> })}
                " "
                {facts}
            </p>
            {returned}
            {evidence_links(item.problem_id, files)}
            {body}
        </li>
    }
}

/// A reported item, read only until a supervisor closes it out or sends it back.
fn reported(item: &RectificationView) -> AnyView {
    let clock = HallClock::get();
    let when = item
        .reported_at
        .map(|t| format::date_time(clock.to_local(t)))
        .unwrap_or_default();
    view! {
        <dl class="facts">
            <dt>"整改措施"</dt>
            <dd>{item.measure.clone().unwrap_or_default()}</dd>
            <dt>"整改情况"</dt>
            <dd class="prewrap">{item.report_note.clone().unwrap_or_default()}</dd>
            <dt>"报告时间"</dt>
            <dd>{when}</dd>
        </dl>
        <p class="muted">"已报告整改，待督查人员复核销号。"</p>
    }
    .into_any()
}

/// The field an error of the report is shown at: the server names the file `file` (its type or
/// size) or `name` (its name); both belong to the file input.
fn report_error(mut e: ApiError) -> ApiError {
    if e.field.as_deref() == Some("name") {
        e.field = Some("file".into());
    }
    e
}

/// The report of an item: its evidence file first (so that the supervisor sees it with the
/// report), then the measure and what was done.
async fn send_report(
    problem_id: i64,
    id: i64,
    fix: ReportFix,
    input: NodeRef<html::Input>,
    uploaded: RwSignal<Option<String>>,
) -> Result<RectificationView, ApiError> {
    if let Some(file) = supervision::attach_chosen(problem_id, input).await? {
        uploaded.set(Some(file.file_name));
    }
    supervision::report_fix(id, fix).await
}

#[component]
fn ReportForm(
    item: RectificationView,
    version: RwSignal<u32>,
    done: RwSignal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    let (id, problem_id, row_version) = (item.id, item.problem_id, item.version);
    let description = item.description.clone();
    // What was reported before a send-back is where the unit starts again.
    let measure = RwSignal::new(item.measure.clone().unwrap_or_default());
    let note = RwSignal::new(item.report_note.clone().unwrap_or_default());
    let input = NodeRef::<html::Input>::new();
    let problem = FormProblem::default();
    let uploaded = RwSignal::new(None::<String>);
    let send = Action::new(move |fix: &ReportFix| {
        send_report(problem_id, id, fix.clone(), input, uploaded)
    });
    let reported_text = format!("已报告整改：{description}，待督查人员复核销号");
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            done.set(Some(Ok(reported_text.clone())));
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => problem.set(report_error(e)),
        None => {}
    });
    // Every field that is not acceptable, told at once (the note's message waited for the
    // measure to be written).
    let check = move || -> Result<ReportFix, ApiError> {
        let mut checks = Checks::default();
        let m = checks.value(required_text(
            &measure.get_untracked(),
            "measure",
            "整改措施",
            500,
        ));
        let n = checks.value(required_text(
            &note.get_untracked(),
            "note",
            "整改情况",
            1000,
        ));
        if let Some((_, kind, size)) = supervision::chosen_file(input) {
            checks.ok(supervision::check_file(&kind, size, "file"));
        }
        let fix = ReportFix {
            version: row_version,
            measure: m,
            note: n,
        };
        checks.finish(fix).map_err(ApiError::from)
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match check() {
            Ok(fix) => {
                problem.clear();
                done.set(None);
                send.dispatch(fix);
            }
            Err(e) => problem.set(e),
        }
    };
    let target = Callback::new(move |field: String| match field.as_str() {
        "measure" => Some(format!("measure-{id}")),
        "note" => Some(format!("note-{id}")),
        "file" => Some(format!("evidence-{id}")),
        _ => None,
    });
    let file_id = format!("evidence-{id}");
    let file_error_id = format!("evidence-{id}-error");
    let file_error = problem.at("file");
    let file_described = {
        let error_id = file_error_id.clone();
        move || file_error.with(Option::is_some).then(|| error_id.clone())
    };
    view! {
        <form
            class="stack"
            novalidate=true
            aria-label=format!("报告整改：{}", item.description)
            on:submit=on_submit
        >
            <ErrorSummary error=problem.signal() target />
            <ItemText
                id=format!("measure-{id}")
                label="整改措施"
                value=measure
                error=problem.at("measure")
                max=500
                rows=2
            />
            <ItemText
                id=format!("note-{id}")
                label="整改情况（证据说明）"
                value=note
                error=problem.at("note")
                max=1000
                hint=Some("做了什么、何时完成，所附照片或文件说明什么")
            />
            <div class="field">
                <label for=file_id
                    .clone()>
                    "证据文件（JPEG、PNG 照片或 PDF，900 KB 以内，可不选）"
                </label>
                {
                    let file_error_id = file_error_id.clone();
                    move || {
                        file_error
                            .get()
                            .map(|message| {
                                view! {
                                    <p id=file_error_id.clone() class="error-text field-error">
                                        <span class="sr-only">"错误："</span>
                                        {message}
                                    </p>
                                }
                            })
                    }
                }
                <input
                    id=file_id
                    type="file"
                    accept="image/jpeg,image/png,application/pdf"
                    node_ref=input
                    aria-invalid=move || file_error.with(Option::is_some).then_some("true")
                    aria-describedby=file_described
                />
                {move || {
                    uploaded
                        .get()
                        .map(|name| {
                            view! {
                                <small class="hint">{format!("证据已上传：{name}")}</small>
                            }
                        })
                }}
            </div>
            <button type="submit" class="button primary" disabled=move || send.pending().get()>
                "报告整改"
            </button>
        </form>
    }
}
