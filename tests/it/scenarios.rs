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
