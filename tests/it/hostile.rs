//! Hostile input (issue 16): absurd sizes, deep nesting and huge strings are refused with exit 2
//! and a message naming the field and the limit, quickly and in bounded memory. Each case runs
//! the binary under a 2 GiB address-space limit (`ulimit -v`), so a case that allocated what
//! its numbers ask for would abort instead of exiting 2.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::support::stderr;

const LIMIT_KIB: u64 = 2 * 1024 * 1024;

fn limited(dir: &Path, args: &[&str]) -> (Output, Duration) {
    let start = Instant::now();
    let out = Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg(format!("ulimit -v {LIMIT_KIB}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_towngov"))
        .args(args)
        .env_remove("RAYON_NUM_THREADS")
        .output()
        .expect("sh runs");
    (out, start.elapsed())
}

const BASE: &str = "(name: \"base\", days: 10)";
const HUGE: &str = "(town: (residents: (native: 5000000, migrant_worker: 5000000, employee: 5000000, talent: 5000000)))";

fn param(path: &str, steps: u64) -> String {
    format!("(path: \"{path}\", range: (0.0, 1.0), steps: {steps})")
}

/// (what, file name, file text, command, what stderr must contain)
fn cases() -> Vec<(
    &'static str,
    &'static str,
    String,
    Vec<&'static str>,
    &'static str,
)> {
    let p = |s| param(s, 65_536);
    vec![
        (
            "a scenario name of 50 MB",
            "name.ron",
            format!("(name: \"{}\")", "x".repeat(50_000_000)),
            vec!["check", "name.ron"],
            "name.ron:1:2: name: must be at most 200 characters long, got 50000000",
        ),
        (
            "a description of 20,000 characters",
            "desc.ron",
            format!("(description: \"{}\")", "é".repeat(20_000)),
            vec!["run", "desc.ron", "--days", "1"],
            "description: must be at most 10000 characters long, got 20000",
        ),
        (
            "a timeline of 40,000 entries",
            "timeline.ron",
            format!("(timeline: [{}])", "(day: 2, policy: ()),".repeat(40_000)),
            vec!["check", "timeline.ron"],
            "timeline: must have at most 36500 entries, got 40000",
        ),
        (
            "1 MB of `[` in a field (the locator was quadratic)",
            "brackets.ron",
            format!("(name: {})", "[".repeat(1_000_000)),
            vec!["check", "brackets.ron"],
            "brackets.ron:1:7: name: expected string",
        ),
        (
            "1 MB of nested groups in a field",
            "groups.ron",
            format!("(policy: (committee: {}))", "(a: ".repeat(250_000)),
            vec!["run", "groups.ron"],
            "groups.ron:1:",
        ),
        (
            "an unknown field whose name is 10 MB",
            "field.ron",
            format!("({}: 1)", "f".repeat(10_000_000)),
            vec!["check", "field.ron"],
            "unknown field `ffffffffff",
        ),
        (
            "the largest valid town (20 M residents) under a 2 GiB limit: check",
            "huge.ron",
            HUGE.into(),
            vec!["check", "huge.ron"],
            "huge.ron: a run of 1095 days needs about 14.1 GiB of memory at its peak (1 run, 21900000000 resident-days); the limit is 2.0 GiB (the address-space limit (ulimit -v))",
        ),
        (
            "the largest valid town: run",
            "huge.ron",
            HUGE.into(),
            vec!["run", "huge.ron"],
            "error: a run of 1095 days needs about 14.1 GiB",
        ),
        (
            "the largest valid town: --max-memory is the limit when given",
            "huge.ron",
            HUGE.into(),
            vec!["run", "huge.ron", "--max-memory", "1.5G"],
            "the limit is 1.5 GiB (--max-memory)",
        ),
        (
            "needs at their highest rate, never resolved, over 100 years",
            "needs.ron",
            "(days: 36500, needs: (patience_days: 0, need_rate_per_year: (native: 2000, migrant_worker: 2000, employee: 2000, talent: 2000)))".into(),
            vec!["run", "needs.ron"],
            "error: a run of 36500 days needs about 350.3 GiB",
        ),
        (
            "300 options x 36,500 days",
            "base.ron",
            BASE.into(),
            [vec!["compare"], vec!["base.ron"; 300], vec!["--days", "36500", "--reps", "2", "--out", "o"]].concat(),
            "error: the comparison needs about 23.5 GiB of memory at its peak (600 runs, ",
        ),
        (
            "a sweep of the largest town on every thread",
            "big.sweep.ron",
            "(base: \"huge.ron\", design: Factorial, parameters: [(path: \"policy.platform.integration\", levels: [0.5])])".into(),
            vec!["sweep", "big.sweep.ron", "--out", "o"],
            "error: the sweep needs about ",
        ),
        (
            "a factorial design whose point count wraps a 64-bit product",
            "wrap.sweep.ron",
            format!(
                "(base: \"base.ron\", design: Factorial, parameters: [{}, {}, {}, {}, {}])",
                p("policy.platform.integration"),
                p("policy.portal.coverage"),
                p("policy.grid.on_the_spot_share"),
                p("policy.platform.misroute_prob"),
                p("policy.committee.bounce_prob"),
            ),
            vec!["sweep", "wrap.sweep.ron", "--out", "o"],
            "design: the factorial design has more than 1000000 design points; at most 1000000",
        ),
        (
            "4 billion steps",
            "steps.sweep.ron",
            format!(
                "(base: \"base.ron\", design: Factorial, parameters: [{}])",
                param("policy.platform.integration", 4_000_000_000)
            ),
            vec!["sweep", "steps.sweep.ron", "--out", "o"],
            "design: the factorial design has 4000000000 design points; at most 1000000",
        ),
        (
            "a Latin hypercube of 1e10 samples",
            "lhs.sweep.ron",
            "(base: \"base.ron\", design: LatinHypercube(samples: 10000000000), parameters: [(path: \"policy.platform.integration\", range: (0.0, 1.0))])".into(),
            vec!["sweep", "lhs.sweep.ron", "--out", "o"],
            "the Latin hypercube has 10000000000 design points; at most 1000000",
        ),
        (
            "a Latin hypercube at its limits: 1e6 samples x 1e5 replications",
            "reps.sweep.ron",
            "(base: \"base.ron\", replications: 100000, design: LatinHypercube(samples: 1000000), parameters: [(path: \"policy.platform.integration\", range: (0.0, 1.0))])".into(),
            vec!["sweep", "reps.sweep.ron", "--out", "o"],
            "= 100000000000 runs; at most 100000000",
        ),
        (
            "Morris at its limits",
            "m.sensitivity.ron",
            "(base: \"base.ron\", replications: 100000, method: Morris(trajectories: 100000), parameters: [(path: \"policy.platform.integration\", range: (0.0, 1.0))], outputs: [\"total.on_time_rate\"])".into(),
            vec!["sensitivity", "m.sensitivity.ron", "--out", "o"],
            "method: the Morris design has 200000 design points x 100000 replications = 20000000000 runs; at most 100000000",
        ),
        (
            "a parameter path of 1 MB",
            "path.sweep.ron",
            format!(
                "(base: \"base.ron\", design: Factorial, parameters: [(path: \"{}\", levels: [1])])",
                "policy.".repeat(150_000)
            ),
            vec!["sweep", "path.sweep.ron", "--out", "o"],
            "parameters[0].path: must be at most 200 characters long, got 1050000",
        ),
    ]
}

#[test]
fn hostile_inputs_are_refused_quickly_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.ron"), BASE).unwrap();
    std::fs::write(dir.path().join("huge.ron"), HUGE).unwrap();
    let mut failures = Vec::new();
    for (what, file, text, args, expected) in cases() {
        std::fs::write(dir.path().join(file), &text).unwrap();
        let (out, took) = limited(dir.path(), &args);
        let err = stderr(&out);
        let shown: String = err.chars().take(600).collect();
        if out.status.code() != Some(2) || !err.contains(expected) {
            failures.push(format!(
                "{what}: exit {:?}, stderr should contain {expected:?}:\n{shown}",
                out.status.code()
            ));
        }
        if err.len() > 5_000 {
            failures.push(format!("{what}: {} bytes of error", err.len()));
        }
        if took > Duration::from_secs(10) {
            failures.push(format!("{what}: took {took:?}"));
        }
        assert!(!dir.path().join("o").exists(), "{what}: wrote outputs");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Issue 16: `merge` panicked (exit 101) on hand-edited shard manifests. Each edit is refused
/// with exit 2, naming the manifest, and writes nothing.
#[test]
fn merge_refuses_edited_manifests() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("base.ron"), BASE).unwrap();
    std::fs::write(
        d.join("s.sweep.ron"),
        "(base: \"base.ron\", days: 2, design: Factorial, parameters: [(path: \"policy.platform.integration\", levels: [0.2, 0.8])])",
    )
    .unwrap();
    for k in 0..2 {
        let shard = format!("{k}/2");
        let out = format!("s{k}");
        let (o, _) = limited(
            d,
            &[
                "sweep",
                "s.sweep.ron",
                "--shard",
                &shard,
                "--out",
                &out,
                "-q",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let manifest = std::fs::read_to_string(d.join("s1/sweep.json")).unwrap();
    let edits = [
        (
            "\"k\": 1",
            "\"k\": 5",
            "shard 5/2 in sweep.json is not a shard",
        ),
        (
            "\"n\": 2",
            "\"n\": 0",
            "shard 1/0 in sweep.json is not a shard",
        ),
        (
            "\"n\": 2",
            "\"n\": 1152921504606846976",
            "s1 was split into 1152921504606846976 shards, s0 into 2",
        ),
        (
            "\"n_runs\": 2",
            "\"n_runs\": 18446744073709551615",
            "not a sweep towngov writes",
        ),
        (
            "\"fingerprint\"",
            "\"fingerprint_\"",
            "not a sweep manifest",
        ),
    ];
    for (from, to, expected) in edits {
        assert!(manifest.contains(from), "{from} in {manifest}");
        std::fs::write(d.join("s1/sweep.json"), manifest.replacen(from, to, 1)).unwrap();
        let (o, _) = limited(d, &["merge", "s0", "s1", "--out", "all"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{to}: {err}");
        assert!(err.contains(expected), "{to}: {err}");
        assert!(!d.join("all/runs.csv").exists(), "{to}: wrote runs.csv");
    }
    // With n edited in both manifests, the folders given are too few.
    let first = std::fs::read_to_string(d.join("s0/sweep.json")).unwrap();
    std::fs::write(
        d.join("s0/sweep.json"),
        first.replacen("\"n\": 2", "\"n\": 1152921504606846976", 1),
    )
    .unwrap();
    std::fs::write(
        d.join("s1/sweep.json"),
        manifest.replacen("\"n\": 2", "\"n\": 1152921504606846976", 1),
    )
    .unwrap();
    let (o, _) = limited(d, &["merge", "s0", "s1", "--out", "all"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("shard 2/1152921504606846976, 3/1152921504606846976, 4/1152921504606846976, 5/1152921504606846976, 6/1152921504606846976 and 1152921504606846969 more missing"), "{}", stderr(&o));
    // The genuine manifests merge.
    std::fs::write(d.join("s0/sweep.json"), first).unwrap();
    std::fs::write(d.join("s1/sweep.json"), manifest).unwrap();
    let (o, _) = limited(d, &["merge", "s0", "s1", "--out", "all"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Sends SIGTERM or SIGINT to the command once it has run for `after`.
pub fn interrupted(dir: &Path, args: &[&str], signal: &str, after: Duration) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_towngov"))
        .current_dir(dir)
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("towngov starts");
    std::thread::sleep(after);
    // Sent with the kill system call, not the `kill` program: a minimal Debian (debootstrap
    // --variant=minbase, scripts/fresh-machine-test.sh) has no procps, hence no `kill`.
    let sig = match signal {
        "-INT" => rustix::process::Signal::INT,
        "-TERM" => rustix::process::Signal::TERM,
        other => panic!("no such signal in these tests: {other}"),
    };
    rustix::process::kill_process(rustix::process::Pid::from_child(&child), sig)
        .expect("the signal is sent");
    child.wait_with_output().expect("towngov ends")
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Issue 16 item 7: SIGTERM during a run stops it between days with exit 130, leaves no
/// partial file and says what to do; SIGINT during a sweep keeps the finished runs and the
/// same command resumes it.
#[test]
fn signals_stop_cleanly_keeping_finished_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let real = crate::support::repo().join("scenarios/real_town.ron");
    std::fs::copy(&real, d.join("real.ron")).unwrap();
    let o = interrupted(
        d,
        &[
            "run",
            "real.ron",
            "--days",
            "36500",
            "--out",
            "o",
            "--save-state",
            "s.state",
        ],
        "-TERM",
        Duration::from_millis(800),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(
        err.contains("interrupted by a signal: stopped after"),
        "{err}"
    );
    assert!(err.contains("run the command again"), "{err}");
    assert!(
        files_in(&d.join("o")).is_empty(),
        "{:?}",
        files_in(&d.join("o"))
    );
    assert!(!d.join("s.state").exists() && !d.join(".s.state.partial").exists());

    std::fs::write(
        d.join("s.sweep.ron"),
        "(base: \"real.ron\", days: 1500, replications: 4, design: Factorial, parameters: [(path: \"policy.platform.integration\", levels: [0.2, 0.8])])",
    )
    .unwrap();
    let args = [
        "sweep",
        "s.sweep.ron",
        "--out",
        "sw",
        "--threads",
        "1",
        "-q",
    ];
    let o = interrupted(d, &args, "-INT", Duration::from_millis(700));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(
        err.contains("run the same command again to resume"),
        "{err}"
    );
    let kept = std::fs::read_to_string(d.join("sw/.runs.csv.partial")).expect("journal kept");
    let n_kept = kept.lines().count() - 1;
    assert!((1..8).contains(&n_kept), "{n_kept} runs kept");
    assert!(!d.join("sw/runs.csv").exists());
    let o = crate::support::towngov(d, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let runs = std::fs::read_to_string(d.join("sw/runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 8);
}
