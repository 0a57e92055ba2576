//! The lever audit: every parameter of the registry with a number, flag or choice domain moved
//! to the ends of its range (both values of a flag, every variant of a choice) on a base
//! scenario, with common random numbers (replicate r of every variant uses the base's seed r),
//! and classified by which indicators move beyond noise: behavioural, cost-only,
//! own-counter-only or none. Pure: scenarios in, results out; the CLI writes the files.
//!
//! Multiplicity: each parameter is tested on 77 indicators at every value it is moved to, so an
//! unadjusted 99% interval on each would class a parameter that only perturbs the random streams
//! as behavioural most of the time. The paired t tests of one parameter (indicators × values)
//! form one family, adjusted with Holm's step-down method ([`adjust_family`], as `compare`
//! does): an indicator counts as moved where its Holm-adjusted p is below 1 - level, so a
//! parameter with no effect is classed as anything but none with probability at most 1 - level.
//!
//! Power: a screening stage (`reps` pairs) classes every parameter; each parameter it does not
//! class behavioural, and whose outputs were not identical to the base's, is tested again in a
//! confirmation stage with `confirm_reps` fresh pairs (replicates `reps..reps + confirm_reps` of
//! the base's seeds, disjoint from the screening's), its own Holm family, and the indicators
//! either stage moved decide the class. Each stage runs at half the family-wise error
//! (Bonferroni over the two stages), so a parameter with no effect is still classed as anything
//! but none with probability at most 1 - level.
//!
//! Where a range is much wider than the base value (0 to 1e10 yuan, 1 to 10,000 staff), the
//! upper end is capped at 4 times the base value (4 times the registry default when the base
//! is 0, and 4 when both are 0), so that an audit of a real town finishes in minutes; the lower
//! end is the range's lower end (it only makes a run cheaper or switches a mechanism off).

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use super::audit_confirm;
use super::audit_roles::{self, Area, Role};
use super::multiplicity::{self, Adjust};
use super::params::{Base, Kind};
use super::runner::{self, Progress, RunSpec};
use super::stats::paired_diff;
use crate::scenario::raw::RawScenario;
use crate::scenario::{Domain, Scenario};

/// How far above the base value the audit moves a parameter at most.
pub const UPPER_CAP_FACTOR: f64 = 4.0;

/// How the audit runs.
#[derive(Clone, Copy, Debug)]
pub struct AuditSettings {
    pub reps: usize,
    pub days: u32,
    /// Level of the paired intervals and the family-wise level of each parameter's tests
    /// (0.99: an indicator moved where its Holm-adjusted p is below 0.01; the interval shown
    /// is the unadjusted 99% interval).
    pub level: f64,
    /// The low-power quick look (`towngov audit --quick`): labelled as such in the outputs.
    pub quick: bool,
    /// Fresh paired replications for the confirmation stage (0: no confirmation stage).
    pub confirm_reps: usize,
}

impl AuditSettings {
    /// The family-wise error rate each stage is adjusted to: 1 - level, split equally between
    /// the screening and the confirmation stage when there is one (Bonferroni), so that a
    /// parameter's class over both stages errs with probability at most 1 - level.
    pub fn stage_alpha(&self) -> f64 {
        let alpha = 1.0 - self.level;
        if self.confirm_reps > 0 {
            alpha / 2.0
        } else {
            alpha
        }
    }
}

/// Fresh pairs in the default audit's confirmation stage: with 32 pairs the strongest of a
/// parameter's 154 tests needs t ≥ 5.0 (a mean difference of about 0.9 standard deviations of
/// the paired differences), where the screening's 8 pairs need t ≥ 9.5.
pub const CONFIRM_REPS: usize = 32;

/// The settings of `towngov audit --quick`: 4 paired replications of 365 days, about a quarter
/// of the default audit's runs' time.
pub const QUICK_REPS: usize = 4;
pub const QUICK_DAYS: u32 = 365;

/// A parameter's class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Some planner-facing outcome other than the parameter's own figures moves.
    Behavioural,
    /// Only cost or money figures move (besides its own and intermediate counters).
    CostOnly,
    /// Only the parameter's own figures or intermediate counters move.
    OwnCounterOnly,
    /// Nothing moves beyond noise.
    None,
}

impl Class {
    pub fn name(self) -> &'static str {
        match self {
            Class::Behavioural => "behavioural",
            Class::CostOnly => "cost-only",
            Class::OwnCounterOnly => "own-counter-only",
            Class::None => "none",
        }
    }

    pub const ALL: [Class; 4] = [
        Class::Behavioural,
        Class::CostOnly,
        Class::OwnCounterOnly,
        Class::None,
    ];
}

/// One value a parameter is moved to.
#[derive(Clone, Debug)]
pub struct Variant {
    pub path: String,
    pub kind: Kind,
    pub value: f64,
    /// Its scenario, or why the value is refused in this base (a rule across fields).
    pub scenario: Result<Scenario, String>,
}

impl Variant {
    pub fn shown(&self) -> String {
        self.kind.show(self.value)
    }
}

/// A parameter the audit does not move, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// The plan for one base scenario: the variants to run (grouped by parameter, in registry
/// order) and the parameters skipped.
#[derive(Clone, Debug)]
pub struct Plan {
    pub variants: Vec<Variant>,
    pub skipped: Vec<Skipped>,
}

/// The paired difference of one indicator between a variant and the base.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorDiff {
    pub indicator: &'static str,
    pub base_mean: f64,
    pub diff_mean: f64,
    /// The unadjusted paired Student-t interval at the audit's level.
    pub low: f64,
    pub high: f64,
    /// Two-sided p of the paired t test (`None` with fewer than 2 pairs; 0 for a shift with
    /// every difference equal, 1 when every difference is 0).
    pub p: Option<f64>,
    /// `p` adjusted with Holm's method over the parameter's family (every indicator at every
    /// value it was moved to); `None` until [`adjust_family`] ran, and where `p` is.
    pub p_adjusted: Option<f64>,
    /// The adjusted p is below 1 - level.
    pub moved: bool,
}

/// One variant's result.
#[derive(Clone, Debug)]
pub struct VariantResult {
    pub value: String,
    /// Refused by the scenario's rules: the message (no runs).
    pub invalid: Option<String>,
    /// Every figure of every replicate equal to the base's, bit for bit.
    pub identical: bool,
    pub diffs: Vec<IndicatorDiff>,
}

/// One parameter's result on one scenario.
#[derive(Clone, Debug)]
pub struct ParamResult {
    pub path: String,
    /// The class from both stages: the indicators either moved.
    pub class: Class,
    /// The class from the screening stage alone.
    pub screen_class: Class,
    /// Every variant's runs were identical to the base's.
    pub identical: bool,
    /// The screening stage's results, one per value.
    pub variants: Vec<VariantResult>,
    /// The confirmation stage's results (fresh pairs), one per value re-tested; empty when the
    /// parameter was not re-tested (behavioural at screening, identical outputs, every value
    /// refused, or no confirmation stage).
    pub confirmation: Vec<VariantResult>,
}

impl ParamResult {
    /// The indicators that moved in some variant of either stage, each with the variants'
    /// diffs (values re-tested in the confirmation stage marked "(confirmation)").
    pub fn moved(&self) -> Vec<(&'static str, Vec<(String, f64)>)> {
        let mut out: Vec<(&'static str, Vec<(String, f64)>)> = Vec::new();
        let screened = self.variants.iter().map(|v| (v, v.value.clone()));
        let confirmed = self
            .confirmation
            .iter()
            .map(|v| (v, format!("{} (confirmation)", v.value)));
        for (v, label) in screened.chain(confirmed) {
            for d in v.diffs.iter().filter(|d| d.moved) {
                match out.iter_mut().find(|(n, _)| *n == d.indicator) {
                    Some((_, list)) => list.push((label.clone(), d.diff_mean)),
                    None => out.push((d.indicator, vec![(label.clone(), d.diff_mean)])),
                }
            }
        }
        out
    }

    /// Whether the confirmation stage re-tested it.
    pub fn confirmed(&self) -> bool {
        !self.confirmation.is_empty()
    }
}

/// The audit of one base scenario.
#[derive(Clone, Debug)]
pub struct ScenarioAudit {
    pub scenario: String,
    pub params: Vec<ParamResult>,
    pub skipped: Vec<Skipped>,
    /// Runs made, both stages.
    pub runs: usize,
}

impl ScenarioAudit {
    /// How many parameters fall in each class, in [`Class::ALL`]'s order.
    pub fn counts(&self) -> [usize; 4] {
        Class::ALL.map(|c| self.params.iter().filter(|p| p.class == c).count())
    }
}

/// The values the audit moves each parameter of `raw` to.
pub fn plan(raw: &RawScenario) -> Plan {
    let base = Base::new(raw);
    let mut variants = Vec::new();
    let mut skipped = Vec::new();
    for spec in crate::scenario::param_specs_of(raw) {
        if let Some(why) = audit_roles::structural(&spec.path) {
            skipped.push(Skipped {
                path: spec.path.clone(),
                reason: why.to_string(),
            });
            continue;
        }
        let Some(kind) = Kind::of(&spec.domain) else {
            skipped.push(Skipped {
                path: spec.path.clone(),
                reason: format!("{}: not a number, flag or choice", spec.range),
            });
            continue;
        };
        let current = base.current(&spec.path).unwrap_or(f64::NAN);
        let values = ends(&spec.domain, current, spec.default.parse().unwrap_or(0.0));
        let (path, kind) = (&spec.path, &kind);
        if values.is_empty() {
            skipped.push(Skipped {
                path: spec.path.clone(),
                reason: "its range is one value".to_string(),
            });
        }
        for end in values {
            let try_value = |x: f64| base.scenario(&[(path, kind, x)]).map_err(|e| e.to_string());
            let mut x = end;
            let mut scenario = try_value(x);
            if scenario.is_err() && matches!(kind, Kind::Real | Kind::Whole) {
                // A rule across fields (shares that must sum to at most 1) refuses the end:
                // the farthest value towards it that this base accepts.
                if let Some(y) = farthest_valid(current, end, kind, |y| try_value(y).is_ok()) {
                    x = y;
                    scenario = try_value(y);
                }
            }
            variants.push(Variant {
                path: spec.path.clone(),
                kind: kind.clone(),
                value: x,
                scenario,
            });
        }
    }
    Plan { variants, skipped }
}

/// The values a parameter with `domain` and base value `current` is moved to (never the base
/// value itself): a number's lower end and capped upper end, a flag's other value, a
/// choice's other variants.
pub fn ends(domain: &Domain, current: f64, default: f64) -> Vec<f64> {
    let out: Vec<f64> = match domain {
        Domain::Real { low, high } => vec![*low, upper(*high, current, default)],
        Domain::Whole { low, high } => vec![*low, upper(*high, current, default).floor()],
        Domain::Flag => vec![0.0, 1.0],
        Domain::Choice { variants } => (0..variants.len()).map(|i| i as f64).collect(),
        Domain::Text { .. } | Domain::List { .. } => Vec::new(),
    };
    let mut kept: Vec<f64> = Vec::new();
    for x in out {
        if x != current && !kept.contains(&x) {
            kept.push(x);
        }
    }
    kept
}

/// Bisects between the valid base value `from` and the refused `to` for the farthest value
/// `ok` accepts (none when only the base value is).
fn farthest_valid(from: f64, to: f64, kind: &Kind, ok: impl Fn(f64) -> bool) -> Option<f64> {
    if !from.is_finite() {
        return None;
    }
    let (mut good, mut bad) = (from, to);
    for _ in 0..30 {
        let mid = kind.value(good + (bad - good) / 2.0);
        if mid == good || mid == bad {
            break;
        }
        if ok(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    // A round figure near it, when this base accepts one (0.8, not 0.7999999990686774).
    for digits in 1..=6 {
        let scale = 10f64.powi(digits - 1 - good.abs().log10().floor() as i32);
        let round = kind.value((good * scale).round() / scale);
        let beyond_base = (round - from) * (to - from) > 0.0;
        let within = (round - to) * (from - to) >= 0.0;
        if round.is_finite() && beyond_base && within && ok(round) {
            return Some(round);
        }
    }
    (good != from).then_some(good)
}

/// The upper end: the range's, capped at 4 times the base value (or the default, or 1).
fn upper(high: f64, current: f64, default: f64) -> f64 {
    let reference = [current.abs(), default.abs(), 1.0]
        .into_iter()
        .find(|x| x.is_finite() && *x > 0.0)
        .unwrap_or(1.0);
    high.min(UPPER_CAP_FACTOR * reference)
        .max(current.min(high))
}

/// What one run keeps: the figures asked for and a fingerprint of every figure.
pub struct RunResult {
    pub values: Vec<f64>,
    /// A hash of every figure's name and bits (0: the run failed or was not made).
    pub fingerprint: u64,
}

fn run_one(scenario: &Scenario, seed: u64, days: u32, names: &[&str]) -> RunResult {
    let spec = RunSpec {
        scenario,
        seed,
        days,
        from_state: None,
        daily: &[],
    };
    let Ok(out) = runner::run(spec) else {
        return RunResult {
            values: vec![f64::NAN; names.len()],
            fingerprint: 0,
        };
    };
    let values = names
        .iter()
        .map(|n| out.figures.get(*n).copied().unwrap_or(f64::NAN))
        .collect();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for (k, v) in &out.figures {
        k.hash(&mut h);
        v.to_bits().hash(&mut h);
    }
    RunResult {
        values,
        fingerprint: h.finish(),
    }
}

/// Runs each scenario `reps` times with paired seeds (replicate r of every scenario uses
/// `replicate_seed(seed, r)`), in parallel; results scenario-major (scenario s's replicate r
/// at `s * reps + r`), keeping the figures `names`. Runs after `stop()` are not made.
pub fn paired_runs(
    scenarios: &[&Scenario],
    seed: u64,
    reps: usize,
    days: u32,
    names: &[&str],
    progress: &dyn Progress,
    stop: &(dyn Fn() -> bool + Sync),
) -> Vec<RunResult> {
    progress.start((scenarios.len() * reps) as u64);
    let results = paired_runs_from(scenarios, seed, 0..reps, days, names, progress, stop);
    progress.finish();
    results
}

/// [`paired_runs`] with the replicates `replicates` (each scenario's replicate `r` uses
/// `replicate_seed(seed, r)`), advancing `progress` without starting or finishing it.
pub(super) fn paired_runs_from(
    scenarios: &[&Scenario],
    seed: u64,
    replicates: std::ops::Range<usize>,
    days: u32,
    names: &[&str],
    progress: &dyn Progress,
    stop: &(dyn Fn() -> bool + Sync),
) -> Vec<RunResult> {
    let seeds: Vec<u64> = replicates
        .map(|r| runner::replicate_seed(seed, r as u64))
        .collect();
    let reps = seeds.len();
    let jobs: Vec<(usize, usize)> = (0..scenarios.len())
        .flat_map(|s| (0..reps).map(move |r| (s, r)))
        .collect();
    jobs.par_iter()
        .map(|&(s, r)| {
            if stop() {
                return RunResult {
                    values: vec![f64::NAN; names.len()],
                    fingerprint: 0,
                };
            }
            let out = run_one(scenarios[s], seeds[r], days, names);
            progress.advance(1);
            out
        })
        .collect()
}

/// Runs the base and every valid variant of `plan` with paired seeds, in parallel, and
/// classifies each parameter. `name` labels the scenario in the results.
pub fn audit(
    name: &str,
    base: &Scenario,
    plan: &Plan,
    settings: AuditSettings,
    progress: &dyn Progress,
    stop: &(dyn Fn() -> bool + Sync),
) -> ScenarioAudit {
    let reps = settings.reps;
    let alpha = settings.stage_alpha();
    // The base first, then each valid variant.
    let mut scenarios: Vec<&Scenario> = vec![base];
    let mut index: Vec<Option<usize>> = Vec::new();
    for v in &plan.variants {
        match &v.scenario {
            Ok(s) => {
                index.push(Some(scenarios.len()));
                scenarios.push(s);
            }
            Err(_) => index.push(None),
        }
    }
    let names: Vec<&str> = audit_roles::INDICATORS.iter().map(|(n, _)| *n).collect();
    progress.start((scenarios.len() * reps) as u64);
    let results = paired_runs_from(
        &scenarios,
        base.seed,
        0..reps,
        settings.days,
        &names,
        progress,
        stop,
    );
    let runs_of = |s: usize| &results[s * reps..(s + 1) * reps];
    let base_runs = runs_of(0);
    let mut params: Vec<ParamResult> = Vec::new();
    // For each parameter, its values' scenarios (in `scenarios`), valid values only.
    let mut valid: Vec<Vec<usize>> = Vec::new();
    for (v, idx) in plan.variants.iter().zip(&index) {
        let result = match (idx, &v.scenario) {
            (Some(s), _) => compare(base_runs, runs_of(*s), v.shown(), settings.level),
            (None, Err(e)) => VariantResult {
                value: v.shown(),
                invalid: Some(e.clone()),
                identical: false,
                diffs: Vec::new(),
            },
            (None, Ok(_)) => unreachable!("every valid variant has runs"),
        };
        match params.last_mut() {
            Some(p) if p.path == v.path => p.variants.push(result),
            _ => {
                params.push(ParamResult {
                    path: v.path.clone(),
                    class: Class::None,
                    screen_class: Class::None,
                    identical: false,
                    variants: vec![result],
                    confirmation: Vec::new(),
                });
                valid.push(Vec::new());
            }
        }
        if let (Some(s), Some(list)) = (idx, valid.last_mut()) {
            list.push(*s);
        }
    }
    for p in &mut params {
        adjust_family(&mut p.variants, alpha);
        let ran: Vec<&VariantResult> = p.variants.iter().filter(|v| v.invalid.is_none()).collect();
        p.identical = !ran.is_empty() && ran.iter().all(|v| v.identical);
        p.screen_class = classify(&p.path, &moved_in(&p.variants));
        p.class = p.screen_class;
    }
    let mut runs = results.len();
    if settings.confirm_reps > 0 {
        runs += audit_confirm::confirm(
            base,
            &scenarios,
            &mut params,
            &valid,
            settings,
            progress,
            stop,
        );
    }
    progress.finish();
    ScenarioAudit {
        scenario: name.to_string(),
        params,
        skipped: plan.skipped.clone(),
        runs,
    }
}

/// The indicators that moved in some of `variants`.
pub(super) fn moved_in(variants: &[VariantResult]) -> Vec<&'static str> {
    let moved: BTreeSet<&'static str> = variants
        .iter()
        .filter(|v| v.invalid.is_none())
        .flat_map(|v| v.diffs.iter().filter(|d| d.moved).map(|d| d.indicator))
        .collect();
    moved.into_iter().collect()
}

pub(super) fn compare(
    base: &[RunResult],
    variant: &[RunResult],
    value: String,
    level: f64,
) -> VariantResult {
    let identical = base
        .iter()
        .zip(variant)
        .all(|(b, v)| b.fingerprint == v.fingerprint && b.fingerprint != 0);
    let diffs = audit_roles::INDICATORS
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let b: Vec<f64> = base.iter().map(|r| r.values[i]).collect();
            let x: Vec<f64> = variant.iter().map(|r| r.values[i]).collect();
            diff(name, &b, &x, level)
        })
        .collect();
    VariantResult {
        value,
        invalid: None,
        identical,
        diffs,
    }
}

/// Adjusts the p-values of one parameter's tests (every indicator at every value it was moved
/// to: one family) with Holm's method and marks an indicator moved where its adjusted p is
/// below `alpha`: the family-wise error rate of the parameter's class is at most `alpha`
/// ([`AuditSettings::stage_alpha`]). Tests without a p-value (fewer than 2 pairs) are not in
/// the family. Returns the family size.
pub fn adjust_family(variants: &mut [VariantResult], alpha: f64) -> usize {
    let ps: Vec<Option<f64>> = variants
        .iter()
        .flat_map(|v| v.diffs.iter().map(|d| d.p))
        .collect();
    let mut adjusted = multiplicity::adjust(&ps, Adjust::Holm).into_iter();
    for d in variants.iter_mut().flat_map(|v| v.diffs.iter_mut()) {
        d.p_adjusted = adjusted.next().flatten();
        d.moved = d.p_adjusted.is_some_and(|p| p < alpha);
    }
    multiplicity::family_size(&ps)
}

/// The paired difference `variant - base` of one indicator: its unadjusted interval at `level`
/// and raw p; not yet adjusted (`p_adjusted` `None`, `moved` false until [`adjust_family`]).
pub fn diff(indicator: &'static str, base: &[f64], variant: &[f64], level: f64) -> IndicatorDiff {
    let d = paired_diff(base, variant, level);
    let base_mean = super::stats::mean(
        &base
            .iter()
            .copied()
            .filter(|x| x.is_finite())
            .collect::<Vec<_>>(),
    )
    .unwrap_or(f64::NAN);
    let (low, high) =
        d.ci.map(|c| (c.low, c.high))
            .unwrap_or((f64::NAN, f64::NAN));
    IndicatorDiff {
        indicator,
        base_mean,
        diff_mean: d.mean,
        low,
        high,
        p: d.p_value,
        p_adjusted: None,
        moved: false,
    }
}

/// The class of parameter `path` given the indicators that moved: behavioural if an outcome
/// that is not its own moved; else cost-only if a cost that is not its own moved; else
/// own-counter-only if anything moved (its own figures or intermediate counters); else none.
pub fn classify(path: &str, moved: &[&str]) -> Class {
    let own = audit_roles::own(path);
    let foreign: Vec<Role> = moved
        .iter()
        .filter(|m| !own.contains(m))
        .filter_map(|m| audit_roles::role(m))
        .collect();
    if foreign.iter().any(|r| matches!(r, Role::Outcome(_))) {
        Class::Behavioural
    } else if foreign.contains(&Role::Cost) {
        Class::CostOnly
    } else if !moved.is_empty() {
        Class::OwnCounterOnly
    } else {
        Class::None
    }
}

/// The area of an outcome indicator (for the report).
pub fn area(indicator: &str) -> Option<Area> {
    match audit_roles::role(indicator) {
        Some(Role::Outcome(a)) => Some(a),
        _ => None,
    }
}

#[cfg(test)]
#[path = "audit_tests.rs"]
mod tests;
