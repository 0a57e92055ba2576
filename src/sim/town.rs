//! The town's places: communities (社区), their grids (网格) and the industrial parks (园区),
//! laid out on a square map so that a view can draw them.

use bevy_ecs::prelude::*;

use super::clock::Params;

/// A community with its neighbourhood centre at (x_km, y_km).
#[derive(Component, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Community {
    pub idx: u32,
    pub x_km: f64,
    pub y_km: f64,
}

/// A grid of households, watched by its grid workers.
#[derive(Component, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct GridCell {
    pub idx: u32,
    pub community: u32,
    pub x_km: f64,
    pub y_km: f64,
    pub residents: u32,
    /// Incidents that have arisen here and no one has found yet.
    pub hidden: Vec<Entity>,
    /// Mean chance that a resident of this grid who witnesses an incident reports it
    /// (refreshed every day by the indicators pass).
    pub report_prob_mean: f64,
}

/// An industrial park attached to a community.
#[derive(Component, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Park {
    pub idx: u32,
    pub community: u32,
    pub x_km: f64,
    pub y_km: f64,
}

/// Index from community and grid numbers to their entities.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct TownMap {
    pub communities: Vec<Entity>,
    pub grids: Vec<Entity>,
    pub parks: Vec<Entity>,
}

/// Spawns the places. Deterministic: positions follow from the counts alone.
pub fn install(world: &mut World) {
    let town = world.resource::<Params>().0.town.clone();
    let n_c = town.communities as usize;
    let cols = (n_c as f64).sqrt().ceil().max(1.0) as usize;
    let rows = n_c.div_ceil(cols);
    let cell_w = town.side_km / cols as f64;
    let cell_h = town.side_km / rows as f64;
    let mut map = TownMap::default();
    let g = town.grids_per_community as usize;
    let g_cols = (g as f64).sqrt().ceil().max(1.0) as usize;
    let g_rows = g.div_ceil(g_cols);
    for c in 0..n_c {
        let (cx, cy) = ((c % cols) as f64 * cell_w, (c / cols) as f64 * cell_h);
        map.communities.push(
            world
                .spawn(Community {
                    idx: c as u32,
                    x_km: cx + cell_w / 2.0,
                    y_km: cy + cell_h / 2.0,
                })
                .id(),
        );
        for j in 0..g {
            let x = cx + ((j % g_cols) as f64 + 0.5) * cell_w / g_cols as f64;
            let y = cy + ((j / g_cols) as f64 + 0.5) * cell_h / g_rows as f64;
            map.grids.push(
                world
                    .spawn(GridCell {
                        idx: (c * g + j) as u32,
                        community: c as u32,
                        x_km: x,
                        y_km: y,
                        residents: 0,
                        hidden: Vec::new(),
                        report_prob_mean: 0.0,
                    })
                    .id(),
            );
        }
    }
    for p in 0..town.parks as usize {
        let c = p % n_c;
        let (cx, cy) = ((c % cols) as f64 * cell_w, (c / cols) as f64 * cell_h);
        let shift = 0.15 + 0.1 * (p / n_c % 5) as f64;
        map.parks.push(
            world
                .spawn(Park {
                    idx: p as u32,
                    community: c as u32,
                    x_km: cx + cell_w * shift,
                    y_km: cy + cell_h * shift,
                })
                .id(),
        );
    }
    world.insert_resource(map);
}
