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
//! Volunteers run projects too (四微/小微行动, 微心愿, seed 002; 三张清单 of needs, resources and
//! projects, 四社联动, seed 001§8/9; 联合生产, seed 003): each month, in every community, the
//! residents' volunteering organised by the social organisations moves the service supply
//! toward the community's true need mix by `volunteer_project_rate` times the community's mean
//! contribution times the share of its volunteers someone organises, whatever the funding:
//! volunteers left to themselves do not reach the community's needs (seed 001§1, teams built for
//! a campaign 「需要从组织和制度上进一步完善」). The organised share is the larger of what the
//! paid organisation staff reach (the money-funded capacity in the community over
//! `organising_capacity_per_community`, at most 1) and the self-governance committee's strength. Most volunteer hours go to activities, patrols and
//! company (see the derivation in docs/ODD.md 7.16); these projects are residents' own, so they
//! are not decided top-down and meet no rejection. A shift toward the true mix only ever closes
//! part of the gap, so more volunteering never worsens the match.
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
use super::residents::{Attitudes, Contribution, Resident, ResidentSums};
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
    contributions: Query<(&Resident, &Contribution)>,
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
    let n_c = matching.need.len();
    let reach = (funded / n_c.max(1) as f64 / so.organising_capacity_per_community).min(1.0);
    let organised: Vec<f64> = (0..n_c)
        .map(|c| reach.max(governments.strength(c)))
        .collect();
    volunteer_projects(
        so.volunteer_project_rate,
        &organised,
        &contributions,
        &mut matching,
    );
    if so.funding != Funding::Project || so.cultivation_yuan_per_year <= 0.0 {
        return;
    }
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

/// Volunteers' community projects: each community's supply moves toward its true need mix by
/// `rate` times its residents' mean contribution (0 to 1) times the share `organised[c]` of them
/// someone organises, so a community where nobody volunteers gets none and one where everyone
/// contributes fully and is organised gets `rate` a month.
fn volunteer_projects(
    rate: f64,
    organised: &[f64],
    contributions: &Query<(&Resident, &Contribution)>,
    matching: &mut ServiceMatch,
) {
    if rate <= 0.0 {
        return;
    }
    let n_c = matching.need.len();
    let mut sum = vec![(0.0f64, 0u64); n_c];
    for (res, c) in contributions.iter() {
        if let Some(s) = sum.get_mut(res.community as usize) {
            s.0 += c.level as f64;
            s.1 += 1;
        }
    }
    for (c, (total, n)) in sum.into_iter().enumerate() {
        if n > 0 {
            matching.shift(c, rate * organised[c] * total / n as f64, true);
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
