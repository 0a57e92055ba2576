//! Evaluation orientation (考核导向): the weight on hard indicators (investment, tax). The higher
//! it is, the more of the departments' effort goes to investment promotion (招商, up to 90% of a
//! street office's effort in seed 003), the more enterprise cases jump residents' needs in the
//! departments' queues, and the more the stewards visit the big firms. Promotion brings firms.

use bevy_ecs::prelude::*;

use super::clock::Params;
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
    pub fn from_params(params: &Params) -> Orientation {
        let e = &params.0.policy.evaluation;
        Orientation {
            diversion: e.hard_weight * e.max_effort_diversion,
            enterprise_priority: e.hard_weight,
            steward_big_firm_bias: e.hard_weight,
        }
    }
}

fn refresh(params: Res<Params>, mut orientation: ResMut<Orientation>) {
    let now = Orientation::from_params(&params);
    if *orientation != now {
        *orientation = now;
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    let now = Orientation::from_params(world.resource::<Params>());
    world.insert_resource(now);
    plan.add(Phase::Reforms, refresh);
}
