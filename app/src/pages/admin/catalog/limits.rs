//! 办理时限: an immediate item (minutes) or a promised one (working days, within the statutory
//! limit), its stage limits, the special procedures that stop the clock and the extension bound.

use leptos::prelude::*;
use rules::{SpecialProcedure, Stage, StageLimit};

use super::text::{number, number_or_zero};
use crate::{
    api::{
        catalog::{LimitSpec, ServiceItem},
        validate::Invalid,
    },
    components::form::{CheckGroup, FieldError, FormProblem, SelectField, TextField},
};

const IMMEDIATE: &str = "immediate";
const PROMISED: &str = "promised";

#[derive(Clone, Copy)]
pub struct Limits {
    kind: RwSignal<String>,
    minutes: RwSignal<String>,
    promised_days: RwSignal<String>,
    statutory_days: RwSignal<String>,
    stage_days: [RwSignal<String>; 4],
    procedures: RwSignal<Vec<String>>,
    extension: RwSignal<String>,
}

/// The limits as the request carries them.
pub struct LimitsInput {
    pub time_limit: LimitSpec,
    pub stage_limits: Vec<StageLimit>,
    pub special_procedures: Vec<SpecialProcedure>,
    pub extension_bound_days: u32,
}

impl Limits {
    pub fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Limits {
            kind: RwSignal::new(PROMISED.to_string()),
            minutes: text(),
            promised_days: text(),
            statutory_days: text(),
            stage_days: Stage::ALL.map(|_| text()),
            procedures: RwSignal::new(Vec::new()),
            extension: text(),
        }
    }

    fn immediate(self) -> bool {
        self.kind.get_untracked() == IMMEDIATE
    }

    pub fn load(self, item: &ServiceItem) {
        let (kind, minutes, promised, statutory) = match item.time_limit {
            LimitSpec::Immediate { minutes } => (IMMEDIATE, minutes.to_string(), 0, 0),
            LimitSpec::Promised {
                working_days,
                statutory_working_days,
            } => (
                PROMISED,
                String::new(),
                working_days,
                statutory_working_days,
            ),
        };
        let as_text = |d: u32| {
            if kind == IMMEDIATE {
                String::new()
            } else {
                d.to_string()
            }
        };
        self.kind.set(kind.to_string());
        self.minutes.set(minutes);
        self.promised_days.set(as_text(promised));
        self.statutory_days.set(as_text(statutory));
        for (stage, days) in Stage::ALL.iter().zip(self.stage_days) {
            let limit = item.stage_limits.iter().find(|s| s.stage == *stage);
            days.set(
                limit
                    .map(|s| s.working_days.to_string())
                    .unwrap_or_default(),
            );
        }
        let procedures = item.special_procedures.iter();
        self.procedures
            .set(procedures.map(|p| p.code().to_string()).collect());
        self.extension.set(item.extension_bound_days.to_string());
    }

    pub fn clear(self) {
        self.kind.set(PROMISED.to_string());
        let texts = [
            self.minutes,
            self.promised_days,
            self.statutory_days,
            self.extension,
        ];
        for text in texts.into_iter().chain(self.stage_days) {
            text.set(String::new());
        }
        self.procedures.set(Vec::new());
    }

    /// The limits as typed; numbers that do not read are the problem here, the rules of the
    /// catalog are checked by `ServiceItemInput::validated()`.
    pub fn read(self) -> Result<LimitsInput, Invalid> {
        if self.immediate() {
            let minutes = number(
                &self.minutes.get_untracked(),
                "time_limit",
                "即办时限（分钟）",
            )?;
            return Ok(LimitsInput {
                time_limit: LimitSpec::Immediate { minutes },
                stage_limits: Vec::new(),
                special_procedures: Vec::new(),
                extension_bound_days: 0,
            });
        }
        let promised = self.promised_days.get_untracked();
        let statutory = self.statutory_days.get_untracked();
        let chosen = self.procedures.get_untracked();
        Ok(LimitsInput {
            time_limit: LimitSpec::Promised {
                working_days: number(&promised, "time_limit", "承诺时限（工作日）")?,
                statutory_working_days: number(&statutory, "time_limit", "法定时限（工作日）")?,
            },
            stage_limits: self.stage_limits()?,
            special_procedures: SpecialProcedure::ALL
                .into_iter()
                .filter(|p| chosen.iter().any(|c| c == p.code()))
                .collect(),
            extension_bound_days: number_or_zero(
                &self.extension.get_untracked(),
                "extension_bound_days",
                "延期上限（工作日）",
            )?,
        })
    }

    /// The stages given a limit; a blank stage has none of its own.
    fn stage_limits(self) -> Result<Vec<StageLimit>, Invalid> {
        let mut limits = Vec::new();
        for (stage, days) in Stage::ALL.iter().zip(self.stage_days) {
            let text = days.get_untracked();
            if text.trim().is_empty() {
                continue;
            }
            let label = format!("{}环节时限", stage.label_zh());
            let working_days = number(&text, "stage_limits", &label)?;
            if working_days == 0 {
                return Err(Invalid::new(
                    "invalid_number",
                    "stage_limits",
                    format!("{label}至少 1 个工作日，不设时限请留空"),
                ));
            }
            limits.push(StageLimit {
                stage: *stage,
                working_days,
            });
        }
        Ok(limits)
    }

    /// The id of the input an error about `field` concerns.
    pub fn target(self, field: &str) -> Option<&'static str> {
        Some(match field {
            "time_limit" if self.immediate() => "item-minutes",
            "time_limit" => "item-promised-days",
            "stage_limits" => "item-stage-acceptance",
            "extension_bound_days" => "item-extension",
            "special_procedures" => "item-procedures",
            _ => return None,
        })
    }
}

/// A stable id fragment for a stage's input.
fn stage_code(stage: Stage) -> &'static str {
    match stage {
        Stage::Acceptance => "acceptance",
        Stage::Review => "review",
        Stage::Decision => "decision",
        Stage::Delivery => "delivery",
    }
}

#[component]
pub fn LimitsFieldset(limits: Limits, problem: FormProblem) -> impl IntoView {
    let immediate = move || limits.kind.get() == IMMEDIATE;
    let kinds = Signal::derive(|| {
        vec![
            (IMMEDIATE.to_string(), "即办件（按分钟计）".to_string()),
            (PROMISED.to_string(), "承诺件（按工作日计）".to_string()),
        ]
    });
    let procedures = Signal::derive(|| {
        let all = SpecialProcedure::ALL.iter();
        all.map(|p| (p.code().to_string(), p.label_zh().to_string()))
            .collect::<Vec<_>>()
    });
    let time_limit_error = problem.at("time_limit");
    let stage_error = problem.at("stage_limits");
    view! {
        <fieldset class="group">
            <legend>"办理时限"</legend>
            <div class="grid2">
                <SelectField
                    id="item-limit-kind"
                    label="办件类型"
                    value=limits.kind
                    options=kinds
                />
                <Show
                    when=immediate
                    fallback=move || {
                        view! {
                            <TextField
                                id="item-promised-days"
                                label="承诺时限（工作日）"
                                value=limits.promised_days
                                input_type="number"
                                required=true
                                error=time_limit_error
                            />
                            <TextField
                                id="item-statutory-days"
                                label="法定时限（工作日）"
                                value=limits.statutory_days
                                input_type="number"
                                required=true
                                hint="承诺时限不得超过法定时限"
                            />
                        }
                    }
                >
                    <TextField
                        id="item-minutes"
                        label="即办时限（分钟）"
                        value=limits.minutes
                        input_type="number"
                        required=true
                        hint="1–1440 分钟"
                        error=time_limit_error
                    />
                </Show>
            </div>
            <Show
                when=move || !immediate()
                fallback=|| {
                    view! {
                        <p class="muted">
                            "即办件不设环节时限，不中止计时，不延期。"
                        </p>
                    }
                }
            >
                <fieldset
                    class="group"
                    aria-describedby=move || {
                        stage_error.with(Option::is_some).then_some("item-stages-error")
                    }
                >
                    <legend>"环节时限（工作日，留空表示不单独设定）"</legend>
                    <FieldError id="item-stages" error=stage_error />
                    <div class="grid4">
                        {Stage::ALL
                            .iter()
                            .zip(limits.stage_days)
                            .map(|(stage, days)| {
                                let id = format!("item-stage-{}", stage_code(*stage));
                                view! {
                                    <div class="field">
                                        <label for=id.clone()>{stage.label_zh()}</label>
                                        <input
                                            id=id.clone()
                                            name=id
                                            type="number"
                                            min="1"
                                            inputmode="numeric"
                                            bind:value=days
                                        />
                                    </div>
                                }
                            })
                            .collect_view()}
                    </div>
                    <p class="hint">
                        "各环节合计不得超过承诺时限；上级机关审批时间包含在内。"
                    </p>
                </fieldset>
                <CheckGroup
                    id="item-procedures"
                    legend="可能需要的特别程序（期间不计入时限）"
                    options=procedures
                    chosen=limits.procedures
                    error=problem.at("special_procedures")
                />
                <TextField
                    id="item-extension"
                    label="延期上限（工作日）"
                    value=limits.extension
                    input_type="number"
                    hint="行政许可最多 10 个工作日；留空或 0 表示不可延期"
                    error=problem.at("extension_bound_days")
                />
            </Show>
        </fieldset>
    }
}
