//! Replications by target precision (`compare --reps auto`): a pilot, then batches sized from
//! the current variance estimate, n = (t · s_d / h)², until the interval of every compared
//! option's paired difference from the reference (what compare reports and judges) is at most
//! the target half-width h on every targeted indicator, or the cap. s_d is the standard
//! deviation of the paired differences, so common random numbers that make the options move
//! together lower the replications needed, and options whose runs are unrelated raise them.
//! Each option's own mean interval is reported alongside (`mean_half_width`), not targeted.
//! Pure functions, no I/O.

use serde::Serialize;

use super::results::IndicatorMeta;
use super::stats;

/// A target half-width for one key indicator, or for every key indicator (`indicator: None`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    /// A key indicator's name, or `None` for the whole key family.
    pub indicator: Option<String>,
    /// The half-width of the paired difference from the reference: in the indicator's unit, or
    /// a fraction of the reference option's mean when `relative`.
    pub value: f64,
    /// Whether `value` is relative to the reference option's mean (0.05 for `5%`).
    pub relative: bool,
}

/// How `--reps auto` runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RepsAuto {
    pub targets: Vec<Target>,
    /// Replications of the first batch.
    pub pilot: usize,
    /// Most replications per option.
    pub max_reps: usize,
}

/// One target on one indicator and compared option after the last batch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetOutcome {
    pub indicator: String,
    /// The compared option (1 or more; its difference from option 0, the reference).
    pub option: usize,
    /// The target half-width in the indicator's unit (a relative target times |reference mean|).
    pub target: f64,
    /// The half-width reached by the interval of the paired difference (option - reference);
    /// NaN with no interval.
    pub half_width: f64,
    /// For information: the half-width of the option's own mean interval (not targeted).
    pub mean_half_width: f64,
    /// Replications the last estimate says would meet it (may exceed the cap).
    pub needed: usize,
    pub met: bool,
}

/// What `--reps auto` did.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrecisionReport {
    pub targets: Vec<Target>,
    pub pilot: usize,
    pub max_reps: usize,
    /// Replications per option after each batch, e.g. [10, 37, 52].
    pub batches: Vec<usize>,
    /// Replications per option used in the end.
    pub reps_used: usize,
    /// Every target on every compared option and indicator it applies to.
    pub outcomes: Vec<TargetOutcome>,
    /// Whether every target was met.
    pub all_met: bool,
}

impl PrecisionReport {
    /// The targets not met (at the cap), as "indicator (option o: ±reached > ±target)".
    pub fn unmet(&self) -> Vec<&TargetOutcome> {
        self.outcomes.iter().filter(|o| !o.met).collect()
    }
}

/// Checks each target against `values[indicator][option][replicate]` at `level`: on every
/// compared option (1 and up), the interval of the paired difference from option 0. Returns the
/// outcomes and the replications the worst unmet target needs (the current n when all are met).
pub fn assess(
    key: &[IndicatorMeta],
    values: &[Vec<Vec<f64>>],
    targets: &[Target],
    level: f64,
) -> (Vec<TargetOutcome>, usize) {
    let mut outcomes = Vec::new();
    let mut need_max = 0;
    for (i, meta) in key.iter().enumerate() {
        // The tightest target that applies to this indicator (a named one beats the family).
        let mine: Vec<&Target> = targets
            .iter()
            .filter(|t| t.indicator.as_deref().is_none_or(|n| n == meta.name))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let named: Vec<&&Target> = mine.iter().filter(|t| t.indicator.is_some()).collect();
        let chosen: Vec<&Target> = if named.is_empty() {
            mine.clone()
        } else {
            named.into_iter().copied().collect()
        };
        let Some(reference) = values[i].first() else {
            continue;
        };
        let reference_mean = stats::mean_stat(reference, level).mean;
        for (o, xs) in values[i].iter().enumerate().skip(1) {
            // The paired differences, over the replicates where both have a value: the same
            // pairs, mean and interval as `stats::paired_diff`.
            let d: Vec<f64> = reference
                .iter()
                .zip(xs)
                .filter(|(r, x)| r.is_finite() && x.is_finite())
                .map(|(r, x)| x - r)
                .collect();
            let st = stats::mean_stat(&d, level);
            let target = chosen
                .iter()
                .map(|t| {
                    if t.relative {
                        t.value * reference_mean.abs()
                    } else {
                        t.value
                    }
                })
                .fold(f64::INFINITY, f64::min);
            let half = st.ci.map_or(f64::NAN, |ci| (ci.high - ci.low) / 2.0);
            let mean_half = stats::mean_stat(xs, level)
                .ci
                .map_or(f64::NAN, |ci| (ci.high - ci.low) / 2.0);
            let n = st.n;
            let t = stats::t_quantile(n.saturating_sub(1).max(1) as f64, 1.0 - (1.0 - level) / 2.0);
            // Differences that are always equal (sd 0) meet any target; a target of 0 on a
            // varying difference, or a relative target on a reference mean of 0, never.
            let met = half.is_finite() && half <= target;
            let needed = if met {
                n
            } else if target > 0.0 && st.sd.is_finite() && t.is_finite() {
                let x = (t * st.sd / target).powi(2).ceil();
                if x.is_finite() && x < 1e9 {
                    (x as usize).max(n + 1)
                } else {
                    usize::MAX
                }
            } else {
                usize::MAX
            };
            if !met {
                need_max = need_max.max(needed);
            }
            outcomes.push(TargetOutcome {
                indicator: meta.name.clone(),
                option: o,
                target,
                half_width: half,
                mean_half_width: mean_half,
                needed,
                met,
            });
        }
    }
    let n_now = values.first().and_then(|v| v.first()).map_or(0, Vec::len);
    (outcomes, need_max.max(n_now))
}

/// Replications per option for the next batch: what the estimate needs, at least one more than
/// now and at most the cap.
pub fn next_n(now: usize, needed: usize, cap: usize) -> usize {
    needed.max(now + 1).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::results::Better;

    fn meta(name: &str) -> IndicatorMeta {
        IndicatorMeta {
            name: name.into(),
            label: name.into(),
            unit: "count".into(),
            better: Better::Higher,
        }
    }

    #[test]
    fn needed_replications_follow_the_formula() {
        // Reference 0..9, option twice the reference: differences 0..9 with sd s, so
        // n = (t · s / h)².
        let xs: Vec<f64> = (0..10).map(|i| i as f64).collect();
        let twice: Vec<f64> = xs.iter().map(|x| 2.0 * x).collect();
        let s = stats::sample_sd(&xs).unwrap();
        let t = stats::t_quantile(9.0, 0.975);
        let values = vec![vec![xs.clone(), twice]];
        let target = Target {
            indicator: Some("a".into()),
            value: 0.5,
            relative: false,
        };
        let (out, need) = assess(&[meta("a")], &values, &[target], 0.95);
        // One outcome: option 1 against the reference, none for the reference itself.
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].option, 1);
        assert!(!out[0].met);
        assert!((out[0].half_width - t * s / 10f64.sqrt()).abs() < 1e-12);
        let want = ((t * s / 0.5).powi(2)).ceil() as usize;
        assert_eq!(need, want);
        assert_eq!(next_n(10, need, 200), want.min(200));
        assert_eq!(next_n(10, need, 50), 50);
    }

    /// The target is on the difference compare reports, not on each option's mean: two options
    /// whose means are each known to ±0.3 but move against each other have a difference known
    /// only to about ±0.6, so a target of 0.4 is not met (it was, when the target applied to
    /// the means); and two options that move together meet it however wide their means are.
    #[test]
    fn the_target_applies_to_the_paired_difference() {
        let up: Vec<f64> = (0..20).map(|i| 10.0 + (i % 5) as f64 * 0.5).collect();
        let down: Vec<f64> = up.iter().map(|x| 20.0 - x).collect();
        let shifted: Vec<f64> = up.iter().map(|x| x + 1.0).collect();
        let target = Target {
            indicator: None,
            value: 0.4,
            relative: false,
        };
        let (out, need) = assess(
            &[meta("a")],
            &[vec![up.clone(), down, shifted]],
            std::slice::from_ref(&target),
            0.95,
        );
        assert_eq!(out.len(), 2);
        assert!(out[0].mean_half_width < 0.4, "{out:?}");
        assert!(!out[0].met && out[0].half_width > 0.4, "{out:?}");
        assert!(need > 20);
        assert!(out[1].met && out[1].half_width == 0.0, "{out:?}");
        // A relative target is a share of the reference's mean (11 here).
        let rel = Target {
            indicator: None,
            value: 0.1,
            relative: true,
        };
        let (out, _) = assess(&[meta("a")], &[vec![up.clone(), up]], &[rel], 0.95);
        assert!((out[0].target - 1.1).abs() < 1e-12, "{out:?}");
    }

    #[test]
    fn relative_family_targets_and_constants() {
        let values = vec![
            vec![
                vec![100.0, 101.0, 99.0, 100.0],
                vec![101.0, 101.0, 100.0, 100.0],
            ],
            vec![vec![3.0; 4]; 2],
            vec![vec![0.0, 1.0, -1.0, 0.0], vec![1.0, 0.0, 0.0, -1.0]],
        ];
        let fam = Target {
            indicator: None,
            value: 0.05,
            relative: true,
        };
        let key = [meta("a"), meta("b"), meta("c")];
        let (out, need) = assess(&key, &values, &[fam], 0.95);
        // a: the difference's half-width about 1.3 against 5 (5% of 100): met; b constant:
        // met; c: reference mean 0, a relative target can never be met.
        assert!(out.iter().filter(|o| o.indicator == "a").all(|o| o.met));
        assert!(out.iter().filter(|o| o.indicator == "b").all(|o| o.met));
        assert!(out.iter().filter(|o| o.indicator == "c").all(|o| !o.met));
        assert_eq!(need, usize::MAX);
        assert_eq!(next_n(4, need, 200), 200);
    }
}
