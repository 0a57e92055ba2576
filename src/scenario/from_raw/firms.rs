//! `enterprises`: how firms ask, grow, pollute, participate and leave.

use crate::scenario::model::*;
use crate::scenario::raw::*;
use crate::scenario::validate::Validator;

use super::{ASSUMED, d};

const RELOCATION: &str = "assumption; seed 000 (税源转移: firms leave when stickiness is low)";

pub(super) fn firms(raw: &RawFirms, v: &mut Validator) -> Firms {
    let p = "enterprises";
    let mix = &raw.demand_mix;
    let w = |v: &mut Validator, f: &str, x: Option<f64>, dflt: f64| {
        v.real(&format!("{p}.demand_mix.{f}"), x, dflt, 0.0..=1.0, d("weight", "weight of this demand in firms' demand mix (weights are normalised)", "seed 000 (approvals, policy, financing, talent, individual problems needing an exception); weights assumed"))
    };
    let demand_mix = DemandMix {
        approval: w(v, "approval", mix.approval, 0.35),
        policy: w(v, "policy", mix.policy, 0.25),
        financing: w(v, "financing", mix.financing, 0.15),
        talent: w(v, "talent", mix.talent, 0.15),
        exception: w(v, "exception", mix.exception, 0.10),
    };
    if demand_mix.approval
        + demand_mix.policy
        + demand_mix.financing
        + demand_mix.talent
        + demand_mix.exception
        <= 0.0
    {
        v.error(format!("{p}.demand_mix"), "the weights must not all be 0");
    }
    let firms = Firms {
        characteristic_share: v.real(&format!("{p}.characteristic_share"), raw.characteristic_share, 0.6, 0.0..=1.0, d("share", "share of firms in the town's characteristic industry", "assumption; seed 000 (特色产业)")),
        max_size_factor: v.real(&format!("{p}.max_size_factor"), raw.max_size_factor, 4.0, 1.0..=1_000.0, d("factor", "a firm's revenue grows logistically towards this many times the mean of its size class at the start (its market niche saturates); shrinking is not limited", "assumption; MODEL.md 9.3 (growth saturates through markets)")),
        high_risk_share: v.real(&format!("{p}.high_risk_share"), raw.high_risk_share, 0.15, 0.0..=1.0, d("share", "share of firms with high pollution and safety risk (三高)", "assumption; seed 000 (三高 firms)")),
        employees: v.real_sizes(&format!("{p}.employees"), &raw.employees, [300.0, 30.0, 6.0], 1.0..=100_000.0, d("employees", "mean employees of a firm of this size at the start", ASSUMED)),
        revenue_per_employee_yuan: v.real(&format!("{p}.revenue_per_employee_yuan"), raw.revenue_per_employee_yuan, 500_000.0, 1_000.0..=100_000_000.0, d("yuan/year", "revenue per employee; a firm hires or lays off to keep this ratio", ASSUMED)),
        tax_share: v.real(&format!("{p}.tax_share"), raw.tax_share, 0.08, 0.0..=1.0, d("share", "tax paid to the town as a share of revenue", ASSUMED)),
        demands_per_year: v.real_sizes(&format!("{p}.demands_per_year"), &raw.demands_per_year, [24.0, 8.0, 4.0], 0.0..=10_000.0, d("1/year", "service demands a firm raises per year", ASSUMED)),
        demand_mix,
        growth_per_year: v.real_sizes(&format!("{p}.growth_per_year"), &raw.growth_per_year, [0.02, 0.04, 0.08], -1.0..=2.0, d("1/year", "revenue growth of a firm with average service and no finance", ASSUMED)),
        characteristic_growth_bonus: v.real(&format!("{p}.characteristic_growth_bonus"), raw.characteristic_growth_bonus, 0.02, -1.0..=1.0, d("1/year", "extra growth of a firm in the characteristic industry", ASSUMED)),
        service_growth_effect: v.real(&format!("{p}.service_growth_effect"), raw.service_growth_effect, 0.1, 0.0..=2.0, d("1/year", "growth added per unit of service score above 0.5 (score: share of the firm's demands met on time)", "assumption; seed 000 (service raises stickiness and growth)")),
        finance_growth_boost: v.real(&format!("{p}.finance_growth_boost"), raw.finance_growth_boost, 0.1, 0.0..=2.0, d("1/year", "extra growth for the year after a firm obtains finance", "assumption; seed 000 (融资服务平台)")),
        financed_stickiness_gain: v.real(&format!("{p}.financed_stickiness_gain"), raw.financed_stickiness_gain, 0.1, 0.0..=1.0, d("share of gap", "stickiness gain when the town's financing platform (not a bank) funds the firm", "assumption; seed 000 (小镇管家 + 融资服务平台 raise 粘性 and cut tax-base loss)")),
        incentive_growth_boost: v.real(&format!("{p}.incentive_growth_boost"), raw.incentive_growth_boost, 0.04, 0.0..=1.0, d("1/year", "extra growth of a fully policy-aware firm (it claims the incentives it is entitled to)", "assumption; seed 000 (stewards raise policy awareness)")),
        exit_per_year: v.real_sizes(&format!("{p}.exit_per_year"), &raw.exit_per_year, [0.0, 0.02, 0.1], 0.0..=1.0, d("1/year", "hazard that a firm closes regardless of the town", ASSUMED)),
        incidents_per_year: v.real(&format!("{p}.incidents_per_year"), raw.incidents_per_year, 0.5, 0.0..=1_000.0, d("1/year", "production and ecology incidents a low-risk firm causes per year", ASSUMED)),
        high_risk_factor: v.real(&format!("{p}.high_risk_factor"), raw.high_risk_factor, 6.0, 1.0..=1_000.0, d("factor", "incident rate of a high-risk firm relative to a low-risk one", "assumption; seed 000 (三高 firms)")),
        incident_ecology_share: v.real(&format!("{p}.incident_ecology_share"), raw.incident_ecology_share, 0.5, 0.0..=1.0, d("share", "share of firm incidents that are ecology (pollution) incidents; the rest are production incidents", ASSUMED)),
        offer_per_year: v.real(&format!("{p}.offer_per_year"), raw.offer_per_year, 0.2, 0.0..=100.0, d("1/year", "rate at which a firm receives an outside offer to relocate", RELOCATION)),
        offer_decision_days: v.int(&format!("{p}.offer_decision_days"), raw.offer_decision_days, 60, 1..=3_650, d("days", "days a firm weighs an offer before deciding; a steward visit in this window can detect it", RELOCATION)),
        relocate_prob_max: v.real(&format!("{p}.relocate_prob_max"), raw.relocate_prob_max, 0.6, 0.0..=1.0, d("probability", "chance a firm with no stickiness accepts an offer; it falls in proportion to stickiness", RELOCATION)),
        initial_stickiness: v.real(&format!("{p}.initial_stickiness"), raw.initial_stickiness, 0.4, 0.0..=1.0, d("0-1", "stickiness (粘性) of firms at the start", "assumption; seed 000 (蜻蜓点水: firms touch the town lightly)")),
        initial_awareness: v.real(&format!("{p}.initial_awareness"), raw.initial_awareness, 0.3, 0.0..=1.0, d("0-1", "policy awareness of firms at the start", ASSUMED)),
        base_stickiness: v.real(&format!("{p}.base_stickiness"), raw.base_stickiness, 0.35, 0.0..=1.0, d("0-1", "level stickiness drifts back to without service or visits", ASSUMED)),
        stickiness_drift_per_year: v.real(&format!("{p}.stickiness_drift_per_year"), raw.stickiness_drift_per_year, 0.5, 0.0..=100.0, d("1/year", "rate at which stickiness drifts back to its base", ASSUMED)),
        stickiness_served_gain: v.real(&format!("{p}.stickiness_served_gain"), raw.stickiness_served_gain, 0.03, 0.0..=1.0, d("share of gap", "stickiness gained when a demand is met on time", "assumption; seed 000")),
        stickiness_failed_loss: v.real(&format!("{p}.stickiness_failed_loss"), raw.stickiness_failed_loss, 0.08, 0.0..=1.0, d("share of level", "stickiness lost when a demand is dropped", ASSUMED)),
        deep_threshold: v.real(&format!("{p}.deep_threshold"), raw.deep_threshold, 0.6, 0.0..=1.0, d("0-1", "stickiness above which a firm participates deeply, when there is a self-governance committee or a steward team to take part in", "assumption; seed 000 (deep participation: representatives, co-funding)")),
        cofund_yuan_per_year: v.real(&format!("{p}.cofund_yuan_per_year"), raw.cofund_yuan_per_year, 20_000.0, 0.0..=100_000_000.0, d("yuan/year", "what a deeply participating firm co-funds the operator with", "assumption; seed 000 (firms co-fund services)")),
        entry_per_year: v.real(&format!("{p}.entry_per_year"), raw.entry_per_year, 3.0, 0.0..=100_000.0, d("firms/year", "new firms per year with no investment promotion", ASSUMED)),
        promotion_entry_per_year: v.real(&format!("{p}.promotion_entry_per_year"), raw.promotion_entry_per_year, 6.0, 0.0..=100_000.0, d("firms/year", "extra new firms per year when all diverted effort goes to investment promotion (招商)", "assumption; seed 003 (effort on 招商引资)")),
        entry_startup_share: v.real(&format!("{p}.entry_startup_share"), raw.entry_startup_share, 0.7, 0.0..=1.0, d("share", "share of new firms that are start-ups; the rest are SMEs", ASSUMED)),
        financing_need_yuan: v.real_sizes(&format!("{p}.financing_need_yuan"), &raw.financing_need_yuan, [10_000_000.0, 2_000_000.0, 500_000.0], 0.0..=10_000_000_000.0, d("yuan", "amount of one financing request", ASSUMED)),
        bank_grant_prob: v.real_sizes(&format!("{p}.bank_grant_prob"), &raw.bank_grant_prob, [0.6, 0.25, 0.08], 0.0..=1.0, d("probability", "chance a financing request is met without the town's financing platform", "assumption; small firms find finance hardest")),
        hire_talent_share: v.real(&format!("{p}.hire_talent_share"), raw.hire_talent_share, 0.1, 0.0..=1.0, d("share", "share of newcomers hired from outside who are talent", ASSUMED)),
        hire_migrant_share: v.real(&format!("{p}.hire_migrant_share"), raw.hire_migrant_share, 0.45, 0.0..=1.0, d("share", "share of newcomers hired from outside who are migrant workers (the rest are employees)", ASSUMED)),
    };
    if firms.hire_talent_share + firms.hire_migrant_share > 1.0 {
        v.error(
            format!("{p}.hire_migrant_share"),
            format!(
                "hire_talent_share + hire_migrant_share must be at most 1, got {}",
                firms.hire_talent_share + firms.hire_migrant_share
            ),
        );
    }
    firms
}
