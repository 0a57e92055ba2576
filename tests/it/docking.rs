//! Docking: the model reproduces exact results in special-case configurations.

use crate::support::{run_days, scenario_file};

/// Erlang C: the probability that an arrival waits in an M/M/c queue.
fn erlang_c(c: u32, offered: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= offered / k as f64;
        }
        sum += term;
    }
    let last = term * offered / c as f64 * c as f64 / (c as f64 - offered);
    last / (sum + last)
}

#[test]
fn erlang_c_formula_is_right() {
    // Textbook value: c = 2, offered load 1 -> C = 1/3.
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
}

/// One department of c handlers with Poisson arrivals and exponential service is an M/M/c
/// queue: the mean wait matches Erlang C within 3%, and Little's law holds.
#[test]
fn mmc_queue_matches_erlang_c_and_littles_law() {
    let s = scenario_file("scenarios/docking/mmc.ron");
    let lambda = s.town.n_residents() as f64 * s.needs.need_rate_per_year[0] / 365.0;
    let mu = s.policy.committee.tasks_per_staff_day;
    let c = s.policy.committee.total_staff;
    let wq = erlang_c(c, lambda / mu) / (c as f64 * mu - lambda);
    for seed in [7, 11] {
        let (sim, _) = run_days(&s, seed, s.days);
        let t = sim.totals();
        let measured_lambda = t.arrivals_per_day;
        assert!(
            (measured_lambda / lambda - 1.0).abs() < 0.01,
            "arrival rate {measured_lambda} vs {lambda}"
        );
        let w_q = t.queue_wait_days_mean.expect("cases resolved");
        assert!(
            (w_q / wq - 1.0).abs() < 0.03,
            "seed {seed}: mean wait {w_q} vs Erlang C {wq}"
        );
        // Little's law: L (sampled at the end of each day) = lambda W.
        let w = t.close_days_mean.expect("cases closed");
        let l = t.open_mean;
        assert!(
            (l / (measured_lambda * w) - 1.0).abs() < 0.03,
            "seed {seed}: L {l} vs lambda W {}",
            measured_lambda * w
        );
        // And W = Wq + 1/mu.
        assert!(
            (w / (wq + 1.0 / mu) - 1.0).abs() < 0.03,
            "seed {seed}: W {w}"
        );
    }
}

/// Granovetter (1978): thresholds 0, 1, ..., 99 of 100 people: everyone takes part.
#[test]
fn granovetter_everyone_riots() {
    let s = scenario_file("scenarios/docking/granovetter.ron");
    let (_, rows) = run_days(&s, 1, 1);
    assert_eq!(rows[0].participation_rate, 1.0);
}

/// Change the threshold 1 to 2, and exactly one takes part.
#[test]
fn granovetter_one_changed_threshold_stops_the_riot() {
    let s = scenario_file("scenarios/docking/granovetter_broken.ron");
    let (_, rows) = run_days(&s, 1, 3);
    for row in rows {
        assert_eq!((row.participation_rate * row.residents as f64).round(), 1.0);
    }
}

/// The same reduction holds with any seed: the thresholds are explicit, nothing is drawn.
#[test]
fn granovetter_does_not_depend_on_the_seed() {
    let s = scenario_file("scenarios/docking/granovetter.ron");
    for seed in 0..5 {
        assert_eq!(run_days(&s, seed, 1).1[0].participation_rate, 1.0);
    }
}
