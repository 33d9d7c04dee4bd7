//! 取号机: the hall's kiosk (a tablet by the door) issues queue tickets — one big button per queue,
//! each a plain form posting to `/kiosk/ticket`, so a kiosk whose script failed still works. The
//! ticket page shows the number, how many are ahead and the estimate, and follows the call live.

use leptos::prelude::*;

use crate::api::events::Topic;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::queue::{self, QueueView, TicketView},
    components::{
        feedback::{ErrorBox, Loading, unreadable_form},
        hall_clock::HallClock,
        hall_closed::{HallClosedNotice, queues_with_booking_qr},
        live::{LiveRefresh, RefreshAt},
        suspend::suspend,
    },
    pages::public::{center_choice::CenterChoice, one_time_notice::PrintButton},
};

/// The fixed message for a refusal code sent back by the kiosk form handler.
fn refusal_message(code: &str) -> &'static str {
    match code {
        "closed_today" => "今天不办公，请在办公日前来取号，或在网上预约办理。",
        "before_opening" => "大厅尚未开始办公，请在办公时间取号，或在网上预约办理。",
        "after_cutoff" | "day_closed" => {
            "今日取号已截止。已取号的群众会全部办完；您可以在网上预约下班后办理。"
        }
        "unknown_queue" | "unknown_center" => "没有这个队列，请重新选择。",
        "too_many_requests" => "这台设备取号过于频繁，请稍后再试，或到咨询台取号。",
        "too_many_tickets" => "这部手机一小时内取号已达上限，请到大厅取号机或咨询台取号。",
        "unknown_kiosk" => "取号机登记码不正确或已停用，请联系系统管理员。",
        _ => unreadable_form(code).unwrap_or("暂时无法取号，请咨询大厅工作人员。"),
    }
}

/// Seconds without a touch after which the kiosk goes back to its start screen.
pub(crate) const IDLE_SECONDS: u32 = 60;

/// The idle timeout a kiosk was opened with (`?idle=`, 10 to 600 seconds), else one minute.
pub(crate) fn idle_seconds(param: Option<&str>) -> u32 {
    param
        .and_then(|v| v.trim().parse::<u32>().ok())
        .filter(|s| (10..=600).contains(s))
        .unwrap_or(IDLE_SECONDS)
}

/// The kiosk's start screen for `center`, keeping a timeout other than the default.
pub(crate) fn start_href(center: Option<i64>, idle: u32) -> String {
    let mut pairs = Vec::new();
    if let Some(c) = center {
        pairs.push(format!("center={c}"));
    }
    if idle != IDLE_SECONDS {
        pairs.push(format!("idle={idle}"));
    }
    if pairs.is_empty() {
        "/kiosk".into()
    } else {
        format!("/kiosk?{}", pairs.join("&"))
    }
}

/// "约 12 分钟" or, with nobody ahead, "无需等候".
pub(crate) fn wait_text(ahead: u32, minutes: u32) -> String {
    if ahead == 0 {
        "无需等候".into()
    } else {
        format!("前面 {ahead} 人，约 {minutes} 分钟")
    }
}

#[component]
pub fn Kiosk() -> impl IntoView {
    let query = use_query_map();
    let center = move || {
        query
            .with(|q| q.get("center"))
            .and_then(|c| c.parse::<i64>().ok())
    };
    let error = move || query.with(|q| q.get("error"));
    let idle = move || idle_seconds(query.with(|q| q.get("idle")).as_deref());
    // A refusal stays on screen until the next touch, or the idle timeout clears it.
    let home = Signal::derive(move || start_href(center(), idle()));
    view! {
        <Title text="取号" />
        {move || error().is_some().then(|| view! { <ReturnToStart home=home seconds=idle() /> })}
        <div class="kiosk">
            {move || match center() {
                None => {
                    view! {
                        <h1>"取号：请选择服务中心"</h1>
                        <CenterChoice link=|id| format!("/kiosk?center={id}") />
                    }
                        .into_any()
                }
                Some(id) => {
                    view! {
                        {error()
                            .map(|code| {
                                view! {
                                    <div class="error-box" role="alert">
                                        <p>{refusal_message(&code)}</p>
                                    </div>
                                }
                            })}
                        <QueueButtons center_id=id idle=idle() />
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

#[component]
fn QueueButtons(center_id: i64, idle: u32) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let queues = Resource::new(
        move || version.get(),
        move |_| queues_with_booking_qr(center_id),
    );
    // The kiosk says whose it is: a citizen at a town's machine saw no name.
    let centers = Resource::new(|| (), |_| crate::api::org::public_centers());
    let name = move || {
        centers
            .get()
            .and_then(Result::ok)
            .and_then(|l| l.centers.into_iter().find(|c| c.id == center_id))
            .map(|c| c.name)
    };
    view! {
        <LiveRefresh topics=&[Topic::Queue] version=version />
        <Suspense fallback=|| ()>
            {move || name().map(|n| view! { <p class="kiosk-center">{n}</p> })}
        </Suspense>
        <Suspense fallback=Loading>
            {move || suspend(async move {
                match queues.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok((list, qr)) if !list.open_for_tickets => {
                        // No "choose your business" over a notice that no ticket can be taken.
                        view! {
                            <RefreshAt at=list.changes_at version=version />
                            <h1>"取号"</h1>
                            <div class="kiosk-closed">
                                <HallClosedNotice list=list qr=qr screen=true />
                            </div>
                        }
                            .into_any()
                    }
                    Ok((list, _)) => {
                        view! {
                            <RefreshAt at=list.changes_at version=version />
                            <h1>"请选择要办理的业务，取号"</h1>
                            <ul class="kiosk-queues">
                                {list
                                    .queues
                                    .into_iter()
                                    .map(|q| {
                                        view! {
                                            <QueueButton center_id=center_id idle=idle queue=q />
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

#[component]
fn QueueButton(center_id: i64, idle: u32, queue: QueueView) -> impl IntoView {
    view! {
        <li>
            <form method="post" action="/kiosk/ticket">
                <input type="hidden" name="center" value=center_id.to_string() />
                {(idle != IDLE_SECONDS)
                    .then(|| view! { <input type="hidden" name="idle" value=idle.to_string() /> })}
                <input type="hidden" name="queue" value=queue.id.to_string() />
                <button type="submit" class="kiosk-button">
                    <span class="kiosk-letter" aria-hidden="true">
                        {queue.letter.clone()}
                    </span>
                    <span class="kiosk-name">{queue.name.clone()}</span>
                    <span class="kiosk-wait">{queue.wait_label()}</span>
                </button>
            </form>
        </li>
    }
}

fn status_text(t: &TicketView) -> String {
    use rules::TicketStatus as S;
    match t.status {
        S::Waiting => wait_text(t.ahead, t.estimate_minutes),
        S::Called => format!(
            "请到 {} 号窗口",
            t.window_number.clone().unwrap_or_default()
        ),
        S::Serving => format!(
            "正在 {} 号窗口办理",
            t.window_number.clone().unwrap_or_default()
        ),
        S::Done => "已办结".into(),
        S::NoShow => "已过号，请咨询大厅工作人员".into(),
        S::Reassigning => "正在为您安排其他工作人员，请稍候".into(),
    }
}

#[component]
pub fn KioskTicket() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let idle = idle_seconds(query.with_untracked(|q| q.get("idle")).as_deref());
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|v| v.parse::<i64>().ok())
    };
    let version = RwSignal::new(0u32);
    let ticket = Resource::new(
        move || (id(), version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => Some(queue::ticket(id).await),
                None => None,
            }
        },
    );
    let clock = HallClock::get();
    let scripted = crate::components::scripted();
    // Outside the Suspense: a live refresh of the ticket must not restart the idle timeout.
    let home = Signal::derive(move || {
        let center = ticket
            .get()
            .flatten()
            .and_then(Result::ok)
            .map(|t| t.center_id);
        start_href(center, idle)
    });
    view! {
        <Title text="您的号码" />
        <LiveRefresh topics=&[Topic::Queue] version=version />
        <ReturnToStart home=home seconds=idle />
        <div class="kiosk">
            <h1 class="sr-only">"您的号码"</h1>
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    match ticket.await {
                        None => {
                            view! {
                                <p class="error-box" role="alert">
                                    "号码不存在"
                                </p>
                            }
                                .into_any()
                        }
                        Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
                        Some(Ok(t)) => {
                            view! {
                                <article class="ticket-slip" aria-labelledby="ticket-number">
                                    <p class="ticket-queue">
                                        {t.queue_name.clone()}
                                        {t.priority.then_some("（预约优先）")}
                                    </p>
                                    <p class="ticket-number" id="ticket-number">
                                        {t.number.clone()}
                                    </p>
                                    <p class="ticket-status" role="status">
                                        {status_text(&t)}
                                    </p>
                                    <p class="muted">
                                        {format!(
                                            "取号时间 {}",
                                            crate::format::date_time(clock.to_local(t.issued_at)),
                                        )}
                                    </p>
                                    <p class="hint">
                                        "请留意大厅叫号屏和语音叫号。过号请咨询工作人员。今日取号的\
                                            群众都会办完再下班。"
                                    </p>
                                </article>
                                <div class="row wrap no-print kiosk-actions">
                                    <PrintButton label="打印号票" />
                                    <a class="button big" href=start_href(Some(t.center_id), idle)>
                                        "返回取号"
                                    </a>
                                </div>
                                <p class="muted no-print kiosk-hint">
                                    {move || {
                                        if scripted.get() {
                                            format!(
                                                "打印号票后，或 {idle} 秒无人操作，\
                                                 本机自动回到取号首页。",
                                            )
                                        } else {
                                            "请记下或截图保存号码。".to_string()
                                        }
                                    }}
                                </p>
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

/// Takes the kiosk back to its start screen (`home`) after `seconds` without a touch, a key or
/// a tap, and as soon as a ticket has been printed. Renders nothing; on the server it does nothing.
#[component]
fn ReturnToStart(home: Signal<String>, seconds: u32) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    watch_idle(home, seconds);
    #[cfg(not(feature = "hydrate"))]
    let _ = (home, seconds);
}

#[cfg(feature = "hydrate")]
fn watch_idle(home: Signal<String>, seconds: u32) {
    use std::{cell::RefCell, rc::Rc};

    use gloo_timers::callback::Timeout;
    use send_wrapper::SendWrapper;
    use wasm_bindgen::{JsCast, closure::Closure};

    let Some(window) = web_sys::window() else {
        return;
    };
    let go_home = move || {
        if let Some(w) = web_sys::window() {
            let _ = w.location().replace(&home.get_untracked());
        }
    };
    let timer: Rc<RefCell<Option<Timeout>>> = Rc::default();
    let arm = {
        let timer = Rc::clone(&timer);
        move || {
            *timer.borrow_mut() = Some(Timeout::new(seconds.saturating_mul(1000), go_home));
        }
    };
    arm();
    let on_touch = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| arm());
    let on_printed = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| go_home());
    const TOUCHES: [&str; 4] = ["pointerdown", "touchstart", "keydown", "input"];
    for name in TOUCHES {
        let _ = window.add_event_listener_with_callback(name, on_touch.as_ref().unchecked_ref());
    }
    let _ =
        window.add_event_listener_with_callback("afterprint", on_printed.as_ref().unchecked_ref());
    let held = SendWrapper::new((window, on_touch, on_printed, timer));
    on_cleanup(move || {
        let (window, on_touch, on_printed, timer) = held.take();
        for name in TOUCHES {
            let _ =
                window.remove_event_listener_with_callback(name, on_touch.as_ref().unchecked_ref());
        }
        let _ = window
            .remove_event_listener_with_callback("afterprint", on_printed.as_ref().unchecked_ref());
        timer.borrow_mut().take();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_ahead_reads_as_no_wait() {
        assert_eq!(wait_text(0, 0), "无需等候");
        assert_eq!(wait_text(3, 12), "前面 3 人，约 12 分钟");
    }

    #[test]
    fn a_kiosk_waits_one_minute_unless_told_otherwise_within_bounds() {
        assert_eq!(idle_seconds(None), 60);
        assert_eq!(idle_seconds(Some("15")), 15);
        assert_eq!(idle_seconds(Some("1")), 60);
        assert_eq!(idle_seconds(Some("x")), 60);
        assert_eq!(start_href(Some(2), 60), "/kiosk?center=2");
        assert_eq!(start_href(Some(2), 15), "/kiosk?center=2&idle=15");
        assert_eq!(start_href(None, 60), "/kiosk");
    }

    #[test]
    fn a_refused_ticket_explains_why_without_echoing_the_url() {
        assert!(refusal_message("after_cutoff").contains("截止"));
        assert!(refusal_message("<b>x</b>").starts_with("暂时无法取号"));
    }
}
