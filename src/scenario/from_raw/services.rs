//! `policy`: evaluation, dispatch authority, one-trip service, the steward team and its
//! financing platform, the operator and the budget's unit costs.

use crate::scenario::model::*;
use crate::scenario::raw::*;
use crate::scenario::validate::Validator;

use super::{ASSUMED, d};

pub(super) fn evaluation(raw: &RawEvaluation, v: &mut Validator) -> Evaluation {
    Evaluation {
        hard_weight: v.real("policy.evaluation.hard_weight", raw.hard_weight, 0.8, 0.0..=1.0, d("0-1", "weight of hard indicators (investment, tax) in the evaluation of departments and stewards (考核导向)", "seed 000 (硬指标 vs 软指标); seed 003 (激励, 绩效); status-quo level assumed")),
        max_effort_diversion: v.real("policy.evaluation.max_effort_diversion", raw.max_effort_diversion, 0.25, 0.0..=0.9, d("share", "share of department effort diverted to investment promotion when hard_weight is 1", "seed 003 (up to 90% of street-office effort on 招商引资); default assumed")),
    }
}

pub(super) fn authority(raw: &RawAuthority, v: &mut Validator) -> Authority {
    Authority {
        enabled: v.flag("policy.authority.enabled", raw.enabled, false, d("-", "the grid command centre can summon a department to an escalated case (街道吹哨、部门报到)", "seed 001§1 (事权), 003 (Beijing: six powers)")),
        answer_days: v.real("policy.authority.answer_days", raw.answer_days, 3.0, 0.1..=365.0, d("days", "deadline a summoned department must answer in, from the summons: the summoned matter's service is capped at this, and a matter still unanswered at the deadline (it waited in the queue) is a late answer and names the department", "assumption; seed 001§1, 003 (Beijing: the street evaluates the departments it summons)")),
        naming_weight: v.real("policy.authority.naming_weight", raw.naming_weight, 0.1, 0.0..=10.0, d("1/late answer", "pull of each late answer named in the last 30 days (exponential memory) on the departments' diverted effort: the diversion to investment promotion is divided by 1 + naming_weight * named", "assumption; seed 003 (the street's evaluation of departments, 考核权, is what makes 吹哨报到 bind)")),
    }
}

pub(super) fn one_trip(raw: &RawOneTrip, v: &mut Validator) -> OneTrip {
    OneTrip {
        share: v.real("policy.one_trip.share", raw.share, 0.0, 0.0..=1.0, d("share", "share of window matters that close in one visit however many departments they need (最多跑一次)", "seed 004 (最多跑一次); status quo assumed 0")),
    }
}

pub(super) fn stewards(raw: &RawStewards, v: &mut Validator) -> Stewards {
    let p = "policy.stewards";
    let s = Stewards {
        team: v.int_backgrounds(&format!("{p}.team"), &raw.team, [0; 5], 0..=10, d("members", "steward-team members (小镇管家) of each background; 10 at most in all", "seed 000 (≤10 members from associations, intermediaries, lead firms, investors)")),
        visits_per_member_day: v.real(&format!("{p}.visits_per_member_day"), raw.visits_per_member_day, 1.0, 0.0..=50.0, d("visits/day", "enterprise visits one steward makes per day", ASSUMED)),
        cases_per_member_day: v.real(&format!("{p}.cases_per_member_day"), raw.cases_per_member_day, 2.0, 0.0..=100.0, d("cases/day", "policy questions and talent requests one steward settles per day", ASSUMED)),
        awareness_gain: v.real_backgrounds(&format!("{p}.awareness_gain"), &raw.awareness_gain, [0.4, 0.4, 0.2, 0.2, 0.3], 0.0..=1.0, d("share of gap", "policy awareness a visit by a member of this background adds", "assumption; seed 000 (stewards explain policies)")),
        stickiness_gain: v.real_backgrounds(&format!("{p}.stickiness_gain"), &raw.stickiness_gain, [0.05, 0.04, 0.08, 0.06, 0.06], 0.0..=1.0, d("share of gap", "stickiness a visit by a member of this background adds", "assumption; seed 000 (tailored service raises 粘性)")),
        detect_prob: v.real(&format!("{p}.detect_prob"), raw.detect_prob, 0.8, 0.0..=1.0, d("probability", "chance a visit to a firm weighing an outside offer detects it", "assumption; seed 000 (stewards detect relocation risk early)")),
        retain_cut: v.real(&format!("{p}.retain_cut"), raw.retain_cut, 0.6, 0.0..=1.0, d("share", "share of the relocation chance removed when the stewards detect an offer and respond", ASSUMED)),
        salary_yuan_per_year: v.real(&format!("{p}.salary_yuan_per_year"), raw.salary_yuan_per_year, 200_000.0, 0.0..=10_000_000.0, d("yuan/year", "cost of one steward", ASSUMED)),
    };
    if s.size() > 10 {
        v.error(
            format!("{p}.team"),
            format!("the team must have at most 10 members, got {}", s.size()),
        );
    }
    s
}

pub(super) fn financing(raw: &RawFinancing, v: &mut Validator) -> Financing {
    let p = "policy.financing";
    Financing {
        fund_yuan: v.real(&format!("{p}.fund_yuan"), raw.fund_yuan, 0.0, 0.0..=1e12, d("yuan", "size of the financing platform's fund (guidance money plus social capital); 0: no platform", "seed 000 (融资服务平台); size assumed")),
        guidance_share: v.real(&format!("{p}.guidance_share"), raw.guidance_share, 0.3, 0.0..=1.0, d("share", "share of the fund that is government guidance money", ASSUMED)),
        term_years: v.real(&format!("{p}.term_years"), raw.term_years, 3.0, 0.1..=30.0, d("years", "years after which a grant from the fund comes back to it (repaid loan or exited stake), so the fund is a stock that grants deplete and repayments refill", "assumption: guidance funds and policy loans for SMEs run a few years; seed 000 (融资服务平台)")),
        loss_share: v.real(&format!("{p}.loss_share"), raw.loss_share, 0.1, 0.0..=1.0, d("share", "share of each grant that never comes back (failed start-ups and projects)", ASSUMED)),
        small_firm_quota: v.real(&format!("{p}.small_firm_quota"), raw.small_firm_quota, 0.3, 0.0..=1.0, d("share", "share of the fund's balance kept each month for SMEs and start-ups: a leading firm may draw only on the rest", "seed 000 (small-firm quota); level assumed")),
        guidance_cost_per_year: v.real(&format!("{p}.guidance_cost_per_year"), raw.guidance_cost_per_year, 0.05, 0.0..=1.0, d("1/year", "yearly cost to the budget per yuan of guidance money (its opportunity cost and management)", ASSUMED)),
    }
}

pub(super) fn operator(raw: &RawOperator, v: &mut Validator) -> Operator {
    let p = "policy.operator";
    Operator {
        enabled: v.flag(&format!("{p}.enabled"), raw.enabled, false, d("-", "an operating service provider (运营服务商) runs a neighbourhood centre per community or cluster", "seed 000 (政府购买服务)")),
        contract_yuan_per_year: v.real(&format!("{p}.contract_yuan_per_year"), raw.contract_yuan_per_year, 1_200_000.0, 0.0..=1e10, d("yuan/year", "contract budget; staff the budget cannot pay are not hired", "seed 000; level assumed")),
        staff_per_community: v.int(&format!("{p}.staff_per_community"), raw.staff_per_community, 3, 0..=1_000, d("staff", "service staff per community, pooled in its cluster's centre (capacity)", ASSUMED)),
        staff_cost_yuan_per_year: v.real(&format!("{p}.staff_cost_yuan_per_year"), raw.staff_cost_yuan_per_year, 80_000.0, 1.0..=10_000_000.0, d("yuan/year", "cost of one operator staff member", ASSUMED)),
        cases_per_staff_day: v.real(&format!("{p}.cases_per_staff_day"), raw.cases_per_staff_day, 0.5, 0.0..=1_000.0, d("cases/day", "residents' individual matters one staff member settles per day at full effort", "assumption from a stated workload: of an 8-hour day, running the centre (activities, elderly care, premises, contract reporting) takes about 6 h; the other 2 h go to residents' matters at about 4 h each with the follow-up, so 0.5 a day; with 3 staff per community at base effort 0.7 the staff settle up to 4.2 a day against the 3.3 (full reform) to 4.1 (status quo with centres) the 5,000-resident towns bring, so the capacity binds where MODEL.md 9.2 asks (before: 3, about 41 a day)")),
        living_share: v.real(&format!("{p}.living_share"), raw.living_share, 0.6, 0.0..=1.0, d("share", "share of residents' single-matter needs a centre can settle itself; the rest it forwards (one trip for the resident)", "assumption; seed 000 (邻里中心), 004 (一站式)")),
        performance_pay: v.flag(&format!("{p}.performance_pay"), raw.performance_pay, false, d("-", "the operator's pay depends on residents' outcomes", "seed 000 (政府购买服务); MODEL.md")),
        base_effort: v.real(&format!("{p}.base_effort"), raw.base_effort, 0.7, 0.0..=1.0, d("0-1", "the operator's effort with no performance pay and no supervision", ASSUMED)),
        performance_effort_gain: v.real(&format!("{p}.performance_effort_gain"), raw.performance_effort_gain, 0.15, 0.0..=1.0, d("0-1", "effort added by performance-based pay", ASSUMED)),
        supervision_effort_gain: v.real(&format!("{p}.supervision_effort_gain"), raw.supervision_effort_gain, 0.2, 0.0..=1.0, d("0-1", "effort added by a self-governance committee of full strength through joint meetings", "assumption; seed 000 (supervision via 社区联席会议)")),
        rework_share: v.real(&format!("{p}.rework_share"), raw.rework_share, 0.3, 0.0..=1.0, d("share", "chance that a matter a centre settles at zero effort was not really settled, falling linearly to 0 at full effort: the resident comes back (one more trip) and the centre forwards it to the departments", "assumption; seed 000 (the operator's quality is what supervision and performance pay are for)")),
        centre_fixed_yuan_per_year: v.real(&format!("{p}.centre_fixed_yuan_per_year"), raw.centre_fixed_yuan_per_year, 300_000.0, 0.0..=1e9, d("yuan/year", "running cost of one neighbourhood centre (premises, utilities)", "assumption; seed 004 (clusters save cost)")),
    }
}

pub(super) fn budget(raw: &RawBudget, v: &mut Validator) -> Budget {
    let p = "policy.budget";
    Budget {
        budget_yuan_per_year: v.real(
            &format!("{p}.budget_yuan_per_year"),
            raw.budget_yuan_per_year,
            8_000_000.0,
            0.0..=1e12,
            d(
                "yuan/year",
                "the committee's governance budget; the balance is an outcome",
                ASSUMED,
            ),
        ),
        staff_salary_yuan_per_year: v.real(
            &format!("{p}.staff_salary_yuan_per_year"),
            raw.staff_salary_yuan_per_year,
            120_000.0,
            0.0..=10_000_000.0,
            d("yuan/year", "cost of one department case handler", ASSUMED),
        ),
        grid_worker_salary_yuan_per_year: v.real(
            &format!("{p}.grid_worker_salary_yuan_per_year"),
            raw.grid_worker_salary_yuan_per_year,
            60_000.0,
            0.0..=10_000_000.0,
            d("yuan/year", "cost of one grid worker", ASSUMED),
        ),
        grid_subsidy_yuan_per_grid_year: v.real(
            &format!("{p}.grid_subsidy_yuan_per_grid_year"),
            raw.grid_subsidy_yuan_per_grid_year,
            6_000.0,
            0.0..=10_000_000.0,
            d(
                "yuan/year",
                "performance subsidy per grid",
                "seed 001§1 (Jincheng: 6,000 yuan per grid per year)",
            ),
        ),
        platform_yuan_per_year: v.real(
            &format!("{p}.platform_yuan_per_year"),
            raw.platform_yuan_per_year,
            2_000_000.0,
            0.0..=1e10,
            d(
                "yuan/year",
                "cost of a fully integrated data platform (scaled by integration)",
                ASSUMED,
            ),
        ),
        portal_yuan_per_year: v.real(
            &format!("{p}.portal_yuan_per_year"),
            raw.portal_yuan_per_year,
            1_000_000.0,
            0.0..=1e10,
            d(
                "yuan/year",
                "cost of a portal covering every online-eligible matter (scaled by coverage)",
                ASSUMED,
            ),
        ),
        hard: v.flag(&format!("{p}.hard"), raw.hard, false, d("-", "the budget binds: while the balance (budget so far plus the tax share, minus cost so far) is below zero, purchased services (the operator's contract, the cultivation of social organisations) are cut by `austerity_cut` and departments hire no one (a hiring freeze: no department grows past its staff in post); off, the balance is only reported", "assumption; 预算约束 (budget law: spending within the approved budget)")),
        austerity_cut: v.real(&format!("{p}.austerity_cut"), raw.austerity_cut, 0.5, 0.0..=1.0, d("share", "share of purchased services cut while a hard budget is in deficit", ASSUMED)),
        tax_share: v.real(&format!("{p}.tax_share"), raw.tax_share, 0.0, 0.0..=1.0, d("share", "share of the town's tax revenue added to the governance budget (0: the budget is the fixed amount)", "assumption; seed 000 (税源: tax from the town's firms)")),
    }
}

pub(super) fn psych_services(raw: &RawPsychServices, v: &mut Validator) -> PsychServices {
    let p = "policy.psych_services";
    PsychServices {
        enabled: v.flag(&format!("{p}.enabled"), raw.enabled, false, d("-", "a psychological-service system (心理服务体系: counselling, crisis intervention for residents at risk) lowers the rate of living (public-order) incidents the longer it runs", "seed 001§1 (心理服务体系 ... 社会治安案件连年下降, C1)")),
        max_cut: v.real(&format!("{p}.max_cut"), raw.max_cut, 0.3, 0.0..=1.0, d("share", "share of living (public-order) incidents the service prevents once fully built up", "assumption; seed 001§1 gives the direction only (连年下降: down year on year)")),
        ramp_years: v.real(&format!("{p}.ramp_years"), raw.ramp_years, 2.0, 0.01..=50.0, d("years", "time constant of the build-up: the cut is max_cut x (1 - exp(-years running / ramp_years)), so the fall continues over several years", "assumption; seed 001§1 (连年下降: a fall over years, not at once)")),
        cost_yuan_per_resident_year: v.real(&format!("{p}.cost_yuan_per_resident_year"), raw.cost_yuan_per_resident_year, 20.0, 0.0..=100_000.0, d("yuan/year", "cost of the service per resident while it runs", "assumption: about one counsellor (100,000 yuan a year with the premises) per 5,000 residents")),
    }
}
