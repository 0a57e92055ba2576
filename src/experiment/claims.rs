//! The seed claims C1-C22 (SEED-FACTS section 3; docs/ODD.md section 9.2) as measurable
//! changes: for each, the lever change that stands for the claim's cause on a shipped base
//! scenario, the indicator it should move and the claimed sign. `measure` runs each change
//! against its base with paired seeds (the lever audit's engine) and gives a verdict from a
//! paired interval. Claims the model does not represent yet have no change and a reason.

use super::audit::paired_runs;
use super::params::{Base as ParamBase, Kind};
use super::runner::Progress;
use super::stats::paired_diff;
use crate::scenario::Scenario;
use crate::scenario::raw::RawScenario;

/// The shipped base a claim is measured on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseScenario {
    StatusQuo,
    FullReform,
}

impl BaseScenario {
    pub fn file(self) -> &'static str {
        match self {
            BaseScenario::StatusQuo => "status_quo.ron",
            BaseScenario::FullReform => "full_reform.ron",
        }
    }
}

/// The claimed direction of the indicator when the change is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    Up,
    Down,
}

/// One claim as a measurement.
#[derive(Clone, Copy, Debug)]
pub struct Claim {
    pub id: &'static str,
    /// The claim in a few words (X => Y).
    pub text: &'static str,
    pub base: BaseScenario,
    /// `(path, value)`: a number, `true`/`false` or a variant's name.
    pub change: &'static [(&'static str, &'static str)],
    pub indicator: &'static str,
    pub sign: Sign,
    /// Why the claim has no lever yet (then `change` is empty).
    pub not_modelled: Option<&'static str>,
}

const fn claim(
    id: &'static str,
    text: &'static str,
    base: BaseScenario,
    change: &'static [(&'static str, &'static str)],
    indicator: &'static str,
    sign: Sign,
) -> Claim {
    Claim {
        id,
        text,
        base,
        change,
        indicator,
        sign,
        not_modelled: None,
    }
}

#[allow(dead_code)] // for a claim the model cannot represent; none since issue 13
const fn missing(id: &'static str, text: &'static str, why: &'static str) -> Claim {
    Claim {
        id,
        text,
        base: BaseScenario::StatusQuo,
        change: &[],
        indicator: "",
        sign: Sign::Up,
        not_modelled: Some(why),
    }
}

use BaseScenario::*;
use Sign::*;

/// Every seed claim, in order; a claim may have more than one row (C19: trips and
/// satisfaction).
pub const CLAIMS: &[Claim] = &[
    claim(
        "C1",
        "psychological services => fewer public-order (living) incidents",
        StatusQuo,
        &[("policy.psych_services.enabled", "true")],
        "mean.incidents_created",
        Down,
    ),
    claim(
        "C2",
        "no per-grid subsidy => less grid-worker effort, fewer matters settled on the spot",
        StatusQuo,
        &[("policy.budget.grid_subsidy_yuan_per_grid_year", "0")],
        "total.resolved_on_the_spot",
        Down,
    ),
    claim(
        "C3",
        "dispatch authority (吹哨报到) => escalated cases close sooner",
        StatusQuo,
        &[("policy.authority.enabled", "true")],
        "total.resolve_days_mean",
        Down,
    ),
    claim(
        "C4",
        "mediator pay up => less attrition, more mediators",
        StatusQuo,
        &[("policy.mediation.pay_yuan_per_month", "4000")],
        "final.mediators",
        Up,
    ),
    claim(
        "C4",
        "mediator pay up => fewer petitions",
        StatusQuo,
        &[("policy.mediation.pay_yuan_per_month", "4000")],
        "total.petitions",
        Down,
    ),
    claim(
        "C5",
        "more pre-litigation mediation => fewer court cases",
        StatusQuo,
        &[("policy.mediation.mediators_per_community", "4")],
        "total.resolved_by_court",
        Down,
    ),
    claim(
        "C6",
        "judicial confirmation => more disputes settled by mediation",
        StatusQuo,
        &[("policy.mediation.legal_backing", "true")],
        "total.resolved_by_mediation",
        Up,
    ),
    claim(
        "C7",
        "low civic propensity (no volunteering) => more petitions",
        FullReform,
        &[
            ("behaviour.volunteering.intrinsic_mean", "0"),
            ("behaviour.volunteering.conditional_slope", "0"),
        ],
        "total.petitions",
        Up,
    ),
    claim(
        "C8",
        "no purchase of social-organisation services => weaker social organisations",
        FullReform,
        &[("policy.social_orgs.cultivation_yuan_per_year", "0")],
        "final.social_org_capacity",
        Down,
    ),
    claim(
        "C9",
        "less weight on economic KPIs => faster service",
        StatusQuo,
        &[("policy.evaluation.hard_weight", "0.2")],
        "total.resolve_days_mean",
        Down,
    ),
    claim(
        "C10",
        "more ledger demands => less on-the-spot service by grid workers",
        StatusQuo,
        &[("policy.grid.ledger_hours_per_department", "1")],
        "total.resolved_on_the_spot",
        Down,
    ),
    claim(
        "C11",
        "removing the intermediate layer (street offices) => coordination failure (more bounces)",
        StatusQuo,
        &[("policy.committee.street_layer", "false")],
        "total.bounces_per_1000_cases",
        Up,
    ),
    claim(
        "C12",
        "needs relayed (better match) => more participation",
        FullReform,
        &[("policy.self_governance.relay_rate", "1")],
        "total.participation_rate_mean",
        Up,
    ),
    claim(
        "C13",
        "less participation => higher cost per resolved case",
        FullReform,
        &[("behaviour.participation.thresholds.mean", "0.95")],
        "final.cost_per_resolved_yuan",
        Up,
    ),
    claim(
        "C14",
        "no data sharing => more bounces (推诿)",
        FullReform,
        &[("policy.platform.integration", "0")],
        "total.bounces_per_1000_cases",
        Up,
    ),
    claim(
        "C15",
        "more grid workers => more incidents discovered",
        StatusQuo,
        &[("policy.grid.workers_per_grid", "3")],
        "mean.incidents_discovered",
        Up,
    ),
    claim(
        "C16",
        "online channel => shorter time to resolve",
        StatusQuo,
        &[("policy.portal.coverage", "0.8")],
        "total.resolve_days_mean",
        Down,
    ),
    claim(
        "C17",
        "coarse targeting (block grants instead of projects) => less satisfaction",
        FullReform,
        &[("policy.social_orgs.funding", "Block")],
        "final.satisfaction_mean",
        Down,
    ),
    claim(
        "C18",
        "cluster governance => lower cost",
        FullReform,
        &[("policy.clusters.communities_per_cluster", "2")],
        "final.cost_total_yuan",
        Down,
    ),
    claim(
        "C19",
        "one-trip service => fewer trips per matter",
        StatusQuo,
        &[("policy.one_trip.share", "1")],
        "total.trips_per_matter",
        Down,
    ),
    claim(
        "C19",
        "one-trip service => more satisfaction",
        StatusQuo,
        &[("policy.one_trip.share", "1")],
        "final.satisfaction_mean",
        Up,
    ),
    claim(
        "C20",
        "coordination (Unified, 大部制) => fewer bounces",
        StatusQuo,
        &[("policy.committee.mode", "Unified")],
        "total.bounces_per_1000_cases",
        Down,
    ),
    claim(
        "C21",
        "administrative load => fewer problems found by grid workers",
        StatusQuo,
        &[("policy.grid.ledger_hours_per_department", "1")],
        "mean.incidents_discovered",
        Down,
    ),
    claim(
        "C22",
        "decisions without consultation are rejected (不买账) => less trust",
        FullReform,
        &[("policy.self_governance.consultation", "false")],
        "final.trust_mean",
        Down,
    ),
];

/// A claim's result.
#[derive(Clone, Debug)]
pub struct ClaimResult {
    pub claim: Claim,
    pub diff: f64,
    pub low: f64,
    pub high: f64,
    pub verdict: String,
}

/// The scenario of a claim's change on `raw`, or why it cannot be made.
pub fn changed(raw: &RawScenario, change: &[(&str, &str)]) -> Result<Scenario, String> {
    let base = ParamBase::new(raw);
    let mut values: Vec<(&str, Kind, f64)> = Vec::new();
    for (path, text) in change {
        let kind = base.probe(path).map_err(|e| e.to_string())?;
        let x = match &kind {
            Kind::Flag => match *text {
                "true" => 1.0,
                "false" => 0.0,
                _ => return Err(format!("`{path}` takes true or false, got {text}")),
            },
            Kind::Choice(_) => kind
                .variant(text)
                .ok_or_else(|| format!("`{path}` has no variant {text}"))?
                as f64,
            _ => text
                .parse()
                .map_err(|_| format!("`{path}` takes a number, got {text}"))?,
        };
        values.push((path, kind, x));
    }
    let refs: Vec<(&str, &Kind, f64)> = values.iter().map(|(p, k, x)| (*p, k, *x)).collect();
    base.scenario(&refs).map_err(|e| e.to_string())
}

/// Measures every modelled claim on its base (`bases` gives each base's raw and validated
/// scenario) with `reps` paired replications of `days` days and `level` intervals.
pub fn measure(
    bases: &dyn Fn(BaseScenario) -> (RawScenario, Scenario),
    reps: usize,
    days: u32,
    level: f64,
    progress: &dyn Progress,
    stop: &(dyn Fn() -> bool + Sync),
) -> Vec<ClaimResult> {
    let mut out = Vec::new();
    for c in CLAIMS {
        if let Some(why) = c.not_modelled {
            out.push(ClaimResult {
                claim: *c,
                diff: f64::NAN,
                low: f64::NAN,
                high: f64::NAN,
                verdict: why.to_string(),
            });
            continue;
        }
        let (raw, base) = bases(c.base);
        let variant = match changed(&raw, c.change) {
            Ok(s) => s,
            Err(e) => {
                out.push(ClaimResult {
                    claim: *c,
                    diff: f64::NAN,
                    low: f64::NAN,
                    high: f64::NAN,
                    verdict: format!("cannot be measured: {e}"),
                });
                continue;
            }
        };
        let runs = paired_runs(
            &[&base, &variant],
            base.seed,
            reps,
            days,
            &[c.indicator],
            progress,
            stop,
        );
        let b: Vec<f64> = runs[..reps].iter().map(|r| r.values[0]).collect();
        let v: Vec<f64> = runs[reps..].iter().map(|r| r.values[0]).collect();
        let d = paired_diff(&b, &v, level);
        let (low, high) =
            d.ci.map(|i| (i.low, i.high))
                .unwrap_or((f64::NAN, f64::NAN));
        out.push(ClaimResult {
            claim: *c,
            diff: d.mean,
            low,
            high,
            verdict: verdict(c.sign, low, high).to_string(),
        });
    }
    out
}

/// Agrees when the interval lies on the claimed side of 0, disagrees when on the other, and
/// no detectable effect when it holds 0 (or there is none).
pub fn verdict(sign: Sign, low: f64, high: f64) -> &'static str {
    let up = low > 0.0;
    let down = high < 0.0;
    match (sign, up, down) {
        (Sign::Up, true, _) | (Sign::Down, _, true) => "agrees",
        (_, true, _) | (_, _, true) => "disagrees",
        _ => "no detectable effect",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_claim_is_listed_and_every_change_makes_a_valid_scenario() {
        for id in 1..=22 {
            let id = format!("C{id}");
            assert!(CLAIMS.iter().any(|c| c.id == id), "{id} missing");
        }
        let names = crate::experiment::runner::figure_names();
        let raw = RawScenario::default();
        for c in CLAIMS.iter().filter(|c| c.not_modelled.is_none()) {
            assert!(
                names.iter().any(|n| n == c.indicator),
                "{}: {}",
                c.id,
                c.indicator
            );
            assert!(
                changed(&raw, c.change).is_ok(),
                "{}: {:?}",
                c.id,
                changed(&raw, c.change)
            );
        }
        assert_eq!(verdict(Sign::Up, 0.1, 0.2), "agrees");
        assert_eq!(verdict(Sign::Up, -0.2, -0.1), "disagrees");
        assert_eq!(verdict(Sign::Down, -0.2, 0.1), "no detectable effect");
        assert_eq!(verdict(Sign::Down, -0.2, -0.1), "agrees");
        assert_eq!(
            verdict(Sign::Down, f64::NAN, f64::NAN),
            "no detectable effect"
        );
    }
}
