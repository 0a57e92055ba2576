//! The financing platform (融资服务平台, seed 000) the stewards run: a fund of government guidance
//! money and social capital that invests a share of itself each year. Requests are decided once
//! a month: the platform's money goes first to SMEs and start-ups up to the small-firm quota,
//! then to any request in order of arrival; a request the platform cannot meet goes to the banks,
//! which favour big firms. Without a steward team or a fund, only the banks decide.

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::cases::{Case, CaseBook, Ending, Reason};
use super::clock::{Clock, Params};
use super::enterprises::Firm;
use super::rng::{self, Rng};
use super::{DayPlan, Phase};
use crate::scenario::FirmSize;

crate::declare_stream!(FinancingStream, "financing");

/// Requests waiting for the month's decision, and what was granted.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FinancingBook {
    pub requests: Vec<Entity>,
    /// Yuan granted by firm size, today and over the run (platform and banks).
    pub granted_today_yuan: [f64; 3],
    pub granted_total_yuan: [f64; 3],
    pub granted_total: [u64; 3],
}

#[allow(clippy::too_many_arguments)]
fn decide(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    mut fin: ResMut<FinancingBook>,
    mut book: ResMut<CaseBook>,
    mut cases: Query<&mut Case>,
    mut firms: Query<&mut Firm>,
    mut rng: ResMut<Rng<FinancingStream>>,
) {
    fin.granted_today_yuan = [0.0; 3];
    if !(clock.day + 1).is_multiple_of(30) || fin.requests.is_empty() {
        return;
    }
    let s = &params.0;
    let p = &s.policy.financing;
    let platform = s.policy.stewards.size() > 0 && p.fund_yuan > 0.0;
    let mut money = if platform {
        p.fund_yuan * p.deploy_per_year / 12.0
    } else {
        0.0
    };
    let mut small_money = money * p.small_firm_quota;
    let r = &mut rng.stream;
    let at = clock.end() - 1e-9;
    let requests = std::mem::take(&mut fin.requests);
    // Pass 1: the small-firm quota; pass 2: everything left, in order of arrival.
    let mut granted = vec![false; requests.len()];
    for pass in 0..2 {
        for (i, &e) in requests.iter().enumerate() {
            if granted[i] {
                continue;
            }
            let Some(size) = size_of(&cases, &firms, e) else {
                continue;
            };
            let small = size != FirmSize::Leading;
            let amount = s.firms.financing_need_yuan[size.index()];
            let pot = if pass == 0 {
                &mut small_money
            } else {
                &mut money
            };
            if (pass == 0 && !small) || amount > *pot {
                continue;
            }
            *pot -= amount;
            if pass == 0 {
                money -= amount;
            }
            granted[i] = true;
        }
    }
    for (i, e) in requests.into_iter().enumerate() {
        let Some(size) = size_of(&cases, &firms, e) else {
            continue;
        };
        let k = size.index();
        let ok = granted[i] || r.random_bool(s.firms.bank_grant_prob[k]);
        let Ok(mut case) = cases.get_mut(e) else {
            continue;
        };
        if ok {
            let amount = s.firms.financing_need_yuan[k];
            fin.granted_today_yuan[k] += amount;
            fin.granted_total_yuan[k] += amount;
            fin.granted_total[k] += 1;
            if let Some(mut firm) = case.firm.and_then(|f| firms.get_mut(f).ok()) {
                firm.financed_until = clock.day + 365;
            }
        }
        let reason = if ok {
            Reason::Financed
        } else {
            Reason::Refused
        };
        book.finish(
            &mut commands,
            e,
            &mut case,
            Ending::Resolved,
            reason,
            at,
            s.needs.on_time_days,
        );
    }
}

fn size_of(cases: &Query<&mut Case>, firms: &Query<&mut Firm>, e: Entity) -> Option<FirmSize> {
    let case = cases.get(e).ok().filter(|c| !c.finished)?;
    Some(
        case.firm
            .and_then(|f| firms.get(f).ok())
            .map(|f| f.size)
            .unwrap_or(FirmSize::Startup),
    )
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<FinancingStream>(world);
    world.insert_resource(FinancingBook::default());
    plan.add(Phase::Handle, decide);
}
