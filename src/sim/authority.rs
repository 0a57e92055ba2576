//! Dispatch authority (街道吹哨、部门报到, seed 001§1 and 003): with it, the grid command centre
//! summons the department a case is stuck at as soon as the case is escalated after bouncing
//! (it need not wait for a meeting, which a fragmented committee never holds). The summoned
//! department must answer within `answer_days` and cannot bounce or lose the case on its next
//! hand-off. Without it, escalated cases stall until a meeting or until the resident gives up.

use bevy_ecs::prelude::*;

use super::cases::Case;
use super::clock::{Clock, Params};
use super::committee::clear_escalated;
use super::departments::Committee;
use super::{DayPlan, Phase};

/// Cases summoned over the run.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Summons {
    pub today: u64,
    pub total: u64,
}

fn summon(
    clock: Res<Clock>,
    params: Res<Params>,
    mut summons: ResMut<Summons>,
    mut committee: ResMut<Committee>,
    mut cases: Query<&mut Case>,
) {
    summons.today = 0;
    let p = &params.0.policy;
    if !p.authority.enabled || committee.escalated.is_empty() {
        return;
    }
    for &e in &committee.escalated {
        if let Ok(mut case) = cases.get_mut(e)
            && !case.finished
        {
            case.summoned = true;
            summons.today += 1;
        }
    }
    summons.total += summons.today;
    clear_escalated(
        &mut committee,
        &mut cases,
        p.committee.n_departments,
        clock.end(),
    );
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    world.insert_resource(Summons::default());
    plan.add(Phase::Meet, summon);
}
