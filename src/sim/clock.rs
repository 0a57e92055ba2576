//! Simulated time and the scenario the systems read.

use bevy_ecs::prelude::*;

use crate::scenario::Scenario;

/// The day being simulated. Day `d` covers model time `[d, d + 1)`.
#[derive(Resource, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Clock {
    pub day: u32,
    pub master_seed: u64,
}

impl Clock {
    pub fn start(&self) -> f64 {
        self.day as f64
    }

    pub fn end(&self) -> f64 {
        self.day as f64 + 1.0
    }
}

/// The validated scenario, read by every system.
#[derive(Resource, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Params(pub Scenario);

/// Advances the day at the very end of a tick.
pub(crate) fn advance(mut clock: ResMut<Clock>) {
    clock.day += 1;
}
