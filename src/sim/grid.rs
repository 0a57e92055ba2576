//! Grid workers (网格员). Each day they patrol their grid and find hidden incidents with a
//! hazard that falls as their load grows: more residents per worker, and hours lost to the
//! ledgers (台账) each department demands. Residents who witness an incident may report it.
//! Grid workers settle minor incidents and some disputes on the spot (小事不出网格) and pass the
//! rest to the platform for dispatch.

use bevy_ecs::prelude::*;

use super::cases::{Case, CaseBook, FoundBy};
use super::clock::{Clock, Params};
use super::dispatch::DispatchQueue;
use super::levers::Effective;
use super::mediation::MediationNet;
use super::rng;
use super::town::{GridCell, TownMap};
use super::{DayPlan, Phase};

// Keyed draws per decision (`rng::uniform`), keyed by the case and, for the daily search,
// the day: whether a hidden incident is found today, when, whether it is settled on the spot,
// and whether a dispute is settled by the grid worker.
crate::declare_stream!(FoundDraw, "grid.found");
crate::declare_stream!(FoundAtDraw, "grid.found_at");
crate::declare_stream!(OnTheSpotDraw, "grid.on_the_spot");
crate::declare_stream!(DisputeSettleDraw, "grid.dispute_settle");

/// Disputes residents brought to their grid worker today.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct GridInbox(pub Vec<Entity>);

/// Incidents lost in a hand-off: back among the unseen in their grid from the next patrol.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Unseen(pub Vec<Entity>);

/// Today's grid-worker load, for the indicators.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct GridLoad {
    pub residents_per_worker: f64,
    pub ledger_hours_share: f64,
    /// Mean over grids of the chance a hidden incident is found by a worker today.
    pub discovery_prob_mean: f64,
    pub hidden: u64,
}

/// Grid workers' effort as the per-grid subsidy sets it (seed 001§1: the subsidy raised their
/// professional identity and well-being, C2): 1 at the reference subsidy or above, 1 / (1 +
/// `subsidy_effort_gain`) without one. It scales patrol discovery and settling on the spot.
pub fn effort(params: &Params) -> f64 {
    let g = &params.0.policy.grid;
    let subsidy = params.0.policy.budget.grid_subsidy_yuan_per_grid_year;
    let paid = (subsidy / g.reference_subsidy_yuan_per_grid_year).clamp(0.0, 1.0);
    (1.0 + g.subsidy_effort_gain * paid) / (1.0 + g.subsidy_effort_gain)
}

/// The chance a grid worker finds a given hidden incident today.
pub fn discovery_prob(params: &Params, effective: &Effective, residents: u32) -> f64 {
    let g = &params.0.policy.grid;
    if g.workers_per_grid == 0 {
        return 0.0;
    }
    let per_worker = residents as f64 / g.workers_per_grid as f64;
    let crowding = if per_worker > g.reference_residents_per_worker {
        g.reference_residents_per_worker / per_worker
    } else {
        1.0
    };
    let hazard = g.discovery_rate_per_day * effective.patrol_share * crowding * effort(params);
    1.0 - (-hazard).exp()
}

#[allow(clippy::too_many_arguments)]
fn patrol(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    effective: Res<Effective>,
    mut book: ResMut<CaseBook>,
    mut dispatch: ResMut<DispatchQueue>,
    mut inbox: ResMut<GridInbox>,
    mut unseen: ResMut<Unseen>,
    map: Res<TownMap>,
    mut mediation: ResMut<MediationNet>,
    mut load: ResMut<GridLoad>,
    mut grids: Query<&mut GridCell>,
    mut cases: Query<&mut Case>,
) {
    let g = &params.0.policy.grid;
    let witness = params.0.incidents.witness_prob_per_day;
    let on_time_days = params.0.needs.on_time_days;
    let has_workers = g.workers_per_grid > 0;
    let on_the_spot = (g.on_the_spot_share * effort(&params)).min(1.0);
    let seed = clock.master_seed;
    let today = u64::from(clock.day) << 40;
    for e in unseen.0.drain(..) {
        if let Ok(case) = cases.get(e)
            && !case.finished
            && let Some(&g) = map.grids.get(case.grid as usize)
            && let Ok(mut grid) = grids.get_mut(g)
        {
            grid.hidden.push(e);
        }
    }
    let (mut p_sum, mut n_grids, mut hidden, mut residents) = (0.0, 0u64, 0u64, 0u64);
    for mut grid in grids.iter_mut() {
        let p_worker = discovery_prob(&params, &effective, grid.residents);
        let p_report = (witness * grid.report_prob_mean).clamp(0.0, 1.0);
        p_sum += p_worker;
        n_grids += 1;
        residents += grid.residents as u64;
        let mut keep = Vec::new();
        for e in std::mem::take(&mut grid.hidden) {
            let Ok(mut case) = cases.get_mut(e) else {
                continue;
            };
            if case.finished {
                continue;
            }
            let (key, step) = (case.draw_key(), case.draw_step() ^ today);
            let u = rng::uniform::<FoundDraw>(seed, key, step);
            let found_by = if u < p_worker {
                FoundBy::GridWorker
            } else if u < p_worker + (1.0 - p_worker) * p_report {
                FoundBy::Report
            } else {
                keep.push(e);
                continue;
            };
            case.found_by = found_by;
            case.discovered_at =
                (clock.start() + rng::uniform::<FoundAtDraw>(seed, key, step)).max(case.created_at);
            book.today.discovered_incidents += 1;
            if found_by == FoundBy::Report {
                book.today.reported_incidents += 1;
            }
            if found_by == FoundBy::GridWorker
                && case.minor
                && rng::chance::<OnTheSpotDraw>(seed, key, step, on_the_spot)
            {
                let at = case.discovered_at;
                book.settle_on_the_spot(&mut commands, e, &mut case, at, on_time_days);
            } else {
                dispatch.0.push(e);
            }
        }
        hidden += keep.len() as u64;
        grid.hidden = keep;
    }
    for e in inbox.0.drain(..) {
        let Ok(mut case) = cases.get_mut(e) else {
            continue;
        };
        if has_workers
            && rng::chance::<DisputeSettleDraw>(
                seed,
                case.draw_key(),
                case.draw_step(),
                g.dispute_settle_share,
            )
        {
            let at = case.created_at;
            book.settle_on_the_spot(&mut commands, e, &mut case, at, on_time_days);
        } else {
            mediation.intake.push(e);
        }
    }
    let workers = n_grids * g.workers_per_grid as u64;
    *load = GridLoad {
        residents_per_worker: if workers > 0 {
            residents as f64 / workers as f64
        } else {
            0.0
        },
        ledger_hours_share: if has_workers {
            (effective.ledger_hours / g.work_hours_per_day).min(1.0)
        } else {
            0.0
        },
        discovery_prob_mean: if n_grids > 0 {
            p_sum / n_grids as f64
        } else {
            0.0
        },
        hidden,
    };
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    world.insert_resource(GridInbox::default());
    world.insert_resource(Unseen::default());
    world.insert_resource(GridLoad::default());
    plan.add(Phase::Discover, patrol);
}
