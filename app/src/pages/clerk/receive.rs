//! 收件: the clerk receives an application. The applicant's identifiers are checked here with
//! the same code the server uses (GB 11643 / GB 32100 check digits, a birth date not after
//! today, mobile number in any usual written form) before
//! anything is sent; the time of receipt is the server's.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::{
    api::{
        Me, Role,
        cases::{self, ApplicantInput, ApplicantKind, Channel, ReceiveCase},
        catalog::{self, CatalogQuery, Material},
        validate::{Checks, Invalid},
    },
    components::{
        feedback::{ErrorBox, Loading},
        form::{ErrorSummary, FieldError, FormProblem, option},
        guard::RequireRole,
        hall_clock::HallClock,
        suspend::suspend,
    },
};

/// The form's input of each field an error may name.
fn field_id(name: &str) -> Option<String> {
    let id = match name {
        "item_code" => "receive-item",
        "applicant.name" => "receive-name",
        "applicant.id_number" => "receive-id",
        "phone" => "receive-phone",
        _ => return None,
    };
    Some(id.to_string())
}

#[component]
pub fn ReceivePage() -> impl IntoView {
    view! {
        <Title text="收件" />
        <RequireRole role=Role::Clerk render=|me| view! { <ReceiveForm me=me /> } />
    }
}

#[component]
fn ReceiveForm(me: Me) -> impl IntoView {
    let clock = HallClock::get();
    let unit = me.staff.unit_id;
    let items = Resource::new(
        move || unit,
        |unit| {
            catalog::list(CatalogQuery {
                unit,
                ..Default::default()
            })
        },
    );
    let query = use_query_map();
    let inquiry_id = move || {
        query
            .read()
            .get("inquiry")
            .and_then(|v| v.parse::<i64>().ok())
    };
    let preset_item = query.read_untracked().get("item").unwrap_or_default();

    let item = RwSignal::new(preset_item);
    let kind = RwSignal::new(ApplicantKind::Company);
    let name = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let channel = RwSignal::new(Channel::Counter);
    // The material keys handed in, listed on the 收件凭证.
    let received = RwSignal::new(Vec::<String>::new());
    // What is wrong, at the field it concerns, with a summary at the top that takes the focus
    // (the form is long: a message above it alone was off the tablet's screen).
    let problem = FormProblem::default();
    let navigate = use_navigate();

    let receive = Action::new(|body: &ReceiveCase| {
        let body = body.clone();
        async move { cases::receive(body).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = receive.value().get() {
            match outcome {
                Ok(case) => navigate(
                    &format!("/clerk/cases/{}", case.summary.id),
                    Default::default(),
                ),
                Err(e) => problem.set(e),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // A second tap before the button shows it is busy would receive the case twice (two
        // taps 5 ms apart made two cases): the form sends once until the answer is in.
        if receive.pending().get_untracked() {
            return;
        }
        let body = ReceiveCase {
            item_code: item.get(),
            applicant: ApplicantInput {
                kind: kind.get(),
                name: name.get(),
                id_number: id_number.get(),
            },
            phone: phone.get(),
            channel: channel.get(),
            inquiry_id: inquiry_id(),
            materials: Some(received.get()),
        };
        // The same checks the server makes, at once, every problem told together.
        let mut checks = Checks::default();
        if body.item_code.is_empty() {
            checks.fail(Invalid::new("required", "item_code", "请选择办理事项"));
        }
        if let Err(problems) = body.check_applicant(clock.local_now_untracked().date()) {
            problems.into_vec().into_iter().for_each(|p| checks.fail(p));
        }
        if let Err(problems) = checks.finish(()) {
            problem.set(problems.into());
            return;
        }
        problem.clear();
        receive.dispatch(body);
    };
    let invalid =
        move |name: &'static str| move || problem.message_for(name).is_some().then_some("true");
    // Another kind of applicant reads the number under another rule: what was said of it no
    // longer holds (the number typed stays).
    let switch_kind = move |to: ApplicantKind| {
        kind.set(to);
        problem.forget("applicant.id_number");
    };
    // The message at a field describes its input while there is one.
    let described = move |name: &'static str| {
        move || {
            let shown = problem.message_for(name).and(field_id(name));
            shown.map(|id| format!("{id}-error"))
        }
    };
    let id_label = move || match kind.get() {
        ApplicantKind::Person => "居民身份证号码",
        ApplicantKind::Company => "统一社会信用代码",
    };
    let name_label = move || match kind.get() {
        ApplicantKind::Person => "申请人姓名",
        ApplicantKind::Company => "单位名称",
    };

    view! {
        <h1>"收件"</h1>
        <p class="lead">
            {move || {
                inquiry_id()
                    .map(|id| {
                        format!(
                            "来自咨询记录 #{id}：办件建立后该咨询即记为“转为办件”。",
                        )
                    })
            }}
        </p>
        <ErrorSummary error=problem.signal() target=Callback::new(|f: String| field_id(&f)) />
        <Suspense fallback=Loading>
            {move || suspend(async move {
                match items.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(list) => {
                        let all = StoredValue::new(list.items.clone());
                        let materials = move || {
                            let code = item.get();
                            all.with_value(|items| {
                                    items
                                        .iter()
                                        .find(|i| i.code == code)
                                        .map(|i| i.materials.clone())
                                })
                                .unwrap_or_default()
                        };
                        view! {
                            <form class="panel stack" novalidate=true on:submit=on_submit>
                                <div class="field">
                                    <label for="receive-item">"办理事项"</label>
                                    <FieldError id="receive-item" error=problem.at("item_code") />
                                    <select
                                        id="receive-item"
                                        aria-invalid=invalid("item_code")
                                        on:change=move |ev| {
                                            item.set(event_target_value(&ev));
                                            received.set(Vec::new());
                                        }
                                        prop:value=move || item.get()
                                    >
                                        {option("", "请选择")}
                                        {list
                                            .items
                                            .into_iter()
                                            .map(|i| {
                                                let label = format!(
                                                    "{}（{}）",
                                                    i.name,
                                                    i.time_limit.promised_label(),
                                                );
                                                option(i.code, label)
                                            })
                                            .collect_view()}
                                    </select>
                                </div>
                                {move || {
                                    let list = materials();
                                    (!list.is_empty())
                                        .then(|| {
                                            view! {
                                                <fieldset class="stack receive-materials">
                                                    <legend>
                                                        "收到的申请材料（列入收件凭证）"
                                                    </legend>
                                                    {list
                                                        .into_iter()
                                                        .map(|m| material_check(m, received))
                                                        .collect_view()}
                                                </fieldset>
                                            }
                                        })
                                }}
                                <fieldset class="segmented">
                                    <legend>"申请人类型"</legend>
                                    <label>
                                        <input
                                            type="radio"
                                            name="kind"
                                            prop:checked=move || {
                                                kind.get() == ApplicantKind::Company
                                            }
                                            on:change=move |_| switch_kind(ApplicantKind::Company)
                                        />
                                        <span>"企业或其他组织"</span>
                                    </label>
                                    <label>
                                        <input
                                            type="radio"
                                            name="kind"
                                            prop:checked=move || kind.get() == ApplicantKind::Person
                                            on:change=move |_| switch_kind(ApplicantKind::Person)
                                        />
                                        <span>"个人"</span>
                                    </label>
                                </fieldset>
                                <div class="field">
                                    <label for="receive-name">{name_label}</label>
                                    <FieldError
                                        id="receive-name"
                                        error=problem.at("applicant.name")
                                    />
                                    <input
                                        id="receive-name"
                                        aria-invalid=invalid("applicant.name")
                                        aria-describedby=described("applicant.name")
                                        bind:value=name
                                        autocomplete="off"
                                        required
                                    />
                                </div>
                                <div class="field">
                                    <label for="receive-id">{id_label}</label>
                                    <FieldError
                                        id="receive-id"
                                        error=problem.at("applicant.id_number")
                                    />
                                    <input
                                        id="receive-id"
                                        aria-invalid=invalid("applicant.id_number")
                                        aria-describedby=described("applicant.id_number")
                                        bind:value=id_number
                                        autocomplete="off"
                                        autocapitalize="characters"
                                        spellcheck="false"
                                        required
                                    />
                                </div>
                                <div class="field">
                                    <label for="receive-phone">"联系手机"</label>
                                    <FieldError id="receive-phone" error=problem.at("phone") />
                                    <input
                                        id="receive-phone"
                                        aria-invalid=invalid("phone")
                                        aria-describedby=described("phone")
                                        type="tel"
                                        bind:value=phone
                                        inputmode="tel"
                                        autocomplete="off"
                                        required
                                    />
                                </div>
                                <fieldset class="segmented">
                                    <legend>"收件渠道"</legend>
                                    {Channel::ALL
                                        .into_iter()
                                        .map(|c| {
                                            view! {
                                                <label>
                                                    <input
                                                        type="radio"
                                                        name="channel"
                                                        prop:checked=move || channel.get() == c
                                                        on:change=move |_| channel.set(c)
                                                    />
                                                    <span>{c.label()}</span>
                                                </label>
                                            }
                                        })
                                        .collect_view()}
                                </fieldset>
                                <button type="submit" class="button primary big">
                                    "建立办件并开始受理审查"
                                </button>
                                <p class="muted">
                                    "收件时间以服务器时间为准；五个工作日内须作出受理、一次性补正或\
                                        不予受理的决定，逾期视为受理。建立办件后可打印收件凭证。"
                                </p>
                            </form>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A material the clerk ticks as received; the ticked keys are listed on the 收件凭证.
fn material_check(m: Material, received: RwSignal<Vec<String>>) -> impl IntoView {
    let (key, own) = (m.key.clone(), m.key.clone());
    let toggle = move |on: bool| {
        received.update(|r| {
            r.retain(|k| k != &own);
            if on {
                r.push(own.clone());
            }
        })
    };
    view! {
        <label class="check">
            <input
                type="checkbox"
                prop:checked=move || received.with(|r| r.contains(&key))
                on:change=move |ev| toggle(event_target_checked(&ev))
            />
            // Whether and when it is needed, and the catalog's note, as the review shows them: a
            // clerk read conditional materials as required at receipt.
            <span>
                {m.name.clone()}
                <span class="muted">
                    {format!("（{} · {}）", m.description(), m.requirement_label())}
                </span>
                {m.note.clone().map(|n| view! { <span class="hint">{n}</span> })}
            </span>
        </label>
    }
}
