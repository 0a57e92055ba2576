//! Dispatch (派单): a discovered case that needs a department is routed to the department of
//! its first matter, after a dispatch delay; without a data platform it may go to the wrong
//! department first. The platform cuts both.

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::cases::Case;
use super::clock::{Clock, Params};
use super::departments::{Committee, exp, queue_at};
use super::levers::Effective;
use super::matters::department_of;
use super::rng::{self, Rng};
use super::{DayPlan, Phase};

crate::declare_stream!(DispatchStream, "dispatch");

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
    mut rng: ResMut<Rng<DispatchStream>>,
) {
    let n = params.0.policy.committee.n_departments;
    let r = &mut rng.stream;
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
        if n > 1 && effective.p_misroute > 0.0 && r.random_bool(effective.p_misroute.min(1.0)) {
            let other = r.random_range(0..n - 1) as u16;
            dept = if other >= right { other + 1 } else { other };
            case.misrouted = true;
        }
        // Cases forwarded late yesterday (by a centre or a desk) are dispatched from today on.
        let at = case.discovered_at.max(clock.start()) + exp(r, effective.dispatch_delay_days);
        queue_at(&mut case, at);
        committee.send(e, dept, at, case.priority);
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<DispatchStream>(world);
    world.insert_resource(DispatchQueue::default());
    plan.add(Phase::Dispatch, dispatch);
}
