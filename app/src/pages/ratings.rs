//! `/supervisor/ratings?level=…|appeal=pending`: the ratings behind a bar of the overview's
//! 好差评 chart, newest first, each on to its rectification (a 差评) and to the case, ticket or
//! booking it judged;
//! with `appeal=pending` the ratings whose unit appealed and wait for the supervisor's review
//! (申诉复核), decided here on the phone with a note.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use rules::{
    AppealStatus,
    supervision::{RatedSubject, RatingLevel},
};

use crate::{
    api::{
        ApiError, Role,
        supervision::{self, AppealDecision, AppealView, RatingFilter, RatingView},
    },
    components::{
        feedback::{Loading, listed},
        form::{ErrorSummary, FieldError, FormProblem},
        guard::RequireRole,
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
};

/// What the list of appeals to review is for.
const APPEALS_LEAD: &str = "单位对差评提出的申诉，逐条复核：申诉成立则撤销评价，不成立则维持。";

#[component]
pub fn RatingList() -> impl IntoView {
    let query = use_query_map();
    let filter = move || RatingFilter {
        level: query.with(|q| q.get("level")).filter(|l| !l.is_empty()),
        appeal_pending: query
            .with(|q| q.get("appeal"))
            .as_deref()
            .and_then(AppealStatus::from_code)
            == Some(AppealStatus::Pending),
    };
    let appeals = move || filter().appeal_pending;
    let heading = move || {
        let f = filter();
        match f.level.as_deref().and_then(RatingLevel::from_code) {
            _ if f.appeal_pending => "好差评：待复核申诉".to_string(),
            Some(l) => format!("好差评：{}", l.label_zh()),
            None => "好差评".to_string(),
        }
    };
    let empty = move || {
        if appeals() {
            "没有待复核的申诉。"
        } else if filter().level.is_some() {
            "没有这一等级的评价。"
        } else {
            "暂无评价。"
        }
    };
    view! {
        <Title text="好差评" />
        <RequireRole
            role=Role::Supervisor
            render=move |_me| {
                let list = Resource::new(filter, supervision::ratings);
                view! {
                    <section class="panel phone-panel">
                        <h1>{heading}</h1>
                        <p>
                            <a href="/supervisor/overview">"返回总览"</a>
                        </p>
                        <nav class="sub-nav" aria-label="好差评筛选">
                            <a
                                href="/supervisor/ratings"
                                aria-current=move || {
                                    (filter() == RatingFilter::default()).then_some("page")
                                }
                            >
                                "全部评价"
                            </a>
                            <a
                                href="/supervisor/ratings?appeal=pending"
                                aria-current=move || appeals().then_some("page")
                            >
                                "待复核申诉"
                            </a>
                        </nav>
                        <p class="muted">
                            {move || {
                                if appeals() { APPEALS_LEAD } else { "最新的评价在前。" }
                            }}
                        </p>
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                listed(
                                    list.await,
                                    empty(),
                                    "plain card-list",
                                    |r| view! { <RatingCard r=r /> },
                                )
                            })}
                        </Suspense>
                    </section>
                }
            }
        />
    }
}

/// One rating: its level, the unit, when, the comment; on to what it judged and the problem; the
/// unit's appeal with its review.
#[component]
fn RatingCard(r: RatingView) -> impl IntoView {
    let rating = RwSignal::new(r);
    let clock = HallClock::get();
    let r = rating.get_untracked();
    let when = format::date_time(clock.to_local(r.rated_at));
    let (href, words) = match r.subject {
        RatedSubject::Case => ("/cases/", "查看办件"),
        RatedSubject::Ticket => ("/supervisor/tickets/", "查看号票记录"),
        RatedSubject::Appointment => ("/supervisor/bookings/", "查看预约记录"),
    };
    let served = format!("{href}{}", r.subject_id);
    let problem = r.problem_id.map(|id| format!("/supervisor/problems/{id}"));
    let heading = format!("rating-{}", r.id);
    let labelled_by = heading.clone();
    view! {
        <li class="card">
            <article aria-labelledby=labelled_by>
                <p id=heading>
                    <strong>{r.level_label.clone()}</strong>
                    {move || rating.with(|r| r.struck.then_some("（申诉成立，已撤销）"))}
                    {format!(" · {} · {} · {when}", r.unit_name, r.subject.label_zh())}
                </p>
                {r.comment.clone().map(|c| view! { <p>{format!("评价内容：{c}")}</p> })}
                {r
                    .follow_up_note
                    .clone()
                    .map(|n| view! { <p class="muted">{format!("回访：{n}")}</p> })}
                <p>
                    <a href=served>{words}</a>
                </p>
                {problem
                    .map(|href| {
                        view! {
                            <p>
                                <a href=href>"查看整改问题"</a>
                            </p>
                        }
                    })}
                {move || {
                    rating
                        .with(|r| r.appeal.clone())
                        .map(|a| view! { <AppealBlock appeal=a rating=rating /> })
                }}
            </article>
        </li>
    }
}

/// What the supervisor decides on an appeal.
#[derive(Clone)]
struct Decide {
    id: i64,
    body: AppealDecision,
}

/// The unit's appeal: its reason, and either the review form (pending) or the outcome.
#[component]
fn AppealBlock(appeal: AppealView, rating: RwSignal<RatingView>) -> impl IntoView {
    let clock = HallClock::get();
    let filed = format::date_time(clock.to_local(appeal.filed_at));
    let reason = appeal.reason.clone();
    let outcome = match appeal.status {
        AppealStatus::Pending => None,
        AppealStatus::Upheld => Some("申诉成立，评价已撤销"),
        AppealStatus::Rejected => Some("申诉不成立，维持评价"),
    };
    let note = appeal.decision_note.clone();
    let filed = format!("（{filed}，{}）", appeal.status_label);
    view! {
        <div class="appeal">
            <p>
                <strong>"单位申诉"</strong>
                {filed}
            </p>
            <p>{format!("申诉理由：{reason}")}</p>
            {match outcome {
                Some(outcome) => {
                    view! {
                        <p class="ok-box" role="status">
                            {format!("复核结果：{outcome}")}
                            {note.map(|n| format!("。复核意见：{n}"))}
                        </p>
                    }
                        .into_any()
                }
                None => view! { <AppealForm appeal=appeal rating=rating /> }.into_any(),
            }}
        </div>
    }
}

/// 申诉复核: a required note and the two decisions.
#[component]
fn AppealForm(appeal: AppealView, rating: RwSignal<RatingView>) -> impl IntoView {
    let id = appeal.id;
    let version = appeal.version;
    let note = RwSignal::new(String::new());
    let problem = FormProblem::default();
    let field_id = format!("appeal-note-{id}");
    let error_id = format!("{field_id}-error");
    let decide = Action::new(|d: &Decide| {
        let d = d.clone();
        async move { supervision::decide_appeal(d.id, d.body).await }
    });
    Effect::new(move |_| match decide.value().get() {
        Some(Ok(view)) => {
            problem.clear();
            rating.set(view);
        }
        Some(Err(e)) => problem.set(e),
        None => {}
    });
    let send = move |uphold: bool| {
        let text = note.get_untracked();
        if text.trim().is_empty() {
            problem.set(ApiError {
                code: "missing_note".into(),
                message: "请填写复核意见".into(),
                field: Some("note".into()),
                status: 422,
                problems: Vec::new(),
            });
            return;
        }
        problem.clear();
        decide.dispatch(Decide {
            id,
            body: AppealDecision {
                version,
                uphold,
                note: text,
            },
        });
    };
    let target = {
        let field_id = field_id.clone();
        Callback::new(move |f: String| (f == "note").then(|| field_id.clone()))
    };
    let at_note = problem.at("note");
    let described = {
        let error_id = error_id.clone();
        move || at_note.with(Option::is_some).then(|| error_id.clone())
    };
    view! {
        <form class="stack" on:submit=|ev| ev.prevent_default() novalidate>
            <ErrorSummary error=problem.signal() target=target />
            <div class="field">
                <label for=field_id.clone()>"复核意见 *"</label>
                <FieldError id=field_id.clone() error=at_note />
                <textarea
                    id=field_id.clone()
                    name="note"
                    rows="3"
                    maxlength="500"
                    required
                    aria-invalid=move || at_note.with(Option::is_some).then_some("true")
                    aria-describedby=described
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
            </div>
            <div class="actions">
                <button
                    type="button"
                    class="button primary"
                    disabled=move || decide.pending().get()
                    on:click=move |_| send(true)
                >
                    "申诉成立（撤销评价）"
                </button>
                <button
                    type="button"
                    class="button"
                    disabled=move || decide.pending().get()
                    on:click=move |_| send(false)
                >
                    "申诉不成立（维持评价）"
                </button>
            </div>
        </form>
    }
}
