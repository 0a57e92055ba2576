//! Social organisations (社会组织): volunteer groups, associations, mediation bodies, charities.
//! Their capacity (cases a day) moves each month toward what their money and their volunteers
//! sustain: cultivation money (培育) times the efficiency of the way it is given, plus the
//! residents' volunteering. A share of the capacity mediates disputes, the rest co-produces
//! services at the neighbourhood centres. With bottom-up project funding (项目制, seed 003)
//! communities and organisations propose projects against residents' needs, so each month the
//! service supply also moves toward what residents need, by as much as the money buys (each case
//! a day of project-funded capacity in a community closes `project_match_rate` of its gap; seed
//! claim C8: purchase "far from adequate" means few projects); block grants (打包) do not do that
//! and lose more money on the way.
//!
//! Each month's project in a community is a public decision (seed 001§10, claim C22). Where an
//! elected self-governance committee sits and `consultation` is on, it is decided by
//! consultation (协商) and goes ahead. Otherwise it is decided top-down and the community rejects
//! it (群众不买账) with chance `rejection_at_zero_trust * (1 - mean trust)`: the project's money
//! buys no change in the supply, and every resident there loses `rejection_trust_loss` of their
//! trust and satisfaction.

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::clock::{Clock, Params};
use super::residents::{Attitudes, Resident, ResidentSums};
use super::rng::{self, Rng};
use super::self_governance::SelfGovernments;
use super::service_match::ServiceMatch;
use super::volunteering::Volunteers;
use super::{DayPlan, Phase};
use crate::scenario::Funding;

crate::declare_stream!(ProjectsStream, "projects");

/// The organisations' capacity, in cases a day, and the project decisions of the run.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SocialOrgs {
    pub capacity: f64,
    pub service_capacity: f64,
    pub mediation_capacity: f64,
    /// Monthly community projects decided top-down, and those the community rejected.
    pub top_down_total: u64,
    pub rejected_total: u64,
}

#[allow(clippy::too_many_arguments)]
fn grow(
    clock: Res<Clock>,
    params: Res<Params>,
    volunteers: Res<Volunteers>,
    austerity: Res<super::budget::Austerity>,
    governments: Res<SelfGovernments>,
    mut orgs: ResMut<SocialOrgs>,
    mut matching: ResMut<ServiceMatch>,
    mut sums: ResMut<ResidentSums>,
    mut residents: Query<(&Resident, &mut Attitudes)>,
    mut rng: ResMut<Rng<ProjectsStream>>,
) {
    if !(clock.day + 1).is_multiple_of(30) {
        return;
    }
    let so = &params.0.policy.social_orgs;
    let efficiency = match so.funding {
        Funding::Block => so.block_efficiency,
        Funding::Project => so.project_efficiency,
    };
    let funded =
        so.cultivation_yuan_per_year * austerity.purchased * efficiency / so.yuan_per_capacity_year;
    let target = funded + volunteers.sum * so.capacity_per_volunteer;
    orgs.capacity += so.growth_per_month * (target - orgs.capacity);
    orgs.service_capacity = orgs.capacity * (1.0 - so.mediation_share);
    orgs.mediation_capacity = orgs.capacity * so.mediation_share;
    if so.funding != Funding::Project || so.cultivation_yuan_per_year <= 0.0 {
        return;
    }
    let n_c = matching.need.len();
    let rate = (so.project_match_rate * funded / n_c.max(1) as f64).min(1.0);
    let sg = &params.0.policy.self_governance;
    let mut trust = vec![(0.0f64, 0u64); n_c];
    for (res, att) in residents.iter() {
        let t = &mut trust[res.community as usize];
        t.0 += att.trust as f64;
        t.1 += 1;
    }
    let r = &mut rng.stream;
    let mut rejected = vec![false; n_c];
    for c in 0..n_c {
        // One draw per community and month whatever the decision rule (common random numbers).
        let u: f64 = r.random();
        let consulted = sg.enabled && sg.consultation && governments.strength(c) > 0.0;
        if !consulted {
            orgs.top_down_total += 1;
            let mean_trust = if trust[c].1 > 0 {
                trust[c].0 / trust[c].1 as f64
            } else {
                0.0
            };
            rejected[c] = u < sg.rejection_at_zero_trust * (1.0 - mean_trust).clamp(0.0, 1.0);
        }
        if rejected[c] {
            orgs.rejected_total += 1;
        } else {
            matching.shift(c, rate, true);
        }
    }
    if rejected.iter().any(|&x| x) && sg.rejection_trust_loss > 0.0 {
        let loss = sg.rejection_trust_loss as f32;
        let reporting = &params.0.behaviour.reporting;
        for (res, mut att) in residents.iter_mut() {
            if rejected[res.community as usize] {
                let before = *att;
                att.trust -= loss * att.trust;
                att.satisfaction -= loss * att.satisfaction;
                sums.change(res, &before, &att, reporting);
            }
        }
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<ProjectsStream>(world);
    let so = &world.resource::<Params>().0.policy.social_orgs;
    let capacity = so.initial_capacity;
    let orgs = SocialOrgs {
        capacity,
        service_capacity: capacity * (1.0 - so.mediation_share),
        mediation_capacity: capacity * so.mediation_share,
        ..Default::default()
    };
    world.insert_resource(orgs);
    plan.add(Phase::Respond, grow);
}
