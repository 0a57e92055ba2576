//! Global sensitivity analysis of model outputs: Morris elementary effects and Sobol first- and
//! total-order indices, with bootstrap intervals, plus two test functions whose indices are
//! known analytically (Ishigami, Sobol's G). Pure math; resampling draws from a ChaCha8 stream
//! seeded from the `seed` argument, so results are reproducible bit for bit.
//!
//! Designs come from [`super::design`] ([`super::design::morris_trajectories`],
//! [`super::design::saltelli`]); outputs are one value per design row, in row order. Row
//! numbers in errors are 0-based indices into the design and outputs.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use thiserror::Error;

use super::results::Interval;
use super::stats::{mean, sample_sd};

/// Why a sensitivity analysis could not run.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum SensitivityError {
    /// A length does not fit the design's layout.
    #[error("{what}: expected {expected}, got {got}")]
    Length {
        what: String,
        expected: usize,
        got: usize,
    },
    /// An output is NaN or infinite.
    #[error("output {row} (0-based row) is {value}, not a finite number")]
    NonFiniteOutput { row: usize, value: f64 },
    /// The design is not made of valid one-at-a-time trajectories.
    #[error("design row {row} (0-based): {reason}")]
    BadDesign { row: usize, reason: String },
    /// An argument is out of its range.
    #[error("{0}")]
    InvalidArgument(String),
    /// All outputs of the `A` and `B` rows are equal, so there is no variance to apportion.
    #[error(
        "the outputs of the A and B rows have zero variance: there is no variance to apportion"
    )]
    ZeroVariance,
}

/// Morris screening measures for one factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisIndex {
    /// Mean of the elementary effects (effects of opposite signs cancel).
    pub mu: f64,
    /// Mean of the absolute elementary effects (Campolongo et al. 2007): overall importance.
    pub mu_star: f64,
    /// Sample sd of the elementary effects: interactions and non-linearity (NaN with one
    /// trajectory).
    pub sigma: f64,
    /// Bootstrap percentile interval on `mu_star` (NaN bounds when `bootstrap == 0`).
    pub mu_star_ci: Interval,
}

/// First- and total-order Sobol indices for one factor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    /// First-order index: the share of output variance due to this factor alone.
    pub s1: f64,
    /// Bootstrap percentile interval on `s1`.
    pub s1_ci: Interval,
    /// Total-order index: the share due to this factor including all its interactions.
    pub st: f64,
    /// Bootstrap percentile interval on `st`.
    pub st_ci: Interval,
}

pub(super) fn check_level(level: f64) -> Result<(), SensitivityError> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(SensitivityError::InvalidArgument(format!(
            "confidence level {level} is not strictly between 0 and 1"
        )))
    }
}

fn check_outputs(outputs: &[f64]) -> Result<(), SensitivityError> {
    match outputs.iter().position(|y| !y.is_finite()) {
        Some(row) => Err(SensitivityError::NonFiniteOutput {
            row,
            value: outputs[row],
        }),
        None => Ok(()),
    }
}

/// The `p` quantile of sorted values, interpolating linearly between order statistics (the
/// default of numpy's `percentile`).
fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Percentile interval at `level` of the finite bootstrap replicates (a replicate can be NaN
/// when a resample happens to have no variance); NaN bounds when there are none.
pub(super) fn percentile_interval(mut reps: Vec<f64>, level: f64) -> Interval {
    reps.retain(|r| r.is_finite());
    reps.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    Interval {
        low: quantile_sorted(&reps, tail),
        high: quantile_sorted(&reps, 1.0 - tail),
    }
}

/// Morris elementary effects of a trajectory design ([`super::design::morris_trajectories`]
/// layout: consecutive blocks of `k + 1` rows, each step moving exactly one factor, each factor
/// moving once per trajectory) and its outputs (one per row).
///
/// The elementary effect of a step is `Δy / Δx`. Without `bounds`, `Δx` is the step in the
/// design's own coordinates (in the unit cube, ±delta, as SALib's `morris.analyze` computes
/// it). With `bounds` (one `(lower, upper)` per factor, the design being in the unit cube),
/// `Δx` is the step in the parameter's own unit, `Δx · (upper - lower)`.
///
/// `mu_star_ci` is a bootstrap percentile interval at `level`: the `r` trajectories are
/// resampled with replacement `bootstrap` times (ChaCha8 seeded with `seed`). SALib instead
/// reports a normal-approximation half-width; the point estimates agree.
///
/// Errors: a design or output length that does not fit, a row of the wrong width, a step that
/// moves no factor or more than one, a factor moved twice in one trajectory, a non-finite
/// design value or output, bad bounds, or a level not in (0, 1).
pub fn morris(
    design: &[Vec<f64>],
    outputs: &[f64],
    k: usize,
    bounds: Option<&[(f64, f64)]>,
    bootstrap: usize,
    level: f64,
    seed: u64,
) -> Result<Vec<MorrisIndex>, SensitivityError> {
    check_level(level)?;
    if k == 0 {
        return Err(SensitivityError::InvalidArgument(
            "there must be at least one factor".into(),
        ));
    }
    if design.is_empty() || !design.len().is_multiple_of(k + 1) {
        return Err(SensitivityError::Length {
            what: format!("design rows (a positive multiple of k + 1 = {})", k + 1),
            expected: (design.len() / (k + 1)).max(1) * (k + 1),
            got: design.len(),
        });
    }
    if outputs.len() != design.len() {
        return Err(SensitivityError::Length {
            what: "outputs (one per design row)".into(),
            expected: design.len(),
            got: outputs.len(),
        });
    }
    check_outputs(outputs)?;
    let widths: Vec<f64> = match bounds {
        None => vec![1.0; k],
        Some(b) => {
            if b.len() != k {
                return Err(SensitivityError::Length {
                    what: "bounds (one per factor)".into(),
                    expected: k,
                    got: b.len(),
                });
            }
            if let Some((i, (lo, hi))) = b
                .iter()
                .enumerate()
                .find(|(_, (lo, hi))| !(lo.is_finite() && hi.is_finite() && lo < hi))
            {
                return Err(SensitivityError::InvalidArgument(format!(
                    "bounds of factor {i} are [{lo}, {hi}]: need finite lower < upper"
                )));
            }
            b.iter().map(|(lo, hi)| hi - lo).collect()
        }
    };
    for (row, x) in design.iter().enumerate() {
        let bad = |reason: String| Err(SensitivityError::BadDesign { row, reason });
        if x.len() != k {
            return bad(format!("has {} values, expected k = {k}", x.len()));
        }
        if let Some(v) = x.iter().find(|v| !v.is_finite()) {
            return bad(format!("value {v} is not finite"));
        }
        if bounds.is_some() && x.iter().any(|v| !(0.0..=1.0).contains(v)) {
            return bad("with bounds, the design must be in the unit cube [0, 1]".into());
        }
    }

    let r = design.len() / (k + 1);
    // ee[t * k + i]: the effect of factor i in trajectory t.
    let mut ee = vec![0.0; r * k];
    for t in 0..r {
        let start = t * (k + 1);
        let mut moved = vec![false; k];
        for s in 0..k {
            let (x0, x1) = (&design[start + s], &design[start + s + 1]);
            let row = start + s + 1;
            let mut changed = (0..k).filter(|&i| x0[i] != x1[i]);
            let i = match (changed.next(), changed.next()) {
                (Some(i), None) => i,
                (None, _) => {
                    return Err(SensitivityError::BadDesign {
                        row,
                        reason: "no factor changed from the previous row".into(),
                    });
                }
                (Some(_), Some(_)) => {
                    return Err(SensitivityError::BadDesign {
                        row,
                        reason: "more than one factor changed from the previous row".into(),
                    });
                }
            };
            if std::mem::replace(&mut moved[i], true) {
                return Err(SensitivityError::BadDesign {
                    row,
                    reason: format!("factor {i} moved twice in trajectory {t}"),
                });
            }
            let dx = (x1[i] - x0[i]) * widths[i];
            ee[t * k + i] = (outputs[row] - outputs[row - 1]) / dx;
        }
    }

    let mu_star_of = |trajs: &mut dyn Iterator<Item = usize>| -> Vec<f64> {
        let mut sums = vec![0.0; k];
        let mut count = 0usize;
        for t in trajs {
            count += 1;
            for (sum, e) in sums.iter_mut().zip(&ee[t * k..(t + 1) * k]) {
                *sum += e.abs();
            }
        }
        sums.iter().map(|s| s / count as f64).collect()
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut reps = vec![Vec::with_capacity(bootstrap); k];
    for _ in 0..bootstrap {
        let idx: Vec<usize> = (0..r).map(|_| rng.random_range(0..r)).collect();
        for (rep, m) in reps.iter_mut().zip(mu_star_of(&mut idx.into_iter())) {
            rep.push(m);
        }
    }
    let mu_star = mu_star_of(&mut (0..r));
    Ok((0..k)
        .zip(reps)
        .map(|(i, rep)| {
            let e: Vec<f64> = (0..r).map(|t| ee[t * k + i]).collect();
            MorrisIndex {
                mu: mean(&e).unwrap_or(f64::NAN),
                mu_star: mu_star[i],
                sigma: sample_sd(&e).unwrap_or(f64::NAN),
                mu_star_ci: percentile_interval(rep, level),
            }
        })
        .collect())
}

/// Where the outputs of one base sample sit in a Saltelli design: `A`, `AB^(1..=k)`, then (for
/// second order) `BA^(1..=k)`, then `B`, as `SALib.sample.sobol` lays them out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// Number of factors.
    pub k: usize,
    /// Whether the block holds the `BA` rows for second-order indices.
    pub second_order: bool,
}

impl Layout {
    /// Rows per base sample: `k + 2`, or `2k + 2` with second order.
    pub fn width(self) -> usize {
        if self.second_order {
            2 * self.k + 2
        } else {
            self.k + 2
        }
    }

    fn a(self, j: usize) -> usize {
        j * self.width()
    }

    fn ab(self, j: usize, i: usize) -> usize {
        j * self.width() + 1 + i
    }

    fn ba(self, j: usize, i: usize) -> usize {
        j * self.width() + 1 + self.k + i
    }

    fn b(self, j: usize) -> usize {
        j * self.width() + self.width() - 1
    }

    /// The factor pairs `(i, j)` with `i < j`, in the order second-order indices are listed.
    pub fn pairs(self) -> Vec<(usize, usize)> {
        (0..self.k)
            .flat_map(|i| (i + 1..self.k).map(move |j| (i, j)))
            .collect()
    }
}

/// Point estimates over some base rows: first, total and (with second order) second-order
/// indices, the last in [`Layout::pairs`] order.
pub(super) struct Estimates {
    pub(super) s1: Vec<f64>,
    pub(super) st: Vec<f64>,
    pub(super) s2: Vec<f64>,
}

/// The estimates over the base rows `rows` of centred outputs `y` laid out as `layout`.
pub(super) fn sobol_estimates(y: &[f64], layout: Layout, rows: &[usize]) -> Estimates {
    let k = layout.k;
    let m = rows.len() as f64;
    let (mut sum, mut sum2) = (0.0, 0.0);
    for &j in rows {
        let (a, b) = (y[layout.a(j)], y[layout.b(j)]);
        sum += a + b;
        sum2 += a * a + b * b;
    }
    let pooled_mean = sum / (2.0 * m);
    let var = sum2 / (2.0 * m) - pooled_mean * pooled_mean;
    let mut s1 = vec![0.0; k];
    let mut st = vec![0.0; k];
    for &j in rows {
        let (a, b) = (y[layout.a(j)], y[layout.b(j)]);
        for i in 0..k {
            let ab = y[layout.ab(j, i)];
            s1[i] += b * (ab - a);
            st[i] += (a - ab) * (a - ab);
        }
    }
    let s1: Vec<f64> = s1.iter().map(|s| s / m / var).collect();
    let st = st.iter().map(|s| s / m / 2.0 / var).collect();
    // Saltelli (2002) as SALib computes it: V_ij = mean(f(BA_i) f(AB_j) - f(A) f(B)) / V,
    // S2_ij = V_ij - S1_i - S1_j.
    let s2 = if layout.second_order {
        layout
            .pairs()
            .into_iter()
            .map(|(p, q)| {
                let v: f64 = rows
                    .iter()
                    .map(|&j| {
                        y[layout.ba(j, p)] * y[layout.ab(j, q)] - y[layout.a(j)] * y[layout.b(j)]
                    })
                    .sum();
                v / m / var - s1[p] - s1[q]
            })
            .collect()
    } else {
        Vec::new()
    };
    Estimates { s1, st, s2 }
}

/// A second-order Sobol index: the share of output variance due to the interaction of two
/// factors alone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SecondOrderIndex {
    /// The two factors, `i < j` (0-based, in the parameters' order).
    pub i: usize,
    pub j: usize,
    pub s2: f64,
    /// Bootstrap percentile interval on `s2`.
    pub s2_ci: Interval,
}

/// First-, total- and second-order indices of one output.
#[derive(Clone, Debug, PartialEq)]
pub struct SobolIndices {
    pub first_total: Vec<SobolIndex>,
    /// Empty without second order; else one per pair in [`Layout::pairs`] order.
    pub second: Vec<SecondOrderIndex>,
}

/// Checks the outputs fit `layout` and returns them centred on their mean, with the number of
/// base samples.
pub(super) fn centred(
    outputs: &[f64],
    layout: Layout,
) -> Result<(Vec<f64>, usize), SensitivityError> {
    if layout.k == 0 {
        return Err(SensitivityError::InvalidArgument(
            "there must be at least one factor".into(),
        ));
    }
    let w = layout.width();
    if outputs.len() < 2 * w || !outputs.len().is_multiple_of(w) {
        let shape = if layout.second_order {
            "n (2k + 2)"
        } else {
            "n (k + 2)"
        };
        return Err(SensitivityError::Length {
            what: format!("outputs ({shape} with n >= 2 and width {w})"),
            expected: (outputs.len() / w).max(2) * w,
            got: outputs.len(),
        });
    }
    check_outputs(outputs)?;
    let n = outputs.len() / w;
    let centre = mean(outputs).unwrap_or(0.0);
    let y: Vec<f64> = outputs.iter().map(|v| v - centre).collect();
    let first = y[layout.a(0)];
    if (0..n).all(|j| y[layout.a(j)] == first && y[layout.b(j)] == first) {
        return Err(SensitivityError::ZeroVariance);
    }
    Ok((y, n))
}

/// Bootstrap replicates of every index, one list per index (S1 per factor, ST per factor, S2
/// per pair).
pub(super) struct Replicates {
    s1: Vec<Vec<f64>>,
    st: Vec<Vec<f64>>,
    s2: Vec<Vec<f64>>,
}

impl Replicates {
    pub(super) fn new(layout: Layout, bootstrap: usize) -> Self {
        let pairs = if layout.second_order {
            layout.pairs().len()
        } else {
            0
        };
        Replicates {
            s1: vec![Vec::with_capacity(bootstrap); layout.k],
            st: vec![Vec::with_capacity(bootstrap); layout.k],
            s2: vec![Vec::with_capacity(bootstrap); pairs],
        }
    }

    pub(super) fn push(&mut self, e: Estimates) {
        for (r, v) in self.s1.iter_mut().zip(e.s1) {
            r.push(v);
        }
        for (r, v) in self.st.iter_mut().zip(e.st) {
            r.push(v);
        }
        for (r, v) in self.s2.iter_mut().zip(e.s2) {
            r.push(v);
        }
    }

    /// The point estimates with these replicates' percentile intervals.
    pub(super) fn indices(self, e: Estimates, layout: Layout, level: f64) -> SobolIndices {
        let first_total = (0..layout.k)
            .zip(self.s1.into_iter().zip(self.st))
            .map(|(i, (r1, rt))| SobolIndex {
                s1: e.s1[i],
                s1_ci: percentile_interval(r1, level),
                st: e.st[i],
                st_ci: percentile_interval(rt, level),
            })
            .collect();
        let second = layout
            .pairs()
            .into_iter()
            .zip(e.s2.iter().zip(self.s2))
            .map(|((i, j), (&s2, r))| SecondOrderIndex {
                i,
                j,
                s2,
                s2_ci: percentile_interval(r, level),
            })
            .collect();
        SobolIndices {
            first_total,
            second,
        }
    }
}

/// Sobol first- and total-order indices from outputs of a [`super::design::saltelli`] design,
/// in its row order (`A_j`, `AB_j^(1..=k)`, `B_j` for each base row `j`).
///
/// `S1_i = mean(f(B) (f(AB_i) - f(A))) / V` (Saltelli et al. 2010) and
/// `ST_i = mean((f(A) - f(AB_i))²) / 2 / V` (Jansen 1999), with `V` the variance (divisor
/// `2n`) of the pooled `f(A)` and `f(B)`. Outputs are centred on their overall mean first, as
/// SALib does, which leaves the indices' expectations unchanged and reduces their variance.
/// Estimates can fall slightly outside [0, 1] from sampling error.
///
/// Intervals: the `n` base rows are resampled with replacement `bootstrap` times (ChaCha8
/// seeded with `seed`) and the percentile interval at `level` taken (NaN bounds when
/// `bootstrap == 0`). SALib reports a normal-approximation half-width instead.
///
/// Errors: `k == 0`, an output count that is not `n (k + 2)` with `n >= 2`, a non-finite output,
/// a level not in (0, 1), or zero variance in the `A` and `B` outputs.
pub fn sobol(
    outputs: &[f64],
    k: usize,
    bootstrap: usize,
    level: f64,
    seed: u64,
) -> Result<Vec<SobolIndex>, SensitivityError> {
    let layout = Layout {
        k,
        second_order: false,
    };
    Ok(sobol_indices(outputs, layout, bootstrap, level, seed)?.first_total)
}

/// Sobol indices from outputs laid out as `layout`: [`sobol`]'s first- and total-order
/// indices and, with `layout.second_order` (a [`super::design::saltelli_second_order`] design,
/// `n (2k + 2)` outputs), the second-order index of every pair of factors,
/// `S2_ij = mean(f(BA_i) f(AB_j) - f(A) f(B)) / V - S1_i - S1_j` (Saltelli 2002), equal to
/// `SALib.analyze.sobol.analyze(..., calc_second_order=True)`'s `S2`. Intervals as in
/// [`sobol`].
pub fn sobol_indices(
    outputs: &[f64],
    layout: Layout,
    bootstrap: usize,
    level: f64,
    seed: u64,
) -> Result<SobolIndices, SensitivityError> {
    check_level(level)?;
    let (y, n) = centred(outputs, layout)?;
    let all: Vec<usize> = (0..n).collect();
    let estimates = sobol_estimates(&y, layout, &all);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut reps = Replicates::new(layout, bootstrap);
    let mut idx = vec![0usize; n];
    for _ in 0..bootstrap {
        idx.iter_mut().for_each(|j| *j = rng.random_range(0..n));
        reps.push(sobol_estimates(&y, layout, &idx));
    }
    Ok(reps.indices(estimates, layout, level))
}

/// The Ishigami function `sin x1 + a sin² x2 + b x3⁴ sin x1`, defined on `[-π, π]³` (the usual
/// test values are `a = 7`, `b = 0.1`). Uses the first three values of `x`; NaN when `x` has
/// fewer than three.
pub fn ishigami(x: &[f64], a: f64, b: f64) -> f64 {
    match x {
        [x1, x2, x3, ..] => x1.sin() + a * x2.sin().powi(2) + b * x3.powi(4) * x1.sin(),
        _ => f64::NAN,
    }
}

/// Analytic first- and total-order Sobol indices of [`ishigami`] with uniform inputs on
/// `[-π, π]³`: `(S1, ST)`. For `a = 7`, `b = 0.1`: S1 ≈ (0.314, 0.442, 0), ST ≈ (0.558, 0.442,
/// 0.244).
pub fn ishigami_indices(a: f64, b: f64) -> ([f64; 3], [f64; 3]) {
    use std::f64::consts::PI;
    let (pi4, pi8) = (PI.powi(4), PI.powi(8));
    let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

/// Sobol's G function `Π (|4 x_i - 2| + a_i) / (1 + a_i)` on `[0, 1]^k`: factor `i` matters
/// less the larger `a_i` (0 very important, 99 almost not). NaN when `x` and `a` differ in
/// length.
pub fn g_function(x: &[f64], a: &[f64]) -> f64 {
    if x.len() != a.len() {
        return f64::NAN;
    }
    x.iter()
        .zip(a)
        .map(|(x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a))
        .product()
}

/// Analytic first- and total-order Sobol indices of [`g_function`] with uniform inputs on
/// `[0, 1]^k`: `(S1, ST)`, one value per `a_i`. Partial variances `V_i = 1 / (3 (1 + a_i)²)`,
/// `V = Π (1 + V_i) - 1`, `S1_i = V_i / V`, `ST_i = V_i Π_{j≠i} (1 + V_j) / V`.
pub fn g_function_indices(a: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let vi: Vec<f64> = a.iter().map(|a| 1.0 / (3.0 * (1.0 + a).powi(2))).collect();
    let prod: f64 = vi.iter().map(|v| 1.0 + v).product();
    let v = prod - 1.0;
    let s1 = vi.iter().map(|x| x / v).collect();
    let st = vi.iter().map(|x| x * prod / (1.0 + x) / v).collect();
    (s1, st)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_interpolates_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 1.0), 4.0);
        assert!((quantile_sorted(&v, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.25) - 1.75).abs() < 1e-12);
    }

    #[test]
    fn analytic_indices_match_literature() {
        let (s1, st) = ishigami_indices(7.0, 0.1);
        for (got, want) in s1
            .iter()
            .chain(&st)
            .zip([0.3139, 0.4424, 0.0, 0.5576, 0.4424, 0.2437])
        {
            assert!((got - want).abs() < 1e-3, "{got} vs {want}");
        }
        // One factor alone: all variance is first order.
        let (s1, st) = g_function_indices(&[0.5]);
        assert!((s1[0] - 1.0).abs() < 1e-12 && (st[0] - 1.0).abs() < 1e-12);
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        assert!(matches!(
            sobol(&[], 2, 10, 0.95, 1),
            Err(SensitivityError::Length { .. })
        ));
        assert!(matches!(
            sobol(&[1.0; 8], 2, 10, 0.95, 1),
            Err(SensitivityError::ZeroVariance)
        ));
        assert!(matches!(
            sobol(&[1.0; 8], 2, 10, 1.5, 1),
            Err(SensitivityError::InvalidArgument(_))
        ));
        let mut y = vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0];
        y[5] = f64::NAN;
        assert!(matches!(
            sobol(&y, 2, 10, 0.95, 1),
            Err(SensitivityError::NonFiniteOutput { row: 5, .. })
        ));
        assert!(morris(&[], &[], 2, None, 10, 0.95, 1).is_err());
        assert!(morris(&[vec![0.0]], &[0.0], 0, None, 10, 0.95, 1).is_err());
    }
}
