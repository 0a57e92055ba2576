//! Enterprises (企业): leading firms, SMEs and start-ups, in the characteristic industry or not,
//! some with high pollution and safety risk. Each day a firm may raise a demand (approval,
//! policy question, financing, talent, an exception), cause a production or ecology incident,
//! or receive an outside offer to relocate. Monthly it grows or shrinks with the service and
//! finance it got, hires and lays off residents, may close, and takes part deeply when its
//! stickiness is high and there is a committee or a steward team to take part in. A firm that
//! accepts an offer relocates (税源转移): the town loses its tax and its jobs.

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::cases::{Case, CaseBook, CaseKind, Channel, Demand, Ending, FoundBy};
use super::clock::{Clock, Params};
use super::deadlines::Deadlines;
use super::dispatch::DispatchQueue;
use super::evaluation::Orientation;
use super::financing::FinancingBook;
use super::incidents::{NewIncident, spawn_hidden};
use super::matters;
use super::residents::{Resident, ResidentSums};
use super::rng::{self, Rng};
use super::stewards::StewardDesk;
use super::town::{GridCell, Park, TownMap};
use super::{DayPlan, Phase};
use crate::scenario::{FirmSize, Scenario};

crate::declare_stream!(FirmsStream, "enterprises");

/// One enterprise.
#[derive(Component, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Firm {
    pub id: u64,
    pub size: FirmSize,
    pub characteristic: bool,
    pub high_risk: bool,
    pub community: u32,
    pub grid: u32,
    pub revenue_yuan: f64,
    pub awareness: f32,
    pub stickiness: f32,
    /// Moving share of the firm's demands met on time.
    pub service_score: f32,
    pub deep: bool,
    /// Financing obtained lifts growth until this day.
    pub financed_until: u32,
    /// An outside offer being weighed: the day it is decided, and whether stewards found it.
    pub offer_decides_on: Option<u32>,
    pub offer_detected: bool,
    pub staff: Vec<Entity>,
}

/// Firms in the order they were founded (for sampling), and the economy's counters.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Economy {
    pub firms: Vec<Entity>,
    pub next_id: u64,
    pub entries_total: u64,
    pub exits_total: u64,
    pub relocations_total: u64,
    pub relocations_today: u64,
    pub tax_today_yuan: f64,
    pub tax_total_yuan: f64,
    /// Firms participating deeply (as of the last monthly update).
    pub deep_firms: u64,
    /// Residents laid off or left without work by a closure or relocation; hiring takes from
    /// here first. Entries that left town or found work are skipped when taken.
    pub job_seekers: Vec<Entity>,
    /// Hires that found no one in town: newcomers the migration module brings in.
    pub newcomers: Vec<Newcomer>,
    /// Jobs firms wanted to fill last month but could not (no job seeker, no dwelling).
    pub vacancies: u64,
}

/// A job filled from outside the town.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Newcomer {
    pub firm: Entity,
    pub community: u32,
    pub kind: crate::scenario::ResidentKind,
}

/// Dwellings in the town (`town.housing_headroom` beyond the starting residents): newcomers
/// arrive only while the residents and the newcomers on their way fit.
pub fn dwellings(s: &Scenario) -> u64 {
    (s.town.n_residents() as f64 * (1.0 + s.town.housing_headroom)).ceil() as u64
}

/// Plots for firms in the parks (`town.plot_headroom` beyond the starting firms, or the parks
/// if there were fewer firms): new firms enter only while one is free.
pub fn plots(s: &Scenario) -> u64 {
    let n_firms: u64 = s.town.enterprises.iter().map(|&n| n as u64).sum();
    (n_firms.max(s.town.parks as u64) as f64 * (1.0 + s.town.plot_headroom)).ceil() as u64
}

/// Enterprise cases that need a policy exception, waiting for a meeting.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Exceptions(pub Vec<Entity>);

fn hazard(rate_per_year: f64) -> f64 {
    1.0 - (-rate_per_year / 365.0).exp()
}

fn draw_demand(s: &Scenario, r: &mut rng::Stream) -> Demand {
    let m = &s.firms.demand_mix;
    let w = [m.approval, m.policy, m.financing, m.talent, m.exception];
    let total: f64 = w.iter().sum();
    let mut u = r.random::<f64>() * total;
    let all = [
        Demand::Approval,
        Demand::Policy,
        Demand::Financing,
        Demand::Talent,
        Demand::Exception,
    ];
    for (d, x) in all.into_iter().zip(w) {
        if u < x {
            return d;
        }
        u -= x;
    }
    Demand::Approval
}

/// Demands, incidents and offers of the day.
#[allow(clippy::too_many_arguments)]
fn arise(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    orientation: Res<Orientation>,
    map: Res<TownMap>,
    mut book: ResMut<CaseBook>,
    mut dispatch: ResMut<DispatchQueue>,
    mut desk: ResMut<StewardDesk>,
    mut financing: ResMut<FinancingBook>,
    mut exceptions: ResMut<Exceptions>,
    mut deadlines: ResMut<Deadlines>,
    mut firms: Query<(Entity, &mut Firm)>,
    mut grids: Query<&mut GridCell>,
    mut rng: ResMut<Rng<FirmsStream>>,
) {
    let s = &params.0;
    let f = &s.firms;
    let r = &mut rng.stream;
    let stewards = s.policy.stewards.size() > 0;
    let (inc_low, inc_high) = (
        hazard(f.incidents_per_year),
        hazard(f.incidents_per_year * f.high_risk_factor),
    );
    let p_offer = hazard(f.offer_per_year);
    for (e, mut firm) in firms.iter_mut() {
        let k = firm.size.index();
        if r.random_bool(hazard(f.demands_per_year[k])) {
            let demand = draw_demand(s, r);
            let at = clock.start() + r.random::<f64>();
            let id = book.created(CaseKind::Enterprise);
            let mut case = Case::new(id, CaseKind::Enterprise, at, firm.community, firm.grid);
            case.firm = Some(e);
            case.demand = Some(demand);
            case.found_by = FoundBy::Firm;
            case.discovered_at = at;
            if r.random_bool(orientation.enterprise_priority.clamp(0.0, 1.0)) {
                case.priority = 1;
            }
            let multi = if demand == Demand::Approval {
                s.needs.multi_task_share
            } else {
                0.0
            };
            (case.tasks, case.n_tasks) =
                matters::draw(CaseKind::Enterprise, multi, s.needs.max_tasks, r);
            case.channel = match demand {
                Demand::Approval
                    if r.random_bool(s.needs.online_eligible_share * s.policy.portal.coverage) =>
                {
                    Channel::Portal
                }
                Demand::Policy | Demand::Talent if stewards => Channel::Steward,
                Demand::Financing => Channel::Financing,
                Demand::Exception => Channel::Meeting,
                _ => Channel::Window,
            };
            if case.channel == Channel::Window {
                case.trips = 1;
            }
            let channel = case.channel;
            let ce = commands.spawn(case).id();
            match channel {
                Channel::Steward => desk.queue.push_back(ce),
                Channel::Financing => financing.requests.push(ce),
                Channel::Meeting => exceptions.0.push(ce),
                _ => dispatch.0.push(ce),
            }
            deadlines.for_new_case(&params, ce, CaseKind::Enterprise, at, true);
        }
        let p_inc = if firm.high_risk { inc_high } else { inc_low };
        if p_inc > 0.0 && r.random_bool(p_inc) {
            let kind = if r.random_bool(f.incident_ecology_share) {
                CaseKind::Ecology
            } else {
                CaseKind::Production
            };
            let at = clock.start() + r.random::<f64>();
            let new = NewIncident {
                kind,
                at,
                community: firm.community,
                grid: firm.grid,
            };
            let ce = spawn_hidden(&mut commands, &mut book, &mut deadlines, &params, new, r);
            if let Ok(mut g) = grids.get_mut(map.grids[firm.grid as usize]) {
                g.hidden.push(ce);
            }
        }
        if firm.offer_decides_on.is_none() && p_offer > 0.0 && r.random_bool(p_offer) {
            firm.offer_decides_on = Some(clock.day + f.offer_decision_days);
            firm.offer_detected = false;
        }
    }
}

/// Service outcomes, stickiness drift, tax, and the offers decided today.
#[allow(clippy::too_many_arguments)]
fn respond(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    mut economy: ResMut<Economy>,
    mut book: ResMut<CaseBook>,
    mut firms: Query<&mut Firm>,
    mut residents: Query<&mut Resident>,
    mut rng: ResMut<Rng<FirmsStream>>,
    mut sums: ResMut<ResidentSums>,
) {
    let f = &params.0.firms;
    let r = &mut rng.stream;
    for o in std::mem::take(&mut book.firm_outcomes) {
        let Ok(mut firm) = firms.get_mut(o.firm) else {
            continue;
        };
        // A refused financing request ends on time but serves the firm nothing.
        let good = o.ending == Ending::Resolved && o.on_time && !o.refused;
        firm.service_score += 0.1 * ((good as u8 as f32) - firm.service_score);
        let s = firm.stickiness as f64;
        firm.stickiness = match o.ending {
            Ending::Resolved if good => s + f.stickiness_served_gain * (1.0 - s),
            Ending::Resolved => s,
            Ending::Dropped => s - f.stickiness_failed_loss * s,
        }
        .clamp(0.0, 1.0) as f32;
    }
    let drift = (f.stickiness_drift_per_year / 365.0).min(1.0);
    let mut tax_today = 0.0;
    let mut leaving = Vec::new();
    for (i, &e) in economy.firms.iter().enumerate() {
        let Ok(mut firm) = firms.get_mut(e) else {
            continue;
        };
        let s = firm.stickiness as f64;
        firm.stickiness = (s + drift * (f.base_stickiness - s)) as f32;
        tax_today += firm.revenue_yuan * f.tax_share / 365.0;
        if firm.offer_decides_on == Some(clock.day) {
            firm.offer_decides_on = None;
            let mut p = f.relocate_prob_max * (1.0 - firm.stickiness as f64);
            if firm.offer_detected {
                p *= 1.0 - params.0.policy.stewards.retain_cut;
            }
            if r.random_bool(p.clamp(0.0, 1.0)) {
                leaving.push(i);
            }
        }
    }
    economy.tax_today_yuan = tax_today;
    economy.tax_total_yuan += tax_today;
    let relocated = close_firms(
        &mut commands,
        &mut economy,
        &mut sums,
        leaving,
        &firms,
        &mut residents,
    );
    economy.relocations_total += relocated;
    economy.relocations_today = relocated;
}

fn lay_off(
    economy: &mut Economy,
    sums: &mut ResidentSums,
    w: Entity,
    residents: &mut Query<&mut Resident>,
) {
    if let Ok(mut res) = residents.get_mut(w) {
        res.employer = None;
        sums.unemployed += !res.unemployed as u64;
        res.unemployed = true;
        economy.job_seekers.push(w);
    }
}

/// Removes the firms at `indices` (ascending positions in `economy.firms`); their staff become
/// job seekers. Returns how many were removed.
fn close_firms(
    commands: &mut Commands,
    economy: &mut Economy,
    sums: &mut ResidentSums,
    indices: Vec<usize>,
    firms: &Query<&mut Firm>,
    residents: &mut Query<&mut Resident>,
) -> u64 {
    let mut removed = 0;
    for i in indices.into_iter().rev() {
        let e = economy.firms.remove(i);
        let Ok(firm) = firms.get(e) else { continue };
        for &w in &firm.staff {
            lay_off(economy, sums, w, residents);
        }
        removed += 1;
        commands.entity(e).despawn();
    }
    removed
}

/// Growth, closures, hiring and lay-offs, deep participation and entries: once every 30 days.
#[allow(clippy::too_many_arguments)]
fn monthly(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    orientation: Res<Orientation>,
    map: Res<TownMap>,
    mut economy: ResMut<Economy>,
    mut firms: Query<&mut Firm>,
    mut residents: Query<&mut Resident>,
    parks: Query<&Park>,
    mut rng: ResMut<Rng<FirmsStream>>,
    mut sums: ResMut<ResidentSums>,
) {
    if !(clock.day + 1).is_multiple_of(30) {
        return;
    }
    let s = &params.0;
    let f = &s.firms;
    let r = &mut rng.stream;
    let avenue = s.policy.self_governance.enabled || s.policy.stewards.size() > 0;
    let mut closing = Vec::new();
    let list = economy.firms.clone();
    economy.deep_firms = 0;
    let housed: u64 = sums.n.iter().sum();
    let dwellings = dwellings(s);
    let mut vacancies = 0u64;
    for (i, &e) in list.iter().enumerate() {
        let Ok(mut firm) = firms.get_mut(e) else {
            continue;
        };
        let k = firm.size.index();
        if r.random_bool(1.0 - (-f.exit_per_year[k] / 12.0).exp()) {
            closing.push(i);
            continue;
        }
        let mut g = f.growth_per_year[k]
            + f.service_growth_effect * (firm.service_score as f64 - 0.5)
            + f.incentive_growth_boost * firm.awareness as f64;
        if firm.characteristic {
            g += f.characteristic_growth_bonus;
        }
        if firm.financed_until > clock.day {
            g += f.finance_growth_boost;
        }
        // Growth saturates as the firm fills its market niche (logistic); decline does not.
        let niche = f.max_size_factor * f.employees[k] * f.revenue_per_employee_yuan;
        if g > 0.0 {
            g *= (1.0 - firm.revenue_yuan / niche).max(0.0);
        }
        firm.revenue_yuan = (firm.revenue_yuan * (1.0 + g / 12.0)).max(f.revenue_per_employee_yuan);
        firm.deep = avenue && firm.stickiness as f64 > f.deep_threshold;
        economy.deep_firms += firm.deep as u64;
        let target = (firm.revenue_yuan / f.revenue_per_employee_yuan).round() as usize;
        while firm.staff.len() > target.max(1) {
            let w = firm.staff.pop().expect("not empty");
            lay_off(&mut economy, &mut sums, w, &mut residents);
        }
        let mut newcomers = 0;
        while firm.staff.len() + newcomers < target {
            match take_seeker(&mut economy, &mut sums, &mut residents, e) {
                Some(w) => firm.staff.push(w),
                None if housed + (economy.newcomers.len() as u64) < dwellings => {
                    let kind = hire_kind(s, r);
                    // The newcomer joins the staff when they arrive (later today).
                    economy.newcomers.push(Newcomer {
                        firm: e,
                        community: firm.community,
                        kind,
                    });
                    newcomers += 1;
                }
                None => break,
            }
        }
        let staffed = firm.staff.len() + newcomers;
        if staffed < target {
            // No one to hire and nowhere for a newcomer to live: the firm produces what its
            // staff can, and the jobs stay vacant.
            vacancies += (target - staffed) as u64;
            firm.revenue_yuan = staffed.max(1) as f64 * f.revenue_per_employee_yuan;
        }
    }
    economy.vacancies = vacancies;
    let closed = close_firms(
        &mut commands,
        &mut economy,
        &mut sums,
        closing,
        &firms,
        &mut residents,
    );
    economy.exits_total += closed;
    let lambda = (f.entry_per_year
        + f.promotion_entry_per_year * orientation.diversion
            / s.policy.evaluation.max_effort_diversion.max(1e-9))
        / 12.0;
    let n_new = rand_distr::Distribution::sample(
        &rand_distr::Poisson::new(lambda.max(1e-12)).expect("positive"),
        r,
    ) as u64;
    for _ in 0..n_new {
        let size = if r.random_bool(f.entry_startup_share) {
            FirmSize::Startup
        } else {
            FirmSize::Sme
        };
        // A firm enters only where there is a free plot in the parks.
        if (economy.firms.len() as u64) < plots(s) {
            spawn_firm(&mut commands, &mut economy, s, size, &map, &parks, r);
            economy.entries_total += 1;
        }
    }
}

fn take_seeker(
    economy: &mut Economy,
    sums: &mut ResidentSums,
    residents: &mut Query<&mut Resident>,
    firm: Entity,
) -> Option<Entity> {
    while let Some(w) = economy.job_seekers.pop() {
        if let Ok(mut res) = residents.get_mut(w)
            && res.employer.is_none()
        {
            res.employer = Some(firm);
            sums.unemployed -= res.unemployed as u64;
            res.unemployed = false;
            return Some(w);
        }
    }
    None
}

fn hire_kind(s: &Scenario, r: &mut rng::Stream) -> crate::scenario::ResidentKind {
    use crate::scenario::ResidentKind::*;
    let u: f64 = r.random();
    if u < s.firms.hire_talent_share {
        Talent
    } else if u < s.firms.hire_talent_share + s.firms.hire_migrant_share {
        MigrantWorker
    } else {
        Employee
    }
}

/// A new firm in a random park (or a random community when there are no parks).
fn spawn_firm(
    commands: &mut Commands,
    economy: &mut Economy,
    s: &Scenario,
    size: FirmSize,
    map: &TownMap,
    parks: &Query<&Park>,
    r: &mut rng::Stream,
) -> Entity {
    let f = &s.firms;
    let community = if map.parks.is_empty() {
        r.random_range(0..s.town.communities)
    } else {
        let p = map.parks[r.random_range(0..map.parks.len())];
        parks.get(p).map(|p| p.community).unwrap_or(0)
    };
    let grid =
        community * s.town.grids_per_community + r.random_range(0..s.town.grids_per_community);
    let employees = (f.employees[size.index()] * r.random_range(0.5..=1.5)).max(1.0);
    let firm = Firm {
        id: economy.next_id,
        size,
        characteristic: r.random_bool(f.characteristic_share),
        high_risk: r.random_bool(f.high_risk_share),
        community,
        grid,
        revenue_yuan: employees.round() * f.revenue_per_employee_yuan,
        awareness: f.initial_awareness as f32,
        stickiness: f.initial_stickiness as f32,
        service_score: 0.5,
        deep: false,
        financed_until: 0,
        offer_decides_on: None,
        offer_detected: false,
        staff: Vec::new(),
    };
    economy.next_id += 1;
    let e = commands.spawn(firm).id();
    economy.firms.push(e);
    e
}

/// Spawns the initial firms and gives them staff from the residents who seek work.
pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<FirmsStream>(world);
    world.insert_resource(Exceptions::default());
    let s = world.resource::<Params>().0.clone();
    let mut rng = world
        .remove_resource::<Rng<FirmsStream>>()
        .expect("inserted above");
    let mut economy = Economy::default();
    {
        let mut state: bevy_ecs::system::SystemState<(Commands, Res<TownMap>, Query<&Park>)> =
            bevy_ecs::system::SystemState::new(world);
        let (mut commands, map, parks) = state.get_mut(world).expect("valid system state");
        for size in FirmSize::ALL {
            for _ in 0..s.town.enterprises[size.index()] {
                spawn_firm(
                    &mut commands,
                    &mut economy,
                    &s,
                    size,
                    &map,
                    &parks,
                    &mut rng.stream,
                );
            }
        }
        state.apply(world);
    }
    // Staff: residents who seek work, in a shuffled order, fill the firms' initial places.
    let mut seekers: Vec<Entity> = {
        let mut q = world.query::<(Entity, &Resident)>();
        q.iter(world)
            .filter(|(_, r)| r.seeks_work())
            .map(|(e, _)| e)
            .collect()
    };
    for i in (1..seekers.len()).rev() {
        seekers.swap(i, rng.stream.random_range(0..=i));
    }
    let rev = s.firms.revenue_per_employee_yuan;
    for &fe in &economy.firms {
        let want = (world.get::<Firm>(fe).expect("firm").revenue_yuan / rev).round() as usize;
        let mut staff = Vec::with_capacity(want);
        while staff.len() < want {
            let Some(w) = seekers.pop() else { break };
            world.get_mut::<Resident>(w).expect("resident").employer = Some(fe);
            staff.push(w);
        }
        world.get_mut::<Firm>(fe).expect("firm").staff = staff;
    }
    // Residents no town firm employs at the start work elsewhere (services, commuting); only
    // those laid off later seek work here.
    drop(seekers);
    world.insert_resource(economy);
    world.insert_resource(rng);
    plan.add(Phase::Arise, arise);
    plan.add(Phase::Respond, respond);
    plan.add(Phase::Respond, monthly);
}
