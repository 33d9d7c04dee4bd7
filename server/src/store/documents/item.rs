//! The catalog item as stored: `service_item.definition` (what the administrator entered) and
//! `cases.item_snapshot` (the item as it was when a case was received). Version 1 is the JSON
//! of `ServiceItemInput` and `ServiceItem` as they were when these types were written.

use app::api::catalog::{
    CommitmentSpec, Copies, ItemCategory, LimitSpec, Material, MaterialForm, ServiceItem,
    ServiceItemInput,
};
use rules::{SpecialProcedure, Stage, StageLimit, review::MaterialRequirement};
use serde::{Deserialize, Serialize};

/// `service_item.definition`, version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemDefinitionV1 {
    pub code: String,
    pub name: String,
    pub category: CategoryV1,
    pub unit_id: i64,
    pub legal_basis: String,
    pub conditions: Vec<String>,
    pub materials: Vec<MaterialV1>,
    #[serde(default)]
    pub no_materials: bool,
    pub steps: Vec<String>,
    pub time_limit: LimitV1,
    #[serde(default)]
    pub stage_limits: Vec<StageLimitV1>,
    #[serde(default)]
    pub special_procedures: Vec<ProcedureV1>,
    #[serde(default)]
    pub extension_bound_days: u32,
    #[serde(default)]
    pub fee: Option<String>,
    pub place: String,
    pub phone: String,
    #[serde(default)]
    pub commitment: Option<CommitmentV1>,
}

/// `cases.item_snapshot`, version 1: the definition plus what the case showed beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseItemV1 {
    #[serde(flatten)]
    pub definition: ItemDefinitionV1,
    pub unit_name: String,
    pub center_id: i64,
    pub center_name: String,
    pub active: bool,
}

/// What a list of cases shows of `cases.item_snapshot`, version 1: the item's name and time
/// limit, read straight from the text with the rest of the document skipped (issue 16: a page of
/// 50 cases built 50 whole items, materials and all, to show two fields of each).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CaseItemHeadV1 {
    /// The version marker (absent on rows written before it existed).
    #[serde(default)]
    pub v: Option<u64>,
    pub name: String,
    pub time_limit: LimitV1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CategoryV1 {
    Licensing,
    Confirmation,
    Benefit,
    Adjudication,
    Reward,
    OtherPower,
    PublicService,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialV1 {
    pub key: String,
    pub name: String,
    pub copies: CopiesV1,
    pub count: u32,
    pub form: FormV1,
    pub source: String,
    pub requirement: RequirementV1,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopiesV1 {
    Original,
    Copy,
    OriginalAndCopy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormV1 {
    Paper,
    Electronic,
    PaperOrElectronic,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RequirementV1 {
    Required,
    Conditional { condition: String },
    Optional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LimitV1 {
    Immediate {
        minutes: u32,
    },
    Promised {
        working_days: u32,
        statutory_working_days: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageLimitV1 {
    pub stage: StageV1,
    pub working_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageV1 {
    Acceptance,
    Review,
    Decision,
    Delivery,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcedureV1 {
    Hearing,
    Bidding,
    Auction,
    Testing,
    Inspection,
    Quarantine,
    Appraisal,
    ExpertReview,
    OnSiteSurvey,
    OnSiteVerification,
    TechnicalReview,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentV1 {
    pub standards: Vec<String>,
    pub deferred_materials: Vec<String>,
    pub deferred_within_working_days: u32,
    pub follow_up_after_working_days: u32,
}

impl From<&ServiceItemInput> for ItemDefinitionV1 {
    fn from(i: &ServiceItemInput) -> Self {
        Self {
            code: i.code.clone(),
            name: i.name.clone(),
            category: i.category.into(),
            unit_id: i.unit_id,
            legal_basis: i.legal_basis.clone(),
            conditions: i.conditions.clone(),
            materials: i.materials.iter().map(Into::into).collect(),
            no_materials: i.no_materials,
            steps: i.steps.clone(),
            time_limit: i.time_limit.into(),
            stage_limits: i.stage_limits.iter().map(Into::into).collect(),
            special_procedures: i.special_procedures.iter().map(Into::into).collect(),
            extension_bound_days: i.extension_bound_days,
            fee: i.fee.clone(),
            place: i.place.clone(),
            phone: i.phone.clone(),
            commitment: i.commitment.as_ref().map(Into::into),
        }
    }
}

impl From<ItemDefinitionV1> for ServiceItemInput {
    fn from(d: ItemDefinitionV1) -> Self {
        Self {
            code: d.code,
            name: d.name,
            category: d.category.into(),
            unit_id: d.unit_id,
            legal_basis: d.legal_basis,
            conditions: d.conditions,
            materials: d.materials.into_iter().map(Into::into).collect(),
            no_materials: d.no_materials,
            steps: d.steps,
            time_limit: d.time_limit.into(),
            stage_limits: d.stage_limits.into_iter().map(Into::into).collect(),
            special_procedures: d.special_procedures.into_iter().map(Into::into).collect(),
            extension_bound_days: d.extension_bound_days,
            fee: d.fee,
            place: d.place,
            phone: d.phone,
            commitment: d.commitment.map(Into::into),
        }
    }
}

impl From<&ServiceItem> for CaseItemV1 {
    fn from(i: &ServiceItem) -> Self {
        Self {
            definition: ItemDefinitionV1 {
                code: i.code.clone(),
                name: i.name.clone(),
                category: i.category.into(),
                unit_id: i.unit_id,
                legal_basis: i.legal_basis.clone(),
                conditions: i.conditions.clone(),
                materials: i.materials.iter().map(Into::into).collect(),
                no_materials: i.no_materials,
                steps: i.steps.clone(),
                time_limit: i.time_limit.into(),
                stage_limits: i.stage_limits.iter().map(Into::into).collect(),
                special_procedures: i.special_procedures.iter().map(Into::into).collect(),
                extension_bound_days: i.extension_bound_days,
                fee: i.fee.clone(),
                place: i.place.clone(),
                phone: i.phone.clone(),
                commitment: i.commitment.as_ref().map(Into::into),
            },
            unit_name: i.unit_name.clone(),
            center_id: i.center_id,
            center_name: i.center_name.clone(),
            active: i.active,
        }
    }
}

impl From<CaseItemV1> for ServiceItem {
    fn from(s: CaseItemV1) -> Self {
        let d = s.definition;
        Self {
            code: d.code,
            name: d.name,
            category: d.category.into(),
            unit_id: d.unit_id,
            unit_name: s.unit_name,
            center_id: s.center_id,
            center_name: s.center_name,
            legal_basis: d.legal_basis,
            conditions: d.conditions,
            materials: d.materials.into_iter().map(Into::into).collect(),
            no_materials: d.no_materials,
            steps: d.steps,
            time_limit: d.time_limit.into(),
            stage_limits: d.stage_limits.into_iter().map(Into::into).collect(),
            special_procedures: d.special_procedures.into_iter().map(Into::into).collect(),
            extension_bound_days: d.extension_bound_days,
            fee: d.fee,
            place: d.place,
            phone: d.phone,
            commitment: d.commitment.map(Into::into),
            active: s.active,
        }
    }
}

impl From<ItemCategory> for CategoryV1 {
    fn from(c: ItemCategory) -> Self {
        match c {
            ItemCategory::Licensing => Self::Licensing,
            ItemCategory::Confirmation => Self::Confirmation,
            ItemCategory::Benefit => Self::Benefit,
            ItemCategory::Adjudication => Self::Adjudication,
            ItemCategory::Reward => Self::Reward,
            ItemCategory::OtherPower => Self::OtherPower,
            ItemCategory::PublicService => Self::PublicService,
        }
    }
}

impl From<CategoryV1> for ItemCategory {
    fn from(c: CategoryV1) -> Self {
        match c {
            CategoryV1::Licensing => Self::Licensing,
            CategoryV1::Confirmation => Self::Confirmation,
            CategoryV1::Benefit => Self::Benefit,
            CategoryV1::Adjudication => Self::Adjudication,
            CategoryV1::Reward => Self::Reward,
            CategoryV1::OtherPower => Self::OtherPower,
            CategoryV1::PublicService => Self::PublicService,
        }
    }
}

impl From<&Material> for MaterialV1 {
    fn from(m: &Material) -> Self {
        Self {
            key: m.key.clone(),
            name: m.name.clone(),
            copies: m.copies.into(),
            count: m.count,
            form: m.form.into(),
            source: m.source.clone(),
            requirement: (&m.requirement).into(),
            note: m.note.clone(),
        }
    }
}

impl From<MaterialV1> for Material {
    fn from(m: MaterialV1) -> Self {
        Self {
            key: m.key,
            name: m.name,
            copies: m.copies.into(),
            count: m.count,
            form: m.form.into(),
            source: m.source,
            requirement: m.requirement.into(),
            note: m.note,
        }
    }
}

impl From<Copies> for CopiesV1 {
    fn from(c: Copies) -> Self {
        match c {
            Copies::Original => Self::Original,
            Copies::Copy => Self::Copy,
            Copies::OriginalAndCopy => Self::OriginalAndCopy,
        }
    }
}

impl From<CopiesV1> for Copies {
    fn from(c: CopiesV1) -> Self {
        match c {
            CopiesV1::Original => Self::Original,
            CopiesV1::Copy => Self::Copy,
            CopiesV1::OriginalAndCopy => Self::OriginalAndCopy,
        }
    }
}

impl From<MaterialForm> for FormV1 {
    fn from(f: MaterialForm) -> Self {
        match f {
            MaterialForm::Paper => Self::Paper,
            MaterialForm::Electronic => Self::Electronic,
            MaterialForm::PaperOrElectronic => Self::PaperOrElectronic,
        }
    }
}

impl From<FormV1> for MaterialForm {
    fn from(f: FormV1) -> Self {
        match f {
            FormV1::Paper => Self::Paper,
            FormV1::Electronic => Self::Electronic,
            FormV1::PaperOrElectronic => Self::PaperOrElectronic,
        }
    }
}

impl From<&MaterialRequirement> for RequirementV1 {
    fn from(r: &MaterialRequirement) -> Self {
        match r {
            MaterialRequirement::Required => Self::Required,
            MaterialRequirement::Conditional { condition } => Self::Conditional {
                condition: condition.clone(),
            },
            MaterialRequirement::Optional => Self::Optional,
        }
    }
}

impl From<RequirementV1> for MaterialRequirement {
    fn from(r: RequirementV1) -> Self {
        match r {
            RequirementV1::Required => Self::Required,
            RequirementV1::Conditional { condition } => Self::Conditional { condition },
            RequirementV1::Optional => Self::Optional,
        }
    }
}

impl From<LimitSpec> for LimitV1 {
    fn from(l: LimitSpec) -> Self {
        match l {
            LimitSpec::Immediate { minutes } => Self::Immediate { minutes },
            LimitSpec::Promised {
                working_days,
                statutory_working_days,
            } => Self::Promised {
                working_days,
                statutory_working_days,
            },
        }
    }
}

impl From<LimitV1> for LimitSpec {
    fn from(l: LimitV1) -> Self {
        match l {
            LimitV1::Immediate { minutes } => Self::Immediate { minutes },
            LimitV1::Promised {
                working_days,
                statutory_working_days,
            } => Self::Promised {
                working_days,
                statutory_working_days,
            },
        }
    }
}

impl From<&StageLimit> for StageLimitV1 {
    fn from(s: &StageLimit) -> Self {
        Self {
            stage: s.stage.into(),
            working_days: s.working_days,
        }
    }
}

impl From<StageLimitV1> for StageLimit {
    fn from(s: StageLimitV1) -> Self {
        Self {
            stage: s.stage.into(),
            working_days: s.working_days,
        }
    }
}

impl From<Stage> for StageV1 {
    fn from(s: Stage) -> Self {
        match s {
            Stage::Acceptance => Self::Acceptance,
            Stage::Review => Self::Review,
            Stage::Decision => Self::Decision,
            Stage::Delivery => Self::Delivery,
        }
    }
}

impl From<StageV1> for Stage {
    fn from(s: StageV1) -> Self {
        match s {
            StageV1::Acceptance => Self::Acceptance,
            StageV1::Review => Self::Review,
            StageV1::Decision => Self::Decision,
            StageV1::Delivery => Self::Delivery,
        }
    }
}

impl From<&SpecialProcedure> for ProcedureV1 {
    fn from(p: &SpecialProcedure) -> Self {
        match p {
            SpecialProcedure::Hearing => Self::Hearing,
            SpecialProcedure::Bidding => Self::Bidding,
            SpecialProcedure::Auction => Self::Auction,
            SpecialProcedure::Testing => Self::Testing,
            SpecialProcedure::Inspection => Self::Inspection,
            SpecialProcedure::Quarantine => Self::Quarantine,
            SpecialProcedure::Appraisal => Self::Appraisal,
            SpecialProcedure::ExpertReview => Self::ExpertReview,
            SpecialProcedure::OnSiteSurvey => Self::OnSiteSurvey,
            SpecialProcedure::OnSiteVerification => Self::OnSiteVerification,
            SpecialProcedure::TechnicalReview => Self::TechnicalReview,
        }
    }
}

impl From<ProcedureV1> for SpecialProcedure {
    fn from(p: ProcedureV1) -> Self {
        match p {
            ProcedureV1::Hearing => Self::Hearing,
            ProcedureV1::Bidding => Self::Bidding,
            ProcedureV1::Auction => Self::Auction,
            ProcedureV1::Testing => Self::Testing,
            ProcedureV1::Inspection => Self::Inspection,
            ProcedureV1::Quarantine => Self::Quarantine,
            ProcedureV1::Appraisal => Self::Appraisal,
            ProcedureV1::ExpertReview => Self::ExpertReview,
            ProcedureV1::OnSiteSurvey => Self::OnSiteSurvey,
            ProcedureV1::OnSiteVerification => Self::OnSiteVerification,
            ProcedureV1::TechnicalReview => Self::TechnicalReview,
        }
    }
}

impl From<&CommitmentSpec> for CommitmentV1 {
    fn from(c: &CommitmentSpec) -> Self {
        Self {
            standards: c.standards.clone(),
            deferred_materials: c.deferred_materials.clone(),
            deferred_within_working_days: c.deferred_within_working_days,
            follow_up_after_working_days: c.follow_up_after_working_days,
        }
    }
}

impl From<CommitmentV1> for CommitmentSpec {
    fn from(c: CommitmentV1) -> Self {
        Self {
            standards: c.standards,
            deferred_materials: c.deferred_materials,
            deferred_within_working_days: c.deferred_within_working_days,
            follow_up_after_working_days: c.follow_up_after_working_days,
        }
    }
}
