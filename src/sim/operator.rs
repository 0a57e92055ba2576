//! The operating service provider (运营服务商, seed 000): a company the committee buys services
//! from to run the neighbourhood centres (one per community, or per cluster). A centre settles
//! single-matter living needs in the categories it supplies, and forwards the rest to the
//! departments with no further trip for the resident (one-stop). Its capacity is the staff the
//! contract (plus deep firms' co-funding) pays for, times its effort, plus what social
//! organisations co-produce; effort rises with performance-based pay and with supervision by the
//! self-governance committees at joint meetings.
//!
//! Effort acts twice. It sets the capacity (matters settled a day), which binds at the shipped
//! towns' load: a staff member settles about half a matter a day beside running the centre
//! (`cases_per_staff_day`), so a queue forms when effort is low and matters wait for days. And
//! it sets the quality: a matter settled at effort e was not really settled with chance
//! `rework_share * (1 - e)`; the resident comes back (one more trip) and the centre forwards it
//! to the departments, so it closes later, often past the on-time deadline.

use std::collections::VecDeque;

use bevy_ecs::prelude::*;

use super::cases::{Case, CaseBook, Ending, Reason};
use super::clock::{Clock, Params};
use super::clusters::ClusterMap;
use super::dispatch::DispatchQueue;
use super::enterprises::Economy;
use super::rng;
use super::service_match::ServiceMatch;
use super::social_orgs::SocialOrgs;
use super::{DayPlan, Phase};

// Keyed draws per decision (`rng::uniform`), keyed by the case and the day: when a centre
// takes the matter up, whether it settles it and whether the settled matter must be redone.
crate::declare_stream!(TakenAtDraw, "operator.taken_at");
crate::declare_stream!(SettleDraw, "operator.settle");
crate::declare_stream!(ReworkDraw, "operator.rework");

/// The centres' queues (one per cluster) and the operator's state.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Centres {
    pub queues: Vec<VecDeque<Entity>>,
    credit: Vec<f64>,
    version: u32,
    /// Mean strength of the self-governance committees that supervised at the last joint
    /// meeting (set by `joint_meetings.rs`).
    pub supervision: f64,
    pub effort: f64,
    pub staff: f64,
    pub settled_today: u64,
    pub settled_total: u64,
    /// Matters settled badly: the resident came back and the centre forwarded them.
    pub reworked_total: u64,
}

impl Centres {
    /// Queues a need at the centre of its community's cluster.
    pub fn take(&mut self, clusters: &ClusterMap, community: u32, case: Entity) {
        let c = clusters.cluster_of[community as usize] as usize;
        self.queues[c].push_back(case);
    }
}

#[allow(clippy::too_many_arguments)]
fn serve(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    clusters: Res<ClusterMap>,
    matching: Res<ServiceMatch>,
    economy: Res<Economy>,
    orgs: Res<SocialOrgs>,
    austerity: Res<super::budget::Austerity>,
    mut centres: ResMut<Centres>,
    mut book: ResMut<CaseBook>,
    mut dispatch: ResMut<DispatchQueue>,
    mut cases: Query<&mut Case>,
) {
    let s = &params.0;
    let op = &s.policy.operator;
    let centres = &mut *centres;
    centres.settled_today = 0;
    if centres.version != clusters.version || centres.queues.len() != clusters.n_clusters as usize {
        regroup(centres, &clusters, &cases);
    }
    if !op.enabled {
        for q in &mut centres.queues {
            dispatch.0.extend(q.drain(..));
        }
        centres.staff = 0.0;
        return;
    }
    let n = clusters.n_clusters as f64;
    let money =
        op.contract_yuan_per_year + economy.deep_firms as f64 * s.firms.cofund_yuan_per_year;
    // A hard budget in deficit buys proportionally fewer staff hours (budget.rs).
    centres.staff = (op.staff_per_community as f64 * s.town.communities as f64)
        .min((money / op.staff_cost_yuan_per_year).floor())
        * austerity.purchased;
    let mut effort = op.base_effort + op.supervision_effort_gain * centres.supervision;
    if op.performance_pay {
        effort += op.performance_effort_gain;
    }
    centres.effort = effort.min(1.0);
    let per_centre =
        centres.staff / n * op.cases_per_staff_day * centres.effort + orgs.service_capacity / n;
    let seed = clock.master_seed;
    let today = u64::from(clock.day) << 40;
    for c in 0..centres.queues.len() {
        centres.credit[c] += per_centre;
        while centres.credit[c] >= 1.0 {
            let Some(e) = centres.queues[c].pop_front() else {
                centres.credit[c] = centres.credit[c].min(1.0);
                break;
            };
            let Ok(mut case) = cases.get_mut(e) else {
                continue;
            };
            if case.finished {
                continue;
            }
            centres.credit[c] -= 1.0;
            let supplied = matching.supply_ratio(case.community as usize, case.category as usize);
            let (key, step) = (case.draw_key(), case.draw_step() ^ today);
            let at =
                (clock.start() + rng::uniform::<TakenAtDraw>(seed, key, step)).max(case.created_at);
            let settle = case.n_tasks == 1
                && rng::chance::<SettleDraw>(seed, key, step, op.living_share * supplied);
            // The quality draw is made for every settled matter, whatever the effort, so that
            // options compared with common random numbers see the same draws.
            let redo = settle
                && rng::uniform::<ReworkDraw>(seed, key, step)
                    < op.rework_share * (1.0 - centres.effort);
            if redo {
                centres.reworked_total += 1;
                case.trips = case.trips.saturating_add(1);
                case.discovered_at = at;
                dispatch.0.push(e);
            } else if settle {
                if book.finish(
                    &mut commands,
                    e,
                    &mut case,
                    Ending::Resolved,
                    Reason::Operator,
                    at,
                    s.needs.on_time_days,
                ) {
                    centres.settled_today += 1;
                    centres.settled_total += 1;
                }
            } else {
                case.discovered_at = at;
                dispatch.0.push(e);
            }
        }
    }
}

/// Re-sorts the queued cases after the clusters changed.
fn regroup(centres: &mut Centres, clusters: &ClusterMap, cases: &Query<&mut Case>) {
    let old: Vec<Entity> = centres
        .queues
        .iter_mut()
        .flat_map(|q| q.drain(..))
        .collect();
    centres.queues = vec![VecDeque::new(); clusters.n_clusters as usize];
    centres.credit = vec![0.0; clusters.n_clusters as usize];
    centres.version = clusters.version;
    for e in old {
        if let Ok(case) = cases.get(e) {
            centres.take(clusters, case.community, e);
        }
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    let n = world.resource::<ClusterMap>().n_clusters as usize;
    let version = world.resource::<ClusterMap>().version;
    world.insert_resource(Centres {
        queues: vec![VecDeque::new(); n],
        credit: vec![0.0; n],
        version,
        ..Default::default()
    });
    plan.add(Phase::Handle, serve);
}
