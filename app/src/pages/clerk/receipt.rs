//! 收件凭证: printed at the counter when an application is received (A4, two copies like the
//! notices: 申请人联 and 存档联), and readable on a phone. It says what was received, when the
//! review answers, the promised date if the application is accepted that day, and the 查询码
//! that opens 办件查询 together with the case number (issue 14 point 10).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::cases::{self, CaseReceipt},
    components::{
        feedback::{ErrorBox, Loading},
        hall_clock::HallClock,
        suspend::suspend,
    },
    format,
};

#[component]
pub fn ReceiptPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_default()
    };
    let receipt = Resource::new(id, cases::receipt);
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <Title text="收件凭证" />
        <Suspense fallback=Loading>
            {move || suspend(async move {
                match receipt.await {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(r) => {
                        let back = format!("/clerk/cases/{}", r.case_id);
                        view! {
                            <div class="print-toolbar no-print">
                                <h1>{format!("收件凭证 {}", r.number)}</h1>
                                <p class="muted">
                                    "一式两联：申请人联交申请人，存档联随申请材料归档。"
                                </p>
                                <div class="row wrap">
                                    <button type="button" class="button primary big" on:click=print>
                                        "打印收件凭证（A4）"
                                    </button>
                                    <a class="button" href=back>
                                        "返回办件"
                                    </a>
                                </div>
                            </div>
                            <div class="print-doc receipt-doc">
                                <ReceiptCopy receipt=r.clone() label="申请人联" />
                                <ReceiptCopy receipt=r label="存档联" />
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ReceiptCopy(receipt: CaseReceipt, label: &'static str) -> impl IntoView {
    let clock = HallClock::get();
    let r = receipt;
    let received = format::date_time(clock.to_local(r.received_at));
    let review_due = r.review_due_at.map(|d| {
        let at = format::date_time(clock.to_local(d));
        if r.review_due_provisional {
            format!("{at}（暂定）")
        } else {
            at
        }
    });
    let promised = match r.promised_date {
        Some(d) if r.promised_provisional => {
            format!("{}（暂定：该年度节假日安排尚未公布）", format::date(d))
        }
        Some(d) => format::date(d),
        None => "当场办结".to_string(),
    };
    // Working days count from the next day; an immediate item's minutes from the moment the
    // last correction comes in (the receipt said 次日 for both).
    let counted = if r.promised_date.is_some() {
        "（当日受理时；需补正的，自收到全部补正材料之日的次日起计算）"
    } else {
        "（受理后即时办理；需补正的，自收到全部补正材料之时起计算）"
    };
    let code = r.lookup_code.clone();
    view! {
        <article
            class="notice notice-copy receipt-copy"
            aria-label=format!("收件凭证（{label}）")
        >
            <p class="copy-label">{label}</p>
            <header class="notice-head">
                <p class="notice-issuer">{r.unit_name.clone()}</p>
                <h2 class="notice-title">"收件凭证"</h2>
                <p class="notice-number">
                    "申请编号："<span class="case-number">{r.number.clone()}</span>
                </p>
            </header>
            <dl class="facts receipt-facts">
                <dt>"申请人"</dt>
                <dd>{r.applicant_name.clone()}</dd>
                <dt>"办理事项"</dt>
                <dd>{format!("{}（{}）", r.item_name, r.item_code)}</dd>
                <dt>"收件时间"</dt>
                <dd>{received}</dd>
                <dt>"办理时限"</dt>
                <dd>{r.time_limit_label.clone()}</dd>
                {review_due
                    .map(|d| {
                        view! {
                            <dt>"受理审查期限"</dt>
                            <dd>
                                {format!(
                                    "{d}前告知是否受理或需补正的全部内容；逾期未告知的，自收件之日\
                                        起即为受理",
                                )}
                            </dd>
                        }
                    })}
                <dt>"承诺办结日期"</dt>
                <dd>
                    <strong data-testid="receipt-promised">{promised}</strong>
                    <span class="muted">{counted}</span>
                </dd>
                {code
                    .map(|c| {
                        view! {
                            <dt>"查询码"</dt>
                            <dd>
                                <strong class="code lookup-code" data-testid="receipt-code">
                                    {c}
                                </strong>
                            </dd>
                        }
                    })}
            </dl>
            <h3 class="receipt-subtitle">"收到的申请材料"</h3>
            {if r.materials.is_empty() {
                let text = if r.materials_recorded {
                    "未收到申请材料。"
                } else {
                    "收件时未逐项登记；收到的材料以受理审查结果为准。"
                };
                view! { <p>{text}</p> }.into_any()
            } else {
                view! {
                    <ol class="receipt-materials">
                        {r
                            .materials
                            .iter()
                            .map(|m| {
                                view! {
                                    <li>
                                        {m.name.clone()}
                                        <span class="muted">
                                            {format!("（{}）", m.description)}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}
            <p class="receipt-note">
                "凭申请编号和查询码（或申请时所留手机号），可在本中心网站“办件查询”页面查询办理进度\
                    。本凭证仅证明窗口已收到申请材料，不代表已受理。"
            </p>
            <footer class="notice-foot">
                <div class="seal-area">"（收件专用章）"</div>
                <p>{r.center_name.clone()}</p>
                <p class="notice-contact">
                    {format!("地址：{}　电话：{}", r.center_address, r.center_phone)}
                </p>
            </footer>
        </article>
    }
}
