//! The steward team (小镇管家, seed 000): at most 10 members, each with a background. Every day
//! they visit firms: a visit raises the firm's policy awareness (it claims the incentives it is
//! entitled to) and its stickiness, each by what the visiting member's background brings, and
//! may detect an outside offer the firm is weighing, so that the town can respond. The team also
//! settles firms' policy questions and talent requests at its desk. Under hard-indicator
//! evaluation the visits go to the leading firms first.

use std::collections::VecDeque;

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::cases::{Case, CaseBook, Ending, Reason};
use super::clock::{Clock, Params};
use super::dispatch::DispatchQueue;
use super::enterprises::{Economy, Firm};
use super::evaluation::Orientation;
use super::rng::{self, Rng};
use super::{DayPlan, Phase};
use crate::scenario::{Background, FirmSize};

crate::declare_stream!(StewardsStream, "stewards");

/// The team's desk and its counters.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct StewardDesk {
    /// Policy questions and talent requests waiting, oldest first.
    pub queue: VecDeque<Entity>,
    visit_credit: f64,
    desk_credit: f64,
    next_member: usize,
    pub visits_today: u64,
    pub visits_total: u64,
    pub settled_total: u64,
}

fn members(team: &[u32; 5]) -> Vec<Background> {
    Background::ALL
        .iter()
        .flat_map(|&b| std::iter::repeat_n(b, team[b as usize] as usize))
        .collect()
}

fn visit(
    params: Res<Params>,
    orientation: Res<Orientation>,
    economy: Res<Economy>,
    mut desk: ResMut<StewardDesk>,
    mut firms: Query<&mut Firm>,
    mut rng: ResMut<Rng<StewardsStream>>,
) {
    let st = &params.0.policy.stewards;
    let team = members(&st.team);
    desk.visits_today = 0;
    if team.is_empty() || economy.firms.is_empty() {
        desk.visit_credit = 0.0;
        return;
    }
    let r = &mut rng.stream;
    desk.visit_credit += team.len() as f64 * st.visits_per_member_day;
    let leading: Vec<Entity> = economy
        .firms
        .iter()
        .copied()
        .filter(|&e| firms.get(e).is_ok_and(|f| f.size == FirmSize::Leading))
        .collect();
    while desk.visit_credit >= 1.0 {
        desk.visit_credit -= 1.0;
        let pool = if !leading.is_empty()
            && r.random_bool(orientation.steward_big_firm_bias.clamp(0.0, 1.0))
        {
            &leading
        } else {
            &economy.firms
        };
        let target = pool[r.random_range(0..pool.len())];
        let bg = team[desk.next_member % team.len()] as usize;
        desk.next_member += 1;
        let Ok(mut firm) = firms.get_mut(target) else {
            continue;
        };
        let (a, s) = (firm.awareness as f64, firm.stickiness as f64);
        firm.awareness = (a + st.awareness_gain[bg] * (1.0 - a)) as f32;
        firm.stickiness = (s + st.stickiness_gain[bg] * (1.0 - s)) as f32;
        if firm.offer_decides_on.is_some() && !firm.offer_detected && r.random_bool(st.detect_prob)
        {
            firm.offer_detected = true;
        }
        desk.visits_today += 1;
        desk.visits_total += 1;
    }
}

#[allow(clippy::too_many_arguments)]
fn settle(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    mut desk: ResMut<StewardDesk>,
    mut book: ResMut<CaseBook>,
    mut dispatch: ResMut<DispatchQueue>,
    mut cases: Query<&mut Case>,
    mut rng: ResMut<Rng<StewardsStream>>,
) {
    let st = &params.0.policy.stewards;
    let on_time_days = params.0.needs.on_time_days;
    if st.size() == 0 {
        // A team disbanded by the timeline hands its open cases to the departments.
        desk.desk_credit = 0.0;
        dispatch.0.extend(desk.queue.drain(..));
        return;
    }
    let r = &mut rng.stream;
    desk.desk_credit += st.size() as f64 * st.cases_per_member_day;
    while desk.desk_credit >= 1.0 {
        let Some(e) = desk.queue.pop_front() else {
            desk.desk_credit = desk.desk_credit.min(1.0);
            break;
        };
        let Ok(mut case) = cases.get_mut(e) else {
            continue;
        };
        if case.finished {
            continue;
        }
        desk.desk_credit -= 1.0;
        let at = (clock.start() + r.random::<f64>()).max(case.created_at);
        if book.finish(
            &mut commands,
            e,
            &mut case,
            Ending::Resolved,
            Reason::Steward,
            at,
            on_time_days,
        ) {
            desk.settled_total += 1;
        }
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<StewardsStream>(world);
    world.insert_resource(StewardDesk::default());
    plan.add(Phase::Discover, visit);
    plan.add(Phase::Handle, settle);
}
