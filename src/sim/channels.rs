//! Channel choice (MODEL.md, residents): a resident takes a need to the online portal (when it
//! covers the matter), a department window, the operator's neighbourhood centre, the grid worker
//! or the self-governance committee, whichever exist, by a multinomial logit over each channel's
//! appeal, the distance to it and how the resident's last matter went through it. The channel
//! sets the trips the matter takes (跑几次) and where it goes next.

use bevy_ecs::prelude::*;

use super::cases::{Case, Channel};
use super::clock::{Clock, Params};
use super::clusters::ClusterMap;
use super::dispatch::DispatchQueue;
use super::operator::Centres;
use super::residents::Experience;
use super::rng;
use super::self_governance::SelfGovernments;
use super::service_match::ServiceMatch;
use super::{DayPlan, Phase};

// Keyed draws per decision (`rng::uniform`), keyed by the case: whether the portal covers the
// matter and which channel the resident picks.
crate::declare_stream!(CoveredDraw, "channels.covered");
crate::declare_stream!(PickDraw, "channels.pick");

/// Needs raised today, waiting for their resident to choose a channel.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct NewNeeds(pub Vec<Entity>);

/// Needs taken to each channel (in [`Channel::RESIDENT`] order), today and over the run.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ChannelUse {
    pub today: [u64; 5],
    pub total: [u64; 5],
}

#[allow(clippy::too_many_arguments)]
fn choose(
    clock: Res<Clock>,
    params: Res<Params>,
    clusters: Res<ClusterMap>,
    governments: Res<SelfGovernments>,
    mut matching: ResMut<ServiceMatch>,
    mut new_needs: ResMut<NewNeeds>,
    mut dispatch: ResMut<DispatchQueue>,
    mut centres: ResMut<Centres>,
    mut usage: ResMut<ChannelUse>,
    mut cases: Query<&mut Case>,
    experience: Query<&Experience>,
) {
    let s = &params.0;
    let ch = &s.behaviour.channels;
    let p = &s.policy;
    let seed = clock.master_seed;
    usage.today = [0; 5];
    for e in new_needs.0.drain(..) {
        let Ok(mut case) = cases.get_mut(e) else {
            continue;
        };
        let c = case.community as usize;
        let exp = case
            .resident
            .and_then(|who| experience.get(who).ok())
            .copied()
            .unwrap_or_default();
        let (key, step) = (case.draw_key(), case.draw_step());
        let covered =
            case.online_eligible && rng::chance::<CoveredDraw>(seed, key, step, p.portal.coverage);
        let strength = governments.strength(c);
        // Appeal of each channel, or None where it does not exist for this matter.
        let appeal: [Option<f64>; 5] = [
            covered.then_some(ch.portal_pref),
            Some(ch.window_pref - ch.distance_per_km * clusters.to_hall_km[c]),
            p.operator
                .enabled
                .then(|| ch.centre_pref - ch.distance_per_km * clusters.to_centre_km[c]),
            (p.grid.workers_per_grid > 0).then_some(ch.grid_pref),
            (p.self_governance.enabled && strength > 0.0)
                .then_some(ch.self_governance_pref - 2.0 * (1.0 - strength)),
        ];
        let mut weight = [0.0f64; 5];
        for (i, a) in appeal.iter().enumerate() {
            if let Some(a) = a {
                let mut u = *a;
                if exp.last as usize == i + 1 {
                    u += if exp.good {
                        ch.experience_weight
                    } else {
                        -ch.experience_weight
                    };
                }
                weight[i] = u.clamp(-50.0, 50.0).exp();
            }
        }
        let total: f64 = weight.iter().sum();
        let mut x = rng::uniform::<PickDraw>(seed, key, step) * total;
        let mut pick = 1;
        for (i, w) in weight.iter().enumerate() {
            if *w > 0.0 && x < *w {
                pick = i;
                break;
            }
            x -= w;
        }
        let channel = Channel::RESIDENT[pick];
        usage.today[pick] += 1;
        usage.total[pick] += 1;
        case.channel = channel;
        match channel {
            Channel::Window | Channel::Centre => case.trips = 1,
            _ => case.trips = 0,
        }
        // The committee hears what comes through the centre and through itself.
        if p.self_governance.enabled && matches!(channel, Channel::Centre | Channel::SelfGovernance)
        {
            matching.observed[c][case.category as usize] += 1;
        }
        match channel {
            Channel::Centre => centres.take(&clusters, case.community, e),
            Channel::SelfGovernance if p.operator.enabled => {
                centres.take(&clusters, case.community, e)
            }
            _ => dispatch.0.push(e),
        }
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    world.insert_resource(NewNeeds::default());
    world.insert_resource(ChannelUse::default());
    plan.add(Phase::Arise, choose);
}
