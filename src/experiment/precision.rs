//! Replications by target precision (`compare --reps auto`): a pilot, then batches sized from
//! the current variance estimate, n = (t · s / h)², until every option's interval on every
//! targeted indicator is at most the target half-width h, or the cap. Pure functions, no I/O.

use serde::Serialize;

use super::results::IndicatorMeta;
use super::stats;

/// A target half-width for one key indicator, or for every key indicator (`indicator: None`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    /// A key indicator's name, or `None` for the whole key family.
    pub indicator: Option<String>,
    /// The half-width: in the indicator's unit, or a fraction of the mean when `relative`.
    pub value: f64,
    /// Whether `value` is relative to the option's mean (0.05 for `5%`).
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

/// One target on one indicator and option after the last batch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetOutcome {
    pub indicator: String,
    pub option: usize,
    /// The target half-width in the indicator's unit (a relative target times |mean|).
    pub target: f64,
    /// The interval's half-width reached; NaN with no interval.
    pub half_width: f64,
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
    /// Every target on every option and indicator it applies to.
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

/// Checks each target against `values[indicator][option][replicate]` at `level`. Returns the
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
        for (o, xs) in values[i].iter().enumerate() {
            let st = stats::mean_stat(xs, level);
            let target = chosen
                .iter()
                .map(|t| {
                    if t.relative {
                        t.value * st.mean.abs()
                    } else {
                        t.value
                    }
                })
                .fold(f64::INFINITY, f64::min);
            let half = st.ci.map_or(f64::NAN, |ci| (ci.high - ci.low) / 2.0);
            let n = st.n;
            let t = stats::t_quantile(n.saturating_sub(1).max(1) as f64, 1.0 - (1.0 - level) / 2.0);
            // A constant output (sd 0) meets any target; a target of 0 on a varying output,
            // or a relative target on a mean of 0, can never be met.
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
        // 10 values with sd s: n = (t · s / h)².
        let xs: Vec<f64> = (0..10).map(|i| i as f64).collect();
        let s = stats::sample_sd(&xs).unwrap();
        let t = stats::t_quantile(9.0, 0.975);
        let values = vec![vec![xs.clone(), xs.clone()]];
        let target = Target {
            indicator: Some("a".into()),
            value: 0.5,
            relative: false,
        };
        let (out, need) = assess(&[meta("a")], &values, &[target], 0.95);
        assert_eq!(out.len(), 2);
        assert!(!out[0].met);
        let want = ((t * s / 0.5).powi(2)).ceil() as usize;
        assert_eq!(need, want);
        assert_eq!(next_n(10, need, 200), want.min(200));
        assert_eq!(next_n(10, need, 50), 50);
    }

    #[test]
    fn relative_family_targets_and_constants() {
        let values = vec![
            vec![vec![100.0, 101.0, 99.0, 100.0]; 2],
            vec![vec![3.0; 4]; 2],
            vec![vec![0.0, 1.0, -1.0, 0.0]; 2],
        ];
        let fam = Target {
            indicator: None,
            value: 0.05,
            relative: true,
        };
        let key = [meta("a"), meta("b"), meta("c")];
        let (out, need) = assess(&key, &values, &[fam], 0.95);
        // a: half-width about 1.3 against 5 (5% of 100): met; b constant: met;
        // c: mean 0, a relative target can never be met.
        assert!(out.iter().filter(|o| o.indicator == "a").all(|o| o.met));
        assert!(out.iter().filter(|o| o.indicator == "b").all(|o| o.met));
        assert!(out.iter().filter(|o| o.indicator == "c").all(|o| !o.met));
        assert_eq!(need, usize::MAX);
        assert_eq!(next_n(4, need, 200), 200);
    }
}
