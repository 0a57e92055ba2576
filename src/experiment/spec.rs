//! Sweep and sensitivity files (RON), in two stages like scenarios: serde reads the raw
//! structs; [`Sweep::parse`] and [`Sensitivity::parse`] check every field, load the base
//! scenario and expand the design. Errors name the file, line, column and field.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;

use super::design;
use super::distribution::Distribution;
use super::params::{Base, Kind, ParamError};
use super::runner::figure_names;
use super::salib;
use crate::scenario::{self, Diagnostic, Location, Scenario, ScenarioError, SpanIndex};

pub use super::limits::{
    DesignSize, MAX_BASE_CHARS, MAX_DESIGN_VALUES, MAX_PARAMETERS, MAX_POINTS, MAX_RUNS,
    MAX_TEXT_CHARS,
};

/// Why a sweep or sensitivity file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("{origin}: cannot read the file: {source}")]
    Read {
        origin: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", render(.origin, .diagnostics))]
    Invalid {
        origin: String,
        diagnostics: Vec<Diagnostic>,
    },
    #[error(transparent)]
    Base(#[from] ScenarioError),
}

fn render(origin: &str, ds: &[Diagnostic]) -> String {
    ds.iter()
        .map(|d| {
            let mut s = origin.to_string();
            if let Some(l) = d.location {
                s += &format!(":{}:{}", l.line, l.col);
            }
            s += ": ";
            if let Some(p) = &d.path {
                s += &format!("{p}: ");
            }
            s + &d.message
        })
        .collect::<Vec<_>>()
        .join("\n")
}

use super::spec_raw::*;

/// A parameter of a design: its path, kind and the values it takes.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Param {
    pub path: String,
    pub kind: Kind,
    /// (lower, upper) for sampled designs.
    pub bounds: (f64, f64),
    /// False when the path named no parameter (an error was reported; the entry only keeps
    /// the list aligned with the file's).
    #[serde(skip)]
    pub found: bool,
}

/// What every experiment file shares: the base scenario and how long and often to run it.
#[derive(Clone, Debug)]
pub struct Common {
    pub name: String,
    pub base_origin: String,
    pub base_scenario: Scenario,
    pub base: Base,
    pub days: u32,
    pub seed: u64,
    pub replications: u32,
    pub params: Vec<Param>,
    /// Figures kept per run (names as in `runs.csv`).
    pub outputs: Vec<String>,
}

impl Common {
    /// The scenario of one design point (values in the parameters' order).
    pub fn scenario(&self, point: &[f64]) -> Result<Scenario, ParamError> {
        let values: Vec<(&str, Kind, f64)> = self
            .params
            .iter()
            .zip(point)
            .map(|(p, &x)| (p.path.as_str(), p.kind, x))
            .collect();
        self.base.scenario(&values)
    }
}

/// A validated sweep.
#[derive(Clone, Debug)]
pub struct Sweep {
    pub common: Common,
    /// Design points, each a value per parameter (already rounded for whole and flag kinds).
    pub points: Vec<Vec<f64>>,
    /// Daily indicators written per run and day (empty: none).
    pub daily: Vec<String>,
}

/// A validated sensitivity analysis.
#[derive(Clone, Debug)]
pub struct Sensitivity {
    pub common: Common,
    pub method: Method,
    /// Each parameter's input distribution (uniform over its `range` by default).
    pub distributions: Vec<Distribution>,
    /// The design in unit coordinates, in SALib's order, as the analysis reads it: the sampled
    /// unit cube; for a Morris design read from a file, its steps (±delta, one factor at a
    /// time, from 0.5); empty for a Sobol design read from a file (Sobol reads only outputs).
    pub unit_design: Vec<Vec<f64>>,
    /// The parameter values of every design row: the unit design through each distribution's
    /// inverse CDF, or the design file's rows (rounded by kind).
    pub points: Vec<Vec<f64>>,
    pub bootstrap_seed: u64,
    /// The design file the rows came from, when one was given.
    pub design_file: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Method {
    Morris {
        trajectories: usize,
        levels: usize,
    },
    Sobol {
        base_samples: usize,
        bootstrap: usize,
        /// Saltelli's N (2k + 2) design and second-order indices.
        second_order: bool,
    },
}

/// Collects located errors.
struct Checker {
    index: SpanIndex,
    errors: Vec<Diagnostic>,
}

impl Checker {
    fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        let path = path.into();
        self.errors.push(Diagnostic {
            location: self.index.locate(&path),
            path: Some(path),
            message: message.into(),
        });
    }
}

fn read(path: &Path) -> Result<String, SpecError> {
    std::fs::read_to_string(path).map_err(|source| SpecError::Read {
        origin: path.display().to_string(),
        source,
    })
}

fn parse_ron<T: for<'de> Deserialize<'de>>(text: &str, origin: &str) -> Result<T, SpecError> {
    let text = scenario::without_bom(text);
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    options.from_str::<T>(text).map_err(|e| {
        let location = Location {
            line: e.span.start.line,
            col: e.span.start.col,
        };
        let path = SpanIndex::scan(text)
            .path_at(location)
            .map(|p| scenario::truncate_chars(&p, scenario::MAX_NAME_CHARS));
        SpecError::Invalid {
            origin: origin.to_string(),
            diagnostics: vec![Diagnostic {
                location: Some(location),
                path,
                message: scenario::truncate_chars(&e.code.to_string(), scenario::MAX_MESSAGE_CHARS),
            }],
        }
    })
}

/// Reads and parses a file; the checker locates later errors in its text.
fn open<T: for<'de> Deserialize<'de>>(file: &Path) -> Result<(String, T, Checker), SpecError> {
    let origin = file.display().to_string();
    let text = read(file)?;
    let raw = parse_ron(&text, &origin)?;
    let checker = Checker {
        index: SpanIndex::scan(&text),
        errors: Vec::new(),
    };
    Ok((origin, raw, checker))
}

/// The errors found so far, if any.
fn invalid(origin: &str, c: &mut Checker) -> Result<(), SpecError> {
    if c.errors.is_empty() {
        Ok(())
    } else {
        Err(SpecError::Invalid {
            origin: origin.to_string(),
            diagnostics: std::mem::take(&mut c.errors),
        })
    }
}

/// The base scenario, relative to the file naming it.
fn load_base(file: &Path, base: &str) -> Result<(String, Scenario, Base), SpecError> {
    let path: PathBuf = file.parent().unwrap_or(Path::new(".")).join(base);
    let origin = path.display().to_string();
    let text = read(&path)?;
    let raw = scenario::parse_raw(&text, &origin)?;
    let scenario = scenario::parse(&text, &origin)?;
    Ok((origin, scenario, Base::new(&raw)))
}

#[allow(clippy::too_many_arguments)]
fn common(
    c: &mut Checker,
    file: &Path,
    name: Option<String>,
    base: &str,
    days: Option<u32>,
    seed: Option<u64>,
    replications: Option<u32>,
    paths: &[(String, (f64, f64))],
    outputs: Vec<String>,
) -> Result<Common, SpecError> {
    if base.chars().count() > MAX_BASE_CHARS {
        c.error(
            "base",
            format!("must be at most {MAX_BASE_CHARS} characters long"),
        );
        return Err(SpecError::Invalid {
            origin: file.display().to_string(),
            diagnostics: std::mem::take(&mut c.errors),
        });
    }
    if let Some(n) = &name {
        check_text(c, "name", n);
    }
    if paths.len() > MAX_PARAMETERS {
        c.error(
            "parameters",
            format!("at most {MAX_PARAMETERS} parameters, got {}", paths.len()),
        );
    }
    let too_long = |t: &String| t.chars().count() > MAX_TEXT_CHARS;
    for (i, (path, _)) in paths.iter().enumerate() {
        check_text(c, format!("parameters[{i}].path"), path);
    }
    for (i, o) in outputs.iter().enumerate() {
        check_text(c, format!("outputs[{i}]"), o);
    }
    if outputs.len() > MAX_PARAMETERS * 10 {
        c.error(
            "outputs",
            format!(
                "at most {} figures, got {}",
                MAX_PARAMETERS * 10,
                outputs.len()
            ),
        );
    }
    // Too long or too many to look up and suggest names for: stop here.
    if paths.len() > MAX_PARAMETERS
        || outputs.len() > MAX_PARAMETERS * 10
        || paths.iter().any(|(p, _)| too_long(p))
        || outputs.iter().any(too_long)
    {
        return Err(SpecError::Invalid {
            origin: file.display().to_string(),
            diagnostics: std::mem::take(&mut c.errors),
        });
    }
    let (base_origin, base_scenario, b) = load_base(file, base)?;
    let days = days.unwrap_or(base_scenario.days);
    if !(1..=36_500).contains(&days) {
        c.error("days", format!("must be between 1 and 36500, got {days}"));
    }
    let replications = replications.unwrap_or(1);
    if !(1..=100_000).contains(&replications) {
        c.error(
            "replications",
            format!("must be between 1 and 100000, got {replications}"),
        );
    }
    if paths.is_empty() {
        c.error("parameters", "name at least one parameter to vary");
    }
    let mut params = Vec::new();
    for (i, (path, bounds)) in paths.iter().enumerate() {
        if paths[..i].iter().any(|(p, _)| p == path) {
            c.error(
                format!("parameters[{i}].path"),
                format!("`{path}` is named twice"),
            );
        }
        let probed = b.probe(path);
        if let Err(e) = &probed {
            c.error(format!("parameters[{i}].path"), e.to_string());
        }
        params.push(Param {
            path: path.clone(),
            kind: probed.as_ref().copied().unwrap_or(Kind::Real),
            bounds: *bounds,
            found: probed.is_ok(),
        });
    }
    let known = figure_names();
    for (i, o) in outputs.iter().enumerate() {
        if !known.contains(o) {
            let names: Vec<&str> = known.iter().map(String::as_str).collect();
            let hint = scenario::closest(o, &names)
                .map(|c| format!(", did you mean `{c}`?"))
                .unwrap_or_default();
            c.error(
                format!("outputs[{i}]"),
                format!("`{o}` is not a figure of a run{hint} (`towngov figures` lists them)"),
            );
        }
    }
    Ok(Common {
        name: name.unwrap_or_else(|| {
            file.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        }),
        base_origin,
        seed: seed.unwrap_or(base_scenario.seed),
        base_scenario,
        base: b,
        days,
        replications,
        params,
        outputs,
    })
}

/// A text field of at most [`MAX_TEXT_CHARS`] characters.
fn check_text(c: &mut Checker, path: impl Into<String>, text: &str) {
    let n = text.chars().count();
    if n > MAX_TEXT_CHARS {
        c.error(
            path,
            format!("must be at most {MAX_TEXT_CHARS} characters long, got {n}"),
        );
    }
}

/// Checks that every design point gives a valid scenario (a rule across parameters, such as
/// the steward team's size, can fail on a combination of values each valid alone): the first
/// few failures are reported, so a sweep never fails half way through.
fn check_points(c: &mut Checker, common: &Common, points: &[Vec<f64>]) {
    if common.params.iter().any(|p| !p.found) {
        return;
    }
    // Validating a point takes tens of microseconds: a million of them go over the threads.
    let bad: Vec<bool> = points
        .par_iter()
        .map(|p| common.scenario(p).is_err())
        .collect();
    let failed = bad.iter().filter(|&&b| b).count();
    for (i, point) in points.iter().enumerate().filter(|&(i, _)| bad[i]).take(3) {
        if let Err(e) = common.scenario(point) {
            let values: Vec<String> = common
                .params
                .iter()
                .zip(point)
                .map(|(p, x)| format!("{} = {x}", p.path))
                .collect();
            c.error(
                "parameters",
                format!("design point {i} ({}): {e}", values.join(", ")),
            );
        }
    }
    if failed > 3 {
        c.error(
            "parameters",
            format!("{} more design points are invalid", failed - 3),
        );
    }
}

/// Checks that every value of every parameter gives a valid scenario.
fn check_values(c: &mut Checker, common: &Common, values: &[Vec<f64>], what: &str) {
    for (i, p) in common.params.iter().enumerate().filter(|(_, p)| p.found) {
        for x in values.get(i).into_iter().flatten() {
            if let Err(e) = common.base.scenario(&[(&p.path, p.kind, *x)]) {
                c.error(format!("parameters[{i}].{what}"), e.to_string());
                break;
            }
        }
    }
}

impl Sweep {
    pub fn parse(file: &Path) -> Result<Sweep, SpecError> {
        let (origin, raw, mut c) = open::<RawSweep>(file)?;
        let paths: Vec<(String, (f64, f64))> = raw
            .parameters
            .iter()
            .map(|p| (p.path.clone(), p.range.unwrap_or((f64::NAN, f64::NAN))))
            .collect();
        let outputs = raw.outputs.clone().unwrap_or_else(|| {
            super::indicators::key()
                .into_iter()
                .map(|m| m.name)
                .collect()
        });
        let common = common(
            &mut c,
            file,
            raw.name.clone(),
            &raw.base,
            raw.days,
            raw.seed,
            raw.replications,
            &paths,
            outputs,
        )?;
        // Count the design before building anything: each parameter's number of values, their
        // product (factorial) or the samples (Latin hypercube), with checked arithmetic.
        let counts: Vec<u64> = raw
            .parameters
            .iter()
            .map(|p| match (&p.levels, &raw.design, p.steps) {
                (Some(levels), _, _) => levels.len() as u64,
                (None, RawDesign::Factorial, Some(n)) => u64::from(n),
                _ => 1,
            })
            .collect();
        let n_points = match &raw.design {
            RawDesign::Factorial => counts.iter().try_fold(1u64, |n, &m| n.checked_mul(m)),
            RawDesign::LatinHypercube { samples, .. } => Some(*samples as u64),
        };
        let size = DesignSize::check(
            n_points,
            raw.parameters.len(),
            common.replications,
            match raw.design {
                RawDesign::Factorial => "the factorial design",
                RawDesign::LatinHypercube { .. } => "the Latin hypercube",
            },
        );
        if let Err(e) = &size {
            c.error("design", e.clone());
            invalid(&origin, &mut c)?;
        }
        // Each parameter's values: its levels, or `steps` evenly spaced values over its range.
        let mut values: Vec<Vec<f64>> = Vec::new();
        for (i, p) in raw.parameters.iter().enumerate() {
            let kind = common.params.get(i).map(|q| q.kind).unwrap_or(Kind::Real);
            let v: Vec<f64> = match (&p.levels, p.range, p.steps) {
                (Some(levels), None, None) if !levels.is_empty() => levels.clone(),
                (None, Some((lo, hi)), steps) if lo.is_finite() && hi.is_finite() && lo <= hi => {
                    let n = match (&raw.design, steps) {
                        (RawDesign::Factorial, Some(n)) if n >= 1 => n as usize,
                        (RawDesign::Factorial, _) => {
                            c.error(
                                format!("parameters[{i}].steps"),
                                "a factorial design over a range needs `steps` (at least 1)",
                            );
                            1
                        }
                        (RawDesign::LatinHypercube { .. }, _) => 0,
                    };
                    match n {
                        0 => vec![lo, hi],
                        1 => vec![lo],
                        n => (0..n)
                            .map(|j| lo + (hi - lo) * j as f64 / (n - 1) as f64)
                            .collect(),
                    }
                }
                (None, Some((lo, hi)), _) => {
                    c.error(
                        format!("parameters[{i}].range"),
                        format!(
                            "must be (lower, upper) with finite lower <= upper, got ({lo}, {hi})"
                        ),
                    );
                    Vec::new()
                }
                _ => {
                    c.error(
                        format!("parameters[{i}]"),
                        "give either `levels: [...]` or `range: (lower, upper)` (with `steps` in a factorial design)",
                    );
                    Vec::new()
                }
            };
            values.push(v.into_iter().map(|x| kind.value(x)).collect());
        }
        check_values(&mut c, &common, &values, "levels");
        let points = match &raw.design {
            RawDesign::Factorial => {
                // Counted above; an empty list of levels gives no points.
                design::factorial(&values)
            }
            RawDesign::LatinHypercube { samples, seed } => {
                if *samples == 0 {
                    c.error("design", "samples must be between 1 and 1000000, got 0");
                }
                for (i, p) in raw.parameters.iter().enumerate() {
                    if p.range.is_none() {
                        c.error(
                            format!("parameters[{i}]"),
                            "a Latin hypercube needs `range: (lower, upper)`",
                        );
                    }
                }
                let lhs = design::latin_hypercube(
                    *samples,
                    common.params.len(),
                    seed.unwrap_or(common.seed),
                );
                lhs.iter()
                    .map(|u| {
                        common
                            .params
                            .iter()
                            .zip(u)
                            .map(|(p, &x)| p.kind.value(p.bounds.0 + (p.bounds.1 - p.bounds.0) * x))
                            .collect()
                    })
                    .collect()
            }
        };
        let daily = match raw.daily {
            None => Vec::new(),
            Some(list) if list.len() == 1 && list[0] == "all" => super::runner::daily_names()
                .into_iter()
                .filter(|n| n != "day")
                .collect(),
            Some(list) => {
                let known = super::runner::daily_names();
                for (i, d) in list.iter().enumerate() {
                    if d == "day" || !known.contains(d) {
                        c.error(format!("daily[{i}]"), format!("`{d}` is not a daily indicator (a daily.csv column); use [\"all\"] for every one"));
                    }
                }
                list
            }
        };
        if c.errors.is_empty() {
            check_points(&mut c, &common, &points);
        }
        invalid(&origin, &mut c)?;
        Ok(Sweep {
            common,
            points,
            daily,
        })
    }

    /// Runs in all: design points x replications.
    pub fn n_runs(&self) -> usize {
        self.points.len() * self.common.replications as usize
    }

    /// Run `i`: (design point, replicate).
    pub fn run(&self, i: usize) -> (usize, usize) {
        let r = self.common.replications as usize;
        (i / r, i % r)
    }
}


impl Sensitivity {
    pub fn parse(file: &Path) -> Result<Sensitivity, SpecError> {
        let (origin, raw, mut c) = open::<RawSensitivity>(file)?;
        let paths: Vec<(String, (f64, f64))> = raw
            .parameters
            .iter()
            .map(|p| (p.path.clone(), p.range.unwrap_or((f64::NAN, f64::NAN))))
            .collect();
        if raw.outputs.is_empty() {
            c.error(
                "outputs",
                "name at least one output figure, e.g. \"total.on_time_rate\"",
            );
        }
        let mut common = common(
            &mut c,
            file,
            raw.name.clone(),
            &raw.base,
            raw.days,
            raw.seed,
            raw.replications,
            &paths,
            raw.outputs.clone(),
        )?;
        let distributions = sensitivity_distributions(&mut c, &raw, &common);
        let ends: Vec<Vec<f64>> = distributions
            .iter()
            .map(|d| d.support().map(|(lo, hi)| vec![lo, hi]).unwrap_or_default())
            .collect();
        check_values(&mut c, &common, &ends, "range");
        let k = common.params.len();
        let from_file = raw.design.is_some();
        let method = sensitivity_method(&mut c, &raw.method, from_file);
        if let Method::Morris { .. } = method
            && !from_file
        {
            for (i, d) in distributions.iter().enumerate() {
                if d.support().is_none() {
                    c.error(
                        format!("parameters[{i}].distribution"),
                        "a Morris design reaches the ends of the unit interval, where an untruncated normal is infinite: add `truncate: (lower, upper)`",
                    );
                }
            }
        }
        invalid(&origin, &mut c)?;
        let seed = common.seed;
        let (method, unit_design, rows) = match &raw.design {
            Some(design) => {
                let (rows, method, unit) = read_design(file, design, method, k)?;
                (method, unit, rows)
            }
            None => {
                let n_points = match method {
                    Method::Morris { trajectories, .. } => {
                        (trajectories as u64).checked_mul(k as u64 + 1)
                    }
                    Method::Sobol {
                        base_samples,
                        second_order,
                        ..
                    } => (base_samples as u64)
                        .checked_mul(if second_order { 2 * k as u64 + 2 } else { k as u64 + 2 }),
                };
                let what = match method {
                    Method::Morris { .. } => "the Morris design",
                    Method::Sobol { .. } => "the Sobol (Saltelli) design",
                };
                if let Err(e) = DesignSize::check(n_points, k, common.replications, what) {
                    c.error("method", e);
                }
                invalid(&origin, &mut c)?;
                let unit = match method {
                    Method::Morris {
                        trajectories,
                        levels,
                    } => design::morris_trajectories(k, trajectories, levels, seed),
                    Method::Sobol {
                        base_samples,
                        second_order: false,
                        ..
                    } => design::saltelli(k, base_samples, seed),
                    Method::Sobol {
                        base_samples,
                        second_order: true,
                        ..
                    } => design::saltelli_second_order(k, base_samples, seed),
                };
                let rows = unit
                    .iter()
                    .map(|u| distributions.iter().zip(u).map(|(d, &x)| d.quantile(x)).collect())
                    .collect();
                (method, unit.clone(), rows)
            }
        };
        let points: Vec<Vec<f64>> = rows
            .iter()
            .map(|row: &Vec<f64>| {
                row.iter()
                    .zip(&common.params)
                    .map(|(&x, p)| p.kind.value(x))
                    .collect()
            })
            .collect();
        // The range each parameter spans, for SALib's problem file: its distribution's
        // support, or where it has none (an untruncated normal) the values the design takes.
        for (i, (p, d)) in common.params.iter_mut().zip(&distributions).enumerate() {
            p.bounds = d.support().unwrap_or_else(|| {
                points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
                    (lo.min(x[i]), hi.max(x[i]))
                })
            });
        }
        check_points(&mut c, &common, &points);
        invalid(&origin, &mut c)?;
        Ok(Sensitivity {
            bootstrap_seed: raw.bootstrap_seed.unwrap_or(seed ^ 0xb007),
            common,
            method,
            distributions,
            unit_design,
            points,
            design_file: raw.design.clone(),
        })
    }

    pub fn n_runs(&self) -> usize {
        self.points.len() * self.common.replications as usize
    }
}

/// Each parameter's distribution: uniform over its `range` (whole numbers with equal weight
/// for a whole-number parameter), or its `distribution`; exactly one of the two.
fn sensitivity_distributions(
    c: &mut Checker,
    raw: &RawSensitivity,
    common: &Common,
) -> Vec<Distribution> {
    let fallback = Distribution::Uniform {
        low: 0.0,
        high: 1.0,
    };
    raw.parameters
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let whole = common.params.get(i).is_some_and(|q| q.kind == Kind::Whole);
            let result = match (&p.range, &p.distribution) {
                (Some((lo, hi)), None) => {
                    Distribution::uniform(*lo, *hi, whole).map_err(|e| {
                        let message = if lo.is_finite() && hi.is_finite() && lo < hi {
                            e.message
                        } else {
                            format!(
                                "must be (lower, upper) with finite lower < upper, got ({lo}, {hi})"
                            )
                        };
                        (format!("parameters[{i}].range"), message)
                    })
                }
                (None, Some(d)) => Distribution::from_raw(d, whole).map_err(|e| {
                    (
                        format!("parameters[{i}].distribution{}", e.field),
                        e.message,
                    )
                }),
                _ => Err((
                    format!("parameters[{i}]"),
                    "give either `range: (lower, upper)` (uniform) or `distribution: ...` (Uniform, Normal, Triangular, LogUniform or Discrete)".to_string(),
                )),
            };
            result.unwrap_or_else(|(path, message)| {
                c.error(path, message);
                fallback.clone()
            })
        })
        .collect()
}

/// The method's settings, checked. With a design file, the number of trajectories or base
/// samples comes from its rows (0 here, filled in by [`read_design`]).
fn sensitivity_method(c: &mut Checker, raw: &RawMethod, from_file: bool) -> Method {
    match *raw {
        RawMethod::Morris {
            trajectories,
            levels,
        } => {
            let levels = levels.unwrap_or(4);
            match trajectories {
                Some(t) if !(2..=100_000).contains(&t) => c.error(
                    "method.trajectories",
                    format!("must be between 2 and 100000, got {t}"),
                ),
                None if !from_file => c.error(
                    "method.trajectories",
                    "give the number of trajectories (between 2 and 100000), or a `design` file",
                ),
                _ => {}
            }
            if !(2..=64).contains(&levels) || levels % 2 == 1 {
                c.error(
                    "method.levels",
                    format!("must be an even number between 2 and 64, got {levels}"),
                );
            }
            Method::Morris {
                trajectories: trajectories.unwrap_or(0),
                levels,
            }
        }
        RawMethod::Sobol {
            base_samples,
            bootstrap,
            second_order,
        } => {
            let bootstrap = bootstrap.unwrap_or(500);
            match base_samples {
                Some(n) if !(2..=design::SOBOL_MAX_POINTS).contains(&n) => c.error(
                    "method.base_samples",
                    format!(
                        "must be between 2 and {}, got {n}",
                        design::SOBOL_MAX_POINTS
                    ),
                ),
                None if !from_file => c.error(
                    "method.base_samples",
                    format!(
                        "give the number of base samples (between 2 and {}), or a `design` file",
                        design::SOBOL_MAX_POINTS
                    ),
                ),
                _ => {}
            }
            if bootstrap > 100_000 {
                c.error(
                    "method.bootstrap",
                    format!("must be at most 100000, got {bootstrap}"),
                );
            }
            Method::Sobol {
                base_samples: base_samples.unwrap_or(0),
                bootstrap,
                second_order: second_order.unwrap_or(false),
            }
        }
    }
}

/// Reads a design file (SALib's text layout, parameter values, one column per parameter),
/// relative to the sensitivity file, and checks it has the structure `method` needs. Returns
/// its rows, the method with its size from the rows, and the unit design the analysis reads.
/// Errors name the design file's line and column.
fn read_design(
    file: &Path,
    design: &str,
    method: Method,
    k: usize,
) -> Result<(Vec<Vec<f64>>, Method, Vec<Vec<f64>>), SpecError> {
    let path: PathBuf = file.parent().unwrap_or(Path::new(".")).join(design);
    let origin = path.display().to_string();
    let fail = |line: Option<usize>, col: usize, message: String| SpecError::Invalid {
        origin: origin.clone(),
        diagnostics: vec![Diagnostic {
            location: line.map(|line| Location { line, col }),
            path: None,
            message: scenario::truncate_chars(&message, scenario::MAX_MESSAGE_CHARS),
        }],
    };
    let f = std::fs::File::open(&path).map_err(|source| SpecError::Read {
        origin: origin.clone(),
        source,
    })?;
    let limit = (MAX_DESIGN_VALUES as u64).saturating_mul(32);
    let (rows, lines) = salib::read_matrix_lines(std::io::Read::take(f, limit)).map_err(|e| match e {
        salib::SalibError::Value {
            line,
            column,
            reason,
        } => fail(Some(line), column, reason),
        salib::SalibError::Parse { line, reason } => fail(Some(line), 1, reason),
        other => fail(None, 0, other.to_string()),
    })?;
    if let Some(row) = rows.first().filter(|r| r.len() != k) {
        return Err(fail(
            lines.first().copied(),
            1,
            format!(
                "{} columns, but the sensitivity file names {k} parameters: one column per parameter, in the file's order",
                row.len()
            ),
        ));
    }
    if (rows.len() as u64).saturating_mul(k as u64) > MAX_DESIGN_VALUES as u64 {
        return Err(fail(
            None,
            0,
            format!("{} rows of {k} values: at most {MAX_DESIGN_VALUES} values", rows.len()),
        ));
    }
    let at = |e: super::user_design::DesignError| {
        let line = e.row.and_then(|r| lines.get(r).copied());
        let what = match e.row {
            Some(r) => format!("row {} {}", r + 1, e.message),
            None => e.message,
        };
        fail(line, 1, what)
    };
    let (method, unit) = match method {
        Method::Sobol {
            base_samples,
            bootstrap,
            second_order,
        } => {
            let n = super::user_design::check_saltelli(&rows, k, second_order).map_err(at)?;
            if base_samples != 0 && base_samples != n {
                return Err(fail(
                    None,
                    0,
                    format!("has N = {n} base samples, but the method says base_samples: {base_samples}: leave base_samples out (the design file decides it)"),
                ));
            }
            let method = Method::Sobol {
                base_samples: n,
                bootstrap,
                second_order,
            };
            (method, Vec::new())
        }
        Method::Morris {
            trajectories,
            levels,
        } => {
            let unit = super::user_design::morris_steps(&rows, k, levels).map_err(at)?;
            let r = rows.len() / (k + 1);
            if trajectories != 0 && trajectories != r {
                return Err(fail(
                    None,
                    0,
                    format!("has {r} trajectories, but the method says trajectories: {trajectories}: leave trajectories out (the design file decides it)"),
                ));
            }
            (
                Method::Morris {
                    trajectories: r,
                    levels,
                },
                unit,
            )
        }
    };
    Ok((rows, method, unit))
}
