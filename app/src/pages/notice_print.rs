//! Printing a notice: the document exactly as issued (stored HTML, never re-rendered), on A4.
//! The first printing is the original; every later one is recorded and stamped 补打.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::{ApiError, notices},
    components::{
        feedback::{ErrorBox, Loading},
        suspend::suspend,
    },
};

#[component]
pub fn NoticePrintPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let notice = Resource::new(id, notices::notice);
    let reprint = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let print = Action::new(move |_: &()| {
        let id = id();
        async move { notices::record_print(id).await }
    });
    Effect::new(move |_| match print.value().get() {
        Some(Ok(record)) => {
            reprint.set(record.reprint);
            error.set(None);
            #[cfg(feature = "hydrate")]
            {
                // Let the 补打 stamp render before the print dialog opens.
                gloo_timers::callback::Timeout::new(50, || {
                    if let Some(w) = web_sys::window() {
                        let _ = w.print();
                    }
                })
                .forget();
            }
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    view! {
        <Title text="打印文书" />
        <Suspense fallback=Loading>
            {move || suspend(async move {
                match notice.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(n) => {
                        let already = n.summary.prints > 0;
                        let back = n.summary.case_id.map(|c| format!("/clerk/cases/{c}"));
                        view! {
                            <div class="print-toolbar no-print">
                                <h1>{format!("《{}》 {}", n.summary.title, n.summary.number)}</h1>
                                <p class="muted">{format!("SHA-256：{}", n.summary.sha256)}</p>
                                {already
                                    .then(|| {
                                        view! {
                                            <p class="warn-box">
                                                {format!(
                                                    "此文书已打印 {} 次，再次打印将标注“补打”。",
                                                    n.summary.prints,
                                                )}
                                            </p>
                                        }
                                    })}
                                {move || error.get().map(|e| view! { <ErrorBox error=e /> })}
                                <div class="row wrap">
                                    <button
                                        type="button"
                                        class="button primary big"
                                        on:click=move |_| {
                                            print.dispatch(());
                                        }
                                    >
                                        "打印（A4）"
                                    </button>
                                    {back
                                        .map(|b| {
                                            view! {
                                                <a class="button" href=b>
                                                    "返回办件"
                                                </a>
                                            }
                                        })}
                                </div>
                            </div>
                            <div
                                class="print-doc"
                                class:reprint=move || reprint.get()
                                inner_html=n.html
                            />
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
