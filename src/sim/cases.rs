//! Cases (事件): every need, dispute and incident is an entity that is created, discovered,
//! dispatched, handled and then resolved or dropped (escalation and being lost in a hand-off are
//! states along the way). The [`CaseBook`] counts them so that created = resolved + dropped +
//! open holds every day. A case is *closed* when it is resolved or dropped; the service figures
//! (on time, days to close) are taken over every closed case, so losing a case never makes the
//! service look better.

use bevy_ecs::prelude::*;

use crate::scenario::ResidentKind;

/// What a case is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// A resident's service need (medical, education, social security, housing...).
    Need,
    /// A dispute (矛盾纠纷) between residents or with an enterprise.
    Dispute,
    /// A production (safety) incident.
    Production,
    /// A living incident (public order, facilities...).
    Living,
    /// An ecology incident (pollution...).
    Ecology,
    /// An enterprise's demand (approval, policy question, financing, talent, exception).
    Enterprise,
}

impl CaseKind {
    pub const ALL: [CaseKind; 6] = [
        CaseKind::Need,
        CaseKind::Dispute,
        CaseKind::Production,
        CaseKind::Living,
        CaseKind::Ecology,
        CaseKind::Enterprise,
    ];

    pub fn is_incident(self) -> bool {
        matches!(
            self,
            CaseKind::Production | CaseKind::Living | CaseKind::Ecology
        )
    }
}

/// How a case first reached someone who can act on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// Not found yet (an incident nobody has seen).
    Nobody,
    /// The resident who has the need or the dispute.
    Resident,
    /// A grid worker on patrol.
    GridWorker,
    /// A resident who witnessed an incident and reported it.
    Report,
    /// The enterprise that raised the demand.
    Firm,
}

/// What an enterprise asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Demand {
    Approval,
    Policy,
    Financing,
    Talent,
    /// An individual problem that needs a policy exception from a (joint) meeting.
    Exception,
}

/// Where the case is handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The one-stop online portal: no trips.
    Portal,
    /// A department's window: one trip, more when the case is handed on or bounced.
    Window,
    /// The grid worker and the platform (incidents, disputes, needs told to the grid worker).
    Grid,
    /// The operator's neighbourhood centre: one trip; it settles or forwards the matter.
    Centre,
    /// The community's self-governance committee, which relays the matter: no trip.
    SelfGovernance,
    /// The steward team (enterprise demands).
    Steward,
    /// The financing platform or a bank (financing requests).
    Financing,
    /// A joint or committee meeting (policy exceptions).
    Meeting,
    /// Mediators (disputes).
    Mediation,
    /// A court, after mediation failed: no longer a petition risk.
    Court,
}

impl Channel {
    /// The channels a resident can choose for a need, in the order of [`Channel::index`].
    pub const RESIDENT: [Channel; 5] = [
        Channel::Portal,
        Channel::Window,
        Channel::Centre,
        Channel::Grid,
        Channel::SelfGovernance,
    ];

    pub fn index(self) -> usize {
        self as usize
    }
}

/// How a finished case ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    Resolved,
    Dropped,
}

/// Why a case was dropped, or who resolved it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Resolved by the departments.
    Department,
    /// Settled on the spot by a grid worker (小事不出网格).
    OnTheSpot,
    /// Lost in a hand-off between departments.
    LostInHandoff,
    /// The resident or firm gave up waiting.
    GaveUp,
    /// Settled by the operator's neighbourhood centre.
    Operator,
    /// Settled by mediation.
    Mediated,
    /// Settled by a court after mediation failed.
    Court,
    /// Settled by the steward team.
    Steward,
    /// Financing granted.
    Financed,
    /// Financing refused.
    Refused,
    /// Granted by a joint or committee meeting.
    Meeting,
    /// Still open at the case deadline: ended with its consequence (unmet need, petition, damage).
    Expired,
}

/// Most matters one case can carry.
pub const MAX_TASKS: usize = 8;

/// A case in flight.
#[derive(Component, Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Case {
    pub id: u64,
    pub kind: CaseKind,
    pub resident: Option<Entity>,
    pub firm: Option<Entity>,
    pub demand: Option<Demand>,
    /// Need category (0..N_CATEGORIES) of a service need.
    pub category: u8,
    /// Queue priority in departments (0 residents, 1 hard-indicator cases, 2 cleared by a meeting).
    pub priority: u8,
    /// Summoned by the grid command centre (吹哨): its next hand-off cannot bounce or drop.
    pub summoned: bool,
    pub resident_kind: Option<ResidentKind>,
    pub community: u32,
    pub grid: u32,
    pub serious: bool,
    pub minor: bool,
    pub online_eligible: bool,
    pub channel: Channel,
    pub found_by: FoundBy,
    pub created_at: f64,
    pub discovered_at: f64,
    /// The matters (sub-domains, 0..N_MATTERS) the case needs, handled in order.
    pub tasks: [u8; MAX_TASKS],
    pub n_tasks: u8,
    pub next_task: u8,
    pub handoffs: u8,
    pub bounces: u8,
    /// Bounces since the case was last cleared by a meeting.
    pub bounce_streak: u8,
    pub trips: u8,
    /// Waiting for the committee after too many bounces.
    pub escalated: bool,
    /// A dispute that became a petition (上访).
    pub petition: bool,
    /// Set once the case has ended, so that nothing ends it twice before it is despawned.
    pub finished: bool,
    /// Days spent waiting in department queues, summed over its matters.
    pub wait_days: f64,
    /// When the case joined (or will join) the queue it is in now.
    pub queued_at: f64,
    /// The department it was wrongly sent to first, if any.
    pub misrouted: bool,
    /// Times the case was lost in a hand-off (and brought again or found again).
    pub losses: u8,
    /// The department it is on its way to will examine it and send it back (推诿).
    pub refusing: bool,
    /// In the departments' pipeline (on its way to, waiting in or served by a department).
    pub at_department: bool,
    /// Ended for its owner (given up or expired) while in the departments' pipeline: the
    /// departments, who were never told (数据隔离), still work it to the end; then it vanishes
    /// without being counted again.
    pub abandoned: bool,
}

impl Case {
    /// A new case with nothing done to it yet.
    pub fn new(id: u64, kind: CaseKind, created_at: f64, community: u32, grid: u32) -> Case {
        Case {
            id,
            kind,
            resident: None,
            firm: None,
            demand: None,
            category: 0,
            priority: 0,
            summoned: false,
            resident_kind: None,
            community,
            grid,
            serious: false,
            minor: false,
            online_eligible: false,
            channel: Channel::Grid,
            found_by: FoundBy::Nobody,
            created_at,
            discovered_at: f64::NAN,
            tasks: [0; MAX_TASKS],
            n_tasks: 1,
            next_task: 0,
            handoffs: 0,
            bounces: 0,
            bounce_streak: 0,
            trips: 0,
            escalated: false,
            petition: false,
            finished: false,
            wait_days: 0.0,
            queued_at: f64::NAN,
            misrouted: false,
            losses: 0,
            refusing: false,
            at_department: false,
            abandoned: false,
        }
    }

    /// The case's identity for keyed draws (`rng::uniform`): what it is, in which community and
    /// when it arose. Not its `id`, which counts every case before it and so shifts between
    /// options as soon as one of them creates a case the other does not; not its grid, which a
    /// scenario that cuts the town into more grids renumbers.
    pub fn draw_key(&self) -> u64 {
        self.created_at.to_bits()
            ^ ((self.kind as u64) << 56)
            ^ u64::from(self.community).rotate_left(47)
    }

    /// The event the case has reached, for keyed draws: every queue entry, hand-off, bounce and
    /// loss moves at least one of these counters forward, so one case never draws twice for the
    /// same decision at the same step.
    pub fn draw_step(&self) -> u64 {
        u64::from(self.next_task)
            | u64::from(self.handoffs) << 8
            | u64::from(self.bounces) << 16
            | u64::from(self.losses) << 24
            | u64::from(self.escalated) << 32
            | u64::from(self.misrouted) << 33
    }
}

/// One finished case, as the case log writes it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CaseRecord {
    pub case_id: u64,
    pub kind: CaseKind,
    pub demand: Option<Demand>,
    pub resident_kind: Option<ResidentKind>,
    pub community: u32,
    pub grid: u32,
    pub serious: bool,
    pub channel: Channel,
    pub found_by: FoundBy,
    pub created_at: f64,
    pub discovered_at: Option<f64>,
    pub ended_at: f64,
    pub ending: Ending,
    pub reason: Reason,
    pub days_open: f64,
    pub on_time: bool,
    pub wait_days: f64,
    pub matters: u8,
    pub handoffs: u8,
    pub bounces: u8,
    pub trips: u8,
    pub losses: u8,
    pub escalated: bool,
    pub petition: bool,
}

/// What a finished case did to the resident who raised it (read by `attitudes.rs`).
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    pub resident: Entity,
    pub kind: CaseKind,
    pub channel: Channel,
    pub ending: Ending,
    pub on_time: bool,
    pub bounces: u8,
    /// Trips the resident made for it (residents' needs; 0 otherwise).
    pub trips: u8,
}

/// What a finished demand did to the firm that raised it (read by `enterprises.rs`).
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct FirmOutcome {
    pub firm: Entity,
    pub demand: Option<Demand>,
    pub ending: Ending,
    pub on_time: bool,
    /// A financing request nobody met: ended on time, but not a service to the firm.
    pub refused: bool,
}

/// Counts of cases, today's finishing statistics and the run's, and the optional case log.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct CaseBook {
    pub next_id: u64,
    pub created_total: u64,
    pub resolved_total: u64,
    pub dropped_total: u64,
    pub bounced_total: u64,
    pub petitions_total: u64,
    /// Losses in hand-offs (a case may be lost, brought again and lost again).
    pub lost_total: u64,
    /// Lost cases their resident or firm brought again.
    pub resubmitted_total: u64,
    /// Residents' service needs that ended unmet (given up, lost and not brought again, expired).
    pub unmet_needs_total: u64,
    /// Residents' needs never brought to the government (see `needs.rs`), and those of them
    /// left unmet (the rest were solved privately; the unmet ones are in `unmet_needs_total`).
    pub needs_not_brought_total: u64,
    /// Residents' needs brought to the government (service requests) over the run.
    pub needs_brought_total: u64,
    pub needs_not_brought_unmet_total: u64,
    pub today: DayStats,
    /// Every closed case of the run, in the order they closed: the run's days figures (to
    /// close, to resolve, resolved only) are all read from it.
    pub closed_all: Vec<Closed>,
    pub wait_days_sum: f64,
    pub on_time_total: u64,
    pub trips_total: u64,
    pub matters_total: u64,
    pub one_trip_total: u64,
    /// Finished cases not yet taken by the outer layer; `None` when no case log is kept.
    pub log: Option<Vec<CaseRecord>>,
    pub outcomes: Vec<Outcome>,
    pub firm_outcomes: Vec<FirmOutcome>,
    /// Cases ended by each reason over the run, indexed by `Reason as usize`.
    pub by_reason: [u64; N_REASONS],
}

/// Number of [`Reason`] variants.
pub const N_REASONS: usize = 12;

/// What happened today.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DayStats {
    pub created: u64,
    pub created_by_kind: [u64; 6],
    pub resolved_by_kind: [u64; 6],
    pub dropped_by_kind: [u64; 6],
    pub resolved: u64,
    pub dropped: u64,
    pub bounced: u64,
    pub petitions: u64,
    pub on_the_spot: u64,
    /// Each case closed today, in the order they closed.
    pub closed: Vec<Closed>,
    /// Cases resolved within the on-time deadline today (every on-time case is resolved).
    pub on_time: u64,
    /// Residents' needs left unmet today without being brought to the government: they count
    /// in the headline service figures as needs that ended unresolved (see `needs.rs`).
    pub unmet_unbrought: u64,
    /// Residents' needs not brought to the government today, solved privately or not: none was
    /// resolved by the government, so the on-time share counts each as not on time.
    pub not_brought: u64,
    /// Losses in hand-offs today, and cases ended at the case deadline today.
    pub lost: u64,
    pub expired: u64,
    /// Matters (need cases) closed today, their trips, and how many took at most one trip.
    pub matters: u64,
    pub trips: u64,
    pub one_trip: u64,
    pub discovered_incidents: u64,
    pub reported_incidents: u64,
}

impl CaseBook {
    pub fn open(&self) -> u64 {
        self.created_total - self.resolved_total - self.dropped_total
    }

    /// Registers a new case and returns its id.
    pub fn created(&mut self, kind: CaseKind) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.created_total += 1;
        self.today.created += 1;
        self.today.created_by_kind[kind as usize] += 1;
        self.needs_brought_total += (kind == CaseKind::Need) as u64;
        id
    }

    /// Counts a loss in a hand-off (the case stays open: it is brought again, found again or
    /// ended by whoever owns it).
    pub fn lost(&mut self, case: &mut Case) {
        case.losses = case.losses.saturating_add(1);
        self.lost_total += 1;
        self.today.lost += 1;
    }

    /// A grid worker settles the case where it arose (小事不出网格).
    pub fn settle_on_the_spot(
        &mut self,
        commands: &mut Commands,
        entity: Entity,
        case: &mut Case,
        at: f64,
        on_time_days: f64,
    ) -> bool {
        self.finish(
            commands,
            entity,
            case,
            Ending::Resolved,
            Reason::OnTheSpot,
            at,
            on_time_days,
        )
    }

    /// Ends a case: counts it, records it, queues its outcome and despawns it.
    /// Returns false (and does nothing) if the case had already ended.
    #[allow(clippy::too_many_arguments)]
    pub fn finish(
        &mut self,
        commands: &mut Commands,
        entity: Entity,
        case: &mut Case,
        ending: Ending,
        reason: Reason,
        now: f64,
        on_time_days: f64,
    ) -> bool {
        if case.finished {
            return false;
        }
        case.finished = true;
        self.by_reason[reason as usize] += 1;
        let days_open = (now - case.created_at).max(0.0);
        let on_time = ending == Ending::Resolved && days_open <= on_time_days;
        let closed = Closed {
            kind: case.kind,
            days: days_open as f32,
            resolved: ending == Ending::Resolved,
        };
        self.today.closed.push(closed);
        self.closed_all.push(closed);
        if reason == Reason::Expired {
            self.today.expired += 1;
        }
        // Trips per matter count every closed need, so a matter given up after many trips
        // is not left out.
        if case.kind == CaseKind::Need {
            self.today.matters += 1;
            self.today.trips += case.trips as u64;
            self.matters_total += 1;
            self.trips_total += case.trips as u64;
            if case.trips <= 1 {
                self.today.one_trip += 1;
                self.one_trip_total += 1;
            }
        }
        match ending {
            Ending::Resolved => {
                self.resolved_total += 1;
                self.today.resolved += 1;
                self.today.resolved_by_kind[case.kind as usize] += 1;
                self.wait_days_sum += case.wait_days;
                if on_time {
                    self.today.on_time += 1;
                    self.on_time_total += 1;
                }
                if reason == Reason::OnTheSpot {
                    self.today.on_the_spot += 1;
                }
            }
            Ending::Dropped => {
                self.dropped_total += 1;
                self.today.dropped += 1;
                self.today.dropped_by_kind[case.kind as usize] += 1;
                self.unmet_needs_total += (case.kind == CaseKind::Need) as u64;
            }
        }
        if let Some(resident) = case.resident {
            self.outcomes.push(Outcome {
                resident,
                kind: case.kind,
                channel: case.channel,
                ending,
                on_time,
                bounces: case.bounces,
                trips: if case.kind == CaseKind::Need {
                    case.trips
                } else {
                    0
                },
            });
        }
        if let Some(firm) = case.firm {
            self.firm_outcomes.push(FirmOutcome {
                firm,
                demand: case.demand,
                ending,
                on_time,
                refused: reason == Reason::Refused,
            });
        }
        if let Some(log) = &mut self.log {
            log.push(CaseRecord {
                case_id: case.id,
                kind: case.kind,
                demand: case.demand,
                resident_kind: case.resident_kind,
                community: case.community,
                grid: case.grid,
                serious: case.serious,
                channel: case.channel,
                found_by: case.found_by,
                created_at: case.created_at,
                discovered_at: (case.found_by != FoundBy::Nobody).then_some(case.discovered_at),
                ended_at: now,
                ending,
                reason,
                days_open,
                on_time,
                wait_days: case.wait_days,
                matters: case.n_tasks,
                handoffs: case.handoffs,
                bounces: case.bounces,
                trips: case.trips,
                losses: case.losses,
                escalated: case.escalated,
                petition: case.petition,
            });
        }
        if ending == Ending::Dropped
            && matches!(reason, Reason::GaveUp | Reason::Expired)
            && case.at_department
        {
            // Counted as ended here; the departments still work it (see `Case::abandoned`).
            case.abandoned = true;
        } else {
            commands.entity(entity).despawn();
        }
        true
    }
}

/// One closed case, as the days figures read it.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct Closed {
    pub kind: CaseKind,
    /// Days from creation to closing.
    pub days: f32,
    pub resolved: bool,
}

impl Closed {
    /// Days to resolve, a case that ended unresolved counted at the case deadline (its need
    /// was never met): the headline days figure.
    pub fn resolve_days(&self, case_deadline_days: f64) -> f32 {
        if self.resolved {
            self.days
        } else {
            (self.days as f64).max(case_deadline_days) as f32
        }
    }
}

/// The days figures of some closed cases, in their order: (to close, to resolve with an
/// unresolved case at the deadline, resolved cases only).
///
/// `unmet_unbrought` needs that ended unmet without being brought to the government count in
/// the days to resolve as unresolved (at the case deadline), not in the days to close: they were
/// never cases.
pub fn days_figures(
    closed: &[Closed],
    unmet_unbrought: u64,
    case_deadline_days: f64,
) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let close = closed.iter().map(|c| c.days).collect();
    let resolve = closed
        .iter()
        .map(|c| c.resolve_days(case_deadline_days))
        .chain((0..unmet_unbrought).map(|_| case_deadline_days as f32))
        .collect();
    let resolved_only = closed
        .iter()
        .filter(|c| c.resolved)
        .map(|c| c.days)
        .collect();
    (close, resolve, resolved_only)
}

/// Clears today's statistics at the start of a day.
pub(crate) fn new_day(mut book: ResMut<CaseBook>) {
    book.today = DayStats::default();
}

pub fn install(world: &mut World, plan: &mut super::DayPlan, keep_log: bool) {
    world.insert_resource(CaseBook {
        log: keep_log.then(Vec::new),
        ..Default::default()
    });
    plan.add(super::Phase::Reforms, new_day);
}
