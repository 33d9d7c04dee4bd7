//! 差评回访与申诉: the unit's 不满意 and 非常不满意 ratings, each with its recorded phone 回访 and
//! the unit's 申诉复核 (both the chief representative's), and where the appeal stands.

use leptos::prelude::*;

use super::ItemText;
use crate::{
    api::{
        ApiError,
        supervision::{self, FollowUp, NewAppeal, RatingView},
        validate::required_text,
    },
    components::{
        feedback::{ActionResult, Loading, listed},
        form::{ErrorSummary, FormProblem},
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
};

/// 差评回访与申诉: the unit's 不满意 and 非常不满意 ratings.
#[component]
pub(super) fn BadRatings(chief: bool) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let list = Resource::new(move || version.get(), |_| supervision::bad_ratings());
    let done = RwSignal::new(None::<Result<String, ApiError>>);
    let lead = if chief {
        "不满意、非常不满意的评价须电话回访并记录；评价有误或属恶意差评的，可提出申诉复核。"
    } else {
        "回访记录和申诉复核由本单位首席代表办理。"
    };
    view! {
        <section class="panel" aria-labelledby="unit-ratings-title">
            <h2 id="unit-ratings-title">"差评回访与申诉"</h2>
            <p class="muted">{lead}</p>
            <ActionResult message=done />
            <Transition fallback=Loading>
                {move || suspend(async move {
                    listed(
                        list.await,
                        "本单位没有差评。",
                        "plain card-list",
                        move |r| view! { <RatingItem r chief version done /> },
                    )
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RatingItem(
    r: RatingView,
    chief: bool,
    version: RwSignal<u32>,
    done: RwSignal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    let clock = HallClock::get();
    let when = format::date_time(clock.to_local(r.rated_at));
    let title = format!(
        "{} · {} {} · {when}",
        r.level_label,
        r.subject.label_zh(),
        r.reference
    );
    // Whom to call back: the name and phone recorded with the service.
    let contact = match (r.contact_name.clone(), r.contact_phone.clone()) {
        (name, Some(phone)) => view! {
            <p>
                <strong>"回访对象："</strong>
                {name.unwrap_or_default()}
                " "
                <a href=format!("tel:{phone}")>{phone.clone()}</a>
            </p>
        }
        .into_any(),
        _ => view! {
            <p class="muted">
                "现场取号办理，未留联系方式：无法电话回访的，请在回访记录中说明。"
            </p>
        }
        .into_any(),
    };
    let struck = r
        .struck
        .then(|| view! { <p class="muted">"申诉成立，此评价已撤销。"</p> });
    let rating = r.id;
    let form = |kind: RatingStep| {
        let name = title.clone();
        view! { <TextAction kind rating name version done /> }.into_any()
    };
    let follow_up = match (&r.follow_up_note, r.follow_up_at) {
        (Some(n), at) => {
            let at = at
                .map(|t| format::date_time(clock.to_local(t)))
                .unwrap_or_default();
            view! {
                <p>
                    <strong>"已回访："</strong>
                    {format!("{n}（{at}）")}
                </p>
            }
            .into_any()
        }
        (None, _) if chief => form(RatingStep::FollowUp),
        (None, _) => view! { <p class="muted">"待首席代表回访。"</p> }.into_any(),
    };
    let appeal = match r.appeal.clone() {
        Some(a) => view! {
            <p>
                <strong>"申诉复核："</strong>
                {a.reason}
                " "
                <span class="state-pill">{a.status_label}</span>
            </p>
            {a.decision_note.map(|n| view! { <p>{format!("复核意见：{n}")}</p> })}
        }
        .into_any(),
        None if chief && !r.struck => form(RatingStep::Appeal),
        None => ().into_any(),
    };
    view! {
        <li class="card">
            <h3>{title.clone()}</h3>
            {contact}
            {struck}
            {r.comment.clone().map(|c| view! { <p>{format!("评价内容：{c}")}</p> })}
            {follow_up}
            {appeal}
        </li>
    }
}

/// The chief representative's two steps on a 差评, each one required text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RatingStep {
    FollowUp,
    Appeal,
}

impl RatingStep {
    /// The API's name of the text field.
    fn field(self) -> &'static str {
        match self {
            RatingStep::FollowUp => "note",
            RatingStep::Appeal => "reason",
        }
    }

    fn label(self) -> &'static str {
        match self {
            RatingStep::FollowUp => "回访记录",
            RatingStep::Appeal => "申诉理由",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            RatingStep::FollowUp => "电话回访的时间、对象和群众意见",
            RatingStep::Appeal => "评价为何有误或属恶意差评，由督查人员复核",
        }
    }

    fn button(self) -> &'static str {
        match self {
            RatingStep::FollowUp => "记录回访",
            RatingStep::Appeal => "提出申诉",
        }
    }

    fn id(self, rating: i64) -> String {
        match self {
            RatingStep::FollowUp => format!("follow-up-{rating}"),
            RatingStep::Appeal => format!("appeal-{rating}"),
        }
    }

    fn done(self) -> &'static str {
        match self {
            RatingStep::FollowUp => "已记录回访",
            RatingStep::Appeal => "已提出申诉，待督查人员复核",
        }
    }

    async fn send(self, rating: i64, text: String) -> Result<RatingView, ApiError> {
        match self {
            RatingStep::FollowUp => supervision::follow_up(rating, FollowUp { note: text }).await,
            RatingStep::Appeal => supervision::appeal(rating, NewAppeal { reason: text }).await,
        }
    }
}

#[component]
fn TextAction(
    kind: RatingStep,
    rating: i64,
    /// The rating as its card names it (the form's accessible name).
    name: String,
    version: RwSignal<u32>,
    done: RwSignal<Option<Result<String, ApiError>>>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let problem = FormProblem::default();
    let send = Action::new(move |t: &String| kind.send(rating, t.clone()));
    Effect::new(move |_| match send.value().get() {
        Some(Ok(_)) => {
            done.set(Some(Ok(kind.done().to_string())));
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => problem.set(e),
        None => {}
    });
    let field = kind.field();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match required_text(&text.get_untracked(), field, kind.label(), 500) {
            Ok(t) => {
                problem.clear();
                done.set(None);
                send.dispatch(t);
            }
            Err(e) => problem.set(e.into()),
        }
    };
    let id = kind.id(rating);
    let target_id = id.clone();
    let target = Callback::new(move |f: String| (f == field).then(|| target_id.clone()));
    view! {
        <form
            class="stack unit-step"
            novalidate=true
            aria-label=format!("{}：{name}", kind.button())
            on:submit=on_submit
        >
            <ErrorSummary error=problem.signal() target />
            <ItemText
                id=id
                label=kind.label()
                value=text
                error=problem.at(field)
                max=500
                rows=2
                hint=Some(kind.hint())
            />
            <button type="submit" class="button" disabled=move || send.pending().get()>
                {kind.button()}
            </button>
        </form>
    }
}
