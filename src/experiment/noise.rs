//! How much of a sensitivity analysis is replication noise. With r replications per design
//! row, the indices are computed on the row means; their variance across rows is the signal
//! (what the parameters do) plus s_w² / r, where s_w² is the pooled within-row (seed) variance.
//! The noise share is (s_w² / r) / var(row means): near 1, the indices mostly measure seeds.
//! Pure functions, no I/O.

use serde::Serialize;

/// A noise share above this is flagged.
pub const WARN_SHARE: f64 = 0.5;
/// The share the suggested replications aim for.
pub const TARGET_SHARE: f64 = 0.2;

/// Replication noise in one output.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Noise {
    pub replications: usize,
    /// Pooled within-row sample variance (divisor r - 1 per row).
    pub within_variance: f64,
    /// Sample variance of the row means across design rows.
    pub row_mean_variance: f64,
    /// (within / r) / row-mean variance, capped at 1 (1 when only the seeds vary); `None` for
    /// an output that does not vary at all.
    pub share: Option<f64>,
    /// Replications per row that would bring the share to [`TARGET_SHARE`]; `None` when the
    /// signal (row-mean variance minus the noise) is not above 0, so no number would.
    pub reps_for_target: Option<usize>,
}

impl Noise {
    /// Whether the noise dominates (share above [`WARN_SHARE`]).
    pub fn dominates(&self) -> bool {
        self.share.is_some_and(|s| s > WARN_SHARE)
    }
}

fn var(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let m = xs.iter().sum::<f64>() / xs.len() as f64;
    Some(xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64)
}

/// The noise in `rows[row][replicate]` (every row with the same number of replicates, all
/// finite). `None` with fewer than 2 replications or 2 rows, or a value that is not finite.
pub fn noise(rows: &[Vec<f64>]) -> Option<Noise> {
    let r = rows.first()?.len();
    if r < 2
        || rows.len() < 2
        || rows
            .iter()
            .any(|x| x.len() != r || x.iter().any(|v| !v.is_finite()))
    {
        return None;
    }
    let within = rows.iter().filter_map(|x| var(x)).sum::<f64>() / rows.len() as f64;
    let means: Vec<f64> = rows
        .iter()
        .map(|x| x.iter().sum::<f64>() / r as f64)
        .collect();
    let between = var(&means)?;
    let noise = within / r as f64;
    let share = if between > 0.0 {
        Some((noise / between).min(1.0))
    } else if within > 0.0 {
        // The row means happen not to vary at all while the seeds do: all noise.
        Some(1.0)
    } else {
        None
    };
    let signal = between - noise;
    let reps_for_target = (signal > 0.0)
        .then(|| (within * (1.0 - TARGET_SHARE) / (TARGET_SHARE * signal)).ceil())
        .filter(|n| n.is_finite() && *n < 1e9)
        .map(|n| (n as usize).max(1));
    Some(Noise {
        replications: r,
        within_variance: within,
        row_mean_variance: between,
        share,
        reps_for_target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pure_noise_and_pure_signal() {
        // Rows that differ only by noise: replicates ±1 around the same 0 mean.
        let noisy: Vec<Vec<f64>> = (0..6)
            .map(|i| {
                if i % 2 == 0 {
                    vec![1.0, -1.0, 0.5, -0.5]
                } else {
                    vec![-1.0, 1.0, 0.4, -0.4]
                }
            })
            .collect();
        let n = noise(&noisy).unwrap();
        assert!(n.dominates(), "{n:?}");
        assert_eq!(n.share, Some(1.0));
        assert_eq!(n.reps_for_target, None);
        // Rows far apart with tiny noise: share near 0, few replications needed.
        let clear: Vec<Vec<f64>> = (0..6)
            .map(|i| vec![10.0 * i as f64, 10.0 * i as f64 + 0.1])
            .collect();
        let c = noise(&clear).unwrap();
        assert!(c.share.unwrap() < 0.01 && !c.dominates());
        assert_eq!(c.reps_for_target, Some(1));
    }

    #[test]
    fn share_and_replications_follow_the_formula() {
        // Within variance 2 (replicates m ± 1), row means 0, 2, 4, 6: between = 20/3.
        let rows: Vec<Vec<f64>> = (0..4)
            .map(|i| vec![2.0 * i as f64 - 1.0, 2.0 * i as f64 + 1.0])
            .collect();
        let n = noise(&rows).unwrap();
        assert!((n.within_variance - 2.0).abs() < 1e-12);
        assert!((n.row_mean_variance - 20.0 / 3.0).abs() < 1e-12);
        assert!((n.share.unwrap() - 1.0 / (20.0 / 3.0)).abs() < 1e-12);
        // signal = 20/3 - 1 = 17/3; n = 2 · 0.8 / (0.2 · 17/3) = 1.41 -> 2.
        assert_eq!(n.reps_for_target, Some(2));
    }

    #[test]
    fn constant_short_and_missing() {
        assert_eq!(
            noise(&[vec![3.0, 3.0], vec![3.0, 3.0]]).unwrap().share,
            None
        );
        assert!(noise(&[vec![1.0], vec![2.0]]).is_none());
        assert!(noise(&[vec![1.0, 2.0]]).is_none());
        assert!(noise(&[vec![1.0, f64::NAN], vec![2.0, 3.0]]).is_none());
        assert!(noise(&[]).is_none());
    }
}
