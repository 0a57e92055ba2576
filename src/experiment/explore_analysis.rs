//! The analysis of an explore's runs, read back from `runs.csv` (so one machine, a resumed run
//! and merged shards are analysed from the same bytes): each option's mean per future over the
//! replications; per option and indicator the share of futures in which it beats the reference
//! and percentiles of its values and of its difference from the reference; regret on the
//! objective against the best option of each future; and, per failure criterion, the futures
//! where the option fails described by PRIM (`prim.rs`) and put in words.

use std::io::Read;

use serde::Serialize;

use super::explore::{Criterion, Direction, Explore};
use super::params::Kind;
use super::prim::{self, Dim, Limit, PrimError};
use super::results::Better;
use super::sensitivity_runs::RunsError;

/// Every run's outputs: `vals[output][future][option][replicate]`, NaN where missing.
pub struct Values {
    pub vals: Vec<Vec<Vec<Vec<f64>>>>,
}

/// Reads `runs.csv`: its header must be this explore's, and run `i` on row `i`.
pub fn read(e: &Explore, r: impl Read) -> Result<Values, RunsError> {
    let want = e.header();
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(r);
    let h = reader.headers().map_err(|err| RunsError::Row {
        line: 1,
        message: err.to_string(),
    })?;
    if h.iter().ne(want.iter().map(String::as_str)) {
        return Err(RunsError::Header {
            expected: want.join(","),
        });
    }
    let (nf, no, reps) = (e.futures.len(), e.options.len(), e.replications as usize);
    let mut vals = vec![vec![vec![vec![f64::NAN; reps]; no]; nf]; e.outputs.len()];
    // The first output's column: the outputs close the header.
    let first = want.len() - e.outputs.len();
    let mut n = 0usize;
    for (i, rec) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let rec = rec.map_err(|err| RunsError::Row {
            line,
            message: err.to_string(),
        })?;
        if i >= e.n_runs() {
            return Err(RunsError::Count {
                expected: e.n_runs(),
                got: i + 1,
            });
        }
        if rec.get(0) != Some(i.to_string().as_str()) {
            return Err(RunsError::Row {
                line,
                message: format!("run_id must be {i}, got `{}`", rec.get(0).unwrap_or("")),
            });
        }
        let (f, o, r) = e.run_of(i);
        for (k, v) in vals.iter_mut().enumerate() {
            let text = rec.get(first + k).unwrap_or("");
            v[f][o][r] = if text.is_empty() {
                f64::NAN
            } else {
                text.parse().map_err(|_| RunsError::Row {
                    line,
                    message: format!("`{}` is not a number", text),
                })?
            };
        }
        n += 1;
    }
    if n != e.n_runs() {
        return Err(RunsError::Count {
            expected: e.n_runs(),
            got: n,
        });
    }
    Ok(Values { vals })
}

/// The 5th, 25th, 50th, 75th and 95th percentiles (linear between order statistics, numpy's
/// default), over the finite values; `None` when there is none.
#[derive(Clone, Debug, Serialize)]
pub struct Percentiles {
    pub p5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

/// The `q` quantile (0 to 1) of `sorted`, linear between order statistics.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo as f64)
}

fn finite_sorted(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

fn percentiles(values: impl Iterator<Item = f64>) -> Option<Percentiles> {
    let v = finite_sorted(values);
    (!v.is_empty()).then(|| Percentiles {
        p5: quantile(&v, 0.05),
        p25: quantile(&v, 0.25),
        p50: quantile(&v, 0.5),
        p75: quantile(&v, 0.75),
        p95: quantile(&v, 0.95),
    })
}

/// One option's results on one indicator.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorResult {
    pub indicator: String,
    /// `"higher"` or `"lower"` is better; absent when neither is (then no share is given).
    pub better: Option<&'static str>,
    /// Share of the futures (with a value for both) in which the option beats the reference;
    /// absent for the reference itself.
    pub beats_reference_share: Option<f64>,
    pub futures_compared: usize,
    pub percentiles: Option<Percentiles>,
    /// Percentiles of option minus reference, future by future.
    pub difference_percentiles: Option<Percentiles>,
}

/// Regret on the objective: how far the option falls short of the best option of each future.
#[derive(Clone, Debug, Serialize)]
pub struct Regret {
    pub indicator: String,
    pub better: Direction,
    pub max: Option<f64>,
    pub p90: Option<f64>,
    pub mean: Option<f64>,
    /// Share of futures in which this option is the best (ties count for each).
    pub best_share: Option<f64>,
}

/// A restricted dimension of a PRIM box, named.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Restriction {
    pub parameter: String,
    /// A number's limits (absent for a choice).
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// A choice's variants (or a flag's `false`/`true`) in the box.
    pub levels: Option<Vec<String>>,
    pub qp_lower: Option<f64>,
    pub qp_upper: Option<f64>,
}

/// A box of the trajectory, as written.
#[derive(Clone, Debug, Serialize)]
pub struct TrajectoryBox {
    pub step: &'static str,
    pub coverage: f64,
    pub density: f64,
    pub mass: f64,
    pub restricted: Vec<String>,
}

/// PRIM on one option's failures of one criterion.
#[derive(Clone, Debug, Serialize)]
pub struct PrimReport {
    pub chosen: usize,
    pub coverage: f64,
    pub density: f64,
    pub mass: f64,
    pub restrictions: Vec<Restriction>,
    pub trajectory: Vec<TrajectoryBox>,
}

/// One option against one failure criterion.
#[derive(Clone, Debug, Serialize)]
pub struct FailureResult {
    pub criterion: Criterion,
    /// Futures in which the option fails, and in which the change could be taken.
    pub failing: usize,
    pub evaluated: usize,
    pub prim: Option<PrimReport>,
    /// Where the option fails, in words.
    pub words: String,
}

/// One option's results.
#[derive(Clone, Debug, Serialize)]
pub struct OptionResult {
    pub name: String,
    pub file: String,
    pub reference: bool,
    pub indicators: Vec<IndicatorResult>,
    pub regret: Regret,
    pub failures: Vec<FailureResult>,
}

/// The whole analysis.
#[derive(Clone, Debug, Serialize)]
pub struct Analysis {
    pub name: String,
    pub n_futures: usize,
    pub replications: u32,
    pub days: u32,
    /// Written as a string: 64-bit seeds lose digits in JavaScript and spreadsheets.
    pub seed: String,
    pub design: String,
    pub parameters: Vec<String>,
    pub reference: String,
    pub prim_settings: prim::Settings,
    pub options: Vec<OptionResult>,
    /// `means[output][future][option]`: the mean over the replications (not written to JSON;
    /// `futures.csv` holds it).
    #[serde(skip)]
    pub means: Vec<Vec<Vec<f64>>>,
}

fn mean(values: &[f64]) -> f64 {
    let v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

fn direction_of(name: &str) -> Option<Direction> {
    // The budget balance is kept for the report (`REPORT_FIGURES`): a surplus is better.
    if name == super::indicators::BALANCE {
        return Some(Direction::Higher);
    }
    super::indicators::key()
        .into_iter()
        .chain(super::indicators::series())
        .find(|m| m.name == name)
        .and_then(|m| match m.better {
            Better::Higher => Some(Direction::Higher),
            Better::Lower => Some(Direction::Lower),
            Better::Neither => None,
        })
}

fn word(d: Direction) -> &'static str {
    match d {
        Direction::Higher => "higher",
        Direction::Lower => "lower",
    }
}

fn beats(d: Direction, a: f64, b: f64) -> bool {
    match d {
        Direction::Higher => a > b,
        Direction::Lower => a < b,
    }
}

/// A number in three significant digits, without trailing zeros.
pub fn short(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let digits = (2 - x.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// Analyses every run.
pub fn analyse(e: &Explore, v: &Values) -> Analysis {
    let (nf, no) = (e.futures.len(), e.options.len());
    let means: Vec<Vec<Vec<f64>>> = v
        .vals
        .iter()
        .map(|out| {
            out.iter()
                .map(|fut| fut.iter().map(|r| mean(r)).collect())
                .collect()
        })
        .collect();
    let idx = |name: &str| e.outputs.iter().position(|o| o == name);
    let rf = e.reference;
    let (obj_name, obj_dir) = (&e.objective.0, e.objective.1);
    let obj = idx(obj_name).map(|k| &means[k]);
    let options = (0..no)
        .map(|o| {
            let indicators = e
                .outputs
                .iter()
                .enumerate()
                .map(|(k, name)| {
                    let m = &means[k];
                    let better = if name == obj_name {
                        Some(obj_dir)
                    } else {
                        direction_of(name)
                    };
                    let pairs: Vec<(f64, f64)> = (0..nf)
                        .map(|f| (m[f][o], m[f][rf]))
                        .filter(|(a, b)| a.is_finite() && b.is_finite())
                        .collect();
                    let share = match (o == rf, better, pairs.is_empty()) {
                        (false, Some(d), false) => Some(
                            pairs.iter().filter(|(a, b)| beats(d, *a, *b)).count() as f64
                                / pairs.len() as f64,
                        ),
                        _ => None,
                    };
                    IndicatorResult {
                        indicator: name.clone(),
                        better: better.map(word),
                        beats_reference_share: share,
                        futures_compared: pairs.len(),
                        percentiles: percentiles((0..nf).map(|f| m[f][o])),
                        difference_percentiles: (o != rf)
                            .then(|| percentiles(pairs.iter().map(|(a, b)| a - b)))
                            .flatten(),
                    }
                })
                .collect();
            let regret = regret(obj, o, no, nf, obj_name, obj_dir);
            let failures = e
                .failures
                .iter()
                .filter(|_| o != rf)
                .map(|c| failure(e, &means, o, c))
                .collect();
            OptionResult {
                name: e.options[o].scenario.name.clone(),
                file: e.options[o].file.clone(),
                reference: o == rf,
                indicators,
                regret,
                failures,
            }
        })
        .collect();
    Analysis {
        name: e.name.clone(),
        n_futures: nf,
        replications: e.replications,
        days: e.days,
        seed: e.seed.to_string(),
        design: e.design.clone(),
        parameters: e.params.iter().map(|p| p.path.clone()).collect(),
        reference: e.options[rf].scenario.name.clone(),
        prim_settings: e.prim,
        options,
        means,
    }
}

fn regret(
    obj: Option<&Vec<Vec<f64>>>,
    o: usize,
    no: usize,
    nf: usize,
    name: &str,
    d: Direction,
) -> Regret {
    let mut regrets = Vec::new();
    let mut best_count = 0usize;
    if let Some(m) = obj {
        for row in m.iter().take(nf) {
            let finite = (0..no).map(|k| row[k]).filter(|x| x.is_finite());
            let best = match d {
                Direction::Higher => finite.fold(f64::NEG_INFINITY, f64::max),
                Direction::Lower => finite.fold(f64::INFINITY, f64::min),
            };
            if row[o].is_finite() && best.is_finite() {
                let r = (best - row[o]).abs();
                best_count += usize::from(r == 0.0);
                regrets.push(r);
            }
        }
    }
    let sorted = finite_sorted(regrets.iter().copied());
    let some = |x: f64| (!sorted.is_empty()).then_some(x);
    Regret {
        indicator: name.to_string(),
        better: d,
        max: some(sorted.last().copied().unwrap_or(f64::NAN)),
        p90: some(quantile(&sorted, 0.9)),
        mean: some(sorted.iter().sum::<f64>() / sorted.len().max(1) as f64),
        best_share: some(best_count as f64 / sorted.len().max(1) as f64),
    }
}

fn failure(e: &Explore, means: &[Vec<Vec<f64>>], o: usize, c: &Criterion) -> FailureResult {
    let k = e.outputs.iter().position(|x| *x == c.indicator);
    let mut x = Vec::new();
    let mut y = Vec::new();
    if let Some(k) = k {
        for (f, row) in means[k].iter().enumerate() {
            if let Some(fails) = c.fails(row[o], row[e.reference]) {
                x.push(e.futures[f].clone());
                y.push(fails);
            }
        }
    }
    let failing = y.iter().filter(|&&b| b).count();
    let evaluated = y.len();
    let dims: Vec<Dim> = e
        .params
        .iter()
        .map(|p| match &p.kind {
            Kind::Real => Dim::Real,
            Kind::Whole => Dim::Whole,
            Kind::Flag => Dim::Categorical(2),
            Kind::Choice(v) => Dim::Categorical(v.len()),
        })
        .collect();
    let option = &e.options[o].scenario.name;
    let head = format!(
        "{option} fails \"{}\" in {failing} of {evaluated} futures",
        c.name
    );
    let skipped = e.futures.len() - evaluated;
    let skipped_note = if skipped > 0 {
        format!(
            " ({skipped} futures left out: the change could not be taken, e.g. a missing value or a zero reference)"
        )
    } else {
        String::new()
    };
    let (prim, words) = match prim::prim(&x, &dims, &y, e.prim) {
        Err(PrimError::NoCases) | Err(PrimError::NoData) => {
            (None, format!("{head}: no failing futures{skipped_note}"))
        }
        Err(err) => (None, format!("{head}: PRIM could not run ({err})")),
        Ok(found) => {
            let b = found.chosen_box();
            let names = |dims: &[usize]| -> Vec<String> {
                dims.iter().map(|&j| e.params[j].path.clone()).collect()
            };
            let restrictions: Vec<Restriction> = found
                .restrictions
                .iter()
                .map(|r| {
                    let p = &e.params[r.dim];
                    let (lower, upper, levels) = match &r.limit {
                        Limit::Range { lower, upper } => {
                            (r.qp_lower.map(|_| *lower), r.qp_upper.map(|_| *upper), None)
                        }
                        Limit::Set(s) => (
                            None,
                            None,
                            Some(s.iter().map(|&i| level_name(&p.kind, i)).collect()),
                        ),
                    };
                    Restriction {
                        parameter: p.path.clone(),
                        lower,
                        upper,
                        levels,
                        qp_lower: r.qp_lower,
                        qp_upper: r.qp_upper,
                    }
                })
                .collect();
            let words = if failing == evaluated {
                format!("{head}: in every future evaluated")
            } else if restrictions.is_empty() {
                format!(
                    "{head} ({}): no box describes them better than the whole space (the failures are spread over the futures)",
                    pct(failing as f64 / evaluated.max(1) as f64)
                )
            } else {
                format!(
                    "{head} ({}), mostly when {}: {} of these failures, {} density ({} of the futures)",
                    pct(failing as f64 / evaluated.max(1) as f64),
                    conditions(&restrictions),
                    pct(b.coverage),
                    pct(b.density),
                    pct(b.mass)
                )
            };
            let report = PrimReport {
                chosen: found.chosen,
                coverage: b.coverage,
                density: b.density,
                mass: b.mass,
                restrictions,
                trajectory: found
                    .trajectory
                    .iter()
                    .map(|t| TrajectoryBox {
                        step: t.step,
                        coverage: t.coverage,
                        density: t.density,
                        mass: t.mass,
                        restricted: names(&t.restricted),
                    })
                    .collect(),
            };
            (Some(report), words)
        }
    };
    FailureResult {
        criterion: c.clone(),
        failing,
        evaluated,
        prim,
        words,
    }
}

fn level_name(kind: &Kind, i: usize) -> String {
    match kind {
        Kind::Flag => (i == 1).to_string(),
        Kind::Choice(v) => v.get(i).map(|s| s.to_string()).unwrap_or_default(),
        _ => i.to_string(),
    }
}

/// `a >= 0.6 and b <= 0.3 and c is one of X, Y`.
pub fn conditions(rs: &[Restriction]) -> String {
    rs.iter()
        .map(|r| match (&r.levels, r.lower, r.upper) {
            (Some(l), _, _) if l.len() == 1 => format!("{} is {}", r.parameter, l[0]),
            (Some(l), _, _) => format!("{} is one of {}", r.parameter, l.join(", ")),
            (None, Some(lo), Some(hi)) => {
                format!("{} is between {} and {}", r.parameter, short(lo), short(hi))
            }
            (None, Some(lo), None) => format!("{} >= {}", r.parameter, short(lo)),
            (None, None, Some(hi)) => format!("{} <= {}", r.parameter, short(hi)),
            (None, None, None) => r.parameter.clone(),
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// `futures.csv`'s rows: future, each parameter's value, option, indicator, mean value.
pub fn futures_rows(e: &Explore, a: &Analysis) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["future".to_string()];
    header.extend(e.params.iter().map(|p| p.path.clone()));
    header.extend(["option", "indicator", "value"].map(String::from));
    let mut rows = Vec::new();
    for (f, point) in e.futures.iter().enumerate() {
        let values: Vec<String> = e
            .params
            .iter()
            .zip(point)
            .map(|(p, &x)| p.cell(x))
            .collect();
        for (o, opt) in e.options.iter().enumerate() {
            for (k, name) in e.outputs.iter().enumerate() {
                let mut row = vec![f.to_string()];
                row.extend(values.iter().cloned());
                row.push(opt.scenario.name.clone());
                row.push(name.clone());
                row.push(crate::output::journal::num(a.means[k][f][o]));
                rows.push(row);
            }
        }
    }
    (header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_numpy_linear() {
        let v: Vec<f64> = (1..=5).map(f64::from).collect();
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.25), 2.0);
        assert!((quantile(&v, 0.05) - 1.2).abs() < 1e-12);
        assert!(quantile(&[], 0.5).is_nan());
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short(0.61234), "0.612");
        assert_eq!(short(1834.2), "1834");
        assert_eq!(short(0.5), "0.5");
        assert_eq!(short(f64::NAN), "n/a");
    }
}
