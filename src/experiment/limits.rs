//! The limits of sweep and sensitivity files, and the size of a design counted before anything
//! is built (checked arithmetic, constant time).

/// The most design points a sweep or sensitivity file may have.
pub const MAX_POINTS: u64 = 1_000_000;
/// The most runs (design points x replications) an experiment may have: the run list of a
/// shard is held in memory (8 bytes a run).
pub const MAX_RUNS: u64 = 100_000_000;
/// The most values a design may hold (points x parameters), 8 bytes each.
pub const MAX_DESIGN_VALUES: u64 = 20_000_000;
/// The most parameters a file may vary.
pub const MAX_PARAMETERS: usize = 1_000;
/// The longest name, path or figure name in a sweep or sensitivity file, in characters.
pub const MAX_TEXT_CHARS: usize = 200;
/// The longest `base` path, in characters.
pub const MAX_BASE_CHARS: usize = 4_096;

/// The size of a design, counted with checked arithmetic before anything is built: `None`
/// from an overflow is reported as too large.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DesignSize {
    pub points: u64,
    pub runs: u64,
}

impl DesignSize {
    /// `points` design points of `k` parameters, each run `replications` times; an error
    /// naming the limit when any count exceeds its limit or overflows.
    pub fn check(
        points: Option<u64>,
        k: usize,
        replications: u32,
        what: &str,
    ) -> Result<DesignSize, String> {
        let too_many =
            || format!("{what} has more than {MAX_POINTS} design points; at most {MAX_POINTS}");
        let points = points.ok_or_else(too_many)?;
        if points > MAX_POINTS {
            return Err(format!(
                "{what} has {points} design points; at most {MAX_POINTS}"
            ));
        }
        let values = points.saturating_mul(k as u64);
        if values > MAX_DESIGN_VALUES {
            return Err(format!(
                "{what} has {points} design points of {k} parameters, {values} values; at most {MAX_DESIGN_VALUES}"
            ));
        }
        let runs = points.saturating_mul(u64::from(replications));
        if runs > MAX_RUNS {
            return Err(format!(
                "{what} has {points} design points x {replications} replications = {runs} runs; at most {MAX_RUNS}"
            ));
        }
        Ok(DesignSize { points, runs })
    }
}
