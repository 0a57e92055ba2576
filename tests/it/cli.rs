//! The command line: the main job, exit codes, atomic and non-clobbering outputs.

use crate::support::{repo, stderr, stdout, towngov};

#[test]
fn no_arguments_compares_the_status_quo_with_the_full_reform() {
    let dir = tempfile::tempdir().unwrap();
    let out = towngov(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for needle in [
        "development-zone status quo",
        "full reform",
        "20 replications of 1095 days",
        "resolved on time",
        "trips per matter",
        "satisfaction",
        "95% paired Student-t",
        "better",
        "towngov-report",
    ] {
        assert!(text.contains(needle), "stdout lacks {needle:?}:\n{text}");
    }
    let report = dir.path().join("towngov-report");
    for f in ["report.html", "options.csv", "runs.csv", "comparison.json"] {
        assert!(report.join(f).exists(), "{f} not written");
    }
    // The main job owns its folder: running it again refreshes it rather than failing.
    let again = towngov(dir.path(), &[]);
    assert!(again.status.success(), "{}", stderr(&again));
}

#[test]
fn run_writes_tidy_daily_csv_summary_and_case_log() {
    let dir = tempfile::tempdir().unwrap();
    let out = towngov(
        &repo(),
        &[
            "run",
            "scenarios/classroom.ron",
            "--days",
            "90",
            "--case-log",
            "-q",
            "--out",
            dir.path().to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let daily = std::fs::read_to_string(dir.path().join("daily.csv")).unwrap();
    let mut lines = daily.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for col in [
        "day",
        "created",
        "resolved",
        "dropped",
        "open",
        "close_days_mean",
        "on_time_share",
        "trips_per_matter",
        "reporting_rate",
        "participation_rate",
        "satisfaction_native",
        "satisfaction_migrant_worker",
        "satisfaction_employee",
        "satisfaction_talent",
        "trust_native",
        "trust_talent",
        "grid_residents_per_worker",
    ] {
        assert!(header.contains(&col), "daily.csv lacks {col}");
    }
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 90);
    assert!(rows.iter().all(|r| r.len() == header.len()), "rectangular");
    // Every row says which run it belongs to: the scenario's name and the seed, then the day.
    assert_eq!(&header[..3], ["scenario", "seed", "day"]);
    assert_eq!(rows[89][..3], ["classroom town", "1", "90"]);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["scenario"], "classroom town");
    assert_eq!(summary["seed"], "1", "the seed as a string");
    assert_eq!(summary["towngov_version"], env!("CARGO_PKG_VERSION"));
    assert!(summary["final"]["satisfaction_mean"].is_number());
    assert!(summary["mean"]["open"].is_number());
    let resolved = summary["totals"]["resolved"].as_u64().unwrap()
        + summary["totals"]["dropped"].as_u64().unwrap();
    let cases = std::fs::read_to_string(dir.path().join("cases.csv")).unwrap();
    assert_eq!(
        cases.lines().count() as u64,
        resolved + 1,
        "one row per finished case"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn existing_outputs_are_kept_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join("daily.csv"), "precious").unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "scenarios/classroom.ron",
            "--days",
            "5",
            "--out",
            out_dir,
        ];
        args.extend_from_slice(extra);
        towngov(&repo(), &args)
    };
    let daily = || std::fs::read_to_string(dir.path().join("daily.csv")).unwrap();
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already exists") && stderr(&out).contains("--force"));
    assert_eq!(daily(), "precious");
    let out = run(&["--force", "-q"]);
    assert!(out.status.success());
    assert!(daily().starts_with("scenario,seed,day,"));
}

#[test]
fn an_unwritable_output_fails_with_1_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let out = towngov(
        &repo(),
        &[
            "run",
            "scenarios/classroom.ron",
            "--days",
            "5",
            "--out",
            blocker.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("not-a-folder"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn bad_flags_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["run", "--seeed", "3"][..],
        &["run", "--days", "0"],
        &["run", "--days", "many"],
        &["frobnicate"],
        &["run", "--case-log"],
    ] {
        let out = towngov(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"));
    }
    assert_eq!(towngov(dir.path(), &["--help"]).status.code(), Some(0));
    assert_eq!(towngov(dir.path(), &["--version"]).status.code(), Some(0));
}

#[test]
fn params_lists_every_parameter_with_unit_range_and_source() {
    let out = towngov(&repo(), &["params", "--markdown"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let rows: Vec<&str> = text.lines().skip(2).collect();
    assert!(rows.len() > 80, "{} parameters", rows.len());
    for row in rows {
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(cells.len(), 6, "{row}");
        assert!(
            cells.iter().all(|c| !c.trim().is_empty()),
            "a cell is empty: {row}"
        );
    }
    assert!(text.contains("`policy.committee.n_departments` | departments | 1 to 30 | 12 |"));
}

/// An impossible town is warned about once, on stderr, naming the department and both figures,
/// and the command still succeeds; a town within capacity gets no warning.
#[test]
fn an_overloaded_department_is_warned_about_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tight.ron"),
        "Scenario(name: \"tight\", days: 120, policy: (committee: (total_staff: 12)))",
    )
    .unwrap();
    let o = towngov(dir.path(), &["check", "tight.ron"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("warning: department"))
        .collect();
    assert!(!warnings.is_empty(), "no warning: {err}");
    assert!(
        warnings[0].contains("matters a day") && warnings[0].contains("can finish"),
        "{err}"
    );
    let mut seen = std::collections::BTreeSet::new();
    assert!(
        warnings.iter().all(|w| seen.insert(*w)),
        "a warning repeats: {err}"
    );
    let o = towngov(dir.path(), &["run", "tight.ron", "--days", "90"]);
    assert!(o.status.success());
    assert_eq!(
        stderr(&o).matches("warning: department").count(),
        warnings.len(),
        "{}",
        stderr(&o)
    );
    let o = towngov(&repo(), &["check", "scenarios/management_reform.ron"]);
    assert!(o.status.success());
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}

/// A run continued from a saved state says which days it covers (it said "730 days" and "end of
/// day 730" for days 366 to 1,095), and its summary.json names its first and last day.
#[test]
fn a_continued_run_is_labelled_with_its_real_days() {
    let dir = tempfile::tempdir().unwrap();
    let sq = repo().join("scenarios/classroom.ron");
    let sq = sq.to_str().unwrap();
    let o = towngov(
        dir.path(),
        &["run", sq, "--days", "30", "--save-state", "s.state", "-q"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = towngov(
        dir.path(),
        &[
            "run",
            "--from-state",
            "s.state",
            "--days",
            "20",
            "--out",
            "out",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("days 31-50 (20 simulated now)"), "{text}");
    assert!(text.contains("at the end of day 50"), "{text}");
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["first_day"], 31);
    assert_eq!(summary["last_day"], 50);
    assert_eq!(summary["days"], 20);
}
