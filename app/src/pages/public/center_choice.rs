//! The first question of the hall's public screens (booking, kiosk, call display): which center.

use leptos::prelude::*;

use crate::{
    api::org,
    components::{
        feedback::{ErrorBox, Loading},
        suspend::suspend,
    },
};

/// The active centers as big links; `link` gives each center's next page.
#[component]
pub fn CenterChoice(link: fn(i64) -> String) -> impl IntoView {
    let centers = Resource::new(|| (), |_| org::public_centers());
    view! {
        <Suspense fallback=Loading>
            {move || suspend(async move {
                match centers.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(list) => {
                        view! {
                            <ul class="choices">
                                {list
                                    .centers
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <li>
                                                <a class="choice" href=link(c.id)>
                                                    <strong>{c.name.clone()}</strong>
                                                    <span>{c.address.clone()}</span>
                                                </a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
