//! Supervision (issue #13): problems and their evidence files, the rectification list, 好差评
//! rating codes, ratings and appeals, 约谈 records and the units' monthly submissions.

use sea_orm_migration::prelude::*;

use super::{id_col, instant};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Problem {
    Table,
    Id,
    Kind,
    Source,
    CenterId,
    UnitId,
    WindowId,
    StaffId,
    FoundAt,
    FoundOn,
    Description,
    EvidenceKind,
    EvidenceId,
    DedupeKey,
    ReportedBy,
    Struck,
}

#[derive(DeriveIden, Clone, Copy)]
enum ProblemFile {
    Table,
    Id,
    ProblemId,
    FileName,
    ContentType,
    Size,
    Bytes,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Rectification {
    Table,
    Id,
    ProblemId,
    CenterId,
    UnitId,
    StaffId,
    Status,
    FoundOn,
    Deadline,
    Measure,
    ReportNote,
    ReportedAt,
    ReportedBy,
    CloseNote,
    ClosedAt,
    ClosedOn,
    ClosedBy,
    Reopened,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum RatingCode {
    Table,
    Id,
    Code,
    Subject,
    SubjectId,
    CenterId,
    UnitId,
    WindowId,
    StaffId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Rating {
    Table,
    Id,
    CodeId,
    Subject,
    SubjectId,
    Channel,
    CenterId,
    UnitId,
    WindowId,
    StaffId,
    Level,
    Points,
    Indicators,
    Comment,
    RatedAt,
    RatedOn,
    Struck,
    ProblemId,
    FollowUpAt,
    FollowUpBy,
    FollowUpNote,
}

#[derive(DeriveIden, Clone, Copy)]
enum RatingAppeal {
    Table,
    Id,
    RatingId,
    Reason,
    FiledBy,
    FiledAt,
    Status,
    DecidedBy,
    DecidedAt,
    DecisionNote,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum Interview {
    Table,
    Id,
    SubjectKind,
    SubjectId,
    Quarter,
    Problems,
    HeldOn,
    InterviewerId,
    Outcome,
    CreatedAt,
}

/// The case columns the overview and the detector filter on.
#[derive(DeriveIden, Clone, Copy)]
enum Cases {
    Table,
    DueAt,
    DecidedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum MonthlySubmission {
    Table,
    Id,
    UnitId,
    Month,
    SubmittedAt,
    SubmittedOn,
    SubmittedBy,
}

fn s(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().not_null().take()
}

fn s_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).string().null().take()
}

fn text(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().not_null().take()
}

fn text_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).text().null().take()
}

fn b(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().take()
}

fn b_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).big_integer().null().take()
}

fn t_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().null().take()
}

fn day(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).date().not_null().take()
}

fn flag(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col)
        .boolean()
        .not_null()
        .default(false)
        .take()
}

async fn index(
    m: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + Clone + 'static,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
    }
    if unique {
        i.unique();
    }
    m.create_index(i.to_owned()).await
}

fn cols<const N: usize>(c: [impl IntoIden; N]) -> Vec<DynIden> {
    c.into_iter().map(IntoIden::into_iden).collect()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Problem::Table)
                .col(id_col(Problem::Id))
                .col(s(Problem::Kind))
                .col(s(Problem::Source))
                .col(b(Problem::CenterId))
                .col(b_null(Problem::UnitId))
                .col(b_null(Problem::WindowId))
                .col(b_null(Problem::StaffId))
                .col(instant(Problem::FoundAt))
                .col(day(Problem::FoundOn))
                .col(text(Problem::Description))
                .col(s_null(Problem::EvidenceKind))
                .col(b_null(Problem::EvidenceId))
                .col(s_null(Problem::DedupeKey))
                .col(b_null(Problem::ReportedBy))
                .col(flag(Problem::Struck))
                .to_owned(),
        )
        .await?;
        // The detector's idempotence: one problem per kind and piece of evidence.
        let t = Problem::Table;
        index(m, "ux_problem_dedupe", t, cols([Problem::DedupeKey]), true).await?;
        index(m, "ix_problem_found_on", t, cols([Problem::FoundOn]), false).await?;
        let unit_day = cols([Problem::UnitId, Problem::FoundOn]);
        index(m, "ix_problem_unit_found_on", t, unit_day, false).await?;
        let staff_day = cols([Problem::StaffId, Problem::FoundOn]);
        index(m, "ix_problem_staff_found_on", t, staff_day, false).await?;

        m.create_table(
            Table::create()
                .table(ProblemFile::Table)
                .col(id_col(ProblemFile::Id))
                .col(b(ProblemFile::ProblemId))
                .col(s(ProblemFile::FileName))
                .col(s(ProblemFile::ContentType))
                .col(b(ProblemFile::Size))
                .col(ColumnDef::new(ProblemFile::Bytes).blob().not_null())
                .col(b(ProblemFile::UploadedBy))
                .col(instant(ProblemFile::UploadedAt))
                .to_owned(),
        )
        .await?;
        let t = ProblemFile::Table;
        index(
            m,
            "ix_problem_file_problem",
            t,
            cols([ProblemFile::ProblemId]),
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Rectification::Table)
                .col(id_col(Rectification::Id))
                .col(b(Rectification::ProblemId))
                .col(b(Rectification::CenterId))
                .col(b(Rectification::UnitId))
                .col(b_null(Rectification::StaffId))
                .col(s(Rectification::Status))
                .col(day(Rectification::FoundOn))
                .col(day(Rectification::Deadline))
                .col(text_null(Rectification::Measure))
                .col(text_null(Rectification::ReportNote))
                .col(t_null(Rectification::ReportedAt))
                .col(b_null(Rectification::ReportedBy))
                .col(text_null(Rectification::CloseNote))
                .col(t_null(Rectification::ClosedAt))
                .col(ColumnDef::new(Rectification::ClosedOn).date().null())
                .col(b_null(Rectification::ClosedBy))
                .col(
                    ColumnDef::new(Rectification::Reopened)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(instant(Rectification::CreatedAt))
                .col(instant(Rectification::UpdatedAt))
                .col(
                    ColumnDef::new(Rectification::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await?;
        let t = Rectification::Table;
        index(
            m,
            "ux_rectification_problem",
            t,
            cols([Rectification::ProblemId]),
            true,
        )
        .await?;
        let st = cols([Rectification::Status, Rectification::Deadline]);
        index(m, "ix_rectification_status_deadline", t, st, false).await?;
        let unit = cols([Rectification::UnitId, Rectification::FoundOn]);
        index(m, "ix_rectification_unit_found_on", t, unit, false).await?;

        m.create_table(
            Table::create()
                .table(RatingCode::Table)
                .col(id_col(RatingCode::Id))
                .col(s(RatingCode::Code))
                .col(s(RatingCode::Subject))
                .col(b(RatingCode::SubjectId))
                .col(b(RatingCode::CenterId))
                .col(b(RatingCode::UnitId))
                .col(b_null(RatingCode::WindowId))
                .col(b_null(RatingCode::StaffId))
                .col(instant(RatingCode::CreatedAt))
                .to_owned(),
        )
        .await?;
        let t = RatingCode::Table;
        index(m, "ux_rating_code_code", t, cols([RatingCode::Code]), true).await?;
        let subject = cols([RatingCode::Subject, RatingCode::SubjectId]);
        index(m, "ux_rating_code_subject", t, subject, true).await?;

        m.create_table(
            Table::create()
                .table(Rating::Table)
                .col(id_col(Rating::Id))
                .col(b(Rating::CodeId))
                .col(s(Rating::Subject))
                .col(b(Rating::SubjectId))
                .col(s(Rating::Channel))
                .col(b(Rating::CenterId))
                .col(b(Rating::UnitId))
                .col(b_null(Rating::WindowId))
                .col(b_null(Rating::StaffId))
                .col(s(Rating::Level))
                .col(ColumnDef::new(Rating::Points).integer().not_null())
                .col(text(Rating::Indicators))
                .col(text_null(Rating::Comment))
                .col(instant(Rating::RatedAt))
                .col(day(Rating::RatedOn))
                .col(flag(Rating::Struck))
                .col(b_null(Rating::ProblemId))
                .col(t_null(Rating::FollowUpAt))
                .col(b_null(Rating::FollowUpBy))
                .col(text_null(Rating::FollowUpNote))
                .to_owned(),
        )
        .await?;
        // 一次一评 / 一事一评: one rating per code.
        let t = Rating::Table;
        index(m, "ux_rating_code", t, cols([Rating::CodeId]), true).await?;
        index(m, "ix_rating_rated_on", t, cols([Rating::RatedOn]), false).await?;
        let unit = cols([Rating::UnitId, Rating::RatedOn]);
        index(m, "ix_rating_unit_rated_on", t, unit, false).await?;

        m.create_table(
            Table::create()
                .table(RatingAppeal::Table)
                .col(id_col(RatingAppeal::Id))
                .col(b(RatingAppeal::RatingId))
                .col(text(RatingAppeal::Reason))
                .col(b(RatingAppeal::FiledBy))
                .col(instant(RatingAppeal::FiledAt))
                .col(s(RatingAppeal::Status))
                .col(b_null(RatingAppeal::DecidedBy))
                .col(t_null(RatingAppeal::DecidedAt))
                .col(text_null(RatingAppeal::DecisionNote))
                .col(
                    ColumnDef::new(RatingAppeal::Version)
                        .big_integer()
                        .not_null()
                        .default(1),
                )
                .to_owned(),
        )
        .await?;
        let t = RatingAppeal::Table;
        index(
            m,
            "ux_rating_appeal_rating",
            t,
            cols([RatingAppeal::RatingId]),
            true,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Interview::Table)
                .col(id_col(Interview::Id))
                .col(s(Interview::SubjectKind))
                .col(b(Interview::SubjectId))
                .col(s(Interview::Quarter))
                .col(ColumnDef::new(Interview::Problems).integer().not_null())
                .col(day(Interview::HeldOn))
                .col(b(Interview::InterviewerId))
                .col(text(Interview::Outcome))
                .col(instant(Interview::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(MonthlySubmission::Table)
                .col(id_col(MonthlySubmission::Id))
                .col(b(MonthlySubmission::UnitId))
                .col(s(MonthlySubmission::Month))
                .col(instant(MonthlySubmission::SubmittedAt))
                .col(day(MonthlySubmission::SubmittedOn))
                .col(b(MonthlySubmission::SubmittedBy))
                .to_owned(),
        )
        .await?;
        let t = MonthlySubmission::Table;
        let key = cols([MonthlySubmission::UnitId, MonthlySubmission::Month]);
        index(m, "ux_monthly_submission_unit_month", t, key, true).await?;

        // The overview counts cases overdue and near due, and the on-time trend reads the
        // cases decided in the last days: without these, each is a scan of every case.
        index(
            m,
            "ix_cases_due_at",
            Cases::Table,
            cols([Cases::DueAt]),
            false,
        )
        .await?;
        index(
            m,
            "ix_cases_decided_at",
            Cases::Table,
            cols([Cases::DecidedAt]),
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "supervision records are kept; not reversible".into(),
        ))
    }
}
