//! PRIM, the patient rule induction method (Friedman and Fisher 1999), for scenario discovery
//! (Bryant and Lempert 2010) as EMA Workbench's `analysis/prim.py` implements it in binary
//! mode: the cases of interest are the futures where something fails; PRIM finds a box in the
//! space of uncertain parameters that holds many of them (coverage) and few other futures
//! (density).
//!
//! - **Peeling**: from the box holding every future, each candidate peel removes a share
//!   `peel_alpha` of the futures still in the box: for a number, below the `alpha` quantile or
//!   above the `1 - alpha` quantile (EMA's `get_quantile`, which moves past ties); for a whole
//!   number the same peel rounded to whole values (EMA's `_discrete_peel`); for a choice or a
//!   flag, one category. The candidate with the best objective is taken (EMA's default
//!   `lenient1`: the gain in the mean of the cases of interest divided by the number of futures
//!   removed), ties going to the box with fewer restricted dimensions; peeling stops when the
//!   best candidate would fall below `mass_min` of all futures or no longer raises the mean.
//! - **Pasting**: the last box is widened again one dimension at a time (a number by the
//!   `paste_alpha` quantile of the futures just outside it, a category put back) while that
//!   raises the mean and keeps the objective positive.
//! - **The chosen box**: EMA Workbench leaves the choice on the peeling and pasting trajectory
//!   to the analyst (`PrimBox.inspect` / `select`), looking at the coverage-density trade-off.
//!   Here the chosen box is the one of highest density among the boxes whose coverage is at
//!   least `min_coverage` (default 0.8), ties to the earlier (wider) box; the whole trajectory
//!   is reported so a reader can choose otherwise.
//! - **Quasi-p-values** (Bryant and Lempert 2010, EMA's `_calculate_quasi_p`): for each
//!   restricted limit, the one-sided binomial test of the box's cases of interest against the
//!   density of the box with that limit dropped: a small value says the limit matters.
//!
//! Differences from EMA Workbench, on purpose: candidates are scored in the parameters' order
//! (upper peel before lower), not grouped by data type; pasting is applied to every restricted
//! dimension (some EMA versions skipped it through a loop over `enumerate`).

use statrs::distribution::{Binomial, DiscreteCDF};

/// A dimension of the space PRIM searches.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub enum Dim {
    /// A real number.
    Real,
    /// A whole number (peeled to whole values).
    Whole,
    /// Categories `0..n` (a choice's variants, a flag's two values).
    Categorical(usize),
}

/// PRIM's settings (EMA Workbench's defaults).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Settings {
    pub peel_alpha: f64,
    pub paste_alpha: f64,
    pub mass_min: f64,
    /// The chosen box has at least this coverage.
    pub min_coverage: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
            min_coverage: 0.8,
        }
    }
}

/// The limits of a box on one dimension.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub enum Limit {
    /// `lower <= x <= upper`.
    Range { lower: f64, upper: f64 },
    /// The categories in the box, ascending.
    Set(Vec<usize>),
}

impl Limit {
    fn holds(&self, x: f64) -> bool {
        match self {
            Limit::Range { lower, upper } => *lower <= x && x <= *upper,
            Limit::Set(s) => x >= 0.0 && s.contains(&(x as usize)),
        }
    }
}

/// One box of the peeling and pasting trajectory.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PrimBox {
    pub limits: Vec<Limit>,
    /// Share of all cases of interest inside the box.
    pub coverage: f64,
    /// Share of the futures inside the box that are cases of interest.
    pub density: f64,
    /// Share of all futures inside the box.
    pub mass: f64,
    /// Dimensions whose limits are narrower than the whole space's.
    pub restricted: Vec<usize>,
    /// `"peel"`, `"paste"`, or `"start"` for the whole space.
    pub step: &'static str,
}

/// A restricted dimension of the chosen box with its quasi-p-values.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Restriction {
    pub dim: usize,
    pub limit: Limit,
    /// Quasi-p-value of the lower limit (a range restricted from below), or of the set.
    pub qp_lower: Option<f64>,
    /// Quasi-p-value of the upper limit (a range restricted from above).
    pub qp_upper: Option<f64>,
}

/// What PRIM found.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Found {
    /// The whole space (box 0), every peel, then every paste.
    pub trajectory: Vec<PrimBox>,
    /// Index of the chosen box in the trajectory.
    pub chosen: usize,
    /// The chosen box's restrictions, with quasi-p-values.
    pub restrictions: Vec<Restriction>,
    /// Cases of interest, and futures in all.
    pub n_interest: usize,
    pub n: usize,
}

impl Found {
    pub fn chosen_box(&self) -> &PrimBox {
        &self.trajectory[self.chosen]
    }
}

/// Why PRIM did not run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PrimError {
    #[error("no cases of interest")]
    NoCases,
    #[error("no data")]
    NoData,
    #[error("the data has {got} columns where {want} dimensions are named")]
    Shape { want: usize, got: usize },
}

/// Runs PRIM on `x` (one row per future, one value per dimension; a category as its index)
/// with `y` true for the cases of interest.
pub fn prim(x: &[Vec<f64>], dims: &[Dim], y: &[bool], s: Settings) -> Result<Found, PrimError> {
    if x.is_empty() || x.len() != y.len() {
        return Err(PrimError::NoData);
    }
    if let Some(row) = x.iter().find(|r| r.len() != dims.len()) {
        return Err(PrimError::Shape {
            want: dims.len(),
            got: row.len(),
        });
    }
    let n_interest = y.iter().filter(|&&b| b).count();
    if n_interest == 0 {
        return Err(PrimError::NoCases);
    }
    let data = Data {
        x,
        dims,
        y,
        n_interest,
    };
    let init = data.initial();
    let all: Vec<usize> = (0..x.len()).collect();
    let mut trajectory = vec![data.stats(&init, &init, &all, "start")];
    let (mut limits, mut inside) = (init.clone(), all);
    // Peeling.
    while let Some((l, i)) = data.best_peel(&limits, &inside, &init, s) {
        trajectory.push(data.stats(&l, &init, &i, "peel"));
        (limits, inside) = (l, i);
    }
    // Pasting.
    while let Some((l, i)) = data.best_paste(&limits, &inside, &init, s) {
        trajectory.push(data.stats(&l, &init, &i, "paste"));
        (limits, inside) = (l, i);
    }
    let mut chosen = 0;
    for (k, b) in trajectory.iter().enumerate() {
        if b.coverage >= s.min_coverage && b.density > trajectory[chosen].density {
            chosen = k;
        }
    }
    let restrictions = data.quasi_p(&trajectory[chosen], &init);
    Ok(Found {
        trajectory,
        chosen,
        restrictions,
        n_interest,
        n: x.len(),
    })
}

struct Data<'a> {
    x: &'a [Vec<f64>],
    dims: &'a [Dim],
    y: &'a [bool],
    n_interest: usize,
}

/// EMA Workbench's `get_quantile` (after sdtoolkit): the midpoint of the two order statistics
/// around `(n - 1) q`, moved outwards past ties so that a peel removes at least one value.
fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let i = (n - 1) as f64 * q;
    let (mut lo, mut hi) = (i.floor() as usize, i.ceil() as usize);
    if q > 0.5 {
        while values[lo] == values[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while values[lo] == values[hi] && hi < n - 1 {
            hi += 1;
        }
    }
    (values[lo] + values[hi]) / 2.0
}

fn mean_of(y: &[bool], idx: &[usize]) -> f64 {
    if idx.is_empty() {
        0.0
    } else {
        idx.iter().filter(|&&i| y[i]).count() as f64 / idx.len() as f64
    }
}

impl Data<'_> {
    fn initial(&self) -> Vec<Limit> {
        self.dims
            .iter()
            .enumerate()
            .map(|(j, d)| match d {
                Dim::Categorical(_) => {
                    let mut s: Vec<usize> = self.x.iter().map(|r| r[j].max(0.0) as usize).collect();
                    s.sort_unstable();
                    s.dedup();
                    Limit::Set(s)
                }
                _ => Limit::Range {
                    lower: self.x.iter().map(|r| r[j]).fold(f64::INFINITY, f64::min),
                    upper: self
                        .x
                        .iter()
                        .map(|r| r[j])
                        .fold(f64::NEG_INFINITY, f64::max),
                },
            })
            .collect()
    }

    fn inside(&self, limits: &[Limit], among: &[usize]) -> Vec<usize> {
        among
            .iter()
            .copied()
            .filter(|&i| limits.iter().zip(&self.x[i]).all(|(l, &v)| l.holds(v)))
            .collect()
    }

    fn restricted(limits: &[Limit], init: &[Limit]) -> Vec<usize> {
        (0..limits.len())
            .filter(|&j| limits[j] != init[j])
            .collect()
    }

    fn stats(
        &self,
        limits: &[Limit],
        init: &[Limit],
        idx: &[usize],
        step: &'static str,
    ) -> PrimBox {
        let coi = idx.iter().filter(|&&i| self.y[i]).count();
        PrimBox {
            limits: limits.to_vec(),
            coverage: coi as f64 / self.n_interest as f64,
            density: if idx.is_empty() {
                0.0
            } else {
                coi as f64 / idx.len() as f64
            },
            mass: idx.len() as f64 / self.x.len() as f64,
            restricted: Self::restricted(limits, init),
            step,
        }
    }

    /// EMA's `lenient1` objective: gain in mean per future removed (or added).
    fn objective(&self, old: &[usize], new: &[usize]) -> f64 {
        let (m_old, m_new) = (mean_of(self.y, old), mean_of(self.y, new));
        if m_old == m_new || old.len() == new.len() {
            0.0
        } else {
            (m_new - m_old) / old.len().abs_diff(new.len()) as f64
        }
    }

    /// The best candidate among `candidates` by objective, then by fewer restricted
    /// dimensions; the first wins ties.
    fn best(
        &self,
        inside: &[usize],
        init: &[Limit],
        candidates: Vec<(Vec<Limit>, Vec<usize>)>,
    ) -> Option<(f64, Vec<Limit>, Vec<usize>)> {
        let mut best: Option<(f64, usize, Vec<Limit>, Vec<usize>)> = None;
        for (l, i) in candidates {
            let obj = self.objective(inside, &i);
            let free = l.len() - Self::restricted(&l, init).len();
            let better = match &best {
                None => true,
                Some((o, f, _, _)) => obj > *o || (obj == *o && free > *f),
            };
            if better {
                best = Some((obj, free, l, i));
            }
        }
        best.map(|(o, _, l, i)| (o, l, i))
    }

    fn best_peel(
        &self,
        limits: &[Limit],
        inside: &[usize],
        init: &[Limit],
        s: Settings,
    ) -> Option<(Vec<Limit>, Vec<usize>)> {
        let mut candidates = Vec::new();
        for (j, d) in self.dims.iter().enumerate() {
            match (&limits[j], d) {
                (Limit::Set(cats), _) => {
                    if cats.len() > 1 {
                        for &c in cats {
                            let mut l = limits.to_vec();
                            l[j] = Limit::Set(cats.iter().copied().filter(|&k| k != c).collect());
                            let i = inside
                                .iter()
                                .copied()
                                .filter(|&i| self.x[i][j] as usize != c)
                                .collect();
                            candidates.push((l, i));
                        }
                    }
                }
                (&Limit::Range { lower, upper }, d) => {
                    let col: Vec<f64> = inside.iter().map(|&i| self.x[i][j]).collect();
                    for upper_side in [true, false] {
                        let q = if upper_side {
                            1.0 - s.peel_alpha
                        } else {
                            s.peel_alpha
                        };
                        let mut peel = quantile(&mut col.clone(), q);
                        let keep = |v: f64, p: f64| if upper_side { v <= p } else { v >= p };
                        let mut i: Vec<usize> = Vec::new();
                        if *d == Dim::Whole {
                            // EMA's discrete peel: a whole limit; when it equals the current
                            // limit, that value itself goes.
                            peel = peel.trunc();
                            let edge = if upper_side { upper } else { lower };
                            i = inside
                                .iter()
                                .copied()
                                .filter(|&k| {
                                    let v = self.x[k][j];
                                    if peel == edge {
                                        v != edge
                                    } else {
                                        keep(v, peel)
                                    }
                                })
                                .collect();
                            let kept = i.iter().map(|&k| self.x[k][j]);
                            peel = if upper_side {
                                kept.fold(f64::NEG_INFINITY, f64::max)
                            } else {
                                kept.fold(f64::INFINITY, f64::min)
                            };
                            if !peel.is_finite() {
                                peel = edge;
                            }
                        } else {
                            i.extend(inside.iter().copied().filter(|&k| keep(self.x[k][j], peel)));
                        }
                        let mut l = limits.to_vec();
                        l[j] = if upper_side {
                            Limit::Range { lower, upper: peel }
                        } else {
                            Limit::Range { lower: peel, upper }
                        };
                        candidates.push((l, i));
                    }
                }
            }
        }
        let (obj, l, i) = self.best(inside, init, candidates)?;
        let n = self.x.len() as f64;
        let (mass_old, mass_new) = (inside.len() as f64 / n, i.len() as f64 / n);
        (mass_new >= s.mass_min && mass_new < mass_old && obj > 0.0).then_some((l, i))
    }

    fn best_paste(
        &self,
        limits: &[Limit],
        inside: &[usize],
        init: &[Limit],
        s: Settings,
    ) -> Option<(Vec<Limit>, Vec<usize>)> {
        let all: Vec<usize> = (0..self.x.len()).collect();
        let mut candidates = Vec::new();
        for j in Self::restricted(limits, init) {
            match (&limits[j], &init[j]) {
                (Limit::Set(cats), Limit::Set(every)) => {
                    for &c in every.iter().filter(|c| !cats.contains(c)) {
                        let mut set = cats.clone();
                        set.push(c);
                        set.sort_unstable();
                        let mut l = limits.to_vec();
                        l[j] = Limit::Set(set);
                        let i = self.inside(&l, &all);
                        candidates.push((l, i));
                    }
                }
                (
                    &Limit::Range { lower, upper },
                    &Limit::Range {
                        lower: min,
                        upper: max,
                    },
                ) => {
                    for upper_side in [false, true] {
                        // The futures in the box but for this dimension, just outside it.
                        let mut wide = limits.to_vec();
                        wide[j] = if upper_side {
                            Limit::Range {
                                lower: upper,
                                upper: max,
                            }
                        } else {
                            Limit::Range {
                                lower: min,
                                upper: lower,
                            }
                        };
                        let mut col: Vec<f64> = self
                            .inside(&wide, &all)
                            .iter()
                            .map(|&k| self.x[k][j])
                            .collect();
                        let mut value = if upper_side { max } else { min };
                        if !col.is_empty() {
                            let q = if upper_side {
                                s.paste_alpha
                            } else {
                                1.0 - s.paste_alpha
                            };
                            value = quantile(&mut col, q);
                        }
                        if self.dims[j] == Dim::Whole {
                            value = value.trunc();
                        }
                        let mut l = limits.to_vec();
                        l[j] = if upper_side {
                            Limit::Range {
                                lower,
                                upper: value.max(upper),
                            }
                        } else {
                            Limit::Range {
                                lower: value.min(lower),
                                upper,
                            }
                        };
                        let i = self.inside(&l, &all);
                        candidates.push((l, i));
                    }
                }
                _ => {}
            }
        }
        let (obj, l, i) = self.best(inside, init, candidates)?;
        let n = self.x.len() as f64;
        let (mass_old, mass_new) = (inside.len() as f64 / n, i.len() as f64 / n);
        let better = mean_of(self.y, &i) > mean_of(self.y, inside);
        (mass_new >= s.mass_min && mass_new > mass_old && obj > 0.0 && better).then_some((l, i))
    }

    /// Quasi-p-values of each restricted limit of `b` (one-sided binomial test, EMA's
    /// `_calculate_quasip`): P(X >= cases in the box) for X ~ Binomial(futures in the box, the
    /// density of the box with that limit dropped).
    fn quasi_p(&self, b: &PrimBox, init: &[Limit]) -> Vec<Restriction> {
        let all: Vec<usize> = (0..self.x.len()).collect();
        let in_box = self.inside(&b.limits, &all);
        let t_box = in_box.len() as u64;
        let h_box = in_box.iter().filter(|&&i| self.y[i]).count() as u64;
        let qp = |dropped: Vec<Limit>| -> Option<f64> {
            let i = self.inside(&dropped, &all);
            let p = mean_of(self.y, &i);
            Some(match Binomial::new(p.clamp(0.0, 1.0), t_box) {
                Ok(_) if h_box == 0 => 1.0,
                Ok(binomial) => binomial.sf(h_box - 1),
                Err(_) => f64::NAN,
            })
        };
        b.restricted
            .iter()
            .map(|&j| {
                let (mut qp_lower, mut qp_upper) = (None, None);
                match (&b.limits[j], &init[j]) {
                    (Limit::Set(_), _) => {
                        let mut l = b.limits.clone();
                        l[j] = init[j].clone();
                        qp_lower = qp(l);
                    }
                    (
                        &Limit::Range { lower, upper },
                        &Limit::Range {
                            lower: min,
                            upper: max,
                        },
                    ) => {
                        if lower > min {
                            let mut l = b.limits.clone();
                            l[j] = Limit::Range { lower: min, upper };
                            qp_lower = qp(l);
                        }
                        if upper < max {
                            let mut l = b.limits.clone();
                            l[j] = Limit::Range { lower, upper: max };
                            qp_upper = qp(l);
                        }
                    }
                    _ => {}
                }
                Restriction {
                    dim: j,
                    limit: b.limits[j].clone(),
                    qp_lower,
                    qp_upper,
                }
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "prim_tests.rs"]
mod tests;
