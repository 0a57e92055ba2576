//! Sensitivity files (stage two of `spec.rs` for `Sensitivity(...)`): each parameter's range or
//! input distribution (a choice: its levels, default every variant, with equal weight), the
//! method, and its design (towngov's own, or a design file in SALib's layout).

use std::path::Path;

use super::limits::DesignSize;
use super::params::Kind;
use super::spec::sensitivity_input::{
    read_design, sampled_design, sensitivity_distributions, sensitivity_method,
};
use super::spec::{
    Method, Sensitivity, SpecError, check_points, check_values, common, invalid, open_text,
};
use super::spec_levels;
use super::spec_raw::RawSensitivity;

impl Sensitivity {
    pub fn parse(file: &Path) -> Result<Sensitivity, SpecError> {
        let text = crate::input::read_to_string(file, crate::input::InputKind::Text).map_err(
            |source| SpecError::Read {
                origin: file.display().to_string(),
                source,
            },
        )?;
        Sensitivity::parse_text(file, &text)
    }

    /// Parses `text` as the contents of `file` (which names it in messages; the base scenario
    /// and a design file are found beside it).
    pub fn parse_text(file: &Path, text: &str) -> Result<Sensitivity, SpecError> {
        let (origin, raw, mut c) = open_text::<RawSensitivity>(file, text)?;
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
        let from_file = raw.design.is_some();
        for (i, p) in raw.parameters.iter().enumerate() {
            let Some(q) = common.params.get_mut(i) else {
                continue;
            };
            if !matches!(q.kind, Kind::Choice(_)) {
                if p.levels.is_some() {
                    c.error(
                        format!("parameters[{i}].levels"),
                        "only a choice takes `levels` here; give a number `range: (lower, upper)` or a `distribution`",
                    );
                }
                continue;
            }
            // A choice is sampled over its levels: [0, 1) cut into equal parts.
            if p.range.is_some() {
                c.error(
                    format!("parameters[{i}].range"),
                    "a choice takes `levels: [\"...\", ...]` named by variant (or none: every variant), not a range",
                );
            }
            if p.distribution.is_some() {
                c.error(
                    format!("parameters[{i}].distribution"),
                    "a choice is sampled over its `levels` with equal weight and takes no distribution: remove it",
                );
            }
            if from_file {
                c.error(
                    format!("parameters[{i}]"),
                    "a design file cannot vary a choice yet: leave out `design` (towngov's own design samples it) or fix the choice in the base scenario",
                );
            }
            q.levels = match &p.levels {
                Some(levels) => spec_levels::levels(&q.kind, levels).unwrap_or_else(|m| {
                    c.error(format!("parameters[{i}].levels"), m);
                    Vec::new()
                }),
                None => spec_levels::all_variants(&q.kind),
            };
            if q.levels.len() < 2 && q.found {
                c.error(
                    format!("parameters[{i}].levels"),
                    "a choice needs at least two levels to vary",
                );
            }
        }
        let distributions = sensitivity_distributions(&mut c, &raw, &common);
        let ends: Vec<Vec<f64>> = common
            .params
            .iter()
            .zip(&distributions)
            .map(|(p, d)| match p.kind {
                Kind::Choice(_) => p.levels.clone(),
                _ => d.support().map(|(lo, hi)| vec![lo, hi]).unwrap_or_default(),
            })
            .collect();
        check_values(&mut c, &common, &ends, "range");
        let k = common.params.len();
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
        if !from_file {
            let n_points = match method {
                Method::Morris { trajectories, .. } => {
                    (trajectories as u64).checked_mul(k as u64 + 1)
                }
                Method::Sobol {
                    base_samples,
                    second_order,
                    ..
                } => (base_samples as u64).checked_mul(if second_order {
                    2 * k as u64 + 2
                } else {
                    k as u64 + 2
                }),
            };
            let what = match method {
                Method::Morris { .. } => "the Morris design",
                Method::Sobol { .. } => "the Sobol (Saltelli) design",
            };
            if let Err(e) = DesignSize::check(n_points, k, common.replications, what) {
                c.error("method", e);
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
                let (unit, rows) = sampled_design(method, k, seed, &distributions);
                (method, unit, rows)
            }
        };
        // A choice's row value is its unit coordinate (its distribution is uniform on [0, 1]),
        // mapped to one of its levels.
        let points: Vec<Vec<f64>> = rows
            .iter()
            .map(|row: &Vec<f64>| {
                row.iter()
                    .zip(&common.params)
                    .map(|(&x, p)| match p.kind {
                        Kind::Choice(_) => spec_levels::from_unit(p, x),
                        _ => p.kind.value(x),
                    })
                    .collect()
            })
            .collect();
        // The range each parameter spans, for SALib's problem file: its distribution's
        // support, or where it has none (an untruncated normal) the values the design takes; a
        // choice's variant indices span (0, number of levels).
        for (i, (p, d)) in common.params.iter_mut().zip(&distributions).enumerate() {
            if let Kind::Choice(_) = p.kind {
                p.bounds = (0.0, p.levels.len().max(1) as f64);
                continue;
            }
            p.bounds = d.support().unwrap_or_else(|| {
                points
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
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
