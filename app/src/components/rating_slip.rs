//! 服务评价: the rating code of a served ticket, delivered case or kept appointment as the citizen
//! receives it — the service it rates (the ticket number, the case number, the booking code and
//! time), the code in large letters, the rating page's QR code (drawn by the server) and the words
//! that ask for a rating — with a button that prints just this slip. On a printed notice the same
//! slip goes into the applicant's copy, so that the paper taken home carries it.

use leptos::{html, prelude::*};
use leptos_router::{
    NavigateOptions,
    hooks::{use_navigate, use_query_map},
};
use rules::supervision::RatedSubject;

use super::{feedback::ErrorBox, suspend::suspend};
use crate::api::supervision::{self, RatingCodeView};

/// What the slip says to the citizen.
pub const ASK: &str = "请扫码，或打开评价页输入评价码，对本次服务进行评价";

/// Prints the slip alone: the page is marked while the print dialog is open, and the print
/// styles hide everything else (`html[data-print="rating-slip"]`).
fn print_slip() {
    #[cfg(feature = "hydrate")]
    {
        let root = document().document_element();
        if let Some(root) = &root {
            let _ = root.set_attribute("data-print", "rating-slip");
        }
        if let Some(w) = web_sys::window() {
            // Returns once the dialog is closed.
            let _ = w.print();
        }
        if let Some(root) = &root {
            let _ = root.remove_attribute("data-print");
        }
    }
}

/// Puts the slip at the end of the applicant's copy of the notice on this page (the first
/// `.notice-copy`); the stored document itself is not changed.
fn into_applicant_copy(slip: &leptos::web_sys::Element) {
    #[cfg(feature = "hydrate")]
    if let Ok(Some(copy)) = document().query_selector(".print-doc .notice-copy") {
        let _ = copy.append_child(slip);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = slip;
}

/// Scrolls the page just enough to show the whole slip (not at all when it is in view).
fn bring_into_view(slip: &leptos::web_sys::Element) {
    #[cfg(feature = "hydrate")]
    slip.scroll_into_view_with_bool(false);
    #[cfg(not(feature = "hydrate"))]
    let _ = slip;
}

/// "关闭评价码", where the page lets the slip be closed.
fn close_button(on_dismiss: Option<Callback<()>>) -> impl IntoView {
    on_dismiss.map(|done| {
        view! {
            <button type="button" class="button ghost" on:click=move |_| done.run(())>
                "关闭评价码"
            </button>
        }
    })
}

/// The slip of one code.
#[component]
pub fn RatingSlip(
    code: RatingCodeView,
    /// Shown with a button that closes it (the window's queue panel).
    #[prop(optional_no_strip)]
    on_dismiss: Option<Callback<()>>,
    /// Part of a printed notice: no buttons; it moves into the applicant's copy.
    #[prop(optional)]
    on_notice: bool,
    /// Scrolled into view when it appears (a page where it shows far from the button that asked
    /// for it).
    #[prop(optional)]
    reveal: bool,
) -> impl IntoView {
    let slip = NodeRef::<html::Section>::new();
    if reveal {
        Effect::new(move |_| {
            if let Some(el) = slip.get() {
                bring_into_view(&el);
            }
        });
    }
    if on_notice {
        Effect::new(move |_| {
            if let Some(el) = slip.get() {
                into_applicant_copy(&el);
            }
        });
    }
    // 一次一评: a code already used is not offered again (a used code was still printed and
    // shown with "请扫码…进行评价").
    if let Some(at) = code.rated_at {
        if on_notice {
            return ().into_any();
        }
        let when =
            crate::format::date_time(crate::components::hall_clock::HallClock::get().to_local(at));
        return view! {
            <section class="panel rating-slip" aria-label="服务评价" node_ref=slip>
                <h2 class="rating-slip-title">"服务评价"</h2>
                <p data-testid="rating-subject">
                    {format!("{}：{}", code.subject_label, code.reference)}
                </p>
                <p class="ok-box" role="status">
                    {format!("群众已于 {when} 完成评价（一次一评），评价码不再使用。")}
                </p>
                <div class="row wrap no-print">{close_button(on_dismiss)}</div>
            </section>
        }
        .into_any();
    }
    let class = if on_notice {
        "rating-slip on-notice"
    } else {
        "panel rating-slip"
    };
    let buttons = (!on_notice).then(|| {
        view! {
            <div class="row wrap rating-slip-actions no-print">
                <button type="button" class="button primary" on:click=move |_| print_slip()>
                    "打印评价码"
                </button>
                {close_button(on_dismiss)}
            </div>
        }
    });
    view! {
        <section class=class aria-label="服务评价" node_ref=slip>
            <h2 class="rating-slip-title">"服务评价"</h2>
            <p class="rating-slip-subject" data-testid="rating-subject">
                {format!("{}：{}", code.subject_label, code.reference)}
            </p>
            <div class="rating-slip-body">
                <div
                    class="rating-slip-qr"
                    role="img"
                    aria-label="评价页面的二维码"
                    inner_html=code.qr_svg.clone()
                ></div>
                <div class="rating-slip-text">
                    <p class="rating-slip-ask">{ASK}</p>
                    <p class="rating-slip-label">"评价码"</p>
                    <p
                        class="rating-slip-code"
                        data-testid="rating-code"
                        data-code=code.code.clone()
                    >
                        {code.grouped()}
                    </p>
                    <p class="rating-slip-where">
                        "评价页：" <span class="rating-slip-url">{code.entry_url()}</span>
                    </p>
                </div>
            </div>
            {buttons}
        </section>
    }
    .into_any()
}

/// The slip of a served subject, read from the server (which refuses until the service is
/// done). `quiet`: a refusal shows nothing (a notice printed before delivery).
#[component]
pub fn RatingSlipFor(
    subject: RatedSubject,
    subject_id: i64,
    #[prop(optional)] on_dismiss: Option<Callback<()>>,
    #[prop(optional)] on_notice: bool,
    #[prop(optional)] quiet: bool,
    #[prop(optional)] reveal: bool,
) -> impl IntoView {
    let code = Resource::new(
        move || (subject, subject_id),
        |(subject, id)| supervision::rating_code(subject, id),
    );
    view! {
        <Transition fallback=|| ()>
            {move || suspend(async move {
                match code.await {
                    Ok(code) => {
                        view! {
                            <RatingSlip
                                code=code
                                on_dismiss=on_dismiss
                                on_notice=on_notice
                                reveal=reveal
                            />
                        }
                            .into_any()
                    }
                    Err(_) if quiet => ().into_any(),
                    Err(e) => {
                        view! {
                            <section class="panel rating-slip" aria-label="服务评价">
                                <h2 class="rating-slip-title">"服务评价"</h2>
                                <ErrorBox error=e />
                                <div class="row wrap rating-slip-actions no-print">
                                    {close_button(on_dismiss)}
                                </div>
                            </section>
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The slip on a working page (the window's queue panel, the duty desk), kept in the page's
/// address (`?slip=ID`) so that a reload keeps it until the citizen has it.
#[derive(Clone, Copy)]
pub struct SlipInAddress {
    /// The subject whose slip is shown.
    pub shown: Memo<Option<i64>>,
    /// Shows another subject's slip, or none, by replacing the address (not a new history entry).
    pub show: Callback<Option<i64>>,
}

impl SlipInAddress {
    /// `url` gives the page's address with a slip shown, or with none.
    pub fn new(url: impl Fn(Option<i64>) -> String + Send + Sync + 'static) -> Self {
        let query = use_query_map();
        let shown = Memo::new(move |_| query.read().get("slip").and_then(|v| v.parse().ok()));
        let navigate = use_navigate();
        let show = Callback::new(move |id: Option<i64>| {
            navigate(
                &url(id),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        });
        Self { shown, show }
    }
}

/// The slip kept in the address, with its close button; nothing while none is shown.
#[component]
pub fn ShownSlip(
    slip: SlipInAddress,
    subject: RatedSubject,
    #[prop(optional)] reveal: bool,
) -> impl IntoView {
    move || {
        slip.shown.get().map(|id| {
            view! {
                <RatingSlipFor
                    subject=subject
                    subject_id=id
                    reveal=reveal
                    on_dismiss=Callback::new(move |()| slip.show.run(None))
                />
            }
        })
    }
}
