//! Multiplicity control in compare: the self-comparison null test. The status quo compared
//! with itself (independent seeds, so not common random numbers) has no true difference, so
//! every "better" or "worse" is a false alarm; over 26 key indicators, unadjusted verdicts raise
//! many, Holm keeps the family-wise rate near 1 - level.

use rayon::prelude::*;
use towngov::experiment::compare::indicator_rows;
use towngov::experiment::indicators;
use towngov::experiment::multiplicity::Adjust;
use towngov::experiment::runner::{self, RunSpec};
use towngov::report::verdict_word;

const COMPARISONS: usize = 20;
const REPS: usize = 10;
const DAYS: u32 = 180;

/// How many of the comparisons call at least one key indicator better, worse, higher or lower.
fn flagged(runs: &[Vec<f64>], adjust: Adjust) -> (usize, Vec<usize>) {
    let mut any = 0;
    let mut per = Vec::new();
    for k in 0..COMPARISONS {
        let key = indicators::key();
        let base = k * 2 * REPS;
        // values[indicator][option][replicate]; option 1 uses the next REPS seeds.
        let values: Vec<Vec<Vec<f64>>> = (0..key.len())
            .map(|i| {
                (0..2)
                    .map(|o| (0..REPS).map(|r| runs[base + o * REPS + r][i]).collect())
                    .collect()
            })
            .collect();
        let rows = indicator_rows(key, values, 0.95, adjust);
        let n = rows
            .iter()
            .filter(|row| {
                let w = verdict_word(&row.meta, row.by_option[1].diff.as_ref());
                matches!(w, "better" | "worse" | "higher" | "lower")
            })
            .count();
        per.push(n);
        if n > 0 {
            any += 1;
        }
    }
    (any, per)
}

#[test]
fn self_comparison_null_test_holm_controls_false_alarms() {
    let scenario = towngov::scenario::embedded_default();
    let names: Vec<String> = indicators::key().into_iter().map(|m| m.name).collect();
    let runs: Vec<Vec<f64>> = (0..(COMPARISONS * 2 * REPS) as u64)
        .into_par_iter()
        .map(|r| {
            let out = runner::run(RunSpec {
                scenario: &scenario,
                seed: runner::replicate_seed(0x5e1f, r),
                days: DAYS,
                from_state: None,
                daily: &[],
            })
            .expect("a fresh run");
            names
                .iter()
                .map(|n| out.figures.get(n).copied().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    let (none, per_none) = flagged(&runs, Adjust::None);
    let (holm, per_holm) = flagged(&runs, Adjust::Holm);
    let (bh, per_bh) = flagged(&runs, Adjust::Bh);
    eprintln!(
        "self-comparisons flagging any key indicator, of {COMPARISONS}: none {none} {per_none:?}, \
         holm {holm} {per_holm:?}, bh {bh} {per_bh:?}"
    );
    // Holm controls the family-wise rate at 5%: 1 of 20 expected, 3 is generous.
    assert!(
        holm <= 3,
        "holm flagged {holm} of {COMPARISONS}: {per_holm:?}"
    );
    // Under the global null, BH controls the family-wise rate too.
    assert!(bh <= 3, "bh flagged {bh} of {COMPARISONS}: {per_bh:?}");
    // Without adjustment the false alarms are many more.
    assert!(none > holm, "none {none} vs holm {holm}");
    assert!(
        none >= 4,
        "none flagged only {none} of {COMPARISONS}: {per_none:?}"
    );
    // Adjustment only ever removes verdicts.
    for (a, b) in per_holm.iter().zip(&per_none) {
        assert!(a <= b);
    }
}

/// The family is the key indicators × the options compared with the reference: with three
/// options (two compared), Holm multiplies the smallest p-value by 2 × 26 = 52, not by 26 as a
/// family per option would.
#[test]
fn the_family_is_key_indicators_times_compared_options() {
    use towngov::experiment::compare::adjust_family;
    let key = indicators::key();
    let n_key = key.len();
    assert_eq!(
        n_key, 26,
        "the key family changed size: update README and ODD 4.12"
    );
    // Ten replicates per option; option o shifts indicator i by a small amount so every
    // difference has a p-value, all different.
    let values: Vec<Vec<Vec<f64>>> = (0..n_key)
        .map(|i| {
            (0..3)
                .map(|o| {
                    (0..10)
                        .map(|r| {
                            let noise = ((r * 7 + i * 3 + o * 5) % 11) as f64 / 10.0;
                            r as f64 + noise + o as f64 * (i as f64 + 1.0) / 100.0
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut rows = indicator_rows(key.clone(), values.clone(), 0.95, Adjust::None);
    let raw: Vec<f64> = rows
        .iter()
        .flat_map(|r| {
            r.by_option[1..]
                .iter()
                .map(|s| s.diff.unwrap().p_value.unwrap())
        })
        .collect();
    assert_eq!(raw.len(), 2 * n_key);
    let family = adjust_family(&mut rows, Adjust::Holm, 0.95);
    assert_eq!(family, 2 * n_key);
    let smallest = raw.iter().copied().fold(f64::INFINITY, f64::min);
    let adjusted: Vec<f64> = rows
        .iter()
        .flat_map(|r| {
            r.by_option[1..]
                .iter()
                .map(|s| s.diff.unwrap().p_adjusted.unwrap())
        })
        .collect();
    let min_adjusted = adjusted.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(
        (min_adjusted - (52.0 * smallest).min(1.0)).abs() < 1e-12,
        "smallest p {smallest}: adjusted {min_adjusted}, want 52 times"
    );
    // indicator_rows adjusts over the same family.
    let rows_holm = indicator_rows(key, values, 0.95, Adjust::Holm);
    let again: Vec<f64> = rows_holm
        .iter()
        .flat_map(|r| {
            r.by_option[1..]
                .iter()
                .map(|s| s.diff.unwrap().p_adjusted.unwrap())
        })
        .collect();
    assert_eq!(adjusted, again);
}
