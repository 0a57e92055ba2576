//! towngov's benchmarks: one binary, a group per concept. Throughput is in residents per
//! simulated day where it says "elements", so criterion's "elements/s" reads as resident-days
//! per second.
//!
//! Run: `cargo bench` (all, about 4 minutes) or `cargo bench -- scale/` (one group).
//! docs/PERFORMANCE.md gives the figures and what bounds them.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use towngov::experiment::runner::{RunSpec, ordered_map, run};
use towngov::scenario::{self, Scenario};
use towngov::sim::{Phase, SimOptions, Simulation};

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

fn shipped(text: &str, name: &str) -> Scenario {
    scenario::parse(text, name).expect("valid")
}

fn warmed(s: &Scenario, days: u32) -> Simulation {
    let mut sim = Simulation::new(s, 1, SimOptions::default());
    for _ in 0..days {
        sim.step();
    }
    sim
}

/// Days simulated per sample at most: every sample starts again from the same warmed-up state
/// (restored from bytes, untimed), so a bench never measures a town grown for thousands of
/// days. The time reported is the mean per day, scaled to the iterations criterion asked for.
const MAX_DAYS: u64 = 30;

/// Times `iters` days from the saved state (`phase`: only that phase's share of each day).
fn timed_days(state: &[u8], iters: u64, phase: Option<Phase>) -> Duration {
    let mut sim = Simulation::from_state(state, None, SimOptions::default()).expect("restores");
    let days = iters.clamp(1, MAX_DAYS);
    let mut spent = Duration::ZERO;
    for _ in 0..days {
        match phase {
            None => {
                let t = Instant::now();
                black_box(sim.step().open);
                spent += t.elapsed();
            }
            Some(phase) => {
                sim.step_with(|p, run_phase| {
                    if p == phase {
                        let t = Instant::now();
                        run_phase();
                        spent += t.elapsed();
                    } else {
                        run_phase();
                    }
                });
            }
        }
    }
    spent.mul_f64(iters as f64 / days as f64)
}

/// One day of each phase of the real town under the full reform (30,000 residents, every actor
/// on), warmed up for 200 days:
/// - `arise`: needs, disputes and incidents arising; channel choice; enterprises' demands;
/// - `discover`: grid patrol and reports; stewards' visits;
/// - `dispatch`: routing discovered cases;
/// - `handle`: departments' queues, the operator's centres, mediation, financing, deadlines;
/// - `meet`: committee, summons, self-governance, joint meetings, participation, volunteering
///   (rounds every 30 days, so a sample's mean includes one);
/// - `respond`: social organisations, attitudes, leaving and arriving (monthly), the budget;
/// - `record`: the day's indicators.
fn phases(c: &mut Criterion) {
    let mut group = c.benchmark_group("phase");
    group.sample_size(10);
    let s = shipped(
        include_str!("../scenarios/real_town_full_reform.ron"),
        "real town",
    );
    let sim = warmed(&s, 200);
    let state = sim.save_state().expect("saves");
    group.throughput(Throughput::Elements(sim.last().residents));
    for phase in Phase::ALL {
        group.bench_function(phase.name(), |b| {
            b.iter_custom(|iters| timed_days(&state, iters, Some(phase)))
        });
    }
    group.finish();
}

/// One whole day of a warmed-up town of 10k, 100k and 1M residents (the status-quo levers):
/// the cost per resident-day should stay flat as the town grows.
fn scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    group.sample_size(10);
    for (name, n) in [
        ("day_10k", 10_000),
        ("day_100k", 100_000),
        ("day_1m", 1_000_000),
    ] {
        let sim = warmed(&town_of(n), 60);
        let state = sim.save_state().expect("saves");
        group.throughput(Throughput::Elements(sim.last().residents));
        drop(sim);
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| timed_days(&state, iters, None))
        });
    }
    group.finish();
}

/// Whole runs: building the town and simulating a year (a fresh run each time: a stepped-on
/// town keeps growing, so a per-day figure would drift).
fn whole_run(c: &mut Criterion) {
    let mut group = c.benchmark_group("run");
    group.sample_size(10);
    for (name, s) in [
        (
            "classroom_365d",
            shipped(include_str!("../scenarios/classroom.ron"), "classroom"),
        ),
        (
            "real_town_365d",
            shipped(include_str!("../scenarios/real_town.ron"), "real town"),
        ),
        (
            "real_town_full_reform_365d",
            shipped(
                include_str!("../scenarios/real_town_full_reform.ron"),
                "real town",
            ),
        ),
    ] {
        group.throughput(Throughput::Elements(s.town.n_residents() * 365));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut sim = Simulation::new(&s, 1, SimOptions::default());
                for _ in 0..365 {
                    sim.step();
                }
                black_box(sim.totals().resolved)
            })
        });
    }
    group.finish();
}

/// Replications in parallel: 8 runs of the default town for a year on a pool of 1 and of 2
/// threads (the same ordered map `compare` and `sweep` use). Throughput is in runs.
fn replications(c: &mut Criterion) {
    let mut group = c.benchmark_group("replications");
    group.sample_size(10);
    let s = scenario::embedded_default();
    let seeds: Vec<u64> = (1..=8).collect();
    group.throughput(Throughput::Elements(seeds.len() as u64));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        group.bench_function(BenchmarkId::new("threads", threads), |b| {
            b.iter(|| {
                pool.install(|| {
                    let mut resolved = 0;
                    ordered_map(
                        &seeds,
                        8,
                        |&seed| {
                            run(RunSpec {
                                scenario: &s,
                                seed,
                                days: 365,
                                from_state: None,
                                daily: &[],
                            })
                            .expect("runs")
                        },
                        |_, out| -> Result<(), ()> {
                            resolved += out.figures.len();
                            Ok(())
                        },
                    )
                    .expect("no sink error");
                    black_box(resolved)
                })
            })
        });
    }
    group.finish();
}

/// Saved states of the real town (30,000 residents, a year in): writing the whole world to
/// bytes, and rebuilding a world from them (what `compare --warm-up` does per option).
fn saved_state(c: &mut Criterion) {
    let mut group = c.benchmark_group("state");
    group.sample_size(10);
    let s = shipped(include_str!("../scenarios/real_town.ron"), "real town");
    let sim = warmed(&s, 365);
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

criterion_group!(benches, phases, scale, whole_run, replications, saved_state);
criterion_main!(benches);
