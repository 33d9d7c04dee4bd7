//! Printing a notice: the document exactly as issued (stored HTML, never re-rendered), on A4.
//! The first printing is the original; every later one is recorded and stamped 补打. A decision of
//! a delivered case also shows the 服务评价 slip (rating code and QR code) in the applicant's copy:
//! added on the page, the stored document is unchanged.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use rules::supervision::RatedSubject;

use crate::{
    api::{
        ApiError,
        notices::{self, NoticeKind, NoticeSummary},
    },
    components::{
        feedback::{ErrorBox, Loading},
        rating_slip::RatingSlipFor,
        suspend::suspend,
    },
};

/// The case whose rating code a printed decision carries: the code is given once the case is
/// delivered, so a decision printed before that carries none (the server refuses; nothing shows).
fn rated_case(notice: &NoticeSummary) -> Option<i64> {
    matches!(
        notice.kind,
        NoticeKind::ApprovalDecision | NoticeKind::DenialDecision
    )
    .then_some(notice.case_id)
    .flatten()
}

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
                                <p class="muted">{format!("存档校验码：{}", n.summary.sha256)}</p>
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
                            {rated_case(&n.summary)
                                .map(|id| {
                                    view! {
                                        <RatingSlipFor
                                            subject=RatedSubject::Case
                                            subject_id=id
                                            on_notice=true
                                            quiet=true
                                        />
                                    }
                                })}
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}
