//! Explore files (RON): reform options run in many plausible futures, for robust decision
//! making and scenario discovery (EMA Workbench's idea, built in). Two stages like sweeps:
//! serde reads [`RawExplore`], [`Explore::parse`] checks every field (errors at
//! `file:line:col` naming the field), loads the options relative to the file and draws the
//! futures (a Latin hypercube over the uncertain parameters' distributions, or weighted draws
//! from a CSV file such as a calibration's posterior).
//!
//! Run `i` is future `i / (options x replications)`, option `(i / replications) % options`,
//! replicate `i % replications`; its seed is `replicate_seed(seed, future x replications +
//! replicate)`, the same for every option of a future and replicate (common random numbers).
//! The uncertain parameters are set on top of each option's scenario through the registry
//! (`params.rs`). The analysis is in `explore_analysis.rs`.

use std::path::{Path, PathBuf};

use super::distribution::Distribution;
use super::explore_draws::{read_draws, systematic};
use super::explore_raw::{RawExplore, RawFutures, RawPrim};
use super::params::{Base, Kind, ParamError};
use super::prim::Settings;
use super::runner::{self, figure_names};
use super::spec::{Checker, MAX_PARAMETERS, MAX_TEXT_CHARS, Param, SpecError, invalid, open};
use super::{design, spec_levels};
use crate::scenario::{self, Scenario};
use crate::sim::rng::name_hash;

pub use super::explore_criteria::{Criterion, Op, default_name};
pub use super::explore_raw::{Change, Direction};
pub use super::explore_run::{ExploreRun, run};

/// The most options an explore file may name.
pub const MAX_OPTIONS: usize = 100;
/// The most futures.
pub const MAX_FUTURES: usize = 100_000;
/// Figures every explore keeps for its report, after the file's outputs and objective:
/// cases on time, participation, cost and budget balance, each against the reference.
pub const REPORT_FIGURES: [&str; 4] = [
    "total.on_time_share",
    "total.participation_rate_mean",
    "final.cost_total_yuan",
    "final.budget_balance_yuan",
];

/// One option: a scenario file whose parameters can be set by path.
#[derive(Clone, Debug)]
pub struct ExploreOption {
    /// The file as written in `options`.
    pub file: String,
    pub origin: String,
    pub scenario: Scenario,
    pub base: Base,
}

/// Where the futures came from.
#[derive(Clone, Debug, PartialEq)]
pub enum FuturesFrom {
    LatinHypercube {
        samples: usize,
        seed: u64,
    },
    /// `samples` drawn by weight from the `rows` rows of `file`.
    Draws {
        samples: usize,
        rows: usize,
        file: String,
        seed: u64,
    },
}

/// A validated explore file.
#[derive(Clone, Debug)]
pub struct Explore {
    pub name: String,
    pub options: Vec<ExploreOption>,
    pub reference: usize,
    pub days: u32,
    pub seed: u64,
    pub replications: u32,
    pub params: Vec<Param>,
    /// Each number's distribution (`None` for a choice or flag, sampled over its levels).
    pub distributions: Vec<Option<Distribution>>,
    /// Where the futures came from, in words (`Latin hypercube, 100 samples, seed 3`).
    pub design: String,
    /// The same, as data, for a report in another language.
    pub futures_from: FuturesFrom,
    /// Each future's parameter values.
    pub futures: Vec<Vec<f64>>,
    /// Figures kept per run: the outputs, then the objective's and criteria's indicators not
    /// among them.
    pub outputs: Vec<String>,
    pub objective: (String, Direction),
    pub failures: Vec<Criterion>,
    pub prim: Settings,
}

fn check_text(c: &mut Checker, path: impl Into<String>, text: &str) -> bool {
    let n = text.chars().count();
    if n > MAX_TEXT_CHARS {
        c.error(
            path,
            format!("must be at most {MAX_TEXT_CHARS} characters long, got {n}"),
        );
        return false;
    }
    true
}

fn check_figure(c: &mut Checker, path: String, name: &str, known: &[String]) {
    if !known.iter().any(|k| k == name) {
        let names: Vec<&str> = known.iter().map(String::as_str).collect();
        let hint = scenario::closest(name, &names)
            .map(|c| format!(", did you mean `{c}`?"))
            .unwrap_or_default();
        c.error(
            path,
            format!("`{name}` is not a figure of a run{hint} (`towngov figures` lists them)"),
        );
    }
}

fn load_option(file: &Path, name: &str) -> Result<ExploreOption, SpecError> {
    let path: PathBuf = file.parent().unwrap_or(Path::new(".")).join(name);
    let origin = path.display().to_string();
    let text =
        crate::input::read_to_string(&path, crate::input::InputKind::Text).map_err(|source| {
            SpecError::Read {
                origin: origin.clone(),
                source,
            }
        })?;
    let raw = scenario::parse_raw(&text, &origin)?;
    let scenario = scenario::parse(&text, &origin)?;
    Ok(ExploreOption {
        file: name.to_string(),
        origin,
        scenario,
        base: Base::new(&raw),
    })
}

impl Explore {
    pub fn parse(file: &Path) -> Result<Explore, SpecError> {
        let (origin, raw, mut c) = open::<RawExplore>(file)?;
        // Sizes first, before loading or building anything.
        if let Some(n) = &raw.name {
            check_text(&mut c, "name", n);
        }
        if raw.options.len() < 2 || raw.options.len() > MAX_OPTIONS {
            c.error(
                "options",
                format!(
                    "name between 2 and {MAX_OPTIONS} scenario files (the reference and the options compared with it), got {}",
                    raw.options.len()
                ),
            );
        }
        for (i, o) in raw.options.iter().enumerate() {
            if o.chars().count() > super::spec::MAX_BASE_CHARS {
                c.error(format!("options[{i}]"), "path too long");
            }
        }
        if raw.parameters.is_empty() || raw.parameters.len() > MAX_PARAMETERS {
            c.error(
                "parameters",
                format!(
                    "name between 1 and {MAX_PARAMETERS} uncertain parameters, got {}",
                    raw.parameters.len()
                ),
            );
        }
        for (i, p) in raw.parameters.iter().enumerate() {
            check_text(&mut c, format!("parameters[{i}].path"), &p.path);
        }
        let samples = match &raw.futures {
            RawFutures::LatinHypercube { samples, .. } | RawFutures::Draws { samples, .. } => {
                *samples
            }
        };
        if !(1..=MAX_FUTURES).contains(&samples) {
            c.error(
                "futures.samples",
                format!("must be between 1 and {MAX_FUTURES}, got {samples}"),
            );
        }
        let replications = raw.replications.unwrap_or(1);
        if !(1..=1000).contains(&replications) {
            c.error(
                "replications",
                format!("must be between 1 and 1000, got {replications}"),
            );
        }
        let outputs_raw = raw.outputs.clone().unwrap_or_else(|| {
            super::indicators::key()
                .into_iter()
                .map(|m| m.name)
                .collect()
        });
        if outputs_raw.len() > MAX_PARAMETERS {
            c.error("outputs", format!("at most {MAX_PARAMETERS} figures"));
        }
        let failures_raw = raw.failures.clone().unwrap_or_default();
        if failures_raw.len() > 100 {
            c.error("failures", "at most 100 criteria");
        }
        for (i, o) in outputs_raw.iter().enumerate() {
            check_text(&mut c, format!("outputs[{i}]"), o);
        }
        check_text(&mut c, "objective.indicator", &raw.objective.indicator);
        invalid(&origin, &mut c)?;
        let n_runs = (samples as u64)
            .saturating_mul(raw.options.len() as u64)
            .saturating_mul(u64::from(replications));
        if n_runs > super::spec::MAX_RUNS {
            c.error(
                "futures.samples",
                format!(
                    "{samples} futures x {} options x {replications} replications = {n_runs} runs; at most {}",
                    raw.options.len(),
                    super::spec::MAX_RUNS
                ),
            );
            invalid(&origin, &mut c)?;
        }

        // Options.
        let mut options = Vec::new();
        for o in &raw.options {
            options.push(load_option(file, o)?);
        }
        let reference = match &raw.reference {
            None => 0,
            Some(r) => match options
                .iter()
                .position(|o| &o.file == r || &o.scenario.name == r)
            {
                Some(i) => i,
                None => {
                    let names: Vec<String> =
                        options.iter().map(|o| format!("\"{}\"", o.file)).collect();
                    c.error(
                        "reference",
                        format!(
                            "`{r}` is neither an option's file nor its scenario's name; one of {}",
                            names.join(", ")
                        ),
                    );
                    0
                }
            },
        };
        let town = |s: &Scenario| serde_json::to_value(&s.town).unwrap_or_default();
        for (i, o) in options.iter().enumerate() {
            if town(&o.scenario) != town(&options[reference].scenario) {
                c.error(
                    format!("options[{i}]"),
                    format!(
                        "{} is another town than the reference {}: options must differ in levers only, so that futures compare like with like",
                        o.origin, options[reference].origin
                    ),
                );
            }
        }
        let days = raw.days.unwrap_or(options[reference].scenario.days);
        if !(1..=36_500).contains(&days) {
            c.error("days", format!("must be between 1 and 36500, got {days}"));
        }
        let seed = raw.seed.unwrap_or(options[reference].scenario.seed);

        // Uncertain parameters: known to every option, with a distribution or levels.
        let mut params = Vec::new();
        let mut distributions = Vec::new();
        let draws = matches!(raw.futures, RawFutures::Draws { .. });
        for (i, p) in raw.parameters.iter().enumerate() {
            if raw.parameters[..i].iter().any(|q| q.path == p.path) {
                c.error(
                    format!("parameters[{i}].path"),
                    format!("`{}` is named twice", p.path),
                );
            }
            let mut kind = None;
            for o in &options {
                match o.base.probe(&p.path) {
                    Ok(k) => kind = kind.or(Some(k)),
                    Err(e) => {
                        c.error(
                            format!("parameters[{i}].path"),
                            format!("{e} (in {})", o.origin),
                        );
                        kind = None;
                        break;
                    }
                }
            }
            let found = kind.is_some();
            let kind = kind.unwrap_or(Kind::Real);
            let mut param = Param {
                path: p.path.clone(),
                kind: kind.clone(),
                bounds: (0.0, 1.0),
                levels: Vec::new(),
                found,
            };
            let mut dist = None;
            let at = |f: &str| format!("parameters[{i}]{f}");
            match (&kind, p.range, &p.distribution, &p.levels) {
                _ if !found => {}
                (_, None, None, None) if draws && !matches!(kind, Kind::Choice(_)) => {}
                (Kind::Flag, None, None, None) => {
                    // Off or on with equal weight (on from 0.5 of the unit interval).
                    param.levels = vec![0.0, 1.0];
                }
                (Kind::Flag, _, _, _) => c.error(
                    at(""),
                    "a flag is sampled off and on with equal weight: give no `range`, `distribution` or `levels`",
                ),
                (Kind::Choice(_), None, None, levels) => {
                    param.levels = match levels {
                        Some(l) if !draws => spec_levels::levels(&kind, l).unwrap_or_else(|m| {
                            c.error(at(".levels"), m);
                            Vec::new()
                        }),
                        _ => spec_levels::all_variants(&kind),
                    };
                    if param.levels.is_empty() {
                        c.error(at(".levels"), "name at least one variant");
                    }
                }
                (Kind::Choice(_), _, _, _) => c.error(
                    at(""),
                    "a choice takes `levels: [\"...\", ...]` named by variant (or none: every variant), not a range or distribution",
                ),
                (_, Some((lo, hi)), None, None) => {
                    match Distribution::uniform(lo, hi, matches!(kind, Kind::Whole)) {
                        Ok(d) => dist = Some(d),
                        Err(e) => c.error(at(".range"), e.message),
                    }
                }
                (_, None, Some(d), None) => {
                    match Distribution::from_raw(d, matches!(kind, Kind::Whole)) {
                        Ok(d) => dist = Some(d),
                        Err(e) => c.error(at(&format!(".distribution{}", e.field)), e.message),
                    }
                }
                _ => c.error(
                    at(""),
                    "give one of `range: (lower, upper)` or `distribution: ...` for a number, `levels: [...]` for a choice",
                ),
            }
            if let Some(d) = &dist {
                param.bounds = d.support().unwrap_or((f64::NAN, f64::NAN));
            }
            params.push(param);
            distributions.push(dist);
        }

        // Outputs, objective, criteria.
        let known = figure_names();
        for (i, o) in outputs_raw.iter().enumerate() {
            check_figure(&mut c, format!("outputs[{i}]"), o, &known);
        }
        let mut outputs = outputs_raw.clone();
        check_figure(
            &mut c,
            "objective.indicator".into(),
            &raw.objective.indicator,
            &known,
        );
        let mut push = |o: &str| {
            if !outputs.iter().any(|x| x == o) {
                outputs.push(o.to_string());
            }
        };
        push(&raw.objective.indicator);
        // The report's columns against the reference (on time, participation, cost, budget
        // balance) are kept whatever the file lists.
        for k in REPORT_FIGURES {
            push(k);
        }
        let mut failures = Vec::new();
        for (i, f) in failures_raw.iter().enumerate() {
            let at = |x: &str| format!("failures[{i}]{x}");
            if !check_text(&mut c, at(".indicator"), &f.indicator) {
                continue;
            }
            check_figure(&mut c, at(".indicator"), &f.indicator, &known);
            push(&f.indicator);
            if let Some(n) = &f.name {
                check_text(&mut c, at(".name"), n);
            }
            let given: Vec<(Op, f64)> = [
                (Op::Above, f.above),
                (Op::AtLeast, f.at_least),
                (Op::Below, f.below),
                (Op::AtMost, f.at_most),
            ]
            .into_iter()
            .filter_map(|(op, t)| t.map(|t| (op, t)))
            .collect();
            let &[(op, threshold)] = given.as_slice() else {
                c.error(
                    at(""),
                    format!(
                        "give exactly one of `above`, `at_least`, `below`, `at_most`, got {}",
                        given.len()
                    ),
                );
                continue;
            };
            if !threshold.is_finite() {
                c.error(
                    at(""),
                    format!("the threshold must be a finite number, got {threshold}"),
                );
                continue;
            }
            let criterion = Criterion {
                name: String::new(),
                indicator: f.indicator.clone(),
                change: f.change,
                op,
                threshold,
            };
            let name = f.name.clone().unwrap_or_else(|| default_name(&criterion));
            failures.push(Criterion { name, ..criterion });
        }
        let prim = prim_settings(&mut c, raw.prim.as_ref());
        invalid(&origin, &mut c)?;

        // Futures.
        let (futures, design, futures_from) = match &raw.futures {
            RawFutures::LatinHypercube { samples, seed: s } => {
                let s = s.unwrap_or(seed);
                let lhs = design::latin_hypercube(*samples, params.len(), s);
                let rows = lhs
                    .iter()
                    .map(|u| {
                        params
                            .iter()
                            .zip(&distributions)
                            .zip(u)
                            .map(|((p, d), &x)| match d {
                                Some(d) => p.kind.value(d.quantile(x)),
                                None => spec_levels::from_unit(p, x),
                            })
                            .collect()
                    })
                    .collect();
                (
                    rows,
                    format!("Latin hypercube of {samples} futures, seed {s}"),
                    FuturesFrom::LatinHypercube {
                        samples: *samples,
                        seed: s,
                    },
                )
            }
            RawFutures::Draws {
                file: draws_file,
                samples,
                seed: s,
            } => {
                let s = s.unwrap_or(seed);
                let path = file.parent().unwrap_or(Path::new(".")).join(draws_file);
                let rows = read_draws(&path, &params)?;
                let picked = systematic(&rows.1, *samples, s);
                let futures: Vec<Vec<f64>> = picked.iter().map(|&k| rows.0[k].clone()).collect();
                for (j, p) in params.iter_mut().enumerate() {
                    if !matches!(p.kind, Kind::Choice(_)) {
                        let col = rows.0.iter().map(|r| r[j]);
                        p.bounds = (
                            col.clone().fold(f64::INFINITY, f64::min),
                            col.fold(f64::NEG_INFINITY, f64::max),
                        );
                    }
                }
                (
                    futures,
                    format!(
                        "{samples} futures drawn by weight from the {} rows of {}, seed {s}",
                        rows.0.len(),
                        path.display()
                    ),
                    FuturesFrom::Draws {
                        samples: *samples,
                        rows: rows.0.len(),
                        file: path.display().to_string(),
                        seed: s,
                    },
                )
            }
        };
        // Every future gives a valid scenario for every option.
        for (o, opt) in options.iter().enumerate() {
            let bad = futures
                .iter()
                .enumerate()
                .find_map(|(f, point)| scenario_of(opt, &params, point).err().map(|e| (f, e)));
            if let Some((f, e)) = bad {
                let at = match &e {
                    ParamError::Invalid { path, .. } | ParamError::Unknown { path, .. } => params
                        .iter()
                        .position(|p| &p.path == path)
                        .map_or("parameters".to_string(), |i| format!("parameters[{i}]")),
                };
                c.error(
                    at,
                    format!(
                        "future {f} is not a valid scenario for option {o} ({}): {e}",
                        opt.origin
                    ),
                );
            }
        }
        invalid(&origin, &mut c)?;
        Ok(Explore {
            name: raw.name.clone().unwrap_or_else(|| {
                file.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            }),
            options,
            reference,
            days,
            seed,
            replications,
            params,
            distributions,
            design,
            futures_from,
            futures,
            outputs,
            objective: (raw.objective.indicator.clone(), raw.objective.better),
            failures,
            prim,
        })
    }

    /// Runs in all: futures x options x replications.
    pub fn n_runs(&self) -> usize {
        self.futures.len() * self.options.len() * self.replications as usize
    }

    /// Run `i`: (future, option, replicate).
    pub fn run_of(&self, i: usize) -> (usize, usize, usize) {
        let reps = self.replications as usize;
        let per_future = self.options.len() * reps;
        (i / per_future, (i % per_future) / reps, i % reps)
    }

    /// The seed of replicate `r` in future `f`, the same for every option.
    pub fn seed_of(&self, future: usize, replicate: usize) -> u64 {
        runner::replicate_seed(
            self.seed,
            (future * self.replications as usize + replicate) as u64,
        )
    }

    /// The scenario of option `o` in future `f`.
    pub fn scenario(&self, option: usize, future: usize) -> Result<Scenario, ParamError> {
        scenario_of(&self.options[option], &self.params, &self.futures[future])
    }

    /// The columns of `runs.csv`.
    pub fn header(&self) -> Vec<String> {
        let mut h = crate::output::run_columns(&["future", "option"]);
        h.extend(self.params.iter().map(|p| p.path.clone()));
        h.extend(self.outputs.iter().cloned());
        h
    }

    /// A fingerprint of everything that decides the runs' rows (not the analysis settings):
    /// shards share it, a resumed or merged explore checks it.
    pub fn fingerprint(&self) -> String {
        let what = serde_json::json!({
            "kind": "explore",
            "version": crate::VERSION,
            "options": self.options.iter().map(|o| &o.scenario).collect::<Vec<_>>(),
            "days": self.days,
            "seed": self.seed,
            "replications": self.replications,
            "params": self.params,
            "futures": self.futures,
            "outputs": self.outputs,
        });
        format!("{:016x}", name_hash(&what.to_string()))
    }
}

fn prim_settings(c: &mut Checker, raw: Option<&RawPrim>) -> Settings {
    let d = Settings::default();
    let Some(raw) = raw else { return d };
    let mut get = |name: &str, v: Option<f64>, def: f64, lo: f64, hi: f64| -> f64 {
        match v {
            Some(x) if x.is_finite() && x > lo && x < hi => x,
            Some(x) => {
                c.error(
                    format!("prim.{name}"),
                    format!("must be above {lo} and below {hi}, got {x}"),
                );
                def
            }
            None => def,
        }
    };
    Settings {
        peel_alpha: get("peel_alpha", raw.peel_alpha, d.peel_alpha, 0.0, 0.5),
        paste_alpha: get("paste_alpha", raw.paste_alpha, d.paste_alpha, 0.0, 0.5),
        mass_min: get("mass_min", raw.mass_min, d.mass_min, 0.0, 1.0),
        min_coverage: get(
            "min_coverage",
            raw.min_coverage,
            d.min_coverage,
            0.0,
            1.0 + 1e-9,
        ),
    }
}

fn scenario_of(o: &ExploreOption, params: &[Param], point: &[f64]) -> Result<Scenario, ParamError> {
    let values: Vec<(&str, &Kind, f64)> = params
        .iter()
        .zip(point)
        .map(|(p, &x)| (p.path.as_str(), &p.kind, x))
        .collect();
    o.base.scenario(&values)
}
