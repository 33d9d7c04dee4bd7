//! `/supervisor/tickets/:id` and `/supervisor/bookings/:id`: where the drill-down ends when a
//! problem or a rating is about a ticket or a booking (read-only; a case has its own page).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::{
        ApiError, Role,
        records::{self, BookingRecord, TicketRecord},
    },
    components::{
        feedback::{ErrorBox, Loading},
        guard::RequireRole,
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
    pages::supervision::SupervisorPanel,
};

/// A moment in the hall's time, or a dash when it did not happen.
fn when(t: Option<DateTime<Utc>>) -> String {
    let clock = HallClock::get();
    t.map_or_else(|| "—".into(), |t| format::date_time(clock.to_local(t)))
}

fn or_dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "—".into())
}

/// The `:id` of the route, refused in the browser when it is not a number.
fn id_param() -> impl Fn() -> Result<i64, ApiError> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()))
            .ok_or_else(|| ApiError {
                code: "not_found".into(),
                message: "没有这条记录".into(),
                field: None,
                status: 404,
                problems: Vec::new(),
            })
    }
}

#[component]
fn Facts(rows: Vec<(&'static str, String)>) -> impl IntoView {
    view! {
        <dl class="facts">
            {rows
                .into_iter()
                .map(|(label, value)| {
                    view! {
                        <dt>{label}</dt>
                        <dd>{value}</dd>
                    }
                })
                .collect_view()}
        </dl>
    }
}

#[component]
fn TicketBody(t: TicketRecord) -> impl IntoView {
    let priority = if t.priority { "是" } else { "否" };
    let rows = vec![
        ("号码", t.number.clone()),
        ("日期", format::date(t.day)),
        ("服务中心", t.center_name.clone()),
        ("单位", t.unit_name.clone()),
        ("事项编码", or_dash(t.item_code.clone())),
        ("优先", priority.to_string()),
        ("状态", t.status_label.clone()),
        ("取号时间", when(Some(t.issued_at))),
        ("叫号时间", when(t.called_at)),
        ("重呼次数", t.recalls.to_string()),
        ("窗口", or_dash(t.window_name.clone())),
        ("叫号人", or_dash(t.called_by_name.clone())),
        ("开始办理", when(t.serve_started_at)),
        ("办结时间", when(t.serve_ended_at)),
        ("办理人", or_dash(t.served_by_name.clone())),
        ("未到登记", when(t.no_show_at)),
    ];
    let booking = t.booking_id.map(|id| {
        view! {
            <p>
                <a href=format!("/supervisor/bookings/{id}")>"查看预约记录"</a>
            </p>
        }
    });
    let reassignments = (!t.reassignments.is_empty()).then(|| {
        view! {
            <h2>"无法办理与改派"</h2>
            <ul class="cards">
                {t
                    .reassignments
                    .iter()
                    .map(|r| {
                        let line = format!(
                            "{} · {}（{}）",
                            when(Some(r.created_at)),
                            r.reason,
                            or_dash(r.from_name.clone()),
                        );
                        let decided = match &r.assigned_name {
                            Some(n) => format!("改派给 {n}，{}", when(r.decided_at)),
                            None => "待首席代表安排".to_string(),
                        };
                        view! {
                            <li class="card">
                                <p>{line}</p>
                                <p class="muted">{decided}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    let extended = (!t.extended_services.is_empty()).then(|| {
        view! {
            <h2>"延时服务"</h2>
            <ul class="cards">
                {t
                    .extended_services
                    .iter()
                    .map(|e| {
                        let line = format!(
                            "{} · {} · {}",
                            e.kind_label,
                            or_dash(e.staff_name.clone()),
                            when(Some(e.started_at)),
                        );
                        let end = format!("结束：{}", when(e.ended_at));
                        view! {
                            <li class="card">
                                <p>{line}</p>
                                <p class="muted">{end}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <Facts rows=rows />
        {booking}
        {reassignments}
        {extended}
    }
}

/// `/supervisor/tickets/:id`: one ticket's day in the hall.
#[component]
pub fn TicketRecordPage() -> impl IntoView {
    let id = id_param();
    view! {
        <Title text="号票记录" />
        <RequireRole
            role=Role::Supervisor
            render=move |_me| {
                let data = Resource::new(id, |id| async move { records::ticket(id?).await });
                view! {
                    <SupervisorPanel title="号票记录">
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                match data.await {
                                    Ok(t) => view! { <TicketBody t=t /> }.into_any(),
                                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                }
                            })}
                        </Suspense>
                    </SupervisorPanel>
                }
            }
        />
    }
}

#[component]
fn BookingBody(b: BookingRecord) -> impl IntoView {
    let clock = HallClock::get();
    let slot = format!(
        "{} {}",
        format::date(b.slot_day),
        format::time_range(
            clock.to_local(b.slot_start_at).time(),
            clock.to_local(b.slot_end_at).time(),
        ),
    );
    let rows = vec![
        ("预约码", b.code.clone()),
        ("服务中心", b.center_name.clone()),
        ("单位", or_dash(b.unit_name.clone())),
        ("事项编码", b.item_code.clone()),
        ("预约人", b.name.clone()),
        ("手机号", b.phone_masked.clone()),
        ("预约时段", slot),
        ("状态", b.status_label.clone()),
        ("预约时间", when(Some(b.created_at))),
        ("取消时间", when(b.cancelled_at)),
        ("到场时间", when(b.arrived_at)),
        ("爽约登记", when(b.no_show_at)),
    ];
    let ticket = b.ticket_id.map(|id| {
        view! {
            <p>
                <a href=format!("/supervisor/tickets/{id}")>"查看号票记录"</a>
            </p>
        }
    });
    view! {
        <Facts rows=rows />
        {ticket}
    }
}

/// `/supervisor/bookings/:id`: one booking and what became of it.
#[component]
pub fn BookingRecordPage() -> impl IntoView {
    let id = id_param();
    view! {
        <Title text="预约记录" />
        <RequireRole
            role=Role::Supervisor
            render=move |_me| {
                let data = Resource::new(id, |id| async move { records::booking(id?).await });
                view! {
                    <SupervisorPanel title="预约记录">
                        <Suspense fallback=Loading>
                            {move || suspend(async move {
                                match data.await {
                                    Ok(b) => view! { <BookingBody b=b /> }.into_any(),
                                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                }
                            })}
                        </Suspense>
                    </SupervisorPanel>
                }
            }
        />
    }
}
