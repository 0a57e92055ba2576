//! Satisfaction and trust respond to what happens to a resident's matters: a matter resolved on
//! time raises them, a late one a little, each bounce between departments (推诿) and a dropped
//! matter lower them. Gains close a share of the gap to 1; losses remove a share of the level.

use bevy_ecs::prelude::*;

use super::cases::{CaseBook, CaseKind, Channel, Ending};
use super::clock::Params;
use super::residents::{Attitudes, Experience, Resident, ResidentSums};
use super::{DayPlan, Phase};
use crate::scenario::OutcomeEffects;

fn respond(
    params: Res<Params>,
    mut book: ResMut<CaseBook>,
    mut sums: ResMut<ResidentSums>,
    mut residents: Query<(&Resident, &mut Attitudes, &mut Experience)>,
) {
    let b = &params.0.behaviour;
    for o in book.outcomes.drain(..) {
        let Ok((res, mut a, mut exp)) = residents.get_mut(o.resident) else {
            continue;
        };
        let before = *a;
        if o.kind == CaseKind::Need
            && let Some(i) = Channel::RESIDENT.iter().position(|&c| c == o.channel)
        {
            *exp = Experience {
                last: i as u8 + 1,
                good: o.ending == Ending::Resolved && o.on_time && o.bounces == 0,
            };
        }
        a.satisfaction = apply(
            a.satisfaction,
            &b.satisfaction,
            o.ending,
            o.on_time,
            o.bounces,
        );
        // Each trip beyond the first costs the resident time and patience (跑几次, claim C19).
        for _ in 1..o.trips {
            a.satisfaction -= b.channels.trip_satisfaction_loss as f32 * a.satisfaction;
        }
        a.trust = apply(a.trust, &b.trust, o.ending, o.on_time, o.bounces);
        sums.change(res, &before, &a, &b.reporting);
    }
}

/// One outcome's effect on one attitude.
pub fn apply(level: f32, fx: &OutcomeEffects, ending: Ending, on_time: bool, bounces: u8) -> f32 {
    let mut x = level as f64;
    for _ in 0..bounces {
        x -= fx.bounce_loss * x;
    }
    match ending {
        Ending::Resolved if on_time => x += fx.on_time_gain * (1.0 - x),
        Ending::Resolved => x += fx.late_gain * (1.0 - x),
        Ending::Dropped => x -= fx.drop_loss * x,
    }
    x.clamp(0.0, 1.0) as f32
}

pub fn install(_world: &mut World, plan: &mut DayPlan) {
    plan.add(Phase::Respond, respond);
}
