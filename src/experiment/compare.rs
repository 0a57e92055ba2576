//! Comparing options: every option runs with the same seeds (common random numbers), from the
//! same warmed-up town if asked; each key indicator gets each option's mean and the paired
//! difference against the first option with a Student-t interval and an effect size.

use super::indicators;
use super::multiplicity::{self, Adjust};
use super::precision::{self, PrecisionReport, RepsAuto};
use super::results::{Band, Comparison, FigureValues, IndicatorRow, SeriesBands};
use super::runner::{self, Progress, RunOutput, RunSpec};
use super::scenario_diff;
use super::stats::{self, Welford};
use super::warmup::{self, WarmUpReport};
use crate::scenario::Scenario;
use crate::sim::state::StateError;
use crate::sim::{SimOptions, Simulation};

/// One option: where it came from and the scenario.
#[derive(Clone, Debug)]
pub struct CompareOption {
    pub origin: String,
    pub scenario: Scenario,
}

/// What to compare and how.
#[derive(Clone, Debug)]
pub struct CompareSpec {
    /// The first is the reference.
    pub options: Vec<CompareOption>,
    pub reps: usize,
    /// Replicate r runs with `runner::replicate_seed(master_seed, r)`.
    pub master_seed: u64,
    /// Days simulated after the warm-up.
    pub days: u32,
    /// Days every replicate first runs under the reference option; every option then continues
    /// from that same saved town (0: every option starts from day 0).
    pub warm_up_days: u32,
    /// Confidence level of the intervals.
    pub level: f64,
    /// How the p-values are adjusted (key indicators × compared options, as one family).
    pub adjust: Adjust,
    /// `--reps auto`: run batches until the targets are met or the cap (then `reps` is unused).
    pub reps_auto: Option<RepsAuto>,
}

/// Why a comparison could not run.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error("a comparison needs at least two options, got {0}")]
    TooFewOptions(usize),
    #[error("--reps must be at least 2 for a confidence interval, got {0}")]
    TooFewReps(usize),
    #[error("--reps auto needs at least one --target-half-width or --target")]
    NoTarget,
    #[error("--max-reps must be at least the pilot's {pilot} replications, got {max}")]
    CapBelowPilot { pilot: usize, max: usize },
    #[error("{flag}: the half-width must be a positive finite number, got {value}")]
    BadTarget { flag: String, value: f64 },
    #[error(
        "{origin}: with --warm-up every option continues from the town {reference} warmed up, so it must be the same town: it differs in {}; only `policy`, `timeline` and the labels may differ (or leave out --warm-up)",
        .fields.join(", ")
    )]
    TownDiffers {
        origin: String,
        reference: String,
        fields: Vec<String>,
    },
    #[error("{origin}: {source}")]
    Warm {
        origin: String,
        #[source]
        source: StateError,
    },
    #[error("{0}")]
    Output(String),
}

/// One finished run, handed to the caller in run order (for the per-run CSV).
pub struct RunRecord<'a> {
    pub run_id: usize,
    pub option: usize,
    pub replicate: usize,
    pub seed: u64,
    pub output: &'a RunOutput,
}

/// Runs the comparison. `on_run` sees every run in order (run_id = replicate * options +
/// option) and may stream it to disk; an error from it stops the comparison.
pub fn compare(
    spec: &CompareSpec,
    progress: &dyn Progress,
    mut on_run: impl FnMut(&RunRecord) -> Result<(), String>,
) -> Result<Comparison, CompareError> {
    check(spec)?;
    let n_opt = spec.options.len();
    let key = indicators::key();
    let series = indicators::series();
    let series_names: Vec<&str> = series.iter().map(|m| m.name.as_str()).collect();
    let cap = spec.reps_auto.as_ref().map_or(spec.reps, |a| a.max_reps);
    let mut seeds: Vec<u64> = Vec::new();
    // values[indicator][option][replicate]
    let mut values = vec![vec![Vec::with_capacity(spec.reps); n_opt]; key.len()];
    // decision[figure][option][replicate]
    let mut decision = vec![vec![Vec::with_capacity(spec.reps); n_opt]; indicators::DECISION.len()];
    // bands[series][option][day]
    let mut bands: Vec<Vec<Vec<Welford>>> =
        vec![vec![vec![Welford::new(); spec.days as usize]; n_opt]; series.len()];
    let mut n = match &spec.reps_auto {
        Some(a) => a.pilot.min(cap),
        None => spec.reps,
    };
    let mut batches = Vec::new();
    let mut outcomes = Vec::new();
    progress.start((n * n_opt) as u64);
    let result = loop {
        let from = seeds.len();
        seeds.extend((from as u64..n as u64).map(|r| runner::replicate_seed(spec.master_seed, r)));
        let batch = run_batch(
            spec,
            progress,
            &seeds,
            from..n,
            &series_names,
            |r, outs: &[RunOutput]| {
                for (o, out) in outs.iter().enumerate() {
                    on_run(&RunRecord {
                        run_id: r * n_opt + o,
                        option: o,
                        replicate: r,
                        seed: seeds[r],
                        output: out,
                    })
                    .map_err(CompareError::Output)?;
                    for (i, m) in key.iter().enumerate() {
                        values[i][o].push(out.figures.get(&m.name).copied().unwrap_or(f64::NAN));
                    }
                    for (i, name) in indicators::DECISION.iter().enumerate() {
                        decision[i][o].push(indicators::decision_value(name, &out.figures));
                    }
                    for (d, (_, day)) in out.daily.iter().enumerate() {
                        for (s, &v) in day.iter().enumerate() {
                            if let Some(w) = bands[s][o].get_mut(d) {
                                w.push(v);
                            }
                        }
                    }
                }
                Ok(())
            },
        );
        if let Err(e) = batch {
            break Err(e);
        }
        batches.push(n);
        let Some(auto) = &spec.reps_auto else {
            break Ok(());
        };
        let (out, needed) = precision::assess(&key, &values, &auto.targets, spec.level);
        outcomes = out;
        if outcomes.iter().all(|o| o.met) || n >= cap {
            break Ok(());
        }
        n = precision::next_n(n, needed, cap);
        progress.resize((n * n_opt) as u64);
    };
    progress.finish();
    result?;
    let reps_used = seeds.len();
    let precision = spec.reps_auto.as_ref().map(|a| PrecisionReport {
        targets: a.targets.clone(),
        pilot: a.pilot,
        max_reps: a.max_reps,
        batches,
        reps_used,
        all_met: outcomes.iter().all(|o| o.met),
        outcomes,
    });
    let indicators = indicator_rows(key, values, spec.level, spec.adjust);
    let series: Vec<SeriesBands> = series
        .into_iter()
        .zip(bands)
        .map(|(meta, by_option)| SeriesBands {
            meta,
            days: (1..=spec.days).collect(),
            by_option: by_option
                .iter()
                .map(|days| band(days, spec.level))
                .collect(),
        })
        .collect();
    let means: Vec<(String, Vec<f64>)> = series
        .iter()
        .map(|s| {
            let mean = s
                .by_option
                .first()
                .map(|b| b.mean.clone())
                .unwrap_or_default();
            (s.meta.name.clone(), mean)
        })
        .collect();
    let warm_up_diagnostic = (spec.days > 0).then(|| warmup::report(&means, reps_used));
    Ok(Comparison {
        options: spec
            .options
            .iter()
            .map(|o| o.scenario.name.clone())
            .collect(),
        origins: spec.options.iter().map(|o| o.origin.clone()).collect(),
        reps: reps_used,
        seeds,
        days: spec.days,
        warm_up_days: spec.warm_up_days,
        level: spec.level,
        adjust: spec.adjust,
        towngov_version: crate::VERSION.to_string(),
        indicators,
        series,
        warm_up_diagnostic,
        warm_up_pilot: None,
        precision,
        levers: spec
            .options
            .iter()
            .map(|o| scenario_diff::option_levers(&spec.options[0].scenario, &o.scenario))
            .collect(),
        per_replicate: indicators::DECISION
            .iter()
            .zip(decision)
            .map(|(name, values)| FigureValues {
                name: name.to_string(),
                values,
            })
            .collect(),
        provenance: crate::output::Provenance::build(),
    })
}

/// Each key indicator's figures from `values[indicator][option][replicate]`: per option the
/// mean with its interval, and against option 0 the paired difference with its p-value,
/// adjusted over the family of key indicators × compared options (`adjust_family`).
pub fn indicator_rows(
    key: Vec<super::results::IndicatorMeta>,
    values: Vec<Vec<Vec<f64>>>,
    level: f64,
    adjust: Adjust,
) -> Vec<IndicatorRow> {
    let mut rows: Vec<IndicatorRow> = key
        .into_iter()
        .zip(values)
        .map(|(meta, by_option)| IndicatorRow {
            meta,
            by_option: by_option
                .iter()
                .enumerate()
                .map(|(o, xs)| {
                    let mut st = stats::mean_stat(xs, level);
                    if o > 0 {
                        st.diff = Some(stats::paired_diff(&by_option[0], xs, level));
                    }
                    st
                })
                .collect(),
        })
        .collect();
    adjust_family(&mut rows, adjust, level);
    rows
}

/// Runs replicates `range` (every option of each, from the shared warm-up if any) in
/// parallel and hands each replicate's outputs to `sink` in replicate order.
fn run_batch(
    spec: &CompareSpec,
    progress: &dyn Progress,
    seeds: &[u64],
    range: std::ops::Range<usize>,
    series_names: &[&str],
    mut sink: impl FnMut(usize, &[RunOutput]) -> Result<(), CompareError>,
) -> Result<(), CompareError> {
    let reps: Vec<usize> = range.collect();
    let one_replicate = |&r: &usize| -> Result<Vec<RunOutput>, StateError> {
        let seed = seeds[r];
        let warm = warm_state(spec, seed)?;
        let mut outs = Vec::with_capacity(spec.options.len());
        for o in &spec.options {
            let out = runner::run(RunSpec {
                scenario: &o.scenario,
                seed,
                days: spec.days,
                from_state: warm.as_deref(),
                daily: series_names,
            })?;
            outs.push(out);
            progress.advance(1);
        }
        Ok(outs)
    };
    runner::ordered_map(&reps, runner::chunk_size(), one_replicate, |i, outs| {
        let outs = outs.map_err(|e| CompareError::Warm {
            origin: spec.options[0].origin.clone(),
            source: e,
        })?;
        sink(reps[i], &outs)
    })
}

/// Adjusts the p-values of every compared option's difference on every key indicator as one
/// family (key indicators × options compared with the reference: 26 × 2 = 52 for the main job's
/// three options), and marks a difference detected where the adjusted p is below 1 - level.
/// So the family-wise error rate (Holm) or false discovery rate (Benjamini-Hochberg) holds for
/// everything a comparison reports, however many options it has. Differences without a p-value
/// are not in the family. Returns the family size.
pub fn adjust_family(rows: &mut [IndicatorRow], method: Adjust, level: f64) -> usize {
    let mut at: Vec<(usize, usize)> = Vec::new();
    let mut ps: Vec<Option<f64>> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        for (o, st) in r.by_option.iter().enumerate().skip(1) {
            at.push((i, o));
            ps.push(st.diff.and_then(|d| d.p_value));
        }
    }
    let adjusted = multiplicity::adjust(&ps, method);
    for (&(i, o), p) in at.iter().zip(adjusted) {
        if let Some(d) = rows[i].by_option[o].diff.as_mut() {
            d.p_adjusted = p;
            d.detected = Some(p.is_some_and(|p| p < 1.0 - level));
        }
    }
    multiplicity::family_size(&ps)
}

fn band(days: &[Welford], level: f64) -> Band {
    let mut b = Band {
        mean: Vec::with_capacity(days.len()),
        low: Vec::with_capacity(days.len()),
        high: Vec::with_capacity(days.len()),
    };
    for w in days {
        let mean = w.mean().unwrap_or(f64::NAN);
        let (low, high) = match w.ci(level) {
            Some(ci) => (ci.low, ci.high),
            None => (mean, mean),
        };
        b.mean.push(mean);
        b.low.push(low);
        b.high.push(high);
    }
    b
}

/// The reference option run for the warm-up and saved, or `None` without a warm-up.
fn warm_state(spec: &CompareSpec, seed: u64) -> Result<Option<Vec<u8>>, StateError> {
    if spec.warm_up_days == 0 {
        return Ok(None);
    }
    let mut sim = Simulation::new(&spec.options[0].scenario, seed, SimOptions::default());
    for _ in 0..spec.warm_up_days {
        sim.step();
    }
    sim.save_state().map(Some)
}

/// Salt of the pilot's seeds, so the pilot that picks a warm-up is independent of the runs
/// the comparison then reads.
const PILOT_SALT: u64 = 0x7069_6c6f_7477_6d75;

/// The pilot of `--warm-up auto`: `reps` runs of the reference option from day 0 over `days`
/// days, with seeds `replicate_seed(master ^ PILOT_SALT, r)`, averaged day by day over the
/// replications, and MSER-5 on each key daily indicator.
pub fn warm_up_pilot(
    scenario: &Scenario,
    master_seed: u64,
    reps: usize,
    days: u32,
    progress: &dyn Progress,
) -> WarmUpReport {
    let series = indicators::series();
    let names: Vec<&str> = series.iter().map(|m| m.name.as_str()).collect();
    let mut sums: Vec<Vec<Welford>> = vec![vec![Welford::new(); days as usize]; series.len()];
    let items: Vec<u64> = (0..reps as u64).collect();
    progress.start(reps as u64);
    let _ = runner::ordered_map(
        &items,
        runner::chunk_size(),
        |&r| {
            let out = runner::run(RunSpec {
                scenario,
                seed: runner::replicate_seed(master_seed ^ PILOT_SALT, r),
                days,
                from_state: None,
                daily: &names,
            });
            progress.advance(1);
            out
        },
        |_, out| -> Result<(), ()> {
            // A run from day 0 cannot fail to load a state; a failed run simply adds nothing.
            if let Ok(out) = out {
                for (d, (_, day)) in out.daily.iter().enumerate() {
                    for (s, &v) in day.iter().enumerate() {
                        if let Some(w) = sums[s].get_mut(d) {
                            w.push(v);
                        }
                    }
                }
            }
            Ok(())
        },
    );
    progress.finish();
    let means: Vec<(String, Vec<f64>)> = series
        .iter()
        .zip(&sums)
        .map(|(m, days)| {
            let xs = days.iter().map(|w| w.mean().unwrap_or(f64::NAN)).collect();
            (m.name.clone(), xs)
        })
        .collect();
    warmup::report(&means, reps)
}

/// Checks a comparison before anything runs: at least two options and two replications, and
/// with a shared warm-up, every option the same town with other levers.
pub fn check(spec: &CompareSpec) -> Result<(), CompareError> {
    if spec.options.len() < 2 {
        return Err(CompareError::TooFewOptions(spec.options.len()));
    }
    match &spec.reps_auto {
        None if spec.reps < 2 => return Err(CompareError::TooFewReps(spec.reps)),
        None => {}
        Some(a) => {
            if a.targets.is_empty() {
                return Err(CompareError::NoTarget);
            }
            if a.pilot < 2 {
                return Err(CompareError::TooFewReps(a.pilot));
            }
            if a.max_reps < a.pilot {
                return Err(CompareError::CapBelowPilot {
                    pilot: a.pilot,
                    max: a.max_reps,
                });
            }
            for t in &a.targets {
                if !(t.value.is_finite() && t.value > 0.0) {
                    return Err(CompareError::BadTarget {
                        flag: match &t.indicator {
                            Some(n) => format!("--target-half-width {n}"),
                            None => "--target key".to_string(),
                        },
                        value: t.value,
                    });
                }
            }
        }
    }
    if spec.warm_up_days == 0 {
        return Ok(());
    }
    let reference = &spec.options[0].scenario;
    for o in &spec.options[1..] {
        let fields = crate::sim::town_differences(reference, &o.scenario);
        if !fields.is_empty() {
            return Err(CompareError::TownDiffers {
                origin: o.origin.clone(),
                reference: spec.options[0].origin.clone(),
                fields,
            });
        }
    }
    Ok(())
}
