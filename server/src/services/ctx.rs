//! `Ctx`: what every use case needs — the store, the moment of the request, the halls' time
//! zone, the work calendar, the settings services read and the live-event hub. The router builds
//! one per request (a background job, one per run); every service function takes it first.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use rules::{
    WorkCalendar,
    supervision::{InterviewThreshold, ScoreWeights},
};

use sea_orm::DatabaseTransaction;

use super::cached::ServiceCaches;
use crate::{
    error::{AppError, AppResult},
    events::{Event, Events},
    store::{Db, TxFuture},
};

/// The settings the use cases read; the rest of the configuration belongs to the startup and
/// the router.
#[derive(Debug, Clone)]
pub struct ServiceSettings {
    /// An open inquiry older than this shows as overdue.
    pub inquiry_limit_hours: i64,
    /// No new ticket this many minutes before close.
    pub ticket_cutoff_minutes: u32,
    /// How far ahead citizens may book.
    pub booking_days_ahead: u32,
    /// How long before a slot bookings close.
    pub booking_notice_hours: u32,
    /// Bookings one mobile number may hold at once.
    pub bookings_per_phone: u32,
    /// 周巡查: the weekly patrol checklist's items, in order.
    pub patrol_items: Vec<String>,
    /// 约谈: problems in one quarter that flag a person or unit.
    pub interview_threshold: InterviewThreshold,
    /// The area served, as the reports name it (may be empty).
    pub region_name: String,
    /// 季考核 / 年评定: the weights of the score formula (summing to 100).
    pub score_weights: ScoreWeights,
}

#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    /// The moment of the request: every rule of one request reads the same "now".
    pub now: DateTime<Utc>,
    pub tz: Tz,
    pub calendar: Arc<WorkCalendar>,
    pub settings: Arc<ServiceSettings>,
    pub events: Events,
    /// Catalog items and centers read a moment ago (see [`super::cached`]).
    pub caches: Arc<ServiceCaches>,
}

impl Ctx {
    /// The database connection for reads (writes go through [`Ctx::write`]).
    pub fn conn(&self) -> &sea_orm::DatabaseConnection {
        &self.db.conn
    }

    /// The halls' local civil time of `t` (what the rules compute with).
    pub fn local(&self, t: DateTime<Utc>) -> NaiveDateTime {
        t.with_timezone(&self.tz).naive_local()
    }

    /// The halls' local civil time now.
    pub fn local_now(&self) -> NaiveDateTime {
        self.local(self.now)
    }

    /// Today in the halls' time zone.
    pub fn today(&self) -> NaiveDate {
        self.local_now().date()
    }

    /// The instant of a local civil time (the earlier one should a local time ever repeat).
    pub fn to_utc(&self, t: NaiveDateTime) -> AppResult<DateTime<Utc>> {
        self.tz
            .from_local_datetime(&t)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("no such local time: {t}")))
    }

    /// Runs `f` in one writing transaction (see `store::Db::write`), handing it its own copy of
    /// the context: everything it writes commits together or not at all.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction, Ctx) -> TxFuture<'c, T> + Send,
    {
        let ctx = self.clone();
        self.db.write(move |txn| f(txn, ctx)).await
    }

    /// [`Ctx::write`] for a write that belongs to one center: `f` reads what it needs, then calls
    /// [`Ctx::lock_center`] before its first write (see `store::Db::write_in_center`). Writes of
    /// different centers never wait on each other.
    pub async fn write_in_center<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction, Ctx) -> TxFuture<'c, T> + Send,
    {
        let ctx = self.clone();
        self.db.write_in_center(move |txn| f(txn, ctx)).await
    }

    /// [`Ctx::write`] for a write of a center known before it starts (a receipt, a step of a
    /// case): the center's chain is locked before `f` runs, and the writes of the center queued
    /// meanwhile share its transaction and `COMMIT` (see `store::Db::write_for_center`).
    pub async fn write_for_center<T, F>(&self, center_id: i64, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction, Ctx) -> TxFuture<'c, T> + Send,
    {
        let ctx = self.clone();
        self.db
            .write_for_center(center_id, move |txn| f(txn, ctx))
            .await
    }

    /// [`Ctx::write_for_center`] for a receipt on PostgreSQL: its new case is written with the
    /// other receipts of its batch, at the batch's end (see
    /// `store::Db::write_deferred_for_center`).
    pub async fn write_deferred_for_center<T, F>(&self, center_id: i64, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c DatabaseTransaction, Ctx) -> TxFuture<'c, T> + Send,
    {
        let ctx = self.clone();
        self.db
            .write_deferred_for_center(center_id, move |txn| f(txn, ctx))
            .await
    }

    /// Locks the audit chain of `center_id` for the rest of the transaction: what this
    /// transaction writes is ordered with every other write of that center.
    pub async fn lock_center(txn: &DatabaseTransaction, center_id: i64) -> AppResult<()> {
        crate::store::chain::lock(txn, center_id).await
    }

    /// Tells every open page (on every instance) what changed. Call after the change committed;
    /// it never fails the request.
    pub async fn publish(&self, event: Event) {
        self.events.publish(event).await;
    }
}
