//! Volunteering as a repeated public-goods game (Fehr and Gächter 2000; Fischbacher and Gächter
//! 2010). At every participation round each resident contributes a share of their spare time:
//!
//! ```text
//! level' = clamp(intrinsic + participant_gain * took_part + (slope + sanction_strength * S_c) * mean_c + noise, 0, 1)
//! ```
//!
//! where `mean_c` is the community's mean contribution in the last round, `slope` < 1 is the
//! conditional cooperators' self-serving bias, and `S_c` is the strength of the community's
//! self-governance committee when it organises sanctions (0 otherwise). Without sanctions the
//! mean decays geometrically toward intrinsic / (1 - slope) > 0; with them it holds or rises.
//! `took_part` is 1 for a resident who took part in the participation round just held (see
//! `participation.rs`): participants co-produce, so participation reaches the social
//! organisations' capacity (`social_orgs.rs`) and, through it, the centres and mediation.

use bevy_ecs::prelude::*;
use rand_distr::{Distribution, Normal};

use super::clock::{Clock, Params};
use super::residents::{Contribution, Participation, Resident};
use super::rng::{self, Rng};
use super::self_governance::SelfGovernments;
use super::{DayPlan, Phase};

crate::declare_stream!(VolunteeringStream, "volunteering");

/// The latest round: mean and total contribution.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Volunteers {
    pub mean: f64,
    pub sum: f64,
    pub rounds: u32,
}

fn round(
    clock: Res<Clock>,
    params: Res<Params>,
    governments: Res<SelfGovernments>,
    mut volunteers: ResMut<Volunteers>,
    mut residents: Query<(&Resident, &Participation, &mut Contribution)>,
    mut rng: ResMut<Rng<VolunteeringStream>>,
) {
    let b = &params.0.behaviour;
    if !(clock.day + 1).is_multiple_of(b.participation.interval_days) {
        return;
    }
    let v = &b.volunteering;
    let n_c = governments.councils.len();
    let mut sum = vec![0f64; n_c];
    let mut n = vec![0u64; n_c];
    for (res, _, c) in residents.iter() {
        sum[res.community as usize] += c.level as f64;
        n[res.community as usize] += 1;
    }
    let sanctions = params.0.policy.self_governance.sanctions;
    let slope: Vec<f64> = (0..n_c)
        .map(|c| {
            v.conditional_slope
                + if sanctions {
                    v.sanction_strength * governments.strength(c)
                } else {
                    0.0
                }
        })
        .collect();
    let mean: Vec<f64> = (0..n_c)
        .map(|c| if n[c] > 0 { sum[c] / n[c] as f64 } else { 0.0 })
        .collect();
    let noise = Normal::new(0.0, v.noise_sd).ok();
    let r = &mut rng.stream;
    let (mut total, mut count) = (0f64, 0u64);
    for (res, part, mut c) in residents.iter_mut() {
        let k = res.community as usize;
        let e = noise.as_ref().map_or(0.0, |d| d.sample(r));
        let own = c.intrinsic as f64
            + if part.participating {
                v.participant_gain
            } else {
                0.0
            };
        let level = (own + slope[k] * mean[k] + e).clamp(0.0, 1.0);
        c.level = level as f32;
        total += level;
        count += 1;
    }
    *volunteers = Volunteers {
        mean: if count > 0 { total / count as f64 } else { 0.0 },
        sum: total,
        rounds: volunteers.rounds + 1,
    };
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<VolunteeringStream>(world);
    let mut q = world.query::<&Contribution>();
    let (sum, n) = q
        .iter(world)
        .fold((0.0, 0u64), |(s, n), c| (s + c.level as f64, n + 1));
    world.insert_resource(Volunteers {
        mean: if n > 0 { sum / n as f64 } else { 0.0 },
        sum,
        rounds: 0,
    });
    plan.add(Phase::Meet, round);
}
