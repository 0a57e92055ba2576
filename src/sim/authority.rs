//! Dispatch authority (街道吹哨、部门报到, seed 001§1 and 003): with it, the grid command centre
//! summons the department a case is stuck at as soon as the case is escalated after bouncing
//! (it need not wait for a meeting, which a fragmented committee never holds). The summoned
//! department must answer within `answer_days` of the summons and cannot bounce or lose the case
//! on its next hand-off. Without it, escalated cases stall until a meeting or until the resident
//! gives up.
//!
//! The deadline binds through the street's evaluation of the departments it summons (Beijing's
//! 考核权, seed 003): a summoned matter still unanswered at its deadline (it waited in a busy
//! department's queue) is a late answer, and the department is named. Named late answers are
//! remembered with a 30-day exponential memory (`named`), and `evaluation.rs` divides the
//! departments' effort diverted to investment promotion by `1 + naming_weight * named`: a
//! tighter deadline names more departments and pulls more effort back to residents' matters.

use bevy_ecs::prelude::*;

use super::cases::Case;
use super::clock::{Clock, Params};
use super::committee::clear_escalated;
use super::departments::Committee;
use super::{DayPlan, Phase};

/// Days over which a named late answer fades (exponential memory).
const NAMING_MEMORY_DAYS: f64 = 30.0;

/// Cases summoned over the run, the answers still awaited, and the late answers named.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Summons {
    pub today: u64,
    pub total: u64,
    /// (case id, deadline) of each summoned matter not answered yet, by case id.
    pub awaited: Vec<(u64, f64)>,
    pub late_total: u64,
    /// Late answers named, with a 30-day exponential memory.
    pub named: f64,
}

fn summon(
    clock: Res<Clock>,
    params: Res<Params>,
    mut summons: ResMut<Summons>,
    mut committee: ResMut<Committee>,
    mut cases: Query<&mut Case>,
) {
    let summons = &mut *summons;
    summons.today = 0;
    summons.named *= (-1.0 / NAMING_MEMORY_DAYS).exp();
    if !summons.awaited.is_empty() {
        check_answers(summons, clock.end(), &cases);
    }
    let p = &params.0.policy;
    if !p.authority.enabled || committee.escalated.is_empty() {
        return;
    }
    let deadline = clock.end() + p.authority.answer_days;
    for &e in &committee.escalated {
        if let Ok(mut case) = cases.get_mut(e)
            && !case.finished
        {
            case.summoned = true;
            summons.today += 1;
            summons.awaited.push((case.id, deadline));
        }
    }
    summons.awaited.sort_by_key(|&(id, _)| id);
    summons.awaited.dedup_by_key(|&mut (id, _)| id);
    summons.total += summons.today;
    clear_escalated(
        &mut committee,
        &mut cases,
        p.committee.n_departments,
        clock.end(),
    );
}

/// Forgets the answered matters (the case moved on or ended) and names the ones past their
/// deadline.
fn check_answers(summons: &mut Summons, now: f64, cases: &Query<&mut Case>) {
    let mut waiting: Vec<u64> = cases
        .iter()
        .filter(|c| c.summoned && !c.finished)
        .map(|c| c.id)
        .collect();
    waiting.sort_unstable();
    let mut late = 0u64;
    summons.awaited.retain(|&(id, deadline)| {
        if waiting.binary_search(&id).is_err() {
            return false;
        }
        if deadline < now {
            late += 1;
            return false;
        }
        true
    });
    summons.late_total += late;
    summons.named += late as f64;
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    world.insert_resource(Summons::default());
    plan.add(Phase::Meet, summon);
}
