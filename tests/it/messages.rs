//! What a new user meets in the first hour: `check` on every kind of file, every error said
//! once, tables that fit 100 columns, no colour codes in pipes, CSV files whose cells pandas
//! reads as they are meant.

use std::path::Path;
use std::process::Output;

use crate::support::{repo, stderr, stdout, towngov};

fn scen(name: &str) -> String {
    repo().join("scenarios").join(name).display().to_string()
}

/// Clauses said twice in one line of `text` (a clause: what lies between ": ").
fn repeated_clauses(text: &str) -> Vec<String> {
    let mut repeated = Vec::new();
    for line in text.lines() {
        let clauses: Vec<&str> = line.split(": ").map(str::trim).collect();
        for (i, c) in clauses.iter().enumerate() {
            if !c.is_empty() && clauses[..i].contains(c) {
                repeated.push(format!("{c:?} in {line:?}"));
            }
        }
    }
    repeated
}

#[test]
fn repeated_clauses_are_found() {
    // The known case the check guards against, so the check itself can fail.
    let twice = "error: x.ron: cannot read the scenario file: No such file or directory (os error 2): No such file or directory (os error 2)";
    assert_eq!(repeated_clauses(twice).len(), 1);
    assert!(repeated_clauses("error: x.ron: cannot read: no such file or folder").is_empty());
}

#[test]
fn check_validates_every_shipped_kind_of_file() {
    let mut files: Vec<String> = Vec::new();
    for dir in ["scenarios", "scenarios/docking", "scenarios/experiments"] {
        let mut here: Vec<String> = std::fs::read_dir(repo().join(dir))
            .expect("folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .map(|p| p.display().to_string())
            .collect();
        here.sort();
        files.extend(here);
    }
    let args: Vec<&str> = std::iter::once("check")
        .chain(files.iter().map(String::as_str))
        .collect();
    let o = towngov(&repo(), &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.lines().count(), files.len(), "{out}");
    for (kind, file) in [
        ("scenario \"development-zone status quo\"", "status_quo.ron"),
        ("sweep \"levers\"", "levers.sweep.ron"),
        ("sensitivity \"levers\"", "levers.sensitivity.ron"),
    ] {
        let line = out
            .lines()
            .find(|l| l.contains(&format!("/{file}: ok")))
            .unwrap_or_else(|| panic!("no line for {file}:\n{out}"));
        assert!(line.contains(kind), "{line}");
    }
    assert!(
        out.contains("15 design points x 4 replications = 60 runs of 365 days"),
        "{out}"
    );
    assert!(
        out.contains("Morris: 140 design rows x 2 replications = 280 runs"),
        "{out}"
    );
}

#[test]
fn check_locates_errors_in_sweep_and_sensitivity_files_without_running() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = scen("classroom.ron");
    // No `.sweep.ron` name: recognised by its `design` field.
    std::fs::write(
        dir.path().join("a.ron"),
        format!("(\n    base: \"{base}\",\n    design: Factorial,\n    parameters: [\n        (path: \"policy.platform.integraton\", levels: [0.5]),\n    ],\n)\n"),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("b.ron"),
        format!("Sensitivity(\n    base: \"{base}\",\n    replications: 0,\n    method: Morris(trajectories: 2),\n    parameters: [(path: \"policy.platform.integration\", range: (0.0, 1.0))],\n    outputs: [\"total.on_time_rate\"],\n)\n"),
    )
    .expect("write");
    let o = towngov(dir.path(), &["check", "a.ron", "b.ron"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("a.ron:5:"), "{e}");
    assert!(e.contains("a.ron:5:10: parameters[0].path: `policy.platform.integraton`: no such parameter, did you mean `integration`?"), "{e}");
    assert!(
        e.contains("b.ron:3:5: replications: must be between 1 and"),
        "{e}"
    );
    assert!(e.contains("2 of 2 files are invalid"), "{e}");
    assert!(!e.contains("unknown field `base`"), "{e}");
    // Nothing ran: no output folder appeared.
    let entries = std::fs::read_dir(dir.path()).expect("dir").count();
    assert_eq!(entries, 2);
}

/// Runs every error path of the command line and checks each message says every clause once,
/// in the user's words (no "(os error N)"), with the documented exit code.
#[test]
fn every_error_is_said_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("latin1.ron"), b"(name: \"caf\xe9\")").expect("write");
    std::fs::create_dir(d.join("folder.ron")).expect("mkdir");
    std::fs::write(d.join("garbage.state"), b"not a state").expect("write");
    std::fs::write(d.join("blocker"), "x").expect("write");
    std::fs::create_dir(d.join("taken")).expect("mkdir");
    std::fs::write(d.join("taken/daily.csv"), "precious").expect("write");
    std::fs::write(
        d.join("bad.sweep.ron"),
        format!(
            "(\n    base: \"{}\",\n    design: Factorial,\n    parameters: [(path: \"policy.nope\", levels: [1])],\n)\n",
            scen("classroom.ron")
        ),
    )
    .expect("write");
    std::fs::write(
        d.join("good.sweep.ron"),
        format!(
            "(\n    base: \"{}\",\n    days: 2,\n    design: Factorial,\n    parameters: [(path: \"policy.platform.integration\", levels: [1])],\n)\n",
            scen("classroom.ron")
        ),
    )
    .expect("write");
    let (sq, classroom) = (scen("status_quo.ron"), scen("classroom.ron"));
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["run", "missing.ron"], 2),
        (vec!["run", "folder.ron"], 2),
        (vec!["run", "latin1.ron"], 2),
        (vec!["check", "missing.ron", "folder.ron"], 2),
        (vec!["sweep", "missing.ron"], 2),
        (vec!["sweep", "bad.sweep.ron"], 2),
        (vec!["sweep", "good.sweep.ron", "--shard", "5/4"], 2),
        (vec!["sensitivity", "missing.ron"], 2),
        (vec!["run", "--from-state", "missing.state"], 2),
        (vec!["run", "--from-state", "garbage.state"], 2),
        (vec!["compare", "missing.ron", &sq], 2),
        (
            vec![
                "compare",
                &sq,
                &classroom,
                "--warm-up",
                "5",
                "--days",
                "5",
                "--reps",
                "2",
            ],
            2,
        ),
        (vec!["compare", &sq, &classroom, "--level", "2"], 2),
        (
            vec![
                "compare",
                &sq,
                &classroom,
                "--threads",
                "0",
                "--reps",
                "2",
                "--days",
                "2",
            ],
            2,
        ),
        (vec!["merge", "missing-shard", "--out", "merged"], 2),
        (vec!["run", "--case-log"], 2),
        (vec!["run", &classroom, "--days", "2", "--out", "taken"], 2),
        (
            vec!["run", &classroom, "--days", "2", "--out", "blocker"],
            1,
        ),
        (vec!["run", "--seeed", "3"], 2),
        (vec!["run", "--days", "0"], 2),
        (vec!["frobnicate"], 2),
    ];
    let mut failures = Vec::new();
    let judge = |args: &[&str], code: i32, o: &Output, failures: &mut Vec<String>| {
        let e = stderr(o);
        if o.status.code() != Some(code) {
            failures.push(format!(
                "{args:?}: exit {:?}, not {code}: {e}",
                o.status.code()
            ));
        }
        if e.trim().is_empty() {
            failures.push(format!("{args:?}: says nothing"));
        }
        for r in repeated_clauses(&e) {
            failures.push(format!("{args:?}: {r}"));
        }
        if e.contains("os error") || e.contains("panicked") {
            failures.push(format!("{args:?}: {e}"));
        }
    };
    for (args, code) in &cases {
        let o = towngov(d, args);
        judge(args, *code, &o, &mut failures);
    }
    for (what, text, _) in crate::bad_input::CASES {
        std::fs::write(d.join("x.ron"), text).expect("write");
        for args in [&["check", "x.ron"][..], &["run", "x.ron", "--days", "1"]] {
            let o = towngov(d, args);
            judge(&[args, &[what]].concat(), 2, &o, &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn compare_three(dir: &Path, extra: &[(&str, &str)]) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_towngov"));
    cmd.current_dir(dir)
        .args([
            "compare",
            &scen("classroom.ron"),
            &scen("classroom.ron"),
            &scen("classroom.ron"),
            "--reps",
            "2",
            "--days",
            "20",
            "--force",
        ])
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "100");
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.output().expect("towngov runs")
}

#[test]
fn a_three_option_comparison_fits_100_columns_and_has_no_colour_in_a_pipe() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = compare_three(dir.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Indicator (unit)"), "{out}");
    for line in out.lines() {
        assert!(
            towngov::report::display_width(line) <= 100,
            "wider than 100 columns: {line:?}"
        );
    }
    assert!(!out.contains('\u{1b}'), "escape codes in a pipe:\n{out}");
    // The same command forced to colour does colour (so the check above can fail).
    let o = compare_three(dir.path(), &[("CLICOLOR_FORCE", "1")]);
    assert!(
        stdout(&o).contains('\u{1b}'),
        "CLICOLOR_FORCE gives no colour"
    );
    let o = compare_three(dir.path(), &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!stdout(&o).contains('\u{1b}'), "NO_COLOR is not honoured");
}

/// pandas' default `na_values` (pandas.read_csv): a cell holding one of these is read as
/// missing. towngov's missing value is the empty cell; no other cell may be one of these.
const PANDAS_NA: &[&str] = &[
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
    "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// Every `.csv` under `dir`, with each cell that pandas would read as missing although it is
/// not empty, and each column named like a pandas attribute of a frame (`index`).
fn surprises(dir: &Path) -> (usize, Vec<String>) {
    let mut files = 0;
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("dir") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|e| e != "csv") {
                continue;
            }
            files += 1;
            let mut r = csv::Reader::from_path(&p).expect("csv");
            let header = r.headers().expect("header").clone();
            for h in &header {
                if h == "index" || PANDAS_NA.contains(&h) {
                    found.push(format!("{}: column {h:?}", p.display()));
                }
            }
            for rec in r.records() {
                let rec = rec.expect("record");
                for (h, cell) in header.iter().zip(rec.iter()) {
                    if PANDAS_NA.contains(&cell) {
                        found.push(format!("{}: {h} = {cell:?}", p.display()));
                    }
                }
            }
        }
    }
    (files, found)
}

#[test]
fn every_csv_reads_in_pandas_without_surprises() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let classroom = scen("classroom.ron");
    let ok = |o: Output| assert!(o.status.success(), "{}", stderr(&o));
    ok(towngov(
        d,
        &[
            "run",
            &classroom,
            "--days",
            "60",
            "--case-log",
            "-q",
            "--out",
            "run",
        ],
    ));
    // The status quo holds no elections: its turnout has no interval against the reform.
    ok(towngov(
        d,
        &[
            "compare",
            &scen("status_quo.ron"),
            &scen("full_reform.ron"),
            "--reps",
            "2",
            "--days",
            "30",
            "-q",
            "--out",
            "cmp",
        ],
    ));
    std::fs::write(
        d.join("s.sweep.ron"),
        format!("(\n    base: \"{classroom}\",\n    days: 20,\n    replications: 2,\n    design: Factorial,\n    parameters: [(path: \"policy.platform.integration\", levels: [0.0, 1.0])],\n    daily: [\"all\"],\n)\n"),
    )
    .expect("write");
    ok(towngov(
        d,
        &["sweep", "s.sweep.ron", "-q", "--out", "sweep"],
    ));
    std::fs::write(
        d.join("s.sensitivity.ron"),
        format!("(\n    base: \"{classroom}\",\n    days: 20,\n    method: Morris(trajectories: 2, levels: 4),\n    parameters: [(path: \"policy.platform.integration\", range: (0.0, 1.0)), (path: \"policy.committee.bounce_prob\", range: (0.05, 0.3))],\n    outputs: [\"total.bounces_per_1000_cases\"],\n)\n"),
    )
    .expect("write");
    ok(towngov(
        d,
        &["sensitivity", "s.sensitivity.ron", "-q", "--out", "sens"],
    ));
    let (files, found) = surprises(d);
    // run: daily, cases; compare: options, runs; sweep: runs, daily; sensitivity: indices,
    // noise (its header only, with one replication), runs.
    assert_eq!(files, 9);
    assert!(found.is_empty(), "{}", found.join("\n"));
    // The verdict with no interval is spelt so that pandas keeps it.
    let options = std::fs::read_to_string(d.join("cmp/options.csv")).expect("options.csv");
    assert!(options.contains(",no_interval\n"), "{options}");
    // Every per-run file names its scenario and seed.
    for f in ["run/daily.csv", "run/cases.csv"] {
        let text = std::fs::read_to_string(d.join(f)).expect("csv");
        assert!(text.starts_with("scenario,seed,"), "{f}");
        assert!(
            text.lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("classroom town,1,")),
            "{f}"
        );
    }
    for f in ["cmp/runs.csv", "sweep/runs.csv", "sens/runs.csv"] {
        let text = std::fs::read_to_string(d.join(f)).expect("csv");
        let header = text.lines().next().unwrap_or_default();
        assert!(
            header.contains(",scenario,") && header.contains(",seed"),
            "{f}: {header}"
        );
    }
}
