//! Entry points for the fuzz targets under `fuzz/` (issue 16), kept in the library so that the
//! normal test suite replays the committed corpus through exactly the same code
//! (`tests/it/fuzz_corpus.rs`). Each takes arbitrary bytes and must return without panicking,
//! aborting or taking long: what a hostile user can give the command line.
//!
//! Like the command line, a run is attempted only within a memory budget (here a small one, so
//! that every execution is fast); the sweep entry reads its input as a file in a temporary
//! folder that holds the base scenario it names by path.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::experiment::budget;
use crate::experiment::spec::{Sensitivity, Sweep};
use crate::sim::{SimOptions, Simulation, state};

/// The most memory a fuzzed run may be estimated to need before it is stepped.
const RUN_BUDGET: u64 = 48 << 20;
/// Days stepped after a scenario or state is accepted.
const DAYS: u32 = 2;

/// A scenario file: parsed and validated; if accepted and small, built and stepped.
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(s) = crate::scenario::parse(text, "fuzz.ron") else {
        return;
    };
    if budget::run_bytes(&s, DAYS) <= RUN_BUDGET && s.town.n_residents() <= 5_000 {
        let mut sim = Simulation::new(&s, 1, SimOptions::default());
        for _ in 0..DAYS {
            sim.step();
        }
    }
}

/// A sweep or sensitivity file (the same text read as both), with a small base scenario
/// `base.ron` beside it. The text is parsed as it is, not written to a file first (a file
/// whose bytes are not UTF-8 is refused on reading, before any of this).
pub fn sweep(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = scratch().join("fuzz.ron");
    let _ = Sweep::parse_text(&file, text);
    let _ = Sensitivity::parse_text(&file, text);
}

/// A saved state: restored as given, and again with its checksum made to match (so that the
/// checks behind the checksum are fuzzed too); if accepted and small, stepped.
pub fn state(data: &[u8]) {
    restore(data);
    restore(&state::reseal(data));
}

fn restore(bytes: &[u8]) {
    let Ok((_, started_from)) = state::scenarios(bytes) else {
        return;
    };
    if budget::run_bytes(&started_from, started_from.days) > RUN_BUDGET {
        return;
    }
    if let Ok(mut sim) = Simulation::from_state(bytes, None, SimOptions::default()) {
        for _ in 0..DAYS {
            sim.step();
        }
    }
}

/// A folder of this process's own with the base scenario sweep files name.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("towngov-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(
            dir.join("base.ron"),
            "(days: 5, town: (residents: (native: 40, migrant_worker: 30, employee: 20, talent: 10)))",
        );
        dir
    })
}
