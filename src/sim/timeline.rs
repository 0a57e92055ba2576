//! The reform timeline: on the day a dated change falls on, the policy from the scenario's
//! timeline replaces the one in force, before anything else happens that day. Every module
//! reads the policy from [`Params`] each day, so a change reaches all of them at once; modules
//! with structure to resize (departments, clusters) do so right after, in the same phase.

use bevy_ecs::prelude::*;

use super::clock::{Clock, Params};
use super::{DayPlan, Phase};
use crate::scenario::Reform;

/// The timeline still to come, and how many reforms took effect today and in all.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Timeline {
    pending: Vec<Reform>,
    pub applied_today: u32,
    pub applied_total: u32,
}

impl Timeline {
    /// Adds a reform still to come, after any other dated the same day (as a scenario's
    /// timeline lists them).
    pub fn add(&mut self, reform: Reform) {
        let at = self.pending.partition_point(|r| r.day <= reform.day);
        self.pending.insert(at, reform);
    }

    /// Replaces the reforms still to come (a continued run switching to other levers).
    pub fn replace_pending(&mut self, pending: Vec<Reform>) {
        self.pending = pending;
    }
}

fn apply(clock: Res<Clock>, mut params: ResMut<Params>, mut timeline: ResMut<Timeline>) {
    let today = clock.day + 1;
    timeline.applied_today = 0;
    while timeline.pending.first().is_some_and(|r| r.day <= today) {
        let reform = timeline.pending.remove(0);
        params.0.policy = reform.policy;
        timeline.applied_today += 1;
        timeline.applied_total += 1;
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    let pending = world.resource::<Params>().0.timeline.clone();
    world.insert_resource(Timeline {
        pending,
        ..Default::default()
    });
    plan.add(Phase::Reforms, apply);
}
