//! The psychological-service system (心理服务体系, seed 001§1): counselling and crisis
//! intervention for residents at risk. The seed says public-order cases then fell year on year
//! (社会治安案件连年下降, C1). While the lever is on, the share of living (public-order) incidents
//! it prevents builds up as `max_cut` x (1 - exp(-years running / ramp_years)); switched off, the
//! build-up is lost. `incidents.rs` thins the living incidents that arise by this share; the
//! service's cost is paid per resident (`budget.rs`).

use bevy_ecs::prelude::*;

use super::clock::Params;
use super::rng;
use super::{DayPlan, Phase};

crate::declare_stream!(PsychStream, "psych");

/// How long the service has been running without a break.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct PsychServices {
    pub days_running: u32,
}

impl PsychServices {
    /// The share of living incidents the service prevents today.
    pub fn cut(&self, params: &Params) -> f64 {
        let p = &params.0.policy.psych_services;
        if !p.enabled || self.days_running == 0 {
            return 0.0;
        }
        let years = self.days_running as f64 / 365.0;
        p.max_cut * (1.0 - (-years / p.ramp_years).exp())
    }
}

fn run(params: Res<Params>, mut psych: ResMut<PsychServices>) {
    psych.days_running = if params.0.policy.psych_services.enabled {
        psych.days_running.saturating_add(1)
    } else {
        0
    };
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<PsychStream>(world);
    world.insert_resource(PsychServices::default());
    plan.add(Phase::Reforms, run);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cut_builds_up_over_years_and_only_while_on() {
        let mut s = crate::scenario::parse("()", "t").unwrap();
        let mut params = Params(s.clone());
        let mut psych = PsychServices { days_running: 365 };
        assert_eq!(psych.cut(&params), 0.0, "off: no cut");
        s.policy.psych_services.enabled = true;
        params = Params(s);
        let one = psych.cut(&params);
        psych.days_running = 730;
        let two = psych.cut(&params);
        assert!(one > 0.0 && two > one && two < 0.3, "{one} {two}");
    }
}
