//! The acceptance review screen (一次性告知): one large toggle group per material — 齐全 / 缺少 /
//! 不符合（须写明理由）/ 当场更正（申请人签字确认）. The outcome and the due date are previewed in
//! the browser with the very rules the server applies; the server checks again on submit.

use std::{collections::BTreeMap, sync::Arc};

use chrono::NaiveDate;
use leptos::prelude::*;
use rules::{
    BusinessHours, WorkCalendar,
    deadline::compute_due_provisional,
    review::{
        CommitmentTerms, ItemKind, Jurisdiction, MaterialRequirement, MaterialReview,
        MaterialVerdict, ReviewInput, ReviewOutcome,
    },
};

use crate::{
    api::{
        ApiError,
        cases::{self, CaseDetail, ReviewRequest, ReviewResult},
        catalog::{ItemCategory, LimitSpec, ServiceItem},
        notices::NoticeKind,
    },
    components::{feedback::ErrorBox, form, hall_clock::HallClock},
    format,
};

/// The clerk's choice for one material.
#[derive(Clone, Copy)]
struct Choice {
    verdict: RwSignal<&'static str>,
    reason: RwSignal<String>,
    confirmed: RwSignal<bool>,
    applies: RwSignal<bool>,
}

/// What the clerk chose in the review form, kept above the case's live refresh: a refresh (another
/// tablet's change, or catching up when the network returns) re-renders the form and must not
/// reset a single choice. Cleared once a review was recorded.
#[derive(Clone, Copy)]
pub struct ReviewDraft {
    owner: StoredValue<Owner>,
    choices: StoredValue<BTreeMap<String, Choice>>,
    jurisdiction: RwSignal<&'static str>,
    authority: RwSignal<String>,
    commitment_signed: RwSignal<bool>,
}

impl ReviewDraft {
    /// Created by the page, outside what a refresh re-renders.
    pub fn new() -> Self {
        Self {
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            choices: StoredValue::new(BTreeMap::new()),
            jurisdiction: RwSignal::new("competent"),
            authority: RwSignal::new(String::new()),
            commitment_signed: RwSignal::new(false),
        }
    }

    /// The choice for one material: the one already made, else a new one owned by the page.
    fn choice(&self, key: &str) -> Choice {
        if let Some(c) = self.choices.with_value(|m| m.get(key).copied()) {
            return c;
        }
        let c = self.owner.with_value(|o| {
            o.with(|| Choice {
                verdict: RwSignal::new(UNSET),
                reason: RwSignal::new(String::new()),
                confirmed: RwSignal::new(false),
                applies: RwSignal::new(false),
            })
        });
        self.choices.update_value(|m| {
            m.insert(key.to_string(), c);
        });
        c
    }

    /// Every material the case needs found complete: the required ones and the conditional ones
    /// ticked as applying. An optional or a not-applying material is left as it is (it was
    /// stored "齐全合格" although never handed in). Reads only what the page owns, so a tap
    /// that lands on a panel a live refresh is replacing still counts.
    fn all_complete(&self, item: &ServiceItem) {
        self.choices.with_value(|m| {
            for material in &item.materials {
                let Some(c) = m.get(&material.key) else {
                    continue;
                };
                if material.requirement.needed(c.applies.get_untracked()) {
                    c.verdict.set(OK);
                }
            }
        });
    }

    /// After a recorded review: the next review (after corrections) starts blank.
    fn clear(&self) {
        self.choices.with_value(|m| {
            for c in m.values() {
                c.verdict.set(UNSET);
                c.reason.set(String::new());
                c.confirmed.set(false);
                c.applies.set(false);
            }
        });
        self.jurisdiction.set("competent");
        self.authority.set(String::new());
        self.commitment_signed.set(false);
    }
}

const OK: &str = "ok";
const MISSING: &str = "missing";
const NONCONFORMING: &str = "nonconforming";
const CORRECTED: &str = "corrected";
const UNSET: &str = "";

fn verdicts(
    item: &ServiceItem,
    choices: &BTreeMap<String, Choice>,
    today: NaiveDate,
) -> (Vec<MaterialReview>, Vec<String>) {
    let mut verdicts = Vec::new();
    let mut applies = Vec::new();
    for m in &item.materials {
        let Some(c) = choices.get(&m.key) else {
            continue;
        };
        if matches!(m.requirement, MaterialRequirement::Conditional { .. }) && c.applies.get() {
            applies.push(m.key.clone());
        }
        let verdict = match c.verdict.get() {
            OK => MaterialVerdict::Ok,
            MISSING => MaterialVerdict::Missing,
            NONCONFORMING => MaterialVerdict::Nonconforming {
                reason: c.reason.get(),
            },
            CORRECTED => MaterialVerdict::CorrectedOnSpot {
                applicant_confirmed: c.confirmed.get(),
                corrected_on: today,
            },
            _ => continue,
        };
        verdicts.push(MaterialReview {
            key: m.key.clone(),
            verdict,
        });
    }
    (verdicts, applies)
}

/// What the review will decide, in words, before it is sent.
fn preview(
    item: &ServiceItem,
    input: &ReviewInput,
    calendar: Option<&WorkCalendar>,
    hours: Option<&BusinessHours>,
    clock: &HallClock,
) -> Result<String, String> {
    let Some(cal) = calendar else {
        return Err("正在载入工作日历…".into());
    };
    let outcome = rules::review::review(&item.material_specs(), input, &cal.provisional())
        .map_err(|e| e.message_zh())?;
    Ok(match outcome {
        // One tap accepts, decides and issues the grant: the preview says all of it (it had said
        // only 予以受理 for an immediate item).
        ReviewOutcome::AcceptAndHandleOnSpot => {
            let licensing = item.category == ItemCategory::Licensing;
            format!(
                "即办件：予以受理并当场办结，出具《受理通知书》和《{}》，随即送达",
                NoticeKind::ApprovalDecision.title(licensing)
            )
        }
        ReviewOutcome::Accept => {
            let due = hours.and_then(|h| {
                compute_due_provisional(
                    &item.time_limit.time_limit(),
                    clock.local_now(),
                    &[],
                    None,
                    cal,
                    h,
                )
                .ok()
            });
            match due.and_then(|d| d.due.at().map(|at| (at, d.provisional))) {
                Some((at, provisional)) => format!(
                    "予以受理，出具《受理通知书》；办结期限 {}{}",
                    format::date_time(at),
                    if provisional { "（暂定）" } else { "" }
                ),
                None => "予以受理，出具《受理通知书》".into(),
            }
        }
        ReviewOutcome::CorrectionRequired { deficiencies } => format!(
            "出具《一次性补正告知书》，一次告知全部 {} 项：{}",
            deficiencies.len(),
            deficiencies
                .iter()
                .map(|d| d.name.clone())
                .collect::<Vec<_>>()
                .join("、")
        ),
        ReviewOutcome::NotAccepted { ground, .. } => format!("不予受理：{}", ground.label_zh()),
        ReviewOutcome::CommitmentDecision {
            follow_up_check, ..
        } => {
            format!(
                "告知承诺：当场作出准予决定，{} 前核查",
                format::date(follow_up_check)
            )
        }
    })
}

/// What the review's preview is computed from. Held by reference count, not by the panel's
/// reactive owner: a live refresh disposes that owner while the old form is still on screen, and
/// its preview still reacts to the choices (which the page owns) until the new form replaces it.
struct Basis {
    item: ServiceItem,
    calendar: Option<WorkCalendar>,
    hours: Option<BusinessHours>,
    choices: BTreeMap<String, Choice>,
}

impl Basis {
    /// The review as chosen so far.
    fn input(&self, draft: &ReviewDraft, today: NaiveDate) -> ReviewInput {
        let (verdicts, conditions_apply) = verdicts(&self.item, &self.choices, today);
        let jurisdiction = match draft.jurisdiction.get() {
            "not_subject" => Jurisdiction::NotSubjectToApproval,
            "other" => Jurisdiction::OtherAuthority {
                name: Some(draft.authority.get()).filter(|a| !a.trim().is_empty()),
            },
            _ => Jurisdiction::Competent,
        };
        let i = &self.item;
        ReviewInput {
            verdicts,
            conditions_apply,
            jurisdiction,
            item_kind: match i.time_limit {
                LimitSpec::Immediate { .. } => ItemKind::Immediate,
                LimitSpec::Promised { .. } => ItemKind::Promised,
            },
            commitment: match (&i.commitment, draft.commitment_signed.get()) {
                (Some(c), true) => Some(CommitmentTerms {
                    signed: true,
                    follow_up_after_working_days: c.follow_up_after_working_days,
                    deferred_materials: c.deferred_materials.clone(),
                }),
                _ => None,
            },
            reviewed_on: today,
            // The server knows when the case came in and checks it.
            received_on: None,
        }
    }

    /// The input and what it would decide, in words.
    fn preview(
        &self,
        draft: &ReviewDraft,
        clock: &HallClock,
    ) -> (ReviewInput, Result<String, String>) {
        let input = self.input(draft, clock.local_now().date());
        let text = preview(
            &self.item,
            &input,
            self.calendar.as_ref(),
            self.hours.as_ref(),
            clock,
        );
        (input, text)
    }
}

#[component]
pub fn ReviewPanel(
    case: CaseDetail,
    calendar: Option<WorkCalendar>,
    hours: Option<BusinessHours>,
    /// Called with the result after a successful review.
    on_done: Callback<ReviewResult>,
    /// The choices, kept by the page across live refreshes.
    draft: ReviewDraft,
) -> impl IntoView {
    let clock = HallClock::get();
    let choices: BTreeMap<String, Choice> = case
        .item
        .materials
        .iter()
        .map(|m| (m.key.clone(), draft.choice(&m.key)))
        .collect();
    let basis = Arc::new(Basis {
        item: case.item.clone(),
        calendar,
        hours,
        choices,
    });
    let ReviewDraft {
        jurisdiction,
        authority,
        commitment_signed,
        ..
    } = draft;
    let error = RwSignal::new(None::<ApiError>);
    // The material whose 不符合 verdict was sent without its reason: said at its reason box.
    let reason_missing = RwSignal::new(None::<String>);
    let authority_error = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.field.as_deref() == Some("jurisdiction.name"))
                .map(|e| e.message.clone())
        })
    });
    let version = case.summary.version;
    let case_id = case.summary.id;

    let submit = Action::new(move |req: &ReviewRequest| {
        let req = req.clone();
        async move { cases::review(case_id, req).await }
    });
    Effect::new(move |_| {
        if let Some(outcome) = submit.value().get() {
            match outcome {
                Ok(result) => {
                    draft.clear();
                    on_done.run(result)
                }
                Err(e) => error.set(Some(e)),
            }
        }
    });
    let on_submit = {
        let basis = basis.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            // A submit on the form a live refresh is replacing is dropped (the new form holds the
            // same choices): the panel's action is already disposed.
            if error.is_disposed() {
                return;
            }
            let unexplained = basis.item.materials.iter().find(|m| {
                basis.choices.get(&m.key).is_some_and(|c| {
                    c.verdict.get_untracked() == NONCONFORMING
                        && !crate::api::validate::shows_something(&c.reason.get_untracked())
                })
            });
            if let Some(m) = unexplained {
                error.set(None);
                reason_missing.set(Some(m.key.clone()));
                form::focus_field(&format!("reason-{}", m.key));
                return;
            }
            reason_missing.set(None);
            // 不属本单位职权 tells the applicant where to apply: said at the name's box.
            if jurisdiction.get_untracked() == "other"
                && !crate::api::validate::shows_something(&authority.get_untracked())
            {
                error.set(Some(ApiError {
                    code: "competent_authority_required".into(),
                    message: "请写明申请人应当向哪个行政机关申请".into(),
                    field: Some("jurisdiction.name".into()),
                    status: 422,
                    problems: Vec::new(),
                }));
                form::focus_field("authority");
                return;
            }
            let (input, text) = basis.preview(&draft, &clock);
            if let Err(msg) = text {
                error.set(Some(ApiError {
                    code: "review_incomplete".into(),
                    message: msg,
                    field: None,
                    status: 422,
                    problems: Vec::new(),
                }));
                return;
            }
            error.set(None);
            submit.dispatch(ReviewRequest {
                version,
                verdicts: input.verdicts,
                conditions_apply: input.conditions_apply,
                jurisdiction: input.jurisdiction,
                commitment_signed: commitment_signed.get_untracked(),
            });
        }
    };

    let materials = case.item.materials.clone();
    let rows = materials
        .into_iter()
        .map(|m| {
            let c = basis.choices[&m.key];
            let key = m.key.clone();
            let conditional = match &m.requirement {
                MaterialRequirement::Conditional { condition } => Some(condition.clone()),
                _ => None,
            };
            // The rules' own test, read once for each answer to "does it apply?".
            let (when_applies, otherwise) =
                (m.requirement.needed(true), m.requirement.needed(false));
            let needed = move || {
                if c.applies.get() {
                    when_applies
                } else {
                    otherwise
                }
            };
            let group = format!("v-{key}");
            let reason_id = format!("reason-{key}");
            let option = |value: &'static str, label: &'static str| {
                let group = group.clone();
                view! {
                    <label class=format!("toggle {value}")>
                        <input
                            type="radio"
                            name=group
                            value=value
                            prop:checked=move || c.verdict.get() == value
                            on:change=move |_| c.verdict.set(value)
                        />
                        <span>{label}</span>
                    </label>
                }
            };
            view! {
                <fieldset class="material" class:not-needed=move || !needed()>
                    <legend>{m.name.clone()}</legend>
                    <p class="material-meta">{m.description()}" · "{m.requirement_label()}</p>
                    {m.note.clone().map(|n| view! { <p class="hint">{n}</p> })}
                    {conditional
                        .clone()
                        .map(|cond| {
                            view! {
                                <label class="check">
                                    <input type="checkbox" bind:checked=c.applies />
                                    <span>{format!("适用：{cond}")}</span>
                                </label>
                            }
                        })}
                    <div class="toggles">
                        {option(OK, "齐全")} {option(MISSING, "缺少")}
                        {option(NONCONFORMING, "不符合")} {option(CORRECTED, "当场更正")}
                    </div>
                    <Show when=move || c.verdict.get() == NONCONFORMING>
                        <div class="field">
                            <label for=reason_id.clone()>"不符合的理由"</label>
                            {
                                let key = key.clone();
                                let reason_id = reason_id.clone();
                                move || {
                                    (reason_missing.get().as_deref() == Some(key.as_str()))
                                        .then(|| {
                                            view! {
                                                <p
                                                    id=format!("{reason_id}-error")
                                                    class="error-text field-error"
                                                >
                                                    <span class="sr-only">"错误："</span>
                                                    "请写明不符合的理由，如：未加盖公章"
                                                </p>
                                            }
                                        })
                                }
                            }
                            <input
                                id=reason_id.clone()
                                bind:value=c.reason
                                aria-invalid={
                                    let key = key.clone();
                                    move || {
                                        (reason_missing.get().as_deref() == Some(key.as_str()))
                                            .then_some("true")
                                    }
                                }
                                aria-describedby={
                                    let key = key.clone();
                                    let described = format!("{reason_id}-error");
                                    move || {
                                        (reason_missing.get().as_deref() == Some(key.as_str()))
                                            .then(|| described.clone())
                                    }
                                }
                                placeholder="如：未加盖公章"
                            />
                        </div>
                    </Show>
                    <Show when=move || c.verdict.get() == CORRECTED>
                        <label class="check">
                            <input type="checkbox" bind:checked=c.confirmed />
                            <span>
                                "申请人已在更正处签字（盖章）并注明更正日期"
                            </span>
                        </label>
                    </Show>
                </fieldset>
            }
        })
        .collect_view();

    let item = StoredValue::new(case.item.clone());
    let all_ok = move |_| item.with_value(|item| draft.all_complete(item));
    let has_commitment = case.item.commitment.is_some();

    view! {
        <form class="review stack" on:submit=on_submit aria-label="受理审查">
            <div class="row wrap">
                <button type="button" class="button" on:click=all_ok>
                    "全部齐全"
                </button>
            </div>
            {rows}
            <fieldset class="segmented">
                <legend>"受理范围"</legend>
                <label>
                    <input
                        type="radio"
                        name="jurisdiction"
                        prop:checked=move || jurisdiction.get() == "competent"
                        on:change=move |_| jurisdiction.set("competent")
                    />
                    <span>"属本单位职权"</span>
                </label>
                <label>
                    <input
                        type="radio"
                        name="jurisdiction"
                        prop:checked=move || jurisdiction.get() == "not_subject"
                        on:change=move |_| jurisdiction.set("not_subject")
                    />
                    <span>"依法不需审批"</span>
                </label>
                <label>
                    <input
                        type="radio"
                        name="jurisdiction"
                        prop:checked=move || jurisdiction.get() == "other"
                        on:change=move |_| jurisdiction.set("other")
                    />
                    <span>"不属本单位职权"</span>
                </label>
            </fieldset>
            <Show when=move || jurisdiction.get() == "other">
                <div class="field">
                    <label for="authority">"有权机关名称（必填）"</label>
                    <form::FieldError id="authority" error=authority_error />
                    <input
                        id="authority"
                        bind:value=authority
                        aria-invalid=move || authority_error.get().map(|_| "true")
                        aria-describedby=move || {
                            authority_error.get().map(|_| "authority-error")
                        }
                        placeholder="告知申请人向哪个机关申请"
                    />
                </div>
            </Show>
            {has_commitment
                .then(|| {
                    view! {
                        <label class="check">
                            <input type="checkbox" bind:checked=commitment_signed />
                            <span>"申请人选择告知承诺制，并已签署承诺书"</span>
                        </label>
                    }
                })}
            <output class="review-preview" aria-live="polite">
                {move || match basis.preview(&draft, &clock).1 {
                    Ok(text) => {
                        view! {
                            <span>"审查结果预览："</span>
                            <strong>{text}</strong>
                        }
                            .into_any()
                    }
                    Err(msg) => view! { <span class="muted">{msg}</span> }.into_any(),
                }}
            </output>
            {move || {
                error
                    .get()
                    .filter(|e| e.field.as_deref() != Some("jurisdiction.name"))
                    .map(|e| view! { <ErrorBox error=e /> })
            }}
            <button
                type="submit"
                class="button primary big"
                disabled=move || submit.pending().get()
            >
                "提交审查结果"
            </button>
        </form>
    }
}
