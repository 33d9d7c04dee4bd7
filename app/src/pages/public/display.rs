//! 大厅叫号屏: the hall's TV. The latest call in large figures with the window to go to, the
//! calls before it, and each queue's length and estimate; live over SSE, and spoken in Chinese by
//! the browser's speech synthesis once someone has switched the voice on (browsers only speak
//! after a click on the page).

use leptos::prelude::*;

use crate::api::events::Topic;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::{
    api::queue::{self, CallView, DisplayBoard},
    components::{
        feedback::{ErrorBox, Loading},
        hall_clock::HallClock,
        hall_closed::{HallClosedNotice, queues_with_booking_qr},
        live::{LiveRefresh, RefreshAt},
        suspend::suspend,
    },
    pages::public::center_choice::CenterChoice,
};

/// How many earlier calls the screen lists.
const EARLIER_CALLS: usize = 6;

/// Digits read one by one ("A003" → "A零零三"), as halls announce numbers.
pub(crate) fn spoken_number(number: &str) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    number
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => DIGITS[d as usize].to_string(),
            None => c.to_string(),
        })
        .collect()
}

/// The announcement of a call.
pub(crate) fn announcement(call: &CallView) -> String {
    format!(
        "请{}号，到{}号窗口办理",
        spoken_number(&call.number),
        spoken_number(&call.window_number)
    )
}

/// What identifies one announcement: a recall of the same ticket is announced again.
fn call_key(call: &CallView) -> (i64, i32) {
    (call.ticket_id, call.recalls)
}

#[component]
pub fn CallDisplay() -> impl IntoView {
    let query = use_query_map();
    let center = move || {
        query
            .with(|q| q.get("center"))
            .and_then(|c| c.parse::<i64>().ok())
    };
    let voice = query.with_untracked(|q| q.get("voice")).as_deref() == Some("1");
    view! {
        <Title text="大厅叫号屏" />
        {move || match center() {
            None => {
                view! {
                    <div class="booking">
                        <h1>"叫号屏：请选择服务中心"</h1>
                        <CenterChoice link=|id| format!("/display?center={id}") />
                    </div>
                }
                    .into_any()
            }
            Some(id) => view! { <Board center_id=id voice=voice /> }.into_any(),
        }}
    }
}

#[component]
fn Board(center_id: i64, voice: bool) -> impl IntoView {
    let clock = HallClock::get();
    let version = RwSignal::new(0u32);
    let board = Resource::new(move || version.get(), move |_| queue::display(center_id));
    let open = Resource::new(
        move || version.get(),
        move |_| queues_with_booking_qr(center_id),
    );
    let voice_on = RwSignal::new(voice);
    let latest = Memo::new(move |_| {
        board
            .get()
            .and_then(Result::ok)
            .and_then(|b| b.calls.first().cloned())
    });
    announce_new_calls(latest, voice_on);
    view! {
        <LiveRefresh topics=&[Topic::Queue] version=version />
        <div class="display-page" on:click=|_| full_screen()>
            <header class="display-head">
                <Suspense fallback=|| ()>
                    {move || suspend(async move {
                        board.await.ok().map(|b| view! { <h1>{b.center_name}" · 叫号"</h1> })
                    })}
                </Suspense>
                <p class="display-clock" aria-label="当前时间">
                    {move || clock.local_now().format("%H:%M").to_string()}
                </p>
            </header>
            <Suspense fallback=|| ()>
                {move || suspend(async move {
                    open.await
                        .ok()
                        .map(|(list, qr)| {
                            view! {
                                <RefreshAt at=list.changes_at version=version />
                                <HallClosedNotice list=list qr=qr screen=true />
                            }
                        })
                })}
            </Suspense>
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    match board.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(b) => view! { <BoardBody board=b /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn BoardBody(board: DisplayBoard) -> impl IntoView {
    let mut calls = board.calls.into_iter();
    let latest = calls.next();
    let earlier: Vec<CallView> = calls.take(EARLIER_CALLS).collect();
    view! {
        <section class="display-now" aria-labelledby="now-title" aria-live="polite">
            <h2 id="now-title" class="sr-only">
                "正在叫号"
            </h2>
            {match latest {
                Some(c) => {
                    view! {
                        <p class="display-number" data-testid="display-number">
                            {c.number.clone()}
                        </p>
                        <p class="display-window">
                            {format!("请到 {} 号窗口", c.window_number)}
                        </p>
                    }
                        .into_any()
                }
                None => view! { <p class="display-window">"暂无叫号"</p> }.into_any(),
            }}
        </section>
        <div class="display-grid">
            <section aria-labelledby="earlier-title">
                <h2 id="earlier-title">"刚才叫号"</h2>
                {if earlier.is_empty() {
                    view! { <p class="muted">"—"</p> }.into_any()
                } else {
                    view! {
                        <ul class="display-calls">
                            {earlier
                                .into_iter()
                                .map(|c| {
                                    view! {
                                        <li>
                                            <span class="num">{c.number}</span>
                                            <span>{format!("{} 号窗口", c.window_number)}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
            <section aria-labelledby="queues-title">
                <h2 id="queues-title">"等候情况"</h2>
                <ul class="display-calls">
                    {board
                        .queues
                        .into_iter()
                        .map(|q| {
                            view! {
                                <li>
                                    <span>{format!("{} {}", q.letter, q.name)}</span>
                                    <span>{q.wait_label()}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        </div>
    }
}

/// Speaks each new call (and each recall) once, while the voice is on. The call on screen when
/// the page opens is not spoken: it was announced when it was made.
fn announce_new_calls(latest: Memo<Option<CallView>>, voice_on: RwSignal<bool>) {
    let spoken = StoredValue::new(None::<Option<(i64, i32)>>);
    Effect::new(move |_| {
        let call = latest.get();
        let key = call.as_ref().map(call_key);
        let first = spoken.get_value().is_none();
        if spoken.get_value() == Some(key) {
            return;
        }
        spoken.set_value(Some(key));
        if let (false, Some(call), true) = (first, call, voice_on.get_untracked()) {
            speak(&announcement(&call));
        }
    });
}

/// Asks the browser to show the board full screen (it does so only after a touch).
fn full_screen() {
    #[cfg(feature = "hydrate")]
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // Refused when already full screen or not allowed: the board fills the window anyway.
        let _ = root.request_fullscreen();
    }
}

#[cfg(feature = "hydrate")]
fn speak(text: &str) {
    let Some(synth) = web_sys::window().and_then(|w| w.speech_synthesis().ok()) else {
        return;
    };
    if let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(text) {
        utterance.set_lang("zh-CN");
        utterance.set_rate(0.9);
        synth.speak(&utterance);
    }
}

#[cfg(not(feature = "hydrate"))]
fn speak(_text: &str) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_digit_by_digit() {
        assert_eq!(spoken_number("A003"), "A零零三");
        assert_eq!(spoken_number("A01"), "A零一");
    }

    #[test]
    fn a_call_is_announced_with_its_window() {
        let call = CallView {
            ticket_id: 1,
            number: "B012".into(),
            window_number: "B02".into(),
            called_at: chrono::Utc::now(),
            recalls: 0,
        };
        assert_eq!(announcement(&call), "请B零一二号，到B零二号窗口办理");
    }
}
