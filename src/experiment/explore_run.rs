//! Running an explore: its runs in parallel, handed on in run order (so the rows do not
//! depend on the number of threads), each option of a future and replicate on the same seed.

use super::explore::Explore;
use super::runner::{self, Progress, RunOutput, RunSpec};
use super::sweep::SweepError;

/// One finished run.
pub struct ExploreRun {
    pub run_id: usize,
    pub future: usize,
    pub option: usize,
    pub replicate: usize,
    pub seed: u64,
    pub output: RunOutput,
}

/// Runs `runs` (ids into the run list) in parallel and hands each to `sink` in order.
pub fn run(
    e: &Explore,
    runs: &[usize],
    progress: &dyn Progress,
    mut sink: impl FnMut(ExploreRun) -> Result<(), String>,
) -> Result<(), SweepError> {
    progress.start(runs.len() as u64);
    let one = |&i: &usize| -> Result<ExploreRun, SweepError> {
        let (future, option, replicate) = e.run_of(i);
        let scenario = e
            .scenario(option, future)
            .map_err(|source| SweepError::Param { run_id: i, source })?;
        let seed = e.seed_of(future, replicate);
        let output = runner::run(RunSpec {
            scenario: &scenario,
            seed,
            days: e.days,
            from_state: None,
            daily: &[],
        })
        .map_err(|source| SweepError::State { run_id: i, source })?;
        progress.advance(1);
        Ok(ExploreRun {
            run_id: i,
            future,
            option,
            replicate,
            seed,
            output,
        })
    };
    let result = runner::ordered_map(runs, runner::chunk_size(), one, |_, r| {
        sink(r?).map_err(SweepError::Sink)
    });
    progress.finish();
    result
}
