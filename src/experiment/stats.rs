//! Summary statistics for replications: means, Student-t intervals, paired differences and an
//! online (Welford) accumulator. Pure functions, no I/O, no randomness.
//!
//! Conventions: the slice helpers [`mean`] and [`sample_sd`] use every value given (a NaN in
//! gives NaN out); the summaries [`mean_stat`], [`paired_diff`] and [`Welford`] skip values that
//! are not finite (NaN, ±∞), so a missing replication simply does not count.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use super::results::{Interval, OptionStat, PairedDiff};

/// Arithmetic mean of all values; `None` for an empty slice. A NaN anywhere gives NaN.
pub fn mean(xs: &[f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    Some(xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Sample standard deviation (divisor n - 1, two-pass); `None` with fewer than 2 values.
/// A NaN anywhere gives NaN.
pub fn sample_sd(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = mean(xs)?;
    let ss: f64 = xs.iter().map(|x| (x - m) * (x - m)).sum();
    Some((ss / (xs.len() - 1) as f64).sqrt())
}

/// The `p` quantile of Student's t distribution with `df` degrees of freedom.
///
/// For a two-sided interval at `level`, use `t_quantile(n - 1, 1 - (1 - level) / 2)`.
/// Returns NaN when `df` is NaN or not positive or `p` is NaN or outside [0, 1]; -∞ at `p = 0`
/// and +∞ at `p = 1`. An infinite `df` gives the standard normal quantile.
pub fn t_quantile(df: f64, p: f64) -> f64 {
    if df.is_nan() || df <= 0.0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    if df.is_infinite() {
        return Normal::standard().inverse_cdf(p);
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => d.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// The two-sided Student-t interval `m ± t · sd / √n` at `level`, or `None` when `n < 2`, the
/// level is not strictly between 0 and 1, or any input is not finite.
fn t_interval(n: usize, m: f64, sd: f64, level: f64) -> Option<Interval> {
    if !(n >= 2 && level > 0.0 && level < 1.0 && m.is_finite() && sd.is_finite()) {
        return None;
    }
    let t = t_quantile((n - 1) as f64, 1.0 - (1.0 - level) / 2.0);
    if !t.is_finite() {
        return None;
    }
    let half = t * sd / (n as f64).sqrt();
    Some(Interval {
        low: m - half,
        high: m + half,
    })
}

/// Mean, sample sd and Student-t interval at `level` of the finite values of `xs`, with
/// `diff: None`.
///
/// `n` counts the finite values. With no finite value, `mean` and `sd` are NaN; with one, `sd`
/// is 0; `ci` is `None` when `n < 2` (or the level is not in (0, 1)). With sd 0 the interval is
/// the degenerate `[mean, mean]`.
pub fn mean_stat(xs: &[f64], level: f64) -> OptionStat {
    let finite: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    let n = finite.len();
    let m = mean(&finite).unwrap_or(f64::NAN);
    let sd = match n {
        0 => f64::NAN,
        1 => 0.0,
        _ => sample_sd(&finite).unwrap_or(f64::NAN),
    };
    OptionStat {
        n,
        mean: m,
        sd,
        ci: t_interval(n, m, sd, level),
        diff: None,
    }
}

/// The paired difference `option[i] - reference[i]` over the indices where both are finite
/// (indices beyond the shorter slice are ignored), with a Student-t interval at `level` and
/// Cohen's d_z (mean / sd of the differences).
///
/// With no pair, `mean` is NaN. `ci` is `None` with fewer than 2 pairs; `effect_size` is `None`
/// with fewer than 2 pairs or when the differences have sd 0 (then `ci` is `[mean, mean]`).
pub fn paired_diff(reference: &[f64], option: &[f64], level: f64) -> PairedDiff {
    let d: Vec<f64> = reference
        .iter()
        .zip(option)
        .filter(|(r, o)| r.is_finite() && o.is_finite())
        .map(|(r, o)| o - r)
        .collect();
    let n = d.len();
    let m = mean(&d).unwrap_or(f64::NAN);
    let sd = sample_sd(&d);
    let ci = sd.and_then(|sd| t_interval(n, m, sd, level));
    let effect_size = match sd {
        Some(sd) if sd > 0.0 && sd.is_finite() => Some(m / sd),
        _ => None,
    };
    PairedDiff {
        n,
        mean: m,
        ci,
        effect_size,
        p_value: sd.and_then(|sd| t_test_p(n, m, sd)),
        p_adjusted: None,
        detected: None,
    }
}

/// Two-sided p-value of the one-sample t test of mean 0 from `n` values with mean `m` and
/// sample sd `sd`: 2 · P(T_{n-1} > |m| √n / sd). With sd 0 it is 1 when the mean is 0 and 0
/// otherwise (the interval `[m, m]` then agrees). `None` when `n < 2` or an input is not finite.
pub fn t_test_p(n: usize, m: f64, sd: f64) -> Option<f64> {
    if n < 2 || !m.is_finite() || !sd.is_finite() || sd < 0.0 {
        return None;
    }
    if sd == 0.0 {
        return Some(if m == 0.0 { 1.0 } else { 0.0 });
    }
    let t = m.abs() * (n as f64).sqrt() / sd;
    let dist = StudentsT::new(0.0, 1.0, (n - 1) as f64).ok()?;
    let p = 2.0 * dist.sf(t);
    p.is_finite().then(|| p.clamp(0.0, 1.0))
}

/// Online mean and variance (Welford 1962), numerically stable in one pass. Values that are
/// not finite are skipped. Fold replications in a fixed order for bit-for-bit reproducibility.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Welford {
    n: usize,
    mean: f64,
    /// Sum of squared deviations from the running mean.
    m2: f64,
}

impl Welford {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one value; NaN and ±∞ are ignored.
    pub fn push(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// Combines another accumulator into this one (Chan et al. 1979). The result depends on the
    /// order of merging only through rounding; merge in a fixed order to reproduce bits.
    pub fn merge(&mut self, other: &Welford) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        let delta = other.mean - self.mean;
        self.mean += delta * other.n as f64 / n as f64;
        self.m2 += other.m2 + delta * delta * (self.n as f64) * (other.n as f64) / n as f64;
        self.n = n;
    }

    /// Number of values counted.
    pub fn n(&self) -> usize {
        self.n
    }

    /// Mean of the values; `None` when there is none.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then_some(self.mean)
    }

    /// Sample standard deviation (divisor n - 1); `None` with fewer than 2 values.
    pub fn sd(&self) -> Option<f64> {
        (self.n > 1).then(|| (self.m2.max(0.0) / (self.n - 1) as f64).sqrt())
    }

    /// Student-t interval on the mean at `level`; `None` with fewer than 2 values or a level
    /// not in (0, 1).
    pub fn ci(&self, level: f64) -> Option<Interval> {
        t_interval(self.n, self.mean, self.sd()?, level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_quantiles_match_tables() {
        // Two-sided 95% critical values from standard tables.
        for (df, want) in [(1.0, 12.7062), (4.0, 2.7764), (9.0, 2.2622), (30.0, 2.0423)] {
            let got = t_quantile(df, 0.975);
            assert!((got - want).abs() < 1e-3, "df {df}: {got} vs {want}");
        }
        assert!((t_quantile(f64::INFINITY, 0.975) - 1.95996).abs() < 1e-4);
        assert!((t_quantile(9.0, 0.5)).abs() < 1e-12);
        assert!((t_quantile(9.0, 0.025) + t_quantile(9.0, 0.975)).abs() < 1e-9);
    }

    #[test]
    fn t_quantile_bad_input_is_nan_not_panic() {
        assert!(t_quantile(0.0, 0.9).is_nan());
        assert!(t_quantile(-1.0, 0.9).is_nan());
        assert!(t_quantile(f64::NAN, 0.9).is_nan());
        assert!(t_quantile(5.0, f64::NAN).is_nan());
        assert!(t_quantile(5.0, 1.5).is_nan());
        assert_eq!(t_quantile(5.0, 1.0), f64::INFINITY);
        assert_eq!(t_quantile(5.0, 0.0), f64::NEG_INFINITY);
    }

    #[test]
    fn t_test_p_matches_tables_and_the_interval() {
        // t = 2.2622 with df 9 is the two-sided 5% critical value: p = 0.05.
        let sd = 1.0;
        let m = 2.262_157 * sd / 10f64.sqrt();
        assert!((t_test_p(10, m, sd).unwrap() - 0.05).abs() < 1e-5);
        assert!((t_test_p(10, -m, sd).unwrap() - 0.05).abs() < 1e-5);
        assert_eq!(t_test_p(10, 0.0, 1.0), Some(1.0));
        assert_eq!(t_test_p(10, 0.3, 0.0), Some(0.0));
        assert_eq!(t_test_p(1, 0.3, 1.0), None);
        assert_eq!(t_test_p(5, f64::NAN, 1.0), None);
        // scipy 1.17.1: ttest_rel(b, a).pvalue = 0.016493044769869944 for this pair.
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let b: Vec<f64> = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
            .iter()
            .zip([0.5, -0.4, 0.2, -0.6, 0.1, 0.3])
            .map(|(x, e)| x + 0.6 + e)
            .collect();
        let p = paired_diff(&a, &b, 0.95).p_value.unwrap();
        assert!((p - 0.016493044769869944).abs() < 1e-9, "{p}");
        // p < 0.05 exactly when the 95% interval excludes 0.
        let a = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        for shift in [0.0, 0.3, 0.6, 0.9, 1.2, 1.5] {
            let b: Vec<f64> = a
                .iter()
                .enumerate()
                .map(|(i, x)| x + shift + [0.5, -0.4, 0.2, -0.6, 0.1, 0.3][i])
                .collect();
            let d = paired_diff(&a, &b, 0.95);
            let excl = !d.ci.unwrap().contains(0.0);
            assert_eq!(d.p_value.unwrap() < 0.05, excl, "shift {shift}: {d:?}");
        }
    }

    #[test]
    fn bad_level_gives_no_interval() {
        let s = mean_stat(&[1.0, 2.0, 3.0], 1.0);
        assert_eq!(s.ci, None);
        let s = mean_stat(&[1.0, 2.0, 3.0], f64::NAN);
        assert_eq!(s.ci, None);
    }

    #[test]
    fn welford_merge_equals_single_pass() {
        let xs: Vec<f64> = (0..50)
            .map(|i| ((i * 37) % 11) as f64 * 0.7 - 2.0)
            .collect();
        let mut all = Welford::new();
        xs.iter().for_each(|&x| all.push(x));
        let (mut a, mut b) = (Welford::new(), Welford::new());
        xs[..17].iter().for_each(|&x| a.push(x));
        xs[17..].iter().for_each(|&x| b.push(x));
        a.merge(&b);
        assert_eq!(a.n(), all.n());
        assert!((a.mean().unwrap() - all.mean().unwrap()).abs() < 1e-12);
        assert!((a.sd().unwrap() - all.sd().unwrap()).abs() < 1e-12);
    }
}
