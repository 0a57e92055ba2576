//! Residents' needs and disputes. Each resident raises them as a Poisson process whose rate
//! depends on their kind; instead of a coin per resident per day, the time of each resident's
//! next event is drawn and filed in a calendar, so a quiet day costs a resident nothing.

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::Exp1;

use super::cases::{Case, CaseBook, CaseKind, Channel, FoundBy};
use super::channels::NewNeeds;
use super::clock::{Clock, Params};
use super::deadlines::Deadlines;
use super::grid::GridInbox;
use super::matters;
use super::residents::{Population, Resident};
use super::rng::{self, Rng};
use super::service_match::ServiceMatch;
use super::{DayPlan, Phase};

crate::declare_stream!(NeedsStream, "needs");

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
    residents: Query<&Resident>,
    mut rng: ResMut<Rng<NeedsStream>>,
) {
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
        let Ok(resident) = residents.get(who) else {
            continue;
        };
        let k = resident.kind.index();
        let (need, dispute) = rates[k];
        let kind = if r.random_bool(need / (need + dispute)) {
            CaseKind::Need
        } else {
            CaseKind::Dispute
        };
        let id = book.created(kind);
        let mut case = Case::new(id, kind, at, resident.community, resident.grid);
        case.resident = Some(who);
        case.resident_kind = Some(resident.kind);
        case.found_by = FoundBy::Resident;
        case.discovered_at = at;
        (case.tasks, case.n_tasks) =
            matters::draw(kind, needs.multi_task_share, needs.max_tasks, r);
        let e = if kind == CaseKind::Need {
            case.online_eligible = r.random_bool(needs.online_eligible_share);
            case.category = matching.draw(resident.community as usize, r);
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
        if let Some(next) = next_event(r, at, need + dispute) {
            // A second event the same day is handled today.
            if next < end {
                due.push((next, who))
            } else {
                later.push((next, who))
            }
        }
    }
    for (at, who) in later {
        calendar.file(at, who);
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<NeedsStream>(world);
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
