//! The memory limit a job is checked against before it allocates: `--max-memory`, or what the
//! machine has (its memory, lowered by a cgroup's `memory.max` or an address-space limit such
//! as `ulimit -v`, whichever is least).

use std::sync::OnceLock;

use anyhow::anyhow;
use towngov::experiment::budget::{Estimate, human_bytes};

use super::Failure;

static MAX_MEMORY: OnceLock<Option<u64>> = OnceLock::new();

/// Records `--max-memory` (once, before any command runs).
pub fn set(max: Option<u64>) {
    let _ = MAX_MEMORY.set(max);
}

/// The limit in bytes and where it comes from.
pub fn limit() -> (u64, String) {
    match MAX_MEMORY.get().copied().flatten() {
        Some(m) => (m, "--max-memory".to_string()),
        None => machine_memory(),
    }
}

/// Refuses (exit 2) a job whose estimate does not fit the limit.
pub fn check(e: &Estimate, what: &str) -> Result<(), Failure> {
    let (limit, source) = limit();
    if e.fits(limit) {
        return Ok(());
    }
    let runs = if e.runs == 1 {
        "1 run".to_string()
    } else {
        format!("{} runs", e.runs)
    };
    Err(Failure::bad_input(anyhow!(
        "{what} needs about {} of memory at its peak ({runs}, {} resident-days); the limit is {} ({source}): make the town or the design smaller, or raise --max-memory",
        human_bytes(e.bytes),
        e.resident_days,
        human_bytes(limit)
    )))
}

/// Refuses (exit 2), before reading it, a saved state whose file alone is larger than the memory
/// limit: restoring reads it whole, and the town it holds is larger still. (A state that fits is
/// read, and its run then checked with [`check`] like any other.)
pub fn check_state_file(path: &std::path::Path) -> Result<(), Failure> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(()); // the read names what is wrong with the path
    };
    let (limit, source) = limit();
    if meta.is_file() && meta.len() > limit {
        return Err(Failure::bad_input(anyhow!(
            "{}: the saved state is {} and restoring it reads it whole; the limit is {} ({source}): raise --max-memory or restore it on a larger machine",
            path.display(),
            human_bytes(meta.len()),
            human_bytes(limit)
        )));
    }
    Ok(())
}

/// The least of the machine's memory, the cgroup's limit and the address-space limit.
fn machine_memory() -> (u64, String) {
    let mut best = (u64::MAX, "no limit found".to_string());
    let mut consider = |bytes: Option<u64>, what: &str| {
        if let Some(b) = bytes
            && b < best.0
        {
            best = (b, what.to_string());
        }
    };
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok();
    consider(
        meminfo.as_deref().and_then(|t| field_kib(t, "MemTotal:")),
        "the machine's memory",
    );
    let cgroup = std::fs::read_to_string("/sys/fs/cgroup/memory.max").ok();
    consider(
        cgroup.and_then(|t| t.trim().parse().ok()),
        "the cgroup's memory.max",
    );
    let limits = std::fs::read_to_string("/proc/self/limits").ok();
    consider(
        limits.as_deref().and_then(address_space_limit),
        "the address-space limit (ulimit -v)",
    );
    best
}

/// `MemTotal:       24684092 kB` in bytes.
fn field_kib(text: &str, name: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    let kib: u64 = line[name.len()..].split_whitespace().next()?.parse().ok()?;
    kib.checked_mul(1024)
}

/// The soft limit of `Max address space` in /proc/self/limits, in bytes.
fn address_space_limit(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("Max address space"))?;
    line["Max address space".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_kernel_figures() {
        assert_eq!(
            field_kib("MemTotal:       24684092 kB\nMemFree: 1 kB", "MemTotal:"),
            Some(24684092 * 1024)
        );
        let limits = "Limit                     Soft Limit           Hard Limit           Units\nMax address space         2147483648           unlimited            bytes\n";
        assert_eq!(address_space_limit(limits), Some(2147483648));
        let unlimited =
            "Max address space         unlimited            unlimited            bytes\n";
        assert_eq!(address_space_limit(unlimited), None);
        assert!(machine_memory().0 > 1 << 20);
    }
}
