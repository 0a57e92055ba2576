//! What the explore report's first screen says, as plain data: per option its levers, in how
//! many futures it beats the reference on the four decision figures (cases on time,
//! participation, cost, budget balance) with the 10th, 50th and 90th percentiles of the
//! difference, its regret on the file's objective, where it fails each criterion (from PRIM's
//! box), the ranking by regret and the findings chosen by a stated rule. Read by the page
//! (`explore.rs`) and the terminal table (`explore_text.rs`), which only put it in words.

use crate::experiment::explore::{Criterion, Direction, Explore, REPORT_FIGURES, default_name};
use crate::experiment::explore_analysis::{Analysis, Regret, Restriction, quantile};
use crate::experiment::results::OptionLevers;
use crate::experiment::scenario_diff::option_levers;

/// The decision figures' catalogue keys (`explore.col.<key>`), in [`REPORT_FIGURES`]' order,
/// with the direction that is better.
pub const COLUMNS: [(&str, Direction); 4] = [
    ("on_time", Direction::Higher),
    ("participation", Direction::Higher),
    ("cost", Direction::Lower),
    ("balance", Direction::Higher),
];

/// How often an option beats the reference on one figure, future by future (means over the
/// replications), and the spread of the difference.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Beats {
    /// Futures in which the option is better than the reference.
    pub wins: usize,
    /// Futures with a value for both.
    pub compared: usize,
    /// 10th, 50th and 90th percentiles of option minus reference.
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
}

impl Beats {
    pub fn share(&self) -> f64 {
        self.wins as f64 / self.compared.max(1) as f64
    }
}

/// Where an option fails a criterion.
#[derive(Clone, Debug, PartialEq)]
pub enum Where {
    /// No future could be evaluated (a missing value or a zero reference everywhere).
    NotEvaluated,
    /// In none of the futures evaluated.
    Nowhere,
    /// In every future evaluated: no box can tell them apart.
    Everywhere,
    /// PRIM finds no box better than the whole space.
    Spread,
    /// PRIM's chosen box.
    Box {
        restrictions: Vec<Restriction>,
        coverage: f64,
        density: f64,
        mass: f64,
    },
    /// PRIM could not run.
    Undescribed,
}

/// One option against one failure criterion.
#[derive(Clone, Debug, PartialEq)]
pub struct FailureView {
    /// Index into the explore file's criteria.
    pub criterion: usize,
    pub failing: usize,
    pub evaluated: usize,
    /// Futures left out (the change could not be taken).
    pub skipped: usize,
    pub place: Where,
}

/// One option.
#[derive(Clone, Debug)]
pub struct OptionView {
    pub name: String,
    pub reference: bool,
    pub levers: OptionLevers,
    /// Per [`COLUMNS`] entry; `None` for the reference, or when no future has both values.
    pub beats: Vec<Option<Beats>>,
    /// The same on the objective.
    pub objective: Option<Beats>,
    pub regret: Regret,
    pub failures: Vec<FailureView>,
}

/// A finding of the first screen (the rule is in [`decide`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Finding {
    /// The first of the regret ranking.
    MostRobust { option: usize },
    /// How often the best compared option beats the reference on the decision figures.
    BeatsReference { option: usize },
    /// Where the best compared option fails one criterion.
    Fails { option: usize, failure: usize },
    /// The best compared option fails no criterion in any future evaluated.
    FailsNothing { option: usize },
    /// A compared option that beats the reference on the objective in under half the futures.
    Weak { option: usize },
}

/// Everything the first screen shows.
#[derive(Clone, Debug)]
pub struct ExploreDecision {
    pub options: Vec<OptionView>,
    /// Option indices, most robust first (see [`ranking`]).
    pub ranking: Vec<usize>,
    /// The first of the ranking that is not the reference.
    pub best_compared: Option<usize>,
    pub findings: Vec<Finding>,
    pub criteria: Vec<Criterion>,
    /// Whether each criterion's name came from the file (else it is the generated one).
    pub named: Vec<bool>,
}

/// At most this many findings.
pub const MAX_FINDINGS: usize = 5;

/// The first screen's figures. Findings, in this order and at most [`MAX_FINDINGS`]: (1) the
/// first of the regret ranking; (2) how often the best compared option (the first of the
/// ranking that is not the reference) beats the reference on the four decision figures; (3)
/// where it fails each criterion it fails in at least one future, most failures first, at most
/// two (or that it fails none); (4) the compared option that beats the reference on the
/// objective in the fewest futures, if that is under half of them.
pub fn decide(e: &Explore, a: &Analysis) -> ExploreDecision {
    let rf = e.reference;
    let idx = |name: &str| e.outputs.iter().position(|o| o == name);
    let beats_on = |k: Option<usize>, o: usize, d: Direction| -> Option<Beats> {
        let m = a.means.get(k?)?;
        if o == rf {
            return None;
        }
        let pairs: Vec<(f64, f64)> = m
            .iter()
            .map(|row| (row[o], row[rf]))
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        if pairs.is_empty() {
            return None;
        }
        let wins = pairs
            .iter()
            .filter(|(x, y)| match d {
                Direction::Higher => x > y,
                Direction::Lower => x < y,
            })
            .count();
        let mut diffs: Vec<f64> = pairs.iter().map(|(x, y)| x - y).collect();
        diffs.sort_by(f64::total_cmp);
        Some(Beats {
            wins,
            compared: pairs.len(),
            p10: quantile(&diffs, 0.1),
            p50: quantile(&diffs, 0.5),
            p90: quantile(&diffs, 0.9),
        })
    };
    let options: Vec<OptionView> = a
        .options
        .iter()
        .enumerate()
        .map(|(o, r)| OptionView {
            name: r.name.clone(),
            reference: r.reference,
            levers: option_levers(&e.options[rf].scenario, &e.options[o].scenario),
            beats: REPORT_FIGURES
                .iter()
                .zip(COLUMNS)
                .map(|(f, (_, d))| beats_on(idx(f), o, d))
                .collect(),
            objective: beats_on(idx(&e.objective.0), o, e.objective.1),
            regret: r.regret.clone(),
            failures: r
                .failures
                .iter()
                .map(|f| FailureView {
                    criterion: e
                        .failures
                        .iter()
                        .position(|c| *c == f.criterion)
                        .unwrap_or(0),
                    failing: f.failing,
                    evaluated: f.evaluated,
                    skipped: e.futures.len().saturating_sub(f.evaluated),
                    place: place(f.failing, f.evaluated, f.prim.as_ref()),
                })
                .collect(),
        })
        .collect();
    let ranking = ranking(&options);
    let best_compared = ranking.iter().copied().find(|&o| o != rf);
    let mut findings = Vec::new();
    if let Some(&first) = ranking.first() {
        findings.push(Finding::MostRobust { option: first });
    }
    if let Some(b) = best_compared {
        findings.push(Finding::BeatsReference { option: b });
        let mut failed: Vec<usize> = (0..options[b].failures.len())
            .filter(|&i| options[b].failures[i].failing > 0)
            .collect();
        failed.sort_by_key(|&i| std::cmp::Reverse(options[b].failures[i].failing));
        if failed.is_empty() && !options[b].failures.is_empty() {
            findings.push(Finding::FailsNothing { option: b });
        }
        for i in failed.into_iter().take(2) {
            findings.push(Finding::Fails {
                option: b,
                failure: i,
            });
        }
    }
    let weakest = (0..options.len())
        .filter(|&o| o != rf)
        .filter_map(|o| options[o].objective.map(|b| (o, b.share())))
        .filter(|&(_, s)| s < 0.5)
        .min_by(|x, y| x.1.total_cmp(&y.1));
    if let Some((o, _)) = weakest {
        findings.push(Finding::Weak { option: o });
    }
    findings.truncate(MAX_FINDINGS);
    ExploreDecision {
        options,
        ranking,
        best_compared,
        findings,
        criteria: e.failures.clone(),
        named: e
            .failures
            .iter()
            .map(|c| c.name != default_name(c))
            .collect(),
    }
}

fn place(
    failing: usize,
    evaluated: usize,
    prim: Option<&crate::experiment::explore_analysis::PrimReport>,
) -> Where {
    if evaluated == 0 {
        return Where::NotEvaluated;
    }
    if failing == 0 {
        return Where::Nowhere;
    }
    if failing == evaluated {
        return Where::Everywhere;
    }
    match prim {
        None => Where::Undescribed,
        Some(p) if p.restrictions.is_empty() => Where::Spread,
        Some(p) => Where::Box {
            restrictions: p.restrictions.clone(),
            coverage: p.coverage,
            density: p.density,
            mass: p.mass,
        },
    }
}

/// Options by regret on the objective, most robust first: the smallest maximum regret
/// (minimax regret), ties broken by the 90th percentile, then the mean, then the file's order;
/// an option without regret (no value in any future) last.
pub fn ranking(options: &[OptionView]) -> Vec<usize> {
    let key = |o: &OptionView| {
        let r = &o.regret;
        [r.max, r.p90, r.mean].map(|x| x.filter(|v| v.is_finite()).unwrap_or(f64::INFINITY))
    };
    let mut order: Vec<usize> = (0..options.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (key(&options[i]), key(&options[j]));
        a[0].total_cmp(&b[0])
            .then(a[1].total_cmp(&b[1]))
            .then(a[2].total_cmp(&b[2]))
            .then(i.cmp(&j))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(max: Option<f64>, p90: Option<f64>) -> OptionView {
        OptionView {
            name: String::new(),
            reference: false,
            levers: OptionLevers {
                changes: vec![],
                timeline: vec![],
                reference_timeline_days: vec![],
            },
            beats: vec![],
            objective: None,
            regret: Regret {
                indicator: "x".into(),
                better: Direction::Higher,
                max,
                p90,
                mean: p90,
                best_share: None,
            },
            failures: vec![],
        }
    }

    #[test]
    fn ranking_is_minimax_regret_then_the_90th_percentile() {
        let v = vec![
            view(Some(0.3), Some(0.1)),
            view(None, None),
            view(Some(0.1), Some(0.05)),
            view(Some(0.1), Some(0.02)),
        ];
        assert_eq!(ranking(&v), vec![3, 2, 0, 1]);
    }

    #[test]
    fn where_follows_the_counts_before_the_box() {
        assert_eq!(place(0, 0, None), Where::NotEvaluated);
        assert_eq!(place(0, 10, None), Where::Nowhere);
        assert_eq!(place(10, 10, None), Where::Everywhere);
        assert_eq!(place(3, 10, None), Where::Undescribed);
    }
}
