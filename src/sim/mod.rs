//! The model: a bevy_ecs `World` stepped one day per `Schedule` run. Each concept is a module
//! with one `install`; [`install_all`] is the one visible list that installs them, and the
//! day's phases are ordered system sets ([`Phase`]). Nothing here does I/O.

pub mod agents;
pub mod attitudes;
pub mod authority;
pub mod budget;
pub mod cases;
pub mod channels;
pub mod clock;
pub mod clusters;
pub mod committee;
pub mod consequences;
pub mod deadlines;
pub mod departments;
pub mod dispatch;
pub mod enterprises;
pub mod evaluation;
pub mod financing;
pub mod grid;
pub mod incidents;
pub mod indicators;
pub mod joint_meetings;
pub mod levers;
pub mod load;
pub mod matters;
pub mod mediation;
pub mod migration;
pub mod needs;
pub mod operator;
pub mod participation;
pub mod psych;
pub mod residents;
pub mod rng;
pub mod self_governance;
pub mod service_match;
pub mod social_orgs;
pub mod state;
mod state_check;
pub mod stewards;
pub mod timeline;
pub mod totals;
pub mod town;
pub mod view;
pub mod volunteering;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleConfigs};
use bevy_ecs::system::ScheduleSystem;

use crate::scenario::Scenario;
use cases::CaseRecord;
use clock::{Clock, Params};
pub use indicators::DailyIndicators;
pub use totals::RunTotals;

/// The phases of a day, in order (MODEL.md section 2).
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Levers take effect (timeline changes, effective rates); the day's counters reset.
    Reforms,
    /// Needs, disputes and incidents arise.
    Arise,
    /// Grid patrol and residents' reports find incidents; grid workers settle small matters.
    Discover,
    /// Discovered cases are routed to their first department.
    Dispatch,
    /// Departments work their queues; hand-offs, bounces, drops; deadlines expire.
    Handle,
    /// Committee meetings and participation rounds.
    Meet,
    /// Residents' satisfaction and trust respond to outcomes.
    Respond,
    /// Indicators are recorded and the clock advances.
    Record,
}

const PHASES: [Phase; 8] = [
    Phase::Reforms,
    Phase::Arise,
    Phase::Discover,
    Phase::Dispatch,
    Phase::Handle,
    Phase::Meet,
    Phase::Respond,
    Phase::Record,
];

/// One slot in a phase: systems added to the same phase run in the order they were added.
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Slot(Phase, u16);

impl Phase {
    /// Every phase, in the order a day runs them.
    pub const ALL: [Phase; 8] = PHASES;

    pub fn name(self) -> &'static str {
        match self {
            Phase::Reforms => "reforms",
            Phase::Arise => "arise",
            Phase::Discover => "discover",
            Phase::Dispatch => "dispatch",
            Phase::Handle => "handle",
            Phase::Meet => "meet",
            Phase::Respond => "respond",
            Phase::Record => "record",
        }
    }
}

/// The day being built: one schedule per phase, run in phase order; [`DayPlan::add`] puts a
/// system at the end of a phase. Separate schedules let the outer layer time each phase.
pub struct DayPlan {
    phases: Vec<Schedule>,
    next_slot: [u16; PHASES.len()],
}

impl DayPlan {
    fn new() -> Self {
        DayPlan {
            phases: PHASES.iter().map(|_| Schedule::default()).collect(),
            next_slot: [0; PHASES.len()],
        }
    }

    /// Adds `system` after every system already in `phase`.
    pub fn add<M>(&mut self, phase: Phase, system: impl IntoScheduleConfigs<ScheduleSystem, M>) {
        let i = PHASES
            .iter()
            .position(|p| *p == phase)
            .expect("every phase is listed");
        let n = self.next_slot[i];
        self.next_slot[i] += 1;
        let config: ScheduleConfigs<ScheduleSystem> = system.in_set(phase).in_set(Slot(phase, n));
        if n > 0 {
            self.phases[i].add_systems(config.after(Slot(phase, n - 1)));
        } else {
            self.phases[i].add_systems(config);
        }
    }
}

/// Options that change what a run keeps, not what it computes.
#[derive(Clone, Copy, Debug, Default)]
pub struct SimOptions {
    /// Keep a record of every finished case for the case log.
    pub keep_case_log: bool,
}

/// The one visible list: every concept, installed in order.
fn install_all(world: &mut World, plan: &mut DayPlan, options: SimOptions) {
    // Reforms: the timeline first, then everything derived from the policy.
    timeline::install(world, plan);
    levers::install(world, plan);
    evaluation::install(world, plan);
    town::install(world);
    clusters::install(world, plan);
    residents::install(world);
    service_match::install(world);
    cases::install(world, plan, options.keep_case_log);
    psych::install(world, plan);
    // Arise.
    needs::install(world, plan);
    channels::install(world, plan);
    incidents::install(world, plan);
    enterprises::install(world, plan);
    // Discover.
    grid::install(world, plan);
    stewards::install(world, plan);
    // Dispatch, then Handle.
    dispatch::install(world, plan);
    departments::install(world, plan);
    operator::install(world, plan);
    mediation::install(world, plan);
    financing::install(world, plan);
    deadlines::install(world, plan);
    // Meet.
    authority::install(world, plan);
    committee::install(world, plan);
    self_governance::install(world, plan);
    joint_meetings::install(world, plan);
    participation::install(world, plan);
    volunteering::install(world, plan);
    // Respond.
    social_orgs::install(world, plan);
    attitudes::install(world, plan);
    consequences::install(world, plan);
    migration::install(world, plan);
    budget::install(world, plan);
    // Record.
    indicators::install(world, plan);
}

/// One run of one scenario with one seed. A pure function of (scenario, seed).
pub struct Simulation {
    world: World,
    /// One schedule per phase, in phase order.
    phases: Vec<Schedule>,
    /// The scenario the run started from (a saved state rebuilds the world from it).
    started_from: Scenario,
}

impl Simulation {
    pub fn new(scenario: &Scenario, seed: u64, options: SimOptions) -> Self {
        let (world, plan) = build(scenario, seed, options);
        Simulation {
            world,
            phases: plan.phases,
            started_from: scenario.clone(),
        }
    }

    /// The whole world as bytes: every resource, entity and random stream's position.
    pub fn save_state(&self) -> Result<Vec<u8>, state::StateError> {
        state::save(&self.world, &self.started_from)
    }

    /// Continues a saved run. With `levers`, the levers (`policy` and the `timeline` still to
    /// come) are taken from that scenario from the next day on; everything else must be the
    /// same as in the saved scenario, else [`state::StateError::TownDiffers`] names what differs.
    pub fn from_state(
        bytes: &[u8],
        levers: Option<&Scenario>,
        options: SimOptions,
    ) -> Result<Self, state::StateError> {
        let (in_force, started_from) = state::scenarios(bytes)?;
        if let Some(new) = levers {
            check_branch(&in_force, new)?;
        }
        let restored = state::restore(bytes, options)?;
        let mut sim = Simulation {
            world: restored.world,
            phases: restored.plan.phases,
            started_from,
        };
        if let Some(new) = levers {
            sim.switch_levers(new);
        }
        Ok(sim)
    }

    /// From the next day on, the policy is `new`'s as of that day and its later timeline
    /// entries are still to come (a timeline entry dated before the next day has taken effect).
    fn switch_levers(&mut self, new: &Scenario) {
        let next = self.day() + 1;
        let mut policy = new.policy.clone();
        let mut pending = Vec::new();
        for reform in &new.timeline {
            if reform.day <= next {
                policy = reform.policy.clone();
            } else {
                pending.push(reform.clone());
            }
        }
        let mut params = self.world.resource_mut::<Params>();
        params.0.name = new.name.clone();
        params.0.description = new.description.clone();
        params.0.policy = policy;
        params.0.timeline = new.timeline.clone();
        self.world
            .resource_mut::<timeline::Timeline>()
            .replace_pending(pending);
    }

    /// From `day` on (the next day at the earliest) the policy is `policy`: a reform added to
    /// the timeline, taking effect exactly as a scenario's timeline entry for that day would.
    pub fn schedule_policy(&mut self, day: u32, policy: crate::scenario::Policy) {
        let day = day.max(self.day() + 1);
        self.world
            .resource_mut::<timeline::Timeline>()
            .add(crate::scenario::Reform { day, policy });
    }

    /// The scenario in force now (its policy as changed by any reform so far).
    pub fn scenario(&self) -> &Scenario {
        &self.world.resource::<Params>().0
    }

    /// Simulates one day and returns its indicators.
    pub fn step(&mut self) -> &DailyIndicators {
        for schedule in &mut self.phases {
            schedule.run(&mut self.world);
        }
        &self.world.resource::<indicators::History>().last
    }

    /// Simulates one day, handing each phase to `around` to run (the outer layer times them:
    /// the model itself never reads a clock).
    pub fn step_with(
        &mut self,
        mut around: impl FnMut(Phase, &mut dyn FnMut()),
    ) -> &DailyIndicators {
        let world = &mut self.world;
        for (phase, schedule) in PHASES.iter().zip(&mut self.phases) {
            around(*phase, &mut || schedule.run(world));
        }
        &self.world.resource::<indicators::History>().last
    }

    /// The indicators of the latest day simulated.
    pub fn last(&self) -> &DailyIndicators {
        &self.world.resource::<indicators::History>().last
    }

    /// Days simulated so far.
    pub fn day(&self) -> u32 {
        self.world.resource::<Clock>().day
    }

    /// Finished cases recorded since the last call (empty unless the case log is kept).
    pub fn take_case_log(&mut self) -> Vec<CaseRecord> {
        let mut book = self.world.resource_mut::<cases::CaseBook>();
        match &mut book.log {
            Some(log) => std::mem::take(log),
            None => Vec::new(),
        }
    }

    /// Whole-run figures so far.
    pub fn totals(&self) -> RunTotals {
        totals::totals(&self.world)
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    /// Each department's offered load and capacity over the days simulated so far.
    pub fn department_loads(&self) -> Vec<load::DepartmentLoad> {
        load::department_loads(&self.world)
    }
}

/// The section's name in a scenario file (the validated `firms` is written `enterprises`).
fn file_section(section: &str) -> &str {
    if section == "firms" {
        "enterprises"
    } else {
        section
    }
}

/// Whether a run of `saved` could continue with `new`'s levers: only the levers (`policy`,
/// `timeline`) and the labels may differ.
pub fn check_branch(saved: &Scenario, new: &Scenario) -> Result<(), state::StateError> {
    let differ = town_differences(saved, new);
    if differ.is_empty() {
        return Ok(());
    }
    Err(state::StateError::TownDiffers(format!(
        "the scenario differs from the saved run's in {}: a run continued from a saved state may change only `policy` and `timeline`",
        differ.join(", ")
    )))
}

/// The fields (as written in a scenario file, e.g. `town.residents`) in which `new` differs
/// from `saved` other than the levers (`policy`, `timeline`) and the labels; empty when a run
/// of `saved` could continue with `new`'s levers.
pub fn town_differences(saved: &Scenario, new: &Scenario) -> Vec<String> {
    let mut a = saved.clone();
    a.name = new.name.clone();
    a.description = new.description.clone();
    a.days = new.days;
    a.seed = new.seed;
    a.policy = new.policy.clone();
    a.timeline = new.timeline.clone();
    if a == *new {
        return Vec::new();
    }
    let fields = |s: &Scenario| match serde_json::to_value(s) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let (old, now) = (fields(&a), fields(new));
    let mut differ = Vec::new();
    for (section, v) in &now {
        if let (Some(serde_json::Value::Object(o)), serde_json::Value::Object(n)) =
            (old.get(section), v)
        {
            for (field, x) in n {
                if o.get(field) != Some(x) {
                    differ.push(format!("{}.{field}", file_section(section)));
                }
            }
        } else if old.get(section) != Some(v) {
            differ.push(file_section(section).to_string());
        }
    }
    differ
}

fn build(scenario: &Scenario, seed: u64, options: SimOptions) -> (World, DayPlan) {
    let mut world = World::new();
    world.insert_resource(Clock {
        day: 0,
        master_seed: seed,
    });
    world.insert_resource(Params(scenario.clone()));
    let mut plan = DayPlan::new();
    install_all(&mut world, &mut plan, options);
    plan.add(Phase::Record, clock::advance);
    (world, plan)
}

/// Builds each phase's schedule with ambiguity detection on: an error names two systems
/// whose order is not fixed although they touch the same data.
pub fn check_schedule(scenario: &Scenario) -> Result<(), String> {
    let (mut world, mut plan) = build(scenario, 0, SimOptions::default());
    for schedule in &mut plan.phases {
        schedule.set_build_settings(ScheduleBuildSettings {
            ambiguity_detection: LogLevel::Error,
            ..Default::default()
        });
        schedule
            .initialize(&mut world)
            .map_err(|e| e.to_string(schedule.graph(), &world))?;
    }
    Ok(())
}
