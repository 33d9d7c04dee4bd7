//! The hall is closed: the kiosk, the call display and the window's queue panel say so, when
//! tickets can next be taken, and (for citizens) how to book an after-hours appointment.

use leptos::prelude::*;

use super::hall_clock::HallClock;
use crate::{
    api::{
        ApiError,
        org::{self, BookingQr},
        queue::{self, QueueList},
    },
    format,
};

/// A center's queues and, while no ticket can be taken, the QR code of its booking page (read in
/// the same call, so that a page creates one resource for both). A code that cannot be read
/// only leaves the code out.
pub async fn queues_with_booking_qr(
    center_id: i64,
) -> Result<(QueueList, Option<BookingQr>), ApiError> {
    let list = queue::queues(center_id).await?;
    let qr = if list.open_for_tickets {
        None
    } else {
        org::booking_qr(center_id).await.ok()
    };
    Ok((list, qr))
}

/// "2026年3月5日（星期四） 09:00": when tickets can next be taken, in hall time.
fn next_opening_text(clock: HallClock, list: &QueueList) -> Option<String> {
    Some(format::date_time(clock.to_local(list.opens_at?)))
}

/// Shown while `list` says no ticket can be taken; nothing otherwise. `for_staff` leaves out the
/// booking hint and reminds the window that tickets already issued are all served.
#[component]
pub fn HallClosedNotice(
    list: QueueList,
    #[prop(optional)] for_staff: bool,
    /// On the hall's own devices — the call display (nobody taps a TV) and the kiosk (a link
    /// would leave it on the public site): the booking page by QR code only, no link.
    #[prop(optional)]
    screen: bool,
    /// The booking page's QR code, shown to citizens.
    #[prop(optional_no_strip)]
    qr: Option<BookingQr>,
) -> impl IntoView {
    let clock = HallClock::get();
    (!list.open_for_tickets).then(|| {
        let reason = list
            .closed_reason
            .clone()
            .unwrap_or_else(|| "现在不能取号".into());
        let next = next_opening_text(clock, &list);
        view! {
            <section class="hall-closed" aria-labelledby="hall-closed-title">
                <h2 id="hall-closed-title">"现在不能取号"</h2>
                <p>{reason}</p>
                {next
                    .map(|n| {
                        view! {
                            <p class="hall-closed-next">{format!("下次开放取号：{n}")}</p>
                        }
                    })}
                {if for_staff {
                    view! { <p>"已取号的群众须全部办理完毕。"</p> }.into_any()
                } else {
                    view! {
                        {if screen {
                            view! {
                                <p>
                                    "下班后办事，可用手机扫描二维码预约延时服务。"
                                </p>
                            }
                                .into_any()
                        } else {
                            view! {
                                <p>
                                    "下班后办事，可用手机预约延时服务："
                                    <a href="/booking">"预约办理"</a>
                                </p>
                            }
                                .into_any()
                        }}
                        {qr
                            .map(|qr| {
                                view! {
                                    <figure class="booking-qr">
                                        <div
                                            class="booking-qr-code"
                                            role="img"
                                            aria-label="预约办理页面的二维码"
                                            inner_html=qr.svg
                                        ></div>
                                        <figcaption>
                                            "手机扫码，预约下班后办理"
                                        </figcaption>
                                    </figure>
                                }
                            })}
                    }
                        .into_any()
                }}
            </section>
        }
    })
}
