//! Sampling designs for parameter studies. Every design is in the unit cube (callers map it to
//! parameter bounds with [`scale`]) and every random choice comes from a ChaCha8 stream seeded
//! from the `seed` argument, so the same arguments give the same design bit for bit.
//!
//! Row layouts follow SALib, so a design written with [`super::salib`] can be analysed there.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The largest f64 below 1, so points stay in [0, 1) despite rounding.
const BELOW_ONE: f64 = 1.0 - f64::EPSILON / 2.0;

/// Number of dimensions `sobol_burley` provides (its `NUM_DIMENSIONS`).
pub const SOBOL_MAX_DIMENSIONS: usize = sobol_burley::NUM_DIMENSIONS as usize;

/// Number of points per dimension `sobol_burley` supports (2^16).
pub const SOBOL_MAX_POINTS: usize = 1 << 16;

/// A uniformly random permutation of `0..n` (Fisher-Yates).
fn permutation(n: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i);
        p.swap(i, j);
    }
    p
}

/// Latin hypercube sample of `n` points in `[0, 1)^k`: in every dimension each of the `n` strata
/// `[s/n, (s+1)/n)` holds exactly one point, at a uniformly random position within it; the
/// strata are matched across dimensions by an independent random permutation per dimension.
///
/// Returns `n` rows of `k` values (no rows when `n == 0`).
pub fn latin_hypercube(n: usize, k: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows = vec![vec![0.0; k]; n];
    for d in 0..k {
        let perm = permutation(n, &mut rng);
        for (row, &stratum) in rows.iter_mut().zip(&perm) {
            let u: f64 = rng.random::<f64>();
            row[d] = ((stratum as f64 + u) / n as f64).min(BELOW_ONE);
        }
    }
    rows
}

/// The Morris step on a `levels`-level grid: `levels / (2 (levels - 1))`, NaN when
/// `levels < 2`.
pub fn morris_delta(levels: usize) -> f64 {
    if levels < 2 {
        return f64::NAN;
    }
    levels as f64 / (2.0 * (levels - 1) as f64)
}

/// Morris (1991) one-at-a-time design: `r` trajectories of `k + 1` points on the grid
/// `{0, 1/(levels-1), ..., 1}` (so, unlike the other designs, a coordinate can be exactly 1),
/// row-major in trajectory order as `SALib.sample.morris` lays it out.
///
/// Each trajectory starts from a random base point whose coordinates are grid values no larger
/// than `1 - delta`, with `delta = levels / (2 (levels - 1))` ([`morris_delta`]); then the factors
/// move one at a time, in a random order, each by `+delta` or `-delta` (random direction), so
/// consecutive points differ in exactly one factor and each factor moves exactly once. Use an
/// even `levels` (4 is usual): with an odd one `delta` is not a multiple of the grid step.
///
/// Returns no rows when `k == 0`, `r == 0` or `levels < 2`.
pub fn morris_trajectories(k: usize, r: usize, levels: usize, seed: u64) -> Vec<Vec<f64>> {
    if k == 0 || r == 0 || levels < 2 {
        return Vec::new();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let delta = morris_delta(levels);
    let step = 1.0 / (levels - 1) as f64;
    // Grid values m * step with m * step <= 1 - delta: m in 0..levels / 2.
    let base_choices = levels / 2;
    let mut rows = Vec::with_capacity(r * (k + 1));
    for _ in 0..r {
        let base: Vec<f64> = (0..k)
            .map(|_| rng.random_range(0..base_choices) as f64 * step)
            .collect();
        let up: Vec<bool> = (0..k).map(|_| rng.random::<bool>()).collect();
        let order = permutation(k, &mut rng);
        // Factors moving up start at the base value, those moving down at base + delta.
        let mut x: Vec<f64> = base
            .iter()
            .zip(&up)
            .map(|(&b, &u)| if u { b } else { b + delta })
            .collect();
        rows.push(x.clone());
        for &i in &order {
            x[i] = if up[i] { base[i] + delta } else { base[i] };
            rows.push(x.clone());
        }
    }
    rows
}

/// Derives the 32-bit seed `sobol_burley` takes from a 64-bit seed.
fn sobol_seed(seed: u64) -> u32 {
    ChaCha8Rng::seed_from_u64(seed).random::<u32>()
}

/// Saltelli (2010) design for first- and total-order Sobol indices (no second order), in
/// SALib's row order (`SALib.sample.sobol` with `calc_second_order=False`): for each base index
/// `j` in `0..n`, the row `A_j`, then `AB_j^(1)`, ..., `AB_j^(k)` (row `A_j` with column `i`
/// taken from `B_j`), then `B_j`; `n * (k + 2)` rows of `k` values in `[0, 1)`.
///
/// `A` and `B` are the first and last `k` dimensions of a `2k`-dimensional Owen-scrambled
/// Sobol sequence (`sobol_burley`, scrambled by a 32-bit seed derived from `seed`; scrambling
/// makes skipping the first point unnecessary). `n` need not be a power of two, though powers
/// of two balance the sequence best. When `2k` exceeds [`SOBOL_MAX_DIMENSIONS`] or `n` exceeds
/// [`SOBOL_MAX_POINTS`], `A` and `B` are instead independent uniform random points from a
/// ChaCha8 stream seeded with `seed` (plain Monte Carlo: same estimators, slower convergence).
///
/// Returns no rows when `k == 0` or `n == 0`.
pub fn saltelli(k: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    saltelli_rows(k, n, seed, false)
}

/// Saltelli's design for first-, total- and second-order Sobol indices, in SALib's row order
/// (`SALib.sample.sobol` with `calc_second_order=True`): for each base index `j`, `A_j`,
/// `AB_j^(1..=k)`, then `BA_j^(1..=k)` (row `B_j` with column `i` taken from `A_j`), then
/// `B_j`; `n * (2k + 2)` rows. `A`, `B` and `AB` are those of [`saltelli`] with the same
/// arguments.
pub fn saltelli_second_order(k: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    saltelli_rows(k, n, seed, true)
}

fn saltelli_rows(k: usize, n: usize, seed: u64, second_order: bool) -> Vec<Vec<f64>> {
    if k == 0 || n == 0 {
        return Vec::new();
    }
    let base: Vec<Vec<f64>> = if 2 * k <= SOBOL_MAX_DIMENSIONS && n <= SOBOL_MAX_POINTS {
        let s = sobol_seed(seed);
        (0..n as u32)
            .map(|j| {
                (0..2 * k as u32)
                    .map(|d| f64::from(sobol_burley::sample(j, d, s)))
                    .collect()
            })
            .collect()
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n)
            .map(|_| (0..2 * k).map(|_| rng.random::<f64>()).collect())
            .collect()
    };
    let width = if second_order { 2 * k + 2 } else { k + 2 };
    let mut rows = Vec::with_capacity(n * width);
    for ab in &base {
        let (a, b) = ab.split_at(k);
        rows.push(a.to_vec());
        for i in 0..k {
            let mut row = a.to_vec();
            row[i] = b[i];
            rows.push(row);
        }
        if second_order {
            for i in 0..k {
                let mut row = b.to_vec();
                row[i] = a[i];
                rows.push(row);
            }
        }
        rows.push(b.to_vec());
    }
    rows
}

/// Maps a unit-cube point to parameter values: `lower + u (upper - lower)` per coordinate.
/// Pairs beyond the shorter of `unit` and `bounds` are dropped.
pub fn scale(unit: &[f64], bounds: &[(f64, f64)]) -> Vec<f64> {
    unit.iter()
        .zip(bounds)
        .map(|(&u, &(lo, hi))| lo + u * (hi - lo))
        .collect()
}

/// Every combination of the values, the last parameter varying fastest.
pub fn factorial(values: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let mut points = vec![Vec::new()];
    for v in values {
        let mut next = Vec::with_capacity(points.len() * v.len());
        for p in &points {
            for &x in v {
                let mut q = p.clone();
                q.push(x);
                next.push(q);
            }
        }
        points = next;
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_sizes_give_empty_designs() {
        assert!(latin_hypercube(0, 3, 1).is_empty());
        assert!(morris_trajectories(0, 3, 4, 1).is_empty());
        assert!(morris_trajectories(3, 3, 1, 1).is_empty());
        assert!(saltelli(0, 8, 1).is_empty());
        assert!(saltelli(2, 0, 1).is_empty());
    }

    #[test]
    fn saltelli_falls_back_beyond_sobol_dimensions() {
        let k = SOBOL_MAX_DIMENSIONS / 2 + 1;
        let d = saltelli(k, 2, 7);
        assert_eq!(d.len(), 2 * (k + 2));
        assert!(d.iter().flatten().all(|x| (0.0..1.0).contains(x)));
        assert_eq!(d, saltelli(k, 2, 7));
    }

    #[test]
    fn scale_maps_bounds() {
        assert_eq!(
            scale(&[0.0, 0.5, 1.0], &[(1.0, 3.0), (-1.0, 1.0), (0.0, 10.0)]),
            vec![1.0, 0.0, 10.0]
        );
    }
}
