//! Running a sweep: its ordered run list, split into disjoint shards (`i % n == k`), each run
//! a pure function of its design point and replicate seed, results handed on in run order.

use super::params::ParamError;
use super::runner::{self, Progress, RunOutput, RunSpec};
use super::spec::{Common, Sweep};
use crate::sim::rng::name_hash;
use crate::sim::state::StateError;

/// The k-th of n disjoint parts of a run list (0-based k).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl Shard {
    pub const ALL: Shard = Shard { k: 0, n: 1 };

    /// Parses `K/N` with 0 <= K < N.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}`: write the shard as K/N, e.g. 0/4"))?;
        let k: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: K must be a whole number"))?;
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("`{s}`: N must be a whole number"))?;
        if n == 0 || k >= n {
            return Err(format!("`{s}`: need 0 <= K < N"));
        }
        Ok(Shard { k, n })
    }

    /// This shard's runs of `n_runs`, in order.
    pub fn runs(self, n_runs: usize) -> Vec<usize> {
        (self.k..n_runs).step_by(self.n).collect()
    }
}

/// One finished run of a sweep.
pub struct SweepRun {
    pub run_id: usize,
    pub point: usize,
    pub replicate: usize,
    pub seed: u64,
    /// The design point's parameter values.
    pub values: Vec<f64>,
    pub output: RunOutput,
}

/// Why a sweep run failed.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    #[error("run {run_id}: {source}")]
    Param {
        run_id: usize,
        #[source]
        source: ParamError,
    },
    #[error("run {run_id}: {source}")]
    State {
        run_id: usize,
        #[source]
        source: StateError,
    },
    #[error("{0}")]
    Sink(String),
}

/// Runs `runs` (ids into the run list of `points` x replications) and hands each to `sink` in
/// order. Run i is design point i / replications with replicate i % replications.
pub fn run(
    c: &Common,
    points: &[Vec<f64>],
    runs: &[usize],
    daily: &[&str],
    progress: &dyn Progress,
    mut sink: impl FnMut(SweepRun) -> Result<(), String>,
) -> Result<(), SweepError> {
    progress.start(runs.len() as u64);
    let reps = c.replications.max(1) as usize;
    let one = |&i: &usize| -> Result<SweepRun, SweepError> {
        let (point, replicate) = (i / reps, i % reps);
        let values = points[point].clone();
        let scenario = c
            .scenario(&values)
            .map_err(|source| SweepError::Param { run_id: i, source })?;
        let seed = runner::replicate_seed(c.seed, replicate as u64);
        let output = runner::run(RunSpec {
            scenario: &scenario,
            seed,
            days: c.days,
            from_state: None,
            daily,
        })
        .map_err(|source| SweepError::State { run_id: i, source })?;
        progress.advance(1);
        Ok(SweepRun {
            run_id: i,
            point,
            replicate,
            seed,
            values,
            output,
        })
    };
    let result = runner::ordered_map(runs, runner::chunk_size(), one, |_, r| {
        sink(r?).map_err(SweepError::Sink)
    });
    progress.finish();
    result
}

/// A fingerprint of everything that decides a sweep's rows: shards of one sweep share it, and
/// a resumed sweep must match the one that was interrupted.
pub fn fingerprint(sweep: &Sweep) -> String {
    let c = &sweep.common;
    let what = serde_json::json!({
        "version": crate::VERSION,
        "base": c.base_scenario,
        "days": c.days,
        "seed": c.seed,
        "replications": c.replications,
        "params": c.params,
        "points": sweep.points,
        "outputs": c.outputs,
        "daily": sweep.daily,
    });
    format!("{:016x}", name_hash(&what.to_string()))
}
