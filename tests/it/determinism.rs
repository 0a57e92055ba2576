//! A run is a pure function of (scenario, seed): the same inputs give the same bytes, whatever
//! the thread count; another seed gives another run.

use crate::support::{before_invocation, repo, run_days, scenario_file, towngov};

fn run_to(dir: &std::path::Path, threads: &str, seed: &str) -> Vec<Vec<u8>> {
    let out = dir.join(format!("out-{threads}-{seed}"));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_towngov"))
        .current_dir(repo())
        .args([
            "run",
            "scenarios/status_quo.ron",
            "--days",
            "200",
            "--seed",
            seed,
            "--case-log",
            "-q",
            "--out",
        ])
        .arg(&out)
        .env("RAYON_NUM_THREADS", threads)
        .status()
        .expect("runs");
    assert!(status.success());
    ["daily.csv", "summary.json", "cases.csv"]
        .iter()
        .map(|f| std::fs::read(out.join(f)).expect("output written"))
        .collect()
}

#[test]
fn same_seed_same_bytes_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    let a = run_to(dir.path(), "1", "42");
    let b = run_to(dir.path(), "2", "42");
    assert!(
        a[0].len() > 10_000 && a[2].len() > 10_000,
        "outputs are not trivially empty"
    );
    // summary.json up to its invocation block: the command lines differ in the --out folder.
    let (mut a, mut b) = (a, b);
    a[1] = before_invocation(&a[1]);
    b[1] = before_invocation(&b[1]);
    assert_eq!(a, b, "1 vs 2 threads");
    let d = run_to(dir.path(), "1", "43");
    assert_ne!(a[0], d[0], "another seed gives another run");
}

#[test]
fn rerun_in_process_gives_identical_rows() {
    let s = scenario_file("scenarios/status_quo.ron");
    let (_, a) = run_days(&s, 9, 150);
    let (_, b) = run_days(&s, 9, 150);
    assert_eq!(a, b);
}

/// The seed on the command line overrides the scenario's; without one the scenario's is used.
#[test]
fn scenario_seed_is_the_default_seed() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str], name: &str| {
        let out = dir.path().join(name);
        let mut args = vec![
            "run",
            "scenarios/classroom.ron",
            "-q",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        assert!(towngov(&repo(), &args).status.success());
        std::fs::read(out.join("daily.csv")).unwrap()
    };
    let implicit = run(&[], "implicit");
    let explicit = run(&["--seed", "1"], "explicit");
    let other = run(&["--seed", "2"], "other");
    assert_eq!(implicit, explicit);
    assert_ne!(implicit, other);
}

/// Every day phase is ordered: bevy finds no two systems that touch the same data in an
/// unspecified order.
#[test]
fn schedule_has_no_ambiguous_system_order() {
    let s = scenario_file("scenarios/status_quo.ron");
    towngov::sim::check_schedule(&s).unwrap();
}
