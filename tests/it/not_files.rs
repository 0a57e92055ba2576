//! Hostile input (issue 16), continued from `hostile.rs`: a path that names something other
//! than a regular file (a character device such as `/dev/zero`, a named pipe with no writer, a
//! folder, a socket) or a file over its kind's size limit, wherever towngov reads a file the user
//! names. Before `towngov::input`, `/dev/zero` was read until memory ran out and a FIFO blocked
//! forever. Each command runs under a 20 s timeout, killed and failed if it has not ended, so a
//! hang fails the test instead of blocking the suite.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(20);

/// Runs towngov in `dir`; (exit code, stderr). Fails if it runs past [`TIMEOUT`].
fn bounded(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_towngov"))
        .current_dir(dir)
        .args(args)
        .env_remove("RAYON_NUM_THREADS")
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("towngov starts");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("towngov can be waited for") {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            return (status.code(), err);
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("towngov {args:?} still ran after {TIMEOUT:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

const BASE: &str = "(name: \"base\", days: 2)";
const PARAM: &str = "(path: \"policy.platform.integration\", range: (0.0, 1.0))";

/// Every entry point that reads a user-named file, with the target path `t` put where the file
/// goes: (what, files to write first, arguments).
fn entry_points(t: &str) -> Vec<(&'static str, Vec<(&'static str, String)>, Vec<String>)> {
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let explore = |options: &str, futures: &str| {
        format!(
            "Explore(options: [{options}], days: 2, futures: {futures}, parameters: [(path: \"behaviour.tie_influence\")], objective: (indicator: \"total.on_time_share\", better: Higher))"
        )
    };
    vec![
        ("check", vec![], args(&["check", t])),
        ("run", vec![], args(&["run", t])),
        (
            "run --from-state",
            vec![],
            args(&["run", "--from-state", t]),
        ),
        ("serve", vec![], args(&["serve", t, "--port", "0"])),
        (
            "audit",
            vec![],
            args(&["audit", t, "--quick", "--out", "o"]),
        ),
        (
            "compare",
            vec![],
            args(&["compare", "base.ron", t, "--out", "o"]),
        ),
        ("a sweep file", vec![], args(&["sweep", t, "--out", "o"])),
        (
            "a sweep's base",
            vec![(
                "s.sweep.ron",
                format!(
                    "(base: \"{t}\", design: Factorial, parameters: [(path: \"policy.platform.integration\", levels: [0.5])])"
                ),
            )],
            args(&["sweep", "s.sweep.ron", "--out", "o"]),
        ),
        ("slurm", vec![], args(&["slurm", t])),
        (
            "a sensitivity file",
            vec![],
            args(&["sensitivity", t, "--out", "o"]),
        ),
        (
            "a sensitivity analysis's base",
            vec![(
                "b.sensitivity.ron",
                format!(
                    "(base: \"{t}\", method: Morris(trajectories: 2), parameters: [{PARAM}], outputs: [\"final.open\"])"
                ),
            )],
            args(&["sensitivity", "b.sensitivity.ron", "--out", "o"]),
        ),
        (
            "a sensitivity analysis's design",
            vec![(
                "d.sensitivity.ron",
                format!(
                    "(base: \"base.ron\", method: Sobol(bootstrap: 50), parameters: [{PARAM}, (path: \"policy.committee.bounce_prob\", range: (0.05, 0.3))], outputs: [\"final.open\"], design: \"{t}\")"
                ),
            )],
            args(&["sensitivity", "d.sensitivity.ron", "--out", "o"]),
        ),
        (
            "an explore file",
            vec![],
            args(&["explore", t, "--out", "o"]),
        ),
        (
            "an explore option",
            vec![(
                "o.explore.ron",
                explore(
                    &format!("\"base.ron\", \"{t}\""),
                    "LatinHypercube(samples: 2)",
                ),
            )],
            args(&["explore", "o.explore.ron", "--out", "o"]),
        ),
        (
            "an explore's draws",
            vec![(
                "d.explore.ron",
                explore(
                    "\"base.ron\", \"base.ron\"",
                    &format!("Draws(file: \"{t}\", samples: 2)"),
                ),
            )],
            args(&["explore", "d.explore.ron", "--out", "o"]),
        ),
    ]
}

/// Puts a link to `target` at `dir/name`, for the files towngov finds by a fixed name.
fn link(dir: &Path, name: &str, target: &Path) {
    std::os::unix::fs::symlink(target, dir.join(name)).unwrap();
}

#[test]
fn devices_pipes_and_folders_are_refused_at_once_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "base.ron", BASE);
    std::fs::create_dir(d.join("folder")).unwrap();
    let mut targets = vec![
        (
            "/dev/zero".to_string(),
            "it is a character device, not a file",
        ),
        ("folder".to_string(), "it is a folder, not a file"),
    ];
    match Command::new("mkfifo").arg(d.join("fifo")).status() {
        Ok(s) if s.success() => {
            targets.push(("fifo".to_string(), "it is a named pipe (FIFO), not a file"))
        }
        _ => eprintln!("note: mkfifo is missing or failed: the named-pipe cases are skipped"),
    }
    let start = Instant::now();
    let mut failures = Vec::new();
    let mut n = 0;
    for (t, says) in &targets {
        for (what, files, args) in entry_points(t) {
            for (name, text) in &files {
                write(d, name, text);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let (code, err) = bounded(d, &args);
            n += 1;
            if code != Some(2) || !err.contains(&format!("{t}: ")) || !err.contains(says) {
                failures.push(format!("{what} with {t}: exit {code:?}, stderr:\n{err}"));
            }
            assert!(!d.join("o").exists(), "{what} with {t}: wrote outputs");
        }
    }
    // Files towngov finds by a fixed name inside a folder the user names: a shard's manifest
    // for `merge`, an output folder's manifest when a sensitivity analysis resumes.
    for (t, says) in &targets {
        let target = if t.starts_with('/') {
            Path::new(t).to_path_buf()
        } else {
            d.join(t)
        };
        let shard = d.join("shard");
        std::fs::create_dir(&shard).unwrap();
        link(&shard, "sweep.json", &target);
        write(
            d,
            "ok.sensitivity.ron",
            &format!(
                "(base: \"base.ron\", method: Morris(trajectories: 2), parameters: [{PARAM}], outputs: [\"final.open\"])"
            ),
        );
        for args in [
            vec!["merge", "shard", "--out", "all"],
            vec!["sensitivity", "ok.sensitivity.ron", "--out", "shard"],
        ] {
            let (code, err) = bounded(d, &args);
            n += 1;
            if code != Some(2) || !err.contains("sweep.json") || !err.contains(says) {
                failures.push(format!("{args:?} with {t}: exit {code:?}, stderr:\n{err}"));
            }
        }
        std::fs::remove_dir_all(&shard).unwrap();
        assert!(!d.join("all").exists(), "merge with {t}: wrote outputs");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    eprintln!("{n} refusals in {:?}", start.elapsed());
    assert!(n >= 40, "only {n} cases ran");
}

#[test]
fn random_devices_and_sockets_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, err) = bounded(d, &["run", "/dev/urandom"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(
            "/dev/urandom: cannot read the scenario file: it is a character device, not a file"
        ),
        "{err}"
    );
    let _socket = std::os::unix::net::UnixListener::bind(d.join("sock")).unwrap();
    let (code, err) = bounded(d, &["check", "sock"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("sock: cannot read the scenario file: it is a socket, not a file"),
        "{err}"
    );
}

/// Files over their kind's limit are refused by their size before anything is read: sparse
/// files, so the test writes nothing to disk.
#[test]
fn files_over_their_size_limit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "base.ron", BASE);
    let sparse = |name: &str, bytes: u64| {
        std::fs::File::create(d.join(name))
            .unwrap()
            .set_len(bytes)
            .unwrap();
    };
    sparse("big.ron", (256 << 20) + 1);
    sparse("big.state", (16 << 30) + 1);
    sparse("big.txt", (1 << 30) + 1);
    write(
        d,
        "d.sensitivity.ron",
        &format!(
            "(base: \"base.ron\", method: Sobol(bootstrap: 50), parameters: [{PARAM}, (path: \"policy.committee.bounce_prob\", range: (0.05, 0.3))], outputs: [\"final.open\"], design: \"big.txt\")"
        ),
    );
    let cases: [(&[&str], &str); 3] = [
        (
            &["check", "big.ron"],
            "big.ron: cannot read the scenario file: it is larger than 256 MiB (268435456 bytes), the most a RON or JSON input file may hold",
        ),
        (
            // A memory limit above the state's size, so that the state's own size limit is what
            // refuses it whatever the machine's memory (below it, the memory check refuses first).
            &["run", "--from-state", "big.state", "--max-memory", "1T"],
            "big.state: cannot read the saved state: it is larger than 16 GiB (17179869184 bytes), the most a saved state may hold",
        ),
        (
            &["sensitivity", "d.sensitivity.ron", "--out", "o"],
            "big.txt: cannot read the file: it is larger than 1 GiB (1073741824 bytes), the most a design file may hold",
        ),
    ];
    for (args, expected) in cases {
        let start = Instant::now();
        let (code, err) = bounded(d, args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{args:?}: {:?}",
            start.elapsed()
        );
    }
}

/// `merge` streams each shard's runs.csv (no size limit): one that is a device or a folder is
/// refused at once, naming it.
#[test]
fn merge_refuses_shard_tables_that_are_not_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "base.ron", BASE);
    write(
        d,
        "s.sweep.ron",
        "(base: \"base.ron\", design: Factorial, parameters: [(path: \"policy.platform.integration\", levels: [0.2, 0.8])])",
    );
    for k in 0..2 {
        let (code, err) = bounded(
            d,
            &[
                "sweep",
                "s.sweep.ron",
                "--shard",
                &format!("{k}/2"),
                "--out",
                &format!("s{k}"),
                "-q",
            ],
        );
        assert_eq!(code, Some(0), "{err}");
    }
    let runs = d.join("s1/runs.csv");
    for (target, says) in [
        (
            "/dev/zero",
            "s1/runs.csv: cannot read: it is a character device, not a file",
        ),
        (
            "folder",
            "s1/runs.csv: cannot read: it is a folder, not a file",
        ),
    ] {
        std::fs::remove_file(&runs)
            .or_else(|_| std::fs::remove_dir(&runs))
            .unwrap();
        if target == "folder" {
            std::fs::create_dir(&runs).unwrap();
        } else {
            link(&d.join("s1"), "runs.csv", Path::new(target));
        }
        let (code, err) = bounded(d, &["merge", "s0", "s1", "--out", "all"]);
        assert_eq!(code, Some(2), "{target}: {err}");
        assert!(err.contains(says), "{target}: {err}");
        assert!(!d.join("all/runs.csv").exists(), "{target}: wrote runs.csv");
    }
}
