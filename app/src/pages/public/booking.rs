//! 预约办理: a citizen books an after-hours appointment on a phone, one question per screen —
//! center, item, the materials to bring (一次性告知), day, time, then name and phone. Every step is
//! a link or a plain form, so the booking works with JavaScript off; the forms post to the
//! server's `/booking/*` handlers, which redirect back here.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{hooks::use_query_map, params::ParamsMap};

use crate::{
    api::{
        appointments::{self, AppointmentView, SlotView, TypedBooking, display_code},
        catalog::{self, CatalogQuery},
    },
    components::{
        feedback::{ErrorBox, Loading, unreadable_form},
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
    pages::public::{
        center_choice::CenterChoice, guide_item::MaterialsTable, one_time_notice::PrintButton,
    },
};

/// The screens of a booking, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Center,
    Item,
    Materials,
    Day,
    Slot,
    Details,
}

impl Step {
    const COUNT: usize = 6;

    fn number(self) -> usize {
        self as usize + 1
    }

    fn question(self) -> &'static str {
        match self {
            Step::Center => "到哪个服务中心办理？",
            Step::Item => "办理什么事项？",
            Step::Materials => "请先看清需要带的材料",
            Step::Day => "哪一天来？",
            Step::Slot => "什么时间来？",
            Step::Details => "留下您的姓名和手机号码",
        }
    }
}

/// Where the citizen is, read from the query string. Each answer is one parameter, so a step is
/// a plain link and "back" is the same link without the last answer.
#[derive(Debug, Clone, Default, PartialEq)]
struct Progress {
    center: Option<i64>,
    item: Option<String>,
    /// The materials screen has been read.
    read: bool,
    date: Option<NaiveDate>,
    slot: Option<i64>,
}

impl Progress {
    fn from_query(q: &ParamsMap) -> Self {
        let text = |k: &str| {
            q.get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Progress {
            center: text("center").and_then(|v| v.parse().ok()),
            item: text("item"),
            read: text("read").is_some(),
            date: text("date").and_then(|v| v.parse().ok()),
            slot: text("slot").and_then(|v| v.parse().ok()),
        }
    }

    /// The first unanswered question.
    fn step(&self) -> Step {
        match self {
            Progress { center: None, .. } => Step::Center,
            Progress { item: None, .. } => Step::Item,
            Progress { read: false, .. } => Step::Materials,
            Progress { date: None, .. } => Step::Day,
            Progress { slot: None, .. } => Step::Slot,
            _ => Step::Details,
        }
    }

    fn href(&self) -> String {
        let mut pairs = Vec::new();
        if let Some(c) = self.center {
            pairs.push(format!("center={c}"));
        }
        if let Some(i) = &self.item {
            pairs.push(format!("item={}", crate::api::client::encode(i)));
        }
        if self.read {
            pairs.push("read=1".into());
        }
        if let Some(d) = self.date {
            pairs.push(format!("date={d}"));
        }
        if let Some(s) = self.slot {
            pairs.push(format!("slot={s}"));
        }
        if pairs.is_empty() {
            "/booking".into()
        } else {
            format!("/booking?{}", pairs.join("&"))
        }
    }

    /// The previous screen: the last answer taken away.
    fn back(&self) -> Option<Progress> {
        let mut p = self.clone();
        match self.step() {
            Step::Center => return None,
            Step::Item => p.center = None,
            Step::Materials => p.item = None,
            Step::Day => p.read = false,
            Step::Slot => p.date = None,
            Step::Details => p.slot = None,
        }
        Some(p)
    }
}

/// The fixed message for a refusal code the booking handlers send back. Only known codes are
/// turned into text; the URL never supplies the words.
pub(crate) fn refusal_message(code: &str) -> &'static str {
    match code {
        "slot_full" => "这个时段已经约满了，请选择其他时间。",
        "booking_closed" => "这个时段临近开始，已停止预约，请选择其他时间。",
        "slot_past" => "这个时段已经过去了，请选择其他时间。",
        "too_far_ahead" => "这个时段还没有开放预约，请选择近期的时间。",
        "unknown_slot" | "slot_not_for_item" => "没有找到这个时段，请重新选择时间。",
        "slot_not_staffed_for_item" => "这个时段没有办理该事项的值班人员，请选择其他时间。",
        "same_slot" => "新时间与原预约相同，请选择另一个时段。",
        "slot_of_other_center" => {
            "只能改约到原预约的服务中心。到其他中心办理，请取消本预约后重新预约。"
        }
        "duplicate_booking" => {
            "这个手机号码在同一时间已有预约，不能重复预约。可用预约码查看或改约原预约。"
        }
        "duplicate_id_booking" => {
            "这个身份证号码在同一时间已有预约，不能重复预约。可用预约码查看或改约原预约。"
        }
        "name_unreadable" => UNREADABLE_NAME,
        "phone_unreadable" => UNREADABLE_PHONE,
        "id_number_unreadable" => UNREADABLE_ID,
        "invalid_phone" => "手机号码不正确：请填写 11 位手机号码，如 13812345678。",
        "invalid_resident_id" => "身份证号码不正确，请核对后重新填写（也可以不填）。",
        "required" => "请填写姓名。",
        "unknown_item" | "item_not_at_center" | "unknown_center" => {
            "所选的服务中心或事项不能预约，请重新选择。"
        }
        "appointment_not_found" | "not_found" => "没有找到这个预约：请核对预约码和手机号码。",
        "phone_required" => "请填写手机号码。",
        "not_cancellable" => "这个预约已经办理、取消或过期，不能再取消。",
        "not_reschedulable" => "这个预约已经办理、取消或过期，不能再改约。",
        "slot_started" => "预约时段已经开始，不能再取消或改约；请直接到场，或致电服务中心。",
        "too_many_lookups" => "查询过于频繁，请一分钟后再试。",
        "too_many_requests" => "这台设备提交的预约过多，请稍后再试，或致电服务中心预约。",
        "too_many_bookings" => {
            "这个手机号码尚未办理的预约已达上限。请先办理或取消其中不需要的预约，再预约新的时间。"
        }
        _ => unreadable_form(code).unwrap_or("没有办成，请稍后再试；如有疑问请致电服务中心。"),
    }
}

// A field held characters that do not show (a name pasted from a chat with a zero-width space):
// the server gives the text back without them, and the page says so at the field.
const UNREADABLE_NAME: &str =
    "姓名中含有看不见的字符（多为从别处复制带来），已为您去除，请核对后重新提交。";
const UNREADABLE_PHONE: &str =
    "手机号码中含有看不见的字符（多为从别处复制带来），已为您去除，请核对后重新提交。";
const UNREADABLE_ID: &str =
    "身份证号码中含有看不见的字符（多为从别处复制带来），已为您去除，请核对后重新提交。";

/// The field of the details form a refusal concerns, if it concerns one (its message then sits
/// at that field, not above the form).
fn refusal_field(code: &str) -> Option<&'static str> {
    match code {
        "required" | "too_long" | "name_unreadable" => Some("name"),
        "invalid_phone" | "phone_required" | "duplicate_booking" | "too_many_bookings"
        | "phone_unreadable" => Some("phone"),
        "invalid_resident_id" | "id_number_unreadable" | "duplicate_id_booking" => {
            Some("id_number")
        }
        _ => None,
    }
}

fn slot_label(clock: HallClock, slot: &SlotView) -> String {
    format!(
        "{} {}",
        format::date(clock.to_local(slot.start).date()),
        clock.time_range(slot.start, slot.end)
    )
}

/// The slot's day and time, each kept on one line (a phone broke "17:00–" from "19:00").
#[component]
fn SlotWhen(clock: HallClock, of: SlotView) -> impl IntoView {
    view! {
        <span class="nowrap">{format::date(clock.to_local(of.start).date())}</span>
        " "
        <span class="nowrap">{clock.time_range(of.start, of.end)}</span>
    }
}

/// A refusal sent back by a form handler, shown above the question.
#[component]
fn Refusal(code: Option<String>) -> impl IntoView {
    code.map(|code| {
        view! {
            <div class="error-box" role="alert">
                <p>{refusal_message(&code)}</p>
            </div>
        }
    })
}

#[component]
pub fn BookingPage() -> impl IntoView {
    let query = use_query_map();
    let progress = move || query.with(Progress::from_query);
    let error = move || query.with(|q| q.get("error"));
    view! {
        <Title text="预约办理" />
        <div class="booking">
            {move || {
                let p = progress();
                let step = p.step();
                let back = p.back();
                view! {
                    <p class="booking-progress">
                        {format!("第 {} 步，共 {} 步", step.number(), Step::COUNT)}
                    </p>
                    <h1>{step.question()}</h1>
                    // The details step says a field's refusal at that field.
                    <Refusal code=error()
                        .and_then(|codes| {
                            codes
                                .split(',')
                                .find(|c| step != Step::Details || refusal_field(c).is_none())
                                .map(str::to_string)
                        }) />
                    {match step {
                        Step::Center => {
                            view! {
                                <CenterChoice link=|id| {
                                    Progress {
                                        center: Some(id),
                                        ..Progress::default()
                                    }
                                        .href()
                                } />
                            }
                                .into_any()
                        }
                        Step::Item => view! { <ChooseItem progress=p /> }.into_any(),
                        Step::Materials => view! { <ReadMaterials progress=p /> }.into_any(),
                        Step::Day => view! { <ChooseDay progress=p /> }.into_any(),
                        Step::Slot => view! { <ChooseSlot progress=p /> }.into_any(),
                        Step::Details => {
                            view! { <Details progress=p error=error() /> }.into_any()
                        }
                    }}
                    {back
                        .map(|b| {
                            view! {
                                <p>
                                    <a class="button ghost" href=b.href()>
                                        "上一步"
                                    </a>
                                </p>
                            }
                        })}
                }
            }}
            <p class="muted booking-lookup-hint">
                "已经预约过？" <a href="/booking/view">"查看、取消或改约"</a>
            </p>
        </div>
    }
}

#[component]
fn ChooseItem(progress: Progress) -> impl IntoView {
    let center = progress.center;
    let items = Resource::new(
        move || center,
        |center| {
            catalog::list(CatalogQuery {
                center,
                ..CatalogQuery::default()
            })
        },
    );
    view! {
        <Suspense fallback=Loading>
            {move || {
                let progress = progress.clone();
                suspend(async move {
                    match items.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(list) if list.items.is_empty() => {
                            view! {
                                <p class="muted">"这个服务中心暂无可预约的事项。"</p>
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            view! {
                                <ul class="choices">
                                    {list
                                        .items
                                        .into_iter()
                                        .map(|i| {
                                            let next = Progress {
                                                item: Some(i.code.clone()),
                                                ..progress.clone()
                                            };
                                            view! {
                                                <li>
                                                    <a class="choice" href=next.href()>
                                                        <strong>{i.name.clone()}</strong>
                                                        <span>{i.unit_name.clone()}</span>
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
                })
            }}
        </Suspense>
    }
}

#[component]
fn ReadMaterials(progress: Progress) -> impl IntoView {
    let code = progress.item.clone().unwrap_or_default();
    let item = Resource::new(
        move || code.clone(),
        |code| async move { catalog::item(&code).await },
    );
    view! {
        <Suspense fallback=Loading>
            {move || {
                let progress = progress.clone();
                suspend(async move {
                    match item.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(item) => {
                            let next = Progress {
                                read: true,
                                ..progress.clone()
                            };
                            view! {
                                <p class="lead">
                                    <strong>{item.name.clone()}</strong>
                                    {format!(
                                        "（{}）：以下是需要带齐的全部材料，一次告知，不会再让您补别\
                                            的。",
                                        item.unit_name,
                                    )}
                                </p>
                                {if item.no_materials {
                                    view! {
                                        <p>
                                            "本事项无需提交材料，带上身份证件即可。"
                                        </p>
                                    }
                                        .into_any()
                                } else {
                                    view! {
                                        <MaterialsTable
                                            materials=item.materials.clone()
                                            caption="需要带的材料"
                                        />
                                    }
                                        .into_any()
                                }}
                                <p class="muted">{format!("收费：{}", item.fee_label())}</p>
                                <p>
                                    <a class="button primary big" href=next.href()>
                                        "我知道了，选择时间"
                                    </a>
                                </p>
                                <p>
                                    <a href=format!(
                                        "/guide/{}",
                                        crate::api::client::encode(&item.code),
                                    )>"查看本事项的办事指南"</a>
                                </p>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ChooseDay(progress: Progress) -> impl IntoView {
    let center = progress.center.unwrap_or_default();
    let item = progress.item.clone().unwrap_or_default();
    let link = Callback::new(move |date| {
        Progress {
            date: Some(date),
            ..progress.clone()
        }
        .href()
    });
    view! { <DayChoices center=center item=item link=link /> }
}

/// The days of the booking window with slots for an item; full days are shown but cannot be
/// chosen. `link` gives each open day's next page.
#[component]
fn DayChoices(center: i64, item: String, link: Callback<NaiveDate, String>) -> impl IntoView {
    let days = Resource::new(
        move || (center, item.clone()),
        |(center, item)| async move { appointments::days(center, &item).await },
    );
    view! {
        <Suspense fallback=Loading>
            {move || suspend(async move {
                match days.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(list) if list.days.is_empty() => {
                        view! {
                            <p>
                                "近期没有可以预约的时段。可以在办公时间直接到服务中心办理，或致电服\
                                    务中心咨询。"
                            </p>
                        }
                            .into_any()
                    }
                    Ok(list) => {
                        view! {
                            <ul class="choices">
                                {list
                                    .days
                                    .into_iter()
                                    .map(|d| {
                                        let label = format::date(d.date);
                                        if d.remaining > 0 {
                                            view! {
                                                <li>
                                                    <a class="choice" href=link.run(d.date)>
                                                        <strong>{label}</strong>
                                                        <span>{seats_left(d.remaining)}</span>
                                                    </a>
                                                </li>
                                            }
                                                .into_any()
                                        } else {
                                            view! {
                                                <li>
                                                    <span class="choice full" aria-disabled="true">
                                                        <strong>{label}</strong>
                                                        <span>"已约满"</span>
                                                    </span>
                                                </li>
                                            }
                                                .into_any()
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

/// The slots of one day for an item; full ones are shown but cannot be chosen.
fn slot_choices(
    clock: HallClock,
    slots: Vec<SlotView>,
    choose: impl Fn(&SlotView) -> AnyView,
) -> impl IntoView {
    view! {
        <ul class="choices">
            {slots
                .into_iter()
                .map(|s| {
                    if s.remaining > 0 {
                        view! { <li>{choose(&s)}</li> }.into_any()
                    } else {
                        view! {
                            <li>
                                <span class="choice full" aria-disabled="true">
                                    <strong>{clock.time_range(s.start, s.end)}</strong>
                                    <span>"已约满"</span>
                                </span>
                            </li>
                        }
                            .into_any()
                    }
                })
                .collect_view()}
        </ul>
    }
}

fn slots_resource(
    center: i64,
    item: String,
    date: NaiveDate,
) -> Resource<Result<appointments::SlotList, crate::api::ApiError>> {
    Resource::new(
        move || (center, item.clone(), date),
        |(center, item, date)| async move { appointments::slots(center, &item, date).await },
    )
}

#[component]
fn ChooseSlot(progress: Progress) -> impl IntoView {
    let clock = HallClock::get();
    let slots = slots_resource(
        progress.center.unwrap_or_default(),
        progress.item.clone().unwrap_or_default(),
        progress.date.unwrap_or_default(),
    );
    view! {
        <p class="lead">{progress.date.map(format::date)}</p>
        <Suspense fallback=Loading>
            {move || {
                let progress = progress.clone();
                suspend(async move {
                    match slots.await {
                        Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                        Ok(list) if list.slots.is_empty() => {
                            view! {
                                <p>
                                    "这一天已没有可预约的时段，请返回选择其他日期。"
                                </p>
                            }
                                .into_any()
                        }
                        Ok(list) => {
                            slot_choices(
                                    clock,
                                    list.slots,
                                    move |s| {
                                        let next = Progress {
                                            slot: Some(s.id),
                                            ..progress.clone()
                                        };
                                        view! {
                                            <a class="choice" href=next.href()>
                                                <strong>{clock.time_range(s.start, s.end)}</strong>
                                                <span>{seats_left(s.remaining)}</span>
                                            </a>
                                        }
                                            .into_any()
                                    },
                                )
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Details(progress: Progress, error: Option<String>) -> impl IntoView {
    let clock = HallClock::get();
    // A refusal may name several fields at once (`name_required,invalid_phone`).
    let at = |field: &str| {
        let codes = error.as_deref().unwrap_or_default();
        codes
            .split(',')
            .find(|c| refusal_field(c) == Some(field))
            .map(refusal_message)
    };
    let (name_error, phone_error, id_error) = (at("name"), at("phone"), at("id_number"));
    // Every refused field at once, above the form, each linking to its field (plain anchors:
    // the page works without JavaScript).
    let refused: Vec<(&str, &str)> = [
        ("booking-name", name_error),
        ("booking-phone", phone_error),
        ("booking-id", id_error),
    ]
    .into_iter()
    .filter_map(|(id, e)| Some((id, e?)))
    .collect();
    let summary = (!refused.is_empty()).then(|| {
        view! {
            <div class="error-box error-summary" role="alert">
                <p>
                    <strong>"提交未成功，请更正以下问题："</strong>
                </p>
                <ul>
                    {refused
                        .into_iter()
                        .map(|(id, m)| view! { <li><a href=format!("#{id}")>{m}</a></li> })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    let invalid = |e: &Option<&str>| e.is_some().then_some("true");
    let described = |e: &Option<&str>, id: &str, hint: Option<&str>| {
        let mut ids: Vec<String> = hint.map(str::to_string).into_iter().collect();
        if e.is_some() {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let message = |e: Option<&'static str>, id: &'static str| {
        e.map(|m| {
            view! {
                <p id=format!("{id}-error") class="error-text field-error">
                    <span class="sr-only">"错误："</span>
                    {m}
                </p>
            }
        })
    };
    // A refused form comes back with what was typed (given by the server, never in the address).
    let typed = use_context::<TypedBooking>().unwrap_or_default();
    let slots = slots_resource(
        progress.center.unwrap_or_default(),
        progress.item.clone().unwrap_or_default(),
        progress.date.unwrap_or_default(),
    );
    let chosen = progress.slot;
    let hidden = [
        ("center", progress.center.map(|c| c.to_string())),
        ("item", progress.item.clone()),
        ("date", progress.date.map(|d| d.to_string())),
        ("slot", progress.slot.map(|s| s.to_string())),
    ];
    view! {
        <Suspense fallback=Loading>
            {move || suspend(async move {
                let slot = slots
                    .await
                    .ok()
                    .and_then(|l| l.slots.into_iter().find(|s| Some(s.id) == chosen));
                slot.map(|s| {
                    view! {
                        <p class="booking-summary">
                            "预约时间：" <SlotWhen clock=clock of=s />
                        </p>
                    }
                })
            })}
        </Suspense>
        {summary}
        <form method="post" action="/booking/submit" class="stack booking-form" novalidate>
            {hidden
                .into_iter()
                .map(|(name, value)| {
                    view! { <input type="hidden" name=name value=value.unwrap_or_default() /> }
                })
                .collect_view()}
            <div class="field">
                <label for="booking-name">"姓名"</label>
                {message(name_error, "booking-name")}
                <input
                    id="booking-name"
                    name="name"
                    type="text"
                    required
                    maxlength="50"
                    autocomplete="name"
                    aria-invalid=invalid(&name_error)
                    aria-describedby=described(&name_error, "booking-name", None)
                    value=typed.name.clone()
                />
            </div>
            <div class="field">
                <label for="booking-phone">"手机号码"</label>
                {message(phone_error, "booking-phone")}
                <input
                    id="booking-phone"
                    name="phone"
                    type="tel"
                    required
                    inputmode="tel"
                    autocomplete="tel"
                    aria-invalid=invalid(&phone_error)
                    aria-describedby=described(
                        &phone_error,
                        "booking-phone",
                        Some("booking-phone-hint"),
                    )
                    value=typed.phone.clone()
                />
                <p class="hint" id="booking-phone-hint">
                    "用于查看、取消或改约，请填写本人手机号码；可带空格、横线或 +86。"
                </p>
            </div>
            <div class="field">
                <label for="booking-id">"身份证号码（选填）"</label>
                {message(id_error, "booking-id")}
                <input
                    id="booking-id"
                    name="id_number"
                    type="text"
                    maxlength="24"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    aria-invalid=invalid(&id_error)
                    aria-describedby=described(&id_error, "booking-id", None)
                    value=typed.id_number.clone()
                />
            </div>
            <button type="submit" class="button primary big">
                "确认预约"
            </button>
        </form>
    }
}

/// The booking code named by the query string (a page address never carries the phone).
fn code_of(q: &ParamsMap) -> Option<String> {
    let code = q.get("code").map(|c| appointments::normalize_code(&c))?;
    (!code.is_empty()).then_some(code)
}

fn done_message(done: &str) -> Option<&'static str> {
    match done {
        "booked" => Some("预约成功！请记下预约码，按时带齐材料前来。"),
        "cancelled" => Some("已取消预约。"),
        "rescheduled" => Some("已改约，请按新的时间前来。"),
        _ => None,
    }
}

/// The form asking for a booking's code and phone. It posts (the phone never goes into an
/// address); the server remembers the pair for this browser and shows `to`'s page by the code.
#[component]
fn CodeForm(to: &'static str, #[prop(optional)] code: String) -> impl IntoView {
    let phone = use_context::<TypedBooking>()
        .map(|t| t.phone)
        .unwrap_or_default();
    view! {
        <form method="post" action="/booking/lookup" class="stack booking-form">
            <input type="hidden" name="to" value=to />
            <div class="field">
                <label for="lookup-code">"预约码"</label>
                <input
                    id="lookup-code"
                    name="code"
                    type="text"
                    required
                    maxlength="9"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    placeholder="如 K7M2-QX9P"
                    value=code
                />
            </div>
            <div class="field">
                <label for="lookup-phone">"预约时填写的手机号码"</label>
                <input
                    id="lookup-phone"
                    name="phone"
                    type="tel"
                    required
                    inputmode="tel"
                    autocomplete="tel"
                    value=phone
                />
            </div>
            <button type="submit" class="button primary big">
                "查看预约"
            </button>
        </form>
    }
}

type Lookup = Option<Result<AppointmentView, crate::api::ApiError>>;

/// The booking named by the query string's code, with the phone this browser proved for it;
/// `None` until a code is given.
fn booking_by_code(code: impl Fn() -> Option<String> + Send + Sync + 'static) -> Resource<Lookup> {
    Resource::new(code, |code| async move {
        match code {
            Some(code) => Some(appointments::view_held(&code).await),
            None => None,
        }
    })
}

/// The lookup answered that this browser has not proved the phone yet: ask for it, no error.
fn asks_for_phone(e: &crate::api::ApiError) -> bool {
    e.code == "phone_required"
}

#[component]
pub fn BookingLookup() -> impl IntoView {
    let query = use_query_map();
    let code = move || query.with(code_of);
    let booking = booking_by_code(code);
    let done = move || query.with(|q| q.get("done")).and_then(|d| done_message(&d));
    let error = move || query.with(|q| q.get("error"));
    let confirm_cancel = move || query.with(|q| q.get("confirm").as_deref() == Some("cancel"));
    view! {
        <Title text="我的预约" />
        <div class="booking">
            {move || {
                done()
                    .map(|m| {
                        view! {
                            <p class="ok-box" role="status">
                                {m}
                            </p>
                        }
                    })
            }} <Refusal code=error() />
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    match booking.await {
                        None => {
                            view! {
                                <h1>"查看我的预约"</h1>
                                <p class="lead">
                                    "输入预约码和预约时填写的手机号码，可以查看、取消或改约。"
                                </p>
                                <CodeForm to="view" />
                            }
                                .into_any()
                        }
                        Some(Err(e)) => {
                            let code = code().unwrap_or_default();
                            let ask = asks_for_phone(&e);
                            view! {
                                <h1>"查看我的预约"</h1>
                                {(!ask).then(|| view! { <ErrorBox error=e /> })}
                                <CodeForm to="view" code=code />
                            }
                                .into_any()
                        }
                        Some(Ok(a)) => {
                            view! { <BookingCard booking=a confirm_cancel=confirm_cancel() /> }
                                .into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

/// What the holder keeps: the code, when and where, and everything to bring. Printable.
#[component]
fn BookingCard(booking: AppointmentView, confirm_cancel: bool) -> impl IntoView {
    let clock = HallClock::get();
    let a = booking;
    let now = clock.local_now_untracked();
    // A booking whose time has begun is the hall's to settle: it can no longer be moved or
    // cancelled (the buttons were offered and always failed with a generic message).
    let begun = now >= clock.to_local(a.slot.start);
    let over = now >= clock.to_local(a.slot.end);
    let open = a.status == rules::AppointmentStatus::Booked;
    let active = open && !begun;
    let cancelled = a.status == rules::AppointmentStatus::Cancelled;
    let code_query = format!("code={}", crate::api::client::encode(&a.code));
    // The confirmation comes first, where a phone's screen shows it without scrolling (the link
    // also names it, for a browser without the script).
    let confirm = (active && confirm_cancel).then(|| {
        view! {
            <form
                method="post"
                action="/booking/cancel"
                id="confirm-cancel"
                class="panel no-print confirm-box"
                aria-labelledby="confirm-cancel-title"
            >
                <p id="confirm-cancel-title">
                    <strong>"确定要取消这个预约吗？"</strong>
                    " 取消后名额会让给其他人。"
                </p>
                <input type="hidden" name="code" value=a.code.clone() />
                <div class="row wrap">
                    <button type="submit" class="button danger big">
                        "确认取消预约"
                    </button>
                    <a class="button ghost" href=format!("/booking/view?{code_query}")>
                        "不取消，返回"
                    </a>
                </div>
            </form>
        }
    });
    view! {
        {confirm}
        <article class="booking-card" aria-labelledby="booking-title">
            <h1 id="booking-title">"预约凭证"</h1>
            <p class="booking-code-label">"预约码"</p>
            <p class="booking-code" data-testid="booking-code">
                {display_code(&a.code)}
            </p>
            <dl class="facts">
                <dt>"状态"</dt>
                <dd>{appointments::status_label(a.status)}</dd>
                <dt>"时间"</dt>
                <dd>
                    <SlotWhen clock=clock of=a.slot.clone() />
                </dd>
                <dt>"事项"</dt>
                <dd>{a.item_name.clone()}</dd>
                <dt>"地点"</dt>
                <dd>{format!("{}（{}）", a.center_name, a.center_address)}</dd>
                <dt>"电话"</dt>
                <dd>
                    <a href=format!("tel:{}", a.center_phone)>{a.center_phone.clone()}</a>
                </dd>
                <dt>"预约人"</dt>
                <dd>{format!("{} {}", a.name, a.phone_masked)}</dd>
            </dl>
            {if active {
                view! {
                    <p class="hint">
                        "到达服务中心后，向值班工作人员出示预约码，即可优先取号办理。"
                    </p>
                }
                    .into_any()
            } else if open && over {
                view! {
                    <p class="hint">
                        "预约时段已经过去，不能再改约或取消。如仍需办理，请重新预约或致电服务中心。"
                    </p>
                }
                    .into_any()
            } else if open {
                view! {
                    <p class="hint">
                        "预约时段已经开始，不能再改约或取消：请直接到场，向值班工作人员出示预约码。"
                    </p>
                }
                    .into_any()
            } else if cancelled {
                view! {
                    <p class="hint">"该预约已取消，无需到场。如仍需办理，请重新预约。"</p>
                    <p class="no-print">
                        <a class="button" href="/booking">
                            "重新预约"
                        </a>
                    </p>
                }
                    .into_any()
            } else {
                ().into_any()
            }}
            // A cancelled booking is nothing to bring materials to, nor to print.
            {(!cancelled)
                .then(|| {
                    if a.materials.is_empty() {
                        view! {
                            <h2>"需要带的材料"</h2>
                            <p>"本事项无需提交材料，带上身份证件即可。"</p>
                        }
                            .into_any()
                    } else {
                        view! {
                            <h2>"需要带的材料"</h2>
                            <MaterialsTable
                                materials=a.materials.clone()
                                caption="需要带的材料"
                            />
                        }
                            .into_any()
                    }
                })}
        </article>
        <div class="row wrap no-print booking-actions">
            {(!cancelled).then(|| view! { <PrintButton label="打印或保存" /> })}
            {active
                .then(|| {
                    view! {
                        <a class="button" href=format!("/booking/reschedule?{code_query}")>
                            "改约"
                        </a>
                        <a
                            class="button ghost"
                            href=format!("/booking/view?{code_query}&confirm=cancel#confirm-cancel")
                        >
                            "取消预约"
                        </a>
                    }
                })}
        </div>
    }
}

#[component]
pub fn BookingReschedule() -> impl IntoView {
    let query = use_query_map();
    let code = move || query.with(code_of);
    let error = move || query.with(|q| q.get("error"));
    let date = move || {
        query
            .with(|q| q.get("date"))
            .and_then(|d| d.parse::<NaiveDate>().ok())
    };
    let booking = booking_by_code(code);
    view! {
        <Title text="改约" />
        <div class="booking">
            <h1>"改约：选择新的时间"</h1>
            <Refusal code=error() />
            <Suspense fallback=Loading>
                {move || suspend(async move {
                    match booking.await {
                        None => view! { <CodeForm to="reschedule" /> }.into_any(),
                        Some(Err(e)) if asks_for_phone(&e) => {
                            view! { <CodeForm to="reschedule" code=code().unwrap_or_default() /> }
                                .into_any()
                        }
                        Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
                        Some(Ok(a)) => view! { <NewTime booking=a date=date() /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// Moving a booking: the day, then the time. The time buttons submit the form directly.
#[component]
fn NewTime(booking: AppointmentView, date: Option<NaiveDate>) -> impl IntoView {
    let clock = HallClock::get();
    let code_query = format!("code={}", crate::api::client::encode(&booking.code));
    let base = format!("/booking/reschedule?{code_query}");
    let current = format!(
        "原预约：{}，{}",
        slot_label(clock, &booking.slot),
        booking.item_name
    );
    let center = booking.center_id;
    let item = booking.item_code.clone();
    let back = format!("/booking/view?{code_query}");
    let body = match date {
        None => {
            let base = base.clone();
            let link = Callback::new(move |date| format!("{base}&date={date}"));
            view! {
                <h2>"哪一天来？"</h2>
                <DayChoices center=center item=item.clone() link=link />
            }
            .into_any()
        }
        Some(day) => {
            let slots = slots_resource(center, item.clone(), day);
            let code = booking.code.clone();
            view! {
                <h2>{format!("{}，什么时间来？", format::date(day))}</h2>
                <Suspense fallback=Loading>
                    {move || {
                        let code = code.clone();
                        suspend(async move {
                            match slots.await {
                                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                                Ok(list) => {
                                    view! {
                                        <form method="post" action="/booking/reschedule">
                                            <input type="hidden" name="code" value=code />
                                            {slot_choices(
                                                clock,
                                                list.slots,
                                                |s| {
                                                    let to = format!(
                                                        "改到 {}",
                                                        clock.time_range(s.start, s.end),
                                                    );
                                                    view! {
                                                        <button
                                                            type="submit"
                                                            class="choice"
                                                            name="slot"
                                                            value=s.id.to_string()
                                                        >
                                                            <strong>{to}</strong>
                                                            <span>{seats_left(s.remaining)}</span>
                                                        </button>
                                                    }
                                                        .into_any()
                                                },
                                            )}
                                        </form>
                                    }
                                        .into_any()
                                }
                            }
                        })
                    }}
                </Suspense>
                <p>
                    <a class="button ghost" href=base.clone()>
                        "选择其他日期"
                    </a>
                </p>
            }
            .into_any()
        }
    };
    view! {
        <p class="lead">{current}</p>
        {body}
        <p>
            <a class="button ghost" href=back>
                "返回我的预约"
            </a>
        </p>
    }
}

/// How many more people a day or a slot can take, as the choice shows it.
fn seats_left(remaining: i32) -> String {
    format!("还可预约 {remaining} 人")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(query: &str) -> Progress {
        let mut map = ParamsMap::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            map.insert(k.to_string(), v.to_string());
        }
        Progress::from_query(&map)
    }

    #[test]
    fn each_answer_leads_to_the_next_question() {
        assert_eq!(progress("").step(), Step::Center);
        assert_eq!(progress("center=1").step(), Step::Item);
        assert_eq!(progress("center=1&item=X").step(), Step::Materials);
        assert_eq!(progress("center=1&item=X&read=1").step(), Step::Day);
        assert_eq!(
            progress("center=1&item=X&read=1&date=2026-12-01").step(),
            Step::Slot
        );
        assert_eq!(
            progress("center=1&item=X&read=1&date=2026-12-01&slot=7").step(),
            Step::Details
        );
    }

    #[test]
    fn a_link_carries_every_answer_and_reads_back_the_same() {
        let p = progress("center=1&item=640106-XK-0001&read=1&date=2026-12-01&slot=7");
        assert_eq!(
            p.href(),
            "/booking?center=1&item=640106-XK-0001&read=1&date=2026-12-01&slot=7"
        );
        let again = progress(p.href().trim_start_matches("/booking?"));
        assert_eq!(again, p);
    }

    #[test]
    fn back_takes_away_only_the_last_answer() {
        let p = progress("center=1&item=X&read=1&date=2026-12-01&slot=7");
        assert_eq!(
            p.back().unwrap().href(),
            "/booking?center=1&item=X&read=1&date=2026-12-01"
        );
        assert_eq!(progress("center=1").back().unwrap().href(), "/booking");
        assert!(progress("").back().is_none());
    }

    #[test]
    fn a_garbled_answer_counts_as_not_given() {
        assert_eq!(progress("center=abc").step(), Step::Center);
        assert_eq!(
            progress("center=1&item=X&read=1&date=tomorrow").step(),
            Step::Day
        );
    }

    #[test]
    fn every_refusal_has_its_own_message_and_unknown_codes_a_safe_one() {
        assert!(refusal_message("slot_full").contains("约满"));
        assert!(refusal_message("invalid_phone").contains("手机号码"));
        assert!(refusal_message("<script>").starts_with("没有办成"));
    }
}
