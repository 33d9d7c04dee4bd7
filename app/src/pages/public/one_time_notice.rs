//! 一次性告知书 (附件4): everything an applicant needs for one item, on one A4 sheet, so that the
//! materials are brought at once. Printed from the browser; the page itself is the document.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::catalog::ServiceItem,
    components::{feedback::Loading, suspend::suspend},
    pages::public::guide_item::{
        MaterialsTable, PageStatus, counting_text, extension_text, item_error, item_from_path,
        statutory_text,
    },
};

/// "打印" for the documents: calls `window.print()` in the browser and is hidden on paper.
/// Without JavaScript the browser's own print command (Ctrl+P) does the same.
#[component]
pub(crate) fn PrintButton(#[prop(optional)] label: Option<&'static str>) -> impl IntoView {
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    // Only a script can print: without one the browser's own menu does (no dead button).
    let scripted = crate::components::scripted();
    view! {
        <button
            type="button"
            class="button primary no-print"
            hidden=move || !scripted.get()
            on:click=print
        >
            {label.unwrap_or("打印")}
        </button>
    }
}

/// The toolbar above a printable document (not printed).
#[component]
pub(crate) fn DocToolbar(back_href: String, children: Children) -> impl IntoView {
    view! {
        <div class="doc-toolbar no-print">
            {children()} <a class="button ghost" href=back_href>
                "返回服务指南"
            </a>
            <p class="muted doc-hint">
                "建议使用 A4 纸打印；无法点击按钮时，可使用浏览器的“打印”功能（Ctrl+P）。"
            </p>
        </div>
    }
}

/// The blank for a handwritten date.
pub(crate) const DATE_BLANK: &str = "______年____月____日";

#[component]
pub fn OneTimeNotice() -> impl IntoView {
    let item = item_from_path();
    let status = PageStatus::current();
    view! {
        <Suspense fallback=Loading>
            {move || {
                let status = status.clone();
                suspend(async move {
                    match item.await {
                        Ok(item) => view! { <NoticeDoc item=item /> }.into_any(),
                        Err(e) => item_error(e, &status),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub(crate) fn NoticeDoc(item: ServiceItem) -> impl IntoView {
    let back = format!("/guide/{}", item.code);
    let promised = item.time_limit.promised_label();
    let statutory = statutory_text(item.time_limit);
    let counting = counting_text(item.time_limit);
    let extension = extension_text(&item);
    let fee = item.fee_label();
    let specials = item.special_procedures_clause();
    view! {
        <Title text=format!("{}一次性告知书", item.name) />
        <DocToolbar back_href=back>
            <PrintButton />
        </DocToolbar>
        <article class="doc" aria-labelledby="doc-title">
            <header class="doc-head">
                <p class="doc-org">{item.center_name.clone()}</p>
                <h1 id="doc-title" class="doc-title">
                    "一次性告知书"
                </h1>
                <p class="doc-sub">{format!("（{}）", item.name)}</p>
            </header>

            <p class="doc-to">"__________________（申请人）："</p>
            <p class="doc-para">
                "您（单位）咨询办理的“" <strong>{item.name.clone()}</strong>
                "”事项（事项编码：" {item.code.clone()} "，事项类别："
                {item.category.label()} "，实施主体：" {item.unit_name.clone()}
                "），现将办理依据、条件、所需全部材料、时限、收费、地点和咨询电话一次性告知如下，请\
                    您按照本告知书一次备齐材料后前来办理。"
            </p>

            <h2 class="doc-h2">"一、办理依据"</h2>
            <p class="doc-para prewrap">{item.legal_basis.clone()}</p>

            <h2 class="doc-h2">"二、受理条件"</h2>
            {if item.conditions.is_empty() {
                view! { <p class="doc-para">"无特别受理条件。"</p> }.into_any()
            } else {
                view! {
                    <ol class="doc-list">
                        {item
                            .conditions
                            .iter()
                            .map(|c| view! { <li>{c.clone()}</li> })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }}

            <h2 class="doc-h2">"三、需一次性提交的全部材料"</h2>
            {if item.no_materials || item.materials.is_empty() {
                view! { <p class="doc-para">"本事项无需提交申请材料。"</p> }.into_any()
            } else {
                view! {
                    <MaterialsTable
                        materials=item.materials.clone()
                        caption="需提交的全部材料"
                    />
                    <p class="doc-note">
                        "“要求”一栏注明条件的材料，仅在符合该条件时提交；复印件请使用 A4 纸。"
                    </p>
                }
                    .into_any()
            }}

            <h2 class="doc-h2">"四、办理时限"</h2>
            <table class="doc-grid limits-table">
                <caption class="sr-only">"办理时限"</caption>
                <thead>
                    <tr>
                        <th scope="col">"承诺时限"</th>
                        <th scope="col">"法定时限"</th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <td>{promised}</td>
                        <td>{statutory}</td>
                    </tr>
                </tbody>
            </table>
            <p class="doc-para">{counting}</p>
            <p class="doc-para">{extension}</p>
            {specials.map(|clause| view! { <p class="doc-para">{clause}</p> })}

            <h2 class="doc-h2">"五、收费标准"</h2>
            <p class="doc-para prewrap">{fee}</p>

            <h2 class="doc-h2">"六、办理地点"</h2>
            <p class="doc-para">{item.place.clone()}</p>

            <h2 class="doc-h2">"七、咨询电话"</h2>
            <p class="doc-para">{item.phone.clone()}</p>

            <footer class="doc-sign">
                <p>
                    <span>"告知单位："</span>
                    {item.unit_name.clone()}
                </p>
                <p>
                    <span>"告知人："</span>
                    <span class="blank">"　"</span>
                </p>
                <p>
                    <span>"告知日期："</span>
                    {DATE_BLANK}
                </p>
                <p>
                    <span>"申请人（签收）："</span>
                    <span class="blank">"　"</span>
                </p>
            </footer>
        </article>
    }
}
