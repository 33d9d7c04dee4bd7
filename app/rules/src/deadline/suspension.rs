//! Suspension of the clock for special procedures (行政许可法 第四十五条).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::error::DeadlineError;

/// A special procedure whose time is not counted in the limit.
///
/// Source: 行政许可法 第四十五条 (听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审);
/// 优化营商环境条例 第三十六条 and Seed §二(三) (现场勘验/踏勘、现场核查、技术审查、听证论证).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialProcedure {
    /// 听证 (incl. 听证论证).
    Hearing,
    /// 招标.
    Bidding,
    /// 拍卖.
    Auction,
    /// 检验.
    Testing,
    /// 检测.
    Inspection,
    /// 检疫.
    Quarantine,
    /// 鉴定.
    Appraisal,
    /// 专家评审.
    ExpertReview,
    /// 现场勘验 (现场踏勘).
    OnSiteSurvey,
    /// 现场核查.
    OnSiteVerification,
    /// 技术审查.
    TechnicalReview,
}

impl SpecialProcedure {
    /// Every procedure, in the order above. Source: 行政许可法 第四十五条; 优化营商环境条例
    /// 第三十六条.
    pub const ALL: [Self; 11] = [
        Self::Hearing,
        Self::Bidding,
        Self::Auction,
        Self::Testing,
        Self::Inspection,
        Self::Quarantine,
        Self::Appraisal,
        Self::ExpertReview,
        Self::OnSiteSurvey,
        Self::OnSiteVerification,
        Self::TechnicalReview,
    ];

    /// The Chinese name used in notices. Source: 行政许可法 第四十五条; 优化营商环境条例
    /// 第三十六条.
    pub fn label_zh(&self) -> &'static str {
        match self {
            Self::Hearing => "听证",
            Self::Bidding => "招标",
            Self::Auction => "拍卖",
            Self::Testing => "检验",
            Self::Inspection => "检测",
            Self::Quarantine => "检疫",
            Self::Appraisal => "鉴定",
            Self::ExpertReview => "专家评审",
            Self::OnSiteSurvey => "现场勘验",
            Self::OnSiteVerification => "现场核查",
            Self::TechnicalReview => "技术审查",
        }
    }

    /// Whether 行政许可法 第四十五条 names it (听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审).
    /// 现场勘验、现场核查 and 技术审查 stop the clock by the rules of the item's own law and the
    /// hall's list of such items (Seed §二(三), 清单化管理), not by that article.
    /// Source: 行政许可法 第四十五条; 优化营商环境条例 第三十六条.
    pub fn named_in_article_45(&self) -> bool {
        !matches!(
            self,
            Self::OnSiteSurvey | Self::OnSiteVerification | Self::TechnicalReview
        )
    }

    /// What a guide or a 受理通知书 says of an item's special procedures: which it may need,
    /// that their time is not counted, and on what basis — 行政许可法 第四十五条 for the ones it
    /// names on a licensing item, the item's own law for the rest (a guide citing the article
    /// for 现场核查, or for an adjudication, cited the wrong law). `None` for an item that lists
    /// none. Source: 行政许可法 第四十五条; Seed §二(三) (清单化管理).
    pub fn clock_clause(procedures: &[SpecialProcedure], licensing: bool) -> Option<String> {
        if procedures.is_empty() {
            return None;
        }
        let join = |ps: &[&SpecialProcedure]| {
            ps.iter()
                .map(|p| p.label_zh())
                .collect::<Vec<_>>()
                .join("、")
        };
        let all: Vec<&SpecialProcedure> = procedures.iter().collect();
        let (article, own): (Vec<_>, Vec<_>) = procedures
            .iter()
            .partition(|p| licensing && p.named_in_article_45());
        const ARTICLE: &str = "《中华人民共和国行政许可法》第四十五条";
        const OWN: &str = "本事项所依据的法律、法规和规章";
        // Said as a sentence: a bare "（本事项所依据的法律、法规和规章）" read as a placeholder
        // left unfilled.
        let basis = match (article.is_empty(), own.is_empty()) {
            (false, true) => format!("依照{ARTICLE}的规定"),
            (true, _) => format!("依照{OWN}的规定"),
            (false, false) => format!(
                "{}依照{ARTICLE}的规定、{}依照{OWN}的规定",
                join(&article),
                join(&own)
            ),
        };
        Some(format!(
            "本事项可能需要{}，需要时将书面告知申请人；{basis}，所需时间不计入办理期限。",
            join(&all)
        ))
    }

    /// The procedure with this Chinese label. Source: product rule.
    pub fn from_label_zh(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.label_zh() == label)
    }

    /// Stable snake_case code (as serialised). Source: product rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Hearing => "hearing",
            Self::Bidding => "bidding",
            Self::Auction => "auction",
            Self::Testing => "testing",
            Self::Inspection => "inspection",
            Self::Quarantine => "quarantine",
            Self::Appraisal => "appraisal",
            Self::ExpertReview => "expert_review",
            Self::OnSiteSurvey => "on_site_survey",
            Self::OnSiteVerification => "on_site_verification",
            Self::TechnicalReview => "technical_review",
        }
    }

    /// The procedure with this code. Source: product rule.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// The clock stopped for a special procedure, from the moment `start` to the moment `end`.
///
/// A working day is not counted when the clock is stopped at that day's close of business (the end
/// of its last session, 24:00 when the schedule has none): a procedure begun on a day before close
/// takes that day out; one begun after close does not; the day a procedure ends before close counts
/// again; one that ends after close does not. While `end` is `None` the case has no due moment.
/// See [`compute_due`](super::compute_due).
///
/// Source: 行政许可法 第四十五条 (所需时间不计算在期限内，并应当书面告知申请人); 第八十二条 (days);
/// issue #11 point 1 (a start *moment*, so "on the due day before/after close" is decidable).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspension {
    /// The procedure.
    pub procedure: SpecialProcedure,
    /// When the clock stopped (local time).
    pub start: NaiveDateTime,
    /// When it runs again (local time; `None` while the procedure runs).
    pub end: Option<NaiveDateTime>,
    /// Why, as told to the applicant in writing.
    pub reason: String,
}

impl Suspension {
    /// A suspension known only by dates (records made before suspensions carried moments): the
    /// clock stopped at 00:00 of `start` and runs again at 00:00 of `end`, which keeps the date
    /// rule those records were made under — the start day not counted, the end day counted again.
    /// Source: 行政许可法 第四十五条; issue #11 point 1 (migration of date-only records).
    pub fn from_dates(
        procedure: SpecialProcedure,
        start: NaiveDate,
        end: Option<NaiveDate>,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            procedure,
            start: start.and_time(NaiveTime::MIN),
            end: end.map(|e| e.and_time(NaiveTime::MIN)),
            reason: reason.into(),
        }
    }

    /// Whether the procedure is still running. Source: 行政许可法 第四十五条.
    pub fn is_open(&self) -> bool {
        self.end.is_none()
    }

    /// Whether the two stop the clock at a common moment (`[start, end)` intervals; touching ends
    /// do not overlap). Source: issue #11 point 1 (suspensions must not overlap).
    pub fn overlaps(&self, other: &Suspension) -> bool {
        let before = |a: &Suspension, b: &Suspension| a.end.is_some_and(|end| end <= b.start);
        !before(self, other) && !before(other, self)
    }
}

/// Only the special procedures the service item lists may stop its clock.
///
/// Source: Seed §二(三) (对需要现场勘验、技术审查、听证论证等程序的审批事项要实施清单化管理);
/// 行政许可法 第四十五条.
pub fn check_suspension_allowed(
    procedure: SpecialProcedure,
    item_procedures: &[SpecialProcedure],
) -> Result<(), DeadlineError> {
    if item_procedures.contains(&procedure) {
        Ok(())
    } else {
        Err(DeadlineError::ProcedureNotListed { procedure })
    }
}

/// Stored suspensions must make sense before a due is computed from them: none starts on a day
/// before the clock-start day (day-level, so that date-only records of that day pass), none ends
/// before it starts.
pub(super) fn check_dates(s: &Suspension, clock_start: NaiveDateTime) -> Result<(), DeadlineError> {
    if s.start.date() < clock_start.date() {
        return Err(DeadlineError::SuspensionBeforeClockStart {
            start: s.start,
            clock_start,
        });
    }
    match s.end {
        Some(end) if end < s.start => Err(DeadlineError::SuspensionEndsBeforeStart {
            start: s.start,
            end,
        }),
        _ => Ok(()),
    }
}

/// A stop of the clock: from a moment, to a moment or still running.
pub(super) type Interval = (NaiveDateTime, Option<NaiveDateTime>);

/// The union of the suspensions as `[start, end)` intervals, ascending; an open one absorbs every
/// later one.
pub(super) fn merged(suspensions: &[Suspension]) -> Vec<Interval> {
    let mut intervals: Vec<Interval> = suspensions.iter().map(|s| (s.start, s.end)).collect();
    intervals.sort();
    let mut out: Vec<Interval> = Vec::with_capacity(intervals.len());
    for (start, end) in intervals {
        if let Some(last) = out.last_mut() {
            match last.1 {
                None => continue,
                Some(last_end) if start <= last_end => {
                    last.1 = end.map(|e| e.max(last_end));
                    continue;
                }
                Some(_) => {}
            }
        }
        out.push((start, end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_clause_cites_article_45_only_for_the_procedures_it_names_on_a_licensing_item() {
        use SpecialProcedure as P;
        assert_eq!(SpecialProcedure::clock_clause(&[], true), None);
        let testing = SpecialProcedure::clock_clause(&[P::Testing], true).unwrap();
        assert!(
            testing.contains("检验") && testing.contains("第四十五条"),
            "{testing}"
        );
        let on_site = SpecialProcedure::clock_clause(&[P::OnSiteVerification], true).unwrap();
        assert!(!on_site.contains("第四十五条"), "{on_site}");
        assert!(
            on_site.contains("依照本事项所依据的法律、法规和规章的规定，所需时间不计入办理期限"),
            "{on_site}"
        );
        assert!(!on_site.contains("（本事项"), "{on_site}");
        let adjudication = SpecialProcedure::clock_clause(&[P::Hearing], false).unwrap();
        assert!(!adjudication.contains("行政许可法"), "{adjudication}");
        let both = SpecialProcedure::clock_clause(&[P::Testing, P::OnSiteSurvey], true).unwrap();
        assert!(
            both.contains("检验依照《中华人民共和国行政许可法》第四十五条")
                && both.contains("现场勘验依照本事项所依据的法律、法规和规章"),
            "{both}"
        );
    }

    #[test]
    fn article_45_names_the_eight_procedures_and_not_on_site_work_or_technical_review() {
        let named: Vec<&str> = SpecialProcedure::ALL
            .into_iter()
            .filter(SpecialProcedure::named_in_article_45)
            .map(|p| p.label_zh())
            .collect();
        assert_eq!(
            named,
            [
                "听证",
                "招标",
                "拍卖",
                "检验",
                "检测",
                "检疫",
                "鉴定",
                "专家评审"
            ]
        );
        for p in SpecialProcedure::ALL {
            assert_eq!(SpecialProcedure::from_label_zh(p.label_zh()), Some(p));
        }
    }

    fn d(text: &str) -> NaiveDateTime {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .unwrap()
            .and_time(NaiveTime::MIN)
    }

    fn s(start: &str, end: Option<&str>) -> Suspension {
        Suspension::from_dates(
            SpecialProcedure::Hearing,
            d(start).date(),
            end.map(|e| d(e).date()),
            "依申请人要求举行听证",
        )
    }

    #[test]
    fn only_procedures_the_item_lists_may_suspend_it() {
        let listed = [
            SpecialProcedure::OnSiteSurvey,
            SpecialProcedure::ExpertReview,
        ];
        assert_eq!(
            check_suspension_allowed(SpecialProcedure::OnSiteSurvey, &listed),
            Ok(())
        );
        let e = check_suspension_allowed(SpecialProcedure::Hearing, &listed).unwrap_err();
        assert_eq!(e.code(), "procedure_not_listed");
        assert_eq!(e.message_zh(), "本事项未列明“听证”程序，不能据此中止计时");
    }

    #[test]
    fn suspensions_overlap_when_they_share_a_moment_and_not_when_they_touch() {
        let first = s("2025-03-05", Some("2025-03-07"));
        assert!(first.overlaps(&s("2025-03-06", Some("2025-03-10"))));
        assert!(first.overlaps(&s("2025-03-01", None)));
        assert!(s("2025-03-06", None).overlaps(&first));
        assert!(!first.overlaps(&s("2025-03-07", None)));
        assert!(!s("2025-03-07", None).overlaps(&first));
        assert!(!first.overlaps(&s("2025-03-03", Some("2025-03-05"))));
    }

    #[test]
    fn overlapping_suspensions_are_counted_once() {
        let merged = merged(&[
            s("2025-03-10", Some("2025-03-14")),
            s("2025-03-05", Some("2025-03-11")),
            s("2025-03-20", Some("2025-03-21")),
        ]);
        assert_eq!(
            merged,
            vec![
                (d("2025-03-05"), Some(d("2025-03-14"))),
                (d("2025-03-20"), Some(d("2025-03-21")))
            ]
        );
    }

    #[test]
    fn an_open_suspension_absorbs_later_ones() {
        let merged = merged(&[s("2025-03-05", None), s("2025-03-20", Some("2025-03-21"))]);
        assert_eq!(merged, vec![(d("2025-03-05"), None)]);
        let merged = merged_of_overlap_into_open();
        assert_eq!(merged, vec![(d("2025-03-05"), None)]);
    }

    fn merged_of_overlap_into_open() -> Vec<Interval> {
        merged(&[s("2025-03-05", Some("2025-03-10")), s("2025-03-08", None)])
    }

    #[test]
    fn every_procedure_has_a_chinese_label_and_a_code_that_round_trips() {
        for p in SpecialProcedure::ALL {
            assert!(!p.label_zh().is_empty());
            assert_eq!(SpecialProcedure::from_code(p.code()), Some(p));
        }
        assert_eq!(SpecialProcedure::from_code("nap"), None);
    }
}
