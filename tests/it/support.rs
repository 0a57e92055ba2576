//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use towngov::scenario::{self, Scenario};
use towngov::sim::{DailyIndicators, SimOptions, Simulation};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn scenario_file(rel: &str) -> Scenario {
    scenario::load(&repo().join(rel)).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `days` days and returns every row.
pub fn run_days(s: &Scenario, seed: u64, days: u32) -> (Simulation, Vec<DailyIndicators>) {
    let mut sim = Simulation::new(s, seed, SimOptions::default());
    let rows = (0..days).map(|_| sim.step().clone()).collect();
    (sim, rows)
}

/// The towngov binary with arguments, in `dir`.
pub fn towngov(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_towngov"))
        .current_dir(dir)
        .args(args)
        .env_remove("RAYON_NUM_THREADS")
        // The reports follow the locale: the tests read English unless they pass --lang.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .output()
        .expect("towngov runs")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every `.ron` file under `scenarios/`, sorted.
pub fn shipped_scenarios() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("scenarios/ exists") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                // Sweep and sensitivity files live under scenarios/experiments/.
                if path.file_name().is_some_and(|n| n != "experiments") {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "ron") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo().join("scenarios"), &mut out);
    out.sort();
    out
}

/// A JSON output's bytes before its `invocation` block (the command line and thread count,
/// the last entry of every JSON file towngov writes): what must be byte-identical between runs
/// on different thread counts, and between merged shards and one machine. Checks that the
/// block is there and is the end of the file.
pub fn before_invocation(bytes: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(bytes).expect("utf-8 JSON");
    let at = text
        .rfind("\"invocation\": {")
        .unwrap_or_else(|| panic!("no invocation block in {text}"));
    let block = &text[at..];
    assert!(
        block.contains("\"command_line\"") && block.trim_end().ends_with('}'),
        "the invocation block is not the last entry: {block}"
    );
    text[..at].as_bytes().to_vec()
}

/// Paired difference option - reference of one figure of a test's own figures type:
/// (mean, low, high) of the 95% interval, printed so a failing chain test shows its figures.
pub fn printed_diff<T>(
    what: &str,
    reference: &[T],
    option: &[T],
    f: fn(&T) -> f64,
) -> (f64, f64, f64) {
    let a: Vec<f64> = reference.iter().map(f).collect();
    let b: Vec<f64> = option.iter().map(f).collect();
    let d = towngov::experiment::stats::paired_diff(&a, &b, 0.95);
    let ci = d.ci.expect("enough pairs for an interval");
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    println!(
        "{what}: {:.4} -> {:.4}, diff {:+.4} [{:+.4}, {:+.4}]",
        mean(&a),
        mean(&b),
        d.mean,
        ci.low,
        ci.high
    );
    (d.mean, ci.low, ci.high)
}
