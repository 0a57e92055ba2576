//! Leaving and arriving. Once a month unemployed job seekers and vulnerable natives nobody has
//! visited for 90 days lose satisfaction, and a resident whose satisfaction is below the
//! threshold leaves with a chance that depends on their kind (talent first, 人才流失) and on
//! whether they have work. Every day the jobs firms could not fill from the town's job seekers
//! bring newcomers, who arrive with the job, ties in their community and the scenario's initial
//! attitudes.

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::Normal;

use super::clock::{Clock, Params};
use super::enterprises::{Economy, Firm};
use super::needs::{NeedCalendar, first_event};
use super::residents::{
    Attitudes, ByEntity, Population, Resident, ResidentSums, Ties, Vulnerable, draw_threshold,
    new_resident,
};
use super::rng::{self, Rng};
use super::town::{GridCell, TownMap};
use super::{DayPlan, Phase};
use crate::scenario::Thresholds;

crate::declare_stream!(MigrationStream, "migration");

/// Departures and arrivals by resident kind, today and over the run.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Moves {
    pub left_today: [u64; 4],
    pub left_total: [u64; 4],
    pub arrived_today: [u64; 4],
    pub arrived_total: [u64; 4],
}

/// What the monthly leaving check reads of a resident.
type Leaver = (
    Entity,
    &'static Resident,
    &'static mut Attitudes,
    Option<&'static Vulnerable>,
);

#[allow(clippy::too_many_arguments)]
fn leave(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    map: Res<TownMap>,
    mut moves: ResMut<Moves>,
    mut population: ResMut<Population>,
    mut residents: Query<Leaver>,
    mut stayers: Query<(&Resident, &mut Ties)>,
    mut firms: Query<&mut Firm>,
    mut grids: Query<&mut GridCell>,
    mut rng: ResMut<Rng<MigrationStream>>,
    mut sums: ResMut<ResidentSums>,
) {
    moves.left_today = [0; 4];
    if !(clock.day + 1).is_multiple_of(30) {
        return;
    }
    let m = &params.0.behaviour.migration;
    let r = &mut rng.stream;
    let day = clock.day as i64;
    let mut gone = Vec::new();
    // This pass sees every resident: the running sums are counted afresh over those who stay.
    let reporting = &params.0.behaviour.reporting;
    let mut fresh = ResidentSums {
        grid_report: vec![0.0; sums.grid_report.len()],
        ..Default::default()
    };
    for (e, res, mut att, vulnerable) in residents.iter_mut() {
        let unemployed = res.unemployed;
        let mut s = att.satisfaction as f64;
        if unemployed {
            s -= m.unemployed_satisfaction_loss_per_month * s;
        }
        if vulnerable.is_some_and(|v| v.last_visit_day < day - 90) {
            s -= m.uncovered_vulnerable_loss_per_month * s;
        }
        att.satisfaction = s as f32;
        if s >= m.leave_threshold[res.kind.index()] {
            fresh.add(res, &att, reporting);
            continue;
        }
        let mut p = m.leave_prob_per_month * m.leave_factor[res.kind.index()];
        if unemployed {
            p *= m.unemployed_factor;
        }
        if r.random_bool(p.clamp(0.0, 1.0)) {
            gone.push((e, *res, vulnerable.is_some()));
        } else {
            fresh.add(res, &att, reporting);
        }
    }
    *sums = fresh;
    // Leavers by entity, so a tie is checked in constant time.
    let left = ByEntity::new(gone.iter().map(|(e, _, _)| (*e, ())), ());
    let has_left = |t: &Entity| left.get(*t).is_some();
    let any_left = !gone.is_empty();
    for (e, res, vulnerable) in gone {
        if let Some(mut firm) = res.employer.and_then(|f| firms.get_mut(f).ok())
            && let Some(i) = firm.staff.iter().position(|&w| w == e)
        {
            firm.staff.swap_remove(i);
        }
        if let Ok(mut g) = grids.get_mut(map.grids[res.grid as usize]) {
            g.residents = g.residents.saturating_sub(1);
        }
        let c = res.community as usize;
        remove(&mut population.by_community[c], e);
        if vulnerable {
            remove(&mut population.vulnerable[c], e);
        }
        moves.left_today[res.kind.index()] += 1;
        moves.left_total[res.kind.index()] += 1;
        commands.entity(e).despawn();
    }
    // Those who left take their ties with them: each tie to a leaver is rewired to someone
    // still in the community, so nobody's circle shrinks or keeps a ghost (ODD 7.21).
    if any_left {
        for (res, mut ties) in stayers.iter_mut() {
            if !ties.0.iter().any(has_left) {
                continue;
            }
            let members = &population.by_community[res.community as usize];
            for t in ties.0.iter_mut() {
                if has_left(t) {
                    *t = if members.is_empty() {
                        Entity::PLACEHOLDER
                    } else {
                        members[r.random_range(0..members.len())]
                    };
                }
            }
        }
    }
}

fn remove(list: &mut Vec<Entity>, e: Entity) {
    if let Some(i) = list.iter().position(|&x| x == e) {
        list.swap_remove(i);
    }
}

#[allow(clippy::too_many_arguments)]
fn arrive(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    map: Res<TownMap>,
    mut moves: ResMut<Moves>,
    mut economy: ResMut<Economy>,
    mut population: ResMut<Population>,
    mut calendar: ResMut<NeedCalendar>,
    mut firms: Query<&mut Firm>,
    mut grids: Query<&mut GridCell>,
    mut rng: ResMut<Rng<MigrationStream>>,
    mut sums: ResMut<ResidentSums>,
) {
    moves.arrived_today = [0; 4];
    if economy.newcomers.is_empty() {
        return;
    }
    let s = &params.0;
    let r = &mut rng.stream;
    let thresholds = &s.behaviour.participation.thresholds;
    let normal = match thresholds {
        Thresholds::Normal { mean, sd } => Normal::new(*mean, *sd).ok(),
        _ => None,
    };
    let k_ties = s.town.ties_per_resident as usize;
    for n in std::mem::take(&mut economy.newcomers) {
        let Ok(mut firm) = firms.get_mut(n.firm) else {
            continue;
        };
        let grid = n.community * s.town.grids_per_community
            + r.random_range(0..s.town.grids_per_community);
        let threshold = draw_threshold(thresholds, &normal, r);
        let (mut res, att, part, exp, contribution) =
            new_resident(s, n.kind, n.community, grid, threshold, r);
        res.employer = Some(n.firm);
        sums.add(&res, &att, &s.behaviour.reporting);
        let members = &population.by_community[n.community as usize];
        let ties: Vec<Entity> = if members.is_empty() {
            Vec::new()
        } else {
            (0..k_ties)
                .map(|_| members[r.random_range(0..members.len())])
                .collect()
        };
        let e = commands
            .spawn((
                res,
                att,
                part,
                exp,
                contribution,
                Ties(ties.into_boxed_slice()),
            ))
            .id();
        firm.staff.push(e);
        population.by_community[n.community as usize].push(e);
        if let Ok(mut g) = grids.get_mut(map.grids[grid as usize]) {
            g.residents += 1;
        }
        if let Some(at) = first_event(&params, n.kind, clock.end(), r) {
            calendar.file(at, e);
        }
        moves.arrived_today[n.kind.index()] += 1;
        moves.arrived_total[n.kind.index()] += 1;
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<MigrationStream>(world);
    world.insert_resource(Moves::default());
    plan.add(Phase::Respond, leave);
    plan.add(Phase::Respond, arrive);
}
