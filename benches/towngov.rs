//! towngov's benchmarks: one binary, a group per concept. Throughput is in residents per
//! iteration, so criterion's "elements/s" reads as resident-days per second.
//!
//! Run: `cargo bench` (all) or `cargo bench -- day/` (one group).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use towngov::scenario::{self, Scenario};
use towngov::sim::{SimOptions, Simulation};

/// The embedded status-quo town with `n` residents spread over communities of about 1,250.
fn town_of(n: u32) -> Scenario {
    let communities = (n / 1250).max(1);
    let text = format!(
        "(town: (communities: {communities}, grids_per_community: 4, parks: {parks},
                 residents: (native: {a}, migrant_worker: {b}, employee: {c}, talent: {d})))",
        parks = communities / 2,
        a = n * 30 / 100,
        b = n * 24 / 100,
        c = n * 38 / 100,
        d = n - n * 30 / 100 - n * 24 / 100 - n * 38 / 100,
    );
    scenario::parse(&text, "bench").expect("valid")
}

/// One simulated day of a warmed-up town (200 days in, so queues and attitudes are at their
/// running levels): all phases, from needs arising to indicators recorded.
fn one_day(c: &mut Criterion) {
    let mut group = c.benchmark_group("day");
    for (name, s) in [
        ("default_5k", scenario::embedded_default()),
        ("town_100k", town_of(100_000)),
    ] {
        let n = s.town.n_residents();
        let mut sim = Simulation::new(&s, 1, SimOptions::default());
        for _ in 0..200 {
            sim.step();
        }
        group.throughput(Throughput::Elements(n));
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| black_box(sim.step().open))
        });
    }
    group.finish();
}

/// A whole run: building the town and simulating the classroom scenario for a year.
fn whole_run(c: &mut Criterion) {
    let mut group = c.benchmark_group("run");
    group.sample_size(20);
    let s =
        scenario::parse(include_str!("../scenarios/classroom.ron"), "classroom").expect("valid");
    group.throughput(Throughput::Elements(s.town.n_residents() * s.days as u64));
    group.bench_function("classroom_365d", |b| {
        b.iter(|| {
            let mut sim = Simulation::new(&s, 1, SimOptions::default());
            for _ in 0..s.days {
                sim.step();
            }
            black_box(sim.totals().resolved)
        })
    });
    // The real town under the full reform, every actor on, for a year: a fresh run each time
    // (a stepped-on town keeps growing, so a per-day figure would drift).
    let s = scenario::parse(
        include_str!("../scenarios/real_town_full_reform.ron"),
        "real town",
    )
    .expect("valid");
    group.sample_size(10);
    group.throughput(Throughput::Elements(s.town.n_residents() * 365));
    group.bench_function("real_town_full_reform_365d", |b| {
        b.iter(|| {
            let mut sim = Simulation::new(&s, 1, SimOptions::default());
            for _ in 0..365 {
                sim.step();
            }
            black_box(sim.totals().resolved)
        })
    });
    group.finish();
}

/// Saved states of the real town (30,000 residents, a year in): writing the whole world to
/// bytes, and rebuilding a world from them (what `compare --warm-up` does per option).
fn saved_state(c: &mut Criterion) {
    let mut group = c.benchmark_group("state");
    group.sample_size(10);
    let s =
        scenario::parse(include_str!("../scenarios/real_town.ron"), "real town").expect("valid");
    let mut sim = Simulation::new(&s, 1, SimOptions::default());
    for _ in 0..365 {
        sim.step();
    }
    let bytes = sim.save_state().expect("saves");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("save_real_town", |b| {
        b.iter(|| black_box(sim.save_state().expect("saves").len()))
    });
    group.bench_function("restore_real_town", |b| {
        b.iter(|| {
            let restored =
                Simulation::from_state(&bytes, None, SimOptions::default()).expect("restores");
            black_box(restored.day())
        })
    });
    group.finish();
}

criterion_group!(benches, one_day, whole_run, saved_state);
criterion_main!(benches);
