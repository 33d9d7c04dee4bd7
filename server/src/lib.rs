#![recursion_limit = "512"]
//! Chuangkou's server: the REST API, server-side rendering of the Leptos app, storage, sessions.
//!
//! Dependencies point one way: `routes` → `services` → (`rules`, `store`).

pub mod assets;
pub mod auth;
pub mod cli;
pub mod config;
pub mod demo;
pub mod edge;
pub mod error;
pub mod events;
pub mod extract;
pub mod listener;
pub mod openapi;
pub mod qr;
pub mod routes;
pub mod services;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod time_source;
pub mod web;

pub use startup::Application;
