//! Sensitivity at scale (issue 14 item 5): shards merged into the same bytes as one machine's
//! run, a killed run resumed where it stopped, designs brought in SALib's text layout, input
//! distributions and second-order Sobol from the command line, and located errors.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{repo, stderr, stdout, towngov};

fn classroom() -> String {
    repo().join("scenarios/classroom.ron").display().to_string()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

fn ok(o: &std::process::Output) {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Every file of `a` is in `b` with the same bytes (a JSON file's up to its invocation block),
/// and `b` has no other.
fn assert_same_files(a: &Path, b: &Path) {
    assert_eq!(files(a), files(b));
    for f in files(a) {
        let (mut x, mut y) = (
            std::fs::read(a.join(&f)).unwrap(),
            std::fs::read(b.join(&f)).unwrap(),
        );
        if f.ends_with(".json") {
            // Up to the invocation block (the command line and threads of who wrote it).
            x = crate::support::before_invocation(&x);
            y = crate::support::before_invocation(&y);
        }
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// Second-order Sobol over three parameters with a truncated normal, a triangular and a
/// whole-number range: 8 x (2 x 3 + 2) = 64 design rows, 2 replications.
fn sobol_file(dir: &Path) {
    write(
        dir,
        "s.ron",
        &format!(
            "(\n    base: \"{}\",\n    days: 20,\n    replications: 2,\n    method: Sobol(base_samples: 8, bootstrap: 50, second_order: true),\n    parameters: [\n        (path: \"policy.platform.integration\", distribution: Normal(mean: 0.5, sd: 0.2, truncate: (0.0, 1.0))),\n        (path: \"policy.committee.bounce_prob\", distribution: Triangular(low: 0.05, mode: 0.1, high: 0.3)),\n        (path: \"policy.stewards.team.intermediary\", range: (0, 6)),\n    ],\n    outputs: [\"total.bounces_per_1000_cases\", \"final.open\"],\n)\n",
            classroom()
        ),
    );
}

#[test]
fn shards_merged_give_the_bytes_of_one_machine() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    sobol_file(d);
    ok(&towngov(d, &["sensitivity", "s.ron", "--out", "one", "-q"]));
    for k in 0..3 {
        let shard = format!("{k}/3");
        let out = format!("sh{k}");
        ok(&towngov(
            d,
            &[
                "sensitivity",
                "s.ron",
                "--shard",
                &shard,
                "--out",
                &out,
                "-q",
            ],
        ));
        assert_eq!(files(&d.join(&out)), ["runs.csv", "sweep.json"]);
    }
    let o = towngov(d, &["merge", "sh2", "sh0", "sh1", "--out", "merged"]);
    ok(&o);
    assert!(
        stdout(&o).contains("towngov sensitivity FILE --out merged"),
        "{}",
        stdout(&o)
    );
    let o = towngov(d, &["sensitivity", "s.ron", "--out", "merged"]);
    ok(&o);
    assert!(stdout(&o).contains("none was run again"), "{}", stdout(&o));
    assert_same_files(&d.join("one"), &d.join("merged"));
    let indices = std::fs::read_to_string(d.join("one/indices.csv")).unwrap();
    // 2 outputs x (3 parameters x S1, ST + 3 pairs x S2).
    assert_eq!(indices.lines().count(), 1 + 2 * (3 * 2 + 3));
    assert!(
        indices.contains(
            "sobol,final.open,policy.platform.integration:policy.committee.bounce_prob,S2,"
        )
    );
    let runs = std::fs::read_to_string(d.join("one/runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 64 * 2);
    // The whole-number parameter takes each of 0..=6 and nothing else.
    let design = std::fs::read_to_string(d.join("one/design.txt")).unwrap();
    for line in design.lines() {
        let v: Vec<f64> = line.split(' ').map(|x| x.parse().unwrap()).collect();
        assert!((0.0..=1.0).contains(&v[0]), "{line}");
        assert!((0.05..=0.3).contains(&v[1]), "{line}");
        assert!(v[2].fract() == 0.0 && (0.0..=6.0).contains(&v[2]), "{line}");
    }
    // Finished folders are not overwritten without --force, and a shard is not analysed.
    let o = towngov(d, &["sensitivity", "s.ron", "--out", "one"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a finished analysis"), "{}", stderr(&o));
    let o = towngov(d, &["sensitivity", "s.ron", "--out", "sh0"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("towngov merge"), "{}", stderr(&o));
}

#[test]
fn a_killed_analysis_resumes_where_it_stopped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "k.ron",
        &format!(
            "(\n    base: \"{}\",\n    days: 720,\n    method: Morris(trajectories: 10, levels: 4),\n    parameters: [\n        (path: \"policy.platform.integration\", range: (0.0, 1.0)),\n        (path: \"policy.committee.bounce_prob\", range: (0.05, 0.3)),\n        (path: \"policy.stewards.team.intermediary\", range: (0, 6)),\n    ],\n    outputs: [\"final.open\"],\n)\n",
            classroom()
        ),
    );
    let args = ["sensitivity", "k.ron", "--out", "k", "--threads", "1", "-q"];
    let mut child = Command::new(env!("CARGO_BIN_EXE_towngov"))
        .current_dir(d)
        .args(args)
        .spawn()
        .expect("towngov starts");
    // SIGKILL (no chance to clean up) once two runs are in the journal.
    let journal = d.join("k/.runs.csv.partial");
    let started = Instant::now();
    while std::fs::read_to_string(&journal).map_or(0, |t| t.lines().count()) < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no runs written"
        );
        assert!(
            child.try_wait().expect("wait").is_none(),
            "finished before the kill"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().expect("kill");
    child.wait().expect("ends");
    // Complete rows only (a row cut by the kill is dropped on resume).
    let kept = std::fs::read_to_string(&journal)
        .unwrap()
        .matches('\n')
        .count()
        - 1;
    assert!((2..40).contains(&kept), "{kept} runs kept");
    assert!(!d.join("k/runs.csv").exists());
    let o = towngov(d, &["sensitivity", "k.ron", "--out", "k", "--threads", "1"]);
    ok(&o);
    let out = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    eprintln!("killed after {kept} of 40 runs; the rerun printed: {}", out);
    assert!(out.contains(&format!("{} runs run", 40 - kept)), "{out}");
    assert!(out.contains(&format!("after {kept} runs kept")), "{out}");
    ok(&towngov(
        d,
        &["sensitivity", "k.ron", "--out", "whole", "-q"],
    ));
    assert_same_files(&d.join("whole"), &d.join("k"));
}

#[test]
fn a_design_file_is_run_as_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let data = repo().join("tests/data/salib");
    let spec = |method: &str, design: &str| {
        format!(
            "(\n    base: \"{}\",\n    days: 20,\n    method: {method},\n    parameters: [\n        (path: \"policy.platform.integration\", range: (0.0, 1.0)),\n        (path: \"policy.committee.bounce_prob\", range: (0.05, 0.3)),\n    ],\n    outputs: [\"final.open\"],\n{design})\n",
            classroom()
        )
    };
    // towngov's own design written out and read back runs the same rows: the same bytes.
    write(
        d,
        "own.ron",
        &spec("Sobol(base_samples: 8, bootstrap: 50)", ""),
    );
    ok(&towngov(
        d,
        &[
            "sensitivity",
            "own.ron",
            "--out",
            "designed",
            "--design-only",
        ],
    ));
    assert_eq!(files(&d.join("designed")), ["design.txt", "problem.txt"]);
    ok(&towngov(
        d,
        &["sensitivity", "own.ron", "--out", "own", "-q"],
    ));
    for f in ["design.txt", "problem.txt"] {
        assert_eq!(
            std::fs::read(d.join("designed").join(f)).unwrap(),
            std::fs::read(d.join("own").join(f)).unwrap(),
            "{f}"
        );
    }
    write(
        d,
        "back.ron",
        &spec(
            "Sobol(bootstrap: 50)",
            "    design: \"designed/design.txt\",\n",
        ),
    );
    // `check` reads it as a sensitivity file (it names a design and a method) and says so.
    let o = towngov(d, &["check", "back.ron"]);
    ok(&o);
    assert!(
        stdout(&o).contains("Sobol on the rows of designed/design.txt: 32 design rows"),
        "{}",
        stdout(&o)
    );
    let o = towngov(d, &["sensitivity", "back.ron", "--out", "back"]);
    ok(&o);
    let said = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(said.contains("8 base samples"), "{said}");
    for f in ["indices.csv", "design.txt", "Y-final.open.txt"] {
        assert_eq!(
            std::fs::read(d.join("own").join(f)).unwrap(),
            std::fs::read(d.join("back").join(f)).unwrap(),
            "{f}"
        );
    }
    // Designs SALib sampled (tests/data/salib/designs.py): Sobol N = 4, Morris r = 3.
    for (method, file, rows) in [
        ("Sobol(bootstrap: 20)", "sobol.design.txt", 16),
        ("Morris(levels: 4)", "morris.design.txt", 9),
    ] {
        let design = data.join(file).display().to_string();
        write(
            d,
            "salib.ron",
            &spec(method, &format!("    design: \"{design}\",\n")),
        );
        let o = towngov(d, &["sensitivity", "salib.ron", "--out", file, "--force"]);
        ok(&o);
        let y = std::fs::read_to_string(d.join(file).join("Y-final.open.txt")).unwrap();
        assert_eq!(y.lines().count(), rows, "{file}");
    }
}

#[test]
fn design_files_and_distributions_are_checked_with_locations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let check = |params: &str, method: &str, extra: &str, expect: &[&str]| {
        write(
            d,
            "e.ron",
            &format!(
                "(\n    base: \"{}\",\n    days: 5,\n    method: {method},\n    parameters: [\n{params}    ],\n    outputs: [\"final.open\"],\n{extra})\n",
                classroom()
            ),
        );
        let o = towngov(d, &["sensitivity", "e.ron", "--out", "e"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        for e in expect {
            assert!(stderr(&o).contains(e), "{e:?} not in {}", stderr(&o));
        }
        assert!(!d.join("e/runs.csv").exists());
    };
    let two = "        (path: \"policy.platform.integration\", range: (0.0, 1.0)),\n        (path: \"policy.committee.bounce_prob\", range: (0.05, 0.3)),\n";
    check(
        "        (path: \"policy.platform.integration\", distribution: Normal(mean: 0.5, sd: 0)),\n",
        "Sobol(base_samples: 4)",
        "",
        &[
            "e.ron:6:",
            "parameters[0].distribution.sd",
            "above 0, got 0",
        ],
    );
    check(
        "        (path: \"policy.platform.integration\", range: (0, 1), distribution: LogUniform(low: 0.1, high: 1)),\n",
        "Sobol(base_samples: 4)",
        "",
        &["e.ron:6:", "parameters[0]", "either `range"],
    );
    check(
        "        (path: \"policy.platform.integration\", distribution: Normal(mean: 0.5, sd: 0.1)),\n",
        "Morris(trajectories: 4)",
        "",
        &["parameters[0].distribution", "truncate"],
    );
    check(
        two,
        "Sobol()",
        "",
        &["method.base_samples", "or a `design` file"],
    );
    // Design files: a count that fits neither layout, a bad value, rows out of Saltelli's order.
    write(d, "rows.txt", &"0.5 0.1\n".repeat(10));
    check(
        two,
        "Sobol()",
        "    design: \"rows.txt\",\n",
        &["rows.txt: ", "N (D + 2)", "got 10 rows"],
    );
    write(d, "value.txt", "# made by hand\n0.5 0.1\n0.5 x1\n");
    check(
        two,
        "Sobol()",
        "    design: \"value.txt\",\n",
        &["value.txt:3:5: ", "\"x1\""],
    );
    let mut shuffled = String::new();
    for j in 0..2 {
        let (a, b) = (0.1 + 0.1 * j as f64, 0.6 + 0.1 * j as f64);
        for row in [[a, 0.1], [a, 0.2], [b, 0.1], [b, 0.2]] {
            shuffled += &format!("{} {}\n", row[0], row[1]);
        }
    }
    write(d, "order.txt", &shuffled);
    check(
        two,
        "Sobol()",
        "    design: \"order.txt\",\n",
        &["order.txt:2:", "row 2 is not AB_1"],
    );
    write(d, "wide.txt", "0.5 0.1 3\n");
    check(
        two,
        "Morris()",
        "    design: \"wide.txt\",\n",
        &["wide.txt:1:", "3 columns", "names 2 parameters"],
    );
    check(
        two,
        "Sobol()",
        "    design: \"missing.txt\",\n",
        &["missing.txt: cannot read"],
    );
}
