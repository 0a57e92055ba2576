//! Input distributions of a sensitivity analysis's factors. A design is drawn in the unit
//! cube; each coordinate `u` becomes a parameter value through its distribution's inverse CDF
//! (quantile function), as SALib's `dists` do, so the same design serves any distribution.
//! Whole-number parameters with a uniform range take each whole value in it with equal weight.

use serde::Deserialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// A distribution as written in a sensitivity file (`distribution: Normal(mean: 0.5, sd: 0.1)`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub enum RawDistribution {
    Uniform {
        low: f64,
        high: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
        /// `(lower, upper)`: the normal restricted to this interval.
        truncate: Option<(f64, f64)>,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
    LogUniform {
        low: f64,
        high: f64,
    },
    Discrete {
        values: Vec<f64>,
        /// Relative weights, one per value (default: equal).
        weights: Option<Vec<f64>>,
    },
}

/// Most values a discrete distribution may list.
pub const MAX_DISCRETE_VALUES: usize = 10_000;

/// A validated distribution.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum Distribution {
    /// Uniform on `[low, high]`.
    Uniform {
        low: f64,
        high: f64,
    },
    /// Each whole number `low..=high` with equal probability.
    WholeUniform {
        low: f64,
        high: f64,
    },
    /// Normal, optionally truncated to `[lower, upper]`.
    Normal {
        mean: f64,
        sd: f64,
        truncate: Option<(f64, f64)>,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
    /// `ln x` uniform on `[ln low, ln high]`.
    LogUniform {
        low: f64,
        high: f64,
    },
    /// `values[i]` with probability `weights[i] / sum(weights)`.
    Discrete {
        values: Vec<f64>,
        /// Cumulative probabilities, the last exactly 1.
        cumulative: Vec<f64>,
    },
}

/// Why a distribution is invalid: the field under `distribution` (empty for the whole) and
/// what to fix.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct DistributionError {
    /// `""`, `.sd`, `.weights`...: appended to the parameter's path in the file.
    pub field: String,
    pub message: String,
}

fn bad(field: &str, message: String) -> DistributionError {
    DistributionError {
        field: field.to_string(),
        message,
    }
}

fn finite_ordered(field: &str, low: f64, high: f64) -> Result<(), DistributionError> {
    if low.is_finite() && high.is_finite() && low < high {
        Ok(())
    } else {
        Err(bad(
            field,
            format!("needs finite low < high, got low {low} and high {high}"),
        ))
    }
}

impl Distribution {
    /// Checks a distribution read from a file. `whole` makes a uniform range one of equally
    /// likely whole numbers (`ceil(low)..=floor(high)`, at least one).
    pub fn from_raw(raw: &RawDistribution, whole: bool) -> Result<Self, DistributionError> {
        match raw {
            &RawDistribution::Uniform { low, high } => Self::uniform(low, high, whole),
            &RawDistribution::Normal { mean, sd, truncate } => {
                if !mean.is_finite() {
                    return Err(bad(".mean", format!("must be a finite number, got {mean}")));
                }
                if !(sd.is_finite() && sd > 0.0) {
                    return Err(bad(
                        ".sd",
                        format!("must be a finite number above 0, got {sd}"),
                    ));
                }
                if let Some((a, b)) = truncate {
                    finite_ordered(".truncate", a, b)?;
                    let (pa, pb) = normal_cdf_range(mean, sd, a, b);
                    if !(pb - pa > 1e-9) {
                        return Err(bad(
                            ".truncate",
                            format!(
                                "({a}, {b}) holds almost none of the normal's probability (mean {mean}, sd {sd}): truncate nearer the mean"
                            ),
                        ));
                    }
                }
                Ok(Distribution::Normal { mean, sd, truncate })
            }
            &RawDistribution::Triangular { low, mode, high } => {
                finite_ordered("", low, high)?;
                if !(low..=high).contains(&mode) {
                    return Err(bad(
                        ".mode",
                        format!("must be between low {low} and high {high}, got {mode}"),
                    ));
                }
                Ok(Distribution::Triangular { low, mode, high })
            }
            &RawDistribution::LogUniform { low, high } => {
                finite_ordered("", low, high)?;
                if low <= 0.0 {
                    return Err(bad(".low", format!("must be above 0, got {low}")));
                }
                Ok(Distribution::LogUniform { low, high })
            }
            RawDistribution::Discrete { values, weights } => {
                if values.is_empty() || values.len() > MAX_DISCRETE_VALUES {
                    return Err(bad(
                        ".values",
                        format!(
                            "must list between 1 and {MAX_DISCRETE_VALUES} values, got {}",
                            values.len()
                        ),
                    ));
                }
                if let Some(v) = values.iter().find(|v| !v.is_finite()) {
                    return Err(bad(".values", format!("must be finite numbers, got {v}")));
                }
                let w = match weights {
                    None => vec![1.0; values.len()],
                    Some(w) if w.len() != values.len() => {
                        return Err(bad(
                            ".weights",
                            format!(
                                "needs one weight per value: {} values, {} weights",
                                values.len(),
                                w.len()
                            ),
                        ));
                    }
                    Some(w) => {
                        if let Some(x) = w.iter().find(|x| !(x.is_finite() && **x >= 0.0)) {
                            return Err(bad(
                                ".weights",
                                format!("must be finite numbers of at least 0, got {x}"),
                            ));
                        }
                        w.clone()
                    }
                };
                let total: f64 = w.iter().sum();
                if !(total > 0.0 && total.is_finite()) {
                    return Err(bad(
                        ".weights",
                        format!("must add up to a finite number above 0, got {total}"),
                    ));
                }
                let mut acc = 0.0;
                let mut cumulative: Vec<f64> = w
                    .iter()
                    .map(|x| {
                        acc += x;
                        acc / total
                    })
                    .collect();
                if let Some(last) = cumulative.last_mut() {
                    *last = 1.0;
                }
                Ok(Distribution::Discrete {
                    values: values.clone(),
                    cumulative,
                })
            }
        }
    }

    /// The default: uniform over a `range` (whole numbers with equal weight when `whole`).
    pub fn uniform(low: f64, high: f64, whole: bool) -> Result<Self, DistributionError> {
        finite_ordered("", low, high)?;
        if whole {
            let (lo, hi) = (low.ceil(), high.floor());
            if lo > hi {
                return Err(bad(
                    "",
                    format!("({low}, {high}) holds no whole number for a whole-number parameter"),
                ));
            }
            return Ok(Distribution::WholeUniform { low: lo, high: hi });
        }
        Ok(Distribution::Uniform { low, high })
    }

    /// The value at unit-cube coordinate `u` (in `[0, 1]`): the inverse CDF. A `u` of exactly
    /// 0 or 1 gives the support's end (infinite for an untruncated normal).
    pub fn quantile(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        match self {
            &Distribution::Uniform { low, high } => low + u * (high - low),
            &Distribution::WholeUniform { low, high } => {
                (low + u * (high - low + 1.0)).floor().min(high)
            }
            &Distribution::Normal { mean, sd, truncate } => match truncate {
                None => standard_normal().inverse_cdf(u) * sd + mean,
                Some((a, b)) => {
                    let (pa, pb) = normal_cdf_range(mean, sd, a, b);
                    (mean + sd * standard_normal().inverse_cdf(pa + u * (pb - pa))).clamp(a, b)
                }
            },
            &Distribution::Triangular { low, mode, high } => {
                let width = high - low;
                let peak = (mode - low) / width;
                if u < peak {
                    low + (u * width * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u) * width * (high - mode)).sqrt()
                }
            }
            &Distribution::LogUniform { low, high } => (low.ln() + u * (high.ln() - low.ln()))
                .exp()
                .clamp(low, high),
            Distribution::Discrete { values, cumulative } => {
                let i = cumulative
                    .partition_point(|&c| c <= u)
                    .min(values.len() - 1);
                values[i]
            }
        }
    }

    /// The interval the values lie in, when it is finite (not for an untruncated normal).
    pub fn support(&self) -> Option<(f64, f64)> {
        match self {
            &Distribution::Uniform { low, high }
            | &Distribution::WholeUniform { low, high }
            | &Distribution::Triangular { low, high, .. }
            | &Distribution::LogUniform { low, high } => Some((low, high)),
            Distribution::Normal { truncate, .. } => *truncate,
            Distribution::Discrete { values, .. } => Some(
                values
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                        (lo.min(v), hi.max(v))
                    }),
            ),
        }
    }

    /// The name used in messages and in the files (`uniform`, `normal`...).
    pub fn name(&self) -> &'static str {
        match self {
            Distribution::Uniform { .. } => "uniform",
            Distribution::WholeUniform { .. } => "whole-number uniform",
            Distribution::Normal { truncate: None, .. } => "normal",
            Distribution::Normal { .. } => "truncated normal",
            Distribution::Triangular { .. } => "triangular",
            Distribution::LogUniform { .. } => "log-uniform",
            Distribution::Discrete { .. } => "discrete",
        }
    }
}

fn standard_normal() -> Normal {
    // Mean 0 and sd 1 are valid parameters.
    Normal::standard()
}

/// `(Φ((a - mean) / sd), Φ((b - mean) / sd))`.
fn normal_cdf_range(mean: f64, sd: f64, a: f64, b: f64) -> (f64, f64) {
    let n = standard_normal();
    (n.cdf((a - mean) / sd), n.cdf((b - mean) / sd))
}

#[cfg(test)]
mod tests {
    use super::*;

    const US: [f64; 6] = [0.001, 0.1, 0.37, 0.5, 0.9, 0.999];

    fn check(d: &Distribution, want: [f64; 6], tol: f64) {
        for (u, w) in US.iter().zip(want) {
            let got = d.quantile(*u);
            assert!(
                (got - w).abs() <= tol * w.abs().max(1.0),
                "{} at {u}: {got} vs scipy {w}",
                d.name()
            );
        }
    }

    /// Quantiles equal scipy.stats' `ppf` (the functions SALib applies for `norm`, `truncnorm`,
    /// `triang` and `logunif`), computed with scipy 1.x:
    /// `norm.ppf(u, loc=0.5, scale=0.1)`, `truncnorm.ppf(u, -1.5, 2, loc=0.5, scale=0.2)`,
    /// `triang.ppf(u, c=0.25, loc=1, scale=2)`, `loguniform.ppf(u, a=0.01, b=10)`.
    #[test]
    fn quantiles_equal_scipy() {
        let raw = |r: RawDistribution| Distribution::from_raw(&r, false).unwrap();
        check(
            &raw(RawDistribution::Normal {
                mean: 0.5,
                sd: 0.1,
                truncate: None,
            }),
            [
                0.19097676938321867,
                0.3718448434455399,
                0.4668146653563183,
                0.5,
                0.6281551565544601,
                0.8090232306167813,
            ],
            1e-12,
        );
        check(
            &raw(RawDistribution::Normal {
                mean: 0.5,
                sd: 0.2,
                truncate: Some((0.2, 0.9)),
            }),
            [
                0.20139854903835797,
                0.2993345265569166,
                0.4512287040694147,
                0.5110490874033611,
                0.7413186657268768,
                0.896682899207143,
            ],
            // statrs' normal CDF and quantile compose to 4.4e-12 of scipy's (which mpmath at 40
            // digits confirms) at u = 0.001: still far below any parameter's meaning.
            1e-11,
        );
        check(
            &raw(RawDistribution::Triangular {
                low: 1.0,
                mode: 1.5,
                high: 3.0,
            }),
            [
                1.0316227766016839,
                1.316227766016838,
                1.625227291513248,
                1.775255128608411,
                2.452277442494834,
                2.9452277442494834,
            ],
            1e-12,
        );
        check(
            &raw(RawDistribution::LogUniform {
                low: 0.01,
                high: 10.0,
            }),
            [
                0.01006931668851805,
                0.019952623149688802,
                0.12882495516931347,
                0.31622776601683805,
                5.011872336272725,
                9.931160484209336,
            ],
            1e-12,
        );
    }

    /// Every whole value of a range gets the same share of a fine grid of `u`, the ends
    /// included (rounding `low + u (high - low)` gave them half).
    #[test]
    fn whole_ranges_weigh_every_value_equally() {
        let d = Distribution::uniform(0.0, 6.0, true).unwrap();
        let mut counts = [0usize; 7];
        let n = 7000;
        for i in 0..n {
            counts[d.quantile((i as f64 + 0.5) / n as f64) as usize] += 1;
        }
        assert_eq!(counts, [1000; 7]);
        assert_eq!(d.quantile(1.0), 6.0);
        assert_eq!(d.quantile(0.0), 0.0);
        assert_eq!(
            Distribution::uniform(0.5, 2.5, true).unwrap(),
            Distribution::WholeUniform {
                low: 1.0,
                high: 2.0
            }
        );
        assert!(Distribution::uniform(0.2, 0.8, true).is_err());
    }

    #[test]
    fn discrete_follows_its_weights() {
        let d = Distribution::from_raw(
            &RawDistribution::Discrete {
                values: vec![3.0, 5.0, 8.0],
                weights: Some(vec![1.0, 2.0, 1.0]),
            },
            false,
        )
        .unwrap();
        let picks: Vec<f64> = [0.0, 0.2, 0.25, 0.5, 0.74, 0.75, 0.999, 1.0]
            .iter()
            .map(|&u| d.quantile(u))
            .collect();
        assert_eq!(picks, vec![3.0, 3.0, 5.0, 5.0, 5.0, 8.0, 8.0, 8.0]);
        assert_eq!(d.support(), Some((3.0, 8.0)));
    }

    #[test]
    fn invalid_distributions_name_the_field() {
        let field = |r: RawDistribution| Distribution::from_raw(&r, false).unwrap_err().field;
        assert_eq!(
            field(RawDistribution::Normal {
                mean: 0.0,
                sd: 0.0,
                truncate: None
            }),
            ".sd"
        );
        assert_eq!(
            field(RawDistribution::Normal {
                mean: 0.0,
                sd: 1.0,
                truncate: Some((40.0, 50.0))
            }),
            ".truncate"
        );
        assert_eq!(
            field(RawDistribution::Triangular {
                low: 0.0,
                mode: 2.0,
                high: 1.0
            }),
            ".mode"
        );
        assert_eq!(
            field(RawDistribution::LogUniform {
                low: 0.0,
                high: 1.0
            }),
            ".low"
        );
        assert_eq!(
            field(RawDistribution::Discrete {
                values: vec![1.0],
                weights: Some(vec![0.0])
            }),
            ".weights"
        );
        assert_eq!(
            field(RawDistribution::Discrete {
                values: vec![],
                weights: None
            }),
            ".values"
        );
        assert_eq!(
            field(RawDistribution::Uniform {
                low: f64::NAN,
                high: 1.0
            }),
            ""
        );
    }
}
