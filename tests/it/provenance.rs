//! Provenance in every output (issue 15 item 4): the commit, the version, the full text of each
//! scenario, seeds as strings that read back exactly, the command line and the threads.

use std::path::Path;

use crate::support::{repo, stderr, towngov};

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .expect("json")
}

/// The commit git reports for the repository, when git is there to ask.
fn head() -> Option<String> {
    let o = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(repo())
        .output()
        .ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

fn check_build(p: &serde_json::Value) {
    assert_eq!(p["towngov_version"], env!("CARGO_PKG_VERSION"));
    let commit = p["commit"].as_str().expect("commit");
    match head() {
        Some(h) => assert_eq!(commit, h, "the commit the binary was built from"),
        None => assert!(commit == "unknown" || commit.len() == 40, "{commit}"),
    }
    assert!(["clean", "dirty", "unknown"].contains(&p["tree"].as_str().unwrap()));
}

#[test]
fn a_run_records_its_build_scenario_text_big_seed_and_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = repo().join("scenarios/classroom.ron");
    let file = file.to_str().unwrap();
    let seed = "18041238358055680514";
    let o = towngov(
        dir.path(),
        &[
            "run", file, "--days", "5", "--seed", seed, "--out", "o", "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let raw = std::fs::read_to_string(dir.path().join("o/summary.json")).unwrap();
    assert!(
        raw.contains(&format!("\"seed\": \"{seed}\"")),
        "seed as a string"
    );
    let s = json(&dir.path().join("o/summary.json"));
    assert_eq!(
        s["seed"].as_str().unwrap().parse::<u64>().unwrap(),
        18041238358055680514
    );
    let p = &s["provenance"];
    check_build(p);
    assert_eq!(p["inputs"][0]["role"], "scenario");
    assert_eq!(p["inputs"][0]["origin"], file);
    assert_eq!(
        p["inputs"][0]["text"].as_str().unwrap(),
        std::fs::read_to_string(file).unwrap(),
        "the scenario's full text"
    );
    let line: Vec<&str> = p["invocation"]["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        &line[1..],
        [
            "run", file, "--days", "5", "--seed", seed, "--out", "o", "-q"
        ]
    );
    assert_eq!(p["invocation"]["threads"], 1, "a run is single-threaded");
    // The embedded default scenario is written out too, not as a placeholder.
    let o = towngov(dir.path(), &["run", "--days", "2", "--out", "d", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let p = json(&dir.path().join("d/summary.json"))["provenance"].clone();
    assert_eq!(
        p["inputs"][0]["origin"],
        "<embedded scenarios/status_quo.ron>"
    );
    assert_eq!(
        p["inputs"][0]["text"].as_str().unwrap(),
        std::fs::read_to_string(repo().join("scenarios/status_quo.ron")).unwrap()
    );
}

#[test]
fn a_comparison_and_its_report_carry_every_scenario_text_and_the_commit() {
    let dir = tempfile::tempdir().unwrap();
    let a = repo().join("scenarios/classroom.ron");
    let a = a.to_str().unwrap();
    let b = dir.path().join("b.ron");
    let text = std::fs::read_to_string(a).unwrap().replacen(
        "name: \"classroom town\"",
        "name: \"other\"",
        1,
    );
    std::fs::write(&b, &text).unwrap();
    let b = b.to_str().unwrap();
    let o = towngov(
        dir.path(),
        &[
            "compare",
            a,
            b,
            "--reps",
            "2",
            "--days",
            "10",
            "--threads",
            "2",
            "--out",
            "c",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let c = json(&dir.path().join("c/comparison.json"));
    let p = &c["provenance"];
    check_build(p);
    let inputs = p["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2);
    for (input, path) in inputs.iter().zip([a, b]) {
        assert_eq!(input["origin"], path);
        assert_eq!(
            input["text"].as_str().unwrap(),
            std::fs::read_to_string(path).unwrap()
        );
    }
    assert!(c["seeds"].as_array().unwrap().iter().all(|s| s.is_string()));
    assert_eq!(p["invocation"]["threads"], 2);
    let html = std::fs::read_to_string(dir.path().join("c/report.html")).unwrap();
    let footer = &html[html.find("<footer>").expect("a footer")..];
    let commit = p["commit"].as_str().unwrap();
    assert!(
        footer.contains(commit.get(..12).unwrap_or(commit)),
        "{footer}"
    );
    assert!(
        footer.contains("name: &quot;other&quot;"),
        "the option's text, escaped"
    );
    assert!(!footer.contains("--threads"), "no invocation in the page");
}

/// A sensitivity analysis that reads its design from a file records that file's full text
/// beside the analysis file and the base scenario, and its `runs.csv` carries every seed in a
/// text form too (`seed_text`), which the analysis reads back past.
#[test]
fn a_sensitivity_records_its_design_file_and_writes_seeds_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let base = repo().join("scenarios/classroom.ron");
    let file = |design: &str| {
        format!(
            "(\n    base: \"{}\",\n    days: 5,\n    replications: 1,\n    method: Morris(trajectories: 2, levels: 4),{design}\n    parameters: [\n        (path: \"policy.platform.integration\", range: (0.0, 1.0)),\n        (path: \"policy.committee.bounce_prob\", range: (0.05, 0.3)),\n    ],\n    outputs: [\"final.open\"],\n)\n",
            base.display()
        )
    };
    std::fs::write(dir.path().join("drawn.ron"), file("")).unwrap();
    let o = towngov(
        dir.path(),
        &[
            "sensitivity",
            "drawn.ron",
            "--design-only",
            "--out",
            "d",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let design = std::fs::read_to_string(dir.path().join("d/design.txt")).unwrap();
    std::fs::write(dir.path().join("mine.txt"), &design).unwrap();
    std::fs::write(
        dir.path().join("given.ron"),
        file("\n    design: \"mine.txt\","),
    )
    .unwrap();
    let o = towngov(
        dir.path(),
        &["sensitivity", "given.ron", "--out", "g", "-q"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let p = &json(&dir.path().join("g/sweep.json"))["provenance"];
    let roles: Vec<&str> = p["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["sensitivity", "base scenario", "design"]);
    assert_eq!(p["inputs"][2]["text"].as_str().unwrap(), design);
    assert!(
        p["inputs"][2]["origin"]
            .as_str()
            .unwrap()
            .ends_with("mine.txt")
    );
    // The drawn design is not a file the analysis read: no `design` input then.
    let o = towngov(
        dir.path(),
        &["sensitivity", "drawn.ron", "--out", "n", "-q"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let inputs = json(&dir.path().join("n/sweep.json"))["provenance"]["inputs"].clone();
    assert_eq!(inputs.as_array().unwrap().len(), 2);
    check_seed_text(&dir.path().join("g/runs.csv"));
    assert!(
        dir.path().join("g/indices.csv").is_file(),
        "runs.csv read back"
    );
}

/// Every row's `seed_text` is `s` and its `seed`, which no CSV reader takes for a number.
fn check_seed_text(runs: &Path) -> Vec<(String, String)> {
    let mut r = csv::Reader::from_path(runs).unwrap();
    let h = r.headers().unwrap().clone();
    let at = |name: &str| h.iter().position(|c| c == name).expect(name);
    let (seed, text) = (at("seed"), at("seed_text"));
    assert_eq!(text, seed + 1, "seed_text right after seed");
    let rows: Vec<(String, String)> = r
        .records()
        .map(|row| {
            let row = row.unwrap();
            (row[seed].to_string(), row[text].to_string())
        })
        .collect();
    assert!(!rows.is_empty());
    for (n, t) in &rows {
        assert_eq!(t, &format!("s{n}"), "{}", runs.display());
        assert!(n.parse::<u64>().is_ok() && t.parse::<f64>().is_err());
    }
    rows
}

/// A comparison's and a sweep's runs.csv carry `seed_text`; `--seed` takes either form, so a
/// seed copied from a row (above 2^53, as nearly all replicate seeds are) gives that run.
#[test]
fn runs_csv_seeds_have_a_text_form_that_seed_takes_back() {
    let dir = tempfile::tempdir().unwrap();
    let a = repo().join("scenarios/classroom.ron");
    let a = a.to_str().unwrap();
    let o = towngov(
        dir.path(),
        &[
            "compare", a, a, "--reps", "2", "--days", "5", "--out", "c", "-q",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = check_seed_text(&dir.path().join("c/runs.csv"));
    let (seed, text) = rows
        .iter()
        .find(|(n, _)| n.parse::<u64>().unwrap() > 1 << 53)
        .expect("a seed above 2^53")
        .clone();
    for (out, given) in [("n", seed.as_str()), ("t", text.as_str())] {
        let o = towngov(
            dir.path(),
            &["run", a, "--days", "5", "--seed", given, "--out", out, "-q"],
        );
        assert!(o.status.success(), "{given}: {}", stderr(&o));
        assert_eq!(
            json(&dir.path().join(out).join("summary.json"))["seed"],
            seed.as_str()
        );
    }
    assert_eq!(
        std::fs::read(dir.path().join("n/daily.csv")).unwrap(),
        std::fs::read(dir.path().join("t/daily.csv")).unwrap()
    );
    let o = towngov(dir.path(), &["run", a, "--seed", "s12x", "-q"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("seed_text"), "{}", stderr(&o));
    let sweep = format!(
        "(\n    base: \"{a}\",\n    days: 3,\n    replications: 2,\n    design: Factorial,\n    parameters: [\n        (path: \"policy.platform.integration\", levels: [0.2, 0.8]),\n    ],\n)\n"
    );
    std::fs::write(dir.path().join("s.ron"), sweep).unwrap();
    let o = towngov(dir.path(), &["sweep", "s.ron", "--out", "s", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(check_seed_text(&dir.path().join("s/runs.csv")).len(), 4);
}

/// A job resumed by a binary built from another commit is refused (its runs would mix two
/// versions of the model); one whose build was not recorded goes on with a warning.
#[test]
fn a_resume_by_another_build_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = repo().join("scenarios/classroom.ron");
    let sweep = format!(
        "(\n    base: \"{}\",\n    days: 3,\n    replications: 2,\n    design: Factorial,\n    parameters: [\n        (path: \"policy.platform.integration\", levels: [0.2, 0.8]),\n    ],\n)\n",
        a.display()
    );
    std::fs::write(dir.path().join("s.ron"), sweep).unwrap();
    let o = towngov(dir.path(), &["sweep", "s.ron", "--out", "whole", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = json(&dir.path().join("whole/sweep.json"));
    let fp = m["fingerprint"].as_str().unwrap();
    let ours = m["provenance"]["commit"].as_str().unwrap();
    let other = "0123456789abcdef0123456789abcdef01234567";
    let part = dir.path().join("part");
    std::fs::create_dir(&part).unwrap();
    let runs = std::fs::read_to_string(dir.path().join("whole/runs.csv")).unwrap();
    let kept: Vec<&str> = runs.lines().take(3).collect();
    let journal = kept.join("\n") + "\n";
    std::fs::write(part.join(".runs.csv.partial"), &journal).unwrap();
    std::fs::write(
        part.join(".sweep.json.partial"),
        format!("{fp}\nbuild {other} clean\n"),
    )
    .unwrap();
    let o = towngov(dir.path(), &["sweep", "s.ron", "--out", "part", "-q"]);
    if ours == "unknown" {
        assert!(
            o.status.success() && stderr(&o).contains("warning"),
            "{}",
            stderr(&o)
        );
        return;
    }
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("0123456789ab")
            && e.contains(&ours[..12])
            && e.contains("mix two versions")
            && e.contains("--force"),
        "{e}"
    );
    assert_eq!(
        std::fs::read_to_string(part.join(".runs.csv.partial")).unwrap(),
        journal,
        "kept"
    );
    // A marker from before builds were recorded: resumed, with a warning.
    std::fs::write(part.join(".sweep.json.partial"), format!("{fp}\n")).unwrap();
    let o = towngov(dir.path(), &["sweep", "s.ron", "--out", "part"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: resuming"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(dir.path().join("whole/runs.csv")).unwrap(),
        std::fs::read(part.join("runs.csv")).unwrap()
    );
}
