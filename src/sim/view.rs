//! A read-only picture of the town as it is now, for drawing it (the classroom dashboard's map):
//! where the communities, grids and parks lie, what each grid holds, and where the open cases
//! arose. Plain data computed from the world without changing it; nothing here is part of a
//! run's outputs.

use bevy_ecs::prelude::*;
use serde::Serialize;

use super::cases::{Case, CaseKind, FoundBy};
use super::clock::{Clock, Params};
use super::enterprises::Firm;
use super::residents::{Attitudes, Resident};
use super::town::{Community, GridCell, Park};

/// The town's map and its state at the end of the latest day.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct TownView {
    /// Days simulated so far.
    pub day: u32,
    /// The map is a square of this side.
    pub side_km: f64,
    /// Size of a community's area and of a grid's (as `town.rs` lays them out).
    pub community_w_km: f64,
    pub community_h_km: f64,
    pub grid_w_km: f64,
    pub grid_h_km: f64,
    pub communities: Vec<CommunityView>,
    pub grids: Vec<GridView>,
    pub parks: Vec<ParkView>,
    /// Open cases, oldest first, at most the number asked for.
    pub open_cases: Vec<OpenCaseView>,
    /// All open cases, also those left out of `open_cases`.
    pub open_cases_total: u64,
}

/// A community: its neighbourhood centre is at the middle of its area.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CommunityView {
    pub idx: u32,
    pub x_km: f64,
    pub y_km: f64,
}

/// A grid and what it holds now.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GridView {
    pub idx: u32,
    pub community: u32,
    pub x_km: f64,
    pub y_km: f64,
    pub residents: u32,
    pub firms: u32,
    /// Open cases that arose in this grid (found or not).
    pub open_cases: u32,
    /// Incidents here that nobody has found yet.
    pub hidden_incidents: u32,
    /// Mean satisfaction and trust of its residents (none with no residents).
    pub satisfaction_mean: Option<f64>,
    pub trust_mean: Option<f64>,
    /// Mean chance that a resident here reports an incident they witness.
    pub report_prob_mean: f64,
}

/// An industrial park.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ParkView {
    pub idx: u32,
    pub community: u32,
    pub x_km: f64,
    pub y_km: f64,
}

/// An open case, where it arose.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct OpenCaseView {
    pub id: u64,
    pub kind: CaseKind,
    pub community: u32,
    pub grid: u32,
    /// Someone who can act on it knows of it (false: an incident nobody has seen yet).
    pub found: bool,
    /// Waiting for the committee after too many bounces.
    pub escalated: bool,
    pub age_days: f64,
}

/// The town now, with at most `max_cases` open cases listed (the oldest).
pub fn town(world: &World, max_cases: usize) -> TownView {
    let Some(params) = world.get_resource::<Params>() else {
        return TownView::default();
    };
    let town = &params.0.town;
    let day = world.get_resource::<Clock>().map_or(0, |c| c.day);
    let layout = Layout::of(town.communities, town.grids_per_community, town.side_km);

    let mut communities: Vec<CommunityView> = all::<Community>(world)
        .map(|c| CommunityView {
            idx: c.idx,
            x_km: c.x_km,
            y_km: c.y_km,
        })
        .collect();
    communities.sort_by_key(|c| c.idx);
    let mut parks: Vec<ParkView> = all::<Park>(world)
        .map(|p| ParkView {
            idx: p.idx,
            community: p.community,
            x_km: p.x_km,
            y_km: p.y_km,
        })
        .collect();
    parks.sort_by_key(|p| p.idx);
    let mut grids: Vec<GridView> = all::<GridCell>(world)
        .map(|g| GridView {
            idx: g.idx,
            community: g.community,
            x_km: g.x_km,
            y_km: g.y_km,
            residents: g.residents,
            firms: 0,
            open_cases: 0,
            hidden_incidents: g.hidden.len() as u32,
            satisfaction_mean: None,
            trust_mean: None,
            report_prob_mean: g.report_prob_mean,
        })
        .collect();
    grids.sort_by_key(|g| g.idx);
    let slot = |grids: &[GridView], idx: u32| grids.binary_search_by_key(&idx, |g| g.idx).ok();

    for firm in all::<Firm>(world) {
        if let Some(i) = slot(&grids, firm.grid) {
            grids[i].firms += 1;
        }
    }
    let mut sums = vec![(0u32, 0f64, 0f64); grids.len()];
    if let Some(mut q) = world.try_query::<(&Resident, &Attitudes)>() {
        for (r, a) in q.iter(world) {
            if let Some(i) = slot(&grids, r.grid) {
                sums[i].0 += 1;
                sums[i].1 += a.satisfaction as f64;
                sums[i].2 += a.trust as f64;
            }
        }
    }
    for (g, (n, s, t)) in grids.iter_mut().zip(sums) {
        g.residents = n;
        if n > 0 {
            g.satisfaction_mean = Some(s / n as f64);
            g.trust_mean = Some(t / n as f64);
        }
    }

    let mut open: Vec<OpenCaseView> = all::<Case>(world)
        .filter(|c| !c.finished)
        .map(|c| OpenCaseView {
            id: c.id,
            kind: c.kind,
            community: c.community,
            grid: c.grid,
            found: c.found_by != FoundBy::Nobody,
            escalated: c.escalated,
            age_days: (day as f64 - c.created_at).max(0.0),
        })
        .collect();
    open.sort_by_key(|c| c.id);
    for c in &open {
        if let Some(i) = slot(&grids, c.grid) {
            grids[i].open_cases += 1;
        }
    }
    let open_cases_total = open.len() as u64;
    open.truncate(max_cases);

    TownView {
        day,
        side_km: town.side_km,
        community_w_km: layout.community_w,
        community_h_km: layout.community_h,
        grid_w_km: layout.grid_w,
        grid_h_km: layout.grid_h,
        communities,
        grids,
        parks,
        open_cases: open,
        open_cases_total,
    }
}

/// Every entity's `C`, in table order (none if no entity ever had one).
fn all<C: Component>(world: &World) -> impl Iterator<Item = &C> {
    world
        .try_query::<&C>()
        .into_iter()
        .flat_map(move |mut q| q.iter(world).collect::<Vec<_>>())
}

/// The sizes of the areas `town::install` lays communities and grids out in.
struct Layout {
    community_w: f64,
    community_h: f64,
    grid_w: f64,
    grid_h: f64,
}

impl Layout {
    fn of(communities: u32, grids_per_community: u32, side_km: f64) -> Layout {
        let cells = |n: usize| {
            let cols = (n as f64).sqrt().ceil().max(1.0) as usize;
            (cols, n.div_ceil(cols).max(1))
        };
        let (cols, rows) = cells(communities as usize);
        let (g_cols, g_rows) = cells(grids_per_community as usize);
        let community_w = side_km / cols as f64;
        let community_h = side_km / rows as f64;
        Layout {
            community_w,
            community_h,
            grid_w: community_w / g_cols as f64,
            grid_h: community_h / g_rows as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::sim::{SimOptions, Simulation};

    #[test]
    fn every_grid_lies_in_its_community_and_counts_add_up() {
        let scenario = Scenario::default_town();
        let mut sim = Simulation::new(&scenario, 3, SimOptions::default());
        for _ in 0..20 {
            sim.step();
        }
        let view = town(sim.world(), 10);
        assert_eq!(view.day, 20);
        assert_eq!(view.communities.len() as u32, scenario.town.communities);
        assert_eq!(view.grids.len() as u32, scenario.town.n_grids());
        assert_eq!(view.parks.len() as u32, scenario.town.parks);
        for g in &view.grids {
            let c = &view.communities[g.community as usize];
            assert!((g.x_km - c.x_km).abs() <= view.community_w_km / 2.0 + 1e-9);
            assert!((g.y_km - c.y_km).abs() <= view.community_h_km / 2.0 + 1e-9);
            assert!(g.x_km - view.grid_w_km / 2.0 >= -1e-9);
            assert!(g.y_km + view.grid_h_km / 2.0 <= view.side_km + 1e-9);
        }
        assert_eq!(view.open_cases_total, sim.last().open);
        assert!(view.open_cases.len() <= 10);
        let per_grid: u64 = view.grids.iter().map(|g| g.open_cases as u64).sum();
        assert_eq!(per_grid, view.open_cases_total);
        let residents: u64 = view.grids.iter().map(|g| g.residents as u64).sum();
        assert_eq!(residents, sim.last().residents);
        let firms: u64 = view.grids.iter().map(|g| g.firms as u64).sum();
        assert_eq!(firms, sim.last().enterprises);
    }
}
