//! 告知承诺制: the standards the applicant commits to, the materials that may come later and by
//! when, and when the follow-up check is due.

use leptos::prelude::*;

use super::{
    materials::Materials,
    text::{lines, number_or_zero},
};
use crate::{
    api::{
        catalog::{CommitmentSpec, Material, ServiceItem},
        validate::Invalid,
    },
    components::form::{CheckGroup, FormProblem, TextArea, TextField},
};

#[derive(Clone, Copy)]
pub struct Commitment {
    on: RwSignal<bool>,
    standards: RwSignal<String>,
    deferred: RwSignal<Vec<String>>,
    deferred_within: RwSignal<String>,
    follow_up: RwSignal<String>,
}

impl Commitment {
    pub fn new() -> Self {
        let text = || RwSignal::new(String::new());
        Commitment {
            on: RwSignal::new(false),
            standards: text(),
            deferred: RwSignal::new(Vec::new()),
            deferred_within: text(),
            follow_up: text(),
        }
    }

    pub fn load(self, item: &ServiceItem) {
        let Some(c) = &item.commitment else {
            self.clear();
            return;
        };
        self.on.set(true);
        self.standards.set(c.standards.join("\n"));
        self.deferred.set(c.deferred_materials.clone());
        self.deferred_within
            .set(c.deferred_within_working_days.to_string());
        self.follow_up
            .set(c.follow_up_after_working_days.to_string());
    }

    pub fn clear(self) {
        self.on.set(false);
        for text in [self.standards, self.deferred_within, self.follow_up] {
            text.set(String::new());
        }
        self.deferred.set(Vec::new());
    }

    /// The commitment as typed, if the item has one; only materials still listed may be deferred.
    pub fn read(self, materials: &[Material]) -> Result<Option<CommitmentSpec>, Invalid> {
        if !self.on.get_untracked() {
            return Ok(None);
        }
        let keys: Vec<String> = materials.iter().map(|m| m.key.trim().to_string()).collect();
        let mut deferred = self.deferred.get_untracked();
        deferred.retain(|k| keys.contains(k));
        Ok(Some(CommitmentSpec {
            standards: lines(&self.standards.get_untracked()),
            deferred_materials: deferred,
            deferred_within_working_days: number_or_zero(
                &self.deferred_within.get_untracked(),
                "commitment",
                "后补材料期限（工作日）",
            )?,
            follow_up_after_working_days: number_or_zero(
                &self.follow_up.get_untracked(),
                "commitment",
                "核查时间（工作日）",
            )?,
        }))
    }
}

#[component]
pub fn CommitmentFieldset(
    commitment: Commitment,
    materials: Materials,
    problem: FormProblem,
) -> impl IntoView {
    let Commitment {
        on,
        standards,
        deferred,
        deferred_within,
        follow_up,
    } = commitment;
    // This item's materials, for choosing which may be handed in later.
    let choices = Signal::derive(move || materials.choices());
    view! {
        <fieldset class="group">
            <legend>"告知承诺制"</legend>
            <label class="check">
                <input type="checkbox" bind:checked=on />
                <span>"本事项实行告知承诺制"</span>
            </label>
            <Show when=move || on.get()>
                <TextArea
                    id="item-standards"
                    label="条件、标准和技术要求"
                    value=standards
                    hint="每行一条；申请人承诺符合这些要求"
                />
                <Show
                    when=move || !choices.with(Vec::is_empty)
                    fallback=|| {
                        view! {
                            <p class="muted">
                                "可后补的材料须先在“申请材料”中列出。"
                            </p>
                        }
                    }
                >
                    <CheckGroup legend="可容后补交的材料" options=choices chosen=deferred />
                </Show>
                <div class="grid2">
                    <TextField
                        id="item-deferred-within"
                        label="后补材料期限（决定后工作日）"
                        value=deferred_within
                        input_type="number"
                        error=problem.at("commitment")
                    />
                    <TextField
                        id="item-follow-up"
                        label="核查时间（决定后第几个工作日）"
                        value=follow_up
                        input_type="number"
                    />
                </div>
            </Show>
        </fieldset>
    }
}
