//! Participation: a threshold / conditional-cooperation rule (Granovetter 1978). Every
//! `interval_days` each community holds a round (a consultation or joint meeting). Resident i
//! takes part when
//!
//! ```text
//! social_weight * share_i  >=  threshold_i + cost - match_weight * match_c - efficacy_weight * efficacy_i
//! ```
//!
//! where `share_i` is the share of the reference group (the community, or i's ties) already
//! taking part and `match_c` is the community's need-supply match (see `service_match.rs`).
//! Participants' efficacy moves toward the share of the community's matters resolved on time
//! since the last round (they feel heard, or not). The round starts from nobody and cascades to its fixed point. With the match,
//! efficacy and cost terms at zero and social_weight 1 this is exactly Granovetter's model.

use bevy_ecs::prelude::*;

use super::cases::{CaseBook, Ending};
use super::clock::{Clock, Params};
use super::residents::{Attitudes, ByEntity, Participation, Resident, ResidentSums, Ties};
use super::service_match::ServiceMatch;
use super::{DayPlan, Phase};
use crate::scenario::Reference;

/// Per community: matters finished and finished on time since the last round, and the match
/// the last round used.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CommunityScores {
    pub finished: Vec<u32>,
    pub on_time: Vec<u32>,
    pub last_match: Vec<f64>,
}

/// The latest round's result.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Turnout {
    pub participants: u64,
    pub residents: u64,
    pub rounds: u32,
}

impl Turnout {
    pub fn rate(&self) -> f64 {
        if self.residents == 0 {
            0.0
        } else {
            self.participants as f64 / self.residents as f64
        }
    }
}

/// Rounds a real-valued count up, treating values within 1e-9 of a whole number as that number,
/// so that thresholds like 0.29 of 100 residents ask for exactly 29.
pub fn ceil_count(x: f64) -> f64 {
    let nearest = x.round();
    if (x - nearest).abs() < 1e-9 {
        nearest
    } else {
        x.ceil()
    }
}

/// How many of `n_reference` must already take part before this resident does (`u64::MAX`:
/// never; 0: unconditionally).
pub fn required_count(
    p: &crate::scenario::Participation,
    threshold: f64,
    efficacy: f64,
    community_match: f64,
    n_reference: u64,
) -> u64 {
    let need = threshold + p.cost - p.match_weight * community_match - p.efficacy_weight * efficacy;
    if p.social_weight <= 0.0 {
        return if need <= 0.0 { 0 } else { u64::MAX };
    }
    let share = need / p.social_weight;
    if share <= 0.0 {
        return 0;
    }
    if share > 1.0 || n_reference == 0 {
        // More than the whole group, or no one to follow: never.
        return u64::MAX;
    }
    ceil_count(share * n_reference as f64) as u64
}

/// The fixed point of Granovetter's cascade for one group: sorted required counts in, number
/// taking part out.
pub fn cascade(sorted_required: &[u64]) -> usize {
    let mut k = 0usize;
    loop {
        let joined = sorted_required.partition_point(|&r| r <= k as u64);
        if joined == k {
            return k;
        }
        k = joined;
    }
}

fn tally(
    book: Res<CaseBook>,
    mut scores: ResMut<CommunityScores>,
    cases_community: Query<&Resident>,
) {
    let scores = &mut *scores;
    for o in &book.outcomes {
        let Ok(res) = cases_community.get(o.resident) else {
            continue;
        };
        let c = res.community as usize;
        scores.finished[c] += 1;
        if o.ending == Ending::Resolved && o.on_time {
            scores.on_time[c] += 1;
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn round(
    clock: Res<Clock>,
    params: Res<Params>,
    matching: Res<ServiceMatch>,
    mut scores: ResMut<CommunityScores>,
    mut turnout: ResMut<Turnout>,
    mut residents: Query<(Entity, &Resident, &mut Attitudes, &mut Participation)>,
    ties: Query<&Ties>,
    mut sums: ResMut<ResidentSums>,
) {
    let p = &params.0.behaviour.participation;
    if !(clock.day + 1).is_multiple_of(p.interval_days) {
        return;
    }
    let scores = &mut *scores;
    for c in 0..scores.finished.len() {
        if scores.finished[c] > 0 {
            scores.last_match[c] = scores.on_time[c] as f64 / scores.finished[c] as f64;
        }
        scores.finished[c] = 0;
        scores.on_time[c] = 0;
    }
    let need_match: Vec<f64> = (0..scores.finished.len()).map(|c| matching.of(c)).collect();
    let participants = match p.reference {
        Reference::Community => by_community(p, &need_match, &mut residents),
        Reference::Ties => by_ties(p, &need_match, &mut residents, &ties),
    };
    // Participants who see their community's matters resolved feel heard (or not).
    let gain = params.0.behaviour.efficacy_gain_when_heard as f32;
    let mut n = 0u64;
    for (_, res, mut att, part) in residents.iter_mut() {
        n += 1;
        if part.participating {
            let m = scores.last_match[res.community as usize] as f32;
            att.efficacy += gain * (m - att.efficacy);
        }
    }
    spread_trust(
        params.0.behaviour.tie_influence as f32,
        &mut residents,
        &ties,
    );
    *turnout = Turnout {
        participants,
        residents: n,
        rounds: turnout.rounds + 1,
    };
    // Efficacy and trust moved for everyone: count the sums afresh.
    let unemployed = sums.unemployed;
    *sums = ResidentSums::recount(
        sums.grid_report.len(),
        &params.0.behaviour.reporting,
        residents.iter().map(|(_, res, att, _)| (res, att)),
    );
    debug_assert_eq!(sums.unemployed, unemployed);
}

fn by_community(
    p: &crate::scenario::Participation,
    matches: &[f64],
    residents: &mut Query<(Entity, &Resident, &mut Attitudes, &mut Participation)>,
) -> u64 {
    let n_c = matches.len();
    let mut size = vec![0u64; n_c];
    for (_, res, _, _) in residents.iter() {
        size[res.community as usize] += 1;
    }
    // Each resident's requirement, once, in query order (stable within this system).
    let required: Vec<(usize, u64)> = residents
        .iter()
        .map(|(_, res, att, part)| {
            let c = res.community as usize;
            (
                c,
                required_count(p, part.threshold, att.efficacy as f64, matches[c], size[c]),
            )
        })
        .collect();
    let mut by_community: Vec<Vec<u64>> = vec![Vec::new(); n_c];
    for &(c, r) in &required {
        by_community[c].push(r);
    }
    // Everyone whose requirement is at most the cascade's fixed point takes part.
    let mut cutoff = vec![0u64; n_c];
    let mut total = 0u64;
    for (c, group) in by_community.iter_mut().enumerate() {
        group.sort_unstable();
        let k = cascade(group);
        total += k as u64;
        cutoff[c] = k as u64;
    }
    for ((_, _, _, mut part), &(c, r)) in residents.iter_mut().zip(&required) {
        part.participating = r <= cutoff[c];
    }
    total
}

fn by_ties(
    p: &crate::scenario::Participation,
    matches: &[f64],
    residents: &mut Query<(Entity, &Resident, &mut Attitudes, &mut Participation)>,
    ties: &Query<&Ties>,
) -> u64 {
    for (_, _, _, mut part) in residents.iter_mut() {
        part.participating = false;
    }
    let mut active_now = ByEntity::new(residents.iter().map(|(e, ..)| (e, false)), false);
    let mut total = 0;
    for _ in 0..10_000 {
        let mut joining = Vec::new();
        for (e, res, att, part) in residents.iter() {
            if part.participating {
                continue;
            }
            let Ok(my_ties) = ties.get(e) else { continue };
            let n = my_ties.0.len() as u64;
            let req = required_count(
                p,
                part.threshold,
                att.efficacy as f64,
                matches[res.community as usize],
                n,
            );
            if req == u64::MAX {
                continue;
            }
            let active = my_ties
                .0
                .iter()
                .filter(|t| active_now.get(**t) == Some(true))
                .count() as u64;
            if active >= req {
                joining.push(e);
            }
        }
        if joining.is_empty() {
            break;
        }
        total += joining.len() as u64;
        for e in joining {
            if let Ok((_, _, _, mut part)) = residents.get_mut(e) {
                part.participating = true;
                active_now.set(e, true);
            }
        }
    }
    total
}

/// Trust moves toward what a resident's ties think (synchronously, from today's values).
fn spread_trust(
    weight: f32,
    residents: &mut Query<(Entity, &Resident, &mut Attitudes, &mut Participation)>,
    ties: &Query<&Ties>,
) {
    if weight <= 0.0 {
        return;
    }
    let trust = ByEntity::new(residents.iter().map(|(e, _, a, _)| (e, a.trust)), 0.0);
    let mut updates = Vec::new();
    for (e, _, att, _) in residents.iter() {
        let Ok(my_ties) = ties.get(e) else { continue };
        if my_ties.0.is_empty() {
            continue;
        }
        // Only ties to residents still in town count (a tie to a leaver is rewired monthly).
        let (sum, n) = my_ties
            .0
            .iter()
            .filter_map(|t| trust.get(*t))
            .fold((0f32, 0u32), |(s, n), x| (s + x, n + 1));
        if n == 0 {
            updates.push(att.trust);
            continue;
        }
        let mean = sum / n as f32;
        updates.push(att.trust + weight * (mean - att.trust));
    }
    let mut i = 0;
    for (e, _, mut att, _) in residents.iter_mut() {
        if ties.get(e).is_ok_and(|t| !t.0.is_empty()) {
            att.trust = updates[i].clamp(0.0, 1.0);
            i += 1;
        }
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    let n = world.resource::<Params>().0.town.communities as usize;
    world.insert_resource(CommunityScores {
        finished: vec![0; n],
        on_time: vec![0; n],
        last_match: vec![0.0; n],
    });
    world.insert_resource(Turnout::default());
    plan.add(Phase::Meet, tally);
    plan.add(Phase::Meet, round);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cascade_is_granovetter() {
        let all: Vec<u64> = (0..100).collect();
        assert_eq!(cascade(&all), 100);
        let mut broken = all.clone();
        broken[1] = 2;
        broken.sort_unstable();
        assert_eq!(cascade(&broken), 1);
        assert_eq!(cascade(&[1, 1, 2]), 0);
    }

    #[test]
    fn ceil_count_forgives_float_noise() {
        assert_eq!(ceil_count(0.29 * 100.0), 29.0);
        assert_eq!(ceil_count(0.07 * 100.0), 7.0);
        assert_eq!(ceil_count(7.2), 8.0);
    }
}
