//! Twenty years of every shipped scenario stay in the plausible ranges docs/ODD.md states
//! (section 9.4): growth saturates (housing, plots, each firm's market), every case ends, and
//! attitudes have a steady state. Before the fixes, the full reform grew from 5,000 to 37,750
//! residents in 20 years, escalated cases piled up linearly and status-quo trust fell from 0.51
//! to 0.16. `scenarios/district.ron` (a million residents) runs here with a hundredth of its
//! people and firms, the same policy and behaviour, to keep the suite short.

use rayon::prelude::*;

use towngov::scenario::Scenario;
use towngov::sim::{DailyIndicators, SimOptions, Simulation};

use crate::support::{repo, scenario_file};

const YEARS: u32 = 20;
const SEEDS: [u64; 2] = [1, 2];

/// A hundredth of a town too big for the suite.
fn suite_size(mut s: Scenario) -> Scenario {
    if s.town.n_residents() > 100_000 {
        for n in s.town.residents.iter_mut() {
            *n /= 100;
        }
        for n in s.town.enterprises.iter_mut() {
            *n = (*n / 100).max(1);
        }
        s.town.communities = (s.town.communities / 10).max(1);
        s.town.parks = (s.town.parks / 10).max(1);
    }
    s
}

/// Every way a 20-year run leaves the stated ranges (empty when it stays inside).
fn out_of_range(s: &Scenario, rows: &[DailyIndicators]) -> Vec<String> {
    let mut bad = Vec::new();
    let start = s.town.n_residents() as f64;
    let dwellings = (start * (1.0 + s.town.housing_headroom)).ceil();
    let firms0: u64 = s.town.enterprises.iter().map(|&n| n as u64).sum();
    let plots = (firms0.max(s.town.parks as u64) as f64 * (1.0 + s.town.plot_headroom)).ceil();
    let biggest = s.firms.employees.iter().cloned().fold(0.0, f64::max);
    let max_jobs_per_firm = s.firms.max_size_factor * biggest * 1.5 + 1.0;
    let deadline = s.needs.case_deadline_days.ceil() as usize;
    let mut say = |what: String| {
        if bad.len() < 8 {
            bad.push(what);
        }
    };
    for (i, r) in rows.iter().enumerate() {
        let res = r.residents as f64;
        if res > dwellings || res < 0.7 * start {
            say(format!(
                "day {}: {} residents outside [0.7, {:.2}] x {start}",
                r.day,
                r.residents,
                1.0 + s.town.housing_headroom
            ));
        }
        if r.enterprises as f64 > plots || (r.enterprises as f64) < 0.4 * firms0 as f64 {
            say(format!(
                "day {}: {} firms outside [0.4 x {firms0}, {plots} plots]",
                r.day, r.enterprises
            ));
        }
        if r.enterprises > 0 && r.jobs as f64 / r.enterprises as f64 > max_jobs_per_firm {
            say(format!(
                "day {}: {:.0} jobs per firm",
                r.day,
                r.jobs as f64 / r.enterprises as f64
            ));
        }
        let window: u64 = rows[i.saturating_sub(deadline)..=i]
            .iter()
            .map(|r| r.created)
            .sum();
        if r.open > window {
            say(format!(
                "day {}: {} open, more than the {window} created within the case deadline",
                r.day, r.open
            ));
        }
        // Trust's floor is 0.25: petitions, serious cases and pollution cost trust
        // (consequences.rs), and the real town's status quo ends near 0.3 after 20 years.
        for (name, x, lo) in [
            ("trust", r.trust_mean, 0.25),
            ("satisfaction", r.satisfaction_mean, 0.3),
        ] {
            if !(lo..=0.9).contains(&x) {
                say(format!("day {}: {name} {x:.3} outside [{lo}, 0.9]", r.day));
            }
        }
    }
    let year = |y: usize| &rows[(y - 1) * 365..y * 365];
    for y in 1..=YEARS as usize {
        let (closed, on_time): (u64, f64) = year(y).iter().fold((0, 0.0), |(c, o), r| {
            (
                c + r.closed,
                o + r.on_time_share.unwrap_or(0.0) * r.closed as f64,
            )
        });
        if closed > 0 && on_time / (closed as f64) < 0.3 {
            say(format!(
                "year {y}: on-time share {:.3} below 0.3",
                on_time / closed as f64
            ));
        }
        let tax: f64 = year(y).iter().map(|r| r.tax_yuan).sum();
        let per_resident = tax / year(y)[364].residents.max(1) as f64;
        if !(2_000.0..=50_000.0).contains(&per_resident) {
            say(format!(
                "year {y}: tax {per_resident:.0} yuan per resident outside [2,000, 50,000]"
            ));
        }
    }
    // No linear growth of what is open: the last five years hold no more than twice the most
    // of years 2 to 5 (plus a few cases for tiny towns).
    let open_mean = |ys: std::ops::RangeInclusive<usize>| {
        let days: Vec<&DailyIndicators> = ys.flat_map(|y| year(y).iter()).collect();
        days.iter().map(|r| r.open as f64).sum::<f64>() / days.len() as f64
    };
    let early = (2..=5).map(|y| open_mean(y..=y)).fold(0.0, f64::max);
    let late = open_mean(16..=20);
    if late > 2.0 * early + 10.0 {
        say(format!(
            "open cases grow: {late:.0} a day in years 16-20 against at most {early:.0} in years 2-5"
        ));
    }
    bad
}

fn shipped() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(repo().join("scenarios"))
        .expect("scenarios/")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ron"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_stays_plausible_for_twenty_years() {
    let runs: Vec<(String, u64)> = shipped()
        .into_iter()
        .flat_map(|f| SEEDS.map(|seed| (f.clone(), seed)))
        .collect();
    let failures: Vec<String> = runs
        .par_iter()
        .flat_map(|(file, seed)| {
            let s = suite_size(scenario_file(&format!("scenarios/{file}")));
            let mut sim = Simulation::new(&s, *seed, SimOptions::default());
            let rows: Vec<DailyIndicators> = (0..YEARS * 365).map(|_| sim.step().clone()).collect();
            out_of_range(&s, &rows)
                .into_iter()
                .map(|m| format!("{file} seed {seed}: {m}"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Attitudes have a steady state: with service as it is, status-quo trust and satisfaction stay
/// in a band over 20 years (they drifted from 0.51 to 0.16 while ties to leavers counted as 0),
/// and with better service (the full reform) they end higher.
#[test]
fn attitudes_hold_a_band_and_follow_service() {
    let end = |file: &str| -> (f64, f64, f64, f64) {
        let s = scenario_file(file);
        let mut sim = Simulation::new(&s, 1, SimOptions::default());
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for _ in 0..YEARS * 365 {
            let r = sim.step();
            lo = lo.min(r.trust_mean);
            hi = hi.max(r.trust_mean);
        }
        (lo, hi, sim.last().trust_mean, sim.last().satisfaction_mean)
    };
    let (lo, hi, sq_trust, sq_sat) = end("scenarios/status_quo.ron");
    // The band's floor was 0.45; issue 13's changes (incidents per resident, the mediators'
    // caseload, the financing fund, and public failures costing trust in consequences.rs)
    // moved seed 1's path, whose lowest point was 0.423 then (0.446 with the volunteers'
    // projects).
    assert!(
        lo >= 0.40 && hi <= 0.65,
        "status-quo trust left [0.40, 0.65]: {lo:.3}..{hi:.3}"
    );
    let (_, _, fr_trust, fr_sat) = end("scenarios/full_reform.ron");
    assert!(
        fr_trust > sq_trust + 0.05,
        "trust {fr_trust:.3} vs {sq_trust:.3}"
    );
    assert!(
        fr_sat > sq_sat + 0.05,
        "satisfaction {fr_sat:.3} vs {sq_sat:.3}"
    );
}
