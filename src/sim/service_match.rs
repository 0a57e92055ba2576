//! Need-supply match (精准对标需求, seed 003): each community has its own mix of service needs
//! over six categories (medical, education, social security, transport, housing, elderly care);
//! the committee's service supply starts as the same town-wide mix everywhere (top-down, 粗放).
//! The match of a community is one minus the total-variation distance between the two mixes.
//! Self-governance committees relay the needs they see, and bottom-up projects bid against them,
//! so supply moves toward need; centres settle fewer matters in categories they under-supply.
//!
//! A relay adds the needs heard since the last one to the evidence, not in place of it: supply
//! moves toward the new observations by `rate * n_new / n_heard`, where `n_heard` counts every
//! need relayed so far. At rate 1 supply is the running mean of everything heard (partial
//! adjustment that settles as evidence accumulates); a lower rate or a weaker committee keeps
//! more of the top-down mix. Before, each relay chased the last month's 20-30 matters per
//! community, a noisy sample (total-variation noise about 0.15, as large as the gap it should
//! close), so a fast relay overshot (final match 0.929 / 0.900 / 0.877 for relay 0.3 / 0.6 / 1).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::Exp1;

use super::clock::Params;
use super::rng::{self, Rng};

crate::declare_stream!(ProfileStream, "need_profile");

/// Service-need categories.
pub const N_CATEGORIES: usize = 6;

/// Per community: the true need mix, the supply mix, the needs seen since the last relay and
/// how many needs have been relayed so far.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ServiceMatch {
    pub need: Vec<[f64; N_CATEGORIES]>,
    pub supply: Vec<[f64; N_CATEGORIES]>,
    pub observed: Vec<[u32; N_CATEGORIES]>,
    pub heard: Vec<u64>,
}

impl ServiceMatch {
    /// 1 - total-variation distance between supply and need in community `c`.
    pub fn of(&self, c: usize) -> f64 {
        let d: f64 = (0..N_CATEGORIES)
            .map(|k| (self.supply[c][k] - self.need[c][k]).abs())
            .sum();
        1.0 - 0.5 * d
    }

    /// Mean match over communities.
    pub fn mean(&self) -> f64 {
        if self.need.is_empty() {
            return 0.0;
        }
        (0..self.need.len()).map(|c| self.of(c)).sum::<f64>() / self.need.len() as f64
    }

    /// How well category `k` is supplied in community `c`: supply over need, at most 1.
    pub fn supply_ratio(&self, c: usize, k: usize) -> f64 {
        let need = self.need[c][k];
        if need <= 0.0 {
            1.0
        } else {
            (self.supply[c][k] / need).min(1.0)
        }
    }

    /// Draws the category of a new need in community `c`.
    pub fn draw(&self, c: usize, r: &mut rng::Stream) -> u8 {
        let u: f64 = r.random();
        let mut acc = 0.0;
        for k in 0..N_CATEGORIES {
            acc += self.need[c][k];
            if u < acc {
                return k as u8;
            }
        }
        (N_CATEGORIES - 1) as u8
    }

    /// Moves community `c`'s supply a share `rate` toward its true mix when `toward_true`
    /// (projects bid against needs). Otherwise it relays the needs observed since the last relay
    /// and forgets them: supply moves toward their mix by `rate` times their share of every need
    /// relayed there so far, so at rate 1 supply is the running mean of all that was heard.
    pub fn shift(&mut self, c: usize, rate: f64, toward_true: bool) {
        let rate = rate.clamp(0.0, 1.0);
        let (target, step): ([f64; N_CATEGORIES], f64) = if toward_true {
            (self.need[c], rate)
        } else {
            let seen: u32 = self.observed[c].iter().sum();
            if seen == 0 {
                return;
            }
            self.heard[c] += seen as u64;
            let mix = std::array::from_fn(|k| self.observed[c][k] as f64 / seen as f64);
            self.observed[c] = [0; N_CATEGORIES];
            (mix, rate * seen as f64 / self.heard[c] as f64)
        };
        for (s, t) in self.supply[c].iter_mut().zip(target) {
            *s += step * (t - *s);
        }
    }
}

pub fn install(world: &mut World) {
    rng::insert::<ProfileStream>(world);
    let town = &world.resource::<Params>().0.town;
    let (n, spread) = (town.communities as usize, town.need_mix_spread);
    let mut rng = world
        .remove_resource::<Rng<ProfileStream>>()
        .expect("inserted above");
    let r = &mut rng.stream;
    let even = 1.0 / N_CATEGORIES as f64;
    let need = (0..n)
        .map(|_| {
            let raw: [f64; N_CATEGORIES] = std::array::from_fn(|_| r.sample::<f64, _>(Exp1));
            let sum: f64 = raw.iter().sum();
            std::array::from_fn(|k| (1.0 - spread) * even + spread * raw[k] / sum)
        })
        .collect();
    world.insert_resource(rng);
    world.insert_resource(ServiceMatch {
        need,
        supply: vec![[even; N_CATEGORIES]; n],
        observed: vec![[0; N_CATEGORIES]; n],
        heard: vec![0; n],
    });
}
