//! Sensitivity indices with replicated design rows: the point estimates of
//! [`super::sensitivity`] on the row means, and bootstrap intervals that resample the replicates
//! within each row as well as the rows or trajectories, so they carry the replication noise.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::sensitivity::{
    Layout, MorrisIndex, Replicates, SensitivityError, SobolIndex, SobolIndices, centred,
    check_level, morris, percentile_interval, sobol_estimates,
};
use super::stats::mean;

/// Each design row's mean over its replicates, summed as `v / r` in replicate order.
pub fn row_means(rows: &[Vec<f64>]) -> Vec<f64> {
    rows.iter()
        .map(|reps| {
            let r = reps.len() as f64;
            reps.iter().fold(0.0, |acc, v| acc + v / r)
        })
        .collect()
}

/// One bootstrap draw of the row means: each row's replicates resampled with replacement.
fn resampled_means(rows: &[Vec<f64>], rng: &mut ChaCha8Rng) -> Vec<f64> {
    rows.iter()
        .map(|reps| {
            let r = reps.len();
            if r == 0 {
                return f64::NAN;
            }
            (0..r).map(|_| reps[rng.random_range(0..r)]).sum::<f64>() / r as f64
        })
        .collect()
}

fn check_rows(rows: &[Vec<f64>]) -> Result<(), SensitivityError> {
    let r = rows.first().map_or(0, Vec::len);
    if r == 0 {
        return Err(SensitivityError::InvalidArgument(
            "every design row needs at least one replicate".into(),
        ));
    }
    if let Some(row) = rows.iter().position(|x| x.len() != r) {
        return Err(SensitivityError::Length {
            what: format!("replicates of design row {row}"),
            expected: r,
            got: rows[row].len(),
        });
    }
    Ok(())
}

/// [`sobol`] with replicates: `rows[design row][replicate]`. The point estimates are
/// [`sobol`]'s on the [`row_means`]; each bootstrap resample draws the base rows with
/// replacement and, within every design row, its replicates with replacement, so the
/// intervals carry the replication noise too.
pub fn sobol_replicated(
    rows: &[Vec<f64>],
    k: usize,
    bootstrap: usize,
    level: f64,
    seed: u64,
) -> Result<Vec<SobolIndex>, SensitivityError> {
    let layout = Layout {
        k,
        second_order: false,
    };
    Ok(sobol_indices_replicated(rows, layout, bootstrap, level, seed)?.first_total)
}

/// [`sobol_replicated`] for any [`Layout`], with second-order indices when it has them.
pub fn sobol_indices_replicated(
    rows: &[Vec<f64>],
    layout: Layout,
    bootstrap: usize,
    level: f64,
    seed: u64,
) -> Result<SobolIndices, SensitivityError> {
    check_rows(rows)?;
    let means = row_means(rows);
    check_level(level)?;
    let (y, n) = centred(&means, layout)?;
    let all: Vec<usize> = (0..n).collect();
    let estimates = sobol_estimates(&y, layout, &all);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut reps = Replicates::new(layout, bootstrap);
    let mut idx = vec![0usize; n];
    for _ in 0..bootstrap {
        let yb = resampled_means(rows, &mut rng);
        let centre = mean(&yb).unwrap_or(0.0);
        let yb: Vec<f64> = yb.iter().map(|v| v - centre).collect();
        idx.iter_mut().for_each(|j| *j = rng.random_range(0..n));
        reps.push(sobol_estimates(&yb, layout, &idx));
    }
    Ok(reps.indices(estimates, layout, level))
}

/// [`morris`] with replicates: `rows[design row][replicate]`. The point estimates are
/// [`morris`]'s on the [`row_means`]; each bootstrap resample draws the trajectories with
/// replacement and, within every design row, its replicates with replacement.
pub fn morris_replicated(
    design: &[Vec<f64>],
    rows: &[Vec<f64>],
    k: usize,
    bounds: Option<&[(f64, f64)]>,
    bootstrap: usize,
    level: f64,
    seed: u64,
) -> Result<Vec<MorrisIndex>, SensitivityError> {
    check_rows(rows)?;
    let means = row_means(rows);
    // Validates the design and gives the point estimates.
    let mut out = morris(design, &means, k, bounds, 0, level, seed)?;
    let widths: Vec<f64> = match bounds {
        Some(b) => b.iter().map(|(lo, hi)| hi - lo).collect(),
        None => vec![1.0; k],
    };
    let r = design.len() / (k + 1);
    // The factor each step moves and its Δx (the design is valid: morris checked it).
    let steps: Vec<(usize, f64)> = (0..r)
        .flat_map(|t| (0..k).map(move |s| t * (k + 1) + s + 1))
        .map(|row| {
            let (x0, x1) = (&design[row - 1], &design[row]);
            let i = (0..k).find(|&i| x0[i] != x1[i]).unwrap_or(0);
            (i, (x1[i] - x0[i]) * widths[i])
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut reps = vec![Vec::with_capacity(bootstrap); k];
    for _ in 0..bootstrap {
        let yb = resampled_means(rows, &mut rng);
        let trajs: Vec<usize> = (0..r).map(|_| rng.random_range(0..r)).collect();
        let mut sums = vec![0.0; k];
        for &t in &trajs {
            for s in 0..k {
                let row = t * (k + 1) + s + 1;
                let (i, dx) = steps[t * k + s];
                sums[i] += ((yb[row] - yb[row - 1]) / dx).abs();
            }
        }
        for (rep, sum) in reps.iter_mut().zip(sums) {
            rep.push(sum / r as f64);
        }
    }
    for (ix, rep) in out.iter_mut().zip(reps) {
        ix.mu_star_ci = percentile_interval(rep, level);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::sensitivity::ishigami;
    use crate::experiment::sensitivity::sobol;

    #[test]
    fn bad_rows_are_errors() {
        assert!(sobol_replicated(&[], 2, 10, 0.95, 1).is_err());
        assert!(sobol_replicated(&[vec![1.0], vec![]], 2, 10, 0.95, 1).is_err());
    }

    #[test]
    fn replicates_widen_the_bootstrap_and_keep_the_estimates() {
        // Ishigami on a Saltelli design, every row observed 4 times with noise.
        let k = 3;
        let design = crate::experiment::design::saltelli(k, 64, 11);
        let pi = std::f64::consts::PI;
        let f: Vec<f64> = design
            .iter()
            .map(|x| {
                let x: Vec<f64> = x.iter().map(|v| -pi + 2.0 * pi * v).collect();
                ishigami(&x, 7.0, 0.1)
            })
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let rows: Vec<Vec<f64>> = f
            .iter()
            .map(|y| {
                (0..4)
                    .map(|_| y + 20.0 * (rng.random::<f64>() - 0.5))
                    .collect()
            })
            .collect();
        let means = row_means(&rows);
        let plain = sobol(&means, k, 300, 0.95, 9).unwrap();
        let rep = sobol_replicated(&rows, k, 300, 0.95, 9).unwrap();
        let width = |v: &[SobolIndex]| -> f64 {
            v.iter()
                .map(|s| (s.s1_ci.high - s.s1_ci.low) + (s.st_ci.high - s.st_ci.low))
                .sum()
        };
        for (a, b) in plain.iter().zip(&rep) {
            assert_eq!((a.s1, a.st), (b.s1, b.st));
        }
        // Resampling the replicates adds their noise to the intervals.
        assert!(width(&rep) > 1.1 * width(&plain), "{plain:?}\n{rep:?}");
        // Identical replicates: resampling them changes nothing, the intervals agree in width.
        let same: Vec<Vec<f64>> = f.iter().map(|&y| vec![y; 3]).collect();
        let a = sobol(&row_means(&same), k, 100, 0.95, 2).unwrap();
        let b = sobol_replicated(&same, k, 100, 0.95, 2).unwrap();
        for (a, b) in a.iter().zip(&b) {
            assert!((a.s1 - b.s1).abs() < 1e-12);
            assert!(b.s1_ci.low.is_finite() && b.s1_ci.low <= b.s1_ci.high);
        }
        // Morris: same point estimates as on the means.
        let md = crate::experiment::design::morris_trajectories(k, 10, 4, 3);
        let rows: Vec<Vec<f64>> = md
            .iter()
            .map(|x| (0..3).map(|j| x[0] * 5.0 + x[1] + j as f64 * 0.1).collect())
            .collect();
        let m0 = morris(&md, &row_means(&rows), k, None, 50, 0.95, 1).unwrap();
        let m1 = morris_replicated(&md, &rows, k, None, 50, 0.95, 1).unwrap();
        // The strong factor's mu* (5 per whole range) sits inside its interval.
        assert!(m1[0].mu_star_ci.contains(m1[0].mu_star), "{m1:?}");
        // The factor with no effect: resampled replicates show the noise as a positive mu*.
        assert!(
            m1[2].mu_star == 0.0 && m1[2].mu_star_ci.high > 0.0,
            "{m1:?}"
        );
        for (a, b) in m0.iter().zip(&m1) {
            assert_eq!((a.mu, a.mu_star, a.sigma), (b.mu, b.mu_star, b.sigma));
            assert!(b.mu_star_ci.low.is_finite() && b.mu_star_ci.low <= b.mu_star_ci.high);
        }
    }
}
