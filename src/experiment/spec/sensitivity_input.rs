//! The parts of a sensitivity file beyond a sweep's: each parameter's input distribution, the
//! method's settings, and a design file read in SALib's text layout (a child of `spec`, so it
//! reports through the same located checker).

use std::path::{Path, PathBuf};

use super::super::distribution::Distribution;
use super::super::params::Kind;
use super::super::salib;
use super::super::spec_raw::{RawMethod, RawSensitivity};
use super::super::user_design;
use super::{
    Checker, Common, Diagnostic, Location, MAX_DESIGN_VALUES, Method, SpecError, design, scenario,
};

/// Each parameter's distribution: uniform over its `range` (whole numbers with equal weight
/// for a whole-number parameter), or its `distribution`; exactly one of the two.
pub(in crate::experiment) fn sensitivity_distributions(
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
            if common.params.get(i).is_some_and(|q| matches!(q.kind, Kind::Choice(_))) {
                // A choice: the unit interval, cut into its levels by `spec_levels::from_unit`
                // (its `levels`, range and distribution are checked by the caller).
                return fallback.clone();
            }
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
pub(in crate::experiment) fn sensitivity_method(
    c: &mut Checker,
    raw: &RawMethod,
    from_file: bool,
) -> Method {
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
pub(in crate::experiment) fn read_design(
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
    let f = crate::input::open(&path, crate::input::InputKind::Design).map_err(|source| {
        SpecError::Read {
            origin: origin.clone(),
            source,
        }
    })?;
    let (rows, lines) = salib::read_matrix_lines(f).map_err(|e| match e {
        salib::SalibError::Value {
            line,
            column,
            reason,
        } => fail(Some(line), column, reason),
        salib::SalibError::Parse { line, reason } => fail(Some(line), 1, reason),
        salib::SalibError::Io(e) => fail(None, 0, e.to_string()),
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
            format!(
                "{} rows of {k} values: at most {MAX_DESIGN_VALUES} values",
                rows.len()
            ),
        ));
    }
    let at = |e: user_design::DesignError| {
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
            let n = user_design::check_saltelli(&rows, k, second_order).map_err(at)?;
            if base_samples != 0 && base_samples != n {
                return Err(fail(
                    None,
                    0,
                    format!(
                        "has N = {n} base samples, but the method says base_samples: {base_samples}: leave base_samples out (the design file decides it)"
                    ),
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
            let unit = user_design::morris_steps(&rows, k, levels).map_err(at)?;
            let r = rows.len() / (k + 1);
            if trajectories != 0 && trajectories != r {
                return Err(fail(
                    None,
                    0,
                    format!(
                        "has {r} trajectories, but the method says trajectories: {trajectories}: leave trajectories out (the design file decides it)"
                    ),
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

/// towngov's own design for `method`: the unit-cube rows and their parameter values through
/// each distribution's inverse CDF.
pub(in crate::experiment) fn sampled_design(
    method: Method,
    k: usize,
    seed: u64,
    distributions: &[Distribution],
) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
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
        .map(|u| {
            distributions
                .iter()
                .zip(u)
                .map(|(d, &x)| d.quantile(x))
                .collect()
        })
        .collect();
    (unit, rows)
}
