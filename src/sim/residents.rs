//! Residents (居民): natives, migrant workers, employees and talent, with their attitudes,
//! participation thresholds and social ties. Residents act only when something happens to
//! them (a need, an outcome, a participation round), so a quiet day costs them nothing.

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::{Distribution, Normal};

use super::clock::Params;
use super::rng::{self, Rng};
use super::town::{GridCell, TownMap};
use crate::scenario::{ResidentKind, Thresholds};

crate::declare_stream!(PopulationStream, "population");

/// Who a resident is, where they live and who employs them.
#[derive(Component, Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Resident {
    pub kind: ResidentKind,
    pub community: u32,
    pub grid: u32,
    pub employer: Option<Entity>,
    /// Laid off by a town firm and not hired again yet (a job seeker).
    pub unemployed: bool,
}

impl Resident {
    /// Migrant workers, employees and talent look for jobs in the town's firms.
    pub fn seeks_work(&self) -> bool {
        self.kind != ResidentKind::Native
    }
}

/// A low-skilled, vulnerable native (seed 000), and when someone last visited them.
#[derive(Component, Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Vulnerable {
    pub last_visit_day: i64,
}

/// The channel of a resident's last matter and whether it went well.
#[derive(Component, Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Experience {
    /// `Channel::index` + 1, or 0 for none yet.
    pub last: u8,
    pub good: bool,
}

/// Volunteering as a public-goods contribution (see `volunteering.rs`).
#[derive(Component, Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Contribution {
    pub level: f32,
    pub intrinsic: f32,
}

/// Attitudes in [0, 1].
#[derive(Component, Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Attitudes {
    pub satisfaction: f32,
    pub trust: f32,
    pub efficacy: f32,
}

/// The threshold rule's state (see `participation.rs`).
#[derive(Component, Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Participation {
    /// Share of the reference group that must take part before this resident does.
    pub threshold: f64,
    pub participating: bool,
}

/// The residents this resident listens to.
#[derive(Component, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Ties(pub Box<[Entity]>);

/// Residents in spawn order: the order of explicit threshold lists and of the tie network.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Population {
    /// Residents at the start, in spawn order.
    pub residents: Vec<Entity>,
    /// Current residents of each community (kept up to date by `migration.rs`).
    pub by_community: Vec<Vec<Entity>>,
    /// Current vulnerable natives of each community.
    pub vulnerable: Vec<Vec<Entity>>,
}

pub fn install(world: &mut World) {
    rng::insert::<PopulationStream>(world);
    let scenario = world.resource::<Params>().0.clone();
    let town = &scenario.town;
    let n_grids_per = town.grids_per_community;
    let mut rng = world
        .remove_resource::<Rng<PopulationStream>>()
        .expect("inserted above");
    let r = &mut rng.stream;
    let thresholds = &scenario.behaviour.participation.thresholds;
    let normal = match thresholds {
        Thresholds::Normal { mean, sd } => Normal::new(*mean, *sd).ok(),
        _ => None,
    };
    let mut grid_counts = vec![0u32; town.n_grids() as usize];
    let mut by_community: Vec<Vec<Entity>> = vec![Vec::new(); town.communities as usize];
    let mut population = Population::default();
    let mut vulnerable_by_community: Vec<Vec<Entity>> = vec![Vec::new(); town.communities as usize];
    // Draw every resident first, in kind order (the order of explicit threshold lists), then
    // spawn them sorted by community and grid: neighbours and ties then sit close together in
    // memory, so the daily passes and the tie lookups stay in cache at a million residents.
    let mut drawn = Vec::with_capacity(town.n_residents() as usize);
    let mut i = 0usize;
    for kind in ResidentKind::ALL {
        for _ in 0..town.residents[kind.index()] {
            let community = r.random_range(0..town.communities);
            let grid = community * n_grids_per + r.random_range(0..n_grids_per);
            grid_counts[grid as usize] += 1;
            let threshold = match thresholds {
                Thresholds::Explicit(list) => list[i],
                _ => draw_threshold(thresholds, &normal, r),
            };
            let bundle = new_resident(&scenario, kind, community, grid, threshold, r);
            let vulnerable =
                kind == ResidentKind::Native && r.random_bool(town.vulnerable_native_share);
            drawn.push((grid, i, Some(bundle), vulnerable));
            i += 1;
        }
    }
    let mut order: Vec<(u32, usize)> = drawn.iter().map(|d| (d.0, d.1)).collect();
    order.sort_unstable();
    let mut entity = vec![Entity::PLACEHOLDER; drawn.len()];
    for (_, j) in order {
        let vulnerable = drawn[j].3;
        let Some(bundle) = drawn[j].2.take() else {
            continue;
        };
        // Ties are wired below, in place: an empty list now keeps every resident in the table
        // it is spawned into.
        let mut e = world.spawn((bundle, Ties(Box::new([]))));
        if vulnerable {
            e.insert(Vulnerable {
                last_visit_day: -1_000,
            });
        }
        entity[j] = e.id();
    }
    for (j, (grid, _, _, vulnerable)) in drawn.iter().enumerate() {
        let c = (grid / n_grids_per) as usize;
        let e = entity[j];
        if *vulnerable {
            vulnerable_by_community[c].push(e);
        }
        by_community[c].push(e);
        population.residents.push(e);
    }
    wire_ties(
        world,
        &by_community,
        town.ties_per_resident as usize,
        town.tie_rewire_share,
        r,
    );
    world.insert_resource(rng);
    // The running sums, and each grid's mean reporting propensity, so residents report from
    // the first day on.
    let reporting = scenario.behaviour.reporting;
    let sums = ResidentSums::recount(
        grid_counts.len(),
        &reporting,
        population.residents.iter().map(|&e| {
            (
                world.get::<Resident>(e).expect("resident"),
                world.get::<Attitudes>(e).expect("attitudes"),
            )
        }),
    );
    let grid_report = sums.grid_report.clone();
    let map = world.resource::<TownMap>().grids.clone();
    for (g, e) in map.into_iter().enumerate() {
        let mut cell = world.get_mut::<GridCell>(e).expect("grid entity");
        cell.residents = grid_counts[g];
        cell.report_prob_mean = if grid_counts[g] > 0 {
            grid_report[g] / grid_counts[g] as f64
        } else {
            0.0
        };
    }
    population.by_community = by_community;
    population.vulnerable = vulnerable_by_community;
    world.insert_resource(population);
    world.insert_resource(sums);
}

/// The participation threshold of a new resident (not for explicit lists).
pub fn draw_threshold(
    thresholds: &Thresholds,
    normal: &Option<Normal<f64>>,
    r: &mut rng::Stream,
) -> f64 {
    match thresholds {
        Thresholds::Explicit(list) => list.iter().sum::<f64>() / list.len().max(1) as f64,
        Thresholds::Uniform { low, high } => r.random_range(*low..=*high),
        Thresholds::Normal { mean, .. } => match normal {
            Some(n) => n.sample(r).clamp(0.0, 1.0),
            None => *mean,
        },
    }
}

/// The components of a new resident with the scenario's initial attitudes.
pub fn new_resident(
    scenario: &crate::scenario::Scenario,
    kind: ResidentKind,
    community: u32,
    grid: u32,
    threshold: f64,
    r: &mut rng::Stream,
) -> (Resident, Attitudes, Participation, Experience, Contribution) {
    let init = &scenario.behaviour.initial;
    let vol = &scenario.behaviour.volunteering;
    let k = kind.index();
    let spread = init.spread;
    let mut jitter =
        |mean: f64| (mean + r.random_range(-1.0..=1.0) * spread).clamp(0.0, 1.0) as f32;
    let attitudes = Attitudes {
        satisfaction: jitter(init.satisfaction[k]),
        trust: jitter(init.trust[k]),
        efficacy: jitter(init.efficacy[k]),
    };
    let level = r.random_range(vol.initial_low..=vol.initial_high) as f32;
    let intrinsic = (r.sample::<f64, _>(rand_distr::Exp1) * vol.intrinsic_mean).min(1.0) as f32;
    (
        Resident {
            kind,
            community,
            grid,
            employer: None,
            unemployed: false,
        },
        attitudes,
        Participation {
            threshold,
            participating: false,
        },
        Experience::default(),
        Contribution { level, intrinsic },
    )
}

/// A small-world network inside each community: a ring lattice of `k` neighbours with a share
/// of ties rewired to random members (Watts and Strogatz 1998).
fn wire_ties(
    world: &mut World,
    by_community: &[Vec<Entity>],
    k: usize,
    rewire: f64,
    r: &mut rng::Stream,
) {
    for members in by_community {
        // Residents were spawned kind by kind: shuffle, so that ring neighbours are not all of
        // one kind.
        let mut members = members.clone();
        for i in (1..members.len()).rev() {
            members.swap(i, r.random_range(0..=i));
        }
        let n = members.len();
        for (pos, &e) in members.iter().enumerate() {
            let k_here = k.min(n.saturating_sub(1));
            let mut ties = Vec::with_capacity(k_here);
            for step in 0..k_here {
                let offset = step / 2 + 1;
                let j = if step % 2 == 0 {
                    (pos + offset) % n
                } else {
                    (pos + n - offset % n) % n
                };
                let j = if rewire > 0.0 && r.random_bool(rewire) {
                    let pick = r.random_range(0..n - 1);
                    if pick >= pos { pick + 1 } else { pick }
                } else {
                    j
                };
                ties.push(members[j]);
            }
            if let Some(mut t) = world.get_mut::<Ties>(e) {
                t.0 = ties.into_boxed_slice();
            }
        }
    }
}

/// Running totals over the residents, kept by every system that changes a resident, so that
/// the daily indicators need no pass over all residents: a day where nothing happens to a
/// resident costs that resident nothing. Outcomes update them by difference; the monthly
/// leaving check and each participation round (full passes anyway) recount them exactly,
/// which also bounds rounding drift.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ResidentSums {
    pub n: [u64; 4],
    pub satisfaction: [f64; 4],
    pub trust: [f64; 4],
    pub efficacy: f64,
    /// Reporting propensity, in all and per grid.
    pub report: f64,
    pub grid_report: Vec<f64>,
    /// Residents laid off and not hired again.
    pub unemployed: u64,
}

impl ResidentSums {
    /// Counts every resident afresh.
    pub fn recount<'a>(
        n_grids: usize,
        reporting: &crate::scenario::Reporting,
        residents: impl Iterator<Item = (&'a Resident, &'a Attitudes)>,
    ) -> Self {
        let mut sums = ResidentSums {
            grid_report: vec![0.0; n_grids],
            ..Default::default()
        };
        for (res, att) in residents {
            sums.add(res, att, reporting);
        }
        sums
    }

    /// A resident who arrived.
    pub fn add(&mut self, res: &Resident, att: &Attitudes, reporting: &crate::scenario::Reporting) {
        self.n[res.kind.index()] += 1;
        self.unemployed += res.unemployed as u64;
        self.shift(res, att, reporting, 1.0);
    }

    /// A resident whose attitudes changed from `old` to `new`.
    pub fn change(
        &mut self,
        res: &Resident,
        old: &Attitudes,
        new: &Attitudes,
        reporting: &crate::scenario::Reporting,
    ) {
        self.shift(res, old, reporting, -1.0);
        self.shift(res, new, reporting, 1.0);
    }

    fn shift(
        &mut self,
        res: &Resident,
        att: &Attitudes,
        reporting: &crate::scenario::Reporting,
        sign: f64,
    ) {
        let k = res.kind.index();
        self.satisfaction[k] += sign * att.satisfaction as f64;
        self.trust[k] += sign * att.trust as f64;
        self.efficacy += sign * att.efficacy as f64;
        let p = sign * report_prob(att, reporting);
        self.report += p;
        if let Some(g) = self.grid_report.get_mut(res.grid as usize) {
            *g += p;
        }
    }
}

/// The chance that this resident reports an incident they witness.
pub fn report_prob(a: &Attitudes, reporting: &crate::scenario::Reporting) -> f64 {
    (reporting.base
        + reporting.trust_weight * a.trust as f64
        + reporting.efficacy_weight * a.efficacy as f64)
        .clamp(0.0, 1.0)
}

/// A value per resident, looked up by entity in a dense array (by entity index, checked
/// against the entity so a tie to someone who left finds nothing): tie lookups then cost an
/// array read instead of a query lookup per tie.
pub(crate) struct ByEntity<T: Copy> {
    slots: Vec<(Entity, T)>,
}

impl<T: Copy> ByEntity<T> {
    pub(crate) fn new(items: impl Iterator<Item = (Entity, T)>, empty: T) -> Self {
        let mut slots = Vec::new();
        for (e, v) in items {
            let i = e.index_u32() as usize;
            if i >= slots.len() {
                slots.resize(i + 1, (Entity::PLACEHOLDER, empty));
            }
            slots[i] = (e, v);
        }
        ByEntity { slots }
    }

    pub(crate) fn get(&self, e: Entity) -> Option<T> {
        self.slots
            .get(e.index_u32() as usize)
            .filter(|(x, _)| *x == e)
            .map(|(_, v)| *v)
    }

    pub(crate) fn set(&mut self, e: Entity, v: T) {
        if let Some(slot) = self.slots.get_mut(e.index_u32() as usize)
            && slot.0 == e
        {
            slot.1 = v;
        }
    }
}
