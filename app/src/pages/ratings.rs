//! `/supervisor/ratings?level=…`: the ratings behind a bar of the overview's 好差评 chart, newest
//! first, each on to its rectification (a 差评) and to the case, ticket or booking it judged.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use rules::supervision::{RatedSubject, RatingLevel};

use crate::{
    api::{
        Role,
        supervision::{self, RatingView},
    },
    components::{
        feedback::{Loading, listed},
        guard::RequireRole,
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
};

#[component]
pub fn RatingList() -> impl IntoView {
    let query = use_query_map();
    let level = move || query.with(|q| q.get("level")).filter(|l| !l.is_empty());
    let heading = move || match level().as_deref().and_then(RatingLevel::from_code) {
        Some(l) => format!("好差评：{}", l.label_zh()),
        None => "好差评".to_string(),
    };
    view! {
        <Title text="好差评" />
        <RequireRole
            role=Role::Supervisor
            render=move |_me| {
                let list = Resource::new(level, supervision::ratings);
                view! {
                    <section class="panel phone-panel">
                        <h1>{heading}</h1>
                        <p>
                            <a href="/supervisor/overview">"返回总览"</a>
                        </p>
                        <p class="muted">"最新的评价在前。"</p>
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                listed(
                                    list.await,
                                    "没有这一等级的评价。",
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

/// One rating: its level, the unit, when, the comment; on to the case and the problem.
#[component]
fn RatingCard(r: RatingView) -> impl IntoView {
    let clock = HallClock::get();
    let when = format::date_time(clock.to_local(r.rated_at));
    let struck = r.struck.then_some("（申诉成立，已撤销）");
    let (href, words) = match r.subject {
        RatedSubject::Case => ("/cases/", "查看办件"),
        RatedSubject::Ticket => ("/supervisor/tickets/", "查看号票记录"),
        RatedSubject::Appointment => ("/supervisor/bookings/", "查看预约记录"),
    };
    let served = format!("{href}{}", r.subject_id);
    let problem = r.problem_id.map(|id| format!("/supervisor/problems/{id}"));
    view! {
        <li class="card">
            <p>
                <strong>{r.level_label.clone()}</strong>
                {struck}
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
        </li>
    }
}
