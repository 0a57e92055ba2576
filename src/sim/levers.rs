//! The policy levers as the systems use them: each day (after any reform of the day) the
//! scenario's levers are turned into effective rates: hand-off losses cut by the data platform
//! and by regular meetings, the grid workers' ledger burden, and so on.

use bevy_ecs::prelude::*;

use super::clock::Params;
use super::{DayPlan, Phase};
use crate::scenario::{CommitteeMode, Scenario};

/// Today's effective rates.
#[derive(Resource, Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Effective {
    pub meetings: bool,
    pub p_bounce: f64,
    pub p_drop: f64,
    pub handoff_delay_days: f64,
    pub dispatch_delay_days: f64,
    pub p_misroute: f64,
    /// Hours of ledger work a grid worker does per day.
    pub ledger_hours: f64,
    /// Share of a grid worker's day left for patrol.
    pub patrol_share: f64,
    /// Chance a window-channel hand-off makes the resident carry papers to the next department.
    pub p_carry: f64,
}

impl Effective {
    pub fn from_scenario(s: &Scenario) -> Effective {
        let c = &s.policy.committee;
        let p = &s.policy.platform;
        let g = &s.policy.grid;
        let meetings = c.mode == CommitteeMode::Unified;
        let meeting_factor = if meetings { 1.0 - c.meeting_cut } else { 1.0 };
        let platform_factor = 1.0 - p.integration * p.handoff_cut;
        // Without the street layer (街道, seed 003, C11) nobody sorts cases between the grids and
        // the departments: misrouting, bounces and losses grow.
        let street = if c.street_layer {
            1.0
        } else {
            c.no_street_factor
        };
        let ledger_hours = c.n_departments as f64
            * g.ledger_hours_per_department
            * (1.0 - p.integration * p.ledger_cut);
        Effective {
            meetings,
            p_bounce: (c.bounce_prob * platform_factor * meeting_factor * street).min(1.0),
            p_drop: (c.drop_prob * platform_factor * meeting_factor * street).min(1.0),
            handoff_delay_days: c.handoff_delay_days * platform_factor * meeting_factor,
            dispatch_delay_days: p.dispatch_delay_days * platform_factor,
            p_misroute: if c.n_departments > 1 {
                (p.misroute_prob * platform_factor * street).min(1.0)
            } else {
                0.0
            },
            ledger_hours,
            patrol_share: ((g.work_hours_per_day - ledger_hours) / g.work_hours_per_day).max(0.0),
            // A hand-off makes the resident carry papers unless the platform passes them on or
            // the matter is under one-trip service (最多跑一次).
            p_carry: (1.0 - p.integration) * (1.0 - s.policy.one_trip.share),
        }
    }
}

fn refresh(params: Res<Params>, mut effective: ResMut<Effective>) {
    let now = Effective::from_scenario(&params.0);
    if *effective != now {
        *effective = now;
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    let effective = Effective::from_scenario(&world.resource::<Params>().0);
    world.insert_resource(effective);
    plan.add(Phase::Reforms, refresh);
}
