//! README's exit-code table, one case per code and kind of failure: 0 success; 2 bad input (a
//! missing or unreadable file, a path that is not a file or a file over its size limit, an
//! invalid scenario, bad flags, an existing output without
//! `--force`, a job over its limits or its memory budget, a damaged state); 1 anything else (an
//! output that cannot be written); 130 stopped by a signal.

use std::time::Duration;

use crate::support::{stderr, towngov};

#[test]
fn every_exit_code_of_the_readme_table() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("ok.ron"), "(days: 2)").unwrap();
    std::fs::write(d.join("bad.ron"), "(town: (communities: 0))").unwrap();
    std::fs::write(
        d.join("long.ron"),
        format!("(name: \"{}\")", "n".repeat(201)),
    )
    .unwrap();
    std::fs::write(d.join("a-file"), "x").unwrap();
    std::fs::create_dir(d.join("folder.ron")).unwrap();
    // Sparse: nothing is written to disk.
    std::fs::File::create(d.join("big.ron"))
        .unwrap()
        .set_len((256 << 20) + 1)
        .unwrap();
    std::fs::create_dir(d.join("taken")).unwrap();
    std::fs::write(d.join("taken/daily.csv"), "x").unwrap();
    std::fs::write(d.join("damaged.state"), b"towngov-state\0\0\x01garbage").unwrap();
    // Sparse, 2 MiB: larger than a 1 MiB --max-memory, refused before it is read.
    std::fs::File::create(d.join("large.state"))
        .unwrap()
        .set_len(2 << 20)
        .unwrap();
    // (what, arguments, exit code, what stderr says)
    let cases: &[(&str, &[&str], i32, &str)] = &[
        ("success", &["run", "ok.ron", "-q"], 0, ""),
        ("a missing file", &["run", "missing.ron"], 2, "missing.ron"),
        (
            "an unreadable file",
            &["check", "folder.ron"],
            2,
            "folder.ron",
        ),
        (
            "a device, not a file",
            &["run", "/dev/zero"],
            2,
            "/dev/zero: cannot read the scenario file: it is a character device, not a file",
        ),
        (
            "a file over its size limit",
            &["check", "big.ron"],
            2,
            "big.ron: cannot read the scenario file: it is larger than 256 MiB",
        ),
        ("an invalid scenario", &["run", "bad.ron"], 2, "bad.ron:1:"),
        ("bad flags", &["run", "--days", "0"], 2, "--days"),
        ("an unknown flag", &["run", "--dayz", "3"], 2, "--dayz"),
        (
            "an existing output without --force",
            &["run", "ok.ron", "--out", "taken"],
            2,
            "already exists",
        ),
        (
            "a field over its limit",
            &["check", "long.ron"],
            2,
            "at most 200 characters",
        ),
        (
            "over the memory budget",
            &["run", "ok.ron", "--max-memory", "1M"],
            2,
            "the limit is 1.0 MiB (--max-memory)",
        ),
        (
            "a saved state larger than the memory limit",
            &["run", "--from-state", "large.state", "--max-memory", "1M"],
            2,
            "large.state: the saved state is 2.0 MiB and restoring it reads it whole; the limit is 1.0 MiB (--max-memory)",
        ),
        (
            "a bad --max-memory",
            &["run", "--max-memory", "much"],
            2,
            "--max-memory",
        ),
        (
            "a damaged state",
            &["run", "--from-state", "damaged.state"],
            2,
            "damaged.state: the saved state is damaged",
        ),
        (
            "an output folder that cannot be made",
            &["run", "ok.ron", "--out", "a-file/out"],
            1,
            "a-file/out",
        ),
        (
            "a state that cannot be written",
            &["run", "ok.ron", "--save-state", "a-file/s.state"],
            1,
            "a-file/s.state",
        ),
    ];
    let mut failures = Vec::new();
    for (what, args, code, says) in cases {
        let o = towngov(d, args);
        let err = stderr(&o);
        if o.status.code() != Some(*code) || !err.contains(says) || err.contains("panicked") {
            failures.push(format!(
                "{what}: exit {:?}, wanted {code} and {says:?}:\n{err}",
                o.status.code()
            ));
        }
    }
    let o = crate::hostile::interrupted(
        d,
        &["run", "ok.ron", "--days", "36500", "-q"],
        "-INT",
        Duration::from_millis(500),
    );
    if o.status.code() != Some(130) || !stderr(&o).contains("interrupted by a signal") {
        failures.push(format!(
            "a signal: exit {:?}: {}",
            o.status.code(),
            stderr(&o)
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A reader that closes standard output early (`towngov ... | head -1` on a long output) ends
/// the command quietly with 141, not a panic (it exited 101 with "failed printing to stdout").
/// The output here (one line per checked file) is far bigger than a pipe holds, so the command
/// meets the closed pipe whatever else the test binary is spawning meanwhile.
#[test]
fn a_closed_pipe_ends_quietly_with_141() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let name = format!("{}.ron", "t".repeat(120));
    std::fs::write(
        dir.path().join(&name),
        "Scenario(name: \"t\", days: 1, town: (communities: 1, grids_per_community: 1, parks: 0, \
         residents: (native: 5, migrant_worker: 0, employee: 0, talent: 0), \
         enterprises: (leading: 0, sme: 0, startup: 0)))",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_towngov"))
        .current_dir(dir.path())
        .arg("check")
        .args(std::iter::repeat_n(&name, 1500))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("towngov runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("towngov ends");
    assert_eq!(
        out.status.code(),
        Some(141),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
