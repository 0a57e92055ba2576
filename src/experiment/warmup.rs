//! The MSER-5 warm-up diagnostic (White 1997; Franklin & White 2008): the length of the
//! initial transient to cut from a daily series so the rest looks stationary. The series is
//! cut into batches of 5 days; for each truncation d (in batches) over the first half of the
//! series, MSER(d) = Σ_{j ≥ d} (b_j - b̄_d)² / (k - d)², where b_j are the k batch means and b̄_d
//! the mean of those kept; the suggested warm-up is the d that minimises it, times 5 days.
//! Pure functions, no I/O.

use serde::Serialize;

/// Days per batch in MSER-5.
pub const BATCH: usize = 5;

/// The MSER-5 verdict on one series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mser {
    /// Suggested days to cut from the start (a multiple of 5).
    pub days: u32,
    /// Whether the minimum fell at the end of the searched first half: the series may not
    /// have settled within the horizon, so run longer before trusting the suggestion.
    pub at_limit: bool,
}

/// MSER-5 on a daily series. Days that are not finite (no value that day) are left out of
/// their batch's mean; a batch without any value is left out of the sums. `None` with fewer
/// than 4 batches holding a value (20 days), or a series that is constant in its batch means
/// gives a cut of 0.
pub fn mser5(series: &[f64]) -> Option<Mser> {
    let batches: Vec<Option<f64>> = series
        .chunks_exact(BATCH)
        .map(|c| {
            let vals: Vec<f64> = c.iter().copied().filter(|x| x.is_finite()).collect();
            (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
        })
        .collect();
    let k = batches.len();
    if batches.iter().flatten().count() < 4 {
        return None;
    }
    let limit = k / 2;
    let mut best: Option<(f64, usize)> = None;
    for d in 0..=limit {
        let kept: Vec<f64> = batches[d..].iter().flatten().copied().collect();
        if kept.len() < 2 {
            break;
        }
        let n = kept.len() as f64;
        let mean = kept.iter().sum::<f64>() / n;
        let stat = kept.iter().map(|b| (b - mean) * (b - mean)).sum::<f64>() / (n * n);
        if !stat.is_finite() {
            continue;
        }
        // Strictly smaller: ties keep the shorter warm-up.
        if best.is_none_or(|(s, _)| stat < s) {
            best = Some((stat, d));
        }
    }
    let (_, d) = best?;
    Some(Mser {
        days: (d * BATCH) as u32,
        at_limit: d == limit && d > 0,
    })
}

/// MSER-5 per key daily indicator, with the suggestion: the largest cut over them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WarmUpReport {
    /// Days of the series the diagnostic read (from the first day simulated).
    pub horizon_days: u32,
    /// Replications averaged day by day before the diagnostic.
    pub replications: usize,
    /// Per indicator (by name): its cut, or `None` when the series was too short or empty.
    pub by_indicator: Vec<(String, Option<Mser>)>,
    /// The largest cut over the indicators.
    pub suggested_days: u32,
    /// Indicators whose minimum fell at the end of the searched half (not settled).
    pub not_settled: Vec<String>,
}

/// Whether MSER applies to a daily indicator: cumulative totals (`*_total`, `*_total_yuan`)
/// grow by construction and never settle, so they are left out.
pub fn applies_to(name: &str) -> bool {
    !name.contains("_total")
}

/// MSER-5 on each named series (each already averaged over replications, day by day).
pub fn report(series: &[(String, Vec<f64>)], replications: usize) -> WarmUpReport {
    let mut by_indicator = Vec::new();
    let mut suggested = 0;
    let mut not_settled = Vec::new();
    let mut horizon = 0;
    for (name, xs) in series.iter().filter(|(n, _)| applies_to(n)) {
        horizon = horizon.max(xs.len() as u32);
        let m = mser5(xs);
        if let Some(m) = &m {
            suggested = suggested.max(m.days);
            if m.at_limit {
                not_settled.push(name.clone());
            }
        }
        by_indicator.push((name.clone(), m));
    }
    WarmUpReport {
        horizon_days: horizon,
        replications,
        by_indicator,
        suggested_days: suggested,
        not_settled,
    }
}

impl WarmUpReport {
    /// The diagnostic as `summary.json` carries it.
    pub fn summary(&self) -> crate::output::WarmUpSummary {
        crate::output::WarmUpSummary {
            method: "MSER-5",
            suggested_days: self.suggested_days,
            by_indicator: self
                .by_indicator
                .iter()
                .map(|(name, m)| {
                    let m = m.as_ref().map(|m| crate::output::IndicatorWarmUp {
                        days: m.days,
                        settled: !m.at_limit,
                    });
                    (name.clone(), m)
                })
                .collect(),
        }
    }

    /// One sentence for the terminal.
    pub fn sentence(&self) -> String {
        let worst = self
            .by_indicator
            .iter()
            .filter_map(|(n, m)| m.as_ref().map(|m| (n, m.days)))
            .max_by_key(|(_, d)| *d);
        let mut s = format!(
            "MSER-5 warm-up: {} days suggested (the largest over {} daily indicators read over {} days{}",
            self.suggested_days,
            self.by_indicator.len(),
            self.horizon_days,
            if self.replications > 1 {
                format!(", averaged over {} replications", self.replications)
            } else {
                String::new()
            }
        );
        if let Some((name, d)) = worst.filter(|(_, d)| *d > 0) {
            s += &format!("; set by {name} at {d} days");
        }
        s += ")";
        if !self.not_settled.is_empty() {
            s += &format!(
                "; not settled within half the horizon: {} (run longer before trusting it)",
                self.not_settled.join(", ")
            );
        }
        s += ".";
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};

    fn noise(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n).map(|_| StandardNormal.sample(&mut rng)).collect()
    }

    #[test]
    fn finds_an_exponential_transient() {
        // 10 · exp(-t / 30) onto unit white noise: the transient is below the noise's batch
        // sd (about 0.45) after t ≈ 30 · ln(22) ≈ 93 days.
        let mut cuts = Vec::new();
        for seed in 0..10 {
            let xs: Vec<f64> = noise(1000, seed)
                .iter()
                .enumerate()
                .map(|(t, e)| 10.0 * (-(t as f64) / 30.0).exp() + e)
                .collect();
            let m = mser5(&xs).unwrap();
            assert!(!m.at_limit);
            cuts.push(m.days);
        }
        for &d in &cuts {
            assert!((40..=250).contains(&d), "{cuts:?}");
        }
    }

    #[test]
    fn stationary_series_needs_little_or_no_warm_up() {
        let mut cuts = Vec::new();
        for seed in 100..120 {
            cuts.push(mser5(&noise(1000, seed)).unwrap().days);
        }
        // Stationary noise: MSER cuts a little by chance now and then, never much on average.
        let mean = cuts.iter().sum::<u32>() as f64 / cuts.len() as f64;
        assert!(mean < 60.0, "{cuts:?}");
        assert!(cuts.iter().filter(|&&d| d == 0).count() >= 5, "{cuts:?}");
    }

    #[test]
    fn a_trend_is_not_settled() {
        let xs: Vec<f64> = (0..400).map(|t| t as f64).collect();
        let m = mser5(&xs).unwrap();
        assert!(m.at_limit && m.days == 200, "{m:?}");
    }

    #[test]
    fn short_constant_and_gappy_series() {
        assert_eq!(mser5(&[1.0; 19]), None);
        assert_eq!(mser5(&[f64::NAN; 100]), None);
        assert_eq!(mser5(&[]), None);
        let m = mser5(&[3.0; 100]).unwrap();
        assert_eq!(m.days, 0);
        let mut xs = vec![5.0; 20];
        xs.extend(std::iter::repeat_n(1.0, 200));
        for i in (0..xs.len()).step_by(3) {
            xs[i] = f64::NAN;
        }
        assert_eq!(mser5(&xs).unwrap().days, 20);
    }

    #[test]
    fn report_skips_cumulative_series_and_takes_the_largest() {
        let mut a = vec![9.0; 50];
        a.extend(vec![1.0; 200]);
        let b = vec![2.0; 250];
        let c: Vec<f64> = (0..250).map(|t| t as f64).collect();
        let r = report(
            &[
                ("a".into(), a),
                ("b".into(), b),
                ("cost_total_yuan".into(), c),
            ],
            3,
        );
        assert_eq!(r.by_indicator.len(), 2);
        assert_eq!(r.suggested_days, 50);
        assert!(r.not_settled.is_empty());
        assert!(
            r.sentence().contains("50 days suggested"),
            "{}",
            r.sentence()
        );
    }
}
