//! Residents' needs and disputes. Each resident raises them as a Poisson process whose rate
//! depends on their kind; instead of a coin per resident per day, the time of each resident's
//! next event is drawn and filed in a calendar, so a quiet day costs a resident nothing.
//!
//! Demand is behaviour too (MODEL.md 9.6): a need is brought to the government with a
//! probability that rises with the resident's trust and their last experience (a logit around
//! `behaviour.demand.bring_share` at the reference trust); a need not brought is solved
//! privately or left unmet, and an unmet one costs satisfaction and is counted. The decision
//! draws from its own stream after the need's attributes are drawn, so the needs stream stays
//! aligned between options whose residents decide differently.

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::Exp1;

use super::cases::{Case, CaseBook, CaseKind, Channel, FoundBy};
use super::channels::NewNeeds;
use super::clock::{Clock, Params};
use super::deadlines::Deadlines;
use super::grid::GridInbox;
use super::matters;
use super::residents::{Attitudes, Experience, Population, Resident, ResidentSums};
use super::rng::{self, Rng};
use super::service_match::ServiceMatch;
use super::{DayPlan, Phase};

crate::declare_stream!(NeedsStream, "needs");
crate::declare_stream!(DemandStream, "demand");

/// Days the calendar ring spans; events further ahead wait in their bucket until their turn.
const RING_DAYS: usize = 512;

/// Each resident's next need or dispute, filed by day: (time, resident).
#[derive(Resource, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct NeedCalendar {
    ring: Vec<Vec<(f64, Entity)>>,
}

impl NeedCalendar {
    /// Files `resident`'s next event at time `at`.
    pub fn file(&mut self, at: f64, resident: Entity) {
        let day = at.floor() as usize;
        self.ring[day % RING_DAYS].push((at, resident));
    }
}

/// Events per day of one resident of each kind: (needs, disputes).
fn rates(params: &Params) -> [(f64, f64); 4] {
    let n = &params.0.needs;
    std::array::from_fn(|k| {
        (
            n.need_rate_per_year[k] / 365.0,
            n.dispute_rate_per_year[k] / 365.0,
        )
    })
}

/// The first event of a resident of `kind` who arrives at time `from`, if they ever have one.
pub fn first_event(
    params: &Params,
    kind: crate::scenario::ResidentKind,
    from: f64,
    r: &mut rng::Stream,
) -> Option<f64> {
    let (need, dispute) = rates(params)[kind.index()];
    next_event(r, from, need + dispute)
}

fn next_event(r: &mut rng::Stream, from: f64, rate_per_day: f64) -> Option<f64> {
    (rate_per_day > 0.0).then(|| from + r.sample::<f64, _>(Exp1) / rate_per_day)
}

#[allow(clippy::too_many_arguments)]
fn arise(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    mut calendar: ResMut<NeedCalendar>,
    mut book: ResMut<CaseBook>,
    matching: Res<ServiceMatch>,
    mut new_needs: ResMut<NewNeeds>,
    mut inbox: ResMut<GridInbox>,
    mut deadlines: ResMut<Deadlines>,
    mut residents: Query<(&Resident, &mut Attitudes, &Experience)>,
    mut rng: ResMut<Rng<NeedsStream>>,
    mut demand_rng: ResMut<Rng<DemandStream>>,
    mut sums: ResMut<ResidentSums>,
) {
    let demand = &params.0.behaviour.demand;
    let rates = rates(&params);
    let needs = &params.0.needs;
    let r = &mut rng.stream;
    let end = clock.end();
    let slot = clock.day as usize % RING_DAYS;
    let mut due = std::mem::take(&mut calendar.ring[slot]);
    let mut later = Vec::new();
    let mut i = 0;
    while i < due.len() {
        let (at, who) = due[i];
        i += 1;
        if at >= end {
            later.push((at, who));
            continue;
        }
        let Ok((resident, mut attitudes, experience)) = residents.get_mut(who) else {
            continue;
        };
        let k = resident.kind.index();
        let (need, dispute) = rates[k];
        let kind = if r.random_bool(need / (need + dispute)) {
            CaseKind::Need
        } else {
            CaseKind::Dispute
        };
        let (tasks, n_tasks) = matters::draw(kind, needs.multi_task_share, needs.max_tasks, r);
        let (online_eligible, category) = if kind == CaseKind::Need {
            let online = r.random_bool(needs.online_eligible_share);
            (online, matching.draw(resident.community as usize, r))
        } else {
            (false, Default::default())
        };
        let next = next_event(r, at, need + dispute);
        // A second event the same day is handled today.
        match next {
            Some(t) if t < end => due.push((t, who)),
            Some(t) => later.push((t, who)),
            None => {}
        }
        if kind == CaseKind::Need {
            let p = bring_prob(demand, attitudes.trust as f64, experience);
            let d = &mut demand_rng.stream;
            if p < 1.0 && !d.random_bool(p.max(0.0)) {
                book.needs_not_brought_total += 1;
                book.today.not_brought += 1;
                if !d.random_bool(demand.private_share) {
                    book.needs_not_brought_unmet_total += 1;
                    book.today.unmet_unbrought += 1;
                    book.unmet_needs_total += 1;
                    let before = *attitudes;
                    let s = attitudes.satisfaction as f64;
                    attitudes.satisfaction = (s - demand.unmet_loss * s).clamp(0.0, 1.0) as f32;
                    sums.change(resident, &before, &attitudes, &params.0.behaviour.reporting);
                }
                continue;
            }
        }
        let id = book.created(kind);
        let mut case = Case::new(id, kind, at, resident.community, resident.grid);
        case.resident = Some(who);
        case.resident_kind = Some(resident.kind);
        case.found_by = FoundBy::Resident;
        case.discovered_at = at;
        (case.tasks, case.n_tasks) = (tasks, n_tasks);
        let e = if kind == CaseKind::Need {
            case.online_eligible = online_eligible;
            case.category = category;
            let e = commands.spawn(case).id();
            new_needs.0.push(e);
            e
        } else {
            case.channel = Channel::Grid;
            let e = commands.spawn(case).id();
            inbox.0.push(e);
            e
        };
        deadlines.for_new_case(&params, e, kind, at, true);
    }
    for (at, who) in later {
        calendar.file(at, who);
    }
}

/// The chance a resident brings a need to the government: a logit around `bring_share` at the
/// reference trust, moved by trust and by the last experience (good +1, bad -1, none 0).
pub fn bring_prob(d: &crate::scenario::Demand, trust: f64, experience: &Experience) -> f64 {
    if d.bring_share >= 1.0 {
        return 1.0;
    }
    if d.bring_share <= 0.0 {
        return 0.0;
    }
    let e = match (experience.last, experience.good) {
        (0, _) => 0.0,
        (_, true) => 1.0,
        (_, false) => -1.0,
    };
    let logit = (d.bring_share / (1.0 - d.bring_share)).ln()
        + d.trust_weight * (trust - d.reference_trust)
        + d.experience_weight * e;
    1.0 / (1.0 + (-logit).exp())
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<NeedsStream>(world);
    rng::insert::<DemandStream>(world);
    let rates = rates(world.resource::<Params>());
    let mut calendar = NeedCalendar {
        ring: vec![Vec::new(); RING_DAYS],
    };
    let residents = world.resource::<Population>().residents.clone();
    let mut rng = world
        .remove_resource::<Rng<NeedsStream>>()
        .expect("inserted above");
    for e in residents {
        let kind = world.get::<Resident>(e).expect("resident").kind;
        let (need, dispute) = rates[kind.index()];
        if let Some(at) = next_event(&mut rng.stream, 0.0, need + dispute) {
            calendar.file(at, e);
        }
    }
    world.insert_resource(rng);
    world.insert_resource(calendar);
    plan.add(Phase::Arise, arise);
}

impl super::state::MapIds for NeedCalendar {
    fn map_ids(&mut self, map: &super::state::IdMap) {
        map.all(self.ring.iter_mut().flatten().map(|(_, e)| e));
    }
}
