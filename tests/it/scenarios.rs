//! Every shipped scenario validates and runs, and conserves cases while it does.

use towngov::scenario;

use crate::support::{repo, run_days, shipped_scenarios, towngov};

#[test]
fn every_shipped_scenario_checks_and_runs() {
    let files = shipped_scenarios();
    assert!(files.len() >= 6, "scenarios found: {files:?}");
    for file in files {
        let s = scenario::load(&file).unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.trim_start().starts_with("//"),
            "{} opens with a comment saying what it shows",
            file.display()
        );
        let days = s.days.min(60);
        let (_, rows) = run_days(&s, s.seed, days);
        let last = rows.last().unwrap();
        assert_eq!(
            last.created_total,
            last.resolved_total + last.dropped_total + last.open,
            "{}",
            file.display()
        );
    }
}

#[test]
fn check_accepts_every_shipped_scenario() {
    let files: Vec<String> = shipped_scenarios()
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let out = towngov(&repo(), &args);
    assert!(out.status.success(), "{}", crate::support::stderr(&out));
}

#[test]
fn embedded_default_is_the_status_quo_file() {
    let file = scenario::load(&repo().join("scenarios/status_quo.ron")).unwrap();
    assert_eq!(scenario::embedded_default(), file);
}

/// The management reform moves the case flow the way seed 000 claims, on the same seed.
#[test]
fn management_reform_cuts_bounces_drops_and_days() {
    let sq = crate::support::scenario_file("scenarios/status_quo.ron");
    let mr = crate::support::scenario_file("scenarios/management_reform.ron");
    let mut better = 0;
    for seed in 1..=5 {
        let a = run_days(&sq, seed, 365).0.totals();
        let b = run_days(&mr, seed, 365).0.totals();
        if b.bounced < a.bounced
            && b.dropped < a.dropped
            && b.resolve_days_mean < a.resolve_days_mean
        {
            better += 1;
        }
    }
    assert_eq!(better, 5, "the reform wins on every seed");
}

/// Grid workers loaded with more residents or more departments' ledgers find fewer incidents,
/// so more stay hidden (MODEL.md: overload is a failure mode the model must reproduce).
#[test]
fn loaded_grid_workers_discover_less() {
    let town = |residents: u32, departments: u32| {
        let text = format!(
            "(town: (communities: 2, grids_per_community: 4, residents: (native: {residents}, migrant_worker: 0, employee: 0, talent: 0)),
              policy: (committee: (n_departments: {departments}), platform: (integration: 0)))"
        );
        let s = towngov::scenario::parse(&text, "grid").unwrap();
        let rows = run_days(&s, 4, 365).1;
        let hidden: f64 =
            rows.iter().map(|r| r.incidents_hidden as f64).sum::<f64>() / rows.len() as f64;
        (rows[0].grid_discovery_prob, hidden)
    };
    let (p_light, hidden_light) = town(1600, 4);
    let (p_ledgers, hidden_ledgers) = town(1600, 16);
    let (p_crowded, hidden_crowded) = town(8000, 4);
    assert!(
        p_ledgers < p_light && p_crowded < p_light,
        "{p_light} {p_ledgers} {p_crowded}"
    );
    assert!(
        hidden_ledgers > 1.3 * hidden_light,
        "ledgers: {hidden_ledgers} vs {hidden_light}"
    );
    assert!(
        hidden_crowded > 1.3 * hidden_light,
        "crowding: {hidden_crowded} vs {hidden_light}"
    );
}
