//! Social organisations (社会组织): volunteer groups, associations, mediation bodies, charities.
//! Their capacity (cases a day) moves each month toward what their money and their volunteers
//! sustain: cultivation money (培育) times the efficiency of the way it is given, plus the
//! residents' volunteering. A share of the capacity mediates disputes, the rest co-produces
//! services at the neighbourhood centres. With bottom-up project funding (项目制, seed 003)
//! communities and organisations propose projects against residents' needs, so each month the
//! service supply also moves toward what residents need; block grants (打包) do not do that and
//! lose more money on the way.

use bevy_ecs::prelude::*;

use super::clock::{Clock, Params};
use super::service_match::ServiceMatch;
use super::volunteering::Volunteers;
use super::{DayPlan, Phase};
use crate::scenario::Funding;

/// The organisations' capacity, in cases a day.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SocialOrgs {
    pub capacity: f64,
    pub service_capacity: f64,
    pub mediation_capacity: f64,
}

fn grow(
    clock: Res<Clock>,
    params: Res<Params>,
    volunteers: Res<Volunteers>,
    austerity: Res<super::budget::Austerity>,
    mut orgs: ResMut<SocialOrgs>,
    mut matching: ResMut<ServiceMatch>,
) {
    if !(clock.day + 1).is_multiple_of(30) {
        return;
    }
    let so = &params.0.policy.social_orgs;
    let efficiency = match so.funding {
        Funding::Block => so.block_efficiency,
        Funding::Project => so.project_efficiency,
    };
    let target = so.cultivation_yuan_per_year * austerity.purchased * efficiency
        / so.yuan_per_capacity_year
        + volunteers.sum * so.capacity_per_volunteer;
    orgs.capacity += so.growth_per_month * (target - orgs.capacity);
    orgs.service_capacity = orgs.capacity * (1.0 - so.mediation_share);
    orgs.mediation_capacity = orgs.capacity * so.mediation_share;
    if so.funding == Funding::Project && so.cultivation_yuan_per_year > 0.0 {
        for c in 0..matching.need.len() {
            matching.shift(c, so.project_match_rate, true);
        }
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    let so = &world.resource::<Params>().0.policy.social_orgs;
    let capacity = so.initial_capacity;
    let orgs = SocialOrgs {
        capacity,
        service_capacity: capacity * (1.0 - so.mediation_share),
        mediation_capacity: capacity * so.mediation_share,
    };
    world.insert_resource(orgs);
    plan.add(Phase::Respond, grow);
}
