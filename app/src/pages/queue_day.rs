//! The chief representative ends the hall's queue for the day (结束今日叫号) once everyone who
//! took a ticket has been served (Seed §二(四)一: 当天已经叫号且正在等待办理的群众…延时办理完毕),
//! and reopens it after a close by mistake. The server refuses a close while anyone waits.

use leptos::prelude::*;

use crate::{
    api::{ApiError, events::Topic, queue},
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        live::{LiveRefresh, RefreshAt},
        suspend::suspend,
    },
};

/// The refusal code of a day the chief ended (`TicketRefusal::DayClosed`).
const CLOSED: &str = "day_closed";
/// The refusal code once the day's ticket time is over (`TicketRefusal::AfterCutoff`).
const AFTER_CUTOFF: &str = "after_cutoff";
const CUT_OFF_TEXT: &str =
    "今日取号时间已过，取号机不再发号。已取号的群众全部办理完毕后，可结束今日叫号。";
const OPEN_TEXT: &str = "取号进行中。全部群众办理完毕后，可结束今日叫号。";
const AFTER_ALL: &str = "全部办理完毕后才能结束今日叫号。";
const CLOSE_WARNING: &str =
    "结束后本中心各单位的取号机今日都不再发号。仍有群众等候或正在办理时不能结束。";
/// Said too while the kiosk still issues tickets: a chief ended the whole center's day at 09:39
/// with seven hours of opening time left, for every unit of the hall.
const STILL_OPEN_WARNING: &str = "现在仍在取号时间内：结束后，今天来的群众都不能再取号，\
    只能改日办理或预约下班后办理。只有全厅今日停止对外服务时才应提前结束。";

#[derive(Clone, Copy, PartialEq)]
enum DayAct {
    Close,
    Reopen,
}

async fn act(center_id: i64, what: DayAct) -> Result<String, ApiError> {
    match what {
        DayAct::Close => queue::close_day(center_id)
            .await
            .map(|_| "今日叫号已结束，取号机不再发号".into()),
        DayAct::Reopen => queue::reopen_day(center_id)
            .await
            .map(|_| "已重新开放今日取号".into()),
    }
}

/// Today's queue of the chief's center: open or closed, and the act that ends or reopens it,
/// the end only after a second look (it stops the kiosk for the day).
#[component]
pub fn QueueDayPanel(center_id: i64) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let today = Resource::new(move || version.get(), move |_| queue::queues(center_id));
    let confirming = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    let action = Action::new(move |what: &DayAct| act(center_id, *what));
    Effect::new(move |_| {
        if let Some(outcome) = action.value().get() {
            result.set(Some(outcome));
            confirming.set(false);
            version.update(|v| *v += 1);
        }
    });
    let start = move |what: DayAct| {
        result.set(None);
        action.dispatch(what);
    };
    view! {
        <LiveRefresh topics=&[Topic::Queue] version=version />
        <section class="panel" aria-labelledby="queue-day-title">
            <h2 id="queue-day-title">"今日叫号"</h2>
            <ActionResult message=result />
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    match today.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(list) => {
                            let closed_by_chief = list.closed_code.as_deref() == Some(CLOSED);
                            let issuing = list.closed_reason.is_none();
                            // Everyone waiting is served first (Seed §二(四)一): the button says
                            // so instead of offering a close the server will refuse.
                            let waiting: u32 = list.queues.iter().map(|q| q.waiting).sum();
                            let blocked = (waiting > 0)
                                .then(|| {
                                    format!("还有 {waiting} 位群众在等候，{AFTER_ALL}")
                                });
                            // The reason is written for citizens (请在下一个办公日再来); the chief
                            // is told what it means for the day's queue.
                            let status = match (&list.closed_reason, list.closed_code.as_deref()) {
                                (None, _) => OPEN_TEXT.to_owned(),
                                (Some(_), Some(AFTER_CUTOFF)) => CUT_OFF_TEXT.to_owned(),
                                (Some(reason), _) => format!("{reason}。"),
                            };
                            view! {
                                <RefreshAt at=list.changes_at version=version />
                                <p>{status}</p>
                                {if closed_by_chief {
                                    view! {
                                        <button
                                            type="button"
                                            class="button ghost"
                                            on:click=move |_| start(DayAct::Reopen)
                                        >
                                            "重新开放今日取号"
                                        </button>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <div hidden=move || confirming.get()>
                                            {blocked
                                                .clone()
                                                .map(|b| {
                                                    view! {
                                                        <p id="close-day-blocked" class="muted">
                                                            {b}
                                                        </p>
                                                    }
                                                })}
                                            <button
                                                type="button"
                                                class="button ghost"
                                                disabled=blocked.is_some()
                                                aria-describedby=blocked
                                                    .is_some()
                                                    .then_some("close-day-blocked")
                                                on:click=move |_| {
                                                    result.set(None);
                                                    confirming.set(true);
                                                }
                                            >
                                                "结束今日叫号"
                                            </button>
                                        </div>
                                        <div class="stack" hidden=move || !confirming.get()>
                                            <p class="warn-box" role="note">
                                                {CLOSE_WARNING}
                                                {issuing.then_some(STILL_OPEN_WARNING)}
                                            </p>
                                            <div class="row">
                                                <button
                                                    type="button"
                                                    class="button danger"
                                                    on:click=move |_| start(DayAct::Close)
                                                >
                                                    "确认结束今日叫号"
                                                </button>
                                                <button
                                                    type="button"
                                                    class="button ghost"
                                                    on:click=move |_| confirming.set(false)
                                                >
                                                    "取消"
                                                </button>
                                            </div>
                                        </div>
                                    }
                                        .into_any()
                                }}
                            }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
