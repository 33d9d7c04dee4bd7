//! 首席代表: the chief representative's desk.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::{Me, Role, calls},
    components::{
        feedback::{ErrorBox, Loading},
        guard::RequireRole,
    },
};

#[component]
pub fn ChiefDesk() -> impl IntoView {
    view! {
        <Title text="首席代表"/>
        <RequireRole role=Role::ChiefRepresentative render=|me| view! { <UnitOverview me=me/> }/>
    }
}

/// The unit the chief representative answers for: its windows and people.
#[component]
fn UnitOverview(me: Me) -> impl IntoView {
    let unit_id = me.staff.unit_id;
    let windows = Resource::new(|| (), |_| calls::windows());
    let staff = Resource::new(|| (), |_| calls::staff());
    view! {
        <h1>"首席代表"</h1>
        <p class="lead">{format!("{} · {}", me.unit_name.clone().unwrap_or_default(), me.center_name.clone().unwrap_or_default())}</p>
        <div class="split">
            <section class="panel" aria-labelledby="unit-windows">
                <h2 id="unit-windows">"本单位窗口"</h2>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        match windows.await {
                            Ok(list) => view! {
                                <ul class="plain">
                                    {list.items.into_iter()
                                        .filter(|w| w.active && unit_id.is_some_and(|u| w.unit_ids.contains(&u)))
                                        .map(|w| view! { <li>{format!("{} 号窗口 {}", w.number, w.name.unwrap_or_default())}</li> })
                                        .collect_view()}
                                </ul>
                            }.into_any(),
                            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
            <section class="panel" aria-labelledby="unit-staff">
                <h2 id="unit-staff">"本单位工作人员"</h2>
                <Suspense fallback=Loading>
                    {move || Suspend::new(async move {
                        match staff.await {
                            Ok(list) => view! {
                                <ul class="plain">
                                    {list.items.into_iter()
                                        .filter(|s| s.active && s.unit_id == unit_id)
                                        .map(|s| {
                                            let roles = s.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、");
                                            view! { <li>{format!("{}（{}）{}", s.name, s.staff_number, roles)}</li> }
                                        })
                                        .collect_view()}
                                </ul>
                            }.into_any(),
                            Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}
