//! Output files as sets (issue 14 item 8): `compare` swaps a fresh folder in whole, a resumed
//! sweep whose `daily.csv` fell behind `runs.csv` runs the missing runs again, `merge` checks
//! the shards' `daily.csv`, and a reader that closes standard output ends a command quietly.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{repo, stderr, stdout, towngov};

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn ok(o: &std::process::Output) {
    assert!(o.status.success(), "failed: {}\n{}", stderr(o), stdout(o));
}

fn scen(name: &str) -> String {
    repo().join("scenarios").join(name).display().to_string()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A sweep of the classroom town: 3 design points x 2 replications of 20 days, two daily
/// indicators (40 daily rows a run).
fn write_sweep(dir: &Path) -> String {
    let path = dir.join("s.sweep.ron");
    let text = format!(
        r#"(
    base: "{}",
    days: 20,
    seed: 5,
    replications: 2,
    design: Factorial,
    parameters: [(path: "policy.platform.integration", levels: [0.0, 0.5, 1.0])],
    daily: ["open", "trust_mean"],
)"#,
        scen("classroom.ron")
    );
    std::fs::write(&path, text).expect("write sweep");
    path.display().to_string()
}

/// `compare --force` replaces the folder's set whole and keeps the user's other files; a
/// comparison killed mid-run (SIGKILL: no clean-up at all) leaves the old set untouched, and the
/// next run discards the fresh folder it left.
#[test]
fn compare_swaps_a_fresh_folder_in_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let classroom = scen("classroom.ron");
    let cmp = |seed: &str, reps: &str, days: &str| -> Vec<String> {
        [
            "compare", &classroom, &classroom, "--reps", reps, "--days", days, "--seed", seed,
            "--out", "cmp", "--quiet", "--force",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let run = |args: Vec<String>| {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        towngov(d, &a)
    };
    ok(&run(cmp("1", "2", "10")));
    std::fs::write(d.join("cmp/notes.txt"), "mine").expect("notes");
    let old = read(&d.join("cmp/runs.csv"));
    ok(&run(cmp("2", "2", "10")));
    let new = read(&d.join("cmp/runs.csv"));
    assert_ne!(old, new, "the second comparison did not replace runs.csv");
    assert_eq!(read(&d.join("cmp/notes.txt")), b"mine");
    assert_eq!(
        names(&d.join("cmp")),
        [
            "comparison.json",
            "notes.txt",
            "options.csv",
            "report.html",
            "runs.csv"
        ]
    );
    assert_eq!(names(d), vec!["cmp"], "a hidden folder stayed beside cmp");
    // A long comparison, killed once its fresh folder exists.
    let before: Vec<Vec<u8>> = names(&d.join("cmp"))
        .iter()
        .map(|f| read(&d.join("cmp").join(f)))
        .collect();
    let args = cmp("3", "400", "1095");
    let mut child = Command::new(env!("CARGO_BIN_EXE_towngov"))
        .current_dir(d)
        .args(&args)
        .args(["--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("towngov runs");
    let fresh = d.join(".cmp.partial");
    let started = std::time::Instant::now();
    while !fresh.join(".runs.csv.partial").exists() {
        assert!(
            started.elapsed().as_secs() < 30,
            "no fresh folder after 30 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.kill().expect("kill");
    let status = child.wait().expect("wait");
    assert!(
        !status.success(),
        "the long comparison finished before the kill"
    );
    let after: Vec<Vec<u8>> = names(&d.join("cmp"))
        .iter()
        .map(|f| read(&d.join("cmp").join(f)))
        .collect();
    assert_eq!(before, after, "a killed comparison changed the folder");
    ok(&run(cmp("4", "2", "10")));
    assert_eq!(names(d), vec!["cmp"], "the stale fresh folder stayed");
    // The folder a shell stands in is written in place, not swapped away from under it.
    let mut here = cmp("5", "2", "10");
    let at = here.iter().position(|a| a == "cmp").unwrap();
    here[at] = ".".into();
    let a: Vec<&str> = here.iter().map(String::as_str).collect();
    ok(&towngov(&d.join("cmp"), &a));
    assert_ne!(
        read(&d.join("cmp/runs.csv")),
        new,
        "--out . did not write runs.csv"
    );
    assert_eq!(names(d), vec!["cmp"]);
    assert_eq!(read(&d.join("cmp/notes.txt")), b"mine");
}

/// A resumed sweep whose daily journal holds every day of fewer runs than its runs journal
/// (here: 1 of 4, and the 2nd cut in the middle) runs those runs again and says so, giving the
/// same files as an uninterrupted sweep, instead of dropping their daily rows.
#[test]
fn a_resume_with_daily_behind_runs_runs_the_missing_runs_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write_sweep(dir.path());
    ok(&towngov(dir.path(), &["sweep", &file, "--out", "whole"]));
    let whole = dir.path().join("whole");
    let part = dir.path().join("part");
    std::fs::create_dir_all(&part).expect("mkdir");
    let manifest: serde_json::Value =
        serde_json::from_slice(&read(&whole.join("sweep.json"))).expect("json");
    let fp = manifest["fingerprint"].as_str().expect("fingerprint");
    std::fs::write(part.join(".sweep.json.partial"), format!("{fp}\n")).expect("marker");
    let runs = String::from_utf8(read(&whole.join("runs.csv"))).expect("utf-8");
    let lines: Vec<&str> = runs.lines().collect();
    std::fs::write(part.join(".runs.csv.partial"), lines[..5].join("\n") + "\n").expect("runs");
    let daily = String::from_utf8(read(&whole.join("daily.csv"))).expect("utf-8");
    let dl: Vec<&str> = daily.lines().collect();
    assert_eq!(dl.len(), 1 + 6 * 40, "40 daily rows a run");
    std::fs::write(
        part.join(".daily.csv.partial"),
        dl[..1 + 40 + 17].join("\n") + "\n",
    )
    .expect("daily");
    let o = towngov(dir.path(), &["sweep", &file, "--out", "part"]);
    ok(&o);
    assert!(
        stderr(&o).contains("holds every day of only 1 of the 4 runs kept in")
            && stderr(&o).contains("runs.csv: the other 3 are run again"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("ran 5 in"), "{}", stdout(&o));
    for f in ["runs.csv", "daily.csv"] {
        assert_eq!(
            read(&whole.join(f)),
            read(&part.join(f)),
            "resumed {f} differs"
        );
    }
}

/// `merge` refuses a shard without its daily.csv, with a run's daily rows missing, or with its
/// rows out of order, naming the file; intact shards merge into the unsharded sweep's bytes.
#[test]
fn merge_checks_the_shards_daily_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let file = write_sweep(d);
    ok(&towngov(d, &["sweep", &file, "--out", "whole"]));
    for k in 0..2 {
        let (shard, out) = (format!("{k}/2"), format!("p{k}"));
        ok(&towngov(
            d,
            &["sweep", &file, "--shard", &shard, "--out", &out, "-q"],
        ));
    }
    ok(&towngov(d, &["merge", "p0", "p1", "--out", "m"]));
    assert_eq!(
        read(&d.join("whole/daily.csv")),
        read(&d.join("m/daily.csv"))
    );
    let daily = d.join("p1/daily.csv");
    let text = String::from_utf8(read(&daily)).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    let refused = |edit: &dyn Fn(), out: &str, expect: &str| {
        edit();
        let o = towngov(d, &["merge", "p0", "p1", "--out", out]);
        assert_eq!(o.status.code(), Some(2), "{expect}: {}", stderr(&o));
        assert!(stderr(&o).contains(expect), "{expect}: {}", stderr(&o));
        assert!(
            !d.join(out).join("sweep.json").exists(),
            "{out} was written"
        );
        std::fs::write(&daily, &text).expect("restore");
    };
    refused(
        &|| std::fs::remove_file(&daily).expect("rm"),
        "m1",
        "p1/daily.csv: missing, though",
    );
    // Run 3 (the second of shard 1) loses its last day's rows.
    let cut: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.starts_with("3,20,"))
        .collect();
    refused(
        &|| std::fs::write(&daily, cut.join("\n") + "\n").expect("write"),
        "m2",
        "p1/daily.csv: run 3 has 38 daily rows of 40",
    );
    let mut swapped = lines.clone();
    swapped.swap(1, 2);
    refused(
        &|| std::fs::write(&daily, swapped.join("\n") + "\n").expect("write"),
        "m3",
        "row 1 of run 1 is day 1, trust_mean; expected day 1, open",
    );
}

/// Each command whose reader has gone (a pipe closed before it prints) ends quietly with 141
/// and still leaves its whole set of files; `| head -1` ends it with 0 or 141 (0 when all it
/// prints fits in the pipe before `head` leaves), never a panic.
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let file = write_sweep(d);
    let classroom = scen("classroom.ron");
    // (arguments, files it must leave), writing into folders named after `tag`.
    let commands = |tag: &str| -> Vec<(Vec<String>, Vec<String>)> {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (r, c, s) = (format!("r{tag}"), format!("c{tag}"), format!("s{tag}"));
        let within = |dir: &str, fs: &[&str]| fs.iter().map(|f| format!("{dir}/{f}")).collect();
        vec![
            (v(&["params"]), vec![]),
            (v(&["figures"]), vec![]),
            (v(&["check", &classroom]), vec![]),
            (
                v(&["run", &classroom, "--days", "5", "--out", &r]),
                within(&r, &["daily.csv", "summary.json"]),
            ),
            (
                v(&[
                    "compare", &classroom, &classroom, "--reps", "2", "--days", "5", "--out", &c,
                ]),
                within(
                    &c,
                    &["runs.csv", "options.csv", "comparison.json", "report.html"],
                ),
            ),
            (
                v(&["sweep", &file, "--out", &s]),
                within(&s, &["runs.csv", "daily.csv", "sweep.json"]),
            ),
        ]
    };
    for (args, files) in commands("1") {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let o = Command::new(env!("CARGO_BIN_EXE_towngov"))
            .current_dir(d)
            .args(&args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("towngov runs");
        assert_eq!(o.status.code(), Some(141), "{args:?}: {}", stderr(&o));
        assert!(o.stderr.is_empty(), "{args:?}: {}", stderr(&o));
        for f in &files {
            assert!(d.join(f).is_file(), "{args:?} did not write {f}");
        }
    }
    for (args, files) in commands("2") {
        let line: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        let script = format!(
            "'{}' {} 2>err.txt | head -1 >/dev/null; echo ${{PIPESTATUS[0]}}",
            env!("CARGO_BIN_EXE_towngov"),
            line.join(" ")
        );
        let o = Command::new("bash")
            .current_dir(d)
            .args(["-c", &script])
            .output()
            .expect("bash runs");
        let code = stdout(&o);
        let err = std::fs::read_to_string(d.join("err.txt")).unwrap_or_default();
        assert!(
            code.trim() == "0" || code.trim() == "141",
            "{args:?} | head -1: exit {code}: {err}"
        );
        assert!(err.is_empty(), "{args:?} | head -1: {err}");
        for f in &files {
            assert!(d.join(f).is_file(), "{args:?} | head -1 did not write {f}");
        }
    }
}
