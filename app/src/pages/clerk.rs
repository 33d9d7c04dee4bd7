//! 窗口工作台: the clerk's tablet workbench.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{Me, Role, calendar, calls},
    components::{
        clock::HallClock,
        due_preview::DuePreview,
        feedback::{ErrorBox, Loading},
        guard::RequireRole,
    },
    format,
};

#[component]
pub fn Workbench() -> impl IntoView {
    view! {
        <Title text="窗口工作台"/>
        <RequireRole role=Role::Clerk render=|me| view! { <Desk me=me/> }/>
    }
}

#[component]
fn Desk(me: Me) -> impl IntoView {
    let clock = HallClock::get();
    let windows = Resource::new(|| (), |_| calls::windows());
    let centers = Resource::new(|| (), |_| calls::centers());
    let full_calendar = Resource::new(|| (), |_| calendar::full());
    let window_ids = me.staff.window_ids.clone();
    let center_id = me.center_id;
    view! {
        <h1>"窗口工作台"</h1>
        <p class="lead">
            {format!("{} · {} · {}", me.staff.name, me.unit_name.clone().unwrap_or_default(), me.center_name.clone().unwrap_or_default())}
        </p>
        <div class="split">
            <section class="panel" aria-labelledby="my-post">
                <h2 id="my-post">"我的窗口"</h2>
                <Suspense fallback=Loading>
                    {move || {
                        let window_ids = window_ids.clone();
                        Suspend::new(async move {
                            match windows.await {
                                Ok(list) => {
                                    let mine: Vec<_> = list.items.into_iter().filter(|w| window_ids.contains(&w.id)).collect();
                                    if mine.is_empty() {
                                        view! { <p class="muted">"尚未分配窗口，请联系管理员。"</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="plain big">
                                                {mine.into_iter().map(|w| view! { <li>{format!("{} 号窗口 {}", w.number, w.name.unwrap_or_default())}</li> }).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }
                                }
                                Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                            }
                        })
                    }}
                </Suspense>
                <p class="today">{move || format!("今天是 {}", format::date(clock.local_now().date()))}</p>
            </section>
            <section class="panel" aria-labelledby="due-calc">
                <h2 id="due-calc">"承诺时限试算"</h2>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        let hours = centers.await.ok().and_then(|l| l.items.into_iter().find(|c| Some(c.id) == center_id)).map(|c| c.business_hours);
                        match (full_calendar.await, hours) {
                            (Ok(full), Some(hours)) => match full.work_calendar() {
                                Ok(cal) => view! { <DuePreview calendar=cal hours=hours/> }.into_any(),
                                Err(msg) => view! { <p class="error-box">{msg}</p> }.into_any(),
                            },
                            (Err(e), _) => view! { <ErrorBox error=e/> }.into_any(),
                            (_, None) => view! { <p class="muted">"未找到所属服务中心的办公时间。"</p> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}
