//! Experiments from the command line: compare, sweep (shards, merge, resume), sensitivity and
//! saved states. Small towns and short runs; the statistics themselves are tested in
//! `statistics.rs` and `sensitivity.rs`.

use std::path::Path;

use crate::support::{before_invocation, repo, stderr, stdout, towngov};

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn ok(o: &std::process::Output) {
    assert!(o.status.success(), "failed: {}\n{}", stderr(o), stdout(o));
}

fn scen(name: &str) -> String {
    repo().join("scenarios").join(name).display().to_string()
}

#[test]
fn compare_writes_tables_and_report_the_same_on_one_and_two_threads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let args = |out: &str, threads: &str| {
        vec![
            "compare".to_string(),
            scen("status_quo.ron"),
            scen("full_reform.ron"),
            "--reps".into(),
            "4".into(),
            "--days".into(),
            "90".into(),
            "--threads".into(),
            threads.into(),
            "--out".into(),
            out.into(),
        ]
    };
    let run = |out: &str, threads: &str| {
        let a = args(out, threads);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        towngov(dir.path(), &a)
    };
    let one = run("one", "1");
    ok(&one);
    ok(&run("two", "2"));
    for f in ["options.csv", "runs.csv", "report.html"] {
        assert_eq!(
            read(&dir.path().join("one").join(f)),
            read(&dir.path().join("two").join(f)),
            "{f} differs between 1 and 2 threads"
        );
    }
    // comparison.json: the same bytes up to its invocation block, which records the threads.
    let json = |out: &str| read(&dir.path().join(out).join("comparison.json"));
    assert_eq!(
        before_invocation(&json("one")),
        before_invocation(&json("two")),
        "comparison.json differs between 1 and 2 threads before its invocation"
    );
    assert_ne!(
        json("one"),
        json("two"),
        "the invocation records the threads"
    );
    let printed = stdout(&one);
    assert!(printed.contains("resolved on time"), "{printed}");
    assert!(printed.contains("better"), "{printed}");
    // options.csv: one row per option and key indicator, with the paired difference.
    let options = String::from_utf8(read(&dir.path().join("one/options.csv"))).expect("utf-8");
    let mut r = csv::Reader::from_reader(options.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let n_key = towngov::experiment::indicators::key().len();
    assert_eq!(rows.len(), 2 * n_key);
    let bounces = rows
        .iter()
        .find(|x| &x[0] == "1" && &x[2] == "total.bounces_per_1000_cases")
        .expect("bounces row");
    let diff: f64 = bounces[11].parse().expect("diff");
    let hi: f64 = bounces[13].parse().expect("ci high");
    assert!(
        diff < 0.0 && hi < 0.0,
        "the reform cuts bounces: {diff} ({hi})"
    );
    assert_eq!(&bounces[17], "better"); // after p_value and p_adjusted
    // runs.csv: one row per run and figure, 2 options x 4 replications.
    let runs = String::from_utf8(read(&dir.path().join("one/runs.csv"))).expect("utf-8");
    let ids: std::collections::BTreeSet<&str> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().expect("id"))
        .collect();
    assert_eq!(ids.len(), 8);
    let html = String::from_utf8(read(&dir.path().join("one/report.html"))).expect("utf-8");
    assert!(!html.contains("http://") && !html.contains("https://"));
    assert!(html.matches("<svg").count() > towngov::experiment::indicators::series().len());
    // A second run refuses to overwrite without --force.
    let again = run("one", "1");
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
}

#[test]
fn compare_with_a_warm_up_needs_the_same_town() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = towngov(
        dir.path(),
        &[
            "compare",
            &scen("status_quo.ron"),
            &scen("classroom.ron"),
            "--warm-up",
            "30",
            "--reps",
            "2",
            "--days",
            "10",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("classroom.ron"), "{}", stderr(&o));
    assert!(stderr(&o).contains("town.residents"), "{}", stderr(&o));
    // The same town with other levers warms up once per replicate and branches.
    let o = towngov(
        dir.path(),
        &[
            "compare",
            &scen("status_quo.ron"),
            &scen("full_reform.ron"),
            "--warm-up",
            "60",
            "--reps",
            "3",
            "--days",
            "30",
            "--out",
            "warm",
        ],
    );
    ok(&o);
    let json = String::from_utf8(read(&dir.path().join("warm/comparison.json"))).expect("utf-8");
    assert!(json.contains("\"warm_up_days\": 60"), "{json}");
}

const FACTORIAL: &str = r#"
        (path: "policy.platform.integration", range: (0.0, 1.0), steps: 3),
        (path: "policy.stewards.team.intermediary", levels: [0, 4]),"#;

const SAMPLED: &str = r#"
        (path: "policy.platform.integration", range: (0.0, 1.0)),
        (path: "policy.stewards.team.intermediary", range: (0, 6)),"#;

fn write_sweep(dir: &Path, design: &str, params: &str, daily: &str) -> std::path::PathBuf {
    let path = dir.join("s.sweep.ron");
    let text = format!(
        r#"(
    base: "{}",
    days: 30,
    seed: 9,
    replications: 2,
    design: {design},
    parameters: [{params}
    ],
    daily: {daily},
)"#,
        scen("classroom.ron")
    );
    std::fs::write(&path, text).expect("write sweep");
    path
}

#[test]
fn shards_merge_into_exactly_the_unsharded_sweep() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_sweep(
        dir.path(),
        "Factorial",
        FACTORIAL,
        r#"["open", "trust_mean"]"#,
    );
    let file = file.display().to_string();
    // The whole sweep on one thread, the shards on all: the rows must not depend on either.
    ok(&towngov(
        dir.path(),
        &["sweep", &file, "--out", "whole", "--threads", "1"],
    ));
    for k in 0..3 {
        let shard = format!("{k}/3");
        let out = format!("part{k}");
        ok(&towngov(
            dir.path(),
            &["sweep", &file, "--shard", &shard, "--out", &out],
        ));
    }
    ok(&towngov(
        dir.path(),
        &["merge", "part2", "part0", "part1", "--out", "merged"],
    ));
    for f in ["runs.csv", "daily.csv"] {
        assert_eq!(
            read(&dir.path().join("whole").join(f)),
            read(&dir.path().join("merged").join(f)),
            "merged {f} differs from the unsharded sweep"
        );
    }
    // sweep.json: the same bytes up to the invocation, which is the merge's own.
    let manifest = |out: &str| read(&dir.path().join(out).join("sweep.json"));
    assert_eq!(
        before_invocation(&manifest("whole")),
        before_invocation(&manifest("merged")),
        "merged sweep.json differs from the unsharded one before its invocation"
    );
    let merged: serde_json::Value = serde_json::from_slice(&manifest("merged")).expect("json");
    let invocation = &merged["provenance"]["invocation"];
    assert_eq!(invocation["command_line"][1], "merge", "{invocation}");
    assert!(
        invocation["threads"].is_null(),
        "a merge runs nothing: {invocation}"
    );
    let inputs = &merged["provenance"]["inputs"];
    assert_eq!(inputs[0]["role"], "sweep", "{inputs}");
    assert!(
        inputs[0]["text"].as_str().unwrap().contains("Factorial"),
        "{inputs}"
    );
    assert_eq!(inputs[1]["role"], "base scenario", "{inputs}");
    assert!(merged["seed"].is_string(), "seeds are strings: {merged}");
    // 3 x 2 design points x 2 replications.
    let runs = String::from_utf8(read(&dir.path().join("whole/runs.csv"))).expect("utf-8");
    assert_eq!(runs.lines().count(), 1 + 12);
    // A missing or repeated shard is refused.
    let o = towngov(dir.path(), &["merge", "part0", "part2", "--out", "m2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("shard 1/3 missing"), "{}", stderr(&o));
    let o = towngov(
        dir.path(),
        &["merge", "part0", "part1", "part1", "part2", "--out", "m3"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("given twice"), "{}", stderr(&o));
    // A shard whose rows lost a run is caught.
    let p = dir.path().join("part1/runs.csv");
    let text = String::from_utf8(read(&p)).expect("utf-8");
    let cut: Vec<&str> = text.lines().filter(|l| !l.starts_with("4,")).collect();
    std::fs::write(&p, cut.join("\n") + "\n").expect("write");
    let o = towngov(
        dir.path(),
        &["merge", "part0", "part1", "part2", "--out", "m4"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("run 4 is missing"), "{}", stderr(&o));
    assert!(!dir.path().join("m4/runs.csv").exists());
}

#[test]
fn an_interrupted_sweep_resumes_after_the_runs_already_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_sweep(
        dir.path(),
        "LatinHypercube(samples: 5, seed: 3)",
        SAMPLED,
        r#"["open"]"#,
    );
    let file = file.display().to_string();
    ok(&towngov(dir.path(), &["sweep", &file, "--out", "whole"]));
    // Rebuild what an interruption after 3 runs (and half of the 4th row) leaves behind.
    let whole = dir.path().join("whole");
    let part = dir.path().join("part");
    std::fs::create_dir_all(&part).expect("mkdir");
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&whole.join("sweep.json"))).expect("json");
    let fp = manifest["fingerprint"].as_str().expect("fingerprint");
    std::fs::write(part.join(".sweep.json.partial"), format!("{fp}\n")).expect("marker");
    let runs = String::from_utf8(read(&whole.join("runs.csv"))).expect("utf-8");
    let lines: Vec<&str> = runs.lines().collect();
    let mut partial = lines[..4].join("\n") + "\n";
    partial += &lines[4][..lines[4].len() / 2];
    std::fs::write(part.join(".runs.csv.partial"), partial).expect("runs journal");
    let daily = String::from_utf8(read(&whole.join("daily.csv"))).expect("utf-8");
    let kept: Vec<&str> = daily
        .lines()
        .filter(|l| {
            ["run_id", "0,", "1,", "2,", "3,1,"]
                .iter()
                .any(|p| l.starts_with(p))
        })
        .collect();
    std::fs::write(part.join(".daily.csv.partial"), kept.join("\n") + "\n").expect("daily");
    let o = towngov(dir.path(), &["sweep", &file, "--out", "part"]);
    ok(&o);
    assert!(stdout(&o).contains("ran 7 in"), "{}", stdout(&o));
    assert!(stdout(&o).contains("after 3 runs kept"), "{}", stdout(&o));
    for f in ["runs.csv", "daily.csv"] {
        assert_eq!(
            read(&whole.join(f)),
            read(&part.join(f)),
            "resumed {f} differs"
        );
    }
    assert!(!part.join(".runs.csv.partial").exists());
    // A folder holding part of another sweep is not resumed.
    std::fs::create_dir_all(dir.path().join("other")).expect("mkdir");
    std::fs::write(dir.path().join("other/.sweep.json.partial"), "0123\n").expect("marker");
    let o = towngov(dir.path(), &["sweep", &file, "--out", "other"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("another sweep"), "{}", stderr(&o));
}

#[test]
fn a_sweep_file_with_a_misspelt_parameter_is_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.sweep.ron");
    let text = format!(
        "(\n    base: \"{}\",\n    replications: 1,\n    design: Factorial,\n    parameters: [\n        (path: \"policy.platform.integraton\", levels: [0.5]),\n        (path: \"policy.stewards.team.intermediary\", levels: [40]),\n    ],\n)\n",
        scen("classroom.ron")
    );
    std::fs::write(&path, text).expect("write");
    let o = towngov(dir.path(), &["sweep", "bad.sweep.ron"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("bad.sweep.ron:6:"), "{e}");
    assert!(e.contains("did you mean `integration`"), "{e}");
    assert!(e.contains("bad.sweep.ron:7:"), "{e}");
    assert!(e.contains("parameters[1].levels"), "{e}");
}

#[test]
fn sensitivity_writes_indices_and_salib_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (method, rows) in [
        ("Morris(trajectories: 3, levels: 4)", 3 * 3),
        ("Sobol(base_samples: 8, bootstrap: 50)", 8 * 4),
    ] {
        let text = format!(
            "(\n    base: \"{}\",\n    days: 20,\n    method: {method},\n    parameters: [\n        (path: \"policy.platform.integration\", range: (0.0, 1.0)),\n        (path: \"policy.committee.bounce_prob\", range: (0.05, 0.3)),\n    ],\n    outputs: [\"total.bounces_per_1000_cases\", \"final.open\"],\n)\n",
            scen("classroom.ron")
        );
        std::fs::write(dir.path().join("s.ron"), text).expect("write");
        let o = towngov(
            dir.path(),
            &["sensitivity", "s.ron", "--out", "out", "--force"],
        );
        ok(&o);
        let out = dir.path().join("out");
        let design = String::from_utf8(read(&out.join("design.txt"))).expect("utf-8");
        assert_eq!(design.lines().count(), rows, "{method}");
        let y = String::from_utf8(read(&out.join("Y-final.open.txt"))).expect("utf-8");
        assert_eq!(y.lines().count(), rows, "{method}");
        let problem = String::from_utf8(read(&out.join("problem.txt"))).expect("utf-8");
        assert!(
            problem.starts_with("policy.platform.integration 0 1\n"),
            "{problem}"
        );
        let indices = String::from_utf8(read(&out.join("indices.csv"))).expect("utf-8");
        assert_eq!(
            indices.lines().count(),
            1 + 2 * 2 * if rows == 9 { 3 } else { 2 }
        );
    }
}

#[test]
fn a_saved_state_continues_byte_identically_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = scen("full_reform.ron");
    ok(&towngov(
        dir.path(),
        &["run", &s, "--days", "200", "--out", "whole", "-q"],
    ));
    ok(&towngov(
        dir.path(),
        &[
            "run",
            &s,
            "--days",
            "80",
            "--save-state",
            "warm.state",
            "-q",
        ],
    ));
    let o = towngov(
        dir.path(),
        &[
            "run",
            "--from-state",
            "warm.state",
            "--days",
            "120",
            "--out",
            "rest",
        ],
    );
    ok(&o);
    let whole = String::from_utf8(read(&dir.path().join("whole/daily.csv"))).expect("utf-8");
    let lines: Vec<&str> = whole.lines().collect();
    let expected = [&lines[..1], &lines[81..]].concat().join("\n") + "\n";
    let rest = String::from_utf8(read(&dir.path().join("rest/daily.csv"))).expect("utf-8");
    assert_eq!(rest, expected);
    // Not a state file: a clear error, exit 2.
    std::fs::write(dir.path().join("junk.state"), "hello").expect("write");
    let o = towngov(dir.path(), &["run", "--from-state", "junk.state"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a towngov saved state"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_sweep_whose_design_breaks_a_rule_across_parameters_is_refused_before_running() {
    // Each level is valid alone; together they exceed the steward team's 10 members.
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "(\n    base: \"{}\",\n    days: 10,\n    design: Factorial,\n    parameters: [\n        (path: \"policy.stewards.team.intermediary\", levels: [0, 6]),\n        (path: \"policy.stewards.team.leading_firm\", levels: [2, 6]),\n    ],\n)\n",
        scen("classroom.ron")
    );
    std::fs::write(dir.path().join("s.ron"), text).expect("write");
    let o = towngov(dir.path(), &["sweep", "s.ron", "--out", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("design point 3"), "{e}");
    assert!(e.contains("at most 10 members"), "{e}");
    assert!(!dir.path().join("out/runs.csv").exists());
}

/// Issue 13 item 3: enum levers and the threshold distribution are factors of a factorial
/// sweep, levels of a Latin hypercube and factors of Morris; a bad variant is located.
#[test]
fn choices_and_thresholds_are_factors_in_every_design() {
    use towngov::experiment::spec::{Sensitivity, Sweep};
    let dir = tempfile::tempdir().expect("tempdir");
    let base = scen("classroom.ron");
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).expect("write");
        p
    };
    let factorial = write(
        "f.sweep.ron",
        format!(
            "(base: \"{base}\", days: 2, design: Factorial, parameters: [\n  (path: \"policy.committee.mode\", levels: [\"Fragmented\", \"Unified\"]),\n  (path: \"behaviour.participation.thresholds.mean\", levels: [0.3, 0.8]),\n  (path: \"policy.social_orgs.funding\"),\n])"
        ),
    );
    let s = Sweep::parse(&factorial).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.points.len(), 8);
    let shown: Vec<String> = s
        .points
        .iter()
        .map(|p| s.common.params[0].cell(p[0]))
        .collect();
    assert_eq!(
        shown[..5],
        [
            "Fragmented",
            "Fragmented",
            "Fragmented",
            "Fragmented",
            "Unified"
        ]
    );
    assert_eq!(s.common.params[2].cell(s.points[1][2]), "Project");
    let scenario = s.common.scenario(&s.points[7]).expect("valid");
    assert_eq!(format!("{:?}", scenario.policy.committee.mode), "Unified");
    let lhs = write(
        "l.sweep.ron",
        format!(
            "(base: \"{base}\", days: 2, design: LatinHypercube(samples: 10, seed: 3), parameters: [\n  (path: \"policy.committee.mode\"),\n  (path: \"behaviour.participation.thresholds.sd\", range: (0.1, 0.5)),\n])"
        ),
    );
    let s = Sweep::parse(&lhs).unwrap_or_else(|e| panic!("{e}"));
    // Stratified: each of the two variants in exactly half the samples.
    let unified = s.points.iter().filter(|p| p[0] == 1.0).count();
    assert_eq!(unified, 5, "{:?}", s.points);
    assert!(s.points.iter().all(|p| (0.1..=0.5).contains(&p[1])));
    let morris = write(
        "m.sensitivity.ron",
        format!(
            "Sensitivity(base: \"{base}\", days: 2, method: Morris(trajectories: 4), parameters: [\n  (path: \"behaviour.participation.reference\"),\n  (path: \"behaviour.participation.thresholds.mean\", range: (0.2, 0.8)),\n], outputs: [\"total.participation_rate_mean\"])"
        ),
    );
    let m = Sensitivity::parse(&morris).unwrap_or_else(|e| panic!("{e}"));
    assert!(m.points.iter().any(|p| p[0] == 0.0) && m.points.iter().any(|p| p[0] == 1.0));
    assert!(m.points.iter().all(|p| p[0] == 0.0 || p[0] == 1.0));
    // A variant that does not exist, and a range on a choice: located errors.
    let bad = write(
        "b.sweep.ron",
        format!(
            "(base: \"{base}\", design: Factorial, parameters: [\n  (path: \"policy.committee.mode\", levels: [\"Unifed\"]),\n  (path: \"policy.social_orgs.funding\", range: (0.0, 1.0), steps: 2),\n])"
        ),
    );
    let e = Sweep::parse(&bad).unwrap_err().to_string();
    assert!(
        e.contains(":2:")
            && e.contains(
                "parameters[0].levels: `Unifed` is not one of \"Fragmented\", \"Unified\""
            ),
        "{e}"
    );
    assert!(e.contains("parameters[1]: a choice takes `levels"), "{e}");
    // With senscale's input distributions: a choice in a second-order Sobol design is sampled
    // over its levels; a choice given a distribution is refused, located (not supported).
    let sobol = write(
        "s.sensitivity.ron",
        format!(
            "Sensitivity(base: \"{base}\", days: 2, method: Sobol(base_samples: 8, second_order: true), parameters: [\n  (path: \"behaviour.participation.thresholds.mean\", distribution: Uniform(low: 0.2, high: 0.8)),\n  (path: \"policy.committee.mode\"),\n], outputs: [\"total.participation_rate_mean\"])"
        ),
    );
    let s = Sensitivity::parse(&sobol).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.points.len(), 8 * (2 * 2 + 2));
    assert!(s.points.iter().any(|p| p[1] == 0.0) && s.points.iter().any(|p| p[1] == 1.0));
    assert!(s.points.iter().all(|p| p[1] == 0.0 || p[1] == 1.0));
    assert_eq!(s.common.params[1].bounds, (0.0, 2.0));
    let dist = write(
        "d.sensitivity.ron",
        format!(
            "Sensitivity(base: \"{base}\", days: 2, method: Sobol(base_samples: 8), parameters: [\n  (path: \"behaviour.participation.thresholds.mean\", distribution: Uniform(low: 0.2, high: 0.8)),\n  (path: \"policy.committee.mode\", distribution: Uniform(low: 0.0, high: 1.0)),\n], outputs: [\"total.participation_rate_mean\"])"
        ),
    );
    let e = Sensitivity::parse(&dist).unwrap_err().to_string();
    assert!(
        e.contains(":3:")
            && e.contains("parameters[1].distribution: a choice is sampled over its `levels`"),
        "{e}"
    );
    assert!(!e.contains("parameters[0]"), "{e}");
}

/// `--lang zh-CN` writes the report and the summary in Chinese; without it the locale decides
/// (LANG=zh_CN.UTF-8 gives Chinese, --lang en overrides it).
#[test]
fn compare_speaks_the_language_asked_for_or_the_locale_s() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (sq, fr) = (scen("status_quo.ron"), scen("full_reform.ron"));
    let base = ["compare", &sq, &fr, "--reps", "2", "--days", "30"];
    let run = |extra: &[&str], lang_env: &str| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        std::process::Command::new(env!("CARGO_BIN_EXE_towngov"))
            .current_dir(dir.path())
            .args(&args)
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", lang_env)
            .output()
            .expect("towngov runs")
    };
    let zh = run(&["--lang", "zh-CN", "--out", "zh"], "C.UTF-8");
    ok(&zh);
    let page = String::from_utf8(read(&dir.path().join("zh/report.html"))).expect("utf-8");
    assert!(page.contains("<html lang=\"zh-CN\">") && page.contains("结论速览"));
    assert!(page.contains("万元") && page.contains("期末预算结余"));
    assert!(stdout(&zh).contains("主要发现"), "{}", stdout(&zh));
    let by_locale = run(&["--out", "loc"], "zh_CN.UTF-8");
    ok(&by_locale);
    assert!(stdout(&by_locale).contains("主要发现"));
    let en = run(&["--lang", "en", "--out", "en"], "zh_CN.UTF-8");
    ok(&en);
    let page = String::from_utf8(read(&dir.path().join("en/report.html"))).expect("utf-8");
    assert!(page.contains("<html lang=\"en\">") && page.contains("The answer first"));
    assert!(page.contains("M yuan") && !page.contains("万元"));
    assert!(stdout(&en).contains("Findings"));
    let bad = run(&["--lang", "fr", "--out", "fr"], "C");
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("zh-CN"), "{}", stderr(&bad));
}
