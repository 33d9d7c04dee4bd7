//! Black-box scenario tests of the HTTP API. One binary, one module per area; every test has its
//! own server and database (see the harness in `tests/src/lib.rs`).

mod appointments;
mod audit;
mod auth;
mod authorization;
mod bad_input;
mod calendar;
mod cases;
mod catalog;
mod citizen_forms;
mod health;
mod inquiries;
mod notices;
mod openapi;
mod org;
mod pages;
mod queue;
mod startup;
mod supervision;
