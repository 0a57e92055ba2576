//! The fuzz targets' committed corpus and crash reproducers (`fuzz/corpus/<target>/`,
//! `fuzz/artifacts/<target>/`) replayed through the same entry points the targets call
//! (`towngov::fuzzing`): none may panic or take long. Found crashes stay here as regression
//! tests once fixed.

use std::path::Path;
use std::time::{Duration, Instant};

fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.map(|e| e.unwrap().path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// A fuzz target's entry point.
type Entry = fn(&[u8]);

#[test]
fn fuzz_corpus_and_reproducers_replay_without_panicking() {
    let fuzz = crate::support::repo().join("fuzz");
    let targets: [(&str, Entry); 3] = [
        ("scenario", towngov::fuzzing::scenario),
        ("sweep", towngov::fuzzing::sweep),
        ("state", towngov::fuzzing::state),
    ];
    let mut failures = Vec::new();
    for (name, entry) in targets {
        let mut inputs = files(&fuzz.join("corpus").join(name));
        assert!(!inputs.is_empty(), "fuzz/corpus/{name} is empty");
        inputs.extend(files(&fuzz.join("artifacts").join(name)));
        for input in inputs {
            let bytes = std::fs::read(&input).unwrap();
            let started = Instant::now();
            if std::panic::catch_unwind(|| entry(&bytes)).is_err() {
                failures.push(format!("{}: panicked", input.display()));
            }
            if started.elapsed() > Duration::from_secs(5) {
                failures.push(format!("{}: took {:?}", input.display(), started.elapsed()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
