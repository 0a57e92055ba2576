//! Self-governance committees (小镇自治委员会, seed 000), one per community. Every
//! `election_interval_days` residents elect its members (turnout follows the same threshold
//! rule as participation, with the cost of voting); seats go by quota to enterprise
//! representatives (from deeply participating firms), employee representatives, natives and
//! migrant workers, and a group with too few candidates leaves its seats empty. The committee's
//! strength is its representativeness times its mandate (turnout against a reference). Members
//! mediate disputes (see `mediation.rs`), visit vulnerable natives, relay needs at joint meetings
//! (see `joint_meetings.rs`) and, with sanctions on, supervise volunteering.

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::clock::{Clock, Params};
use super::enterprises::Firm;
use super::participation::{cascade, required_count};
use super::residents::{Attitudes, Participation, Population, Resident, Vulnerable};
use super::rng::{self, Rng};
use super::service_match::ServiceMatch;
use super::{DayPlan, Phase};
use crate::scenario::ResidentKind;

crate::declare_stream!(SelfGovernanceStream, "self_governance");

/// One community's committee.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Council {
    /// Members by group: enterprise, employee, native, migrant worker.
    pub members: [u32; 4],
    pub representativeness: f64,
    pub turnout: f64,
    pub strength: f64,
    visit_credit: f64,
}

impl Council {
    pub fn size(&self) -> u32 {
        self.members.iter().sum()
    }
}

/// Every community's committee, and the run's counters.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SelfGovernments {
    pub councils: Vec<Council>,
    pub elected: bool,
    pub elections: u32,
    pub last_election_day: u32,
    pub vulnerable_visits_today: u64,
}

impl SelfGovernments {
    /// Strength of community `c`'s committee (0 when there is none).
    pub fn strength(&self, c: usize) -> f64 {
        if self.elected {
            self.councils[c].strength
        } else {
            0.0
        }
    }

    pub fn members(&self, c: usize) -> u32 {
        if self.elected {
            self.councils[c].size()
        } else {
            0
        }
    }

    pub fn mean_strength(&self) -> f64 {
        if !self.elected || self.councils.is_empty() {
            return 0.0;
        }
        self.councils.iter().map(|c| c.strength).sum::<f64>() / self.councils.len() as f64
    }

    pub fn mean_turnout(&self) -> f64 {
        if !self.elected || self.councils.is_empty() {
            return 0.0;
        }
        self.councils.iter().map(|c| c.turnout).sum::<f64>() / self.councils.len() as f64
    }
}

/// Seats per group by quota, largest remainders first.
pub fn seat_targets(seats: u32, quota: [f64; 4]) -> [u32; 4] {
    let total: f64 = quota.iter().sum();
    let exact: [f64; 4] = std::array::from_fn(|g| seats as f64 * quota[g] / total);
    let mut out: [u32; 4] = std::array::from_fn(|g| exact[g].floor() as u32);
    let mut order: Vec<usize> = (0..4).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    let mut left = seats - out.iter().sum::<u32>();
    for g in order {
        if left == 0 {
            break;
        }
        out[g] += 1;
        left -= 1;
    }
    out
}

fn group_of(kind: ResidentKind) -> usize {
    match kind {
        ResidentKind::Employee | ResidentKind::Talent => 1,
        ResidentKind::Native => 2,
        ResidentKind::MigrantWorker => 3,
    }
}

fn elect(
    clock: Res<Clock>,
    params: Res<Params>,
    matching: Res<ServiceMatch>,
    mut governments: ResMut<SelfGovernments>,
    residents: Query<(&Resident, &Attitudes, &Participation)>,
    firms: Query<&Firm>,
) {
    let sg = &params.0.policy.self_governance;
    if !sg.enabled {
        governments.elected = false;
        return;
    }
    let due = !governments.elected
        || clock.day >= governments.last_election_day + sg.election_interval_days;
    if !due {
        return;
    }
    let n_c = governments.councils.len();
    let mut vote = params.0.behaviour.participation.clone();
    vote.cost = vote.vote_cost;
    let mut size = vec![0u64; n_c];
    for (res, _, _) in residents.iter() {
        size[res.community as usize] += 1;
    }
    let mut required: Vec<Vec<(u64, usize)>> = vec![Vec::new(); n_c];
    for (res, att, part) in residents.iter() {
        let c = res.community as usize;
        let req = required_count(
            &vote,
            part.threshold,
            att.efficacy as f64,
            matching.of(c),
            size[c],
        );
        required[c].push((req, group_of(res.kind)));
    }
    let mut deep = vec![0u32; n_c];
    for f in firms.iter() {
        if f.deep {
            deep[f.community as usize] += 1;
        }
    }
    let q = &sg.quota;
    let quota = [q.enterprise, q.employee, q.native, q.migrant_worker];
    let targets = seat_targets(sg.seats, quota);
    let quota_total: f64 = quota.iter().sum();
    for (c, group) in required.iter_mut().enumerate() {
        group.sort_unstable();
        let reqs: Vec<u64> = group.iter().map(|(r, _)| *r).collect();
        let voters = cascade(&reqs);
        let mut candidates = [deep[c], 0, 0, 0];
        for &(_, g) in &group[..voters] {
            candidates[g] += 1;
        }
        let council = &mut governments.councils[c];
        council.members = std::array::from_fn(|g| targets[g].min(candidates[g]));
        let filled = council.size() as f64;
        council.turnout = if size[c] > 0 {
            voters as f64 / size[c] as f64
        } else {
            0.0
        };
        council.representativeness = if filled > 0.0 {
            let gap: f64 = (0..4)
                .map(|g| (council.members[g] as f64 / filled - quota[g] / quota_total).abs())
                .sum();
            filled / sg.seats as f64 * (1.0 - 0.5 * gap)
        } else {
            0.0
        };
        council.strength =
            council.representativeness * (council.turnout / sg.reference_turnout).min(1.0);
    }
    governments.elected = true;
    governments.elections += 1;
    governments.last_election_day = clock.day;
}

/// Members visit vulnerable natives of their community.
fn visit_vulnerable(
    clock: Res<Clock>,
    params: Res<Params>,
    population: Res<Population>,
    mut governments: ResMut<SelfGovernments>,
    mut vulnerable: Query<&mut Vulnerable>,
    mut rng: ResMut<Rng<SelfGovernanceStream>>,
) {
    governments.vulnerable_visits_today = 0;
    if !governments.elected {
        return;
    }
    let per_member = params
        .0
        .policy
        .self_governance
        .vulnerable_visits_per_member_day;
    let r = &mut rng.stream;
    let governments = &mut *governments;
    for (c, council) in governments.councils.iter_mut().enumerate() {
        council.visit_credit += council.size() as f64 * per_member;
        let list = &population.vulnerable[c];
        while council.visit_credit >= 1.0 {
            council.visit_credit -= 1.0;
            if list.is_empty() {
                council.visit_credit = 0.0;
                break;
            }
            let who = list[r.random_range(0..list.len())];
            if let Ok(mut v) = vulnerable.get_mut(who) {
                v.last_visit_day = clock.day as i64;
                governments.vulnerable_visits_today += 1;
            }
        }
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<SelfGovernanceStream>(world);
    let n = world.resource::<Params>().0.town.communities as usize;
    world.insert_resource(SelfGovernments {
        councils: vec![Council::default(); n],
        ..Default::default()
    });
    plan.add(Phase::Meet, elect);
    plan.add(Phase::Meet, visit_vulnerable);
}
