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
