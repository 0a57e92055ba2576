//! Checks a decoded saved state before anything is built from it: a state file is user input.
//!
//! The bytes carry a checksum (any changed or missing byte is refused before decoding); the
//! scenario the run started from is checked for the sizes the world is built with, and the
//! scenario in force may differ from it only in its levers (as a branch may); then every
//! entity's indices are checked against the town (communities, grids, parks, matters,
//! categories) and the town's index resources against the entities they index. What the model
//! adds later is covered through these relations, not field by field: a new resource is checked
//! by the checksum and by decoding, a new index into the town belongs here.

use std::collections::BTreeSet;

use bevy_ecs::prelude::Entity;

use super::cases::MAX_TASKS;
use super::matters::N_MATTERS;
use super::residents::Population;
use super::service_match::N_CATEGORIES;
use super::state::{SavedEntity, StateError};
use super::town::TownMap;
use crate::scenario::{MAX_GRIDS, MAX_RESIDENTS, MAX_TIMELINE_ENTRIES, Scenario};

/// 64-bit FNV-1a of `bytes`: the saved state's checksum.
pub(super) fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn corrupt(message: String) -> StateError {
    StateError::Corrupt(message)
}

/// The sizes the world is rebuilt with, and the levers-only difference of the scenario in
/// force.
pub(super) fn check_scenarios(
    started_from: &Scenario,
    in_force: &Scenario,
) -> Result<(), StateError> {
    let t = &started_from.town;
    if t.communities == 0 || t.communities > 10_000 {
        return Err(corrupt(format!(
            "its town has {} communities (must be between 1 and 10000)",
            t.communities
        )));
    }
    if t.grids_per_community == 0 || t.grids_per_community > 1_000 {
        return Err(corrupt(format!(
            "its town has {} grids per community (must be between 1 and 1000)",
            t.grids_per_community
        )));
    }
    let grids = u64::from(t.communities) * u64::from(t.grids_per_community);
    if grids > u64::from(MAX_GRIDS) {
        return Err(corrupt(format!(
            "its town has {grids} grids (at most {MAX_GRIDS})"
        )));
    }
    if t.parks > 10_000 {
        return Err(corrupt(format!(
            "its town has {} parks (at most 10000)",
            t.parks
        )));
    }
    if t.n_residents() > MAX_RESIDENTS {
        return Err(corrupt(format!(
            "its town has {} residents (at most {MAX_RESIDENTS})",
            t.n_residents()
        )));
    }
    if t.ties_per_resident > 50 {
        return Err(corrupt(format!(
            "its town has {} ties per resident (at most 50)",
            t.ties_per_resident
        )));
    }
    if t.enterprises.iter().any(|&n| n > 1_000_000) {
        return Err(corrupt(
            "its town has more than 1000000 firms of one size".into(),
        ));
    }
    for s in [started_from, in_force] {
        if !(1..=36_500).contains(&s.days) {
            return Err(corrupt(format!(
                "its scenario runs {} days (1 to 36500)",
                s.days
            )));
        }
        if s.timeline.len() > MAX_TIMELINE_ENTRIES {
            return Err(corrupt(format!(
                "its timeline has {} entries (at most {MAX_TIMELINE_ENTRIES})",
                s.timeline.len()
            )));
        }
        if !(1..=8).contains(&s.needs.max_tasks) {
            return Err(corrupt(format!(
                "its scenario has max_tasks {} (1 to 8)",
                s.needs.max_tasks
            )));
        }
    }
    check_values(started_from, "the scenario it started from")?;
    check_values(in_force, "the scenario in force")?;
    super::check_branch(started_from, in_force).map_err(|e| {
        corrupt(format!(
            "the scenario in force is not the one the run started from with other levers: {e}"
        ))
    })
}

/// Every number of a carried scenario finite and within its parameter's range (the ranges of
/// `towngov params`, looked up by path; a timeline entry's policy like the base policy), as if
/// the scenario had been loaded from its file.
fn check_values(s: &Scenario, which: &str) -> Result<(), StateError> {
    let value = serde_json::to_value(s).map_err(|e| corrupt(format!("{which}: {e}")))?;
    // JSON has no NaN or infinity: a non-finite number becomes null, which no longer reads as
    // the number it should be.
    if serde_json::from_value::<Scenario>(value.clone()).is_err() {
        return Err(corrupt(format!(
            "{which} holds a number that is not finite (NaN or infinite)"
        )));
    }
    let timeline = value["timeline"].as_array().map_or(0, Vec::len);
    for spec in crate::scenario::param_specs() {
        let Some((low, high)) = spec.range.split_once(" to ") else {
            continue;
        };
        let (Ok(low), Ok(high)) = (low.parse::<f64>(), high.parse::<f64>()) else {
            continue;
        };
        let mut places = vec![spec.path.clone()];
        if let Some(rest) = spec.path.strip_prefix("policy.") {
            places.extend((0..timeline).map(|i| format!("timeline.{i}.policy.{rest}")));
        }
        for place in places {
            let at = place
                .split('.')
                .try_fold(&value, |v, key| match key.parse::<usize>() {
                    Ok(i) => v.get(i),
                    Err(_) => v.get(key),
                });
            if let Some(x) = at.and_then(serde_json::Value::as_f64)
                && !(low..=high).contains(&x)
            {
                return Err(corrupt(format!(
                    "{which} has {place} = {x} (must be between {low} and {high})"
                )));
            }
        }
    }
    Ok(())
}

/// A value of an entity outside its domain.
fn out_of(i: usize, what: &str, field: &str, x: f64, domain: &str) -> StateError {
    corrupt(format!(
        "entity {i} ({what}) has {field} = {x} (must be {domain})"
    ))
}

/// `x` finite and in [0, 1].
fn share(i: usize, what: &str, field: &str, x: f64) -> Result<(), StateError> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(out_of(i, what, field, x, "between 0 and 1"))
    }
}

/// `x` finite and at least 0 (with `or_nan`, NaN too: a time not reached yet).
fn time(i: usize, what: &str, field: &str, x: f64, or_nan: bool) -> Result<(), StateError> {
    if (x.is_finite() && x >= 0.0) || (or_nan && x.is_nan()) {
        Ok(())
    } else {
        Err(out_of(i, what, field, x, "a number of at least 0"))
    }
}

/// The values of an entity's components within their domains.
fn check_values_of(i: usize, saved: &SavedEntity) -> Result<(), StateError> {
    match saved {
        SavedEntity::Resident {
            attitudes: a,
            participation: p,
            contribution: c,
            ..
        } => {
            let r = "a resident";
            share(i, r, "satisfaction", f64::from(a.satisfaction))?;
            share(i, r, "trust", f64::from(a.trust))?;
            share(i, r, "efficacy", f64::from(a.efficacy))?;
            share(i, r, "volunteering level", f64::from(c.level))?;
            if !p.threshold.is_finite() {
                return Err(out_of(i, r, "threshold", p.threshold, "a finite number"));
            }
            if !c.intrinsic.is_finite() {
                let x = f64::from(c.intrinsic);
                return Err(out_of(i, r, "intrinsic volunteering", x, "a finite number"));
            }
        }
        SavedEntity::Case(c) => {
            let w = "a case";
            time(i, w, "created_at", c.created_at, false)?;
            time(i, w, "discovered_at", c.discovered_at, true)?;
            time(i, w, "queued_at", c.queued_at, true)?;
            time(i, w, "wait_days", c.wait_days, false)?;
        }
        SavedEntity::Firm(f) => {
            let w = "a firm";
            time(i, w, "revenue_yuan", f.revenue_yuan, false)?;
            share(i, w, "awareness", f64::from(f.awareness))?;
            share(i, w, "stickiness", f64::from(f.stickiness))?;
            share(i, w, "service_score", f64::from(f.service_score))?;
        }
        SavedEntity::Grid(g) => share(i, "a grid", "report_prob_mean", g.report_prob_mean)?,
        SavedEntity::Community(_) | SavedEntity::Park(_) => {}
    }
    Ok(())
}

/// Every entity's indices against the town, and the town's indexes against the entities.
pub(super) fn check_world(
    s: &Scenario,
    entities: &[(Entity, SavedEntity)],
    town_map: &TownMap,
    population: &Population,
) -> Result<(), StateError> {
    let communities = s.town.communities;
    let grids = s.town.communities * s.town.grids_per_community;
    let parks = s.town.parks;
    let mut seen = BTreeSet::new();
    // Residents counted by grid, and each resident's community, from the entities.
    let mut per_grid = vec![0u64; grids as usize];
    let mut community_of = std::collections::BTreeMap::new();
    let (mut n_communities, mut n_grids, mut n_parks, mut n_residents) = (0u64, 0u64, 0u64, 0u64);
    let place = |what: &str, i: usize, community: u32, grid: u32| -> Result<(), StateError> {
        if community >= communities || grid >= grids {
            return Err(corrupt(format!(
                "entity {i} ({what}) is in community {community}, grid {grid}; the town has {communities} communities and {grids} grids"
            )));
        }
        Ok(())
    };
    for (i, (id, saved)) in entities.iter().enumerate() {
        if !seen.insert(*id) {
            return Err(corrupt(format!(
                "entity {i} repeats the id of an earlier one"
            )));
        }
        check_values_of(i, saved)?;
        match saved {
            SavedEntity::Resident { resident, .. } => {
                n_residents += 1;
                place("a resident", i, resident.community, resident.grid)?;
                per_grid[resident.grid as usize] += 1;
                community_of.insert(*id, resident.community);
            }
            SavedEntity::Case(c) => {
                place("a case", i, c.community, c.grid)?;
                let n = usize::from(c.n_tasks);
                if n == 0
                    || n > MAX_TASKS
                    || usize::from(c.next_task) > n
                    || c.tasks[..n].iter().any(|&m| u32::from(m) >= N_MATTERS)
                    || usize::from(c.category) >= N_CATEGORIES
                {
                    return Err(corrupt(format!(
                        "entity {i} (case {}) has {} tasks, next {}, category {}: matters must be below {N_MATTERS}, at most {MAX_TASKS} tasks, categories below {N_CATEGORIES}",
                        c.id, c.n_tasks, c.next_task, c.category
                    )));
                }
                if !c.created_at.is_finite() {
                    return Err(corrupt(format!(
                        "entity {i} (case {}) has a time that is not a number",
                        c.id
                    )));
                }
            }
            SavedEntity::Firm(f) => place("a firm", i, f.community, f.grid)?,
            SavedEntity::Community(c) => {
                n_communities += 1;
                if c.idx >= communities {
                    return Err(corrupt(format!(
                        "entity {i} is community {} of {communities}",
                        c.idx
                    )));
                }
            }
            SavedEntity::Grid(g) => {
                n_grids += 1;
                place("a grid", i, g.community, g.idx)?;
            }
            SavedEntity::Park(p) => {
                n_parks += 1;
                if p.idx >= parks || p.community >= communities {
                    return Err(corrupt(format!(
                        "entity {i} is park {} in community {}; the town has {parks} parks",
                        p.idx, p.community
                    )));
                }
            }
        }
    }
    let expect = |what: &str, found: u64, want: u64| -> Result<(), StateError> {
        if found != want {
            return Err(corrupt(format!(
                "it holds {found} {what}; the town has {want}"
            )));
        }
        Ok(())
    };
    expect("communities", n_communities, u64::from(communities))?;
    expect("grids", n_grids, u64::from(grids))?;
    expect("parks", n_parks, u64::from(parks))?;
    expect(
        "communities in its map",
        town_map.communities.len() as u64,
        u64::from(communities),
    )?;
    expect(
        "grids in its map",
        town_map.grids.len() as u64,
        u64::from(grids),
    )?;
    expect(
        "parks in its map",
        town_map.parks.len() as u64,
        u64::from(parks),
    )?;
    expect(
        "communities in its population",
        population.by_community.len() as u64,
        u64::from(communities),
    )?;
    expect(
        "communities of vulnerable natives",
        population.vulnerable.len() as u64,
        u64::from(communities),
    )?;
    expect(
        "residents at the start in its population",
        population.residents.len() as u64,
        s.town.n_residents(),
    )?;
    let listed: u64 = population.by_community.iter().map(|c| c.len() as u64).sum();
    if listed > n_residents {
        return Err(corrupt(format!(
            "its communities list {listed} residents; it holds {n_residents}"
        )));
    }
    for (c, list) in population.by_community.iter().enumerate() {
        if let Some(e) = list
            .iter()
            .find(|e| community_of.get(*e) != Some(&(c as u32)))
        {
            return Err(corrupt(format!(
                "community {c} lists {e:?}, which is not one of its residents"
            )));
        }
    }
    for (i, (_, saved)) in entities.iter().enumerate() {
        if let SavedEntity::Grid(g) = saved
            && u64::from(g.residents) != per_grid[g.idx as usize]
        {
            return Err(corrupt(format!(
                "entity {i} (grid {}) counts {} residents; {} residents live in it",
                g.idx, g.residents, per_grid[g.idx as usize]
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::state::{self, SavedWorld};
    use crate::sim::{SimOptions, Simulation};

    /// A classroom-sized town saved after 20 days, changed by `edit` and saved again with a
    /// correct checksum: what a hand-made state looks like.
    fn hand_made(edit: impl FnOnce(&mut SavedWorld)) -> Result<Simulation, StateError> {
        let mut s = Scenario::default_town();
        s.town.residents = [100, 80, 60, 20];
        let mut sim = Simulation::new(&s, 3, SimOptions::default());
        for _ in 0..20 {
            sim.step();
        }
        let bytes = state::reencode(&sim.save_state().unwrap(), edit);
        Simulation::from_state(&bytes, None, SimOptions::default())
    }

    fn refused(edit: impl FnOnce(&mut SavedWorld), expect: &str) {
        match hand_made(edit) {
            Ok(_) => panic!("accepted a state that should say {expect:?}"),
            Err(e) => assert!(e.to_string().contains(expect), "{e} lacks {expect:?}"),
        }
    }

    #[test]
    fn hand_made_states_are_checked_against_their_town() {
        if let Err(e) = hand_made(|_| {}) {
            panic!("the untouched state is refused: {e}");
        }
        refused(|w| w.started_from.town.communities = 0, "0 communities");
        refused(
            |w| w.started_from.town.residents[0] = 20_000_000,
            "at most 20000000",
        );
        refused(
            |w| w.started_from.town.residents[0] = 5_000_000,
            "differs from the saved run's in town.residents",
        );
        refused(
            |w| {
                let (_, bytes) = w
                    .resources
                    .iter_mut()
                    .find(|(k, _)| k.ends_with("::Population"))
                    .expect("saved");
                let mut p: Population = postcard::from_bytes(bytes).unwrap();
                p.residents.pop();
                *bytes = postcard::to_stdvec(&p).unwrap();
            },
            "259 residents at the start in its population; the town has 260",
        );
        refused(|w| w.started_from.town.parks += 1, "town.parks");
        refused(
            |w| {
                for (_, e) in &mut w.entities {
                    if let SavedEntity::Resident { resident, .. } = e {
                        resident.grid = 1_000;
                        break;
                    }
                }
            },
            "(a resident) is in community",
        );
        refused(
            |w| {
                for (_, e) in &mut w.entities {
                    if let SavedEntity::Case(c) = e {
                        c.n_tasks = 9;
                        break;
                    }
                }
            },
            "at most 8 tasks",
        );
        refused(
            |w| {
                let first = w.entities[0].0;
                w.entities[1].0 = first;
            },
            "repeats the id",
        );
        refused(
            |w| {
                w.entities
                    .retain(|(_, e)| !matches!(e, SavedEntity::Grid(_)));
            },
            "grids",
        );
    }

    /// The first saved entity `pick` accepts, changed by `edit`.
    fn first<T>(
        w: &mut SavedWorld,
        pick: impl Fn(&mut SavedEntity) -> Option<&mut T>,
        edit: impl FnOnce(&mut T),
    ) {
        let found = w.entities.iter_mut().find_map(|(_, e)| pick(e));
        edit(found.expect("the town has one"));
    }

    fn resident(e: &mut SavedEntity) -> Option<&mut SavedEntity> {
        matches!(e, SavedEntity::Resident { .. }).then_some(e)
    }

    /// Issue 16 item 2: a hand-made state with a correct checksum whose fields are out of their
    /// domain or disagree with the entities is refused, the message naming the field. Every
    /// row is resealed (`hand_made` recomputes the checksum), so the checksum catches none.
    #[test]
    fn hand_made_states_with_values_out_of_their_domain_are_refused() {
        type Edit = Box<dyn FnOnce(&mut SavedWorld)>;
        let attitudes = |f: fn(&mut crate::sim::residents::Attitudes)| -> Edit {
            Box::new(move |w| {
                first(w, resident, |e| {
                    if let SavedEntity::Resident { attitudes, .. } = e {
                        f(attitudes);
                    }
                })
            })
        };
        let case = |f: fn(&mut crate::sim::cases::Case)| -> Edit {
            Box::new(move |w| {
                first(
                    w,
                    |e| {
                        if let SavedEntity::Case(c) = e {
                            Some(c)
                        } else {
                            None
                        }
                    },
                    f,
                )
            })
        };
        let firm = |f: fn(&mut crate::sim::enterprises::Firm)| -> Edit {
            Box::new(move |w| {
                first(
                    w,
                    |e| {
                        if let SavedEntity::Firm(x) = e {
                            Some(x)
                        } else {
                            None
                        }
                    },
                    f,
                )
            })
        };
        let table: Vec<(&str, Edit, &str)> = vec![
            (
                "NaN satisfaction",
                attitudes(|a| a.satisfaction = f32::NAN),
                "(a resident) has satisfaction = NaN (must be between 0 and 1)",
            ),
            ("trust of 3", attitudes(|a| a.trust = 3.0), "has trust = 3"),
            (
                "negative efficacy",
                attitudes(|a| a.efficacy = -0.5),
                "efficacy = -0.5",
            ),
            (
                "a negative wait",
                case(|c| c.wait_days = -2.0),
                "wait_days = -2",
            ),
            (
                "an infinite time",
                case(|c| c.created_at = f64::INFINITY),
                "created_at = inf",
            ),
            (
                "stickiness of 3",
                firm(|f| f.stickiness = 3.0),
                "stickiness = 3",
            ),
            (
                "NaN revenue",
                firm(|f| f.revenue_yuan = f64::NAN),
                "revenue_yuan = NaN",
            ),
            (
                "a grid's count",
                Box::new(|w| {
                    first(
                        w,
                        |e| {
                            if let SavedEntity::Grid(g) = e {
                                Some(g)
                            } else {
                                None
                            }
                        },
                        |g| g.residents += 1,
                    )
                }),
                "residents live in it",
            ),
            (
                "a resident listed in another community",
                Box::new(|w| {
                    let (_, bytes) = w
                        .resources
                        .iter_mut()
                        .find(|(k, _)| k.ends_with("::Population"))
                        .expect("saved");
                    let mut p: Population = postcard::from_bytes(bytes).unwrap();
                    let moved = p.by_community[0].pop().unwrap();
                    p.by_community[1].push(moved);
                    *bytes = postcard::to_stdvec(&p).unwrap();
                }),
                "community 1 lists",
            ),
            (
                "a probability of 3 in the scenario",
                Box::new(|w| w.started_from.policy.platform.integration = 3.0),
                "the scenario it started from has policy.platform.integration = 3 (must be between 0 and 1)",
            ),
            (
                "a share of 3 in a timeline entry",
                Box::new(|w| {
                    let mut policy = w.started_from.policy.clone();
                    policy.platform.integration = 3.0;
                    w.started_from
                        .timeline
                        .push(crate::scenario::Reform { day: 50, policy });
                }),
                "timeline.0.policy.platform.integration = 3",
            ),
            (
                "a NaN in the scenario",
                Box::new(|w| w.started_from.town.tie_rewire_share = f64::NAN),
                "holds a number that is not finite",
            ),
        ];
        for (what, edit, expect) in table {
            match hand_made(edit) {
                Ok(_) => panic!("{what}: accepted"),
                Err(e) => assert!(
                    e.to_string().contains(expect),
                    "{what}: {e} lacks {expect:?}"
                ),
            }
        }
    }

    #[test]
    fn checksum_is_fnv1a() {
        assert_eq!(checksum(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(checksum(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn a_town_without_communities_or_with_other_town_is_refused() {
        let s = Scenario::default_town();
        assert!(check_scenarios(&s, &s).is_ok());
        let mut none = s.clone();
        none.town.communities = 0;
        let e = check_scenarios(&none, &none).unwrap_err().to_string();
        assert!(e.contains("0 communities"), "{e}");
        let mut other = s.clone();
        other.town.parks += 1;
        let e = check_scenarios(&s, &other).unwrap_err().to_string();
        assert!(e.contains("town.parks"), "{e}");
        let mut huge = s.clone();
        huge.town.residents = [u32::MAX; 4];
        assert!(check_scenarios(&huge, &huge).is_err());
    }
}
