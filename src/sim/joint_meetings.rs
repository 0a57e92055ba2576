//! Joint meetings (社区联席会议 / 联席会议, seed 000): every `joint_meeting_interval_days`, when
//! there is a self-governance committee or a steward team, the management committee meets them
//! (and the operator). The meeting grants the policy exceptions firms wait for (the stewards
//! bring them), clears cases escalated after bouncing between departments, and, where
//! self-governance committees sit, relays residents' needs (service supply moves toward them by
//! `relay_rate` times the committee's strength) and supervises the operator.

use bevy_ecs::prelude::*;

use super::cases::{Case, CaseBook, Ending, Reason};
use super::clock::{Clock, Params};
use super::committee::clear_escalated;
use super::departments::Committee;
use super::enterprises::Exceptions;
use super::operator::Centres;
use super::self_governance::SelfGovernments;
use super::service_match::ServiceMatch;
use super::{DayPlan, Phase};

/// Meetings held over the run.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct JointMeetings {
    pub held_total: u32,
    pub held_today: bool,
}

/// Grants every waiting exception at time `at` (shared with the committee's own meetings).
pub fn grant_exceptions(
    commands: &mut Commands,
    book: &mut CaseBook,
    exceptions: &mut Exceptions,
    cases: &mut Query<&mut Case>,
    at: f64,
    on_time_days: f64,
) {
    for e in exceptions.0.drain(..) {
        if let Ok(mut case) = cases.get_mut(e) {
            book.finish(
                commands,
                e,
                &mut case,
                Ending::Resolved,
                Reason::Meeting,
                at,
                on_time_days,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn meet(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    governments: Res<SelfGovernments>,
    mut meetings: ResMut<JointMeetings>,
    mut committee: ResMut<Committee>,
    mut exceptions: ResMut<Exceptions>,
    mut matching: ResMut<ServiceMatch>,
    mut centres: ResMut<Centres>,
    mut book: ResMut<CaseBook>,
    mut cases: Query<&mut Case>,
) {
    let p = &params.0.policy;
    meetings.held_today = false;
    let self_gov = p.self_governance.enabled && governments.elected;
    if !(self_gov || p.stewards.size() > 0) {
        centres.supervision = 0.0;
        return;
    }
    if !(clock.day + 1).is_multiple_of(p.self_governance.joint_meeting_interval_days) {
        return;
    }
    let now = clock.end() - 1e-9;
    meetings.held_today = true;
    meetings.held_total += 1;
    grant_exceptions(
        &mut commands,
        &mut book,
        &mut exceptions,
        &mut cases,
        now,
        params.0.needs.on_time_days,
    );
    clear_escalated(
        &mut committee,
        &mut cases,
        p.committee.n_departments,
        clock.end(),
    );
    if self_gov {
        for c in 0..matching.need.len() {
            matching.shift(
                c,
                p.self_governance.relay_rate * governments.strength(c),
                false,
            );
        }
        centres.supervision = governments.mean_strength();
    } else {
        centres.supervision = 0.0;
    }
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    world.insert_resource(JointMeetings::default());
    plan.add(Phase::Meet, meet);
}
