//! 事项服务指南 (附件3): every field of one catalog item, as the window hands it out. The numbers
//! (promised and statutory limits, stage limits) are the catalog's own, so they are the same as on
//! the one-time notice, the clerk's screens and every other channel.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::{
    api::{
        ApiError,
        catalog::{self, CommitmentSpec, LimitSpec, Material, ServiceItem},
    },
    components::{
        feedback::{ErrorBox, Loading},
        suspend::suspend,
    },
};

/// Sets the HTTP status of the server-rendered page; nothing to do in the browser.
#[derive(Clone, Default)]
pub(crate) struct PageStatus {
    #[cfg(feature = "ssr")]
    response: Option<leptos_axum::ResponseOptions>,
}

impl PageStatus {
    /// Reads the response options now, while the render's owner is current (not after an await).
    pub(crate) fn current() -> Self {
        #[cfg(feature = "ssr")]
        {
            PageStatus {
                response: use_context::<leptos_axum::ResponseOptions>(),
            }
        }
        #[cfg(not(feature = "ssr"))]
        {
            PageStatus::default()
        }
    }

    pub(crate) fn not_found(&self) {
        #[cfg(feature = "ssr")]
        if let Some(response) = &self.response {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
}

/// The item named by the `:code` segment of the path.
pub(crate) fn item_from_path() -> Resource<Result<ServiceItem, ApiError>> {
    let params = use_params_map();
    Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        |code| async move { catalog::item(&code).await },
    )
}

/// What a page about one item shows when the item cannot be loaded.
pub(crate) fn item_error(error: ApiError, status: &PageStatus) -> AnyView {
    let missing = error.status == 404;
    if missing {
        status.not_found();
    }
    view! {
        <Title text=if missing { "未找到该事项" } else { "无法加载事项" } />
        <section class="panel">
            <h1>{if missing { "未找到该事项" } else { "无法加载事项" }}</h1>
            <ErrorBox error=error />
            <p>
                <a href="/guide">"返回办事指南，查找其他事项"</a>
            </p>
        </section>
    }
    .into_any()
}

/// The statutory limit beside the promised one; an immediate item has none of its own.
pub(crate) fn statutory_text(limit: LimitSpec) -> String {
    limit.statutory_label().unwrap_or_else(|| "—".into())
}

/// How the limit is counted (the rules core's counting, in words).
pub(crate) fn counting_text(limit: LimitSpec) -> String {
    match limit {
        LimitSpec::Immediate { .. } => "材料齐全、符合法定形式的，当场受理、当场办结。".into(),
        LimitSpec::Promised { working_days, .. } => format!(
            "自受理之日起计算，受理当日不计，至第 {working_days} \
                个工作日下班时截止；承诺时限已包含上级机关的审批时间。"
        ),
    }
}

/// One sentence on how the commitment route works for this item.
pub(crate) fn commitment_summary(c: &CommitmentSpec) -> String {
    let deferred = if c.deferred_materials.is_empty() {
        String::new()
    } else {
        format!(
            "部分材料可在作出决定后 {} 个工作日内补交；",
            c.deferred_within_working_days
        )
    };
    format!(
        "本事项可选择告知承诺方式办理：申请人签署承诺书后当场作出决定；{deferred}作出决定后 {} \
            个工作日内对承诺内容进行核查。",
        c.follow_up_after_working_days
    )
}

/// What the extension bound allows.
pub(crate) fn extension_text(item: &ServiceItem) -> String {
    match item.time_limit {
        LimitSpec::Immediate { .. } => "即办件，不适用延期。".into(),
        LimitSpec::Promised { .. } if item.extension_bound_days == 0 => "不可延期。".into(),
        LimitSpec::Promised { .. } => format!(
            "因特殊情况不能按期办结的，经批准可延长不超过 {} 个工作日，并书面告知申请人理由。",
            item.extension_bound_days
        ),
    }
}

/// The full material list: name, originals/copies, count, form, source, requirement, note.
#[component]
pub(crate) fn MaterialsTable(materials: Vec<Material>, caption: &'static str) -> impl IntoView {
    view! {
        <table class="table stacked materials-table">
            <caption class="sr-only">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"序号"</th>
                    <th scope="col">"材料名称"</th>
                    <th scope="col">"原件/复印件"</th>
                    <th scope="col">"份数"</th>
                    <th scope="col">"形式"</th>
                    <th scope="col">"来源"</th>
                    <th scope="col">"要求"</th>
                    <th scope="col">"备注"</th>
                </tr>
            </thead>
            <tbody>
                {materials
                    .into_iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let requirement = m.requirement_label();
                        view! {
                            <tr>
                                <td data-label="序号">{i + 1}</td>
                                <td data-label="材料名称" class="material-name">
                                    {m.name.clone()}
                                </td>
                                <td data-label="原件/复印件">{m.copies.label()}</td>
                                <td data-label="份数">{m.count}</td>
                                <td data-label="形式">{m.form.label()}</td>
                                <td data-label="来源">{m.source.clone()}</td>
                                <td data-label="要求">{requirement}</td>
                                <td data-label="备注">
                                    {m.note.clone().unwrap_or_else(|| "—".into())}
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
pub fn GuideItem() -> impl IntoView {
    let item = item_from_path();
    let status = PageStatus::current();
    view! {
        <Suspense fallback=Loading>
            {move || {
                let status = status.clone();
                suspend(async move {
                    match item.await {
                        Ok(item) => view! { <Guide item=item /> }.into_any(),
                        Err(e) => item_error(e, &status),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub(crate) fn Guide(item: ServiceItem) -> impl IntoView {
    let notice_href = format!("/guide/{}/notice", item.code);
    let commitment_href = format!("/guide/{}/commitment", item.code);
    let statutory = statutory_text(item.time_limit);
    let extension = extension_text(&item);
    let promised = item.time_limit.promised_label();
    let fee = item.fee_label();
    let tel = format!("tel:{}", item.phone);
    let is_commitment = item.commitment.is_some();
    let inactive = !item.active;
    let booking_href = format!(
        "/booking?center={}&item={}",
        item.center_id,
        crate::api::client::encode(&item.code)
    );
    view! {
        <Title text=format!("{}服务指南", item.name) />
        <article class="guide-doc">
            <header class="panel guide-head">
                <p class="kicker">"事项服务指南"</p>
                <h1>{item.name.clone()}</h1>
                <p class="guide-tags">
                    <span class="tag">{item.category.label()}</span>
                    {is_commitment
                        .then(|| view! { <span class="badge commitment">"告知承诺"</span> })}
                </p>
                {inactive
                    .then(|| {
                        view! {
                            <p class="error-box" role="note">
                                "该事项目前已暂停办理，请先电话咨询。"
                            </p>
                        }
                    })}
                <nav class="guide-links no-print" aria-label="本事项的文书">
                    {(!inactive)
                        .then(|| {
                            view! {
                                <a class="button primary" href=booking_href>
                                    "预约办理"
                                </a>
                            }
                        })}
                    <a class="button" href=notice_href>
                        "一次性告知书（可打印）"
                    </a>
                    {is_commitment
                        .then(|| {
                            view! {
                                <a class="button" href=commitment_href.clone()>
                                    "告知承诺材料"
                                </a>
                            }
                        })}
                    <a class="button ghost" href="/guide">
                        "返回办事指南"
                    </a>
                </nav>
            </header>

            <section class="panel" aria-labelledby="g-basic">
                <h2 id="g-basic">"一、基本信息"</h2>
                <dl class="facts">
                    <dt>"事项名称"</dt>
                    <dd>{item.name.clone()}</dd>
                    <dt>"事项编码"</dt>
                    <dd class="code">{item.code.clone()}</dd>
                    <dt>"事项类别"</dt>
                    <dd>{item.category.label()}</dd>
                    <dt>"实施主体"</dt>
                    <dd>{item.unit_name.clone()}</dd>
                    <dt>"服务中心"</dt>
                    <dd>{item.center_name.clone()}</dd>
                </dl>
            </section>

            <section class="panel" aria-labelledby="g-basis">
                <h2 id="g-basis">"二、设定依据"</h2>
                <p class="prewrap">{item.legal_basis.clone()}</p>
            </section>

            <section class="panel" aria-labelledby="g-conditions">
                <h2 id="g-conditions">"三、受理条件"</h2>
                {if item.conditions.is_empty() {
                    view! { <p class="muted">"无特别受理条件。"</p> }.into_any()
                } else {
                    view! {
                        <ol class="numbered">
                            {item
                                .conditions
                                .iter()
                                .map(|c| view! { <li>{c.clone()}</li> })
                                .collect_view()}
                        </ol>
                    }
                        .into_any()
                }}
            </section>

            <section class="panel" aria-labelledby="g-materials">
                <h2 id="g-materials">"四、申请材料"</h2>
                {if item.no_materials || item.materials.is_empty() {
                    view! { <p>"本事项无需提交申请材料。"</p> }.into_any()
                } else {
                    view! {
                        <MaterialsTable
                            materials=item.materials.clone()
                            caption="申请材料清单"
                        />
                    }
                        .into_any()
                }}
            </section>

            <section class="panel" aria-labelledby="g-steps">
                <h2 id="g-steps">"五、办理流程"</h2>
                {if item.steps.is_empty() {
                    view! { <p class="muted">"当场受理、当场办结。"</p> }.into_any()
                } else {
                    view! {
                        <ol class="numbered steps">
                            {item
                                .steps
                                .iter()
                                .map(|s| view! { <li>{s.clone()}</li> })
                                .collect_view()}
                        </ol>
                    }
                        .into_any()
                }}
            </section>

            <section class="panel" aria-labelledby="g-limit">
                <h2 id="g-limit">"六、办理时限"</h2>
                <div class="limit-pair">
                    <div class="limit-box promised">
                        <span class="limit-label">"承诺时限"</span>
                        <strong data-testid="promised-limit">{promised}</strong>
                    </div>
                    <div class="limit-box statutory">
                        <span class="limit-label">"法定时限"</span>
                        <strong data-testid="statutory-limit">{statutory}</strong>
                    </div>
                </div>
                <p class="muted">{counting_text(item.time_limit)}</p>
                <p>
                    <span class="limit-label">"延期："</span>
                    {extension}
                </p>
            </section>

            <section class="panel" aria-labelledby="g-stages">
                <h2 id="g-stages">"七、环节时限"</h2>
                {if item.stage_limits.is_empty() {
                    view! { <p class="muted">"未单列环节时限。"</p> }.into_any()
                } else {
                    view! {
                        <table class="table stage-table">
                            <caption class="sr-only">"各环节办理时限"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"环节"</th>
                                    <th scope="col">"时限"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {item
                                    .stage_limits
                                    .iter()
                                    .map(|s| {
                                        view! {
                                            <tr>
                                                <td>{s.stage.label_zh()}</td>
                                                <td>{format!("{} 个工作日", s.working_days)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                        <p class="muted">
                            "各环节时限包含在承诺时限之内，不另行累加。"
                        </p>
                    }
                        .into_any()
                }}
            </section>

            <section class="panel" aria-labelledby="g-special">
                <h2 id="g-special">"八、可能需要的特别程序"</h2>
                {if item.special_procedures.is_empty() {
                    view! { <p class="muted">"本事项一般不需要特别程序。"</p> }
                        .into_any()
                } else {
                    view! {
                        <ul class="chips">
                            {item
                                .special_procedures
                                .iter()
                                .map(|p| view! { <li>{p.label_zh()}</li> })
                                .collect_view()}
                        </ul>
                        <p>{item.special_procedures_clause()}</p>
                    }
                        .into_any()
                }}
            </section>

            <section class="panel" aria-labelledby="g-fee">
                <h2 id="g-fee">"九、收费标准"</h2>
                <p class="prewrap">{fee}</p>
                <p class="muted">"除法定收费外，不收取任何其他费用。"</p>
            </section>

            <section class="panel" aria-labelledby="g-place">
                <h2 id="g-place">"十、办理地点与咨询电话"</h2>
                <dl class="facts">
                    <dt>"办理地点"</dt>
                    <dd>{item.place.clone()}</dd>
                    <dt>"咨询电话"</dt>
                    <dd>
                        <a href=tel>{item.phone.clone()}</a>
                    </dd>
                </dl>
            </section>

            {item
                .commitment
                .as_ref()
                .map(|c| {
                    view! {
                        <section class="panel" aria-labelledby="g-commitment">
                            <h2 id="g-commitment">"十一、告知承诺制"</h2>
                            <p>{commitment_summary(c)}</p>
                            <p class="no-print">
                                <a href=commitment_href
                                    .clone()>"查看并打印告知书、承诺书和申请表"</a>
                            </p>
                        </section>
                    }
                })}
        </article>
    }
}
