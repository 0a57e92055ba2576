//! Stage two: raw scenario -> validated [`Scenario`]. Each parameter is one call that names its
//! path, default, range, unit, meaning and source; one file per part of the scenario.

mod behaviour;
mod demand;
mod firms;
mod policy;
mod services;
mod society;
mod town;

use super::model::*;
use super::raw::*;
use super::raw_path::Merge;
use super::validate::{Doc, FieldError, ParamSpec, Validator};

pub(super) const ASSUMED: &str = "assumption";
/// Residents beyond this would not fit the memory of the machines towngov targets.
pub const MAX_RESIDENTS: u64 = 20_000_000;
pub const MAX_GRIDS: u32 = 1_000_000;
/// A scenario's name is copied into every row of an experiment's outputs.
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// Each entry holds a whole policy; a hundred years of daily changes is more than enough.
pub const MAX_TIMELINE_ENTRIES: usize = 36_500;

pub(super) fn d(unit: &'static str, doc: &'static str, source: &'static str) -> Doc {
    Doc { unit, doc, source }
}

impl Scenario {
    /// Validates every field, fills defaults and returns the scenario, or every error found.
    pub fn from_raw(raw: &RawScenario) -> Result<Scenario, Vec<FieldError>> {
        let mut v = Validator::default();
        let scenario = build(raw, &mut v);
        if v.errors.is_empty() {
            Ok(scenario)
        } else {
            Err(v.errors)
        }
    }

    /// The scenario with every default: the development-zone status quo.
    pub fn default_town() -> Scenario {
        Scenario::from_raw(&RawScenario::default()).expect("defaults are valid")
    }
}

/// Every parameter with its unit, range, default and source, in file order.
pub fn param_specs() -> Vec<ParamSpec> {
    let mut v = Validator {
        listing: true,
        ..Default::default()
    };
    build(&RawScenario::default(), &mut v);
    v.specs
}

/// The parameters of a given scenario: the default town's list, except where the file chose a
/// variant with fields of its own (Uniform participation thresholds list `low` and `high`
/// instead of `mean` and `sd`). Errors in the file are ignored here.
pub fn param_specs_of(raw: &RawScenario) -> Vec<ParamSpec> {
    let mut v = Validator {
        listing: true,
        ..Default::default()
    };
    build(raw, &mut v);
    v.specs
}

fn build(raw: &RawScenario, v: &mut Validator) -> Scenario {
    let town = town::town(&raw.town, v);
    let needs = town::needs(&raw.needs, v);
    let incidents = town::incidents(&raw.incidents, v);
    let behaviour = behaviour::behaviour(&raw.behaviour, v, town.n_residents());
    let firms = firms::firms(&raw.enterprises, v);
    let policy = policy(&raw.policy, v);
    let timeline = timeline(raw, v);
    let days = v.int(
        "days",
        raw.days,
        1095,
        1..=36_500,
        d("days", "length of a run (default 3 years)", ASSUMED),
    );
    let seed = v.int(
        "seed",
        raw.seed,
        1,
        0..=u64::MAX,
        d(
            "-",
            "master seed used when the command line gives none",
            ASSUMED,
        ),
    );
    let name = v.text(
        "name",
        raw.name.as_deref(),
        "unnamed",
        MAX_NAME_CHARS,
        d("-", "scenario name, copied into every output", "-"),
    );
    let description = v.text(
        "description",
        raw.description.as_deref(),
        "",
        MAX_DESCRIPTION_CHARS,
        d("-", "what the scenario shows", "-"),
    );
    Scenario {
        name,
        description,
        days,
        seed,
        town,
        needs,
        incidents,
        behaviour,
        firms,
        policy,
        timeline,
    }
}

fn policy(raw: &RawPolicy, v: &mut Validator) -> Policy {
    Policy {
        committee: policy::committee(&raw.committee, v),
        platform: policy::platform(&raw.platform, v),
        portal: policy::portal(&raw.portal, v),
        grid: policy::grid(&raw.grid, v),
        evaluation: services::evaluation(&raw.evaluation, v),
        authority: services::authority(&raw.authority, v),
        one_trip: services::one_trip(&raw.one_trip, v),
        stewards: services::stewards(&raw.stewards, v),
        financing: services::financing(&raw.financing, v),
        operator: services::operator(&raw.operator, v),
        self_governance: society::self_governance(&raw.self_governance, v),
        social_orgs: society::social_orgs(&raw.social_orgs, v),
        mediation: society::mediation(&raw.mediation, v),
        clusters: society::clusters(&raw.clusters, v),
        budget: services::budget(&raw.budget, v),
        psych_services: services::psych_services(&raw.psych_services, v),
    }
}

/// Each timeline entry patches the policy in force before it; the patched policy is validated
/// like the base one, and its errors are reported under `timeline[i].`.
fn timeline(raw: &RawScenario, v: &mut Validator) -> Vec<Reform> {
    v.spec_list("timeline", "[]", MAX_TIMELINE_ENTRIES, d("-", "dated policy changes: [(day: 365, policy: (stewards: (team: (intermediary: 4))))]; each applies at the start of its day (1 = the first day) and keeps the fields it does not name", "MODEL.md section 5"));
    if raw.timeline.len() > MAX_TIMELINE_ENTRIES {
        v.error(
            "timeline",
            format!(
                "must have at most {MAX_TIMELINE_ENTRIES} entries, got {}",
                raw.timeline.len()
            ),
        );
        return Vec::new();
    }
    let mut entries: Vec<(usize, &RawReform)> = raw.timeline.iter().enumerate().collect();
    entries.sort_by_key(|(i, r)| (r.day.unwrap_or(0), *i));
    let mut current = raw.policy.clone();
    let mut out = Vec::new();
    for (i, reform) in entries {
        let Some(day) = reform.day else {
            v.error(format!("timeline[{i}].day"), "each reform needs a day");
            continue;
        };
        if day == 0 || day > 36_500 {
            v.error(
                format!("timeline[{i}].day"),
                format!("must be between 1 and 36500, got {day}"),
            );
            continue;
        }
        // The merge goes through serde_json, which has no NaN or infinity: catch those first.
        let mut alone = Validator::default();
        policy(&reform.policy, &mut alone);
        for e in alone
            .errors
            .into_iter()
            .filter(|e| e.message.starts_with("must be a finite"))
        {
            v.error(format!("timeline[{i}].{}", e.path), e.message);
        }
        current = patch(&current, &reform.policy);
        let mut inner = Validator::default();
        let policy = policy(&current, &mut inner);
        for e in inner.errors {
            v.error(format!("timeline[{i}].{}", e.path), e.message);
        }
        out.push(Reform { day, policy });
    }
    out
}

/// `base` with every field `change` sets replaced (a deep merge of two all-optional trees).
fn patch(base: &RawPolicy, change: &RawPolicy) -> RawPolicy {
    let mut merged = base.clone();
    merged.merge(change);
    merged
}
