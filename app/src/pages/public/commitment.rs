//! 告知承诺制 documents of one item: 申请表 (附件9), 告知书 (附件10) and 承诺书 (附件11), each on
//! its own A4 page. The applicant reads what the law requires, fills in the form and signs the
//! pledge; the decision is then given at once and a follow-up check is scheduled.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::{
    api::catalog::{CommitmentSpec, Material, ServiceItem},
    components::{feedback::Loading, suspend::suspend},
    pages::public::{
        guide_item::{PageStatus, item_error, item_from_path},
        one_time_notice::{DATE_BLANK, DocToolbar, PrintButton},
    },
};

/// A material to hand in later, as the notice names it. The catalog refers to materials by key;
/// a key that names no material of the item is shown as it is.
struct Deferred {
    name: String,
    how: Option<String>,
}

fn deferred_materials(item: &ServiceItem, spec: &CommitmentSpec) -> Vec<Deferred> {
    spec.deferred_materials
        .iter()
        .map(|key| match item.materials.iter().find(|m| &m.key == key) {
            Some(m) => Deferred {
                name: m.name.clone(),
                how: Some(how_to_hand_in(m)),
            },
            None => Deferred {
                name: key.clone(),
                how: None,
            },
        })
        .collect()
}

/// "复印件 1 份，纸质"
fn how_to_hand_in(m: &Material) -> String {
    format!("{} {} 份，{}", m.copies.label(), m.count, m.form.label())
}

#[component]
pub fn CommitmentDocs() -> impl IntoView {
    let item = item_from_path();
    let status = PageStatus::current();
    view! {
        <Suspense fallback=Loading>
            {move || {
                let status = status.clone();
                suspend(async move {
                    match item.await {
                        Ok(item) => {
                            match item.commitment.clone() {
                                Some(spec) => view! { <Docs item=item spec=spec /> }.into_any(),
                                None => view! { <NotApplicable item=item /> }.into_any(),
                            }
                        }
                        Err(e) => item_error(e, &status),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn NotApplicable(item: ServiceItem) -> impl IntoView {
    let back = format!("/guide/{}", item.code);
    let notice = format!("/guide/{}/notice", item.code);
    view! {
        <Title text=format!("{}告知承诺材料", item.name) />
        <section class="panel">
            <h1>"告知承诺材料"</h1>
            <p class="notice-box" role="status">
                "“"
                {item.name.clone()}
                "”不实行告知承诺制，请按一般程序办理："
                "备齐服务指南所列材料后到窗口提交，办理时限为"
                {item.time_limit.promised_label()}
                "。"
            </p>
            <p class="row wrap">
                <a class="button primary" href=back>
                    "查看服务指南"
                </a>
                <a class="button" href=notice>
                    "一次性告知书（可打印）"
                </a>
            </p>
        </section>
    }
}

#[component]
fn Docs(item: ServiceItem, spec: CommitmentSpec) -> impl IntoView {
    let back = format!("/guide/{}", item.code);
    let deferred = StoredValue::new(deferred_materials(&item, &spec));
    let item = StoredValue::new(item);
    let spec = StoredValue::new(spec);
    view! {
        <Title text=format!("{}告知承诺材料", item.with_value(|i| i.name.clone())) />
        <header class="panel no-print commitment-head">
            <p class="kicker">"告知承诺制"</p>
            <h1>{item.with_value(|i| i.name.clone())} "：告知承诺材料"</h1>
            <p>
                "申请人愿意作出承诺的，阅读告知书、填写申请表并签署承诺书后，当场作出决定。"
                "三份文书各占一页 A4 纸，可一次打印。"
            </p>
            <nav aria-label="本页文书" class="doc-toc">
                <ul class="plain-inline">
                    <li>
                        <a href="#form">"申请表"</a>
                    </li>
                    <li>
                        <a href="#notice">"告知书"</a>
                    </li>
                    <li>
                        <a href="#pledge">"承诺书"</a>
                    </li>
                </ul>
            </nav>
        </header>
        <DocToolbar back_href=back>
            <PrintButton label="打印全部文书" />
        </DocToolbar>
        <ApplicationForm item=item />
        <NoticeOfCommitment item=item spec=spec deferred=deferred />
        <Pledge item=item spec=spec deferred=deferred />
    }
}

/// 附件9: the application form. The blanks are inputs so that they can be typed in before printing
/// (nothing is sent anywhere), or printed empty and filled in by hand.
#[component]
fn ApplicationForm(item: StoredValue<ServiceItem>) -> impl IntoView {
    let (name, code, unit) =
        item.with_value(|i| (i.name.clone(), i.code.clone(), i.unit_name.clone()));
    view! {
        <article class="doc" id="form" aria-labelledby="form-title">
            <header class="doc-head">
                <p class="doc-org">{item.with_value(|i| i.center_name.clone())}</p>
                <h2 id="form-title" class="doc-title">
                    {format!("{name}申请表")}
                </h2>
                <p class="doc-sub">"（告知承诺制）"</p>
            </header>
            <table class="doc-grid form-table">
                <caption class="sr-only">"申请人及申请事项"</caption>
                <tbody>
                    <tr>
                        <th scope="row">
                            <label for="cf-name">"申请人姓名（名称）"</label>
                        </th>
                        <td>
                            <input id="cf-name" class="doc-input" type="text" autocomplete="name" />
                        </td>
                    </tr>
                    <tr>
                        <th scope="row">
                            <label for="cf-id">
                                "身份证号码（统一社会信用代码）"
                            </label>
                        </th>
                        <td>
                            <input
                                id="cf-id"
                                class="doc-input"
                                type="text"
                                autocomplete="off"
                                spellcheck="false"
                            />
                        </td>
                    </tr>
                    <tr>
                        <th scope="row">
                            <label for="cf-phone">"联系电话"</label>
                        </th>
                        <td>
                            <input id="cf-phone" class="doc-input" type="tel" autocomplete="tel" />
                        </td>
                    </tr>
                    <tr>
                        <th scope="row">
                            <label for="cf-address">"联系地址"</label>
                        </th>
                        <td>
                            <input
                                id="cf-address"
                                class="doc-input"
                                type="text"
                                autocomplete="street-address"
                            />
                        </td>
                    </tr>
                    <tr>
                        <th scope="row">"申请事项"</th>
                        <td>{name.clone()} "（" {code} "）"</td>
                    </tr>
                    <tr>
                        <th scope="row">"实施机关"</th>
                        <td>{unit}</td>
                    </tr>
                    <tr>
                        <th scope="row">"办理方式"</th>
                        <td>
                            "告知承诺制（申请人已阅知告知书并签署承诺书）"
                        </td>
                    </tr>
                </tbody>
            </table>
            <footer class="doc-sign">
                <p>
                    <span>"申请人（签字或盖章）："</span>
                    <span class="blank">"　"</span>
                </p>
                <p>
                    <span>"申请日期："</span>
                    {DATE_BLANK}
                </p>
            </footer>
        </article>
    }
}

/// 附件10: what the authority tells the applicant — law, conditions, standards and technical
/// requirements, the materials to hand in later and by when, and the follow-up check.
#[component]
fn NoticeOfCommitment(
    item: StoredValue<ServiceItem>,
    spec: StoredValue<CommitmentSpec>,
    deferred: StoredValue<Vec<Deferred>>,
) -> impl IntoView {
    let i = item.get_value();
    let s = spec.get_value();
    let deferred_view = deferred.with_value(|list| {
        if list.is_empty() {
            view! {
                <p class="doc-para">
                    "本事项无需在决定后补交材料，申请材料应在申请时一次提交。"
                </p>
            }
            .into_any()
        } else {
            view! {
                <p class="doc-para">
                    "以下材料可在作出准予决定之日起 "
                    <strong>{s.deferred_within_working_days}</strong>
                    " 个工作日内补交（交至" {i.place.clone()} "）："
                </p>
                <table class="doc-grid deferred-table">
                    <caption class="sr-only">"决定后补交的材料"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"序号"</th>
                            <th scope="col">"材料名称"</th>
                            <th scope="col">"提交方式"</th>
                            <th scope="col">"提交期限"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list
                            .iter()
                            .enumerate()
                            .map(|(n, d)| {
                                view! {
                                    <tr>
                                        <td>{n + 1}</td>
                                        <td>{d.name.clone()}</td>
                                        <td>{d.how.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td>
                                            {format!(
                                                "决定后 {} 个工作日内",
                                                s.deferred_within_working_days,
                                            )}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }
    });
    let others: Vec<String> = i
        .materials
        .iter()
        .filter(|m| !s.deferred_materials.contains(&m.key))
        .map(|m| {
            format!(
                "{}（{}；{}）",
                m.name,
                how_to_hand_in(m),
                m.requirement_label()
            )
        })
        .collect();
    view! {
        <article class="doc" id="notice" aria-labelledby="notice-title">
            <header class="doc-head">
                <p class="doc-org">{i.unit_name.clone()}</p>
                <h2 id="notice-title" class="doc-title">
                    {format!("{}告知书", i.name)}
                </h2>
                <p class="doc-sub">"（告知承诺制）"</p>
            </header>
            <p class="doc-to">"__________________（申请人）："</p>
            <p class="doc-para">
                "您（单位）申请办理的“" {i.name.clone()}
                "”事项实行告知承诺制。依据下列法律、法规和规定，"
                "现将准予决定应当具备的条件、标准和技术要求，以及需要提交材料的名称、方式和期限一次\
                    性告知如下："
            </p>

            <h3 class="doc-h3">"一、设定依据"</h3>
            <p class="doc-para prewrap">{i.legal_basis.clone()}</p>

            <h3 class="doc-h3">"二、申请条件"</h3>
            {if i.conditions.is_empty() {
                view! { <p class="doc-para">"无特别受理条件。"</p> }.into_any()
            } else {
                view! {
                    <ol class="doc-list">
                        {i.conditions.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}
                    </ol>
                }
                    .into_any()
            }}

            <h3 class="doc-h3">
                "三、准予决定应当具备的条件、标准和技术要求"
            </h3>
            <ol class="doc-list">
                {s.standards.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}
            </ol>

            <h3 class="doc-h3">"四、申请时提交的材料"</h3>
            {if others.is_empty() {
                view! { <p class="doc-para">"申请时无需另行提交材料。"</p> }.into_any()
            } else {
                view! {
                    <ol class="doc-list">
                        {others.into_iter().map(|o| view! { <li>{o}</li> }).collect_view()}
                    </ol>
                }
                    .into_any()
            }}

            <h3 class="doc-h3">"五、决定后补交的材料"</h3>
            {deferred_view}

            <h3 class="doc-h3">"六、办理方式与核查"</h3>
            <p class="doc-para">
                "申请人签署告知承诺书、提交申请材料后，本机关当场作出准予决定。作出决定后 "
                <strong>{s.follow_up_after_working_days}</strong>
                " 个工作日内，本机关对申请人的承诺内容进行核查。经核查与承诺不符的，依法撤销准予决\
                    定并追究相应责任。"
            </p>
            <p class="doc-para">
                "申请人不愿作出承诺或不能按期补交材料的，可按一般程序办理，办理时限为"
                {i.time_limit.promised_label()} "。"
            </p>
            <p class="doc-para">
                "咨询电话：" {i.phone.clone()} "　办理地点：" {i.place.clone()}
            </p>

            <footer class="doc-sign">
                <p>
                    <span>"告知机关（盖章）："</span>
                    {i.unit_name.clone()}
                </p>
                <p>
                    <span>"告知日期："</span>
                    {DATE_BLANK}
                </p>
            </footer>
        </article>
    }
}

/// 附件11: the applicant's pledge, with signature and date.
#[component]
fn Pledge(
    item: StoredValue<ServiceItem>,
    spec: StoredValue<CommitmentSpec>,
    deferred: StoredValue<Vec<Deferred>>,
) -> impl IntoView {
    let i = item.get_value();
    let s = spec.get_value();
    let deferred_names = deferred.with_value(|list| {
        list.iter()
            .map(|d| format!("《{}》", d.name))
            .collect::<Vec<_>>()
            .join("、")
    });
    let mut pledges = vec![
        format!(
            "已经知晓{}告知的全部内容，包括设定依据，准予决定应当具备的条件、标准和技术要求；",
            i.unit_name
        ),
        "自身已经符合上述条件、标准和技术要求；".to_string(),
    ];
    if !deferred_names.is_empty() {
        pledges.push(format!(
            "能够在作出准予决定之日起 {} 个工作日内提交{}；",
            s.deferred_within_working_days, deferred_names
        ));
    }
    pledges.push(format!(
        "所填写的基本信息真实、准确，愿意接受行政机关在作出决定后 {} 个工作日内进行的核查；",
        s.follow_up_after_working_days
    ));
    pledges.push(
        "承诺内容与实际不符或未按期履行承诺的，愿意承担不实承诺的法律责任，同意撤销准予决定；"
            .to_string(),
    );
    pledges.push("所作承诺是申请人真实意思的表示。".to_string());
    view! {
        <article class="doc" id="pledge" aria-labelledby="pledge-title">
            <header class="doc-head">
                <p class="doc-org">{i.unit_name.clone()}</p>
                <h2 id="pledge-title" class="doc-title">
                    {format!("{}承诺书", i.name)}
                </h2>
                <p class="doc-sub">"（告知承诺制）"</p>
            </header>
            <table class="doc-grid form-table">
                <caption class="sr-only">"承诺人"</caption>
                <tbody>
                    <tr>
                        <th scope="row">
                            <label for="pl-name">"承诺人（申请人）"</label>
                        </th>
                        <td>
                            <input id="pl-name" class="doc-input" type="text" autocomplete="name" />
                        </td>
                    </tr>
                    <tr>
                        <th scope="row">
                            <label for="pl-id">
                                "身份证号码（统一社会信用代码）"
                            </label>
                        </th>
                        <td>
                            <input
                                id="pl-id"
                                class="doc-input"
                                type="text"
                                autocomplete="off"
                                spellcheck="false"
                            />
                        </td>
                    </tr>
                </tbody>
            </table>
            <p class="doc-para">
                "本人（单位）申请办理“" {i.name.clone()} "”（实施机关："
                {i.unit_name.clone()}
                "），自愿选择告知承诺方式办理，现郑重承诺如下："
            </p>
            <ol class="doc-list pledge-list">
                {pledges.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ol>
            <p class="doc-para pledge">
                "本人（单位）已知晓上述告知的全部内容，所填写的基本信息真实、准确，符合告知的条件、\
                    标准和技术要求，愿意承担不实承诺的法律责任。"
            </p>
            <footer class="doc-sign">
                <p>
                    <span>"承诺人（签字或盖章）："</span>
                    <span class="blank">"　"</span>
                </p>
                <p>
                    <span>"承诺日期："</span>
                    {DATE_BLANK}
                </p>
            </footer>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An item shaped like the demo catalog's 食品经营许可延续.
    fn sample() -> ServiceItem {
        serde_json::from_value(serde_json::json!({
            "code": "640106-XK-0002", "name": "食品经营许可延续", "category": "licensing",
            "unit_id": 3, "unit_name": "区市场监督管理局",
            "center_id": 1, "center_name": "金凤区政务服务中心",
            "legal_basis": "《中华人民共和国食品安全法》第三十五条",
            "conditions": ["持有有效许可证"],
            "materials": [
                {"key": "application_form", "name": "申请书", "copies": "original", "count": 1,
                 "form": "paper", "source": "窗口领取", "requirement": {"kind": "required"},
                 "note": null},
                {"key": "premises_proof", "name": "经营场所使用证明", "copies": "copy", "count": 1,
                 "form": "paper", "source": "申请人自备", "requirement": {"kind": "required"},
                 "note": "租赁的提供合同"},
                {"key": "proxy", "name": "授权委托书", "copies": "original", "count": 1,
                 "form": "paper", "source": "申请人自备",
                 "requirement": {"kind": "conditional", "condition": "委托办理"}}
            ],
            "no_materials": false,
            "steps": ["申请", "受理"],
            "time_limit": {"kind": "promised", "working_days": 3, "statutory_working_days": 10},
            "stage_limits": [{"stage": "acceptance", "working_days": 1}],
            "special_procedures": ["on_site_verification"],
            "extension_bound_days": 5, "fee": null, "place": "A02 窗口", "phone": "0951-1234567",
            "commitment": {"standards": ["经营条件未发生变化"],
                           "deferred_materials": ["premises_proof"],
                           "deferred_within_working_days": 10, "follow_up_after_working_days": 20},
            "active": true
        }))
        .expect("sample item")
    }

    fn render<V: IntoView + 'static>(f: impl FnOnce() -> V) -> String {
        let owner = Owner::new();
        owner.set();
        leptos_meta::provide_meta_context();
        f().into_view().to_html()
    }

    #[test]
    fn the_documents_name_deferred_materials_and_their_deadline() {
        let item = sample();
        let spec = item.commitment.clone().unwrap();
        let html = render(move || view! { <Docs item=item spec=spec /> });
        assert!(
            html.contains("经营场所使用证明</td>"),
            "deferred material by name"
        );
        assert!(!html.contains("premises_proof"), "keys are not shown");
        assert!(html.contains("决定后 10 个工作日内"));
        assert!(html.contains("作出决定后 <strong>20</strong> 个工作日内"));
        assert!(html.contains("承诺书") && html.contains("申请表") && html.contains("告知书"));
    }

    #[test]
    fn the_guide_and_the_notice_show_the_same_limits() {
        let item = sample();
        let promised = item.time_limit.promised_label();
        let statutory = item.time_limit.statutory_label().unwrap();
        let guide = {
            let item = item.clone();
            render(move || view! { <crate::pages::public::guide_item::Guide item=item /> })
        };
        let notice = render(
            move || view! { <crate::pages::public::one_time_notice::NoticeDoc item=item /> },
        );
        for html in [&guide, &notice] {
            assert!(html.contains(&promised) && html.contains(&statutory));
            assert!(html.contains("委托办理时提交"));
        }
        assert!(guide.contains("/guide/640106-XK-0002/commitment"));
    }
}
