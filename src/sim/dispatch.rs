//! Dispatch (派单): a discovered case that needs a department is routed to the department of
//! its first matter, after a dispatch delay; without a data platform it may go to the wrong
//! department first. The platform cuts both.

use bevy_ecs::prelude::*;

use super::cases::Case;
use super::clock::{Clock, Params};
use super::departments::{Committee, queue_at};
use super::levers::Effective;
use super::matters::department_of;
use super::rng;
use super::{DayPlan, Phase};

// Keyed draws per decision (`rng::uniform`), keyed by the case and its step.
crate::declare_stream!(MisrouteDraw, "dispatch.misroute");
crate::declare_stream!(WrongDepartmentDraw, "dispatch.wrong_department");
crate::declare_stream!(DispatchDelayDraw, "dispatch.delay");

/// Cases discovered today that need a department, in the order they were found.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DispatchQueue(pub Vec<Entity>);

fn dispatch(
    clock: Res<Clock>,
    params: Res<Params>,
    effective: Res<Effective>,
    mut queue: ResMut<DispatchQueue>,
    mut committee: ResMut<Committee>,
    mut cases: Query<&mut Case>,
) {
    let n = params.0.policy.committee.n_departments;
    let seed = clock.master_seed;
    for e in queue.0.drain(..) {
        let Ok(mut case) = cases.get_mut(e) else {
            continue;
        };
        if case.finished {
            continue;
        }
        // A lost incident found again goes on from the matter it had reached.
        let right = department_of(case.tasks[case.next_task as usize], n);
        let mut dept = right;
        let (key, step) = (case.draw_key(), case.draw_step());
        if n > 1 && rng::chance::<MisrouteDraw>(seed, key, step, effective.p_misroute) {
            let other = rng::below::<WrongDepartmentDraw>(seed, key, step, u64::from(n - 1)) as u16;
            dept = if other >= right { other + 1 } else { other };
            case.misrouted = true;
        }
        // Cases forwarded late yesterday (by a centre or a desk) are dispatched from today on.
        let at = case.discovered_at.max(clock.start())
            + rng::exponential::<DispatchDelayDraw>(seed, key, step, effective.dispatch_delay_days);
        queue_at(&mut case, at);
        committee.send(e, dept, at, case.priority);
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    world.insert_resource(DispatchQueue::default());
    plan.add(Phase::Dispatch, dispatch);
}
