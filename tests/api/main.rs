//! Black-box scenario tests of the HTTP API. One binary, one module per area; every test has its
//! own server and database (see the harness in `tests/src/lib.rs`).

mod appointments;
mod audit;
mod auth;
mod auth_cache;
mod authorization;
mod backup;
mod bad_input;
mod calendar;
mod case_lookup;
mod case_rules;
mod cases;
mod catalog;
mod center_table;
mod centers_apart;
mod citizen_forms;
mod hall_rules;
mod health;
mod inquiries;
mod monthly_export;
mod notices;
mod openapi;
mod org;
mod pages;
mod pagination;
mod public_writes;
mod queue;
mod rating_codes;
mod security_headers;
mod sessions;
mod slot_growth;
mod startup;
mod static_assets;
mod supervision;
mod track;
mod write_path;
