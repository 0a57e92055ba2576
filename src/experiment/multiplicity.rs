//! Multiplicity control: a comparison reads 26 key indicators at once, so at a 95% level about
//! one in four self-comparisons would call some indicator better or worse by chance. The
//! p-values of every compared option's difference from the reference on every key indicator
//! form one family (26 × the options compared) and are adjusted together
//! (`compare::adjust_family`): Holm (1979) controls the family-wise error rate,
//! Benjamini-Hochberg (1995) the false discovery rate. Pure functions, no I/O.

use serde::Serialize;

/// How p-values are adjusted for the family of key indicators × compared options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Adjust {
    /// Holm's step-down method: family-wise error rate at most 1 - level.
    #[default]
    Holm,
    /// Benjamini-Hochberg step-up: false discovery rate at most 1 - level.
    Bh,
    /// No adjustment: each indicator on its own.
    None,
}

impl Adjust {
    /// The flag value: `holm`, `bh` or `none`.
    pub fn name(self) -> &'static str {
        match self {
            Adjust::Holm => "holm",
            Adjust::Bh => "bh",
            Adjust::None => "none",
        }
    }

    /// A phrase for readers, e.g. "Holm-adjusted (family-wise error)".
    pub fn phrase(self) -> &'static str {
        match self {
            Adjust::Holm => {
                "Holm's adjustment for the family of key indicators × compared options (family-wise error rate)"
            }
            Adjust::Bh => {
                "Benjamini-Hochberg's adjustment for the family of key indicators × compared options (false discovery rate)"
            }
            Adjust::None => "no adjustment for multiple indicators (each read on its own)",
        }
    }
}

/// How many of `ps` are in the family [`adjust`] adjusts over (present and not NaN).
pub fn family_size(ps: &[Option<f64>]) -> usize {
    ps.iter().filter(|p| p.is_some_and(|p| !p.is_nan())).count()
}

/// Adjusts a family of p-values. `None` entries (no test) are left out of the family and stay
/// `None`; p-values that are NaN count as missing. The result is in the input's order, each
/// adjusted p in [0, 1] and never below its raw p.
///
/// Holm: with the m p-values sorted, p̃(i) = max over j ≤ i of min(1, (m - j + 1) p(j)).
/// Benjamini-Hochberg: p̃(i) = min over j ≥ i of min(1, m p(j) / j).
pub fn adjust(ps: &[Option<f64>], method: Adjust) -> Vec<Option<f64>> {
    let mut idx: Vec<usize> = (0..ps.len())
        .filter(|&i| ps[i].is_some_and(|p| !p.is_nan()))
        .collect();
    let raw = |i: usize| ps[i].unwrap_or(f64::NAN).clamp(0.0, 1.0);
    let mut out: Vec<Option<f64>> = vec![None; ps.len()];
    let m = idx.len();
    // Stable sort by p, so ties keep input order and the result is deterministic.
    idx.sort_by(|&a, &b| raw(a).total_cmp(&raw(b)));
    match method {
        Adjust::None => {
            for &i in &idx {
                out[i] = Some(raw(i));
            }
        }
        Adjust::Holm => {
            let mut running: f64 = 0.0;
            for (j, &i) in idx.iter().enumerate() {
                let v = ((m - j) as f64 * raw(i)).min(1.0);
                running = running.max(v);
                out[i] = Some(running);
            }
        }
        Adjust::Bh => {
            let mut running: f64 = 1.0;
            for (j, &i) in idx.iter().enumerate().rev() {
                let v = (m as f64 * raw(i) / (j + 1) as f64).min(1.0);
                running = running.min(v);
                out[i] = Some(running);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: &[Option<f64>], want: &[f64]) {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            let g = g.expect("adjusted p");
            assert!((g - w).abs() < 1e-12, "{got:?} vs {want:?}");
        }
    }

    #[test]
    fn holm_and_bh_match_hand_computed_values() {
        // Hand-computed from the definitions above; statsmodels 0.15.0's
        // multipletests(method="holm" / "fdr_bh") gives the same values:
        // p = 0.01, 0.04, 0.03, 0.005 (m = 4), sorted 0.005, 0.01, 0.03, 0.04.
        // Holm: 4·0.005 = 0.02; 3·0.01 = 0.03; 2·0.03 = 0.06; 1·0.04 = 0.04 -> max so far 0.06.
        // BH: 0.04·4/4 = 0.04; 0.03·4/3 = 0.04; 0.01·4/2 = 0.02; 0.005·4/1 = 0.02.
        let ps = [Some(0.01), Some(0.04), Some(0.03), Some(0.005)];
        close(&adjust(&ps, Adjust::Holm), &[0.03, 0.06, 0.06, 0.02]);
        close(&adjust(&ps, Adjust::Bh), &[0.02, 0.04, 0.04, 0.02]);
        close(&adjust(&ps, Adjust::None), &[0.01, 0.04, 0.03, 0.005]);
    }

    #[test]
    fn five_evenly_spaced_p_values() {
        // p = 0.01..0.05 (m = 5), by hand (and statsmodels 0.15.0, to 1e-16): BH m·p(j)/j is 0.05 for every j; Holm (m-j+1)·p(j)
        // is 0.05, 0.08, 0.09, 0.08, 0.05, made monotone: 0.05, 0.08, 0.09, 0.09, 0.09.
        let ps: Vec<Option<f64>> = [0.01, 0.02, 0.03, 0.04, 0.05].map(Some).to_vec();
        close(&adjust(&ps, Adjust::Holm), &[0.05, 0.08, 0.09, 0.09, 0.09]);
        close(&adjust(&ps, Adjust::Bh), &[0.05; 5]);
    }

    #[test]
    fn missing_p_values_are_not_in_the_family() {
        let ps = [Some(0.02), None, Some(f64::NAN), Some(0.5)];
        let h = adjust(&ps, Adjust::Holm);
        assert_eq!(h[1], None);
        assert_eq!(h[2], None);
        // m = 2, not 4.
        close(&[h[0], h[3]], &[0.04, 0.5]);
        assert!(adjust(&[], Adjust::Bh).is_empty());
    }

    #[test]
    fn adjusted_never_below_raw_and_capped_at_one() {
        let ps: Vec<Option<f64>> = (0..26)
            .map(|i| Some(((i * 7) % 26) as f64 / 25.0))
            .collect();
        for m in [Adjust::Holm, Adjust::Bh] {
            for (a, p) in adjust(&ps, m).iter().zip(&ps) {
                let (a, p) = (a.unwrap(), p.unwrap());
                assert!(a >= p - 1e-15 && a <= 1.0, "{m:?}: {a} < {p}");
            }
        }
    }
}
