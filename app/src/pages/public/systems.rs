//! `/systems`: 附件2 金凤区政务服务首问负责制等七项制度 — the hall's statement of its service
//! systems, public and printable on A4. The seed gives only the attachment's title; each
//! statement here restates what the notice's body says (Seed §二, §三) and nothing more: the
//! four systems, 告知承诺制 (§二(二) 八、九), 问题清单整改销号制 (§三(四)) and 监督考核与责任追究
//! (§三(三)(四)).

use leptos::prelude::*;
use leptos_meta::Title;

use crate::pages::public::one_time_notice::PrintButton;

/// One system: its name and its rules, each a sentence of the notice restated.
struct System {
    name: &'static str,
    summary: &'static str,
    rules: &'static [&'static str],
}

const SYSTEMS: [System; 7] = [
    System {
        name: "首问负责制",
        summary: "企业、群众到政务服务大厅办事，第一个接受询问的工作人员为首问负责人，\
            主动为企业和群众办理或有效指引其完成事项办理。",
        rules: &[
            "按照“首问负责、对口接待、内部流转、高效便民”的原则接待，礼貌热情、耐心细致\
             了解办事需求，及时办理或有效指引，不推诿、搪塞、拖延或拒绝。",
            "资料齐全且符合法定条件的即办业务，当场办理并出具办理结果；不能当场办理的承诺件，\
             及时出具《受理通知书》，跟踪办理情况，在承诺时限内办结并反馈结果。",
            "不属于首问负责人职责但属于本大厅职责的，指引到相应的分厅（区域）或窗口；不属于\
             本大厅职责的，耐心解释，并告知办理地址、联系电话等必要信息。",
            "个人确实无法解答或办理的疑难问题，及时联系本单位首席代表或负责同志，跟进直至\
             有效解决。",
        ],
    },
    System {
        name: "一次性告知制",
        summary: "群众到窗口查询、办理、咨询政务服务事项时，窗口工作人员一次性告知办理的依据、\
            时限、程序和所需的全部材料，或不予办理的情况。",
        rules: &[
            "窗口显著位置摆放事项服务指南或《一次性告知书》；群众咨询后，当场提供所办事项的\
             服务指南或《一次性告知书》。",
            "申请材料不齐全或不符合法定形式的，当场书面一次性告知需要补正的全部内容，出具一式\
             两份《一次性补正告知书》；逾期不告知的，自收到申请材料之日起即为受理。",
            "不属于本单位职权范围的，即时作出不予受理的决定，出具《不予受理通知书》，并书面\
             告知向有关部门申请。",
            "申请材料有可以当场更正的错误的，允许并指导申请人当场更正。",
            "材料齐全、符合法定形式的，即时受理，出具加盖本单位印章和日期的《受理通知书》。",
        ],
    },
    System {
        name: "限时办结制",
        summary: "对服务对象申办的事项，在规定时限内办结或答复。",
        rules: &[
            "各渠道公开的承诺办理时限保持一致；受理时明确告知申请人办理时限。",
            "即办件以分钟或小时计算，承诺件以工作日计算，办结时限从受理申请之时开始计算；\
             需要补正材料的，从全部补齐材料之时计算。",
            "受理事项需要报上级主管机关审批的，办结时限包括上级主管机关的审批时限。",
            "杜绝因延期申请不及时、材料遗失、“体外循环”、超期预审等原因导致办件超期。",
        ],
    },
    System {
        name: "延时服务制",
        summary: "应服务对象的要求延长办公时间，或因特殊、紧急需要，与窗口事先约定在法定节假日\
            或公休日内办理。",
        rules: &[
            "到达中午12:00时，当即能够办结的，延时办理完毕；到达下午17:00时，当天已经叫号且\
             正在等待办理的群众，延时为其办理完毕。",
            "服务对象提出延时服务要求的，窗口不得拒绝；工作人员确实不能提供的，报告窗口首席\
             代表或相关负责人，由其另行安排人员提供。",
            "接受预约时记录服务对象名称、预约时间、预约事项和预约方式，并一次性告知需携带的\
             全部材料；按预约时间准时到岗。",
            "提供延时服务不收取法律法规规定以外的任何费用，不收受礼品、有价证券等。",
        ],
    },
    System {
        name: "告知承诺制",
        summary: "对实行告知承诺制办理的事项，一次性具体告知办理依据和条件，申请人作出承诺的，\
            即时办理。",
        rules: &[
            "一次性具体告知所依据的法律名称和相关条款，准予决定应当具备的条件、标准和技术要求，\
             以及需要提交材料的名称、方式和期限。",
            "申请人确认已知晓告知的全部内容并作出承诺，承诺在约定期限内提交相关材料、达到准予\
             条件的，即时办理并送达办理结果。",
        ],
    },
    System {
        name: "问题清单整改销号制",
        summary: "通过日监控、周巡查、月通报、季考核、年评定发现的问题，列入问题整改清单，\
            整改到位后销号。",
        rules: &[
            "通过明察暗访、群众投诉、视频监控、实地督查等渠道监督检查窗口服务行为，及时发现\
             问题并督促整改。",
            "每项问题明确责任单位、责任人、整改措施和整改时限；整改完成并经督查核实后销号。",
            "各单位每月22日前报送《问题整改清单月报表》。",
        ],
    },
    System {
        name: "监督考核与责任追究制",
        summary: "落实“四项制度”的情况作为绩效考评、个人年度考核和评先评优的重要依据。",
        rules: &[
            "对未有效落实“四项制度”的单位、科室和个人进行通报，并将结果抄送其主管部门。",
            "多次不落实“四项制度”的分管领导、科室负责人和窗口工作人员，按照职责分工分别约谈。",
            "通报后仍未整改或整改不力，或因此发生投诉、舆情造成恶劣影响的，按照工作程序提请\
             纪委监委追究相关单位和人员的责任。",
        ],
    },
];

#[component]
pub fn ServiceSystems() -> impl IntoView {
    view! {
        <Title text="首问负责制等七项制度" />
        <div class="doc-toolbar no-print">
            <PrintButton />
            <a class="button ghost" href="/guide">
                "返回办事指南"
            </a>
            <p class="muted doc-hint">
                "建议使用 A4 纸打印；无法点击按钮时，可使用浏览器的“打印”功能（Ctrl+P）。"
            </p>
        </div>
        <article class="doc systems-doc" aria-labelledby="doc-title">
            <header class="doc-head">
                <p class="doc-org">"附件2"</p>
                <h1 id="doc-title" class="doc-title">
                    "金凤区政务服务首问负责制等七项制度"
                </h1>
            </header>
            <p class="doc-para">
                "本页是金凤区政务服务大厅对本厅服务制度的说明，依据金凤区审批服务管理局"
                "《关于“改进作风提升质效”深入落实政务服务“首问负责、一次性告知、限时办结、"
                "延时服务”等四项制度的通知》（2022年4月12日）正文整理；具体要求以该通知"
                "及有关法律法规为准。"
            </p>
            {SYSTEMS
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let id = format!("system-{}", i + 1);
                    let labelled_by = id.clone();
                    view! {
                        <section class="systems-item" aria-labelledby=labelled_by>
                            <h2 id=id>{format!("{}、{}", numeral(i + 1), s.name)}</h2>
                            <p class="doc-para">{s.summary}</p>
                            <ol>
                                {s.rules.iter().map(|r| view! { <li>{*r}</li> }).collect_view()}
                            </ol>
                        </section>
                    }
                })
                .collect_view()}
            <p class="doc-para">
                "办事过程中如遇推诿、拖延或未一次性告知等情况，可向大厅督查人员反映，"
                "也可通过办件通知书或取号凭条上的评价码进行“好差评”。"
            </p>
        </article>
    }
}

/// 一 to 七.
fn numeral(n: usize) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "七"]
        .get(n.wrapping_sub(1))
        .copied()
        .unwrap_or("")
}
