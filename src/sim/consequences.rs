//! Consequences of the failures everyone sees (MODEL.md section 3, 三零): petitions, serious
//! cases and ecology damage lower residents' trust in the town government and firms'
//! stickiness, which raises their chance of accepting an outside offer (税源转移). Each day adds
//! yesterday's petitions, serious cases and ecology damage-days (a serious ecology incident counts
//! 10, as its damage does) to a tally; every 30 days the tally is applied to every resident and
//! every firm at once, spread evenly over communities (residents) and parks (firms): in
//! expectation, the residents of the community where it happened.

use bevy_ecs::prelude::*;

use super::clock::{Clock, Params};
use super::enterprises::Firm;
use super::indicators::History;
use super::residents::{Attitudes, Resident, ResidentSums};
use super::{DayPlan, Phase};

/// Events since the last monthly application.
#[derive(Resource, Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Trouble {
    pub petitions: f64,
    pub serious: f64,
    pub ecology_days: f64,
}

fn tally(history: Res<History>, params: Res<Params>, mut trouble: ResMut<Trouble>) {
    let day = &history.last;
    trouble.petitions += day.petitions as f64;
    trouble.serious += day.serious_cases as f64;
    let per_day = params.0.incidents.ecology_loss_yuan_per_day;
    if per_day > 0.0 {
        trouble.ecology_days += day.ecology_loss_yuan / per_day;
    }
}

/// The share of a level kept after `events` events that each remove `loss` of it, spread over
/// `over` places.
pub fn kept(loss: f64, events: f64, over: f64) -> f64 {
    if events <= 0.0 || loss <= 0.0 {
        return 1.0;
    }
    (1.0 - loss.min(1.0)).powf(events / over.max(1.0))
}

fn apply(
    clock: Res<Clock>,
    params: Res<Params>,
    mut trouble: ResMut<Trouble>,
    mut sums: ResMut<ResidentSums>,
    mut residents: Query<(&Resident, &mut Attitudes)>,
    mut firms: Query<&mut Firm>,
) {
    if !(clock.day + 1).is_multiple_of(30) {
        return;
    }
    let t = std::mem::take(&mut *trouble);
    let s = &params.0;
    let c = &s.behaviour.consequences;
    let communities = s.town.communities as f64;
    let trust = kept(c.petition_trust_loss, t.petitions, communities)
        * kept(c.serious_trust_loss, t.serious, communities)
        * kept(c.ecology_trust_loss, t.ecology_days, communities);
    if trust < 1.0 {
        for (res, mut a) in residents.iter_mut() {
            let before = *a;
            a.trust = (a.trust as f64 * trust) as f32;
            sums.change(res, &before, &a, &s.behaviour.reporting);
        }
    }
    let parks = s.town.parks as f64;
    let sticky = kept(c.serious_stickiness_loss, t.serious, parks)
        * kept(c.ecology_stickiness_loss, t.ecology_days, parks);
    if sticky < 1.0 {
        for mut firm in firms.iter_mut() {
            firm.stickiness = (firm.stickiness as f64 * sticky) as f32;
        }
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    world.insert_resource(Trouble::default());
    plan.add(Phase::Respond, (tally, apply).chain());
}
