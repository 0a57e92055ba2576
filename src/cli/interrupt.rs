//! SIGINT and SIGTERM: a long command stops at its next safe point (between days of a run,
//! after the runs in flight of an experiment) instead of dying mid-write, keeps what is
//! finished (a sweep's journals, to resume), removes its partial files (every unfinished
//! `AtomicFile` is dropped) and exits with [`EXIT_INTERRUPTED`], saying how to resume.

use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::anyhow;

use super::Failure;

/// Exit code of a command stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

static STOP: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// From now on SIGINT and SIGTERM only ask the command to stop.
pub fn install() {
    let flag = STOP.get_or_init(|| Arc::new(AtomicBool::new(false)));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // If the handler cannot be registered the signal keeps its default (ending the
        // process), which loses nothing finished either.
        let _ = signal_hook::flag::register(signal, Arc::clone(flag));
    }
}

/// True once a stop was asked for.
pub fn requested() -> bool {
    STOP.get().is_some_and(|f| f.load(Ordering::Relaxed))
}

/// The failure of a stopped command: what was kept and how to go on.
pub fn stopped(what: &str) -> Failure {
    Failure {
        code: EXIT_INTERRUPTED,
        error: anyhow!("interrupted by a signal: {what}"),
    }
}

/// `Err(stopped(what))` when a stop was asked for.
pub fn check(what: impl FnOnce() -> String) -> Result<(), Failure> {
    if requested() {
        Err(stopped(&what()))
    } else {
        Ok(())
    }
}
