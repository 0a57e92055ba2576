//! The replication statistics: interval coverage where the truth is known, edge cases, and the
//! online accumulator against the two-pass formulas.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use towngov::experiment::results::Interval;
use towngov::experiment::stats::{Welford, mean, mean_stat, paired_diff, sample_sd, t_quantile};

fn normal(rng: &mut ChaCha8Rng) -> f64 {
    StandardNormal.sample(rng)
}

/// `datasets` seeded data sets of `n` pairs: a reference and an option that share a run effect
/// (common random numbers make the two strongly correlated) and differ by `truth` on average.
/// Returns the share of paired intervals at `level` that contain `truth`, and the same share
/// for a naive normal (z) interval.
fn coverage(n: usize, datasets: usize, level: f64, truth: f64, seed: u64) -> (f64, f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let z = t_quantile(f64::INFINITY, 1.0 - (1.0 - level) / 2.0);
    let (mut hits, mut z_hits) = (0usize, 0usize);
    for _ in 0..datasets {
        let mut reference = Vec::with_capacity(n);
        let mut option = Vec::with_capacity(n);
        for _ in 0..n {
            let run = 40.0 + 6.0 * normal(&mut rng);
            reference.push(run + 0.8 * normal(&mut rng));
            option.push(0.9 * run + 4.0 + truth + 1.3 * normal(&mut rng));
        }
        // The option's mean is 0.9 * 40 + 4 + truth = 40 + truth: the difference is `truth`.
        let d = paired_diff(&reference, &option, level);
        assert_eq!(d.n, n);
        if d.ci.expect("n >= 2 gives an interval").contains(truth) {
            hits += 1;
        }
        let diffs: Vec<f64> = reference.iter().zip(&option).map(|(r, o)| o - r).collect();
        let half = z * sample_sd(&diffs).unwrap() / (n as f64).sqrt();
        let naive = Interval {
            low: d.mean - half,
            high: d.mean + half,
        };
        if naive.contains(truth) {
            z_hits += 1;
        }
    }
    (
        hits as f64 / datasets as f64,
        z_hits as f64 / datasets as f64,
    )
}

#[test]
fn paired_ci_covers_the_true_difference_at_its_level() {
    let (c95, _) = coverage(10, 2000, 0.95, 1.5, 11);
    assert!((0.93..=0.97).contains(&c95), "95% coverage {c95}");
    let (c90, _) = coverage(10, 2000, 0.90, 1.5, 12);
    eprintln!("n = 10: 95% intervals cover {c95}, 90% intervals cover {c90}");
    assert!((0.87..=0.93).contains(&c90), "90% coverage {c90}");
}

/// With 5 pairs the t quantile (2.78) is far from z (1.96): the t interval still covers 95%,
/// a z interval only about 88%. Fails if the t interval is replaced by a normal one.
#[test]
fn t_interval_keeps_coverage_where_z_undercovers() {
    let (t, z) = coverage(5, 2000, 0.95, -0.7, 13);
    eprintln!("n = 5: t intervals cover {t}, z intervals cover {z}");
    assert!((0.93..=0.97).contains(&t), "t coverage at n = 5: {t}");
    assert!(
        z < 0.91,
        "z coverage at n = 5 should fall short of 95%: {z}"
    );
}

#[test]
fn paired_interval_matches_a_hand_computation() {
    // Differences 1..=5: mean 3, sd sqrt(2.5); t(4, 0.975) = 2.776445.
    let reference = [10.0, 10.0, 10.0, 10.0, 10.0];
    let option = [11.0, 12.0, 13.0, 14.0, 15.0];
    let d = paired_diff(&reference, &option, 0.95);
    assert_eq!(d.n, 5);
    assert!((d.mean - 3.0).abs() < 1e-12);
    let half = 2.776_445 * 2.5f64.sqrt() / 5f64.sqrt();
    let ci = d.ci.unwrap();
    assert!((ci.low - (3.0 - half)).abs() < 1e-5, "{ci:?}");
    assert!((ci.high - (3.0 + half)).abs() < 1e-5, "{ci:?}");
    assert!((d.effect_size.unwrap() - 3.0 / 2.5f64.sqrt()).abs() < 1e-12);
    // A higher level gives a wider interval around the same mean.
    let wide = paired_diff(&reference, &option, 0.99).ci.unwrap();
    assert!(wide.low < ci.low && wide.high > ci.high);
}

#[test]
fn mean_stat_skips_missing_values_and_handles_small_n() {
    let s = mean_stat(&[1.0, f64::NAN, 3.0, f64::INFINITY], 0.95);
    assert_eq!(s.n, 2);
    assert_eq!(s.mean, 2.0);
    assert!((s.sd - 2f64.sqrt()).abs() < 1e-12);
    let ci = s.ci.unwrap();
    // t(1, 0.975) = 12.706: 2 ± 12.706 * sqrt(2) / sqrt(2).
    assert!((ci.low - (2.0 - 12.7062)).abs() < 1e-3, "{ci:?}");
    assert!(s.diff.is_none());

    let one = mean_stat(&[f64::NAN, 5.0], 0.95);
    assert_eq!((one.n, one.mean, one.sd, one.ci), (1, 5.0, 0.0, None));

    let none = mean_stat(&[f64::NAN], 0.95);
    assert_eq!(none.n, 0);
    assert!(none.mean.is_nan() && none.ci.is_none());
    assert_eq!(mean_stat(&[], 0.95).n, 0);

    let flat = mean_stat(&[2.5, 2.5, 2.5], 0.95);
    assert_eq!(flat.sd, 0.0);
    assert_eq!(
        flat.ci,
        Some(Interval {
            low: 2.5,
            high: 2.5
        })
    );
}

#[test]
fn paired_diff_uses_only_complete_pairs() {
    // Pairs 1 and 2 each miss one side; pair 4 is beyond the shorter slice.
    let reference = [1.0, f64::NAN, 3.0, 4.0];
    let option = [2.0, 5.0, f64::NAN, 6.0, 100.0];
    let d = paired_diff(&reference, &option, 0.95);
    assert_eq!(d.n, 2);
    assert_eq!(d.mean, 1.5);
    assert!(d.ci.is_some());
    assert!((d.effect_size.unwrap() - 1.5 / 0.5f64.sqrt()).abs() < 1e-12);

    let single = paired_diff(&[1.0, f64::NAN], &[4.0, 2.0], 0.95);
    assert_eq!((single.n, single.mean), (1, 3.0));
    assert!(single.ci.is_none() && single.effect_size.is_none());

    let empty = paired_diff(&[], &[1.0], 0.95);
    assert_eq!(empty.n, 0);
    assert!(empty.mean.is_nan() && empty.ci.is_none() && empty.effect_size.is_none());

    // Every option run exactly 2 better: no spread, a degenerate interval, no effect size.
    let same = paired_diff(&[1.0, 5.0, 9.0], &[3.0, 7.0, 11.0], 0.95);
    assert_eq!(same.mean, 2.0);
    assert_eq!(
        same.ci,
        Some(Interval {
            low: 2.0,
            high: 2.0
        })
    );
    assert_eq!(same.effect_size, None);
}

#[test]
fn slice_helpers_handle_empty_and_short_input() {
    assert_eq!(mean(&[]), None);
    assert_eq!(sample_sd(&[1.0]), None);
    assert_eq!(mean(&[1.0, 2.0, 6.0]), Some(3.0));
    assert!((sample_sd(&[1.0, 2.0, 6.0]).unwrap() - 7f64.sqrt()).abs() < 1e-12);
}

#[test]
fn welford_agrees_with_two_pass_formulas() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    // A large offset: a naive sum-of-squares formula would lose most digits here.
    let xs: Vec<f64> = (0..1000).map(|_| 1e6 + 3.0 * normal(&mut rng)).collect();
    let mut w = Welford::new();
    assert_eq!((w.n(), w.mean(), w.sd(), w.ci(0.95)), (0, None, None, None));
    for (i, &x) in xs.iter().enumerate() {
        w.push(x);
        if i % 100 == 0 {
            w.push(f64::NAN); // missing values do not count
        }
    }
    assert_eq!(w.n(), xs.len());
    let (m, sd) = (mean(&xs).unwrap(), sample_sd(&xs).unwrap());
    assert!(
        (w.mean().unwrap() - m).abs() < 1e-9 * m,
        "{:?} vs {m}",
        w.mean()
    );
    assert!(
        (w.sd().unwrap() - sd).abs() < 1e-9 * sd,
        "{:?} vs {sd}",
        w.sd()
    );
    let (a, b) = (w.ci(0.95).unwrap(), mean_stat(&xs, 0.95).ci.unwrap());
    assert!((a.low - b.low).abs() < 1e-6 && (a.high - b.high).abs() < 1e-6);

    let mut one = Welford::new();
    one.push(4.0);
    assert_eq!(
        (one.mean(), one.sd(), one.ci(0.95)),
        (Some(4.0), None, None)
    );
}
