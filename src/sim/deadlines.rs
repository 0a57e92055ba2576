//! Deadlines on open cases: a resident who has waited `patience_days` gives up (the case is
//! dropped), a dispute still open after `dispute_escalation_days` becomes a petition (上访), and
//! every case still open at `case_deadline_days` ends as expired with its consequence: a need
//! or a demand unmet, a dispute a petition (unless it is before a court), an ecology incident
//! a lump of damage. No case waits forever, so open cases stay bounded in a stable town.
//! Deadlines sit in a calendar by day, so a day costs only the deadlines due on it.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use super::cases::{Case, CaseBook, CaseKind, Channel, Ending, Reason};
use super::clock::{Clock, Params};
use super::departments::Committee;
use super::enterprises::Exceptions;
use super::rng::{self, Rng};
use super::{DayPlan, Phase};
use rand::RngExt;

crate::declare_stream!(DeadlinesStream, "deadlines");

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DeadlineKind {
    Patience,
    DisputeEscalation,
    /// A serious incident still open at this time becomes a serious case.
    Serious,
    /// The case deadline: whatever is still open ends as expired.
    Expiry,
}

/// The "three zeros" (三零) counters: petitions are in the case book; these are the rest.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Safety {
    pub mass_incidents_today: u64,
    pub mass_incidents_total: u64,
    pub serious_cases_today: u64,
    pub serious_cases_total: u64,
    /// Damage of ecology incidents that expired unhandled today (yuan, counted once).
    pub unattended_loss_today_yuan: f64,
}

/// Deadlines by the day they fall on: (time, case, kind).
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Deadlines {
    by_day: BTreeMap<u32, Vec<(f64, Entity, DeadlineKind)>>,
}

impl Deadlines {
    pub fn add(&mut self, at: f64, case: Entity, kind: DeadlineKind) {
        let day = at.max(0.0).floor().min(u32::MAX as f64) as u32;
        self.by_day.entry(day).or_default().push((at, case, kind));
    }

    /// Sets the deadlines a new case gets from the scenario.
    pub fn for_new_case(
        &mut self,
        params: &Params,
        case: Entity,
        kind: CaseKind,
        created_at: f64,
        has_resident: bool,
    ) {
        let needs = &params.0.needs;
        self.add(
            created_at + needs.case_deadline_days,
            case,
            DeadlineKind::Expiry,
        );
        if has_resident && needs.patience_days > 0.0 {
            self.add(
                created_at + needs.patience_days,
                case,
                DeadlineKind::Patience,
            );
        }
        if kind == CaseKind::Dispute && needs.dispute_escalation_days > 0.0 {
            self.add(
                created_at + needs.dispute_escalation_days,
                case,
                DeadlineKind::DisputeEscalation,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn expire(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    mut deadlines: ResMut<Deadlines>,
    mut book: ResMut<CaseBook>,
    mut safety: ResMut<Safety>,
    mut committee: ResMut<Committee>,
    mut exceptions: ResMut<Exceptions>,
    mut cases: Query<&mut Case>,
    mut rng: ResMut<Rng<DeadlinesStream>>,
) {
    safety.mass_incidents_today = 0;
    safety.serious_cases_today = 0;
    safety.unattended_loss_today_yuan = 0.0;
    let Some(due) = deadlines.by_day.remove(&clock.day) else {
        return;
    };
    let mass_share = params.0.policy.mediation.mass_incident_share;
    let on_time_days = params.0.needs.on_time_days;
    let inc = &params.0.incidents;
    // A case that ends here (given up or expired) may still be on a waiting list.
    let mut ended = false;
    for (at, e, kind) in due {
        let Ok(mut case) = cases.get_mut(e) else {
            continue;
        };
        if case.finished {
            continue;
        }
        match kind {
            DeadlineKind::Patience => {
                ended = true;
                book.finish(
                    &mut commands,
                    e,
                    &mut case,
                    Ending::Dropped,
                    Reason::GaveUp,
                    at,
                    on_time_days,
                );
            }
            DeadlineKind::DisputeEscalation => {
                petition(
                    &mut case,
                    &mut book,
                    &mut safety,
                    &mut rng.stream,
                    mass_share,
                );
            }
            DeadlineKind::Expiry => {
                if case.kind == CaseKind::Dispute {
                    petition(
                        &mut case,
                        &mut book,
                        &mut safety,
                        &mut rng.stream,
                        mass_share,
                    );
                }
                if case.kind == CaseKind::Ecology {
                    let per_day =
                        inc.ecology_loss_yuan_per_day * if case.serious { 10.0 } else { 1.0 };
                    safety.unattended_loss_today_yuan += per_day * inc.unattended_loss_days;
                }
                book.finish(
                    &mut commands,
                    e,
                    &mut case,
                    Ending::Dropped,
                    Reason::Expired,
                    at,
                    on_time_days,
                );
                ended = true;
            }
            DeadlineKind::Serious => {
                safety.serious_cases_today += 1;
                safety.serious_cases_total += 1;
            }
        }
    }
    if ended {
        // Cases waiting for a meeting that ended here leave the waiting lists.
        let open = |e: &Entity| cases.get(*e).is_ok_and(|c| !c.finished);
        committee.escalated.retain(open);
        exceptions.0.retain(open);
    }
}

/// A dispute becomes a petition (上访), and with some chance a mass incident; not one already a
/// petition, nor one before a court (on the legal track, not a petition risk).
fn petition(
    case: &mut Case,
    book: &mut CaseBook,
    safety: &mut Safety,
    r: &mut rng::Stream,
    mass_share: f64,
) {
    if case.petition || case.channel == Channel::Court {
        return;
    }
    case.petition = true;
    book.petitions_total += 1;
    book.today.petitions += 1;
    if r.random_bool(mass_share) {
        safety.mass_incidents_today += 1;
        safety.mass_incidents_total += 1;
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<DeadlinesStream>(world);
    world.insert_resource(Deadlines::default());
    world.insert_resource(Safety::default());
    plan.add(Phase::Handle, expire);
}

impl super::state::MapIds for Deadlines {
    fn map_ids(&mut self, map: &super::state::IdMap) {
        map.all(self.by_day.values_mut().flatten().map(|(_, e, _)| e));
    }
}
