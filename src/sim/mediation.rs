//! The mediation network (人民调解, seed 001§1): disputes a grid worker cannot settle on the spot
//! go to mediation in their community's cluster. Capacity is the mediators in post (who leave
//! faster when their pay is low and are replaced only where there is money for the post), the
//! self-governance committee's members, and the mediation share of social organisations. A
//! mediation settles the dispute with a chance that judicial confirmation (司法确认) raises; a
//! failed one goes to court (slow, and counted as a dispute escalated to court) or to the
//! departments. A dispute whose cluster has no mediation capacity at all goes to court or
//! becomes a petition at once (and goes to the departments). Mediation keeps disputes from
//! turning into petitions and out of court (see `deadlines.rs`).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::cases::{Case, CaseBook, Channel, Ending, Reason};
use super::clock::{Clock, Params};
use super::clusters::ClusterMap;
use super::deadlines::{DeadlineKind, Deadlines};
use super::dispatch::DispatchQueue;
use super::rng::{self, Rng};
use super::self_governance::SelfGovernments;
use super::social_orgs::SocialOrgs;
use super::{DayPlan, Phase};

crate::declare_stream!(MediationStream, "mediation");
// Keyed draws per decision (`rng::uniform`), keyed by the case and the day, so that how many
// disputes reach mediation does not shift the monthly staff draws of the `mediation` stream.
crate::declare_stream!(MediatedAtDraw, "mediation.at");
crate::declare_stream!(SuccessDraw, "mediation.success");
crate::declare_stream!(CourtDraw, "mediation.court");
crate::declare_stream!(CourtDaysDraw, "mediation.court_days");

/// Mediators, their queues and the courts.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct MediationNet {
    /// Disputes handed over today by the grid workers.
    pub intake: Vec<Entity>,
    /// Mediators in post, per community.
    pub active: Vec<u32>,
    queues: Vec<VecDeque<Entity>>,
    credit: Vec<f64>,
    version: u32,
    /// Disputes in court: (finishing time bits, case id, case); the id breaks ties.
    court: BinaryHeap<Reverse<(u64, u64, Entity)>>,
    pub mediated_total: u64,
    pub to_court_today: u64,
    pub to_court_total: u64,
    pub left_total: u64,
}

impl MediationNet {
    pub fn mediators(&self) -> u64 {
        self.active.iter().map(|&a| a as u64).sum()
    }
}

#[allow(clippy::too_many_arguments)]
fn mediate(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    clusters: Res<ClusterMap>,
    governments: Res<SelfGovernments>,
    orgs: Res<SocialOrgs>,
    mut net: ResMut<MediationNet>,
    mut book: ResMut<CaseBook>,
    mut dispatch: ResMut<DispatchQueue>,
    mut deadlines: ResMut<Deadlines>,
    mut cases: Query<&mut Case>,
) {
    let s = &params.0;
    let m = &s.policy.mediation;
    let sg = &s.policy.self_governance;
    let on_time_days = s.needs.on_time_days;
    let net = &mut *net;
    let seed = clock.master_seed;
    let today = u64::from(clock.day) << 40;
    net.to_court_today = 0;
    let n_k = clusters.n_clusters as usize;
    if net.version != clusters.version || net.queues.len() != n_k {
        let old: Vec<Entity> = net.queues.iter_mut().flat_map(|q| q.drain(..)).collect();
        net.queues = vec![VecDeque::new(); n_k];
        net.credit = vec![0.0; n_k];
        net.version = clusters.version;
        net.intake.splice(0..0, old);
    }
    let mut capacity = vec![orgs.mediation_capacity / n_k as f64; n_k];
    for (c, &a) in net.active.iter().enumerate() {
        capacity[clusters.cluster_of[c] as usize] += a as f64 * m.cases_per_mediator_day
            + governments.members(c) as f64 * sg.mediation_per_member_day;
    }
    for e in std::mem::take(&mut net.intake) {
        let Ok(mut case) = cases.get_mut(e) else {
            continue;
        };
        let k = clusters.cluster_of[case.community as usize] as usize;
        if capacity[k] > 0.0 {
            case.channel = Channel::Mediation;
            net.queues[k].push_back(e);
            continue;
        }
        // No one to mediate (C5: pre-litigation mediation keeps disputes out of court): the
        // parties sue, or bring the dispute to the government as a petition (上访, today) that
        // the departments then handle.
        let (key, step) = (case.draw_key(), case.draw_step() ^ today);
        let at =
            (clock.start() + rng::uniform::<MediatedAtDraw>(seed, key, step)).max(case.created_at);
        if rng::chance::<CourtDraw>(seed, key, step, m.court_share) {
            let days = rng::exponential::<CourtDaysDraw>(seed, key, step, m.court_days);
            to_court(net, &mut case, e, at + days);
        } else {
            deadlines.add(at, e, DeadlineKind::DisputeEscalation);
            dispatch.0.push(e);
        }
    }
    let p_success = (m.success_prob
        + if m.legal_backing {
            m.legal_backing_gain
        } else {
            0.0
        })
    .min(1.0);
    for (k, cap) in capacity.iter().enumerate() {
        net.credit[k] += cap;
        while net.credit[k] >= 1.0 {
            let Some(e) = net.queues[k].pop_front() else {
                net.credit[k] = net.credit[k].min(1.0);
                break;
            };
            let Ok(mut case) = cases.get_mut(e) else {
                continue;
            };
            if case.finished {
                continue;
            }
            net.credit[k] -= 1.0;
            let (key, step) = (case.draw_key(), case.draw_step() ^ today);
            let at = (clock.start() + rng::uniform::<MediatedAtDraw>(seed, key, step))
                .max(case.created_at);
            if rng::chance::<SuccessDraw>(seed, key, step, p_success) {
                net.mediated_total += 1;
                book.finish(
                    &mut commands,
                    e,
                    &mut case,
                    Ending::Resolved,
                    Reason::Mediated,
                    at,
                    on_time_days,
                );
            } else if rng::chance::<CourtDraw>(seed, key, step, m.court_share) {
                let days = rng::exponential::<CourtDaysDraw>(seed, key, step, m.court_days);
                to_court(net, &mut case, e, at + days);
            } else {
                case.discovered_at = at;
                dispatch.0.push(e);
            }
        }
    }
    while let Some(Reverse((bits, _, _))) = net.court.peek() {
        let t = f64::from_bits(*bits);
        if t >= clock.end() {
            break;
        }
        let Reverse((_, _, e)) = net.court.pop().expect("peeked");
        if let Ok(mut case) = cases.get_mut(e) {
            book.finish(
                &mut commands,
                e,
                &mut case,
                Ending::Resolved,
                Reason::Court,
                t,
                on_time_days,
            );
        }
    }
}

/// A dispute goes to court at `at`, to be decided after Exp(`court_days`) days.
fn to_court(net: &mut MediationNet, case: &mut Case, e: Entity, done: f64) {
    net.to_court_today += 1;
    net.to_court_total += 1;
    case.channel = Channel::Court;
    net.court.push(Reverse((done.to_bits(), case.id, e)));
}

/// Attrition and refilling of mediator posts, once a month.
fn staff(
    clock: Res<Clock>,
    params: Res<Params>,
    mut net: ResMut<MediationNet>,
    mut rng: ResMut<Rng<MediationStream>>,
) {
    if !(clock.day + 1).is_multiple_of(30) {
        return;
    }
    let m = &params.0.policy.mediation;
    // Low pay drives mediators out and keeps recruits away (seed 001§1, C4).
    let paid = (m.pay_yuan_per_month / m.reference_pay_yuan_per_month).min(1.0);
    let low_pay = 1.0 - paid;
    let p_leave =
        1.0 - (-m.attrition_per_year * (1.0 + m.low_pay_attrition_factor * low_pay) / 12.0).exp();
    let recruit = m.unpaid_recruit_share + (1.0 - m.unpaid_recruit_share) * paid;
    let p_fill = (1.0 - (-m.refill_per_year / 12.0).exp()) * recruit;
    let r = &mut rng.stream;
    let net = &mut *net;
    for a in net.active.iter_mut() {
        let mut stay = 0;
        for _ in 0..*a {
            if r.random_bool(p_leave) {
                net.left_total += 1;
            } else {
                stay += 1;
            }
        }
        let vacant = m.mediators_per_community.saturating_sub(stay);
        for _ in 0..vacant {
            if r.random_bool(m.funded_share * p_fill) {
                stay += 1;
            }
        }
        // Posts cut by a reform are not refilled; people in them stay until they leave.
        *a = stay;
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<MediationStream>(world);
    let s = &world.resource::<Params>().0;
    let n_c = s.town.communities as usize;
    let active = vec![s.policy.mediation.mediators_per_community; n_c];
    let (n_k, version) = {
        let c = world.resource::<ClusterMap>();
        (c.n_clusters as usize, c.version)
    };
    world.insert_resource(MediationNet {
        active,
        queues: vec![VecDeque::new(); n_k],
        credit: vec![0.0; n_k],
        version,
        ..Default::default()
    });
    plan.add(Phase::Handle, mediate);
    plan.add(Phase::Respond, staff);
}

impl super::state::MapIds for MediationNet {
    /// The court heap is rebuilt from its array: keys compare the same (the case id decides
    /// ties), so the layout and the pop order stay as saved.
    fn map_ids(&mut self, map: &super::state::IdMap) {
        map.all(self.intake.iter_mut());
        map.all(self.queues.iter_mut().flatten());
        let mut court = std::mem::take(&mut self.court).into_vec();
        map.all(court.iter_mut().map(|Reverse((_, _, e))| e));
        self.court = BinaryHeap::from(court);
    }
}
