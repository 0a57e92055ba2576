//! One run of an experiment, and many runs in parallel with their results handed on in run
//! order. A run is a pure function of (scenario, seed, days, optional saved state), so the
//! results do not depend on how many threads ran them.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::output::{SummaryBuilder, row_fields};
use crate::scenario::Scenario;
use crate::sim::state::StateError;
use crate::sim::{DailyIndicators, SimOptions, Simulation};

/// What one run starts from.
#[derive(Clone, Copy)]
pub struct RunSpec<'a> {
    pub scenario: &'a Scenario,
    pub seed: u64,
    /// Days to simulate (after the saved state's day, if any).
    pub days: u32,
    /// A saved state to branch from with `scenario`'s levers (see `Simulation::from_state`).
    pub from_state: Option<&'a [u8]>,
    /// Daily indicators to keep, by column name (for bands and per-day outputs; empty: none).
    pub daily: &'a [&'a str],
}

/// What one run produced.
#[derive(Clone, Debug)]
pub struct RunOutput {
    /// Every summary figure by name (`total.*`, `final.*`, `mean.*`), NaN where missing.
    pub figures: BTreeMap<String, f64>,
    /// Each day's number and the values of the daily indicators asked for (NaN where the day
    /// had none), in the order asked.
    pub daily: Vec<(u32, Vec<f64>)>,
}

/// Runs one simulation and summarises it.
pub fn run(spec: RunSpec) -> Result<RunOutput, StateError> {
    let mut sim = match spec.from_state {
        Some(bytes) => Simulation::from_state(bytes, Some(spec.scenario), SimOptions::default())?,
        None => Simulation::new(spec.scenario, spec.seed, SimOptions::default()),
    };
    let first_day = sim.day() + 1;
    let mut summary = SummaryBuilder::default();
    let keep = !spec.daily.is_empty();
    let mut daily = Vec::with_capacity(if keep { spec.days as usize } else { 0 });
    for _ in 0..spec.days {
        let row = sim.step();
        let fields = row_fields(row);
        summary.add_fields(&fields);
        if keep {
            let values = spec
                .daily
                .iter()
                .map(|n| fields.get(*n).and_then(|v| v.as_f64()).unwrap_or(f64::NAN))
                .collect();
            daily.push((row.day, values));
        }
    }
    let s = summary.finish(
        &spec.scenario.name,
        spec.seed,
        first_day,
        spec.days,
        sim.totals(),
    );
    Ok(RunOutput {
        figures: figures(&s),
        daily,
    })
}

/// Flattens a summary into named figures: `total.x` (whole-run figures), `final.x` (the last
/// day's indicator) and `mean.x` (its mean over the days it had a value).
pub fn figures(s: &crate::output::Summary) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    if let Ok(v) = serde_json::to_value(&s.totals) {
        flatten("total", &v, &mut out);
    }
    for (k, v) in &s.r#final {
        out.insert(format!("final.{k}"), v.unwrap_or(f64::NAN));
    }
    for (k, v) in &s.mean {
        out.insert(format!("mean.{k}"), v.unwrap_or(f64::NAN));
    }
    let t = &s.totals;
    let per_case = |n: u64| {
        if t.created > 0 {
            n as f64 / t.created as f64
        } else {
            f64::NAN
        }
    };
    out.insert("total.dropped_share".into(), per_case(t.dropped));
    out.insert(
        "total.bounces_per_1000_cases".into(),
        per_case(t.bounced) * 1000.0,
    );
    out
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, f64>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                flatten(&format!("{prefix}.{k}"), x, out);
            }
        }
        serde_json::Value::Number(n) => {
            out.insert(prefix.to_string(), n.as_f64().unwrap_or(f64::NAN));
        }
        serde_json::Value::Null => {
            out.insert(prefix.to_string(), f64::NAN);
        }
        _ => {}
    }
}

/// Every daily indicator's name, in column order (`day` first).
pub fn daily_names() -> Vec<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if w.serialize(DailyIndicators::default()).is_err() {
        return Vec::new();
    }
    let bytes = w.into_inner().unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let header = text.lines().next().unwrap_or_default();
    header.split(',').map(str::to_string).collect()
}

/// Every figure name a run produces (`total.*`, `final.*`, `mean.*`), sorted.
pub fn figure_names() -> Vec<String> {
    let mut summary = SummaryBuilder::default();
    summary.add(&DailyIndicators::default());
    let s = summary.finish("", 0, 1, 0, Default::default());
    figures(&s).into_keys().collect()
}

/// The seed of replicate `r` under `master`: every option and design point with the same
/// replicate uses the same seed (common random numbers).
pub fn replicate_seed(master: u64, r: u64) -> u64 {
    let mut z = master ^ 0x7265_706c_6963_6174 ^ r.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Maps `f` over `items` in parallel, in chunks, and hands each result to `sink` in item
/// order as soon as its chunk is done: memory holds one chunk, and the order (and so every
/// byte written) does not depend on the number of threads.
pub fn ordered_map<T, R, E>(
    items: &[T],
    chunk: usize,
    f: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(usize, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    let chunk = chunk.max(1);
    let mut i = 0;
    for part in items.chunks(chunk) {
        let results: Vec<R> = part.par_iter().map(&f).collect();
        for r in results {
            sink(i, r)?;
            i += 1;
        }
    }
    Ok(())
}

/// A chunk size that keeps every thread busy without holding many results.
pub fn chunk_size() -> usize {
    (rayon::current_num_threads() * 4).max(4)
}

/// Told when runs finish (the outer layer draws a progress bar).
pub trait Progress: Sync {
    fn start(&self, _total: u64) {}
    fn advance(&self, _n: u64) {}
    /// The total grew (another batch of `--reps auto`); keeps the position.
    fn resize(&self, _total: u64) {}
    fn finish(&self) {}
}

/// No progress shown.
pub struct Quiet;

impl Progress for Quiet {}
