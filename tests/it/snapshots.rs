//! Snapshot tests (insta): each shipped scenario in `scenarios/*.ron` run for `DAYS` days with
//! its own seed, pinned as the exact `daily.csv` text (what `towngov run FILE --days 60 --out
//! DIR` writes) and the whole-run totals as JSON. The model is deterministic, so the bytes are
//! pinned exactly; a refactor that should not change the model proves it here.
//!
//! After an intended change of the model, accept the new outputs with
//! `INSTA_UPDATE=always cargo test --release --locked snapshots` and review the diff of
//! `tests/it/snapshots/` in the commit. Under CI (`CI` set, as CI services do) insta writes
//! nothing and a changed or missing snapshot fails the test.

use std::path::Path;

use towngov::sim::{SimOptions, Simulation};

use crate::support::{repo, scenario_file};

/// Days pinned per scenario. The district (a million residents) builds in about 2 s and runs
/// 60 days in well under a second in release, so it gets the same horizon.
const DAYS: u32 = 60;

macro_rules! snapshot_tests {
    ($($test:ident: $file:literal;)*) => {
        $(
            #[test]
            fn $test() {
                check($file);
            }
        )*
        /// The files the tests above pin.
        const PINNED: &[&str] = &[$($file),*];
    };
}

snapshot_tests! {
    snapshot_audit_town: "scenarios/audit_town.ron";
    snapshot_classroom: "scenarios/classroom.ron";
    snapshot_district: "scenarios/district.ron";
    snapshot_full_reform: "scenarios/full_reform.ron";
    snapshot_management_reform: "scenarios/management_reform.ron";
    snapshot_phased_rollout: "scenarios/phased_rollout.ron";
    snapshot_real_town: "scenarios/real_town.ron";
    snapshot_real_town_full_reform: "scenarios/real_town_full_reform.ron";
    snapshot_real_town_management_reform: "scenarios/real_town_management_reform.ron";
    snapshot_real_town_service_reform: "scenarios/real_town_service_reform.ron";
    snapshot_self_governance_reform: "scenarios/self_governance_reform.ron";
    snapshot_service_reform: "scenarios/service_reform.ron";
    snapshot_status_quo: "scenarios/status_quo.ron";
}

/// Runs `file` for `DAYS` days with its own seed and compares daily.csv and the totals.
fn check(file: &str) {
    let scenario = scenario_file(file);
    let mut sim = Simulation::new(&scenario, scenario.seed, SimOptions::default());
    let mut daily = csv::Writer::from_writer(Vec::new());
    for _ in 0..DAYS {
        daily.serialize(sim.step()).expect("a row");
    }
    let daily = String::from_utf8(daily.into_inner().expect("flush")).expect("UTF-8");
    let totals = serde_json::to_string_pretty(&sim.totals()).expect("totals serialize");
    let name = Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a file name");
    insta::with_settings!({
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("{file}, seed {}, {DAYS} days", scenario.seed),
    }, {
        insta::assert_snapshot!(format!("{name}__daily_csv"), daily);
        insta::assert_snapshot!(format!("{name}__totals_json"), totals);
    });
}

/// Every scenario file shipped at the top of `scenarios/` has its snapshot test.
#[test]
fn every_shipped_scenario_is_pinned() {
    let mut shipped: Vec<String> = std::fs::read_dir(repo().join("scenarios"))
        .expect("scenarios/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| format!("scenarios/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    shipped.sort();
    assert_eq!(
        shipped, PINNED,
        "add a line to snapshot_tests! for each new scenario file (and remove gone ones)"
    );
}
