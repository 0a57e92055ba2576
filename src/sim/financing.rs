//! The financing platform (融资服务平台, seed 000) the stewards run: a fund of government guidance
//! money and social capital. The fund is a stock: grants are drawn from its balance, come back
//! (less the share lost) after `term_years`, and new money enters when the scenario raises
//! `fund_yuan` (a timeline reform); lowering it takes money out of the balance. Requests are
//! decided once a month in order of arrival: a leading firm may draw only on the balance beyond
//! the small-firm quota, which is kept for SMEs and start-ups; a request the platform cannot
//! meet goes to the banks, which favour big firms. Without a steward team nobody runs the
//! platform: the fund's money sits idle (no grants; `budget.rs` charges its guidance cost only
//! while the platform runs) and only the banks decide.

use bevy_ecs::prelude::*;
use rand::RngExt;

use super::cases::{Case, CaseBook, Ending, Reason};
use super::clock::{Clock, Params};
use super::enterprises::Firm;
use super::rng::{self, Rng};
use super::{DayPlan, Phase};
use crate::scenario::FirmSize;

crate::declare_stream!(FinancingStream, "financing");

/// Requests waiting for the month's decision, the fund's stock, and what was granted.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct FinancingBook {
    pub requests: Vec<Entity>,
    /// Yuan granted by firm size, today and over the run (platform and banks).
    pub granted_today_yuan: [f64; 3],
    pub granted_total_yuan: [f64; 3],
    pub granted_total: [u64; 3],
    /// Yuan the platform granted over the run (the banks' grants are not in it).
    pub platform_total_yuan: f64,
    /// Money put into the fund so far (follows `fund_yuan` as reforms change it).
    pub capital_yuan: f64,
    /// The fund's money not lent out.
    pub balance_yuan: f64,
    /// Grants still out: (day the repayment comes back, yuan that come back).
    pub loans: Vec<(u32, f64)>,
}

/// Brings the fund's capital to the policy's `fund_yuan` (new money in, or money taken out of
/// what is not lent), and takes back the repayments due by `day`.
fn settle(fin: &mut FinancingBook, fund_yuan: f64, day: u32) {
    if fund_yuan > fin.capital_yuan {
        fin.balance_yuan += fund_yuan - fin.capital_yuan;
        fin.capital_yuan = fund_yuan;
    } else if fund_yuan < fin.capital_yuan {
        let out = (fin.capital_yuan - fund_yuan).min(fin.balance_yuan);
        fin.balance_yuan -= out;
        fin.capital_yuan -= out;
    }
    let mut back = 0.0;
    fin.loans.retain(|&(due, yuan)| {
        if due <= day {
            back += yuan;
            false
        } else {
            true
        }
    });
    fin.balance_yuan += back;
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
    if !(clock.day + 1).is_multiple_of(30) {
        return;
    }
    let s = &params.0;
    let p = &s.policy.financing;
    settle(&mut fin, p.fund_yuan, clock.day);
    if fin.requests.is_empty() {
        return;
    }
    let platform = s.policy.stewards.size() > 0 && fin.balance_yuan > 0.0;
    // The quota keeps this much of the month's balance for SMEs and start-ups.
    let mut reserved = if platform {
        fin.balance_yuan * p.small_firm_quota
    } else {
        0.0
    };
    let term_days = (p.term_years * 365.0).round() as u32;
    let r = &mut rng.stream;
    let at = clock.end() - 1e-9;
    let requests = std::mem::take(&mut fin.requests);
    for e in requests {
        let Some(size) = size_of(&cases, &firms, e) else {
            continue;
        };
        let k = size.index();
        let amount = s.firms.financing_need_yuan[k];
        let small = size != FirmSize::Leading;
        let open = if small {
            fin.balance_yuan
        } else {
            fin.balance_yuan - reserved
        };
        let from_platform = platform && amount <= open;
        if from_platform {
            fin.balance_yuan -= amount;
            if small {
                reserved = (reserved - amount).max(0.0);
            }
            fin.platform_total_yuan += amount;
            let back = amount * (1.0 - p.loss_share);
            if back > 0.0 {
                fin.loans.push((clock.day + term_days.max(1), back));
            }
        }
        let ok = from_platform || r.random_bool(s.firms.bank_grant_prob[k]);
        let Ok(mut case) = cases.get_mut(e) else {
            continue;
        };
        if ok {
            fin.granted_today_yuan[k] += amount;
            fin.granted_total_yuan[k] += amount;
            fin.granted_total[k] += 1;
            if let Some(mut firm) = case.firm.and_then(|f| firms.get_mut(f).ok()) {
                firm.financed_until = clock.day + 365;
                if from_platform {
                    // Capital from the town's own platform ties the firm to the town (seed
                    // 000: the 融资服务平台 raises 粘性); a bank loan does not.
                    let st = firm.stickiness as f64;
                    let gain = s.firms.financed_stickiness_gain * (1.0 - st);
                    firm.stickiness = (st + gain).clamp(0.0, 1.0) as f32;
                }
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
