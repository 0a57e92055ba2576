//! A sensitivity analysis's runs as a file: the `runs.csv` columns, the fingerprint that shards
//! and a resumed run must share, and reading the outputs back (from one machine's journal or
//! from merged shards) into the values the analysis needs. The same rows give the same
//! analysis wherever and in how many parts they were run.

use std::io::Read;

use super::spec::Sensitivity;
use crate::sim::rng::name_hash;

/// Why runs.csv could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum RunsError {
    #[error("line {line}: {message}")]
    Row { line: u64, message: String },
    #[error("its columns are not those of this analysis (expected {expected})")]
    Header { expected: String },
    #[error("holds {got} runs, the analysis has {expected}")]
    Count { expected: usize, got: usize },
}

/// The outputs of every run, read back.
pub struct Values {
    /// `vals[output][design row][replicate]` (NaN where a run has no value).
    pub vals: Vec<Vec<Vec<f64>>>,
    /// Per output: the first run without a finite value, as `(run_id, design row)`.
    pub first_missing: Vec<Option<(usize, usize)>>,
}

/// The columns of a sensitivity analysis's `runs.csv`.
pub fn header(spec: &Sensitivity) -> Vec<String> {
    let c = &spec.common;
    let mut h = crate::output::run_columns(&["row"]);
    h.extend(c.params.iter().map(|p| p.path.clone()));
    h.extend(c.outputs.iter().cloned());
    h
}

/// A fingerprint of everything that decides the runs' rows: shards of one analysis share it,
/// a resumed analysis must match the interrupted one, and the analysis of merged shards checks
/// it. The method's settings that do not change the runs (bootstrap) are left out.
pub fn fingerprint(spec: &Sensitivity) -> String {
    let c = &spec.common;
    let what = serde_json::json!({
        "kind": "sensitivity",
        "version": crate::VERSION,
        "base": c.base_scenario,
        "days": c.days,
        "seed": c.seed,
        "replications": c.replications,
        "params": c.params,
        "points": spec.points,
        "outputs": c.outputs,
    });
    format!("{:016x}", name_hash(&what.to_string()))
}

/// Reads every run of `spec` back from its `runs.csv` text: the header must be this
/// analysis's, and run `i` must be on the `i`-th row (as a one-machine run, a resumed run and
/// `towngov merge` all write them).
pub fn read(spec: &Sensitivity, r: impl Read) -> Result<Values, RunsError> {
    let c = &spec.common;
    let reps = c.replications as usize;
    let n_rows = spec.points.len();
    let want = header(spec);
    // The first output's column: the outputs close the header.
    let first = want.len() - c.outputs.len();
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(r);
    let h = reader.headers().map_err(|e| RunsError::Row {
        line: 1,
        message: e.to_string(),
    })?;
    if h.iter().ne(want.iter().map(String::as_str)) {
        return Err(RunsError::Header {
            expected: want.join(","),
        });
    }
    let mut vals = vec![vec![vec![f64::NAN; reps]; n_rows]; c.outputs.len()];
    let mut first_missing = vec![None; c.outputs.len()];
    let mut count = 0usize;
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = record.map_err(|e| RunsError::Row {
            line,
            message: e.to_string(),
        })?;
        if i >= spec.n_runs() {
            return Err(RunsError::Count {
                expected: spec.n_runs(),
                got: i + 1,
            });
        }
        if record.get(0) != Some(i.to_string().as_str()) {
            return Err(RunsError::Row {
                line,
                message: format!(
                    "run_id {:?} where run {i} should be (runs in order, each once)",
                    record.get(0).unwrap_or("")
                ),
            });
        }
        let (row, rep) = (i / reps, i % reps);
        for (o, slot) in vals.iter_mut().enumerate() {
            let text = record.get(first + o).unwrap_or("");
            let v = if text.is_empty() {
                f64::NAN
            } else {
                text.parse::<f64>().map_err(|_| RunsError::Row {
                    line,
                    message: format!("{}: {text:?} is not a number", c.outputs[o]),
                })?
            };
            if !v.is_finite() && first_missing[o].is_none() {
                first_missing[o] = Some((i, row));
            }
            slot[row][rep] = v;
        }
        count += 1;
    }
    if count != spec.n_runs() {
        return Err(RunsError::Count {
            expected: spec.n_runs(),
            got: count,
        });
    }
    Ok(Values {
        vals,
        first_missing,
    })
}
