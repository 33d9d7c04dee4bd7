//! 延时预约: the duty clerk's after-hours slots — check in (lateness is recorded), take arrivals
//! into the queue with priority, record no-shows, and book for citizens who phone or come by. A
//! kept appointment's rating slip (好差评) shows once the citizen arrived, to print or read out.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::api::events::Topic;
use leptos_meta::Title;
use rules::supervision::RatedSubject;

use crate::{
    api::{
        ApiError, Me, Role,
        appointments::{
            self, AppointmentView, BookingMethod, BookingRequest, BookingRow, DutyView,
            StaffBookingRequest, StaffSlotView, display_code,
        },
        catalog::{self, CatalogQuery},
        validate::{Checks, Invalid, Problems},
    },
    components::{
        feedback::{ActionResult, ErrorBox, Loading},
        form::{ErrorSummary, FormProblem, SelectField, TextField},
        guard::RequireRole,
        hall_clock::HallClock,
        live::LiveRefresh,
        rating_slip::{ShownSlip, SlipInAddress},
        suspend::suspend,
    },
    format,
};

#[component]
pub fn ClerkAppointments() -> impl IntoView {
    view! {
        <Title text="延时预约" />
        <RequireRole role=Role::Clerk render=|me| view! { <DutyDesk me=me /> } />
    }
}

fn lateness(late: Option<i32>) -> String {
    match late {
        Some(m) if m > 0 => format!("迟到 {m} 分钟"),
        _ => "准时".into(),
    }
}

/// One step on a slot or a booking; a single action runs them all.
#[derive(Clone)]
enum Op {
    CheckIn(i64),
    /// The booking (its id and code) whose citizen came.
    Arrive(i64, String),
    /// The booking (its id and code) whose citizen did not come.
    NoShow(i64, String),
}

/// What a step was about: its refusal shows there, not in a banner above every slot.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Slot(i64),
    Booking(i64),
}

impl Op {
    fn target(&self) -> Target {
        match self {
            Op::CheckIn(slot) => Target::Slot(*slot),
            Op::Arrive(id, _) | Op::NoShow(id, _) => Target::Booking(*id),
        }
    }
}

/// What a step did: the line to show, and the kept booking whose rating slip now shows.
type Done = (String, Option<i64>);

async fn run(op: Op) -> Result<Done, ApiError> {
    match op {
        Op::CheckIn(slot) => appointments::check_in(slot).await.map(|d| {
            (
                format!("已签到（{}，已记录）", lateness(d.late_minutes)),
                None,
            )
        }),
        Op::Arrive(id, code) => appointments::arrive(&code).await.map(|t| {
            let priority = if t.priority { "（预约优先）" } else { "" };
            let message = format!("已取号 {}{priority}，请群众留意叫号", t.number);
            (message, Some(id))
        }),
        Op::NoShow(_, code) => appointments::no_show(&code).await.map(|b| {
            let message = format!(
                "预约 {} 已记为未到",
                display_code(&b.code.unwrap_or_default())
            );
            (message, None)
        }),
    }
}

/// The page's address with the kept booking whose rating slip is shown (`?slip=`, so that a
/// reload keeps it).
fn page_url(slip: Option<i64>) -> String {
    match slip {
        Some(id) => format!("/clerk/appointments?slip={id}"),
        None => "/clerk/appointments".into(),
    }
}

#[component]
fn DutyDesk(me: Me) -> impl IntoView {
    let Some(center) = me.center_id else {
        return view! {
            <h1>"延时预约"</h1>
            <section class="panel">
                <p>"您没有归属的服务中心，请联系系统管理员。"</p>
            </section>
        }
        .into_any();
    };
    let clock = HallClock::get();
    // None follows the hall's today (the page's clock syncs with the server after loading).
    let chosen = RwSignal::new(None::<NaiveDate>);
    let date = Memo::new(move |_| chosen.get().unwrap_or_else(|| clock.local_now().date()));
    let version = RwSignal::new(0u32);
    let slots = Resource::new(
        move || (date.get(), version.get()),
        move |(d, _)| appointments::staff_slots(center, d),
    );
    let result = RwSignal::new(None::<Result<String, ApiError>>);
    // The kept booking whose rating slip is shown: after its arrival, or chosen in its row.
    let slip = SlipInAddress::new(page_url);
    let act = Action::new(|op: &Op| run(op.clone()));
    let target = RwSignal::new(None::<Target>);
    // The booking form's own message: one attempt's messages go when another starts, here or
    // there (a refused check-in stayed beside the next booking's success).
    let recorded = RwSignal::new(None::<Result<String, ApiError>>);
    Effect::new(move |_| {
        if act.pending().get() {
            result.set(None);
            recorded.set(None);
        }
    });
    Effect::new(move |_| {
        if let Some(outcome) = act.value().get() {
            // A refusal shows at the slot or booking it concerns (see `refusal_at`).
            if let Ok((message, kept)) = outcome {
                if kept.is_some() {
                    slip.show.run(kept);
                }
                result.set(Some(Ok(message)));
            }
            version.update(|v| *v += 1);
        }
    });
    let slips = Slips {
        act,
        show: slip.show,
        target,
    };
    let starting_record = Callback::new(move |_: ()| {
        result.set(None);
        target.set(None);
    });
    let me_id = me.staff.id;
    view! {
        <LiveRefresh topics=&[Topic::Appointments, Topic::Queue] version=version />
        <div class="page-head">
            <div>
                <h1>"延时预约"</h1>
                <p class="lead">
                    {format!("{} · {}", me.staff.name, me.center_name.clone().unwrap_or_default())}
                </p>
            </div>
            <div class="field">
                <label for="duty-date">"日期"</label>
                <input
                    id="duty-date"
                    type="date"
                    prop:value=move || date.get().to_string()
                    on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())
                />
            </div>
        </div>
        <p class="muted">{move || format!("{}的延时服务时段", format::date(date.get()))}</p>
        <ActionResult message=result />
        <ShownSlip slip=slip subject=RatedSubject::Appointment reveal=true />
        // Transition keeps the slots on screen while they are re-read after each event.
        <Transition fallback=Loading>
            {move || suspend(async move {
                match slots.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => {
                        view! {
                            <section class="panel">
                                <p class="muted">"这一天没有延时服务时段。"</p>
                            </section>
                        }
                            .into_any()
                    }
                    Ok(list) => {
                        list.into_iter()
                            .map(|s| view! { <SlotPanel data=s me_id=me_id slips=slips /> })
                            .collect_view()
                            .into_any()
                    }
                }
            })}
        </Transition>
        <RecordForm
            center=center
            date=date
            version=version
            result=recorded
            starting=starting_record
        />
    }
    .into_any()
}

/// What a slot's buttons need: the action, the way to show a kept booking's rating slip, and
/// what the last step was about.
#[derive(Clone, Copy)]
struct Slips {
    act: Action<Op, Result<Done, ApiError>>,
    show: Callback<Option<i64>>,
    target: RwSignal<Option<Target>>,
}

impl Slips {
    fn run(self, op: Op) {
        self.target.set(Some(op.target()));
        self.act.dispatch(op);
    }

    /// The refusal of the last step, if it was about `at`.
    fn refusal_at(self, at: Target) -> Signal<Option<String>> {
        Signal::derive(move || match self.act.value().get() {
            Some(Err(e)) if self.target.get() == Some(at) => Some(e.message),
            _ => None,
        })
    }
}

#[component]
fn SlotPanel(data: StaffSlotView, me_id: i64, slips: Slips) -> impl IntoView {
    let clock = HallClock::get();
    let id = data.slot.id;
    let title_id = format!("duty-slot-{id}");
    let booked = data.slot.capacity - data.slot.remaining;
    view! {
        <section class="panel duty-slot" aria-labelledby=title_id.clone()>
            <div class="duty-slot-head">
                <h2 id=title_id
                    .clone()>
                    {format!("{} {}", clock.time_range(data.slot.start, data.slot.end), data.name)}
                </h2>
                <span class="duty-seats">
                    {format!("已约 {booked} / {} 人", data.slot.capacity)}
                </span>
            </div>
            <Roster
                duty=data.duty
                me_id=me_id
                slot_id=id
                title_id=title_id.clone()
                slips=slips
            />
            {if data.bookings.is_empty() {
                view! { <p class="muted">"这个时段还没有预约。"</p> }.into_any()
            } else {
                view! { <Bookings rows=data.bookings slips=slips /> }.into_any()
            }}
        </section>
    }
}

/// The duty roster with check-ins; the signed-in clerk checks in here.
#[component]
fn Roster(
    duty: Vec<DutyView>,
    me_id: i64,
    slot_id: i64,
    title_id: String,
    slips: Slips,
) -> impl IntoView {
    let act = slips.act;
    let refused = slips.refusal_at(Target::Slot(slot_id));
    let clock = HallClock::get();
    let mine_open = duty
        .iter()
        .any(|d| d.staff_id == me_id && d.checked_in_at.is_none());
    let state = move |d: &DutyView| match d.checked_in_at {
        Some(at) => format!(
            "{} 签到，{}",
            clock.to_local(at).format("%H:%M"),
            lateness(d.late_minutes)
        ),
        None => "未签到".into(),
    };
    view! {
        <div class="duty-roster">
            <h3>"值班人员"</h3>
            {if duty.is_empty() {
                view! { <p class="muted">"未排班"</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-inline">
                        {duty
                            .iter()
                            .map(|d| {
                                view! {
                                    <li class:duty-me=d.staff_id == me_id>
                                        <strong>{d.staff_name.clone()}</strong>
                                        <span class="muted">{format!("（{}）", state(d))}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {mine_open
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="button primary"
                            aria-describedby=title_id
                            disabled=move || act.pending().get()
                            on:click=move |_| slips.run(Op::CheckIn(slot_id))
                        >
                            "签到"
                        </button>
                    }
                })}
            {move || {
                refused
                    .get()
                    .map(|m| {
                        let text = format!("签到未成功：{m}");
                        view! { <p class="error-text" role="alert">{text}</p> }
                    })
            }}
        </div>
    }
}

#[component]
fn Bookings(rows: Vec<BookingRow>, slips: Slips) -> impl IntoView {
    view! {
        <table class="table stacked duty-bookings">
            <caption class="sr-only">"预约名单"</caption>
            <thead>
                <tr>
                    <th scope="col">"预约码"</th>
                    <th scope="col">"姓名"</th>
                    <th scope="col">"手机"</th>
                    <th scope="col">"事项"</th>
                    <th scope="col">"方式"</th>
                    <th scope="col">"状态"</th>
                    <th scope="col">"操作"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|b| view! { <BookingLine row=b slips=slips /> })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn BookingLine(row: BookingRow, slips: Slips) -> impl IntoView {
    let act = slips.act;
    let id = row.id;
    let code_text = row.code.clone().unwrap_or_default();
    let shown = display_code(&code_text);
    let status = match &row.ticket_number {
        Some(n) => format!("{}（{n}）", appointments::status_label(row.status)),
        None => appointments::status_label(row.status).to_string(),
    };
    let open = row.status == rules::AppointmentStatus::Booked && row.code.is_some();
    // A kept appointment can be rated: its slip shows on demand (the clerk's own center only).
    let kept = row.status == rules::AppointmentStatus::Arrived && row.code.is_some();
    let code = StoredValue::new(code_text);
    let busy = move || act.pending().get();
    let refused = slips.refusal_at(Target::Booking(id));
    let refused_shown = shown.clone();
    view! {
        <tr>
            <td data-label="预约码" class="duty-code">
                {shown.clone()}
            </td>
            <td data-label="姓名">{row.name.clone()}</td>
            <td data-label="手机">{row.phone_masked.clone()}</td>
            <td data-label="事项">{row.item_name.clone()}</td>
            <td data-label="方式">{row.method.label()}</td>
            <td data-label="状态">{status}</td>
            <td data-label="操作" class="actions">
                {open
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button primary small"
                                aria-label=format!("已到达 {shown}")
                                disabled=busy
                                on:click=move |_| slips.run(Op::Arrive(id, code.get_value()))
                            >
                                "已到达"
                            </button>
                            <button
                                type="button"
                                class="button ghost small"
                                aria-label=format!("未到 {shown}")
                                disabled=busy
                                on:click=move |_| slips.run(Op::NoShow(id, code.get_value()))
                            >
                                "未到"
                            </button>
                        }
                    })}
                {kept
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button small"
                                aria-label=format!("评价码 {shown}")
                                on:click=move |_| slips.show.run(Some(id))
                            >
                                "评价码"
                            </button>
                        }
                    })}
            </td>
        </tr>
        // The refusal under the row it concerns, naming the booking (it showed above every
        // slot, far from the button on a phone).
        {move || {
            refused
                .get()
                .map(|m| {
                    view! {
                        <tr class="row-error">
                            <td colspan="7" role="alert" class="error-text">
                                {format!("预约 {refused_shown}：{m}")}
                            </td>
                        </tr>
                    }
                })
        }}
    }
}

/// A booking taken by phone or at the counter, for a slot of the chosen day. The receipt shows
/// the code and the one-time list of materials to read out or hand over.
#[component]
fn RecordForm(
    center: i64,
    date: Memo<NaiveDate>,
    version: RwSignal<u32>,
    /// This form's message (the desk clears it when a step on a slot starts).
    result: RwSignal<Option<Result<String, ApiError>>>,
    /// Told when this form sends: the desk's own messages go.
    starting: Callback<()>,
) -> impl IntoView {
    let clock = HallClock::get();
    let items = Resource::new(
        || (),
        move |_| {
            catalog::list(CatalogQuery {
                center: Some(center),
                ..Default::default()
            })
        },
    );
    let method = RwSignal::new(BookingMethod::Phone.code().to_string());
    let item = RwSignal::new(String::new());
    let slot = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let open_slots = Resource::new(
        move || (item.get(), date.get(), version.get()),
        move |(item, day, _)| async move {
            if item.is_empty() {
                return Ok(Vec::new());
            }
            appointments::slots(center, &item, day)
                .await
                .map(|l| l.slots)
        },
    );
    let receipt = RwSignal::new(None::<AppointmentView>);
    // What is wrong with the booking, all at once and each at its field (the form said one
    // problem at a time, below the button).
    let problem = FormProblem::default();
    let record = Action::new(|body: &StaffBookingRequest| appointments::record(body.clone()));
    Effect::new(move |_| match record.value().get() {
        Some(Err(e)) if !e.field_messages().is_empty() => problem.set(e),
        Some(Ok(a)) => {
            result.set(Some(Ok(format!(
                "已代为预约，预约码 {}",
                display_code(&a.code)
            ))));
            receipt.set(Some(a));
            for field in [slot, name, phone, id_number] {
                field.set(String::new());
            }
            version.update(|v| *v += 1);
        }
        Some(Err(e)) => result.set(Some(Err(e))),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let today = clock.local_now_untracked().date();
        result.set(None);
        match booking(today, method, item, slot, [name, phone, id_number]) {
            Ok(body) => {
                problem.clear();
                starting.run(());
                record.dispatch(body);
            }
            Err(problems) => problem.set(problems.into()),
        }
    };
    let target = Callback::new(|field: String| {
        let id = match field.as_str() {
            "item_code" => "duty-item",
            "slot_id" => "duty-slot",
            "name" => "duty-name",
            "phone" => "duty-phone",
            "id_number" => "duty-id",
            _ => return None,
        };
        Some(id.to_string())
    });
    let methods = vec![
        (BookingMethod::Phone.code().to_string(), "电话".to_string()),
        (BookingMethod::OnSite.code().to_string(), "现场".to_string()),
    ];
    view! {
        <section class="panel duty-record" aria-labelledby="duty-record-title">
            <h2 id="duty-record-title">"代为预约"</h2>
            <p class="hint">
                {move || {
                    format!(
                        "为来电或到场的群众登记{}的延时服务预约（日期在页面上方更改）。",
                        format::date(date.get()),
                    )
                }}
            </p>
            <Suspense fallback=Loading>
                {move || {
                    let methods = methods.clone();
                    suspend(async move {
                        let items: Vec<(String, String)> = match items.await {
                            Ok(c) => c.items.into_iter().map(|i| (i.code, i.name)).collect(),
                            Err(e) => return view! { <ErrorBox error=e /> }.into_any(),
                        };
                        view! {
                            <form
                                class="duty-form"
                                aria-labelledby="duty-record-title"
                                on:submit=submit
                                novalidate
                            >
                                <ErrorSummary error=problem.signal() target=target />
                                <SelectField
                                    id="duty-method"
                                    label="预约方式"
                                    value=method
                                    options=methods
                                />
                                <SelectField
                                    id="duty-item"
                                    label="办理事项"
                                    value=item
                                    options=items
                                    placeholder="请选择事项"
                                    error=problem.at("item_code")
                                />
                                <Transition fallback=Loading>
                                    {move || suspend(async move {
                                        let options: Vec<(String, String)> = open_slots
                                            .await
                                            .unwrap_or_default()
                                            .iter()
                                            .map(|s| (
                                                s.id.to_string(),
                                                format!(
                                                    "{}（余 {} 位）",
                                                    clock.time_range(s.start, s.end),
                                                    s.remaining,
                                                ),
                                            ))
                                            .collect();
                                        let none = options.is_empty()
                                            && !item.get_untracked().is_empty();
                                        view! {
                                            <SelectField
                                                id="duty-slot"
                                                label="预约时段"
                                                value=slot
                                                options=options
                                                placeholder="请选择时段"
                                                error=problem.at("slot_id")
                                            />
                                            {none
                                                .then(|| {
                                                    view! {
                                                        <p class="hint">
                                                            "这一天没有可预约的时段（已约满或已过预\
                                                                约时间）。"
                                                        </p>
                                                    }
                                                })}
                                        }
                                    })}
                                </Transition>
                                <TextField
                                    id="duty-name"
                                    label="姓名"
                                    value=name
                                    autocomplete="name"
                                    error=problem.at("name")
                                />
                                <TextField
                                    id="duty-phone"
                                    label="手机号码"
                                    value=phone
                                    input_type="tel"
                                    autocomplete="tel"
                                    error=problem.at("phone")
                                />
                                <TextField
                                    id="duty-id"
                                    label="身份证号（选填）"
                                    value=id_number
                                    error=problem.at("id_number")
                                />
                                <div class="duty-submit">
                                    <button
                                        type="submit"
                                        class="button primary big"
                                        disabled=move || record.pending().get()
                                    >
                                        "代为预约"
                                    </button>
                                </div>
                            </form>
                        }
                            .into_any()
                    })
                }}
            </Suspense>
            <ActionResult message=result />
            {move || receipt.get().map(|a| view! { <Receipt booking=a /> })}
        </section>
    }
}

/// The request as typed, checked as the server will check it: every problem at once.
fn booking(
    today: NaiveDate,
    method: RwSignal<String>,
    item: RwSignal<String>,
    slot: RwSignal<String>,
    [name, phone, id_number]: [RwSignal<String>; 3],
) -> Result<StaffBookingRequest, Problems> {
    let mut checks = Checks::default();
    let item_code = item.get_untracked();
    if item_code.is_empty() {
        checks.fail(Invalid::new("required", "item_code", "请选择办理事项"));
    }
    let slot_id = slot.get_untracked().parse();
    let slot_id =
        checks.value(slot_id.map_err(|_| Invalid::new("required", "slot_id", "请选择预约时段")));
    let booking = BookingRequest {
        slot_id,
        item_code,
        name: name.get_untracked(),
        phone: phone.get_untracked(),
        id_number: Some(id_number.get_untracked()).filter(|s| !s.trim().is_empty()),
    };
    let checked = booking.check(today).map(|_| ());
    let method = BookingMethod::from_code(&method.get_untracked()).unwrap_or(BookingMethod::Phone);
    checks.finish_with(checked.map(|()| StaffBookingRequest { booking, method }))
}

#[component]
fn Receipt(booking: AppointmentView) -> impl IntoView {
    let clock = HallClock::get();
    let when = format!(
        "{} {}",
        format::date(clock.to_local(booking.slot.start).date()),
        clock.time_range(booking.slot.start, booking.slot.end)
    );
    view! {
        <div class="duty-receipt">
            <p>
                <strong class="duty-code">
                    {format!("预约码 {}", display_code(&booking.code))}
                </strong>
                {format!(
                    " · {} · {} · {}（{}）",
                    when,
                    booking.item_name,
                    booking.name,
                    booking.method.label(),
                )}
            </p>
            <p>
                "请告知群众：凭预约码和手机号码可查看、取消或改约；到场后向值班人员报到。"
            </p>
            {if booking.materials.is_empty() {
                view! { <p>"该事项无需提交材料。"</p> }.into_any()
            } else {
                view! {
                    <p>"须一次带齐以下材料："</p>
                    <ol class="numbered">
                        {booking
                            .materials
                            .into_iter()
                            .map(|m| {
                                view! {
                                    <li>
                                        <strong>{m.name.clone()}</strong>
                                        {format!(
                                            "：{}（{}）",
                                            m.description(),
                                            m.requirement_label(),
                                        )}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
        </div>
    }
}
