//! The indicators recorded at the end of every day (one [`DailyIndicators`] row), and the
//! whole-run figures ([`RunTotals`]). The residents' pass here is the only per-resident work
//! done every day; it also refreshes each grid's mean reporting propensity.

use bevy_ecs::prelude::*;
use serde::Serialize;

use super::cases::{Case, CaseBook, CaseKind};
use super::clock::{Clock, Params};
use super::departments::Committee;
use super::grid::GridLoad;
use super::participation::Turnout;
use super::residents::{Attitudes, Resident, report_prob};
use super::town::{GridCell, TownMap};
use super::{DayPlan, Phase};

/// One day of the run: what `daily.csv` holds. Counts are for the day unless named `_total`;
/// levels (open, satisfaction...) are at the end of the day. An empty value means there was
/// nothing to measure that day (e.g. no case resolved).
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct DailyIndicators {
    /// 1 for the first day.
    pub day: u32,
    pub created: u64,
    pub resolved: u64,
    pub dropped: u64,
    /// Cases open at the end of the day (counted, not derived).
    pub open: u64,
    pub created_total: u64,
    pub resolved_total: u64,
    pub dropped_total: u64,
    pub needs_created: u64,
    pub disputes_created: u64,
    pub incidents_created: u64,
    /// Bounces between departments (推诿) today.
    pub bounced: u64,
    /// Cases escalated after too many bounces, waiting for a coordination meeting.
    pub escalated_waiting: u64,
    /// Disputes that became petitions (上访) today.
    pub petitions: u64,
    pub petitions_total: u64,
    pub resolved_on_the_spot: u64,
    pub resolve_days_mean: Option<f64>,
    pub resolve_days_p95: Option<f64>,
    pub need_resolve_days_mean: Option<f64>,
    pub dispute_resolve_days_mean: Option<f64>,
    pub incident_resolve_days_mean: Option<f64>,
    /// Share of today's resolutions within `needs.on_time_days`.
    pub on_time_rate: Option<f64>,
    /// Physical trips per service need resolved today (跑几次).
    pub trips_per_matter: Option<f64>,
    /// Share of service needs resolved today in at most one trip (最多跑一次).
    pub one_trip_share: Option<f64>,
    pub incidents_hidden: u64,
    pub incidents_discovered: u64,
    pub incidents_reported: u64,
    /// Share of today's discovered incidents that residents reported.
    pub reporting_rate: Option<f64>,
    /// Mean chance a resident reports an incident they witness.
    pub report_propensity_mean: f64,
    /// Share of residents who took part in the latest participation round.
    pub participation_rate: f64,
    pub satisfaction_mean: f64,
    pub satisfaction_native: f64,
    pub satisfaction_migrant_worker: f64,
    pub satisfaction_employee: f64,
    pub satisfaction_talent: f64,
    pub trust_mean: f64,
    pub trust_native: f64,
    pub trust_migrant_worker: f64,
    pub trust_employee: f64,
    pub trust_talent: f64,
    pub efficacy_mean: f64,
    pub residents: u64,
    pub grid_residents_per_worker: f64,
    pub grid_ledger_hours_share: f64,
    pub grid_discovery_prob: f64,
    /// Cases waiting in department queues, in service, and on their way to a department.
    pub dept_waiting: u64,
    pub dept_in_service: u64,
    pub dept_en_route: u64,
}

/// The latest row and what the run totals need.
#[derive(Resource, Clone, Debug, Default)]
pub struct History {
    pub last: DailyIndicators,
    pub days: u64,
    pub open_sum: f64,
    pub participation_sum: f64,
}

/// Whole-run figures, for `summary.json` and the docking tests.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct RunTotals {
    pub days: u64,
    pub created: u64,
    pub resolved: u64,
    pub dropped: u64,
    pub open: u64,
    pub bounced: u64,
    pub petitions: u64,
    /// Cases created per day.
    pub arrivals_per_day: f64,
    pub resolve_days_mean: Option<f64>,
    pub resolve_days_p95: Option<f64>,
    /// Mean days a resolved case spent waiting in department queues.
    pub queue_wait_days_mean: Option<f64>,
    /// Mean number of open cases at the end of a day (L in Little's law).
    pub open_mean: f64,
    pub on_time_rate: Option<f64>,
    pub trips_per_matter: Option<f64>,
    pub one_trip_share: Option<f64>,
    pub participation_rate_mean: f64,
}

fn mean(xs: &[f32]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().map(|&x| x as f64).sum::<f64>() / xs.len() as f64)
}

/// The 95th percentile (nearest rank).
pub fn p95(xs: &[f32]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    let mut v = xs.to_vec();
    let rank = ((0.95 * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1;
    let (_, x, _) = v.select_nth_unstable_by(rank, |a, b| a.total_cmp(b));
    Some(*x as f64)
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

#[allow(clippy::too_many_arguments)]
fn record(
    clock: Res<Clock>,
    params: Res<Params>,
    book: Res<CaseBook>,
    committee: Res<Committee>,
    load: Res<GridLoad>,
    turnout: Res<Turnout>,
    map: Res<TownMap>,
    mut history: ResMut<History>,
    residents: Query<(&Resident, &Attitudes)>,
    mut grids: Query<&mut GridCell>,
    cases: Query<&Case>,
) {
    let reporting = &params.0.behaviour.reporting;
    let mut n = [0u64; 4];
    let mut sat = [0f64; 4];
    let mut tru = [0f64; 4];
    let mut eff = 0f64;
    let mut rep = 0f64;
    let mut grid_rep = vec![0f64; map.grids.len()];
    for (res, att) in residents.iter() {
        let k = res.kind.index();
        n[k] += 1;
        sat[k] += att.satisfaction as f64;
        tru[k] += att.trust as f64;
        eff += att.efficacy as f64;
        let p = report_prob(att, reporting);
        rep += p;
        grid_rep[res.grid as usize] += p;
    }
    for mut g in grids.iter_mut() {
        let i = g.idx as usize;
        let m = if g.residents > 0 {
            grid_rep[i] / g.residents as f64
        } else {
            0.0
        };
        if g.report_prob_mean != m {
            g.report_prob_mean = m;
        }
    }
    let total: u64 = n.iter().sum();
    let avg = |s: f64, c: u64| if c > 0 { s / c as f64 } else { 0.0 };
    let t = &book.today;
    let open = cases.iter().count() as u64;
    debug_assert_eq!(
        open,
        book.open(),
        "created = resolved + dropped + open must hold"
    );
    let days_of = |keep: fn(CaseKind) -> bool| -> Vec<f32> {
        t.resolved_days
            .iter()
            .filter(|(k, _)| keep(*k))
            .map(|(_, d)| *d)
            .collect()
    };
    let all_days = days_of(|_| true);
    let row = DailyIndicators {
        day: clock.day + 1,
        created: t.created,
        resolved: t.resolved,
        dropped: t.dropped,
        open,
        created_total: book.created_total,
        resolved_total: book.resolved_total,
        dropped_total: book.dropped_total,
        needs_created: t.created_by_kind[CaseKind::Need as usize],
        disputes_created: t.created_by_kind[CaseKind::Dispute as usize],
        incidents_created: t.created_by_kind[2..].iter().sum(),
        bounced: t.bounced,
        escalated_waiting: committee.escalated.len() as u64,
        petitions: t.petitions,
        petitions_total: book.petitions_total,
        resolved_on_the_spot: t.on_the_spot,
        resolve_days_mean: mean(&all_days),
        resolve_days_p95: p95(&all_days),
        need_resolve_days_mean: mean(&days_of(|k| k == CaseKind::Need)),
        dispute_resolve_days_mean: mean(&days_of(|k| k == CaseKind::Dispute)),
        incident_resolve_days_mean: mean(&days_of(CaseKind::is_incident)),
        on_time_rate: ratio(t.on_time, t.resolved),
        trips_per_matter: ratio(t.trips, t.matters),
        one_trip_share: ratio(t.one_trip, t.matters),
        incidents_hidden: load.hidden,
        incidents_discovered: t.discovered_incidents,
        incidents_reported: t.reported_incidents,
        reporting_rate: ratio(t.reported_incidents, t.discovered_incidents),
        report_propensity_mean: avg(rep, total),
        participation_rate: turnout.rate(),
        satisfaction_mean: avg(sat.iter().sum(), total),
        satisfaction_native: avg(sat[0], n[0]),
        satisfaction_migrant_worker: avg(sat[1], n[1]),
        satisfaction_employee: avg(sat[2], n[2]),
        satisfaction_talent: avg(sat[3], n[3]),
        trust_mean: avg(tru.iter().sum(), total),
        trust_native: avg(tru[0], n[0]),
        trust_migrant_worker: avg(tru[1], n[1]),
        trust_employee: avg(tru[2], n[2]),
        trust_talent: avg(tru[3], n[3]),
        efficacy_mean: avg(eff, total),
        residents: total,
        grid_residents_per_worker: load.residents_per_worker,
        grid_ledger_hours_share: load.ledger_hours_share,
        grid_discovery_prob: load.discovery_prob_mean,
        dept_waiting: committee
            .departments
            .iter()
            .map(|d| d.queue_len() as u64)
            .sum(),
        dept_in_service: committee.in_service() as u64,
        dept_en_route: committee
            .departments
            .iter()
            .map(|d| d.en_route() as u64)
            .sum(),
    };
    history.days += 1;
    history.open_sum += open as f64;
    history.participation_sum += row.participation_rate;
    history.last = row;
}

/// Whole-run figures from the world as it is now.
pub fn totals(world: &World) -> RunTotals {
    let book = world.resource::<CaseBook>();
    let history = world.resource::<History>();
    let days = history.days;
    RunTotals {
        days,
        created: book.created_total,
        resolved: book.resolved_total,
        dropped: book.dropped_total,
        open: book.open(),
        bounced: book.bounced_total,
        petitions: book.petitions_total,
        arrivals_per_day: if days > 0 {
            book.created_total as f64 / days as f64
        } else {
            0.0
        },
        resolve_days_mean: mean(&book.resolve_days_all),
        resolve_days_p95: p95(&book.resolve_days_all),
        queue_wait_days_mean: (book.resolved_total > 0)
            .then(|| book.wait_days_sum / book.resolved_total as f64),
        open_mean: if days > 0 {
            history.open_sum / days as f64
        } else {
            0.0
        },
        on_time_rate: ratio(book.on_time_total, book.resolved_total),
        trips_per_matter: ratio(book.trips_total, book.matters_total),
        one_trip_share: ratio(book.one_trip_total, book.matters_total),
        participation_rate_mean: if days > 0 {
            history.participation_sum / days as f64
        } else {
            0.0
        },
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    world.insert_resource(History::default());
    plan.add(Phase::Record, record);
}
