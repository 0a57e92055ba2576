//! What the first screen of the report answers, as plain data: each option's budget balance,
//! its extra cost and cost-effectiveness against the reference with Fieller intervals, the
//! Pareto front and ranking over cost, service and participation, and three to five findings
//! chosen by a stated rule (docs/ODD.md 4.12, "The decision report"). No text here: `first_screen`
//! says it in either language. Everything is a function of a [`Comparison`] (and so of plain
//! data), so another experiment (explore) can build the same figures from its own runs.

use crate::experiment::indicators;
use crate::experiment::results::{Better, Comparison, IndicatorRow};
use crate::experiment::stats::{mean, sample_sd, t_quantile};

use super::format::{Verdict, verdict};

/// A mean with its interval (NaN bounds when there is none).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub n: usize,
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    pub fn has_interval(&self) -> bool {
        self.n >= 2 && self.low.is_finite() && self.high.is_finite()
    }

    /// The interval lies strictly above 0.
    pub fn above_zero(&self) -> bool {
        self.has_interval() && self.low > 0.0
    }

    /// The interval lies strictly below 0.
    pub fn below_zero(&self) -> bool {
        self.has_interval() && self.high < 0.0
    }
}

/// What an option buys with its extra cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Needs and cases resolved on time (over the run).
    OnTime,
    /// Residents taking part (at the end).
    Participants,
    /// Firms in the town (at the end).
    Firms,
}

impl Effect {
    pub const ALL: [Effect; 3] = [Effect::OnTime, Effect::Participants, Effect::Firms];

    pub fn figure(self) -> &'static str {
        match self {
            Effect::OnTime => indicators::ON_TIME_COUNT,
            Effect::Participants => indicators::PARTICIPANTS,
            Effect::Firms => indicators::FIRMS,
        }
    }

    /// The catalogue key stem: `report.effect.<stem>`.
    pub fn key(self) -> &'static str {
        match self {
            Effect::OnTime => "on_time",
            Effect::Participants => "participants",
            Effect::Firms => "firms",
        }
    }
}

/// Extra yuan per extra unit of an effect, or why there is no such figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ratio {
    /// Yuan per extra unit, with its Fieller interval (`low`, `high` finite).
    PerUnit { mean: f64, low: f64, high: f64 },
    /// Costs less (mean extra cost at most 0) and does more (the effect's interval above 0).
    Dominates,
    /// Costs more (mean extra cost above 0) and does less (the effect's interval below 0).
    Dominated,
    /// Does less (the effect's interval below 0) for less money: a saving per unit given up,
    /// not a price of more.
    SavesByDoingLess,
    /// The effect's interval includes 0: no price per unit can be put on a change that may be
    /// none.
    EffectMayBeZero,
    /// Fewer than two replications with both figures.
    TooFewPairs,
}

/// An option's cost-effectiveness on one effect.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CostEffect {
    pub effect: Effect,
    /// The paired difference in the effect (option minus reference).
    pub extra: Option<Estimate>,
    pub ratio: Ratio,
}

/// One option's figures for the first screen.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionDecision {
    pub index: usize,
    /// Total cost over the run.
    pub cost: Option<Estimate>,
    /// Balance against the budget at the end (budget so far minus cost so far).
    pub balance: Option<Estimate>,
    /// Budget made available over the run (mean).
    pub budget: Option<f64>,
    /// Runs that end over budget (balance below 0), of the runs with a balance.
    pub overruns: usize,
    pub runs: usize,
    /// Paired extra cost against the reference (`None` for the reference).
    pub extra_cost: Option<Estimate>,
    /// Against the reference, one per [`Effect`] (empty for the reference).
    pub cost_effects: Vec<CostEffect>,
    /// The three criteria of the front: mean total cost, mean on-time share, mean
    /// participation (NaN where missing).
    pub criteria: [f64; 3],
    /// 1 for the Pareto front, 2 for the front once it is removed, and so on.
    pub layer: usize,
}

/// A finding, in the order the rule picks them.
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// The option that overruns its budget in the most runs (or the reference if none of the
    /// compared options does and it does).
    OverBudget { option: usize },
    /// No option ends over budget in any run.
    AllWithinBudget,
    /// The ranking's first option and the options on the front.
    Ranking,
    /// The best-ranked compared option's cost per extra case on time.
    CostPerCase { option: usize },
    /// A key indicator with one of the largest standardised effects that pass the multiplicity
    /// adjustment: `row` in `Comparison::indicators`.
    Effect {
        option: usize,
        row: usize,
        better: bool,
    },
}

/// The whole first screen's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub options: Vec<OptionDecision>,
    /// Options by layer, then by on-time share (higher first), then by cost (lower first).
    pub ranking: Vec<usize>,
    pub findings: Vec<Finding>,
}

impl Decision {
    /// The options on the Pareto front, in ranking order.
    pub fn front(&self) -> Vec<usize> {
        self.ranking
            .iter()
            .copied()
            .filter(|&i| self.options[i].layer == 1)
            .collect()
    }
}

/// The decision figures of a comparison.
pub fn decide(c: &Comparison) -> Decision {
    let n = c.options.len();
    let values = |name: &str| -> Option<&Vec<Vec<f64>>> {
        c.per_replicate
            .iter()
            .find(|f| f.name == name)
            .map(|f| &f.values)
    };
    let arm = |name: &str, o: usize| -> &[f64] {
        values(name)
            .and_then(|v| v.get(o))
            .map_or(&[][..], |v| &v[..])
    };
    let row_mean = |name: &str, o: usize| -> f64 {
        c.indicators
            .iter()
            .find(|r| r.meta.name == name)
            .and_then(|r| r.by_option.get(o))
            .map_or(f64::NAN, |s| s.mean)
    };
    let mut options: Vec<OptionDecision> = (0..n)
        .map(|o| {
            let bal = arm(indicators::BALANCE, o);
            let finite_bal: Vec<f64> = bal.iter().copied().filter(|x| x.is_finite()).collect();
            let cost = estimate(arm(indicators::COST, o), c.level);
            let extra_cost = (o > 0)
                .then(|| paired(arm(indicators::COST, 0), arm(indicators::COST, o), c.level));
            let cost_effects = if o == 0 {
                Vec::new()
            } else {
                Effect::ALL
                    .iter()
                    .map(|&e| {
                        cost_effect(
                            e,
                            (arm(indicators::COST, 0), arm(indicators::COST, o)),
                            (arm(e.figure(), 0), arm(e.figure(), o)),
                            c.level,
                        )
                    })
                    .collect()
            };
            OptionDecision {
                index: o,
                cost,
                balance: estimate(bal, c.level),
                budget: mean(
                    &arm(indicators::BUDGET, o)
                        .iter()
                        .copied()
                        .filter(|x| x.is_finite())
                        .collect::<Vec<_>>(),
                ),
                overruns: finite_bal.iter().filter(|&&b| b < 0.0).count(),
                runs: finite_bal.len(),
                extra_cost: extra_cost.flatten(),
                cost_effects,
                criteria: [
                    cost.map_or_else(|| row_mean("final.cost_total_yuan", o), |e| e.mean),
                    row_mean("total.on_time_share", o),
                    row_mean("total.participation_rate_mean", o),
                ],
                layer: 0,
            }
        })
        .collect();
    let criteria: Vec<[f64; 3]> = options.iter().map(|o| o.criteria).collect();
    for (o, layer) in options.iter_mut().zip(pareto_layers(&criteria)) {
        o.layer = layer;
    }
    let mut ranking: Vec<usize> = (0..n).collect();
    ranking.sort_by(|&a, &b| {
        let (x, y) = (&options[a], &options[b]);
        x.layer
            .cmp(&y.layer)
            .then(nan_last_desc(x.criteria[1], y.criteria[1]))
            .then(nan_last_desc(y.criteria[0], x.criteria[0]))
            .then(a.cmp(&b))
    });
    let findings = findings(c, &options, &ranking);
    Decision {
        options,
        ranking,
        findings,
    }
}

/// Compares `a` and `b` so that the larger comes first and NaN last.
fn nan_last_desc(a: f64, b: f64) -> std::cmp::Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => std::cmp::Ordering::Equal,
        (true, false) => std::cmp::Ordering::Greater,
        (false, true) => std::cmp::Ordering::Less,
        _ => b.total_cmp(&a),
    }
}

/// The Student-t estimate of the finite values of `xs`.
fn estimate(xs: &[f64], level: f64) -> Option<Estimate> {
    let v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    let m = mean(&v)?;
    let (low, high) = match (v.len(), sample_sd(&v)) {
        (n, Some(sd)) if n >= 2 => {
            let t = t_quantile((n - 1) as f64, 1.0 - (1.0 - level) / 2.0);
            let half = t * sd / (n as f64).sqrt();
            (m - half, m + half)
        }
        _ => (f64::NAN, f64::NAN),
    };
    Some(Estimate {
        n: v.len(),
        mean: m,
        low,
        high,
    })
}

/// The paired differences `option - reference` where both are finite.
fn differences(reference: &[f64], option: &[f64]) -> Vec<f64> {
    reference
        .iter()
        .zip(option)
        .filter(|(r, o)| r.is_finite() && o.is_finite())
        .map(|(r, o)| o - r)
        .collect()
}

fn paired(reference: &[f64], option: &[f64], level: f64) -> Option<Estimate> {
    estimate(&differences(reference, option), level)
}

/// The cost-effectiveness of one effect from paired replications: the extra cost ΔC and the
/// extra effect ΔE of each replication, their means, variances and covariance, and Fieller's
/// interval for the ratio of the means (docs/ODD.md 4.12).
fn cost_effect(
    effect: Effect,
    cost: (&[f64], &[f64]),
    eff: (&[f64], &[f64]),
    level: f64,
) -> CostEffect {
    // Pairs where all four values are finite.
    let pairs: Vec<(f64, f64)> = (0..cost
        .0
        .len()
        .min(cost.1.len())
        .min(eff.0.len())
        .min(eff.1.len()))
        .filter_map(|r| {
            let dc = cost.1[r] - cost.0[r];
            let de = eff.1[r] - eff.0[r];
            (dc.is_finite() && de.is_finite()).then_some((dc, de))
        })
        .collect();
    let de: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let extra = estimate(&de, level);
    let ratio = ratio(&pairs, level);
    CostEffect {
        effect,
        extra,
        ratio,
    }
}

/// Fieller's interval for mean(ΔC) / mean(ΔE) on paired replications, with the verdicts that
/// replace it (see [`Ratio`]).
pub fn ratio(pairs: &[(f64, f64)], level: f64) -> Ratio {
    let n = pairs.len();
    if n < 2 {
        return Ratio::TooFewPairs;
    }
    let nf = n as f64;
    let a = pairs.iter().map(|p| p.0).sum::<f64>() / nf;
    let b = pairs.iter().map(|p| p.1).sum::<f64>() / nf;
    let (mut s11, mut s22, mut s12) = (0.0, 0.0, 0.0);
    for &(c, e) in pairs {
        s11 += (c - a) * (c - a);
        s22 += (e - b) * (e - b);
        s12 += (c - a) * (e - b);
    }
    let d = nf * (nf - 1.0);
    // Variances and covariance of the two means.
    let (v11, v22, v12) = (s11 / d, s22 / d, s12 / d);
    let t = t_quantile(nf - 1.0, 1.0 - (1.0 - level) / 2.0);
    let half_e = t * v22.sqrt();
    let effect_up = b - half_e > 0.0;
    let effect_down = b + half_e < 0.0;
    if !(effect_up || effect_down) || !t.is_finite() {
        return Ratio::EffectMayBeZero;
    }
    if effect_up && a <= 0.0 {
        return Ratio::Dominates;
    }
    if effect_down {
        return if a > 0.0 {
            Ratio::Dominated
        } else {
            Ratio::SavesByDoingLess
        };
    }
    // (a - R b)^2 = t^2 (v11 - 2 R v12 + R^2 v22): a quadratic in R whose leading term
    // b^2 - t^2 v22 is positive because the effect's interval excludes 0.
    let t2 = t * t;
    let qa = b * b - t2 * v22;
    let qb = a * b - t2 * v12;
    let qc = a * a - t2 * v11;
    let disc = (qb * qb - qa * qc).max(0.0);
    let r1 = (qb - disc.sqrt()) / qa;
    let r2 = (qb + disc.sqrt()) / qa;
    let mean = a / b;
    if !(r1.is_finite() && r2.is_finite() && mean.is_finite()) {
        return Ratio::EffectMayBeZero;
    }
    Ratio::PerUnit {
        mean,
        low: r1.min(r2),
        high: r1.max(r2),
    }
}

/// Non-dominated sorting of `criteria` (cost: lower is better; service and participation:
/// higher is better): layer 1 is the Pareto front. An option with a missing criterion goes to
/// the last layer.
pub fn pareto_layers(criteria: &[[f64; 3]]) -> Vec<usize> {
    let n = criteria.len();
    let complete = |i: usize| criteria[i].iter().all(|x| x.is_finite());
    let dominates = |i: usize, j: usize| {
        let (x, y) = (&criteria[i], &criteria[j]);
        let no_worse = x[0] <= y[0] && x[1] >= y[1] && x[2] >= y[2];
        let better = x[0] < y[0] || x[1] > y[1] || x[2] > y[2];
        no_worse && better
    };
    let mut layer = vec![0; n];
    let mut left: Vec<usize> = (0..n).filter(|&i| complete(i)).collect();
    let mut k = 0;
    while !left.is_empty() {
        k += 1;
        let front: Vec<usize> = left
            .iter()
            .copied()
            .filter(|&i| !left.iter().any(|&j| j != i && dominates(j, i)))
            .collect();
        for &i in &front {
            layer[i] = k;
        }
        left.retain(|i| !front.contains(i));
    }
    for (i, l) in layer.iter_mut().enumerate() {
        if !complete(i) {
            *l = k + 1;
        }
    }
    layer
}

/// Indicators whose effect is told elsewhere on the first screen (cost, and the on-time share
/// when the cost per case is told).
const TOLD_ELSEWHERE: &[&str] = &[
    "final.cost_total_yuan",
    "final.cost_per_resolved_yuan",
    "total.on_time_share",
];

/// The findings rule: (1) the budget: the compared option over budget in the most runs, else
/// the reference if it is, else that every option stays within budget; (2) the ranking and the
/// front, when there are at least two options; (3) the cost per extra case on time of the
/// best-ranked compared option, when it has a figure or dominates; (4, 5) the largest
/// standardised effects |d_z| among the key indicators whose verdict passed the multiplicity
/// adjustment (better or worse), not already told, at most one per indicator, until there are
/// five findings or none is left.
fn findings(c: &Comparison, options: &[OptionDecision], ranking: &[usize]) -> Vec<Finding> {
    let mut out = Vec::new();
    if options.is_empty() {
        return out;
    }
    let over = options
        .iter()
        .skip(1)
        .filter(|o| o.overruns > 0)
        .max_by_key(|o| (o.overruns, std::cmp::Reverse(o.index)));
    match (over, options[0].overruns > 0) {
        (Some(o), _) => out.push(Finding::OverBudget { option: o.index }),
        (None, true) => out.push(Finding::OverBudget { option: 0 }),
        (None, false) if options.iter().all(|o| o.runs > 0) => out.push(Finding::AllWithinBudget),
        _ => {}
    }
    if options.len() >= 2 {
        out.push(Finding::Ranking);
    }
    if let Some(&best) = ranking.iter().find(|&&i| i > 0)
        && options[best].cost_effects.iter().any(|ce| {
            ce.effect == Effect::OnTime
                && matches!(ce.ratio, Ratio::PerUnit { .. } | Ratio::Dominates)
        })
    {
        out.push(Finding::CostPerCase { option: best });
    }
    let mut effects: Vec<(f64, Finding)> = Vec::new();
    for (r, row) in c.indicators.iter().enumerate() {
        if TOLD_ELSEWHERE.contains(&row.meta.name.as_str()) || row.meta.better == Better::Neither {
            continue;
        }
        let best = (1..c.options.len())
            .filter_map(|o| effect_of(row, o).map(|(d, better)| (d, o, better)))
            .max_by(|a, b| a.0.abs().total_cmp(&b.0.abs()));
        if let Some((d, option, better)) = best {
            effects.push((
                d.abs(),
                Finding::Effect {
                    option,
                    row: r,
                    better,
                },
            ));
        }
    }
    effects.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, f) in effects {
        if out.len() >= 5 {
            break;
        }
        out.push(f);
    }
    out
}

/// The standardised effect of option `o` on `row` if its verdict is better or worse.
fn effect_of(row: &IndicatorRow, o: usize) -> Option<(f64, bool)> {
    let diff = row.by_option.get(o)?.diff?;
    let d = diff.effect_size.filter(|d| d.is_finite())?;
    match verdict(&row.meta, Some(&diff)) {
        Verdict::Better => Some((d, true)),
        Verdict::Worse => Some((d, false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pareto_front_and_layers() {
        // cost, service, participation
        let c = [
            [10.0, 0.50, 0.20], // reference
            [20.0, 0.60, 0.30], // costs more, does more: front
            [25.0, 0.55, 0.25], // dominated by 1
            [9.0, 0.40, 0.10],  // cheapest: front
            [20.0, 0.60, 0.30], // equal to 1: both on the front
            [f64::NAN, 0.9, 0.9],
        ];
        let l = pareto_layers(&c);
        assert_eq!(l[1], 1);
        assert_eq!(l[3], 1);
        assert_eq!(l[4], 1);
        assert_eq!(
            l[0], 1,
            "the reference is not dominated: cheaper than 1, better than 3"
        );
        assert_eq!(l[2], 2);
        assert_eq!(l[5], 3, "a missing criterion goes last");
        assert_eq!(pareto_layers(&[]), Vec::<usize>::new());
    }

    #[test]
    fn fieller_matches_the_ratio_and_brackets_it() {
        // ΔC about 1000 per unit of ΔE, with noise.
        let pairs: Vec<(f64, f64)> = (0..20)
            .map(|i| {
                let e = 10.0 + (i as f64 * 0.7).sin();
                (1000.0 * e + 300.0 * (i as f64 * 1.3).cos(), e)
            })
            .collect();
        let Ratio::PerUnit { mean, low, high } = ratio(&pairs, 0.95) else {
            panic!("{:?}", ratio(&pairs, 0.95))
        };
        assert!((mean - 1000.0).abs() < 50.0, "{mean}");
        assert!(low < mean && mean < high, "{low} {mean} {high}");
        assert!(high - low < 200.0, "{low} {high}");
    }

    #[test]
    fn fieller_refuses_an_effect_that_may_be_zero_and_names_dominance() {
        let noisy: Vec<(f64, f64)> = (0..10)
            .map(|i| (100.0, if i % 2 == 0 { 1.0 } else { -1.0 }))
            .collect();
        assert_eq!(ratio(&noisy, 0.95), Ratio::EffectMayBeZero);
        let cheaper_and_better: Vec<(f64, f64)> = (0..10)
            .map(|i| (-50.0 - i as f64, 5.0 + 0.1 * i as f64))
            .collect();
        assert_eq!(ratio(&cheaper_and_better, 0.95), Ratio::Dominates);
        let dearer_and_worse: Vec<(f64, f64)> = (0..10)
            .map(|i| (50.0 + i as f64, -5.0 - 0.1 * i as f64))
            .collect();
        assert_eq!(ratio(&dearer_and_worse, 0.95), Ratio::Dominated);
        let cheaper_and_worse: Vec<(f64, f64)> = (0..10)
            .map(|i| (-50.0 - i as f64, -5.0 - 0.1 * i as f64))
            .collect();
        assert_eq!(ratio(&cheaper_and_worse, 0.95), Ratio::SavesByDoingLess);
        assert_eq!(ratio(&[(1.0, 1.0)], 0.95), Ratio::TooFewPairs);
    }
}
