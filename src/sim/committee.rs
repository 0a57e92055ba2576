//! The management committee's regular coordination meetings (例会). In `Unified` mode it meets every
//! `meeting_interval_days` and clears the cases escalated after too many bounces: each goes
//! straight to the department of its current matter, ahead of the queue. In `Fragmented` mode
//! nobody meets and escalated cases stall until the resident gives up.

use bevy_ecs::prelude::*;

use super::cases::{Case, CaseBook};
use super::clock::{Clock, Params};
use super::departments::{Committee, queue_at};
use super::enterprises::Exceptions;
use super::joint_meetings::grant_exceptions;
use super::levers::Effective;
use super::matters::department_of;
use super::{DayPlan, Phase};

/// Queue priority of a case a meeting has cleared.
pub const CLEARED_PRIORITY: u8 = 2;

#[allow(clippy::too_many_arguments)]
fn meet(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    effective: Res<Effective>,
    mut committee: ResMut<Committee>,
    mut exceptions: ResMut<Exceptions>,
    mut book: ResMut<CaseBook>,
    mut cases: Query<&mut Case>,
) {
    let c = &params.0.policy.committee;
    if !effective.meetings || !(clock.day + 1).is_multiple_of(c.meeting_interval_days) {
        return;
    }
    clear_escalated(&mut committee, &mut cases, c.n_departments, clock.end());
    // The committee's meeting can also grant firms' policy exceptions (seed 000: 联席会议).
    let on_time_days = params.0.needs.on_time_days;
    grant_exceptions(
        &mut commands,
        &mut book,
        &mut exceptions,
        &mut cases,
        clock.end() - 1e-9,
        on_time_days,
    );
}

/// Sends every escalated case straight to the department of its current matter, ahead of the
/// queue, at time `now` (shared with joint meetings and the dispatch authority).
pub fn clear_escalated(
    committee: &mut Committee,
    cases: &mut Query<&mut Case>,
    n_departments: u32,
    now: f64,
) {
    let escalated = std::mem::take(&mut committee.escalated);
    for e in escalated {
        let Ok(mut case) = cases.get_mut(e) else {
            continue;
        };
        if case.finished {
            continue;
        }
        case.bounce_streak = 0;
        let dept = department_of(case.tasks[case.next_task as usize], n_departments);
        queue_at(&mut case, now);
        committee.send(e, dept, now, CLEARED_PRIORITY);
    }
}

pub fn install(_world: &mut World, plan: &mut DayPlan) {
    plan.add(Phase::Meet, meet);
}
