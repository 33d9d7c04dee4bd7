//! SeaORM entities, one file per table, declared once. Hand-written model logic lives in
//! `services`, never here, so that these stay plain table descriptions.

/// The end of every entity here: no relations declared (joins are written in `services` where
/// they are needed) and the default active-model behaviour.
macro_rules! no_relations {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}
pub(crate) use no_relations;

pub mod appointment;
pub mod appointment_slot;
pub mod audit_chain;
pub mod audit_record;
pub mod audit_seal;
pub mod calendar_day;
pub mod calendar_year;
pub mod case_correction;
pub mod case_counter;
pub mod case_due;
pub mod case_extension;
pub mod case_handover;
pub mod case_review;
pub mod case_step;
pub mod case_suspension;
pub mod cases;
pub mod escalation;
pub mod export_job;
pub mod extended_service;
pub mod inquiry;
pub mod interview;
pub mod kiosk;
pub mod monthly_submission;
pub mod notice;
pub mod notice_counter;
pub mod notice_print;
pub mod one_time_exception;
pub mod patrol;
pub mod patrol_answer;
pub mod problem;
pub mod problem_file;
pub mod queue_counter;
pub mod queue_day;
pub mod queue_def;
pub mod queue_ticket;
pub mod rating;
pub mod rating_appeal;
pub mod rating_code;
pub mod reassignment;
pub mod rectification;
pub mod referral;
pub mod service_center;
pub mod service_item;
pub mod slot_duty;
pub mod slot_rule;
pub mod staff;
pub mod staff_role;
pub mod staff_window;
pub mod unit;
pub mod violation;
pub mod window;
pub mod window_unit;
