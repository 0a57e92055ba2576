//! The management committee's departments (职能部门): each is a multi-server queue worked in
//! continuous time inside the day (first come, first served within a priority class). When a
//! matter is done the case moves to the department of its next matter: a hand-off that adds
//! delay and may bounce (推诿) or lose the case. With one department, Poisson arrivals and
//! exponential service this is exactly an M/M/c queue (the Erlang C docking test).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::Exp1;

use super::cases::{Case, CaseBook, Channel, Ending, FoundBy, Reason};
use super::clock::{Clock, Params};
use super::evaluation::Orientation;
use super::grid::Unseen;
use super::levers::Effective;
use super::matters::department_of;
use super::residents::ResidentSums;
use super::rng;
use super::{DayPlan, Phase};

// Keyed draws (`rng::uniform`), one name per decision, keyed by the case and its step: a
// reform that changes one case's path leaves every other case's draws alone.
crate::declare_stream!(ServiceDraw, "departments.service");
crate::declare_stream!(CarryDraw, "departments.carry");
crate::declare_stream!(HandOffDraw, "departments.handoff");
crate::declare_stream!(ResubmitDraw, "departments.resubmit");
crate::declare_stream!(NoticeDraw, "departments.notice");
crate::declare_stream!(DelayDraw, "departments.delay");
crate::declare_stream!(BackDraw, "departments.back");

/// A case waiting in a department's queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Waiting {
    priority: u8,
    arrival_bits: u64,
    seq: u64,
    case: Entity,
}

impl Ord for Waiting {
    /// Higher priority first, then earlier arrival, then earlier sequence number.
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority
            .cmp(&other.priority)
            .then(other.arrival_bits.cmp(&self.arrival_bits))
            .then(other.seq.cmp(&self.seq))
    }
}

impl PartialOrd for Waiting {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Key of a timed event: non-negative times order like their bits.
type TimeKey = (u64, u64);

/// One department: its handlers and its queue.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Department {
    /// The handlers, by when each is next free.
    pub handlers: Handlers,
    /// Cases on their way here, by arrival time.
    arrivals: BinaryHeap<Reverse<(TimeKey, u8, Entity)>>,
    waiting: BinaryHeap<Waiting>,
    /// Matters that have reached it over the run (its offered work; see `load.rs`).
    pub offered: u64,
}

impl Department {
    pub fn queue_len(&self) -> usize {
        self.waiting.len()
    }

    pub fn en_route(&self) -> usize {
        self.arrivals.len()
    }
}

/// The committee's departments and the matters in service.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Committee {
    pub departments: Vec<Department>,
    /// Matters in service, by finishing time: (time, seq), case, department.
    completions: BinaryHeap<Reverse<(TimeKey, Entity, u16)>>,
    /// Cases escalated after too many bounces, waiting for a coordination meeting.
    pub escalated: Vec<Entity>,
    seq: u64,
}

impl Committee {
    /// Sends `case` to department `dept`, arriving at time `at`, with a queue priority.
    pub fn send(&mut self, case: Entity, dept: u16, at: f64, priority: u8) {
        self.seq += 1;
        let key = (at.max(0.0).to_bits(), self.seq);
        self.departments[dept as usize]
            .arrivals
            .push(Reverse((key, priority, case)));
    }

    /// Matters in service now.
    pub fn in_service(&self) -> usize {
        self.completions.len()
    }
}

/// Works every department's queue through the day, in continuous time.
fn serve(
    clock: Res<Clock>,
    params: Res<Params>,
    orientation: Res<Orientation>,
    mut committee: ResMut<Committee>,
    mut cases: Query<&mut Case>,
) {
    let end = clock.end();
    let seed = clock.master_seed;
    // Effort diverted to investment promotion (考核导向) slows every handler.
    let mu = params.0.policy.committee.tasks_per_staff_day * (1.0 - orientation.diversion);
    let answer_days = params.0.policy.authority.answer_days;
    let online_factor = params.0.policy.portal.online_time_factor;
    let committee = &mut *committee;
    for (d, dept) in committee.departments.iter_mut().enumerate() {
        loop {
            let ta = dept
                .arrivals
                .peek()
                .map(|Reverse(((t, _), _, _))| f64::from_bits(*t))
                .unwrap_or(f64::INFINITY);
            let tf = dept.handlers.earliest();
            let serve_queue = !dept.waiting.is_empty() && tf <= ta && tf < end;
            if !serve_queue && ta >= end {
                break;
            }
            let (case_e, start) = if serve_queue {
                let w = dept.waiting.pop().expect("not empty");
                (w.case, tf)
            } else {
                let Reverse(((bits, seq), priority, case_e)) =
                    dept.arrivals.pop().expect("ta < end");
                dept.offered += 1;
                if dept.waiting.is_empty() && tf <= ta {
                    (case_e, ta)
                } else {
                    dept.waiting.push(Waiting {
                        priority,
                        arrival_bits: bits,
                        seq,
                        case: case_e,
                    });
                    continue;
                }
            };
            let Ok(mut case) = cases.get_mut(case_e) else {
                continue;
            };
            if case.finished && !case.abandoned {
                continue;
            }
            case.wait_days += (start - case.queued_at).max(0.0);
            let factor = if case.channel == Channel::Portal {
                online_factor
            } else {
                1.0
            };
            let mut service =
                rng::exponential::<ServiceDraw>(seed, case.draw_key(), case.draw_step(), 1.0) / mu
                    * factor;
            if case.summoned {
                service = service.min(answer_days);
            }
            let finish = start + service;
            dept.handlers.take_until(finish);
            committee.seq += 1;
            committee.completions.push(Reverse((
                (finish.to_bits(), committee.seq),
                case_e,
                d as u16,
            )));
        }
    }
}

/// A department's handlers in a heap by the time each is next free (ties: the lowest
/// number first), so finding the next free one costs log(handlers), not a scan of all.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Handlers {
    /// (free-at time bits, handler number); non-negative times order like their bits.
    free: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Handlers {
    fn new(n: usize, at: f64) -> Self {
        let mut h = Handlers::default();
        h.resize(n, at);
        h
    }

    pub fn len(&self) -> usize {
        self.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.free.is_empty()
    }

    /// When the next handler is free (infinity with none).
    fn earliest(&self) -> f64 {
        self.free
            .peek()
            .map_or(f64::INFINITY, |Reverse((t, _))| f64::from_bits(*t))
    }

    /// The next free handler takes a matter until `finish`.
    fn take_until(&mut self, finish: f64) {
        if let Some(Reverse((_, k))) = self.free.pop() {
            self.free.push(Reverse((finish.max(0.0).to_bits(), k)));
        }
    }

    /// Keeps handlers 0..n: new ones are free from `at`, the highest numbers go first.
    fn resize(&mut self, n: usize, at: f64) {
        let have = self.free.len();
        if n < have {
            let keep: Vec<_> = std::mem::take(&mut self.free)
                .into_vec()
                .into_iter()
                .filter(|Reverse((_, k))| (*k as usize) < n)
                .collect();
            self.free = BinaryHeap::from(keep);
        }
        for k in have..n {
            self.free.push(Reverse((at.max(0.0).to_bits(), k as u32)));
        }
    }
}

#[allow(clippy::too_many_arguments)]
/// Moves every case whose matter finished today on: to its next matter (maybe in another
/// department, through a hand-off, where it may bounce or be lost), or to resolution. A lost
/// case is not an end: its resident or firm brings it again (or gives up), and a lost incident
/// goes back among the unseen in its grid.
fn finish_matters(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    effective: Res<Effective>,
    mut committee: ResMut<Committee>,
    mut book: ResMut<CaseBook>,
    mut unseen: ResMut<Unseen>,
    mut cases: Query<&mut Case>,
) {
    let end = clock.end();
    let seed = clock.master_seed;
    let c = &params.0.policy.committee;
    let on_time_days = params.0.needs.on_time_days;
    while let Some(Reverse(((bits, _), _, _))) = committee.completions.peek() {
        let t = f64::from_bits(*bits);
        if t >= end {
            break;
        }
        let Reverse((_, case_e, d)) = committee.completions.pop().expect("peeked");
        let Ok(mut case) = cases.get_mut(case_e) else {
            continue;
        };
        // An abandoned case (its owner gave up, or it expired) is still worked: nobody told the
        // departments (数据隔离). It vanishes, already counted, where it would have ended.
        if case.finished && !case.abandoned {
            continue;
        }
        let right = department_of(case.tasks[case.next_task as usize], c.n_departments);
        if case.misrouted && right != d {
            // The wrong department finds out and sends it back: a bounce.
            case.misrouted = false;
            bounce(&mut case, seed, &effective, &mut book);
            let delay = rng::exponential::<DelayDraw>(
                seed,
                case.draw_key(),
                case.draw_step(),
                effective.handoff_delay_days,
            );
            queue_at(&mut case, t + delay);
            committee.send(case_e, right, t + delay, case.priority);
            continue;
        }
        let mut ctx = HandOff {
            commands: &mut commands,
            committee: &mut committee,
            book: &mut book,
            unseen: &mut unseen,
            effective: &effective,
            params: &params.0,
            seed,
        };
        if case.refusing {
            // The department examined the case and refused it (推诿): a bounce. Refusing
            // took its handler's time; the sender hands the case over again.
            case.refusing = false;
            bounce(&mut case, seed, &effective, ctx.book);
            if case.bounce_streak as u32 > c.max_bounces {
                if case.abandoned {
                    ctx.commands.entity(case_e).despawn();
                    continue;
                }
                case.escalated = true;
                case.at_department = false;
                ctx.committee.escalated.push(case_e);
                continue;
            }
            let back = rng::exponential::<BackDraw>(
                seed,
                case.draw_key(),
                case.draw_step(),
                effective.handoff_delay_days,
            );
            ctx.hand_off(case_e, &mut case, d, t + back);
            continue;
        }
        case.next_task += 1;
        if case.next_task >= case.n_tasks {
            if case.abandoned {
                ctx.commands.entity(case_e).despawn();
                continue;
            }
            ctx.book.finish(
                ctx.commands,
                case_e,
                &mut case,
                Ending::Resolved,
                Reason::Department,
                t,
                on_time_days,
            );
            continue;
        }
        let next = department_of(case.tasks[case.next_task as usize], c.n_departments);
        if next == d {
            queue_at(&mut case, t);
            ctx.committee.send(case_e, next, t, case.priority);
            continue;
        }
        ctx.hand_off(case_e, &mut case, next, t);
    }
}

/// What a hand-off between departments touches.
struct HandOff<'a, 'w, 's> {
    commands: &'a mut Commands<'w, 's>,
    committee: &'a mut Committee,
    book: &'a mut CaseBook,
    unseen: &'a mut Unseen,
    effective: &'a Effective,
    params: &'a crate::scenario::Scenario,
    /// The master seed the keyed draws use.
    seed: u64,
}

impl HandOff<'_, '_, '_> {
    /// Hands `case` to department `to` at time `t`: it may be lost (its record gone with it,
    /// 数据隔离), or reach a department that will examine and refuse it (推诿), or simply
    /// arrive after the hand-off delay.
    fn hand_off(&mut self, e: Entity, case: &mut Case, to: u16, t: f64) {
        let (effective, seed) = (self.effective, self.seed);
        let needs = &self.params.needs;
        case.handoffs = case.handoffs.saturating_add(1);
        let (key, step) = (case.draw_key(), case.draw_step());
        if case.channel == Channel::Window
            && rng::chance::<CarryDraw>(seed, key, step, effective.p_carry)
        {
            case.trips = case.trips.saturating_add(1);
        }
        let u: f64 = if case.summoned {
            1.0
        } else {
            rng::uniform::<HandOffDraw>(seed, key, step)
        };
        case.summoned = false;
        if u < effective.p_drop {
            // Whoever brings it again starts from its first matter; the matter keeps its age.
            if case.abandoned {
                // Lost work nobody is waiting for any more.
                self.commands.entity(e).despawn();
                return;
            }
            self.book.lost(case);
            case.next_task = 0;
            case.at_department = false;
            if case.resident.is_none() && case.firm.is_none() {
                // Nobody owns a lost incident: it is back among the unseen in its grid.
                case.found_by = FoundBy::Nobody;
                self.unseen.0.push(e);
            } else if rng::chance::<ResubmitDraw>(seed, key, step, needs.resubmit_prob) {
                // Its owner notices nothing happens and brings it again (one more trip to a
                // window).
                self.book.resubmitted_total += 1;
                if case.channel == Channel::Window {
                    case.trips = case.trips.saturating_add(1);
                }
                let at = t + rng::exponential::<NoticeDraw>(seed, key, step, needs.notice_days);
                let first =
                    department_of(case.tasks[0], self.params.policy.committee.n_departments);
                queue_at(case, at);
                self.committee.send(e, first, at, case.priority);
            } else {
                self.book.finish(
                    self.commands,
                    e,
                    case,
                    Ending::Dropped,
                    Reason::LostInHandoff,
                    t,
                    needs.on_time_days,
                );
            }
            return;
        }
        // A case the receiving department will refuse still takes a handler's time there.
        case.refusing = u < effective.p_drop + effective.p_bounce;
        let at = t + rng::exponential::<DelayDraw>(seed, key, step, effective.handoff_delay_days);
        queue_at(case, at);
        self.committee.send(e, to, at, case.priority);
    }
}

/// A bounce between departments (推诿): counted, and maybe one more trip to a window.
fn bounce(case: &mut Case, seed: u64, effective: &Effective, book: &mut CaseBook) {
    book.bounced_total += 1;
    book.today.bounced += 1;
    case.bounces = case.bounces.saturating_add(1);
    case.bounce_streak = case.bounce_streak.saturating_add(1);
    if case.channel == Channel::Window
        && rng::chance::<CarryDraw>(seed, case.draw_key(), case.draw_step(), effective.p_carry)
    {
        case.trips = case.trips.saturating_add(1);
    }
}

/// Records when the case joins its next department queue, for its waiting time.
pub fn queue_at(case: &mut Case, at: f64) {
    case.queued_at = at;
    case.at_department = true;
}

/// An exponential delay with the given mean (0 gives 0).
pub fn exp(r: &mut rng::Stream, mean: f64) -> f64 {
    if mean > 0.0 {
        r.sample::<f64, _>(Exp1) * mean
    } else {
        0.0
    }
}

/// The committee's handlers: `total_staff` as the policy sets it, or, where the scenario says
/// staff follows the town (`staff_follow_residents`), in proportion to the residents against
/// the start (at least one per department).
pub fn total_staff(s: &crate::scenario::Scenario, residents: u64) -> usize {
    let c = &s.policy.committee;
    let start = s.town.n_residents();
    let total = if c.staff_follow_residents && start > 0 {
        let scaled = c.total_staff as f64 * residents as f64 / start as f64;
        scaled.round() as usize
    } else {
        c.total_staff as usize
    };
    total.max(c.n_departments as usize)
}

/// Handlers of department `d` when `total` handlers are split among `n` departments: as evenly
/// as they divide, the first `total % n` departments one more (大部制 or not, the same people).
pub fn handlers_of(total: usize, n: usize, d: usize) -> usize {
    let n = n.max(1);
    total / n + usize::from(d < total % n)
}

/// Follows the policy's number of departments and staff (the timeline may change them). A
/// department beyond the new number keeps its handlers until its queue is empty; no new case
/// goes to it.
fn resize(
    clock: Res<Clock>,
    params: Res<Params>,
    sums: Res<ResidentSums>,
    austerity: Res<super::budget::Austerity>,
    mut committee: ResMut<Committee>,
) {
    let c = &params.0.policy.committee;
    let n = c.n_departments as usize;
    let total = total_staff(&params.0, sums.n.iter().sum());
    while committee.departments.len() < n {
        committee.departments.push(Department::default());
    }
    for (d, dept) in committee.departments.iter_mut().enumerate() {
        // A department beyond the new number keeps one handler while it has cases to finish.
        let want = if d < n {
            handlers_of(total, n, d)
        } else if !dept.waiting.is_empty() || !dept.arrivals.is_empty() {
            1
        } else {
            0
        };
        // A hiring freeze (a hard budget in deficit): no department grows.
        let want = if austerity.freeze {
            want.min(dept.handlers.len())
        } else {
            want
        };
        if dept.handlers.len() != want {
            dept.handlers.resize(want, clock.start());
        }
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    plan.add(Phase::Reforms, resize);
    let c = world.resource::<Params>().0.policy.committee.clone();
    let total = (c.total_staff as usize).max(c.n_departments as usize);
    let departments = (0..c.n_departments as usize)
        .map(|d| Department {
            handlers: Handlers::new(handlers_of(total, c.n_departments as usize, d), 0.0),
            ..Default::default()
        })
        .collect();
    world.insert_resource(Committee {
        departments,
        ..Default::default()
    });
    plan.add(Phase::Handle, serve);
    plan.add(Phase::Handle, finish_matters);
}

impl super::state::MapIds for Committee {
    /// Heaps are rebuilt from their arrays: the keys compare the same (a case is never the
    /// deciding part of a key), so the layout and the pop order stay as saved.
    fn map_ids(&mut self, map: &super::state::IdMap) {
        for d in &mut self.departments {
            let mut arrivals = std::mem::take(&mut d.arrivals).into_vec();
            map.all(arrivals.iter_mut().map(|Reverse((_, _, e))| e));
            d.arrivals = BinaryHeap::from(arrivals);
            let mut waiting = std::mem::take(&mut d.waiting).into_vec();
            map.all(waiting.iter_mut().map(|w| &mut w.case));
            d.waiting = BinaryHeap::from(waiting);
        }
        let mut completions = std::mem::take(&mut self.completions).into_vec();
        map.all(completions.iter_mut().map(|Reverse((_, e, _))| e));
        self.completions = BinaryHeap::from(completions);
        map.all(self.escalated.iter_mut());
    }
}
