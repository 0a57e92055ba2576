//! Validation: the public-goods docking (MODEL.md section 8 item 3), the seed's directional
//! claims over replications with common random numbers (section 8 item 4), the reform timeline,
//! and case conservation with every actor on.
//!
//! Each claim is measured as the paired difference reform - baseline on the same seed (common
//! random numbers); the test asserts that the 95% confidence interval of the mean difference
//! excludes zero in the claimed direction. Run with `-- --nocapture` to see the numbers.

use rayon::prelude::*;

use towngov::scenario::{self, Scenario, raw::RawScenario};
use towngov::sim::volunteering::Volunteers;
use towngov::sim::{DailyIndicators, SimOptions, Simulation};

use crate::support::{run_days, scenario_file};

// ---------------------------------------------------------------------------------------------
// Statistics

/// Two-sided 95% Student t quantile for `df` degrees of freedom (1.96 beyond the table).
fn t95(df: usize) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => T[df - 1],
        31..=60 => 2.0,
        _ => 1.96,
    }
}

/// Mean, sample sd and the t-based 95% confidence interval of the mean.
#[derive(Clone, Copy, Debug)]
struct Ci {
    mean: f64,
    sd: f64,
    lo: f64,
    hi: f64,
}

fn ci(xs: &[f64]) -> Ci {
    let n = xs.len();
    assert!(n >= 2, "a confidence interval needs two values");
    let mean = xs.iter().sum::<f64>() / n as f64;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let sd = var.sqrt();
    let half = t95(n - 1) * sd / (n as f64).sqrt();
    Ci {
        mean,
        sd,
        lo: mean - half,
        hi: mean + half,
    }
}

#[test]
fn ci_helper_is_right() {
    // 1..=5: mean 3, sd sqrt(2.5), half-width 2.776 * sqrt(2.5) / sqrt(5).
    let c = ci(&[1.0, 2.0, 3.0, 4.0, 5.0]);
    assert!((c.mean - 3.0).abs() < 1e-12);
    assert!((c.sd - 2.5f64.sqrt()).abs() < 1e-12);
    assert!((c.hi - c.mean - 2.776 * 0.5f64.sqrt()).abs() < 1e-9);
    assert_eq!(t95(100), 1.96);
}

/// Which way a reform must move a measure.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Dir {
    Up,
    Down,
}

/// One measure of a run, from its rows and final simulation.
type Measure = fn(&Simulation, &[DailyIndicators]) -> f64;

/// Runs baseline and reform on seeds 1..=n (in parallel), and for each named measure prints
/// the baseline and reform means and the 95% CI of the paired difference; returns the
/// measures whose CI does not exclude zero in the claimed direction.
fn paired_claim(
    claim: &str,
    base: &Scenario,
    reform: &Scenario,
    days: u32,
    n: u64,
    measures: &[(&str, Measure, Dir)],
) -> Vec<String> {
    let runs: Vec<(Vec<f64>, Vec<f64>)> = (1..=n)
        .into_par_iter()
        .map(|seed| {
            let eval = |s: &Scenario| {
                let (sim, rows) = run_days(s, seed, days);
                measures
                    .iter()
                    .map(|(_, m, _)| m(&sim, &rows))
                    .collect::<Vec<f64>>()
            };
            (eval(base), eval(reform))
        })
        .collect();
    let mut failed = Vec::new();
    for (i, (name, _, dir)) in measures.iter().enumerate() {
        let b: Vec<f64> = runs.iter().map(|r| r.0[i]).collect();
        let r: Vec<f64> = runs.iter().map(|r| r.1[i]).collect();
        let d: Vec<f64> = runs.iter().map(|r| r.1[i] - r.0[i]).collect();
        let c = ci(&d);
        let ok = match dir {
            Dir::Up => c.lo > 0.0,
            Dir::Down => c.hi < 0.0,
        };
        let line = format!(
            "{claim}: {name}: baseline {:.4}, reform {:.4}, reform - baseline {:+.4} (sd {:.4}, 95% CI {:+.4} .. {:+.4}, n {n}), claimed {dir:?}: {}",
            ci(&b).mean,
            ci(&r).mean,
            c.mean,
            c.sd,
            c.lo,
            c.hi,
            if ok { "holds" } else { "NOT SHOWN" }
        );
        eprintln!("{line}");
        if !ok {
            failed.push(line);
        }
    }
    failed
}

fn parse(text: &str) -> Scenario {
    scenario::parse(text, "validation").unwrap_or_else(|e| panic!("{e}"))
}

/// Mean over the run of a daily value that may be missing (days without one are skipped).
fn daily_mean(rows: &[DailyIndicators], f: impl Fn(&DailyIndicators) -> Option<f64>) -> f64 {
    let xs: Vec<f64> = rows.iter().filter_map(f).collect();
    if xs.is_empty() {
        f64::NAN
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Public goods docking

/// The public-goods scenario with self-governance and sanctions switched as given.
fn public_goods(enabled: bool, sanctions: bool) -> Scenario {
    let text =
        std::fs::read_to_string(crate::support::repo().join("scenarios/docking/public_goods.ron"))
            .unwrap();
    let mut raw: RawScenario = scenario::parse_raw(&text, "public_goods.ron").unwrap();
    raw.policy.self_governance.enabled = Some(enabled);
    raw.policy.self_governance.sanctions = Some(sanctions);
    Scenario::from_raw(&raw).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Mean contribution before the first round (index 0) and after each of `rounds` rounds, and
/// the mean council strength seen.
fn contributions(s: &Scenario, seed: u64, rounds: u32) -> (Vec<f64>, Option<f64>) {
    let mut sim = Simulation::new(s, seed, SimOptions::default());
    let mut out = vec![sim.world().resource::<Volunteers>().mean];
    let mut strength = None;
    while (out.len() as u32) <= rounds {
        let row = sim.step().clone();
        strength = row.council_strength_mean.or(strength);
        let v = sim.world().resource::<Volunteers>();
        if v.rounds as usize == out.len() {
            assert!(
                (row.volunteering_rate - v.mean).abs() < 1e-12,
                "the daily column is Volunteers.mean"
            );
            out.push(v.mean);
        }
    }
    (out, strength)
}

/// Fehr and Gächter (2000): without sanctions contributions start near half the endowment and
/// decay over the rounds, but not to zero; with peer sanctions they hold or rise.
#[test]
fn public_goods_contributions_decay_without_sanctions_and_hold_with_them() {
    let file = scenario_file("scenarios/docking/public_goods.ron");
    assert!(!file.policy.self_governance.enabled && !file.policy.self_governance.sanctions);
    let rounds = 30;
    assert_eq!(
        file.behaviour.participation.interval_days * rounds,
        file.days
    );
    for seed in 1..=3 {
        for (what, s) in [
            ("self-governance off", public_goods(false, true)),
            ("committee without sanctions", public_goods(true, false)),
        ] {
            let (c, _) = contributions(&s, seed, rounds);
            eprintln!(
                "public goods, {what}, seed {seed}: start {:.3}, round 1 {:.3}, round 10 {:.3}, round 30 {:.3}",
                c[0], c[1], c[10], c[30]
            );
            assert!((0.4..=0.6).contains(&c[0]), "{what}: start {}", c[0]);
            assert!(c[1] >= 0.35, "{what}: round 1 {}", c[1]);
            assert!(
                c[10] < c[1] - 0.1,
                "{what}: decays, round 10 {} vs round 1 {}",
                c[10],
                c[1]
            );
            assert!(
                c.windows(2).skip(1).take(9).all(|w| w[1] < w[0]),
                "{what}: falls every round to round 10: {:?}",
                &c[..=10]
            );
            assert!(c[30] > 0.03, "{what}: not to zero, round 30 {}", c[30]);
            assert!(c[30] < 0.25, "{what}: round 30 {}", c[30]);
        }
        let (c, strength) = contributions(&public_goods(true, true), seed, rounds);
        let strength = strength.expect("a committee is elected");
        eprintln!(
            "public goods, sanctions, seed {seed}: council strength {strength:.3}, start {:.3}, round 1 {:.3}, round 10 {:.3}, round 30 {:.3}",
            c[0], c[1], c[10], c[30]
        );
        assert!(
            strength > 0.9,
            "the scenario gives a full-strength committee: {strength}"
        );
        assert!((0.4..=0.6).contains(&c[0]), "start {}", c[0]);
        assert!(
            c[10] >= c[1],
            "holds or rises: round 10 {} vs round 1 {}",
            c[10],
            c[1]
        );
        assert!(
            c[30] >= c[1],
            "holds or rises: round 30 {} vs round 1 {}",
            c[30],
            c[1]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. The seed's directional claims (MODEL.md section 8 item 4)

/// A small town for the claims: 2 communities, 2,000 residents, the default mix of kinds.
const SMALL_TOWN: &str = "communities: 2, grids_per_community: 3, residents: (native: 600, migrant_worker: 500, employee: 700, talent: 200)";

fn created(sim: &Simulation) -> f64 {
    sim.totals().created.max(1) as f64
}

/// a. A unified committee with a data platform cuts dropped and bounced cases and days to
/// resolve.
#[test]
fn claim_unified_committee_with_platform_cuts_bounces_drops_and_days() {
    let town = |committee: &str, integration: f64| {
        parse(&format!(
            "(town: ({SMALL_TOWN}), policy: (committee: ({committee}), platform: (integration: {integration})))"
        ))
    };
    let base = town("mode: Fragmented, n_departments: 12, total_staff: 24", 0.1);
    let reform = town("mode: Unified, n_departments: 4, total_staff: 24", 0.8);
    let failed = paired_claim(
        "a. unified + platform",
        &base,
        &reform,
        365,
        20,
        &[
            (
                "bounced per case",
                |s, _| s.totals().bounced as f64 / created(s),
                Dir::Down,
            ),
            (
                "dropped per case",
                |s, _| s.totals().dropped as f64 / created(s),
                Dir::Down,
            ),
            (
                "days to close",
                |s, _| s.totals().close_days_mean.unwrap(),
                Dir::Down,
            ),
        ],
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// b. A steward team raises enterprise stickiness and cuts relocations.
#[test]
fn claim_steward_team_raises_stickiness_and_cuts_relocations() {
    let town = |team: &str| {
        parse(&format!(
            "(town: (communities: 2, grids_per_community: 3,
                     residents: (native: 400, migrant_worker: 300, employee: 500, talent: 100),
                     enterprises: (leading: 4, sme: 60, startup: 60)),
              enterprises: (offer_per_year: 1.0),
              policy: (stewards: (team: ({team}))))"
        ))
    };
    let base = town("");
    let reform = town(
        "industry_association: 2, intermediary: 2, leading_firm: 2, angel_investor: 1, technical_expert: 1",
    );
    let failed = paired_claim(
        "b. steward team",
        &base,
        &reform,
        365,
        20,
        &[
            (
                "stickiness (mean over days)",
                |_, rows| daily_mean(rows, |r| r.stickiness_mean),
                Dir::Up,
            ),
            (
                "relocations per firm-year",
                |s, rows| {
                    let firms = daily_mean(rows, |r| Some(r.enterprises as f64));
                    let e = s.world().resource::<towngov::sim::enterprises::Economy>();
                    e.relocations_total as f64 / firms
                },
                Dir::Down,
            ),
        ],
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// c. A self-governance committee raises participation and need-supply match.
#[test]
fn claim_self_governance_raises_participation_and_match() {
    let town = |enabled: bool| {
        parse(&format!(
            "(town: ({SMALL_TOWN}), policy: (self_governance: (enabled: {enabled})))"
        ))
    };
    let failed = paired_claim(
        "c. self-governance",
        &town(false),
        &town(true),
        730,
        30,
        &[
            (
                "participation rate (run mean)",
                |s, _| s.totals().participation_rate_mean,
                Dir::Up,
            ),
            (
                "need-supply match (second year)",
                |_, rows| daily_mean(&rows[365..], |r| Some(r.need_supply_match)),
                Dir::Up,
            ),
            (
                "volunteering (second year)",
                |_, rows| daily_mean(&rows[365..], |r| Some(r.volunteering_rate)),
                Dir::Up,
            ),
        ],
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// d. Hard-indicator evaluation lowers residents' service outcomes.
#[test]
fn claim_hard_indicator_evaluation_hurts_residents_service() {
    let town = |w: f64| {
        parse(&format!(
            "(town: ({SMALL_TOWN}), policy: (evaluation: (hard_weight: {w})))"
        ))
    };
    let failed = paired_claim(
        "d. hard-indicator evaluation",
        &town(0.1),
        &town(0.9),
        365,
        20,
        &[
            (
                "residents' need close days (mean of daily means)",
                |_, rows| daily_mean(rows, |r| r.need_close_days_mean),
                Dir::Up,
            ),
            (
                "on-time share (all closed cases)",
                |s, _| s.totals().on_time_share.unwrap(),
                Dir::Down,
            ),
        ],
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// e. Grid workers loaded with ledgers discover fewer incidents.
#[test]
fn claim_ledgers_cut_grid_discovery() {
    let town = |hours: f64| {
        parse(&format!(
            "(town: ({SMALL_TOWN}), policy: (grid: (ledger_hours_per_department: {hours})))"
        ))
    };
    let failed = paired_claim(
        "e. grid ledgers",
        &town(0.1),
        &town(0.5),
        365,
        20,
        &[
            (
                "grid discovery probability",
                |_, rows| rows[0].grid_discovery_prob,
                Dir::Down,
            ),
            (
                "incidents hidden (mean stock)",
                |_, rows| daily_mean(rows, |r| Some(r.incidents_hidden as f64)),
                Dir::Up,
            ),
        ],
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 3. The reform timeline

#[test]
fn timeline_brings_in_the_stewards_on_their_day() {
    let s = parse(
        "(town: (communities: 1, grids_per_community: 2,
                 residents: (native: 300, migrant_worker: 100, employee: 200, talent: 50),
                 enterprises: (leading: 2, sme: 20, startup: 20)),
          timeline: [(day: 100, policy: (stewards: (team: (intermediary: 4))))])",
    );
    let (_, rows) = run_days(&s, 3, 200);
    for row in &rows {
        if row.day < 100 {
            assert_eq!(row.steward_visits, 0, "day {}", row.day);
            assert_eq!(row.reforms_applied, 0, "day {}", row.day);
        } else {
            assert!(row.steward_visits > 0, "day {}: no visits", row.day);
            assert_eq!(
                row.reforms_applied,
                u32::from(row.day == 100),
                "day {}",
                row.day
            );
        }
    }
    eprintln!(
        "timeline: steward visits on day 99 {}, day 100 {}, days 100-200 {}",
        rows[98].steward_visits,
        rows[99].steward_visits,
        rows[99..].iter().map(|r| r.steward_visits).sum::<u64>()
    );
}

#[test]
fn timeline_entries_out_of_range_are_rejected() {
    let cases = [
        (
            "(timeline: [(day: 100, policy: (stewards: (team: (intermediary: 6, angel_investor: 5))))])",
            "timeline[0].policy.stewards.team: the team must have at most 10 members, got 11",
        ),
        (
            "(timeline: [(day: 0, policy: (portal: (coverage: 0.5)))])",
            "timeline[0].day: must be between 1 and 36500, got 0",
        ),
        (
            "(timeline: [(day: 10, policy: (platform: (integration: 1.5)))])",
            "timeline[0].policy.platform.integration: must be between 0 and 1, got 1.5",
        ),
    ];
    for (text, expected) in cases {
        let err = scenario::parse(text, "t.ron").expect_err(text).to_string();
        eprintln!("timeline error: {err}");
        assert!(err.starts_with("t.ron:"), "{err}");
        assert!(
            err.contains(expected),
            "{text}\n gave: {err}\n wanted: {expected}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Conservation with every actor on

const FULL_REFORM: &str = r#"(
    town: (communities: 4, grids_per_community: 2,
           residents: (native: 500, migrant_worker: 400, employee: 600, talent: 150),
           enterprises: (leading: 2, sme: 30, startup: 30)),
    behaviour: (initial: (satisfaction: (native: SAT, migrant_worker: SAT, employee: SAT, talent: SAT))),
    enterprises: (offer_per_year: 0.5),
    policy: (
        // Bounces common enough that escalations happen and the authority summons.
        committee: (mode: Unified, n_departments: 4, total_staff: 16, bounce_prob: 0.5, max_bounces: 0),
        platform: (integration: 0.8),
        portal: (coverage: 0.8),
        authority: (enabled: true),
        one_trip: (share: 0.5),
        stewards: (team: (industry_association: 2, intermediary: 2, leading_firm: 2, angel_investor: 1, technical_expert: 1)),
        financing: (fund_yuan: 50000000),
        operator: (enabled: true, performance_pay: true),
        self_governance: (enabled: true),
        social_orgs: (funding: Project),
        mediation: (legal_backing: true, mediators_per_community: 2),
        clusters: (communities_per_cluster: 2),
    ),
)"#;

#[test]
fn full_reform_town_conserves_cases_while_residents_come_and_go() {
    for (sat, seed) in [("0.6", 1), ("0.1", 2)] {
        let s = parse(&FULL_REFORM.replace("SAT", sat));
        let (sim, rows) = run_days(&s, seed, 730);
        for row in &rows {
            assert_eq!(
                row.created_total,
                row.resolved_total + row.dropped_total + row.open,
                "initial satisfaction {sat}, day {}",
                row.day
            );
        }
        let t = sim.totals();
        let left: u64 = rows.iter().map(|r| r.residents_left).sum();
        let arrived: u64 = rows.iter().map(|r| r.residents_arrived).sum();
        let last = rows.last().unwrap();
        eprintln!(
            "full reform, satisfaction {sat}: created {}, resolved {}, dropped {}, open {}; by operator {}, mediation {}, court {}, stewards {}, meeting {}, on the spot {}; summoned {}; left {left}, arrived {arrived}, residents {} -> {}",
            last.created_total,
            last.resolved_total,
            last.dropped_total,
            last.open,
            t.resolved_by_operator,
            t.resolved_by_mediation,
            t.resolved_by_court,
            t.resolved_by_stewards,
            t.resolved_by_meeting,
            t.resolved_on_the_spot,
            last.summoned_total,
            rows[0].residents,
            last.residents
        );
        // Every actor did some work.
        assert!(
            t.resolved_by_operator > 0
                && t.resolved_by_mediation > 0
                && t.resolved_by_stewards > 0
                && t.resolved_by_meeting > 0
                && t.resolved_on_the_spot > 0,
            "{t:?}"
        );
        assert!(
            last.summoned_total > 0
                && last.joint_meetings_total > 0
                && last.mediated_total > 0
                && last.financing_total_yuan > 0.0
                && last.council_strength_mean.is_some_and(|x| x > 0.0)
                && rows.iter().map(|r| r.steward_visits).sum::<u64>() > 0,
            "{last:?}"
        );
        assert!(arrived > 0, "newcomers arrive to fill jobs: {arrived}");
        if sat == "0.1" {
            assert!(left > 100, "dissatisfied residents leave: {left}");
        }
    }
}
