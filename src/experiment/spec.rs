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
use super::spec_levels;
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
        source: crate::input::InputError,
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

pub(super) mod sensitivity_input;

/// A parameter of a design: its path, kind and the values it takes.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Param {
    pub path: String,
    pub kind: Kind,
    /// (lower, upper) for sampled designs.
    pub bounds: (f64, f64),
    /// A choice's levels (variant indices) that sampled designs draw from; empty for numbers.
    pub levels: Vec<f64>,
    /// False when the path named no parameter (an error was reported; the entry only keeps
    /// the list aligned with the file's).
    #[serde(skip)]
    pub found: bool,
}

impl Param {
    /// The value `x` as a runs.csv cell: a number, or a choice's variant name.
    pub fn cell(&self, x: f64) -> String {
        match self.kind {
            Kind::Choice(_) => self.kind.show(x),
            _ => crate::output::journal::num(x),
        }
    }
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
        let values: Vec<(&str, &Kind, f64)> = self
            .params
            .iter()
            .zip(point)
            .map(|(p, &x)| (p.path.as_str(), &p.kind, x))
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
pub(super) struct Checker {
    index: SpanIndex,
    errors: Vec<Diagnostic>,
}

impl Checker {
    pub(super) fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        let path = path.into();
        self.errors.push(Diagnostic {
            location: self.index.locate(&path),
            path: Some(path),
            message: message.into(),
        });
    }
}

fn read(path: &Path) -> Result<String, SpecError> {
    crate::input::read_to_string(path, crate::input::InputKind::Text).map_err(|source| {
        SpecError::Read {
            origin: path.display().to_string(),
            source,
        }
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
pub(super) fn open<T: for<'de> Deserialize<'de>>(
    file: &Path,
) -> Result<(String, T, Checker), SpecError> {
    open_text(file, &read(file)?)
}

/// Parses `text` as the contents of `file`.
pub(super) fn open_text<T: for<'de> Deserialize<'de>>(
    file: &Path,
    text: &str,
) -> Result<(String, T, Checker), SpecError> {
    let origin = file.display().to_string();
    let raw = parse_ron(text, &origin)?;
    let checker = Checker {
        index: SpanIndex::scan(text),
        errors: Vec::new(),
    };
    Ok((origin, raw, checker))
}

/// The errors found so far, if any.
pub(super) fn invalid(origin: &str, c: &mut Checker) -> Result<(), SpecError> {
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
pub(super) fn common(
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
            kind: probed.as_ref().cloned().unwrap_or(Kind::Real),
            bounds: *bounds,
            levels: Vec::new(),
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

/// Designs of at least this many points are checked on rayon's threads.
const PARALLEL_POINTS: usize = 2_000;

/// Checks that every design point gives a valid scenario (a rule across parameters, such as
/// the steward team's size, can fail on a combination of values each valid alone): the first
/// few failures are reported, so a sweep never fails half way through.
pub(super) fn check_points(c: &mut Checker, common: &Common, points: &[Vec<f64>]) {
    if common.params.iter().any(|p| !p.found) {
        return;
    }
    // Validating a point takes 10 to 50 microseconds: a large design goes over the threads; a
    // small one is checked here, without waiting for threads that may be busy with other work.
    let bad: Vec<bool> = if points.len() < PARALLEL_POINTS {
        points.iter().map(|p| common.scenario(p).is_err()).collect()
    } else {
        points
            .par_iter()
            .map(|p| common.scenario(p).is_err())
            .collect()
    };
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
pub(super) fn check_values(c: &mut Checker, common: &Common, values: &[Vec<f64>], what: &str) {
    for (i, p) in common.params.iter().enumerate().filter(|(_, p)| p.found) {
        for x in values.get(i).into_iter().flatten() {
            if let Err(e) = common.base.scenario(&[(&p.path, &p.kind, *x)]) {
                c.error(format!("parameters[{i}].{what}"), e.to_string());
                break;
            }
        }
    }
}

impl Sweep {
    pub fn parse(file: &Path) -> Result<Sweep, SpecError> {
        Sweep::parse_text(file, &read(file)?)
    }

    /// Parses `text` as the contents of `file` (which names it in messages; the base scenario
    /// is found beside it): what the fuzz target calls, without writing a file per input.
    pub fn parse_text(file: &Path, text: &str) -> Result<Sweep, SpecError> {
        let (origin, raw, mut c) = open_text::<RawSweep>(file, text)?;
        let paths: Vec<(String, (f64, f64))> = raw
            .parameters
            .iter()
            .map(|p| (p.path.clone(), p.range.unwrap_or((0.0, 1.0))))
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
        // Each parameter's values: its levels, or `steps` evenly spaced values over its range
        // (a choice: its levels, or every variant).
        let mut values: Vec<Vec<f64>> = Vec::new();
        let mut common = common;
        for (i, p) in raw.parameters.iter().enumerate() {
            let kind = common
                .params
                .get(i)
                .map(|q| q.kind.clone())
                .unwrap_or(Kind::Real);
            let choice = matches!(kind, Kind::Choice(_));
            let v: Vec<f64> = match (&p.levels, p.range, p.steps) {
                (Some(levels), None, None) if !levels.is_empty() => {
                    spec_levels::levels(&kind, levels).unwrap_or_else(|m| {
                        c.error(format!("parameters[{i}].levels"), m);
                        Vec::new()
                    })
                }
                (None, None, None) if choice => spec_levels::all_variants(&kind),
                (_, Some(_), _) | (_, _, Some(_)) if choice => {
                    c.error(
                        format!("parameters[{i}]"),
                        "a choice takes `levels: [\"...\", ...]` named by variant (or none: every variant), not a range",
                    );
                    Vec::new()
                }
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
            let v: Vec<f64> = v.into_iter().map(|x| kind.value(x)).collect();
            if let (true, Some(q)) = (choice, common.params.get_mut(i)) {
                q.levels = v.clone();
            }
            values.push(v);
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
                    let choice =
                        matches!(common.params.get(i).map(|q| &q.kind), Some(Kind::Choice(_)));
                    if p.range.is_none() && !choice {
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
                            .map(|(p, &x)| spec_levels::from_unit(p, x))
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
