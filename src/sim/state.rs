//! Saved states: the whole world at the end of a day (every resource, every entity with its
//! components, every random stream's position), as bytes the outer layer writes to a file.
//!
//! A restore rebuilds the world for the saved scenario (so the same tables exist in the same
//! order), removes the freshly built entities and spawns the saved ones table by table, row by
//! row: queries then visit entities in the same order as in the world that was saved. Entity
//! ids differ after a restore, so every stored reference is mapped through [`IdMap`]; nothing in
//! the model orders by entity id (ties are broken by sequence numbers and case ids), so the
//! continued run gives the same numbers as the unbroken one.

use bevy_ecs::entity::EntityHashMap;
use bevy_ecs::prelude::*;
use bevy_ecs::resource::IsResource;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::cases::{Case, CaseBook};
use super::clock::{Clock, Params};
use super::enterprises::{Economy, Exceptions, Firm};
use super::residents::{
    Attitudes, Contribution, Experience, Participation, Population, Resident, Ties, Vulnerable,
};
use super::rng::{Rng, StreamName};
use super::state_check;
use super::town::{Community, GridCell, Park, TownMap};
use super::*;
use crate::scenario::Scenario;

/// Bumped whenever the layout of a saved state changes (2: a checksum after the body; cases,
/// departments and the unseen incidents gained fields; 3: residents decide whether to bring a
/// need, the consequences' monthly tally; the service match, the summons, the social
/// organisations, the centres and the finished-case outcomes gained fields; the financing
/// fund is a stock; 4: the `channels`, `grid`, `operator`, `dispatch` and `departments` streams
/// left the state, their decisions being keyed draws with no position to save, issue 14 item 6).
/// A state of another format is refused with `StateError::Version`, which names both formats.
pub const FORMAT: u32 = 4;
const MAGIC: &[u8; 16] = b"towngov-state\0\0\x01";

/// Why a state could not be saved or restored.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("not a towngov saved state")]
    NotAState,
    #[error(
        "the state was saved by towngov {saved} (format {format}); this is towngov {this} (format {FORMAT}): run the warm-up again with this version"
    )]
    Version {
        saved: String,
        format: u32,
        this: String,
    },
    #[error("the saved state is damaged: {0}")]
    Corrupt(String),
    #[error("{0} is part of the world but not of saved states (a bug: add it to state.rs)")]
    NotCovered(String),
    #[error("{0}")]
    TownDiffers(String),
}

/// Stored entity references, rewritten after a restore from old ids to new ones.
pub trait MapIds {
    fn map_ids(&mut self, map: &IdMap);
}

/// Old entity id -> new entity id. An id of an entity that no longer existed when the state was
/// saved maps to [`Entity::PLACEHOLDER`], which no query finds, just as the stale id was.
pub struct IdMap(EntityHashMap<Entity>);

impl IdMap {
    pub fn get(&self, e: Entity) -> Entity {
        self.0.get(&e).copied().unwrap_or(Entity::PLACEHOLDER)
    }

    pub fn option(&self, e: &mut Option<Entity>) {
        if let Some(x) = e {
            *x = self.get(*x);
        }
    }

    pub fn all<'a>(&self, es: impl IntoIterator<Item = &'a mut Entity>) {
        for e in es {
            *e = self.get(*e);
        }
    }
}

/// One entity and its components, by kind.
#[derive(Serialize, Deserialize)]
pub(super) enum SavedEntity {
    Resident {
        resident: Resident,
        attitudes: Attitudes,
        participation: Participation,
        experience: Experience,
        contribution: Contribution,
        ties: Option<Ties>,
        vulnerable: Option<Vulnerable>,
    },
    Case(Case),
    Firm(Firm),
    Community(Community),
    Grid(GridCell),
    Park(Park),
}

#[derive(Serialize, Deserialize)]
pub(super) struct SavedWorld {
    pub(super) format: u32,
    pub(super) towngov_version: String,
    /// The scenario the run started from (the world is rebuilt from it before the restore).
    pub(super) started_from: Scenario,
    pub(super) resources: Vec<(String, Vec<u8>)>,
    /// Entities in table order, each with its old id.
    pub(super) entities: Vec<(Entity, SavedEntity)>,
}

/// `bytes` with its trailing checksum rewritten to match its body (for fuzzing the checks
/// behind the checksum); bytes too short to hold one are returned as they are.
pub fn reseal(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if let Some(rest) = bytes.strip_prefix(MAGIC)
        && let Some(split) = rest.len().checked_sub(8)
    {
        let sum = state_check::checksum(&rest[..split]);
        let at = MAGIC.len() + split;
        out[at..].copy_from_slice(&sum.to_le_bytes());
    }
    out
}

/// `bytes` decoded, changed by `edit` and encoded again with a correct checksum (tests make
/// hand-made states with it).
#[cfg(test)]
pub(super) fn reencode(bytes: &[u8], edit: impl FnOnce(&mut SavedWorld)) -> Vec<u8> {
    let mut state = decode(bytes).expect("a genuine state");
    edit(&mut state);
    let mut out = MAGIC.to_vec();
    postcard::to_io(&state, &mut out).expect("encodes");
    let sum = state_check::checksum(&out[MAGIC.len()..]);
    out.extend_from_slice(&sum.to_le_bytes());
    out
}

/// What a restore needs to know beyond the bytes.
pub struct Restored {
    pub world: World,
    pub plan: DayPlan,
}

/// Saves `world` as bytes.
pub fn save(world: &World, started_from: &Scenario) -> Result<Vec<u8>, StateError> {
    let mut saver = Saver {
        world,
        out: Vec::new(),
        error: None,
    };
    visit_resources(&mut saver);
    if let Some(e) = saver.error {
        return Err(e);
    }
    check_resources_covered(world, &saver.out)?;
    let state = SavedWorld {
        format: FORMAT,
        towngov_version: crate::VERSION.to_string(),
        started_from: started_from.clone(),
        resources: saver.out,
        entities: save_entities(world)?,
    };
    let mut bytes = MAGIC.to_vec();
    postcard::to_io(&state, &mut bytes).map_err(|e| StateError::Corrupt(e.to_string()))?;
    let sum = state_check::checksum(&bytes[MAGIC.len()..]);
    bytes.extend_from_slice(&sum.to_le_bytes());
    Ok(bytes)
}

/// The scenario in force when the state was saved, and the one the run started from.
pub fn scenarios(bytes: &[u8]) -> Result<(Scenario, Scenario), StateError> {
    let state = decode(bytes)?;
    let params = find::<Params>(&state.resources)?;
    state_check::check_scenarios(&state.started_from, &params.0)?;
    Ok((params.0, state.started_from))
}

/// Rebuilds the world saved in `bytes`. The schedule comes from the saved scenario.
pub fn restore(bytes: &[u8], options: SimOptions) -> Result<Restored, StateError> {
    let state = decode(bytes)?;
    let clock = find::<Clock>(&state.resources)?;
    let params = find::<Params>(&state.resources)?;
    state_check::check_scenarios(&state.started_from, &params.0)?;
    state_check::check_world(
        &state.started_from,
        &state.entities,
        &find::<TownMap>(&state.resources)?,
        &find::<Population>(&state.resources)?,
    )?;
    let (mut world, plan) = build(&state.started_from, clock.master_seed, options);
    // Remove the freshly built entities; the tables they created stay, in the same order.
    let built: Vec<Entity> = world
        .query_filtered::<Entity, Without<IsResource>>()
        .iter(&world)
        .collect();
    for e in built {
        world.despawn(e);
    }
    let mut map = EntityHashMap::default();
    let mut spawned = Vec::with_capacity(state.entities.len());
    for (old, saved) in state.entities {
        let new = spawn(&mut world, saved);
        map.insert(old, new);
        spawned.push(new);
    }
    let map = IdMap(map);
    for e in spawned {
        map_components(&mut world, e, &map);
    }
    let mut loader = Loader {
        world: &mut world,
        saved: &state.resources,
        map: &map,
        error: None,
    };
    visit_resources(&mut loader);
    if let Some(e) = loader.error {
        return Err(e);
    }
    let mut book = world.resource_mut::<CaseBook>();
    book.log = options.keep_case_log.then(Vec::new);
    Ok(Restored { world, plan })
}

/// The magic, the format and version (another version is refused before anything else), the
/// checksum, then the body.
fn decode(bytes: &[u8]) -> Result<SavedWorld, StateError> {
    let rest = bytes.strip_prefix(MAGIC).ok_or(StateError::NotAState)?;
    let cut_short = || StateError::Corrupt("it is cut short".into());
    let ((format, version), _) =
        postcard::take_from_bytes::<(u32, String)>(rest).map_err(|_| cut_short())?;
    if format != FORMAT || version != crate::VERSION {
        return Err(StateError::Version {
            saved: crate::scenario::truncate_chars(&version, 40),
            format,
            this: crate::VERSION.to_string(),
        });
    }
    let split = rest.len().checked_sub(8).ok_or_else(cut_short)?;
    let (body, sum) = rest.split_at(split);
    let sum = u64::from_le_bytes(sum.try_into().map_err(|_| cut_short())?);
    if state_check::checksum(body) != sum {
        return Err(StateError::Corrupt(
            "its checksum does not match (the file was changed, cut short or written by something else)".into(),
        ));
    }
    postcard::from_bytes(body).map_err(|e| StateError::Corrupt(e.to_string()))
}

fn key<T>() -> String {
    std::any::type_name::<T>().to_string()
}

fn find<T: DeserializeOwned>(saved: &[(String, Vec<u8>)]) -> Result<T, StateError> {
    let k = key::<T>();
    let (_, bytes) = saved
        .iter()
        .find(|(name, _)| *name == k)
        .ok_or_else(|| StateError::Corrupt(format!("{k} is missing")))?;
    postcard::from_bytes(bytes).map_err(|e| StateError::Corrupt(format!("{k}: {e}")))
}

/// Every resource of the model, each once: the one list saving and loading both walk.
trait ResourceVisitor {
    fn plain<T: Resource + Serialize + DeserializeOwned>(&mut self);
    fn mapped<T: Resource + Serialize + DeserializeOwned + MapIds>(&mut self);
    fn stream<M: StreamName>(&mut self);
}

fn visit_resources(v: &mut impl ResourceVisitor) {
    v.plain::<Clock>();
    v.plain::<Params>();
    v.plain::<timeline::Timeline>();
    v.plain::<levers::Effective>();
    v.plain::<evaluation::Orientation>();
    v.plain::<clusters::ClusterMap>();
    v.plain::<service_match::ServiceMatch>();
    v.plain::<channels::ChannelUse>();
    v.plain::<grid::GridLoad>();
    v.plain::<psych::PsychServices>();
    v.plain::<deadlines::Safety>();
    v.plain::<authority::Summons>();
    v.plain::<joint_meetings::JointMeetings>();
    v.plain::<participation::Turnout>();
    v.plain::<participation::CommunityScores>();
    v.plain::<self_governance::SelfGovernments>();
    v.plain::<volunteering::Volunteers>();
    v.plain::<social_orgs::SocialOrgs>();
    v.plain::<migration::Moves>();
    v.plain::<budget::Ledger>();
    v.plain::<budget::Austerity>();
    v.plain::<consequences::Trouble>();
    v.plain::<indicators::History>();
    v.plain::<residents::ResidentSums>();
    v.mapped::<TownMap>();
    v.mapped::<Population>();
    v.mapped::<CaseBook>();
    v.mapped::<needs::NeedCalendar>();
    v.mapped::<channels::NewNeeds>();
    v.mapped::<deadlines::Deadlines>();
    v.mapped::<departments::Committee>();
    v.mapped::<dispatch::DispatchQueue>();
    v.mapped::<Economy>();
    v.mapped::<Exceptions>();
    v.mapped::<financing::FinancingBook>();
    v.mapped::<grid::GridInbox>();
    v.mapped::<grid::Unseen>();
    v.mapped::<mediation::MediationNet>();
    v.mapped::<operator::Centres>();
    v.mapped::<stewards::StewardDesk>();
    v.stream::<deadlines::DeadlinesStream>();
    v.stream::<enterprises::FirmsStream>();
    v.stream::<financing::FinancingStream>();
    v.stream::<incidents::IncidentsStream>();
    v.stream::<mediation::MediationStream>();
    v.stream::<migration::MigrationStream>();
    v.stream::<needs::NeedsStream>();
    v.stream::<needs::DemandStream>();
    v.stream::<psych::PsychStream>();
    v.stream::<residents::PopulationStream>();
    v.stream::<self_governance::SelfGovernanceStream>();
    v.stream::<service_match::ProfileStream>();
    v.stream::<social_orgs::ProjectsStream>();
    v.stream::<stewards::StewardsStream>();
    v.stream::<volunteering::VolunteeringStream>();
}

struct Saver<'w> {
    world: &'w World,
    out: Vec<(String, Vec<u8>)>,
    error: Option<StateError>,
}

impl Saver<'_> {
    fn put<T: Serialize>(&mut self, name: String, value: Option<&T>) {
        let Some(value) = value else {
            self.error
                .get_or_insert(StateError::Corrupt(format!("{name} is not in the world")));
            return;
        };
        match postcard::to_stdvec(value) {
            Ok(bytes) => self.out.push((name, bytes)),
            Err(e) => {
                self.error
                    .get_or_insert(StateError::Corrupt(format!("{name}: {e}")));
            }
        }
    }
}

impl ResourceVisitor for Saver<'_> {
    fn plain<T: Resource + Serialize + DeserializeOwned>(&mut self) {
        self.put(key::<T>(), self.world.get_resource::<T>());
    }

    fn mapped<T: Resource + Serialize + DeserializeOwned + MapIds>(&mut self) {
        self.plain::<T>();
    }

    fn stream<M: StreamName>(&mut self) {
        let stream = self.world.get_resource::<Rng<M>>().map(|r| &r.stream);
        self.put(key::<Rng<M>>(), stream);
    }
}

struct Loader<'w> {
    world: &'w mut World,
    saved: &'w [(String, Vec<u8>)],
    map: &'w IdMap,
    error: Option<StateError>,
}

impl Loader<'_> {
    fn take<T: DeserializeOwned>(&mut self) -> Option<T> {
        match find::<T>(self.saved) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error.get_or_insert(e);
                None
            }
        }
    }
}

impl ResourceVisitor for Loader<'_> {
    fn plain<T: Resource + Serialize + DeserializeOwned>(&mut self) {
        if let Some(v) = self.take::<T>() {
            self.world.insert_resource(v);
        }
    }

    fn mapped<T: Resource + Serialize + DeserializeOwned + MapIds>(&mut self) {
        if let Some(mut v) = self.take::<T>() {
            v.map_ids(self.map);
            self.world.insert_resource(v);
        }
    }

    fn stream<M: StreamName>(&mut self) {
        let k = key::<Rng<M>>();
        match self.saved.iter().find(|(name, _)| *name == k) {
            Some((_, bytes)) => match postcard::from_bytes(bytes) {
                Ok(stream) => self.world.resource_mut::<Rng<M>>().stream = stream,
                Err(e) => {
                    self.error
                        .get_or_insert(StateError::Corrupt(format!("{k}: {e}")));
                }
            },
            None => {
                self.error
                    .get_or_insert(StateError::Corrupt(format!("{k} is missing")));
            }
        }
    }
}

/// Every resource of the model in the world must be in the saved list.
fn check_resources_covered(world: &World, saved: &[(String, Vec<u8>)]) -> Result<(), StateError> {
    for (_, info, _) in world.iter_resources() {
        let name = format!("{}", info.name());
        if name.starts_with("towngov::") && !saved.iter().any(|(k, _)| *k == name) {
            return Err(StateError::NotCovered(name));
        }
    }
    Ok(())
}

fn save_entities(world: &World) -> Result<Vec<(Entity, SavedEntity)>, StateError> {
    let is_resource = world.component_id::<IsResource>();
    let mut out = Vec::new();
    for archetype in world.archetypes().iter() {
        if archetype.is_empty() || is_resource.is_some_and(|id| archetype.contains(id)) {
            continue;
        }
        let mut rows: Vec<_> = archetype
            .entities()
            .iter()
            .map(|a| (a.table_row(), a.id()))
            .collect();
        rows.sort_by_key(|(row, _)| row.index());
        for (_, e) in rows {
            let saved = save_entity(world, e)?;
            if components_of(&saved) != archetype.component_count() {
                let names: Vec<String> = archetype
                    .components()
                    .iter()
                    .filter_map(|&id| world.components().get_info(id))
                    .map(|info| format!("{}", info.name()))
                    .collect();
                return Err(StateError::NotCovered(format!(
                    "an entity with components [{}]",
                    names.join(", ")
                )));
            }
            out.push((e, saved));
        }
    }
    Ok(out)
}

fn components_of(saved: &SavedEntity) -> usize {
    match saved {
        SavedEntity::Resident {
            ties, vulnerable, ..
        } => 5 + ties.is_some() as usize + vulnerable.is_some() as usize,
        _ => 1,
    }
}

fn save_entity(world: &World, e: Entity) -> Result<SavedEntity, StateError> {
    let get = |e: Entity| world.get_entity(e).ok();
    let r = get(e).ok_or_else(|| StateError::Corrupt("an entity vanished".into()))?;
    if let Some(resident) = r.get::<Resident>() {
        let need = || StateError::NotCovered("a resident without all its components".into());
        return Ok(SavedEntity::Resident {
            resident: *resident,
            attitudes: *r.get::<Attitudes>().ok_or_else(need)?,
            participation: *r.get::<Participation>().ok_or_else(need)?,
            experience: *r.get::<Experience>().ok_or_else(need)?,
            contribution: *r.get::<Contribution>().ok_or_else(need)?,
            ties: r.get::<Ties>().cloned(),
            vulnerable: r.get::<Vulnerable>().copied(),
        });
    }
    if let Some(c) = r.get::<Case>() {
        return Ok(SavedEntity::Case(c.clone()));
    }
    if let Some(f) = r.get::<Firm>() {
        return Ok(SavedEntity::Firm(f.clone()));
    }
    if let Some(c) = r.get::<Community>() {
        return Ok(SavedEntity::Community(c.clone()));
    }
    if let Some(g) = r.get::<GridCell>() {
        return Ok(SavedEntity::Grid(g.clone()));
    }
    if let Some(p) = r.get::<Park>() {
        return Ok(SavedEntity::Park(p.clone()));
    }
    Err(StateError::NotCovered(
        "an entity of a kind saved states do not know".into(),
    ))
}

/// Spawns a saved entity with all its components at once, into the table it was in.
fn spawn(world: &mut World, saved: SavedEntity) -> Entity {
    match saved {
        SavedEntity::Resident {
            resident,
            attitudes,
            participation,
            experience,
            contribution,
            ties,
            vulnerable,
        } => {
            let base = (resident, attitudes, participation, experience, contribution);
            match (ties, vulnerable) {
                (Some(t), Some(v)) => world.spawn((base, t, v)).id(),
                (Some(t), None) => world.spawn((base, t)).id(),
                (None, Some(v)) => world.spawn((base, v)).id(),
                (None, None) => world.spawn(base).id(),
            }
        }
        SavedEntity::Case(c) => world.spawn(c).id(),
        SavedEntity::Firm(f) => world.spawn(f).id(),
        SavedEntity::Community(c) => world.spawn(c).id(),
        SavedEntity::Grid(g) => world.spawn(g).id(),
        SavedEntity::Park(p) => world.spawn(p).id(),
    }
}

fn map_components(world: &mut World, e: Entity, map: &IdMap) {
    let mut r = world.entity_mut(e);
    if let Some(mut res) = r.get_mut::<Resident>() {
        map.option(&mut res.employer);
    }
    if let Some(mut ties) = r.get_mut::<Ties>() {
        map.all(ties.0.iter_mut());
    }
    if let Some(mut c) = r.get_mut::<Case>() {
        map.option(&mut c.resident);
        map.option(&mut c.firm);
    }
    if let Some(mut f) = r.get_mut::<Firm>() {
        map.all(f.staff.iter_mut());
    }
    if let Some(mut g) = r.get_mut::<GridCell>() {
        map.all(g.hidden.iter_mut());
    }
}

impl MapIds for TownMap {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.communities.iter_mut());
        map.all(self.grids.iter_mut());
        map.all(self.parks.iter_mut());
    }
}

impl MapIds for Population {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.residents.iter_mut());
        map.all(self.by_community.iter_mut().flatten());
        map.all(self.vulnerable.iter_mut().flatten());
    }
}

impl MapIds for CaseBook {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.outcomes.iter_mut().map(|o| &mut o.resident));
        map.all(self.firm_outcomes.iter_mut().map(|o| &mut o.firm));
    }
}

impl MapIds for Economy {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.firms.iter_mut());
        map.all(self.job_seekers.iter_mut());
        map.all(self.newcomers.iter_mut().map(|n| &mut n.firm));
    }
}

impl MapIds for Exceptions {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.0.iter_mut());
    }
}

impl MapIds for channels::NewNeeds {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.0.iter_mut());
    }
}

impl MapIds for dispatch::DispatchQueue {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.0.iter_mut());
    }
}

impl MapIds for grid::GridInbox {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.0.iter_mut());
    }
}

impl MapIds for grid::Unseen {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.0.iter_mut());
    }
}

impl MapIds for financing::FinancingBook {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.requests.iter_mut());
    }
}

impl MapIds for operator::Centres {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.queues.iter_mut().flatten());
    }
}

impl MapIds for stewards::StewardDesk {
    fn map_ids(&mut self, map: &IdMap) {
        map.all(self.queue.iter_mut());
    }
}
