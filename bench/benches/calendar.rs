//! Calendar benchmarks. The target (issue #4): 1,000,000 `add_working_days` calls well under 200 ms.
//!
//! Run: `cargo bench -p bench --bench calendar`.

use std::hint::black_box;
use std::time::Duration;

use chrono::{Datelike, NaiveDateTime, NaiveTime};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rules::{BusinessHours, TimeLimit, WorkCalendar, compute_due};

const MILLION: usize = 1_000_000;

/// Exactly 1,000,000 `add_working_days` calls per iteration over a prebuilt input vector.
fn one_million_add_working_days(c: &mut Criterion) {
    let cal = WorkCalendar::shipped();
    let inputs = bench::add_working_days_inputs(MILLION);
    let mut group = c.benchmark_group("calendar");
    group.throughput(Throughput::Elements(MILLION as u64));
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("add_working_days x 1,000,000", |b| {
        b.iter(|| {
            let mut checksum: i64 = 0;
            for &(start, n) in black_box(&inputs) {
                let due = cal
                    .add_working_days(start, n)
                    .expect("inside the shipped years");
                checksum += i64::from(due.num_days_from_ce());
            }
            black_box(checksum)
        });
    });
    group.finish();
}

/// One call at a time: `add_working_days`, `working_days_between` and a full promised `compute_due`.
fn per_call(c: &mut Criterion) {
    let cal = WorkCalendar::shipped();
    let hours = BusinessHours::district_hall_default();
    let inputs = bench::add_working_days_inputs(4096);
    let mut group = c.benchmark_group("calendar per call");
    let mut i = 0;
    group.bench_function("add_working_days", |b| {
        b.iter(|| {
            let (start, n) = inputs[i & 4095];
            i += 1;
            cal.add_working_days(black_box(start), black_box(n))
        });
    });
    group.bench_function("working_days_between", |b| {
        b.iter(|| {
            let (start, n) = inputs[i & 4095];
            let (end, _) = inputs[(i + 1) & 4095];
            i += 1;
            cal.working_days_between(
                black_box(start),
                black_box(end.max(start) + chrono::Days::new(u64::from(n))),
            )
        });
    });
    group.bench_function("compute_due (promised)", |b| {
        b.iter(|| {
            let (start, n) = inputs[i & 4095];
            i += 1;
            let at = NaiveDateTime::new(start, NaiveTime::from_hms_opt(10, 0, 0).unwrap());
            let limit = TimeLimit::Promised { working_days: n };
            compute_due(black_box(&limit), black_box(at), &[], None, &cal, &hours)
        });
    });
    group.finish();
}

criterion_group!(benches, one_million_add_working_days, per_call);
criterion_main!(benches);
