//! The notice as a document: two copies (申请人联 / 存档联), the issuer, number, body, a seal
//! area and the date; laid out for A4 by `style/main.css` (`.notice`). The wording follows the
//! seed's attachments 5–8 and the statutes they cite.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::data::{NoticeBody, NoticeData};

/// Escapes text for HTML.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn moment(t: NaiveDateTime) -> String {
    format!("{}{}", date(t.date()), t.format("%H:%M"))
}

const RIGHTS: &str = "如对本决定不服，可以自收到本文书之日起六十日内依法申请行政复议，或者自收到本\
    文书之日起六个月内依法向人民法院提起行政诉讼。";

/// The basis a notice of an item outside 行政许可法 cites (and of a procedure that article does
/// not name).
const OWN_LAW: &str = "依照本事项所依据的法律、法规和规章的规定";

/// The legal basis a notice cites for a step: the article of 行政许可法 for a licensing item. For
/// any other item (行政给付, 行政确认, 公共服务…) that law does not apply, and the notice cites
/// the laws and rules the item itself rests on (its guide names them).
fn per(d: &NoticeData, article: &str) -> String {
    if d.licensing {
        format!("依照《中华人民共和国行政许可法》{article}的规定")
    } else {
        OWN_LAW.into()
    }
}

fn paragraphs(d: &NoticeData) -> Vec<String> {
    let subject = format!(
        "你（单位）于{}提出的“{}”申请（申请编号：<span class=\"case-number\">{}</span>）",
        date(d.received_on),
        esc(&d.item_name),
        esc(&d.case_number)
    );
    match &d.body {
        NoticeBody::Acceptance {
            accepted_on,
            limit_label,
            due,
            due_provisional,
            deemed,
            clock_from_correction,
            special_procedures,
            in_minutes,
            drawn_up_at,
        } => {
            let mut p = Vec::new();
            if let (true, Some(day)) = (*deemed, clock_from_correction) {
                // Every correction was in, and no acceptance followed that day (必须即时受理).
                // 行政许可法 deems acceptance only of a notice not given in five days; this is the
                // hall's own rule (Seed §二(二): 提交全部补正材料的，必须即时受理).
                p.push(format!(
                    "{subject}，你（单位）已于{day}提交全部补正材料，本机关未即时作出受理决定。按照\
                        “提交全部补正材料的，必须即时受理”的规定，自补正材料齐全之日（{day}）起即为\
                        受理。",
                    day = date(*day)
                ));
            } else if *deemed {
                p.push(format!(
                    "{subject}，本机关未在收到申请材料之日起五个工作日内告知需要补正的内容，{}，自\
                        收到申请材料之日（{}）起即为受理。",
                    per(d, "第三十二条第一款第（四）项"),
                    date(*accepted_on)
                ));
            } else {
                p.push(format!(
                    "{subject}，经审查，申请事项属于本机关职权范围，申请材料齐全、符合法定形式，{}\
                        ，决定予以受理。受理日期：{}。",
                    per(d, "第三十二条第一款第（五）项"),
                    date(*accepted_on)
                ));
            }
            match due {
                Some(due) => {
                    // Working days count from the next day; minutes from the moment itself.
                    let from = match (clock_from_correction, deemed, in_minutes) {
                        (Some(_), _, true) => "自收到全部补正材料之时起计算".to_string(),
                        (Some(day), _, false) => {
                            format!("自收到全部补正材料之日（{}）的次日起计算", date(*day))
                        }
                        (None, true, true) => "自收到申请材料之时起计算".to_string(),
                        (None, true, false) => "自收到申请材料之日的次日起计算".to_string(),
                        (None, false, true) => "自受理之时起计算".to_string(),
                        (None, false, false) => "自受理之日的次日起计算".to_string(),
                    };
                    // A deemed acceptance noticed late may come after its own due: a dated
                    // notice does not promise a moment already past (an immediate item's due
                    // may pass earlier the same day).
                    let past = drawn_up_at.map_or(due.date() < d.issued_on, |at| *due < at);
                    let mut line = if past {
                        format!(
                            "本事项为{}，办理期限{from}，已于<strong>{}</strong>届满；本机关将\
                                立即办理，尽快作出决定。",
                            esc(limit_label),
                            moment(*due)
                        )
                    } else {
                        format!(
                            "本事项为{}，办理期限{from}，本机关将于<strong>{}</strong>前办结。",
                            esc(limit_label),
                            moment(*due)
                        )
                    };
                    if *due_provisional {
                        line.push_str(
                            "（该期限所在年度的节假日安排尚未公布，上述日期暂按周末和固定日\
                            期的法定节日计算，公布后据实调整并告知。）",
                        );
                    }
                    p.push(line);
                }
                None => p.push(format!("本事项为{}，当场办结。", esc(limit_label))),
            }
            if let Some(clause) =
                rules::SpecialProcedure::clock_clause(special_procedures, d.licensing)
            {
                p.push(clause);
            }
            p
        }
        NoticeBody::Correction {
            deficiencies,
            exception_reason,
            in_minutes,
        } => {
            let mut p = vec![format!(
                "{subject}，经审查，申请材料不齐全或者不符合法定形式。{}，现一次性告知你（单位）\
                    需要补正的全部内容如下：",
                per(d, "第三十二条第一款第（四）项")
            )];
            let items: String = deficiencies
                .iter()
                .map(|l| {
                    format!(
                        "<li><strong>{}</strong>：{}</li>",
                        esc(&l.material),
                        esc(&l.problem)
                    )
                })
                .collect();
            p.push(format!("<ol class=\"deficiencies\">{items}</ol>"));
            if let Some(reason) = exception_reason {
                p.push(format!(
                    "本告知书所列事项中含首次补正告知后发现的内容，经首席代表批准补充告知，原因：{}\
                        。",
                    esc(reason)
                ));
            }
            // Working days count from the next day; an item timed in minutes from the moment.
            let from = if *in_minutes {
                "自收到全部补正材料之时起计算"
            } else {
                "自收到全部补正材料之日的次日起计算"
            };
            p.push(format!(
                "请按上述要求一次性补正后提交。补正材料齐全、符合法定形式的，本机关即予受理；办\
                理期限{from}。"
            ));
            p
        }
        NoticeBody::NonAcceptance {
            ground,
            competent_authority,
        } => {
            // The item of the clause the ground is (the notice had cited the paragraph alone).
            let known = rules::review::NonAcceptanceGround::from_label(ground);
            let clause = known.map_or("第三十二条第一款", |g| g.clause_zh());
            let said = known.map_or(ground.as_str(), |g| g.printed_zh(d.licensing));
            let mut p = vec![format!(
                "{subject}，经审查，{}，{}，决定不予受理。",
                esc(said),
                per(d, clause)
            )];
            // 不属于本行政机关职权范围: the applicant is told to apply to the competent authority
            // (行政许可法 第三十二条第一款第二项), named when the clerk knows it.
            let outside = known == Some(rules::review::NonAcceptanceGround::NotWithinAuthority);
            match competent_authority {
                Some(authority) => p.push(format!("请向{}提出申请。", esc(authority))),
                None if outside => p.push("请向有关行政机关提出申请。".into()),
                None => {}
            }
            p.push(RIGHTS.into());
            p
        }
        NoticeBody::Approval {
            decided_on,
            content,
        } => vec![
            format!(
                "{subject}，经审查，符合法定条件、标准，{}，本机关于{}决定{}。",
                per(d, "第三十八条第一款"),
                date(*decided_on),
                if d.licensing {
                    "准予行政许可"
                } else {
                    "准予办理"
                }
            ),
            esc(content),
        ],
        NoticeBody::Denial {
            decided_on,
            reasons,
        } => vec![
            format!(
                "{subject}，经审查，不符合法定条件、标准。理由如下：{}。{}，本机关于{}决定{}。",
                esc(reasons),
                per(d, "第三十八条第二款"),
                date(*decided_on),
                if d.licensing {
                    "不予行政许可"
                } else {
                    "不予办理"
                }
            ),
            RIGHTS.into(),
        ],
        NoticeBody::Commitment {
            standards,
            deferred_materials,
            deferred_within_working_days,
            follow_up_check_on,
            legal_basis,
            deferred_by,
        } => {
            let list = |items: &[String]| -> String {
                items
                    .iter()
                    .map(|s| format!("<li>{}</li>", esc(s)))
                    .collect()
            };
            let mut p = vec![
                format!(
                    "{subject}，适用告知承诺制。现将准予决定应当具备的条件、标准和技术要求一次性告\
                        知如下："
                ),
                format!("<ol>{}</ol>", list(standards)),
            ];
            // Seed §二(二)八: the law and its clauses, and the materials handed in later with
            // how (at the center's window) and by when (a date, not only "N working days").
            if let Some(basis) = legal_basis {
                p.push(format!(
                    "本事项的设定和实施依据：{}。",
                    esc(basis.trim_end_matches('。'))
                ));
            }
            if !deferred_materials.is_empty() {
                let by = deferred_by.map_or_else(String::new, |d| format!("，即{}前", date(d)));
                p.push(format!(
                    "以下材料可在作出决定后{deferred_within_working_days}个工作日内{by}，\
                        到{}窗口补交（原件）：<ol>{}</ol>",
                    esc(&d.center_name),
                    list(deferred_materials)
                ));
            }
            p.push(format!(
                "申请人已书面承诺符合上述条件、标准和技术要求，本机关当场作出准予决定，并将于{}前进\
                    行核查。经核查与承诺不符的，依法撤销准予决定并追究相应责任。",
                date(*follow_up_check_on)
            ));
            p.push(
                "<span class=\"pledge\">承诺：本人（单位）已知晓上述告知的全部内容，所填写的基本\
                信息真实、准确，符合告知的条件、标准和技术要求，愿意承担不实承诺的法律责任。</span\
                >"
                .into(),
            );
            p
        }
        NoticeBody::Suspension {
            procedure,
            reason,
            start_date,
            expected_working_days,
        } => vec![
            format!(
                "{subject}，依法需要进行{}（{}）。{}，自{}起，{}所需时间不计入办理期限。",
                esc(procedure),
                esc(reason),
                // Article 45 names eight procedures; on-site work and technical review stop the
                // clock by the item's own rules.
                match rules::SpecialProcedure::from_label_zh(procedure) {
                    Some(p) if p.named_in_article_45() => per(d, "第四十五条"),
                    _ => OWN_LAW.into(),
                },
                date(*start_date),
                esc(procedure)
            ) + &expected_working_days
                .map(|n| format!("所需时间预计为{n}个工作日。"))
                .unwrap_or_default(),
            // What is promised here is kept: the new due shows on the case's public page.
            "特别程序结束后恢复计算办理期限，恢复后的办结日期可凭申请编号在本中心“办件查询”中查\
                看，也可拨打咨询电话询问。"
                .into(),
        ],
        NoticeBody::Extension {
            days,
            reason,
            new_due,
            new_due_provisional,
        } => {
            let due = match new_due {
                Some(t) => format!("将于<strong>{}</strong>前办结", moment(*t)),
                // Approved while a special procedure stops the clock: the date is known only at
                // resumption, and no notice is issued then (it had promised 另行告知 and none
                // came); the suspension notice's own wording says where the date is found.
                None => "办结日期自特别程序结束、恢复计算办理期限后确定，可凭申请编号在本中心\
                    “办件查询”中查看，也可拨打咨询电话询问"
                    .into(),
            };
            let mut line = format!(
                "{subject}，因{}，不能在规定期限内作出决定。{}，经本机关授权的首席代表批准，办理\
                    期限延长{days}个工作日，{due}。",
                esc(reason),
                per(d, "第四十二条第一款")
            );
            if *new_due_provisional {
                line.push_str("（所涉年度节假日安排尚未公布，日期暂定。）");
            }
            vec![line]
        }
    }
}

fn copy(d: &NoticeData, label: &str, archive: bool) -> String {
    let body: String = paragraphs(d)
        .into_iter()
        .map(|p| format!("<p>{p}</p>"))
        .collect();
    let receipt = if archive {
        "<p class=\"receipt\">申请人签收：<span class=\"blank\"></span> 日期：<span \
            class=\"blank\"></span></p>"
    } else {
        ""
    };
    format!(
        "<section class=\"notice-copy\" aria-label=\"{label}\">\
<p class=\"copy-label\">{label}</p>\
<header class=\"notice-head\"><p class=\"notice-issuer\">{issuer}</p><h2 \
class=\"notice-title\">{title}</h2><p class=\"notice-number\">{number}</p></header>\
<div class=\"notice-body\"><p class=\"salutation\">{applicant}：</p>{body}</div>\
<footer class=\"notice-foot\"><div class=\"seal-area\" aria-label=\"盖章处\">（盖章）</div>\
<p class=\"notice-signer\">{issuer}</p><p class=\"notice-date\">{date}</p>\
<p class=\"notice-contact\">办理地点：{center}（{address}） \
    咨询电话：{phone}</p>{receipt}</footer></section>",
        issuer = esc(&d.unit_name),
        title = esc(&d.title),
        number = esc(&d.number),
        applicant = esc(&d.applicant_name),
        date = date(d.issued_on),
        center = esc(&d.center_name),
        address = esc(&d.center_address),
        phone = esc(&d.center_phone),
    )
}

/// The whole document: applicant's copy and archive copy.
pub fn document(d: &NoticeData) -> String {
    format!(
        "<article class=\"notice\" data-kind=\"{}\">{}{}</article>",
        d.kind.code(),
        copy(d, "申请人联", false),
        copy(d, "存档联", true)
    )
}

#[cfg(test)]
mod tests {
    use app::api::notices::NoticeKind;

    use super::*;
    use crate::services::notices::data::DeficiencyLine;

    fn data(body: NoticeBody) -> NoticeData {
        NoticeData {
            kind: NoticeKind::CorrectionNotice,
            number: "区市场监督管理局补字〔2026〕第00001号".into(),
            title: "一次性补正告知书".into(),
            issued_on: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
            licensing: true,
            unit_name: "区市场监督管理局".into(),
            center_name: "金凤区政务服务中心".into(),
            center_address: "市民大厅一楼".into(),
            center_phone: "0951-6888123".into(),
            applicant_name: "银川<某>餐饮有限公司".into(),
            case_number: "2026-01-00001".into(),
            item_code: "640106-XK-0001".into(),
            item_name: "食品经营许可".into(),
            received_on: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
            body,
        }
    }

    #[test]
    fn a_correction_notice_lists_every_deficiency_in_both_copies() {
        let html = document(&data(NoticeBody::Correction {
            deficiencies: vec![
                DeficiencyLine {
                    material: "营业执照".into(),
                    problem: "缺少，请补交".into(),
                },
                DeficiencyLine {
                    material: "经营场所证明".into(),
                    problem: "不符合法定形式（未盖章），请补正".into(),
                },
            ],
            exception_reason: None,
            in_minutes: false,
        }));
        assert_eq!(html.matches("营业执照").count(), 2);
        assert_eq!(html.matches("未盖章").count(), 2);
        assert!(html.contains("申请人联") && html.contains("存档联"));
        assert_eq!(html.matches("（盖章）").count(), 2);
    }

    /// An extension approved while the clock is stopped promises nothing the product does not
    /// do: no notice is issued at resumption, so it names where the new date is found.
    #[test]
    fn an_extension_approved_while_suspended_says_where_the_new_date_is_found() {
        let html = document(&data(NoticeBody::Extension {
            days: 5,
            reason: "需补充检测".into(),
            new_due: None,
            new_due_provisional: false,
        }));
        assert!(!html.contains("另行告知"));
        assert!(html.contains("恢复计算办理期限后确定"));
        assert!(html.contains("办件查询"));
    }

    /// Seed §二(三)二: 办理时限从全部补齐材料之时计算. A 即办件's minutes run from that moment;
    /// its correction notice said 次日起计算 like an item counted in working days.
    #[test]
    fn a_correction_notice_for_an_item_timed_in_minutes_counts_from_the_moment_of_the_last_one() {
        let notice = |in_minutes| {
            document(&data(NoticeBody::Correction {
                deficiencies: vec![DeficiencyLine {
                    material: "营业执照".into(),
                    problem: "缺少，请补交".into(),
                }],
                exception_reason: None,
                in_minutes,
            }))
        };
        let minutes = notice(true);
        assert!(minutes.contains("办理期限自收到全部补正材料之时起计算"));
        assert!(!minutes.contains("次日起计算"));
        assert!(notice(false).contains("办理期限自收到全部补正材料之日的次日起计算"));
    }

    /// A refusal cites the item of 第三十二条第一款 its ground is (it had cited the paragraph
    /// alone, while the other notices named their items).
    #[test]
    fn a_non_acceptance_notice_cites_the_item_of_its_ground() {
        use rules::review::NonAcceptanceGround as G;
        for (ground, clause) in [
            (G::NotSubjectToApproval, "第三十二条第一款第（一）项"),
            (G::NotWithinAuthority, "第三十二条第一款第（二）项"),
        ] {
            let html = document(&data(NoticeBody::NonAcceptance {
                ground: ground.label_zh().into(),
                competent_authority: None,
            }));
            assert!(html.contains(&format!("《中华人民共和国行政许可法》{clause}的规定")));
        }
    }

    /// 行政许可法 governs licensing only: a benefit (行政给付) or a public service cites its own
    /// basis (a tester's 高龄津贴 受理通知书 cited 行政许可法 第三十二条).
    #[test]
    fn only_a_licensing_items_notices_cite_the_administrative_licensing_law() {
        let acceptance = NoticeBody::Acceptance {
            accepted_on: NaiveDate::from_ymd_opt(2026, 3, 4).unwrap(),
            limit_label: "5个工作日".into(),
            due: None,
            due_provisional: false,
            deemed: false,
            clock_from_correction: None,
            special_procedures: Vec::new(),
            in_minutes: false,
            drawn_up_at: None,
        };
        let approval = NoticeBody::Approval {
            decided_on: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
            content: "准予办理".into(),
        };
        let correction = NoticeBody::Correction {
            deficiencies: vec![DeficiencyLine {
                material: "终止劳动合同证明".into(),
                problem: "缺少，请补交".into(),
            }],
            exception_reason: None,
            in_minutes: false,
        };
        for body in [acceptance, approval, correction] {
            let licence = document(&data(body.clone()));
            assert!(licence.contains("《中华人民共和国行政许可法》"));
            let benefit = document(&NoticeData {
                licensing: false,
                ..data(body)
            });
            assert!(!benefit.contains("行政许可法"), "{benefit}");
            assert!(benefit.contains("依照本事项所依据的法律、法规和规章的规定"));
        }
    }

    /// 行政许可法 第四十五条 names 听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审 only: a
    /// tester's 现场核查 notice cited it.
    #[test]
    fn a_suspension_cites_article_45_only_for_a_procedure_it_names() {
        let suspension = |procedure: &str| {
            document(&data(NoticeBody::Suspension {
                procedure: procedure.into(),
                reason: "需要".into(),
                start_date: NaiveDate::from_ymd_opt(2026, 4, 3).unwrap(),
                expected_working_days: Some(3),
            }))
        };
        assert!(suspension("检测").contains("行政许可法》第四十五条"));
        // The article also asks that the time needed be told in writing.
        assert!(suspension("检测").contains("所需时间预计为3个工作日。"));
        for on_site in ["现场核查", "现场勘验", "技术审查"] {
            let html = suspension(on_site);
            assert!(!html.contains("第四十五条"), "{on_site}");
            assert!(html.contains(OWN_LAW), "{on_site}");
        }
    }

    /// An examiner found every 受理通知书 listing 听证、检验…现场勘验 whatever the item needs, and
    /// a deemed acceptance noticed on 10-14 promising to finish by 10-13. The notice names the
    /// item's own procedures with the law for each, and never promises a moment already past.
    #[test]
    fn an_acceptance_names_the_items_procedures_and_never_promises_a_past_moment() {
        use rules::SpecialProcedure as P;
        let body = |procedures: Vec<P>, due: &str| NoticeBody::Acceptance {
            accepted_on: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
            limit_label: "5个工作日".into(),
            due: Some(chrono::NaiveDateTime::parse_from_str(due, "%Y-%m-%d %H:%M").unwrap()),
            due_provisional: false,
            deemed: true,
            clock_from_correction: None,
            special_procedures: procedures,
            in_minutes: false,
            drawn_up_at: None,
        };
        let none = document(&data(body(Vec::new(), "2026-03-11 17:00")));
        assert!(
            !none.contains("特别程序") && !none.contains("听证"),
            "{none}"
        );
        assert!(none.contains("前办结"), "{none}");
        let on_site = document(&data(body(vec![P::OnSiteVerification], "2026-03-11 17:00")));
        assert!(
            on_site.contains("现场核查") && !on_site.contains("第四十五条"),
            "{on_site}"
        );
        let late = document(&data(body(Vec::new(), "2026-03-03 17:00")));
        assert!(late.contains("届满") && !late.contains("前办结"), "{late}");
    }

    /// An immediate item's deemed acceptance, drawn up at 17:00 after its 13:18 due, promised
    /// to finish "by 13:18" counting "from the next day" of the corrections: a minutes limit
    /// counts from the moment, and a due past within the day is said to be past.
    #[test]
    fn an_immediate_items_acceptance_counts_from_the_moment_and_never_promises_a_past_time() {
        let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let body = |drawn_up: &str| NoticeBody::Acceptance {
            accepted_on: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap(),
            limit_label: "即办件，30分钟".into(),
            due: Some(at("2026-09-30 13:18")),
            due_provisional: false,
            deemed: true,
            clock_from_correction: Some(NaiveDate::from_ymd_opt(2026, 9, 30).unwrap()),
            special_procedures: Vec::new(),
            in_minutes: true,
            drawn_up_at: Some(at(drawn_up)),
        };
        let late = document(&data(body("2026-09-30 17:00")));
        assert!(late.contains("自收到全部补正材料之时起计算"), "{late}");
        assert!(!late.contains("次日"), "{late}");
        assert!(late.contains("届满") && !late.contains("前办结"), "{late}");
        let in_time = document(&data(body("2026-09-30 12:50")));
        assert!(in_time.contains("前办结"), "{in_time}");
    }

    /// The law deems acceptance only of a correction notice not given in five days; acceptance
    /// once every correction is in is the hall's rule, and says so. A licence's decision says
    /// 行政许可.
    #[test]
    fn a_deemed_acceptance_after_corrections_cites_the_halls_rule_and_decisions_name_a_licence() {
        let deemed = document(&data(NoticeBody::Acceptance {
            accepted_on: NaiveDate::from_ymd_opt(2026, 4, 10).unwrap(),
            limit_label: "5个工作日".into(),
            due: None,
            due_provisional: false,
            deemed: true,
            clock_from_correction: Some(NaiveDate::from_ymd_opt(2026, 4, 10).unwrap()),
            special_procedures: Vec::new(),
            in_minutes: false,
            drawn_up_at: None,
        }));
        assert!(deemed.contains("必须即时受理"));
        assert!(!deemed.contains("第三十二条第一款的规定"), "{deemed}");
        let denial = NoticeBody::Denial {
            decided_on: NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(),
            reasons: "经营场所不符合要求".into(),
        };
        assert!(document(&data(denial.clone())).contains("决定不予行政许可。"));
        let other = document(&NoticeData {
            licensing: false,
            ..data(denial)
        });
        assert!(other.contains("决定不予办理。"), "{other}");
    }

    #[test]
    fn a_non_acceptance_outside_the_authority_always_says_where_to_apply() {
        let outside = rules::review::NonAcceptanceGround::NotWithinAuthority.label_zh();
        let unnamed = document(&data(NoticeBody::NonAcceptance {
            ground: outside.into(),
            competent_authority: None,
        }));
        assert!(unnamed.contains("请向有关行政机关提出申请。"), "{unnamed}");
        let named = document(&data(NoticeBody::NonAcceptance {
            ground: outside.into(),
            competent_authority: Some("区卫生健康局".into()),
        }));
        assert!(named.contains("请向区卫生健康局提出申请。"), "{named}");
        let free = document(&data(NoticeBody::NonAcceptance {
            ground: rules::review::NonAcceptanceGround::NotSubjectToApproval
                .label_zh()
                .into(),
            competent_authority: None,
        }));
        assert!(!free.contains("提出申请。"), "{free}");
    }

    /// A 行政给付 item refused as needing no approval had its notice say 不需要取得行政许可.
    #[test]
    fn a_non_acceptance_of_an_item_that_is_not_a_licence_never_speaks_of_a_licence() {
        let ground = rules::review::NonAcceptanceGround::NotSubjectToApproval.label_zh();
        let benefit = document(&NoticeData {
            licensing: false,
            ..data(NoticeBody::NonAcceptance {
                ground: ground.into(),
                competent_authority: None,
            })
        });
        assert!(benefit.contains("申请事项依法不需要取得审批"), "{benefit}");
        assert!(!benefit.contains("行政许可"), "{benefit}");
        let licence = document(&data(NoticeBody::NonAcceptance {
            ground: ground.into(),
            competent_authority: None,
        }));
        assert!(
            licence.contains("申请事项依法不需要取得行政许可"),
            "{licence}"
        );
    }

    #[test]
    fn applicant_text_is_escaped() {
        let html = document(&data(NoticeBody::NonAcceptance {
            ground: "x".into(),
            competent_authority: None,
        }));
        assert!(html.contains("银川&lt;某&gt;餐饮有限公司"));
        assert!(!html.contains("<某>"));
    }
}
