//! The public home: what the hall offers and where and when to come.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::org::{self, PublicCenter},
    components::{
        feedback::{ErrorBox, Loading},
        suspend::suspend,
    },
    format,
};

#[component]
pub fn Home() -> impl IntoView {
    let centers = Resource::new(|| (), |_| org::public_centers());
    view! {
        <Title text="" />
        <section class="hero">
            <h1>"政务窗口"</h1>
            <p>
                "首问负责、一次性告知、限时办结、延时服务。办事前先看办事指南，材料一次带齐；下班后\
                    也可预约办理。"
            </p>
            <p class="hero-actions">
                <a class="button primary" href="/guide">
                    "办事指南"
                </a>
                <a class="button" href="/booking">
                    "预约下班后办理"
                </a>
                <a class="button" href="/track">
                    "办件查询"
                </a>
            </p>
        </section>
        <section id="centers" aria-labelledby="centers-title">
            <h2 id="centers-title">"服务中心与今日办公时间"</h2>
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    match centers.await {
                        Ok(list) => {
                            view! {
                                <ul class="cards">
                                    {list
                                        .centers
                                        .into_iter()
                                        .map(|c| view! { <CenterCard center=c /> })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn CenterCard(center: PublicCenter) -> impl IntoView {
    // The sessions, the phone number and the day stay on one line (never "0951-/6888123").
    let hours = if center.today_hours.is_empty() {
        "今日不办公".to_string()
    } else {
        center
            .today_hours
            .iter()
            .map(|s| format!("{}–{}", s.start, s.end))
            .collect::<Vec<_>>()
            .join("，")
    };
    let day = center
        .today
        .parse::<chrono::NaiveDate>()
        .map(format::month_day)
        .unwrap_or_else(|_| center.today.clone());
    view! {
        <li class="card">
            <h3>{center.name.clone()}</h3>
            <p class="muted">{center.kind.label()}</p>
            <dl class="facts">
                <dt>"地址"</dt>
                <dd>{center.address.clone()}</dd>
                <dt>"电话"</dt>
                <dd>
                    <a class="nowrap" href=format!("tel:{}", center.phone)>
                        {center.phone.clone()}
                    </a>
                </dd>
                <dt>"今日"</dt>
                <dd>
                    <span class="nowrap muted">{day}</span>
                    " "
                    <span class="nowrap">{hours}</span>
                </dd>
            </dl>
        </li>
    }
}
