//! The indicators recorded at the end of every day (one [`DailyIndicators`] row), and the
//! whole-run figures ([`RunTotals`]). The residents' pass here is the only per-resident work
//! done every day; it also refreshes each grid's mean reporting propensity.

use bevy_ecs::prelude::*;

use bevy_ecs::system::SystemParam;

use super::authority::Summons;
use super::budget::Ledger;
use super::cases::{Case, CaseBook, CaseKind, days_figures};
use super::channels::ChannelUse;
use super::clock::{Clock, Params};
use super::deadlines::Safety;
use super::departments::Committee;
use super::enterprises::{Economy, Firm};
use super::financing::FinancingBook;
use super::grid::GridLoad;
use super::joint_meetings::JointMeetings;
use super::mediation::MediationNet;
use super::migration::Moves;
use super::operator::Centres;
use super::participation::Turnout;
use super::residents::ResidentSums;
use super::residents::Vulnerable;
use super::self_governance::SelfGovernments;
use super::service_match::ServiceMatch;
use super::social_orgs::SocialOrgs;
use super::stewards::StewardDesk;
use super::timeline::Timeline;
use super::town::GridCell;
use super::volunteering::Volunteers;
use super::{DayPlan, Phase};

/// One day of the run: what `daily.csv` holds. Counts are for the day unless named `_total`;
/// levels (open, satisfaction...) are at the end of the day. An empty value means there was
/// nothing to measure that day (e.g. no case resolved).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// Cases closed today: resolved or dropped (given up, lost and not brought again, expired).
    pub closed: u64,
    /// Losses in hand-offs today (the case is brought again, found again, or dropped).
    pub lost: u64,
    /// Cases ended at the case deadline today.
    pub expired: u64,
    /// Share of today's closed cases that were resolved.
    pub resolved_share: Option<f64>,
    /// Share of today's closed cases and of residents' needs not brought to the government
    /// today resolved by the government within `needs.on_time_days` (a dropped case or a need not
    /// brought is never on time): a service that drives demand away never looks better for it.
    pub on_time_share: Option<f64>,
    /// Days to resolve of the cases closed today, every ending counted: a case that ended
    /// unresolved (given up, lost, expired) or a need left unmet without being brought counts as
    /// the whole case deadline, since its need was never met. The headline days figure.
    pub resolve_days_mean: Option<f64>,
    pub resolve_days_p95: Option<f64>,
    /// Days from creation to closing of the cases closed today, whatever the ending (a case
    /// given up early closes early).
    pub close_days_mean: Option<f64>,
    pub close_days_p95: Option<f64>,
    pub need_close_days_mean: Option<f64>,
    pub dispute_close_days_mean: Option<f64>,
    pub incident_close_days_mean: Option<f64>,
    /// Open cases at the end of the day: mean and 95th-percentile age in days, and how many
    /// are older than `needs.on_time_days`.
    pub open_age_mean: Option<f64>,
    pub open_age_p95: Option<f64>,
    pub open_past_deadline: u64,
    /// Resolved cases only (survivors: they leave out every case that was dropped): days to
    /// resolve and the share on time. Not a headline figure.
    pub resolved_only_days_mean: Option<f64>,
    pub resolved_only_days_p95: Option<f64>,
    pub resolved_only_on_time_rate: Option<f64>,
    /// Residents' service needs that ended unmet, over the run.
    pub unmet_needs_total: u64,
    /// Residents' needs never brought to the government, over the run (see `needs.rs`).
    pub needs_not_brought_total: u64,
    /// Residents' needs brought to the government (service requests), over the run.
    pub needs_brought_total: u64,
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
    pub enterprise_demands_created: u64,
    pub enterprise_close_days_mean: Option<f64>,
    pub need_close_days_p95: Option<f64>,
    pub dispute_close_days_p95: Option<f64>,
    pub incident_close_days_p95: Option<f64>,
    pub enterprise_close_days_p95: Option<f64>,
    /// Needs taken today to each channel.
    pub needs_via_portal: u64,
    pub needs_via_window: u64,
    pub needs_via_centre: u64,
    pub needs_via_grid: u64,
    pub needs_via_self_governance: u64,
    /// Mean over communities of 1 - distance between service supply and needs (精准对标).
    pub need_supply_match: f64,
    /// Share of vulnerable natives visited in the last 90 days.
    pub vulnerable_coverage: Option<f64>,
    /// Mean turnout of the latest self-governance elections (empty with no committees).
    pub election_turnout: Option<f64>,
    pub council_strength_mean: Option<f64>,
    /// Mean volunteering contribution (share of spare time), the public good.
    pub volunteering_rate: f64,
    pub deep_enterprise_share: Option<f64>,
    pub enterprises: u64,
    pub enterprises_leading: u64,
    pub enterprises_sme: u64,
    pub enterprises_startup: u64,
    pub stickiness_mean: Option<f64>,
    pub policy_awareness_mean: Option<f64>,
    pub relocations: u64,
    pub relocations_total: u64,
    pub enterprise_entries_total: u64,
    pub enterprise_exits_total: u64,
    pub tax_yuan: f64,
    pub tax_total_yuan: f64,
    pub financing_leading_yuan: f64,
    pub financing_sme_yuan: f64,
    pub financing_startup_yuan: f64,
    pub financing_total_yuan: f64,
    /// Residents employed by the town's firms.
    pub jobs: u64,
    pub job_seekers: u64,
    /// Jobs firms could not fill at the last monthly hiring: no job seeker in town and no free
    /// dwelling for a newcomer.
    pub vacancies: u64,
    /// Dwellings not lived in (the town's housing less its residents).
    pub dwellings_free: u64,
    pub residents_native: u64,
    pub residents_migrant_worker: u64,
    pub residents_employee: u64,
    pub residents_talent: u64,
    pub residents_left: u64,
    pub talent_left: u64,
    pub talent_left_total: u64,
    pub residents_arrived: u64,
    pub ecology_open: u64,
    pub ecology_loss_yuan: f64,
    pub ecology_loss_total_yuan: f64,
    /// The three zeros (三零): petitions (above), disputes escalated to court or to mass
    /// incidents, and serious cases.
    pub disputes_to_court: u64,
    pub mass_incidents: u64,
    pub serious_cases: u64,
    pub escalated_total: u64,
    pub serious_cases_total: u64,
    pub steward_visits: u64,
    pub operator_effort: Option<f64>,
    pub resolved_by_operator_total: u64,
    pub mediators: u64,
    pub mediated_total: u64,
    pub social_org_capacity: f64,
    pub joint_meetings_total: u32,
    pub summoned_total: u64,
    pub reforms_applied: u32,
    pub cost_yuan: f64,
    pub cost_total_yuan: f64,
    pub cost_per_resolved_yuan: Option<f64>,
    pub budget_balance_yuan: f64,
}

/// The latest row and what the run totals need.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct History {
    pub last: DailyIndicators,
    pub ecology_loss_total: f64,
    pub days: u64,
    pub open_sum: f64,
    pub participation_sum: f64,
}

pub(crate) fn mean(xs: &[f32]) -> Option<f64> {
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

pub(crate) fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// What the actors' modules count, read once a day.
#[derive(SystemParam)]
struct Actors<'w, 's> {
    channels: Res<'w, ChannelUse>,
    matching: Res<'w, ServiceMatch>,
    governments: Res<'w, SelfGovernments>,
    volunteers: Res<'w, Volunteers>,
    economy: Res<'w, Economy>,
    financing: Res<'w, FinancingBook>,
    moves: Res<'w, Moves>,
    safety: Res<'w, Safety>,
    mediation: Res<'w, MediationNet>,
    desk: Res<'w, StewardDesk>,
    centres: Res<'w, Centres>,
    orgs: Res<'w, SocialOrgs>,
    meetings: Res<'w, JointMeetings>,
    summons: Res<'w, Summons>,
    timeline: Res<'w, Timeline>,
    ledger: Res<'w, Ledger>,
    firms: Query<'w, 's, &'static Firm>,
    vulnerable: Query<'w, 's, &'static Vulnerable>,
}

#[allow(clippy::too_many_arguments)]
fn record(
    clock: Res<Clock>,
    params: Res<Params>,
    book: Res<CaseBook>,
    committee: Res<Committee>,
    load: Res<GridLoad>,
    turnout: Res<Turnout>,
    actors: Actors,
    mut history: ResMut<History>,
    sums: Res<ResidentSums>,
    mut grids: Query<&mut GridCell>,
    cases: Query<&Case>,
) {
    // Residents' figures come from running sums: no pass over all residents.
    let n = sums.n;
    let (sat, tru) = (sums.satisfaction, sums.trust);
    let (eff, rep) = (sums.efficacy, sums.report);
    let grid_rep = &sums.grid_report;
    let job_seekers = sums.unemployed;
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
    let mut open = 0u64;
    let mut ecology_open = 0u64;
    let mut ecology_loss = actors.safety.unattended_loss_today_yuan;
    let loss = params.0.incidents.ecology_loss_yuan_per_day;
    let now = clock.end();
    let on_time_days = params.0.needs.on_time_days;
    let mut ages = Vec::with_capacity(book.open() as usize);
    let mut past_deadline = 0u64;
    for case in cases.iter() {
        if case.finished {
            // Abandoned work the departments are still doing: already counted as ended.
            continue;
        }
        open += 1;
        let age = (now - case.created_at).max(0.0);
        ages.push(age as f32);
        past_deadline += (age > on_time_days) as u64;
        if case.kind == CaseKind::Ecology {
            ecology_open += 1;
            ecology_loss += if case.serious { 10.0 * loss } else { loss };
        }
    }
    debug_assert_eq!(
        open,
        book.open(),
        "created = resolved + dropped + open must hold"
    );
    let days_of = |keep: fn(CaseKind) -> bool| -> Vec<f32> {
        t.closed
            .iter()
            .filter(|c| keep(c.kind))
            .map(|c| c.days)
            .collect()
    };
    let (all_days, resolve_days, resolved_days) = days_figures(
        &t.closed,
        t.unmet_unbrought,
        params.0.needs.case_deadline_days,
    );
    let need_days = days_of(|k| k == CaseKind::Need);
    let dispute_days = days_of(|k| k == CaseKind::Dispute);
    let incident_days = days_of(CaseKind::is_incident);
    let enterprise_days = days_of(|k| k == CaseKind::Enterprise);
    let closed = t.resolved + t.dropped;
    let a = &actors;
    let mut by_size = [0u64; 3];
    let (mut stick, mut aware, mut jobs, mut deep) = (0f64, 0f64, 0u64, 0u64);
    for f in a.firms.iter() {
        by_size[f.size.index()] += 1;
        stick += f.stickiness as f64;
        aware += f.awareness as f64;
        jobs += f.staff.len() as u64;
        deep += f.deep as u64;
    }
    let n_firms: u64 = by_size.iter().sum();
    let firm_mean = |x: f64| (n_firms > 0).then(|| x / n_firms as f64);
    let (mut vuln, mut covered) = (0u64, 0u64);
    for v in a.vulnerable.iter() {
        vuln += 1;
        covered += (v.last_visit_day >= clock.day as i64 - 90) as u64;
    }
    let elected = a.governments.elected;
    history.ecology_loss_total += ecology_loss;
    let fin = &a.financing;
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
        incidents_created: CaseKind::ALL
            .iter()
            .filter(|k| k.is_incident())
            .map(|k| t.created_by_kind[*k as usize])
            .sum(),
        bounced: t.bounced,
        escalated_waiting: committee.escalated.len() as u64,
        petitions: t.petitions,
        petitions_total: book.petitions_total,
        resolved_on_the_spot: t.on_the_spot,
        closed,
        lost: t.lost,
        expired: t.expired,
        resolved_share: ratio(t.resolved, closed),
        on_time_share: ratio(t.on_time, closed + t.not_brought),
        resolve_days_mean: mean(&resolve_days),
        resolve_days_p95: p95(&resolve_days),
        close_days_mean: mean(&all_days),
        close_days_p95: p95(&all_days),
        need_close_days_mean: mean(&need_days),
        dispute_close_days_mean: mean(&dispute_days),
        incident_close_days_mean: mean(&incident_days),
        open_age_mean: mean(&ages),
        open_age_p95: p95(&ages),
        open_past_deadline: past_deadline,
        resolved_only_days_mean: mean(&resolved_days),
        resolved_only_days_p95: p95(&resolved_days),
        resolved_only_on_time_rate: ratio(t.on_time, t.resolved),
        unmet_needs_total: book.unmet_needs_total,
        needs_not_brought_total: book.needs_not_brought_total,
        needs_brought_total: book.needs_brought_total,
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
        enterprise_demands_created: t.created_by_kind[CaseKind::Enterprise as usize],
        enterprise_close_days_mean: mean(&enterprise_days),
        need_close_days_p95: p95(&need_days),
        dispute_close_days_p95: p95(&dispute_days),
        incident_close_days_p95: p95(&incident_days),
        enterprise_close_days_p95: p95(&enterprise_days),
        needs_via_portal: a.channels.today[0],
        needs_via_window: a.channels.today[1],
        needs_via_centre: a.channels.today[2],
        needs_via_grid: a.channels.today[3],
        needs_via_self_governance: a.channels.today[4],
        need_supply_match: a.matching.mean(),
        vulnerable_coverage: ratio(covered, vuln),
        election_turnout: elected.then(|| a.governments.mean_turnout()),
        council_strength_mean: elected.then(|| a.governments.mean_strength()),
        volunteering_rate: a.volunteers.mean,
        deep_enterprise_share: ratio(deep, n_firms),
        enterprises: n_firms,
        enterprises_leading: by_size[0],
        enterprises_sme: by_size[1],
        enterprises_startup: by_size[2],
        stickiness_mean: firm_mean(stick),
        policy_awareness_mean: firm_mean(aware),
        relocations: a.economy.relocations_today,
        relocations_total: a.economy.relocations_total,
        enterprise_entries_total: a.economy.entries_total,
        enterprise_exits_total: a.economy.exits_total,
        tax_yuan: a.economy.tax_today_yuan,
        tax_total_yuan: a.economy.tax_total_yuan,
        financing_leading_yuan: fin.granted_today_yuan[0],
        financing_sme_yuan: fin.granted_today_yuan[1],
        financing_startup_yuan: fin.granted_today_yuan[2],
        financing_total_yuan: fin.granted_total_yuan.iter().sum(),
        jobs,
        job_seekers,
        vacancies: a.economy.vacancies,
        dwellings_free: super::enterprises::dwellings(&params.0).saturating_sub(total),
        residents_native: n[0],
        residents_migrant_worker: n[1],
        residents_employee: n[2],
        residents_talent: n[3],
        residents_left: a.moves.left_today.iter().sum(),
        talent_left: a.moves.left_today[3],
        talent_left_total: a.moves.left_total[3],
        residents_arrived: a.moves.arrived_today.iter().sum(),
        ecology_open,
        ecology_loss_yuan: ecology_loss,
        ecology_loss_total_yuan: history.ecology_loss_total,
        disputes_to_court: a.mediation.to_court_today,
        mass_incidents: a.safety.mass_incidents_today,
        serious_cases: a.safety.serious_cases_today,
        escalated_total: a.mediation.to_court_total + a.safety.mass_incidents_total,
        serious_cases_total: a.safety.serious_cases_total,
        steward_visits: a.desk.visits_today,
        operator_effort: params.0.policy.operator.enabled.then_some(a.centres.effort),
        resolved_by_operator_total: a.centres.settled_total,
        mediators: a.mediation.mediators(),
        mediated_total: a.mediation.mediated_total,
        social_org_capacity: a.orgs.capacity,
        joint_meetings_total: a.meetings.held_total,
        summoned_total: a.summons.total,
        reforms_applied: a.timeline.applied_today,
        cost_yuan: a.ledger.today.sum(),
        cost_total_yuan: a.ledger.total.sum(),
        cost_per_resolved_yuan: a.ledger.per_resolved(&book),
        budget_balance_yuan: a.ledger.balance_yuan,
    };
    history.days += 1;
    history.open_sum += open as f64;
    history.participation_sum += row.participation_rate;
    history.last = row;
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    world.insert_resource(History::default());
    plan.add(Phase::Record, record);
}
