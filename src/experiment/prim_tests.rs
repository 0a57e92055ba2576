//! PRIM on synthetic data whose box is known.

use super::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn uniform(n: usize, k: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n)
        .map(|_| (0..k).map(|_| rng.random::<f64>()).collect())
        .collect()
}

fn range(l: &Limit) -> (f64, f64) {
    match l {
        Limit::Range { lower, upper } => (*lower, *upper),
        Limit::Set(_) => panic!("a set, not a range"),
    }
}

#[test]
fn finds_a_known_box_in_noise() {
    // y = x1 > 0.7 && x2 < 0.3, 1% of the labels flipped; x3 plays no part.
    let x = uniform(2000, 3, 11);
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let y: Vec<bool> = x
        .iter()
        .map(|r| (r[0] > 0.7 && r[1] < 0.3) ^ (rng.random::<f64>() < 0.01))
        .collect();
    let f = prim(&x, &[Dim::Real; 3], &y, Settings::default()).unwrap();
    let b = f.chosen_box();
    assert_eq!(b.restricted, vec![0, 1], "{b:?}");
    let (lo0, hi0) = range(&b.limits[0]);
    let (lo1, hi1) = range(&b.limits[1]);
    assert!(
        (lo0 - 0.7).abs() < 0.04 && hi0 > 0.99,
        "x1 in [{lo0}, {hi0}]"
    );
    assert!(
        lo1 < 0.01 && (hi1 - 0.3).abs() < 0.04,
        "x2 in [{lo1}, {hi1}]"
    );
    assert!(b.coverage >= 0.8 && b.density > 0.8, "{b:?}");
    // The first box is the whole space; peeling only narrows, mass falls.
    assert_eq!(f.trajectory[0].coverage, 1.0);
    assert!(
        f.trajectory
            .windows(2)
            .all(|w| w[1].step == "paste" || w[1].mass < w[0].mass)
    );
    // Both limits matter: tiny quasi-p-values on the restricted sides only.
    let r0 = &f.restrictions[0];
    assert!(
        r0.qp_lower.unwrap() < 1e-6 && r0.qp_upper.is_none(),
        "{r0:?}"
    );
    let r1 = &f.restrictions[1];
    assert!(
        r1.qp_upper.unwrap() < 1e-6 && r1.qp_lower.is_none(),
        "{r1:?}"
    );
}

#[test]
fn peels_categories_and_whole_numbers() {
    // A choice of 4 (failing only at variant 2) and a whole number 0..=20 (failing below 8).
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let x: Vec<Vec<f64>> = (0..1500)
        .map(|_| {
            vec![
                rng.random_range(0..4usize) as f64,
                rng.random_range(0..=20u32) as f64,
                rng.random::<f64>(),
            ]
        })
        .collect();
    let y: Vec<bool> = x.iter().map(|r| r[0] == 2.0 && r[1] <= 7.0).collect();
    let dims = [Dim::Categorical(4), Dim::Whole, Dim::Real];
    let f = prim(&x, &dims, &y, Settings::default()).unwrap();
    let b = f.chosen_box();
    assert_eq!(b.limits[0], Limit::Set(vec![2]), "{b:?}");
    let (lo, hi) = range(&b.limits[1]);
    assert_eq!((lo, hi), (0.0, 7.0), "{b:?}");
    assert_eq!(b.restricted, vec![0, 1]);
    assert_eq!((b.coverage, b.density), (1.0, 1.0));
}

#[test]
fn no_cases_and_no_pattern_are_told_apart() {
    let x = uniform(200, 2, 5);
    let none = vec![false; 200];
    assert_eq!(
        prim(&x, &[Dim::Real; 2], &none, Settings::default()),
        Err(PrimError::NoCases)
    );
    // Every future fails: the whole space is the box, nothing restricted.
    let all = vec![true; 200];
    let f = prim(&x, &[Dim::Real; 2], &all, Settings::default()).unwrap();
    assert_eq!(f.chosen, 0);
    assert!(f.restrictions.is_empty());
    assert_eq!(
        prim(&[], &[], &[], Settings::default()),
        Err(PrimError::NoData)
    );
}

#[test]
fn quantile_follows_ema() {
    // get_quantile([1..=10], 0.05): i = 0.45, lower 0 and upper 1: (1 + 2) / 2.
    let mut v: Vec<f64> = (1..=10).map(f64::from).collect();
    assert_eq!(quantile(&mut v, 0.05), 1.5);
    assert_eq!(quantile(&mut v, 0.95), 9.5);
    // Ties move outwards: [1, 1, 1, 5] at 0.05 takes 1 and the next distinct value.
    let mut t = vec![1.0, 5.0, 1.0, 1.0];
    assert_eq!(quantile(&mut t, 0.05), 3.0);
}
