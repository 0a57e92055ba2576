//! The statistics flags end to end: p-values and the adjustment in compare's files,
//! `--reps auto` (reproducible at any thread count, and equal to `--reps N` at its final N),
//! `--warm-up auto`, and sensitivity's n/a outputs and noise.csv.

use std::path::Path;

use crate::support::{repo, stderr, stdout, towngov};

fn scen(name: &str) -> String {
    repo().join("scenarios").join(name).display().to_string()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn compare_files_carry_p_values_and_the_adjustment() {
    let dir = tempfile::tempdir().unwrap();
    let (sq, fr) = (scen("status_quo.ron"), scen("full_reform.ron"));
    let o = towngov(
        dir.path(),
        &[
            "compare", &sq, &fr, "--reps", "4", "--days", "60", "--adjust", "bh", "--out", "c",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut csv = csv::Reader::from_path(dir.path().join("c/options.csv")).unwrap();
    let header = csv.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (ip, ia, io) = (col("p_value"), col("p_adjusted"), col("option"));
    // Every compared row with a p-value has an adjusted one at least as large.
    let mut n = 0;
    for rec in csv.records() {
        let rec = rec.unwrap();
        if &rec[io] != "1" {
            continue;
        }
        if let (Ok(p), Ok(a)) = (rec[ip].parse::<f64>(), rec[ia].parse::<f64>()) {
            assert!(a >= p && a <= 1.0, "{rec:?}");
            n += 1;
        }
    }
    assert!(n > 10, "{n} rows with p-values");
    let json = read(&dir.path().join("c/comparison.json"));
    assert!(json.contains("\"adjust\": \"bh\""), "adjust in the JSON");
    assert!(json.contains("\"warm_up_diagnostic\""));
    // The report says which adjustment was used, next to the table and in the plain words.
    let html = read(&dir.path().join("c/report.html"));
    assert!(
        html.contains("class=\"adjust\""),
        "no note next to the table"
    );
    assert!(
        html.matches("Benjamini-Hochberg").count() >= 2,
        "the adjustment is not named"
    );
    let o = towngov(
        dir.path(),
        &[
            "compare", &sq, &fr, "--reps", "4", "--days", "60", "--out", "h",
        ],
    );
    assert!(stdout(&o).contains("Holm"), "{}", stdout(&o));
    let bad = towngov(
        dir.path(),
        &["compare", &sq, &fr, "--adjust", "bonferroni", "--out", "d"],
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn reps_auto_is_reproducible_and_equals_its_fixed_n() {
    let dir = tempfile::tempdir().unwrap();
    let (sq, fr) = (scen("status_quo.ron"), scen("full_reform.ron"));
    let auto = |out: &str, threads: &str| {
        let o = towngov(
            dir.path(),
            &[
                "compare",
                &sq,
                &fr,
                "--reps",
                "auto",
                "--target-half-width",
                "on_time_share=0.03",
                "--days",
                "90",
                "--max-reps",
                "40",
                "--threads",
                threads,
                "--out",
                out,
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let text = auto("a1", "1");
    auto("a2", "2");
    for f in ["runs.csv", "options.csv", "comparison.json"] {
        let (mut x, mut y) = (
            read(&dir.path().join("a1").join(f)).into_bytes(),
            read(&dir.path().join("a2").join(f)).into_bytes(),
        );
        if f == "comparison.json" {
            // Up to the invocation block, which records the threads.
            x = crate::support::before_invocation(&x);
            y = crate::support::before_invocation(&y);
        }
        assert_eq!(x, y, "{f} depends on the thread count");
    }
    assert!(text.contains("--reps auto:"), "{text}");
    let json = read(&dir.path().join("a1/comparison.json"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let used = v["precision"]["reps_used"].as_u64().unwrap();
    assert!((10..=40).contains(&used), "{used}");
    assert_eq!(v["reps"].as_u64(), Some(used));
    let fixed = towngov(
        dir.path(),
        &[
            "compare",
            &sq,
            &fr,
            "--reps",
            &used.to_string(),
            "--days",
            "90",
            "--out",
            "f",
            "-q",
        ],
    );
    assert!(fixed.status.success(), "{}", stderr(&fixed));
    for f in ["runs.csv", "options.csv"] {
        assert_eq!(
            read(&dir.path().join("a1").join(f)),
            read(&dir.path().join("f").join(f)),
            "{f}: --reps auto at n = {used} differs from --reps {used}"
        );
    }
    // The target was met, or the JSON names what was not.
    let met = v["precision"]["all_met"].as_bool().unwrap();
    assert!(met || used == 40, "{json}");
}

#[test]
fn reps_auto_flags_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let (sq, fr) = (scen("status_quo.ron"), scen("full_reform.ron"));
    for (args, needle) in [
        (vec!["--reps", "auto"], "--reps auto needs at least one"),
        (
            vec!["--reps", "5", "--target", "key=5%"],
            "need --reps auto",
        ),
        (
            vec!["--reps", "auto", "--target-half-width", "nonsense=1"],
            "the key indicators are",
        ),
        (
            vec!["--reps", "auto", "--target", "key=0.1"],
            "relative half-width",
        ),
        (
            vec!["--reps", "auto", "--target-half-width", "on_time_share=-1"],
            "positive",
        ),
        (
            vec!["--reps", "auto", "--target", "key=5%", "--max-reps", "1"],
            "--max-reps",
        ),
        (vec!["--warm-up", "soon"], "`auto`"),
    ] {
        let mut a = vec![
            "compare",
            sq.as_str(),
            fr.as_str(),
            "--days",
            "30",
            "--out",
            "x",
        ];
        a.extend(args.iter().copied());
        let o = towngov(dir.path(), &a);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn warm_up_auto_uses_the_pilot() {
    let dir = tempfile::tempdir().unwrap();
    let (sq, fr) = (scen("status_quo.ron"), scen("full_reform.ron"));
    let o = towngov(
        dir.path(),
        &[
            "compare",
            &sq,
            &fr,
            "--reps",
            "3",
            "--days",
            "30",
            "--warm-up",
            "auto",
            "--out",
            "w",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("MSER-5 warm-up"), "{}", stdout(&o));
    let v: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("w/comparison.json"))).unwrap();
    let chosen = v["warm_up_pilot"]["suggested_days"]
        .as_u64()
        .expect("pilot");
    assert_eq!(v["warm_up_days"].as_u64(), Some(chosen));
    assert_eq!(v["warm_up_pilot"]["horizon_days"].as_u64(), Some(730));
    let run = towngov(
        dir.path(),
        &["run", &sq, "--days", "200", "--warm-up-report"],
    );
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(stdout(&run).contains("days suggested"), "{}", stdout(&run));
}

#[test]
fn sensitivity_reports_constant_and_failed_outputs_as_na_and_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.sensitivity.ron");
    std::fs::write(
        &file,
        format!(
            r#"(
    name: "t",
    base: "{}",
    days: 30,
    seed: 1,
    replications: 2,
    method: Sobol(base_samples: 4, bootstrap: 50),
    parameters: [
        (path: "policy.platform.integration", range: (0.0, 1.0)),
        (path: "policy.portal.coverage", range: (0.0, 0.9)),
    ],
    outputs: ["total.days", "final.election_turnout", "total.on_time_share"],
)"#,
            scen("status_quo.ron")
        ),
    )
    .unwrap();
    let o = towngov(
        dir.path(),
        &["sensitivity", "t.sensitivity.ron", "--out", "s"],
    );
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("total.days: n/a"), "{out}");
    assert!(out.contains("final.election_turnout: n/a"), "{out}");
    let s = dir.path().join("s");
    for f in [
        "indices.csv",
        "noise.csv",
        "runs.csv",
        "problem.txt",
        "design.txt",
    ] {
        assert!(s.join(f).exists(), "{f}");
    }
    let indices = read(&s.join("indices.csv"));
    // The failed outputs' rows are there, empty; the good output has numbers.
    assert!(
        indices.contains("sobol,total.days,policy.platform.integration,S1,,,"),
        "{indices}"
    );
    let good = indices
        .lines()
        .find(|l| l.starts_with("sobol,total.on_time_share"))
        .unwrap();
    assert!(
        good.split(',').nth(4).unwrap().parse::<f64>().is_ok(),
        "{good}"
    );
    let noise = read(&s.join("noise.csv"));
    assert!(
        noise
            .lines()
            .any(|l| l.starts_with("total.on_time_share,2,")),
        "{noise}"
    );
}

/// `--reps auto` stops only when the interval of every compared option's paired difference from
/// the reference (what compare reports) is as narrow as the target: recomputed here from
/// runs.csv, independently of the code that decided to stop.
#[test]
fn reps_auto_stops_only_at_the_difference_precision_it_reports() {
    let dir = tempfile::tempdir().unwrap();
    let (sq, fr) = (scen("status_quo.ron"), scen("full_reform.ron"));
    // The pilot's 10 pairs give the difference on on-time a half-width near 0.018 and each
    // option's mean about 0.0095: a target of 0.01 on the means would stop at the pilot.
    let target = 0.01;
    let o = towngov(
        dir.path(),
        &[
            "compare",
            &sq,
            &fr,
            "--reps",
            "auto",
            "--target-half-width",
            &format!("on_time_share={target}"),
            "--days",
            "60",
            "--max-reps",
            "60",
            "--out",
            "p",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("p/comparison.json"))).unwrap();
    let p = &v["precision"];
    let outcomes = p["outcomes"].as_array().unwrap();
    // One outcome per compared option (not one for the reference's own mean).
    assert_eq!(outcomes.len(), 1, "{p}");
    let out = &outcomes[0];
    assert_eq!(out["option"].as_u64(), Some(1));
    let name = out["indicator"].as_str().unwrap().to_string();
    // The paired differences from runs.csv.
    let mut by: std::collections::BTreeMap<(u64, u64), f64> = Default::default();
    let mut rows = csv::Reader::from_path(dir.path().join("p/runs.csv")).unwrap();
    let header = rows.headers().unwrap().clone();
    let col = |n: &str| header.iter().position(|h| h == n).expect(n);
    let (io, ir, ii, iv) = (
        col("option"),
        col("replicate"),
        col("indicator"),
        col("value"),
    );
    for rec in rows.records() {
        let rec = rec.unwrap();
        if rec[ii] == name {
            by.insert(
                (rec[io].parse().unwrap(), rec[ir].parse().unwrap()),
                rec[iv].parse().unwrap(),
            );
        }
    }
    let n = p["reps_used"].as_u64().unwrap();
    let d: Vec<f64> = (0..n).map(|r| by[&(1, r)] - by[&(0, r)]).collect();
    let mean = d.iter().sum::<f64>() / n as f64;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let t = towngov::experiment::stats::t_quantile((n - 1) as f64, 0.975);
    let half = t * sd / (n as f64).sqrt();
    let reported = out["half_width"].as_f64().unwrap();
    assert!(
        (half - reported).abs() < 1e-9,
        "recomputed ±{half}, reported ±{reported}"
    );
    if p["all_met"].as_bool().unwrap() {
        assert!(
            half <= target,
            "stopped at n = {n} with ±{half} > ±{target}"
        );
    } else {
        assert_eq!(n, 60, "stopped before the cap with an unmet target: {p}");
    }
    // The means met the target at the pilot; the difference did not, so it went on.
    assert!(n > 10, "{p}");
}

/// summary.json carries the MSER-5 warm-up of the run's key daily indicators (with or without
/// --warm-up-report), the same numbers the flag prints.
#[test]
fn run_summary_carries_the_warm_up_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let sq = scen("status_quo.ron");
    let o = towngov(
        dir.path(),
        &[
            "run",
            &sq,
            "--days",
            "200",
            "--warm-up-report",
            "--out",
            "w",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("w/summary.json"))).unwrap();
    let w = &v["warm_up"];
    assert_eq!(w["method"].as_str(), Some("MSER-5"), "{v}");
    let by = w["by_indicator"].as_object().expect("by_indicator");
    assert!(by.values().filter(|m| !m.is_null()).count() >= 5, "{w}");
    let mut max = 0;
    for (name, m) in by {
        assert!(!name.contains("_total"), "cumulative {name} has no warm-up");
        let Some(days) = m["days"].as_u64() else {
            assert!(m.is_null(), "{name}: {m}");
            continue;
        };
        assert!(days % 5 == 0 && days <= 100, "{name}: {days}");
        assert!(m["settled"].is_boolean());
        max = max.max(days);
        // The printed report names the same cut.
        assert!(stdout(&o).contains(name.as_str()), "{name} not printed");
    }
    assert_eq!(w["suggested_days"].as_u64(), Some(max));
    assert!(
        stdout(&o).contains(&format!("{max} days suggested")),
        "{}",
        stdout(&o)
    );
    // Without the flag, the same diagnostic is still in summary.json.
    let quiet = towngov(
        dir.path(),
        &["run", &sq, "--days", "200", "--out", "q", "-q"],
    );
    assert!(quiet.status.success(), "{}", stderr(&quiet));
    let q: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join("q/summary.json"))).unwrap();
    assert_eq!(q["warm_up"], v["warm_up"]);
}
