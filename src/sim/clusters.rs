//! Area clusters (片区组团, seed 004): neighbouring communities pool one neighbourhood centre,
//! its operator staff and the mediators. Pooling serves more cases with the same staff (a
//! bigger queue) and runs fewer centres, but residents travel further to the shared centre.
//! With `communities_per_cluster` 1 every community has its own centre.

use bevy_ecs::prelude::*;

use super::clock::Params;
use super::town::{Community, TownMap};
use super::{DayPlan, Phase};

/// Which cluster each community belongs to, and the distances residents travel.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ClusterMap {
    pub communities_per_cluster: u32,
    pub cluster_of: Vec<u32>,
    pub n_clusters: u32,
    /// Km from each community to its cluster's centre.
    pub to_centre_km: Vec<f64>,
    /// Km from each community to the committee's offices (department windows) in the middle
    /// of the map.
    pub to_hall_km: Vec<f64>,
    /// Bumped whenever the clusters change, so that modules with queues per cluster re-sort them.
    pub version: u32,
}

impl ClusterMap {
    fn build(k: u32, positions: &[(f64, f64)], side_km: f64) -> ClusterMap {
        let n = positions.len();
        let k = k.max(1);
        let cluster_of: Vec<u32> = (0..n as u32).map(|c| c / k).collect();
        let n_clusters = (n as u32).div_ceil(k);
        let mut centre = vec![(0.0, 0.0, 0u32); n_clusters as usize];
        for (c, &(x, y)) in positions.iter().enumerate() {
            let e = &mut centre[cluster_of[c] as usize];
            e.0 += x;
            e.1 += y;
            e.2 += 1;
        }
        let hall = (side_km / 2.0, side_km / 2.0);
        let dist =
            |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        let to_centre_km = positions
            .iter()
            .enumerate()
            .map(|(c, &p)| {
                let e = centre[cluster_of[c] as usize];
                dist(p, (e.0 / e.2 as f64, e.1 / e.2 as f64))
            })
            .collect();
        let to_hall_km = positions.iter().map(|&p| dist(p, hall)).collect();
        ClusterMap {
            communities_per_cluster: k,
            cluster_of,
            n_clusters,
            to_centre_km,
            to_hall_km,
            version: 0,
        }
    }
}

fn positions(world: &World) -> Vec<(f64, f64)> {
    let map = world.resource::<TownMap>();
    map.communities
        .iter()
        .map(|&e| {
            let c = world.get::<Community>(e).expect("community");
            (c.x_km, c.y_km)
        })
        .collect()
}

fn regroup(params: Res<Params>, mut clusters: ResMut<ClusterMap>, communities: Query<&Community>) {
    let k = params.0.policy.clusters.communities_per_cluster;
    if k == clusters.communities_per_cluster {
        return;
    }
    let mut pos: Vec<(u32, (f64, f64))> = communities
        .iter()
        .map(|c| (c.idx, (c.x_km, c.y_km)))
        .collect();
    pos.sort_by_key(|(i, _)| *i);
    let pos: Vec<(f64, f64)> = pos.into_iter().map(|(_, p)| p).collect();
    let version = clusters.version + 1;
    *clusters = ClusterMap::build(k, &pos, params.0.town.side_km);
    clusters.version = version;
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    let params = &world.resource::<Params>().0;
    let (k, side) = (
        params.policy.clusters.communities_per_cluster,
        params.town.side_km,
    );
    let map = ClusterMap::build(k, &positions(world), side);
    world.insert_resource(map);
    plan.add(Phase::Reforms, regroup);
}
