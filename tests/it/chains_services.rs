//! The service-side causal chains of issue 13: every lever acts through its mechanism, and each
//! test asserts an outcome a planner reads (on-time share, days to resolve, satisfaction, trust,
//! need-supply match), never only the lever's own counter, with a 95% paired interval over
//! common seeds. Run with `-- --nocapture` to see the figures.
//!
//! Each chain was checked to fail when its coupling is cut (see the report in the commit that
//! added this file): rework_share 0 with capacity to spare (operator), project_match_rate 0
//! (social organisations), trip_satisfaction_loss 0 (one-trip), naming_weight 0 (authority),
//! the old per-month relay (relay), supervision_weight 0 (participation), consultation on for
//! both options (C22).

use rayon::prelude::*;

use towngov::scenario::{Funding, Scenario, Thresholds};
use towngov::sim::{SimOptions, Simulation};

use crate::support::{printed_diff as diff, scenario_file};

const REPS: u64 = 10;
const DAYS: u32 = 730;

/// What a planner reads at the end of one run.
#[derive(Clone, Copy, Debug)]
struct Figures {
    on_time: f64,
    resolve_days: f64,
    satisfaction: f64,
    trust: f64,
    matched: f64,
}

fn runs(s: &Scenario) -> Vec<Figures> {
    (1..=REPS)
        .into_par_iter()
        .map(|seed| {
            let mut sim = Simulation::new(s, seed, SimOptions::default());
            for _ in 0..DAYS {
                sim.step();
            }
            let t = sim.totals();
            let last = sim.last();
            Figures {
                on_time: t.on_time_share.unwrap_or(f64::NAN),
                resolve_days: t.resolve_days_mean.unwrap_or(f64::NAN),
                satisfaction: last.satisfaction_mean,
                trust: last.trust_mean,
                matched: last.need_supply_match,
            }
        })
        .collect()
}

fn status_quo() -> Scenario {
    scenario_file("scenarios/status_quo.ron")
}

fn full_reform() -> Scenario {
    scenario_file("scenarios/full_reform.ron")
}

/// Operator: performance pay raises effort, hence capacity (a queue forms at the centres when
/// effort is low) and quality (fewer matters settled badly and forwarded after a second trip),
/// hence days to resolve and the on-time share. On the status quo with centres, where the
/// departments a forwarded matter goes to are slow; a strong incentive (0.5 effort) so that 10
/// pairs see it.
#[test]
fn operator_effort_reaches_time_and_satisfaction() {
    let mut base = status_quo();
    base.policy.operator.enabled = true;
    base.policy.operator.base_effort = 0.4;
    base.policy.operator.performance_effort_gain = 0.5;
    let mut paid = base.clone();
    paid.policy.operator.performance_pay = true;
    let (a, b) = (runs(&base), runs(&paid));
    let on_time = diff("operator: on-time share", &a, &b, |f| f.on_time);
    let days = diff("operator: days to resolve", &a, &b, |f| f.resolve_days);
    let sat = diff("operator: satisfaction", &a, &b, |f| f.satisfaction);
    assert!(
        on_time.1 > 0.0,
        "performance pay must raise the on-time share"
    );
    assert!(days.2 < 0.0, "performance pay must cut the days to resolve");
    assert!(sat.0 > 0.0, "performance pay must not lower satisfaction");
}

/// Social organisations: money buys capacity that co-produces at the centres, and with
/// project funding (项目制) projects against needs, as many as the money buys: more money, a
/// better match and quicker matters; none, a worse match (claim C8).
#[test]
fn social_org_money_reaches_match_and_time() {
    let reference = full_reform();
    assert_eq!(reference.policy.social_orgs.funding, Funding::Project);
    let mut none = reference.clone();
    none.policy.social_orgs.cultivation_yuan_per_year = 0.0;
    let mut rich = reference.clone();
    rich.policy.social_orgs.cultivation_yuan_per_year = 3_000_000.0;
    let (r, n, m) = (runs(&reference), runs(&none), runs(&rich));
    let less = diff("social orgs 300k -> 0: match", &r, &n, |f| f.matched);
    let more = diff("social orgs 300k -> 3M: match", &r, &m, |f| f.matched);
    let days = diff("social orgs 300k -> 3M: days to resolve", &r, &m, |f| {
        f.resolve_days
    });
    assert!(
        less.2 < 0.0,
        "without money projects must stop closing the gap"
    );
    assert!(
        more.1 > 0.0,
        "more money must buy more projects against needs"
    );
    // The days gain is printed, not asserted: it is inside the noise at 10 pairs since
    // unmet needs not brought count at the case deadline.
    let _ = days;
}

/// One-trip service (最多跑一次, claim C19): fewer trips, more satisfied residents.
#[test]
fn one_trip_reaches_satisfaction() {
    let reference = status_quo();
    assert_eq!(reference.policy.one_trip.share, 0.0);
    let mut one = reference.clone();
    one.policy.one_trip.share = 1.0;
    let (a, b) = (runs(&reference), runs(&one));
    let sat = diff("one-trip 0 -> 1: satisfaction", &a, &b, |f| f.satisfaction);
    assert!(sat.1 > 0.0, "one-trip service must raise satisfaction");
}

/// Dispatch authority (吹哨报到, claim C3): a tight answer deadline names the departments that
/// answer late, and the street's evaluation pulls their effort back to residents' matters.
#[test]
fn answer_deadline_binds() {
    let mut loose = status_quo();
    loose.policy.authority.enabled = true;
    loose.policy.authority.answer_days = 5.0;
    let mut tight = loose.clone();
    tight.policy.authority.answer_days = 0.25;
    let (a, b) = (runs(&loose), runs(&tight));
    let on_time = diff("answer 5 -> 0.25 days: on-time share", &a, &b, |f| {
        f.on_time
    });
    let days = diff("answer 5 -> 0.25 days: days to resolve", &a, &b, |f| {
        f.resolve_days
    });
    // About 50 summons a year in this town: the on-time gain is a few points, so 10 pairs
    // bound the days to resolve and only the sign of the on-time share.
    assert!(
        days.0 < 0.0,
        "a tight deadline must cut the days to resolve (sign): {days:?}"
    );
    assert!(
        on_time.0 > 0.0,
        "a tight deadline must not lower the on-time share"
    );
}

/// Self-governance relay: supply follows the accumulated needs, so more relay and more
/// participation never make the match worse (each step's interval does not lie below 0), and
/// the whole sweep improves it.
#[test]
fn relay_and_participation_never_worsen_the_match() {
    // Participation moves with the mean threshold (the default is Normal(0.55, 0.35)).
    let with_relay = |rate: f64, threshold_mean: Option<f64>| {
        let mut s = full_reform();
        s.policy.self_governance.relay_rate = rate;
        if let Some(mean) = threshold_mean {
            s.behaviour.participation.thresholds = Thresholds::Normal { mean, sd: 0.35 };
        }
        runs(&s)
    };
    let r0 = with_relay(0.0, None);
    let r03 = with_relay(0.3, None);
    let r1 = with_relay(1.0, None);
    let few = with_relay(0.3, Some(0.9));
    let many = with_relay(0.3, Some(0.1));
    let steps = [
        ("relay 0 -> 0.3: match", &r0, &r03),
        ("relay 0.3 -> 1: match", &r03, &r1),
        ("participation few -> default: match", &few, &r03),
        ("participation default -> many: match", &r03, &many),
    ];
    for (what, a, b) in steps {
        let d = diff(what, a, b, |f| f.matched);
        assert!(d.2 >= 0.0, "{what}: the match got worse");
    }
    assert!(diff("relay 0 -> 1: match", &r0, &r1, |f| f.matched).1 > 0.0);
    assert!(
        diff("participation few -> many: match", &few, &many, |f| f
            .matched)
        .1 > 0.0
    );
}

/// Participation reaches outcomes on the status quo: participants supervise the committee
/// (less effort diverted to investment promotion), so matters are resolved sooner.
#[test]
fn participation_reaches_service() {
    let with_thresholds = |mean: f64| {
        let mut s = status_quo();
        s.behaviour.participation.thresholds = Thresholds::Normal { mean, sd: 0.2 };
        runs(&s)
    };
    let (few, many) = (with_thresholds(0.9), with_thresholds(0.1));
    let on_time = diff(
        "participation few -> many: on-time share",
        &few,
        &many,
        |f| f.on_time,
    );
    let days = diff(
        "participation few -> many: days to resolve",
        &few,
        &many,
        |f| f.resolve_days,
    );
    assert!(
        on_time.1 > 0.0,
        "participation must raise the on-time share"
    );
    assert!(days.2 < 0.0, "participation must cut the days to resolve");
}

/// Claim C22 (Gaomi, 群众不买账): projects decided top-down are rejected more often where trust
/// is low, wasting their money and costing trust; decided by consultation they go ahead.
#[test]
fn consultation_keeps_projects_accepted() {
    let reference = full_reform();
    assert!(reference.policy.self_governance.consultation);
    let mut top_down = reference.clone();
    top_down.policy.self_governance.consultation = false;
    let (a, b) = (runs(&reference), runs(&top_down));
    let trust = diff("consultation -> top-down: trust", &a, &b, |f| f.trust);
    let matched = diff("consultation -> top-down: match", &a, &b, |f| f.matched);
    assert!(trust.2 < 0.0, "top-down decisions must cost trust");
    assert!(
        matched.2 < 0.0,
        "rejected projects must not close the supply-need gap"
    );
}
