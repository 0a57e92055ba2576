//! Evaluation orientation (考核导向): the weight on hard indicators (investment, tax). The higher
//! it is, the more of the departments' effort goes to investment promotion (招商, up to 90% of a
//! street office's effort in seed 003), the more enterprise cases jump residents' needs in the
//! departments' queues, and the more the stewards visit the big firms. Promotion brings firms.
//!
//! Two kinds of watching pull the diverted effort back to residents' matters: residents who take
//! part supervise the committee (the diversion falls by `supervision_weight` times the latest
//! participation rate, seed 000), and late answers to summons name the departments (the
//! diversion is divided by `1 + naming_weight * named`, see `authority.rs`).

use bevy_ecs::prelude::*;

use super::authority::Summons;
use super::clock::Params;
use super::participation::Turnout;
use super::{DayPlan, Phase};

/// Today's effect of the evaluation weights.
#[derive(Resource, Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Orientation {
    /// Share of department effort diverted to investment promotion.
    pub diversion: f64,
    /// Chance an enterprise case is put ahead of residents' needs in a queue.
    pub enterprise_priority: f64,
    /// Chance a steward visit goes to a leading firm rather than any firm.
    pub steward_big_firm_bias: f64,
}

impl Orientation {
    /// The orientation under `params` with a participation rate of `participation` (0-1) and
    /// `named` late answers remembered.
    pub fn from_params(params: &Params, participation: f64, named: f64) -> Orientation {
        let s = &params.0;
        let e = &s.policy.evaluation;
        let watched = (1.0 - s.behaviour.participation.supervision_weight * participation)
            .clamp(0.0, 1.0)
            / (1.0 + s.policy.authority.naming_weight * named.max(0.0));
        Orientation {
            diversion: e.hard_weight * e.max_effort_diversion * watched,
            enterprise_priority: e.hard_weight,
            steward_big_firm_bias: e.hard_weight,
        }
    }
}

fn refresh(
    params: Res<Params>,
    turnout: Res<Turnout>,
    summons: Res<Summons>,
    mut orientation: ResMut<Orientation>,
) {
    let now = Orientation::from_params(&params, turnout.rate(), summons.named);
    if *orientation != now {
        *orientation = now;
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    // Nobody has taken part and nobody has been named before the first day.
    let now = Orientation::from_params(world.resource::<Params>(), 0.0, 0.0);
    world.insert_resource(now);
    plan.add(Phase::Reforms, refresh);
}
