//! The window's daily work: the service-item catalog, first inquiries (with referrals and
//! escalations), cases with their reviews, suspensions, extensions and stages, the numbered
//! notices, and the violations supervision is fed from.

use sea_orm_migration::prelude::*;

use super::{fk, id_col, instant};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ServiceCenter {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Unit {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Window {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ServiceItem {
    Table,
    Code,
    Name,
    Category,
    UnitId,
    /// The whole item as JSON (`app::api::catalog::ServiceItemInput`); the columns beside it
    /// are for filtering.
    Definition,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Inquiry {
    Table,
    Id,
    CenterId,
    UnitId,
    OwnerId,
    Channel,
    Topic,
    ItemCode,
    ApplicantName,
    ApplicantPhone,
    Status,
    Outcome,
    OutcomeDetail,
    CaseId,
    Feedback,
    CreatedAt,
    OutcomeAt,
    ClosedAt,
    Version,
}

#[derive(DeriveIden)]
enum Referral {
    Table,
    Id,
    InquiryId,
    ToUnitId,
    ToWindowId,
    Note,
    CreatedAt,
    ConfirmedBy,
    ConfirmedAt,
}

#[derive(DeriveIden)]
enum Escalation {
    Table,
    Id,
    InquiryId,
    UnitId,
    Question,
    CreatedAt,
    Resolution,
    ResolvedBy,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    Number,
    CenterId,
    UnitId,
    ItemCode,
    /// The item as it was at receipt (JSON): a later catalog edit never changes a running case.
    ItemSnapshot,
    OwnerId,
    InquiryId,
    ApplicantKind,
    ApplicantName,
    ApplicantIdNumber,
    ApplicantPhone,
    Channel,
    State,
    Stage,
    StageStartedAt,
    ReceivedAt,
    ReviewDueAt,
    FirstCorrectionAt,
    LastCorrectionAt,
    AcceptedAt,
    ClockStartAt,
    DueAt,
    DueProvisional,
    DecidedAt,
    Decision,
    DecisionReasons,
    FollowUpCheckOn,
    DeliveredAt,
    DeliveryMethod,
    ClosedAt,
    Feedback,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum CaseCounter {
    Table,
    CenterId,
    Year,
    LastSeq,
}

#[derive(DeriveIden)]
enum CaseReview {
    Table,
    Id,
    CaseId,
    Round,
    Verdicts,
    Outcome,
    /// The rules' whole outcome (JSON), deficiencies included.
    OutcomeDetail,
    ReviewedBy,
    ReviewedAt,
}

#[derive(DeriveIden)]
enum CaseCorrection {
    Table,
    Id,
    CaseId,
    MaterialKeys,
    ReceivedBy,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum OneTimeException {
    Table,
    Id,
    CaseId,
    MaterialKeys,
    Reason,
    RequestedBy,
    RequestedAt,
    ApprovedBy,
    ApprovedAt,
    Status,
}

#[derive(DeriveIden)]
enum CaseSuspension {
    Table,
    Id,
    CaseId,
    Procedure,
    StartDate,
    EndDate,
    Reason,
    CreatedBy,
    CreatedAt,
    EndedBy,
}

#[derive(DeriveIden)]
enum CaseExtension {
    Table,
    Id,
    CaseId,
    Days,
    Reason,
    RequestedBy,
    RequestedAt,
    Status,
    DecidedBy,
    DecidedAt,
    DecisionNote,
}

#[derive(DeriveIden)]
enum Violation {
    Table,
    Id,
    Kind,
    CenterId,
    UnitId,
    StaffId,
    CaseId,
    InquiryId,
    At,
    Detail,
}

#[derive(DeriveIden)]
enum Notice {
    Table,
    Id,
    UnitId,
    Kind,
    Year,
    Seq,
    Number,
    CaseId,
    Title,
    Data,
    Html,
    Sha256,
    IssuedBy,
    IssuedAt,
}

#[derive(DeriveIden)]
enum NoticeCounter {
    Table,
    UnitId,
    Kind,
    Year,
    LastSeq,
}

#[derive(DeriveIden)]
enum NoticePrint {
    Table,
    Id,
    NoticeId,
    PrintedBy,
    PrintedAt,
    Reprint,
}

fn text(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().not_null().take()
}

fn string(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().not_null().take()
}

fn string_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().null().take()
}

fn big(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().take()
}

fn big_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().null().take()
}

fn instant_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().take()
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create().name(name).table(table).to_owned();
    for c in cols {
        stmt.col(c);
    }
    if unique {
        stmt.unique();
    }
    m.create_index(stmt).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ServiceItem::Table)
                .col(
                    ColumnDef::new(ServiceItem::Code)
                        .string()
                        .not_null()
                        .primary_key(),
                )
                .col(string(ServiceItem::Name))
                .col(string(ServiceItem::Category))
                .col(big(ServiceItem::UnitId))
                .col(text(ServiceItem::Definition))
                .col(
                    ColumnDef::new(ServiceItem::Active)
                        .boolean()
                        .not_null()
                        .default(true),
                )
                .col(instant(ServiceItem::CreatedAt))
                .col(instant(ServiceItem::UpdatedAt))
                .foreign_key(&mut fk(
                    ServiceItem::Table,
                    ServiceItem::UnitId,
                    Unit::Table,
                    Unit::Id,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_service_item_unit",
            ServiceItem::Table,
            vec![ServiceItem::UnitId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Cases::Table)
                .col(id_col(Cases::Id))
                .col(string(Cases::Number))
                .col(big(Cases::CenterId))
                .col(big(Cases::UnitId))
                .col(string(Cases::ItemCode))
                .col(text(Cases::ItemSnapshot))
                .col(big(Cases::OwnerId))
                .col(big_null(Cases::InquiryId))
                .col(string(Cases::ApplicantKind))
                .col(string(Cases::ApplicantName))
                .col(string(Cases::ApplicantIdNumber))
                .col(string(Cases::ApplicantPhone))
                .col(string(Cases::Channel))
                .col(string(Cases::State))
                .col(string_null(Cases::Stage))
                .col(instant_null(Cases::StageStartedAt))
                .col(instant(Cases::ReceivedAt))
                .col(instant_null(Cases::ReviewDueAt))
                .col(instant_null(Cases::FirstCorrectionAt))
                .col(instant_null(Cases::LastCorrectionAt))
                .col(instant_null(Cases::AcceptedAt))
                .col(instant_null(Cases::ClockStartAt))
                .col(instant_null(Cases::DueAt))
                .col(
                    ColumnDef::new(Cases::DueProvisional)
                        .boolean()
                        .not_null()
                        .default(false),
                )
                .col(instant_null(Cases::DecidedAt))
                .col(string_null(Cases::Decision))
                .col(ColumnDef::new(Cases::DecisionReasons).text().null())
                .col(ColumnDef::new(Cases::FollowUpCheckOn).date().null())
                .col(instant_null(Cases::DeliveredAt))
                .col(string_null(Cases::DeliveryMethod))
                .col(instant_null(Cases::ClosedAt))
                .col(ColumnDef::new(Cases::Feedback).text().null())
                .col(instant(Cases::CreatedAt))
                .col(instant(Cases::UpdatedAt))
                .col(
                    ColumnDef::new(Cases::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .foreign_key(&mut fk(
                    Cases::Table,
                    Cases::CenterId,
                    ServiceCenter::Table,
                    ServiceCenter::Id,
                ))
                .foreign_key(&mut fk(Cases::Table, Cases::UnitId, Unit::Table, Unit::Id))
                .foreign_key(&mut fk(
                    Cases::Table,
                    Cases::ItemCode,
                    ServiceItem::Table,
                    ServiceItem::Code,
                ))
                .foreign_key(&mut fk(
                    Cases::Table,
                    Cases::OwnerId,
                    Staff::Table,
                    Staff::Id,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_cases_number",
            Cases::Table,
            vec![Cases::Number.into_iden()],
            true,
        )
        .await?;
        index(
            m,
            "ix_cases_unit_state",
            Cases::Table,
            vec![Cases::UnitId.into_iden(), Cases::State.into_iden()],
            false,
        )
        .await?;
        index(
            m,
            "ix_cases_owner",
            Cases::Table,
            vec![Cases::OwnerId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CaseCounter::Table)
                .col(big(CaseCounter::CenterId))
                .col(ColumnDef::new(CaseCounter::Year).integer().not_null())
                .col(big(CaseCounter::LastSeq))
                .primary_key(
                    Index::create()
                        .col(CaseCounter::CenterId)
                        .col(CaseCounter::Year),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Inquiry::Table)
                .col(id_col(Inquiry::Id))
                .col(big(Inquiry::CenterId))
                .col(big(Inquiry::UnitId))
                .col(big(Inquiry::OwnerId))
                .col(string(Inquiry::Channel))
                .col(string(Inquiry::Topic))
                .col(string_null(Inquiry::ItemCode))
                .col(string_null(Inquiry::ApplicantName))
                .col(string_null(Inquiry::ApplicantPhone))
                .col(string(Inquiry::Status))
                .col(string_null(Inquiry::Outcome))
                .col(ColumnDef::new(Inquiry::OutcomeDetail).text().null())
                .col(big_null(Inquiry::CaseId))
                .col(ColumnDef::new(Inquiry::Feedback).text().null())
                .col(instant(Inquiry::CreatedAt))
                .col(instant_null(Inquiry::OutcomeAt))
                .col(instant_null(Inquiry::ClosedAt))
                .col(
                    ColumnDef::new(Inquiry::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .foreign_key(&mut fk(
                    Inquiry::Table,
                    Inquiry::OwnerId,
                    Staff::Table,
                    Staff::Id,
                ))
                .foreign_key(&mut fk(
                    Inquiry::Table,
                    Inquiry::UnitId,
                    Unit::Table,
                    Unit::Id,
                ))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_inquiry_owner_status",
            Inquiry::Table,
            vec![Inquiry::OwnerId.into_iden(), Inquiry::Status.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Referral::Table)
                .col(id_col(Referral::Id))
                .col(big(Referral::InquiryId))
                .col(big(Referral::ToUnitId))
                .col(big_null(Referral::ToWindowId))
                .col(ColumnDef::new(Referral::Note).text().null())
                .col(instant(Referral::CreatedAt))
                .col(big_null(Referral::ConfirmedBy))
                .col(instant_null(Referral::ConfirmedAt))
                .foreign_key(&mut fk(
                    Referral::Table,
                    Referral::InquiryId,
                    Inquiry::Table,
                    Inquiry::Id,
                ))
                .foreign_key(&mut fk(
                    Referral::Table,
                    Referral::ToUnitId,
                    Unit::Table,
                    Unit::Id,
                ))
                .foreign_key(&mut fk(
                    Referral::Table,
                    Referral::ToWindowId,
                    Window::Table,
                    Window::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Escalation::Table)
                .col(id_col(Escalation::Id))
                .col(big(Escalation::InquiryId))
                .col(big(Escalation::UnitId))
                .col(text(Escalation::Question))
                .col(instant(Escalation::CreatedAt))
                .col(ColumnDef::new(Escalation::Resolution).text().null())
                .col(big_null(Escalation::ResolvedBy))
                .col(instant_null(Escalation::ResolvedAt))
                .foreign_key(&mut fk(
                    Escalation::Table,
                    Escalation::InquiryId,
                    Inquiry::Table,
                    Inquiry::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CaseReview::Table)
                .col(id_col(CaseReview::Id))
                .col(big(CaseReview::CaseId))
                .col(ColumnDef::new(CaseReview::Round).integer().not_null())
                .col(text(CaseReview::Verdicts))
                .col(string(CaseReview::Outcome))
                .col(text(CaseReview::OutcomeDetail))
                .col(big(CaseReview::ReviewedBy))
                .col(instant(CaseReview::ReviewedAt))
                .foreign_key(&mut fk(
                    CaseReview::Table,
                    CaseReview::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CaseCorrection::Table)
                .col(id_col(CaseCorrection::Id))
                .col(big(CaseCorrection::CaseId))
                .col(text(CaseCorrection::MaterialKeys))
                .col(big(CaseCorrection::ReceivedBy))
                .col(instant(CaseCorrection::ReceivedAt))
                .foreign_key(&mut fk(
                    CaseCorrection::Table,
                    CaseCorrection::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(OneTimeException::Table)
                .col(id_col(OneTimeException::Id))
                .col(big(OneTimeException::CaseId))
                .col(text(OneTimeException::MaterialKeys))
                .col(text(OneTimeException::Reason))
                .col(big(OneTimeException::RequestedBy))
                .col(instant(OneTimeException::RequestedAt))
                .col(big_null(OneTimeException::ApprovedBy))
                .col(instant_null(OneTimeException::ApprovedAt))
                .col(string(OneTimeException::Status))
                .foreign_key(&mut fk(
                    OneTimeException::Table,
                    OneTimeException::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CaseSuspension::Table)
                .col(id_col(CaseSuspension::Id))
                .col(big(CaseSuspension::CaseId))
                .col(string(CaseSuspension::Procedure))
                .col(ColumnDef::new(CaseSuspension::StartDate).date().not_null())
                .col(ColumnDef::new(CaseSuspension::EndDate).date().null())
                .col(text(CaseSuspension::Reason))
                .col(big(CaseSuspension::CreatedBy))
                .col(instant(CaseSuspension::CreatedAt))
                .col(big_null(CaseSuspension::EndedBy))
                .foreign_key(&mut fk(
                    CaseSuspension::Table,
                    CaseSuspension::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CaseExtension::Table)
                .col(id_col(CaseExtension::Id))
                .col(big(CaseExtension::CaseId))
                .col(ColumnDef::new(CaseExtension::Days).integer().not_null())
                .col(text(CaseExtension::Reason))
                .col(big(CaseExtension::RequestedBy))
                .col(instant(CaseExtension::RequestedAt))
                .col(string(CaseExtension::Status))
                .col(big_null(CaseExtension::DecidedBy))
                .col(instant_null(CaseExtension::DecidedAt))
                .col(ColumnDef::new(CaseExtension::DecisionNote).text().null())
                .foreign_key(&mut fk(
                    CaseExtension::Table,
                    CaseExtension::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Violation::Table)
                .col(id_col(Violation::Id))
                .col(string(Violation::Kind))
                .col(big(Violation::CenterId))
                .col(big(Violation::UnitId))
                .col(big_null(Violation::StaffId))
                .col(big_null(Violation::CaseId))
                .col(big_null(Violation::InquiryId))
                .col(instant(Violation::At))
                .col(text(Violation::Detail))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_violation_unit_at",
            Violation::Table,
            vec![Violation::UnitId.into_iden(), Violation::At.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Notice::Table)
                .col(id_col(Notice::Id))
                .col(big(Notice::UnitId))
                .col(string(Notice::Kind))
                .col(ColumnDef::new(Notice::Year).integer().not_null())
                .col(big(Notice::Seq))
                .col(string(Notice::Number))
                .col(big_null(Notice::CaseId))
                .col(string(Notice::Title))
                .col(text(Notice::Data))
                .col(text(Notice::Html))
                .col(string(Notice::Sha256))
                .col(big(Notice::IssuedBy))
                .col(instant(Notice::IssuedAt))
                .foreign_key(&mut fk(
                    Notice::Table,
                    Notice::UnitId,
                    Unit::Table,
                    Unit::Id,
                ))
                .foreign_key(&mut fk(
                    Notice::Table,
                    Notice::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        // No duplicate numbers, ever: the database refuses them even if the counter were wrong.
        index(
            m,
            "ux_notice_unit_kind_year_seq",
            Notice::Table,
            vec![
                Notice::UnitId.into_iden(),
                Notice::Kind.into_iden(),
                Notice::Year.into_iden(),
                Notice::Seq.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            m,
            "ix_notice_case",
            Notice::Table,
            vec![Notice::CaseId.into_iden()],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(NoticeCounter::Table)
                .col(big(NoticeCounter::UnitId))
                .col(string(NoticeCounter::Kind))
                .col(ColumnDef::new(NoticeCounter::Year).integer().not_null())
                .col(big(NoticeCounter::LastSeq))
                .primary_key(
                    Index::create()
                        .col(NoticeCounter::UnitId)
                        .col(NoticeCounter::Kind)
                        .col(NoticeCounter::Year),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(NoticePrint::Table)
                .col(id_col(NoticePrint::Id))
                .col(big(NoticePrint::NoticeId))
                .col(big(NoticePrint::PrintedBy))
                .col(instant(NoticePrint::PrintedAt))
                .col(ColumnDef::new(NoticePrint::Reprint).boolean().not_null())
                .foreign_key(&mut fk(
                    NoticePrint::Table,
                    NoticePrint::NoticeId,
                    Notice::Table,
                    Notice::Id,
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "cases and notices are records; this migration is not reversible".into(),
        ))
    }
}
