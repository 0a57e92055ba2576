//! Stage two: raw scenario -> validated [`Scenario`]. Each parameter is one call that names its
//! path, default, range, unit, meaning and source; one file per part of the scenario.

mod behaviour;
mod policy;
mod town;

use super::model::*;
use super::raw::*;
use super::validate::{Doc, FieldError, ParamSpec, Validator};

pub(super) const ASSUMED: &str = "assumption";
/// Residents beyond this would not fit the memory of the machines towngov targets.
pub const MAX_RESIDENTS: u64 = 20_000_000;
pub const MAX_GRIDS: u32 = 1_000_000;

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
    let mut v = Validator::default();
    build(&RawScenario::default(), &mut v);
    v.specs
}

fn build(raw: &RawScenario, v: &mut Validator) -> Scenario {
    let town = town::town(&raw.town, v);
    let needs = town::needs(&raw.needs, v);
    let incidents = town::incidents(&raw.incidents, v);
    let behaviour = behaviour::behaviour(&raw.behaviour, v, town.n_residents());
    let policy = Policy {
        committee: policy::committee(&raw.policy.committee, v),
        platform: policy::platform(&raw.policy.platform, v),
        portal: policy::portal(&raw.policy.portal, v),
        grid: policy::grid(&raw.policy.grid, v),
    };
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
    v.spec_text(
        "name",
        "unnamed",
        d("-", "scenario name, copied into every output", "-"),
    );
    v.spec_text("description", "", d("-", "what the scenario shows", "-"));
    Scenario {
        name: raw.name.clone().unwrap_or_else(|| "unnamed".into()),
        description: raw.description.clone().unwrap_or_default(),
        days,
        seed,
        town,
        needs,
        incidents,
        behaviour,
        policy,
    }
}
