//! The management committee's regular coordination meetings (例会). In `Unified` mode it meets every
//! `meeting_interval_days` and clears the cases escalated after too many bounces: each goes
//! straight to the department of its current matter, ahead of the queue. In `Fragmented` mode
//! nobody meets and escalated cases stall until the resident gives up.

use bevy_ecs::prelude::*;

use super::cases::Case;
use super::clock::{Clock, Params};
use super::departments::{Committee, queue_at};
use super::levers::Effective;
use super::matters::department_of;
use super::{DayPlan, Phase};

/// Queue priority of a case a meeting has cleared.
pub const CLEARED_PRIORITY: u8 = 2;

fn meet(
    clock: Res<Clock>,
    params: Res<Params>,
    effective: Res<Effective>,
    mut committee: ResMut<Committee>,
    mut cases: Query<&mut Case>,
) {
    let c = &params.0.policy.committee;
    if !effective.meetings || !(clock.day + 1).is_multiple_of(c.meeting_interval_days) {
        return;
    }
    let now = clock.end();
    let escalated = std::mem::take(&mut committee.escalated);
    for e in escalated {
        let Ok(mut case) = cases.get_mut(e) else {
            continue;
        };
        if case.finished {
            continue;
        }
        case.bounce_streak = 0;
        let dept = department_of(case.tasks[case.next_task as usize], c.n_departments);
        queue_at(&mut case, now);
        committee.send(e, dept, now, CLEARED_PRIORITY);
    }
}

pub fn install(_world: &mut World, plan: &mut DayPlan) {
    plan.add(Phase::Meet, meet);
}
