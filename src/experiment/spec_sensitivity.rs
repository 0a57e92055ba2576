//! Sensitivity files (stage two of `spec.rs` for `Sensitivity(...)`): each parameter's range
//! (a choice: its levels, default every variant), the method and its design.

use std::path::Path;

use super::design;
use super::params::Kind;
use super::spec::{
    Method, Sensitivity, SpecError, check_points, check_values, common, invalid, open,
};
use super::spec_levels;
use super::limits::DesignSize;
use super::spec_raw::{RawMethod, RawSensitivity};

impl Sensitivity {
    pub fn parse(file: &Path) -> Result<Sensitivity, SpecError> {
        let (origin, raw, mut c) = open::<RawSensitivity>(file)?;
        let paths: Vec<(String, (f64, f64))> = raw
            .parameters
            .iter()
            .map(|p| (p.path.clone(), p.range.unwrap_or((0.0, 1.0))))
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
        for (i, p) in raw.parameters.iter().enumerate() {
            let Some(q) = common.params.get_mut(i) else {
                continue;
            };
            if let Kind::Choice(_) = q.kind {
                // A choice is sampled over its levels: [0, 1) cut into equal parts.
                q.levels = match (&p.levels, p.range) {
                    (_, Some(_)) => {
                        c.error(
                            format!("parameters[{i}].range"),
                            "a choice takes `levels: [\"...\", ...]` named by variant (or none: every variant), not a range",
                        );
                        Vec::new()
                    }
                    (Some(levels), None) => spec_levels::levels(&q.kind, levels)
                        .unwrap_or_else(|m| {
                            c.error(format!("parameters[{i}].levels"), m);
                            Vec::new()
                        }),
                    (None, None) => spec_levels::all_variants(&q.kind),
                };
                if q.levels.len() < 2 && q.found {
                    c.error(
                        format!("parameters[{i}].levels"),
                        "a choice needs at least two levels to vary",
                    );
                }
                q.bounds = (0.0, q.levels.len().max(1) as f64);
                continue;
            }
            if p.levels.is_some() {
                c.error(
                    format!("parameters[{i}].levels"),
                    "only a choice takes `levels` here; give a number `range: (lower, upper)`",
                );
            }
            let Some((lo, hi)) = p.range else {
                c.error(
                    format!("parameters[{i}].range"),
                    "give `range: (lower, upper)`",
                );
                continue;
            };
            if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                c.error(
                    format!("parameters[{i}].range"),
                    format!("must be (lower, upper) with finite lower < upper, got ({lo}, {hi})"),
                );
            }
        }
        let ends: Vec<Vec<f64>> = common
            .params
            .iter()
            .map(|p| match p.kind {
                Kind::Choice(_) => p.levels.clone(),
                _ => vec![p.bounds.0, p.bounds.1],
            })
            .collect();
        check_values(&mut c, &common, &ends, "range");
        let k = common.params.len();
        let method = match raw.method {
            RawMethod::Morris {
                trajectories,
                levels,
            } => {
                let levels = levels.unwrap_or(4);
                if !(2..=100_000).contains(&trajectories) {
                    c.error(
                        "method.trajectories",
                        format!("must be between 2 and 100000, got {trajectories}"),
                    );
                }
                if !(2..=64).contains(&levels) || levels % 2 == 1 {
                    c.error(
                        "method.levels",
                        format!("must be an even number between 2 and 64, got {levels}"),
                    );
                }
                Method::Morris {
                    trajectories,
                    levels,
                }
            }
            RawMethod::Sobol {
                base_samples,
                bootstrap,
            } => {
                let bootstrap = bootstrap.unwrap_or(500);
                if !(2..=design::SOBOL_MAX_POINTS).contains(&base_samples) {
                    c.error(
                        "method.base_samples",
                        format!(
                            "must be between 2 and {}, got {base_samples}",
                            design::SOBOL_MAX_POINTS
                        ),
                    );
                }
                if bootstrap > 100_000 {
                    c.error(
                        "method.bootstrap",
                        format!("must be at most 100000, got {bootstrap}"),
                    );
                }
                Method::Sobol {
                    base_samples,
                    bootstrap,
                }
            }
        };
        let n_points = match method {
            Method::Morris { trajectories, .. } => (trajectories as u64).checked_mul(k as u64 + 1),
            Method::Sobol { base_samples, .. } => (base_samples as u64).checked_mul(k as u64 + 2),
        };
        let what = match method {
            Method::Morris { .. } => "the Morris design",
            Method::Sobol { .. } => "the Sobol (Saltelli) design",
        };
        if let Err(e) = DesignSize::check(n_points, k, common.replications, what) {
            c.error("method", e);
        }
        invalid(&origin, &mut c)?;
        let seed = common.seed;
        let unit_design = match method {
            Method::Morris {
                trajectories,
                levels,
            } => design::morris_trajectories(k, trajectories, levels, seed),
            Method::Sobol { base_samples, .. } => design::saltelli(k, base_samples, seed),
        };
        let points: Vec<Vec<f64>> = unit_design
            .iter()
            .map(|u| {
                common
                    .params
                    .iter()
                    .zip(u)
                    .map(|(p, &x)| spec_levels::from_unit(p, x))
                    .collect()
            })
            .collect();
        check_points(&mut c, &common, &points);
        invalid(&origin, &mut c)?;
        Ok(Sensitivity {
            bootstrap_seed: raw.bootstrap_seed.unwrap_or(seed ^ 0xb007),
            common,
            method,
            unit_design,
            points,
        })
    }

    pub fn n_runs(&self) -> usize {
        self.points.len() * self.common.replications as usize
    }
}
