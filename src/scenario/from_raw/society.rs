//! `policy`: the self-governance committees, social organisations, the mediation network and
//! area clusters.

use crate::scenario::model::*;
use crate::scenario::raw::*;
use crate::scenario::validate::Validator;

use super::{ASSUMED, d};

pub(super) fn self_governance(raw: &RawSelfGovernance, v: &mut Validator) -> SelfGovernance {
    let p = "policy.self_governance";
    let q = &raw.quota;
    let share = |v: &mut Validator, f: &str, x: Option<f64>| {
        v.real(&format!("{p}.quota.{f}"), x, 0.25, 0.0..=1.0, d("weight", "weight of this group in the committee's seats (weights are normalised)", "seed 000 (elected from enterprise reps, employee reps, natives, migrants); equal weights assumed"))
    };
    let quota = SeatQuota {
        enterprise: share(v, "enterprise", q.enterprise),
        employee: share(v, "employee", q.employee),
        native: share(v, "native", q.native),
        migrant_worker: share(v, "migrant_worker", q.migrant_worker),
    };
    if quota.enterprise + quota.employee + quota.native + quota.migrant_worker <= 0.0 {
        v.error(format!("{p}.quota"), "the weights must not all be 0");
    }
    SelfGovernance {
        enabled: v.flag(&format!("{p}.enabled"), raw.enabled, false, d("-", "each community has a self-governance committee (小镇自治委员会)", "seed 000")),
        seats: v.int(&format!("{p}.seats"), raw.seats, 9, 1..=200, d("seats", "seats on each community's committee", ASSUMED)),
        quota,
        election_interval_days: v.int(&format!("{p}.election_interval_days"), raw.election_interval_days, 365, 1..=3_650, d("days", "days between elections", ASSUMED)),
        joint_meeting_interval_days: v.int(&format!("{p}.joint_meeting_interval_days"), raw.joint_meeting_interval_days, 30, 1..=365, d("days", "days between joint meetings (社区联席会议) with the committee, stewards and operator", "seed 000 (联席会议); interval assumed")),
        reference_turnout: v.real(&format!("{p}.reference_turnout"), raw.reference_turnout, 0.5, 0.01..=1.0, d("share", "election turnout at which the committee's mandate counts as full", "assumption; CALIBRATION.md (no published turnout)")),
        relay_rate: v.real(&format!("{p}.relay_rate"), raw.relay_rate, 0.3, 0.0..=1.0, d("share", "share of the gap between service supply and reported needs closed per joint meeting by a committee of full strength", "seed 000 (needs relayed upward); seed 003 (精准对标需求); rate assumed")),
        mediation_per_member_day: v.real(&format!("{p}.mediation_per_member_day"), raw.mediation_per_member_day, 0.2, 0.0..=100.0, d("cases/day", "disputes one member mediates per day", "assumption; seed 000 (the committee mediates disputes)")),
        vulnerable_visits_per_member_day: v.real(&format!("{p}.vulnerable_visits_per_member_day"), raw.vulnerable_visits_per_member_day, 1.0, 0.0..=100.0, d("visits/day", "visits to vulnerable natives one member makes per day", "assumption; seed 000 (serves vulnerable natives)")),
        sanctions: v.flag(&format!("{p}.sanctions"), raw.sanctions, true, d("-", "the committee organises peer supervision and sanctions of free riding on volunteering", "Fehr and Gächter 2000; seed 000 (supervision)")),
        stipend_yuan_per_seat_year: v.real(&format!("{p}.stipend_yuan_per_seat_year"), raw.stipend_yuan_per_seat_year, 6_000.0, 0.0..=1_000_000.0, d("yuan/year", "stipend and meeting costs per seat", ASSUMED)),
        consultation: v.flag(&format!("{p}.consultation"), raw.consultation, true, d("-", "where an elected committee sits, the month's public service projects are decided by consultation with it (协商); off, or with no committee, they are decided top-down and may be rejected", "seed 001§10 (Gaomi: decisions made without residents' consent are rejected, 群众不买账; claim C22)")),
        rejection_at_zero_trust: v.real(&format!("{p}.rejection_at_zero_trust"), raw.rejection_at_zero_trust, 0.6, 0.0..=1.0, d("probability", "chance a top-down project decision is rejected by a community whose mean trust is 0, falling linearly to 0 at trust 1; a rejected project's money buys no change in the service supply", "assumption; seed 001§10 (群众不买账)")),
        rejection_trust_loss: v.real(&format!("{p}.rejection_trust_loss"), raw.rejection_trust_loss, 0.02, 0.0..=1.0, d("share of level", "trust and satisfaction each resident of a community loses when a top-down project is rejected there", "assumption; seed 001§10 (群众不买账)")),
    }
}

pub(super) fn social_orgs(raw: &RawSocialOrgs, v: &mut Validator) -> SocialOrgs {
    let p = "policy.social_orgs";
    SocialOrgs {
        cultivation_yuan_per_year: v.real(&format!("{p}.cultivation_yuan_per_year"), raw.cultivation_yuan_per_year, 100_000.0, 0.0..=1e10, d("yuan/year", "money to cultivate social organisations (培育)", "seed 001§1 (purchase of services 'far from adequate'); level assumed")),
        funding: v.choice(&format!("{p}.funding"), raw.funding.map(|f| match f { RawFunding::Block => Funding::Block, RawFunding::Project => Funding::Project }), Funding::Block, "Block", &["Block", "Project"], d("-", "how the money reaches them: block grants (打包) or bottom-up projects against residents' needs (项目制)", "seed 003 (项目制)")),
        yuan_per_capacity_year: v.real(&format!("{p}.yuan_per_capacity_year"), raw.yuan_per_capacity_year, 150_000.0, 1.0..=1e9, d("yuan/year per case/day", "money that sustains one case per day of service capacity", "assumption from a stated workload: one organisation worker costs about 75,000 yuan a year with overheads and settles about 0.5 matters a day (the operator's workload), so 150,000 yuan per case a day")),
        initial_capacity: v.real(&format!("{p}.initial_capacity"), raw.initial_capacity, 0.5, 0.0..=100_000.0, d("cases/day", "service capacity of the town's social organisations at the start", "assumption; seed 001§1 (organisations 发育不健全)")),
        growth_per_month: v.real(&format!("{p}.growth_per_month"), raw.growth_per_month, 0.1, 0.0..=1.0, d("share", "share of the gap to the funded capacity closed per month", ASSUMED)),
        block_efficiency: v.real(&format!("{p}.block_efficiency"), raw.block_efficiency, 0.6, 0.0..=1.0, d("share", "share of block-grant money that becomes capacity", "assumption; seed 003 (packaged grants miss needs)")),
        project_efficiency: v.real(&format!("{p}.project_efficiency"), raw.project_efficiency, 0.85, 0.0..=1.0, d("share", "share of project money that becomes capacity (the rest goes to proposals and review)", "assumption; seed 003 (项目制)")),
        project_match_rate: v.real(&format!("{p}.project_match_rate"), raw.project_match_rate, 0.1, 0.0..=1.0, d("share/month per case/day", "share of a community's supply-need gap closed per month by each case a day of project-funded capacity in that community (at most all of it): more money, more projects, more of the gap closed", "assumption; seed 003 (projects bid against residents' needs); seed 001§1 (purchase 'far from adequate', claim C8)")),
        mediation_share: v.real(&format!("{p}.mediation_share"), raw.mediation_share, 0.3, 0.0..=1.0, d("share", "share of social-organisation capacity that goes to mediation; the rest co-produces services at the centres", "assumption; seed 001§1 (mediation bodies)")),
        capacity_per_volunteer: v.real(&format!("{p}.capacity_per_volunteer"), raw.capacity_per_volunteer, 0.0015, 0.0..=10.0, d("cases/day", "capacity one fully contributing volunteer adds", "assumption from a stated workload: a fully contributing volunteer gives about 2 h a week of organised service (时间银行 hours), mostly activities, patrols and company for the elderly; about 1 hour in 50 settles a resident's individual matter, at about 4 h a matter, so 2/7 x 0.02 / 4 = 0.0014 a day; seed 001§8/9 (四社联动, 时间银行), 001§1 (organisations 发育不健全, claim C8)")),
        volunteer_project_rate: v.real(&format!("{p}.volunteer_project_rate"), raw.volunteer_project_rate, 0.075, 0.0..=1.0, d("share/month at full contribution", "share of a community's supply-need gap its volunteers' community projects close per month when every resident there contributes fully and all of them are organised (at most all of it); scaled by the community's mean volunteering contribution and by the share organised (`organising_capacity_per_community`): more volunteering, more projects against needs", "derived from stated assumptions (docs/ODD.md 7.16): 2 h a week at full contribution (8.6 h a month), 1 hour in 10 of it in projects against the community's needs list, a volunteer hour worth 1/4 of a paid organisation worker's, and a paid hour a month closing 0.1/348 of a community's gap (`project_match_rate`, 1,250 residents a community), so 8.6 x 0.1 x 0.25 x 1,250 x 0.1 / 348 = 0.077, rounded to 0.075; seed 002 (四微/小微行动: 微心愿), 001§8/9 (三张清单 需求/资源/项目, 四社联动), 003 (联合生产, 精准对标需求)")),
        organising_capacity_per_community: v.real(&format!("{p}.organising_capacity_per_community"), raw.organising_capacity_per_community, 1.0, 0.001..=100_000.0, d("cases/day", "money-funded social-organisation capacity a community needs for all of its volunteers to be organised into projects against its needs; with less, that share of them is (or the share its self-governance committee's strength organises, if larger)", "assumption: two paid organisation workers (a social-work station, 社会工作专业人才为支撑 in 四社联动, seed 001§8/9) organise one community's volunteers, at 0.5 matters a day each; seed 001§1 (volunteer teams built for 创文 are not yet organised for regular governance: 需要从组织和制度上进一步完善)")),
    }
}

pub(super) fn mediation(raw: &RawMediation, v: &mut Validator) -> Mediation {
    let p = "policy.mediation";
    Mediation {
        mediators_per_community: v.int(
            &format!("{p}.mediators_per_community"),
            raw.mediators_per_community,
            1,
            0..=1_000,
            d(
                "mediators",
                "mediator posts per community (人民调解)",
                "seed 001§1 (mediation network); count assumed",
            ),
        ),
        pay_yuan_per_month: v.real(
            &format!("{p}.pay_yuan_per_month"),
            raw.pay_yuan_per_month,
            1_500.0,
            0.0..=1_000_000.0,
            d(
                "yuan/month",
                "pay of one mediator",
                "assumption; seed 001§1 (工资待遇低)",
            ),
        ),
        reference_pay_yuan_per_month: v.real(
            &format!("{p}.reference_pay_yuan_per_month"),
            raw.reference_pay_yuan_per_month,
            4_000.0,
            1.0..=1_000_000.0,
            d(
                "yuan/month",
                "pay at which attrition falls to its base rate",
                ASSUMED,
            ),
        ),
        attrition_per_year: v.real(
            &format!("{p}.attrition_per_year"),
            raw.attrition_per_year,
            0.1,
            0.0..=10.0,
            d(
                "1/year",
                "attrition hazard at reference pay; below it the hazard rises by `low_pay_attrition_factor` times the pay shortfall",
                "assumption; seed 001§1 (人员流失现象明显)",
            ),
        ),
        low_pay_attrition_factor: v.real(
            &format!("{p}.low_pay_attrition_factor"),
            raw.low_pay_attrition_factor,
            3.0,
            0.0..=100.0,
            d(
                "factor",
                "how much faster mediators leave at zero pay than at reference pay, less one: the hazard is `attrition_per_year` x (1 + factor x (1 - pay / reference pay))",
                "assumption (the former fixed 3: 4 times at zero pay); seed 001§1 (工资待遇低,人员流失现象明显, C4)",
            ),
        ),
        unpaid_recruit_share: v.real(
            &format!("{p}.unpaid_recruit_share"),
            raw.unpaid_recruit_share,
            0.2,
            0.0..=1.0,
            d(
                "share",
                "chance, relative to reference pay, that a funded vacancy is filled at zero pay (retired volunteers, 和事佬); between zero and reference pay it rises in proportion to the pay",
                "assumption; seed 001§1 (和事佬 pre-litigation mediation; low pay drives people away, so fewer take the post)",
            ),
        ),
        funded_share: v.real(
            &format!("{p}.funded_share"),
            raw.funded_share,
            0.5,
            0.0..=1.0,
            d(
                "share",
                "share of vacant posts that have money to be filled",
                "assumption; seed 001§1 (budgets exist but no funds)",
            ),
        ),
        refill_per_year: v.real(
            &format!("{p}.refill_per_year"),
            raw.refill_per_year,
            2.0,
            0.0..=100.0,
            d(
                "1/year",
                "rate at which a funded vacant post is filled",
                ASSUMED,
            ),
        ),
        cases_per_mediator_day: v.real(
            &format!("{p}.cases_per_mediator_day"),
            raw.cases_per_mediator_day,
            0.15,
            0.0..=100.0,
            d(
                "cases/day",
                "disputes one mediator handles per day",
                "derived from a stated workload: seed 001§1 describes part-time, older, low-paid mediators (兼职, 年龄偏大, 工资待遇低); assume one working day a week for mediation and one working day per dispute (visits, hearing, written agreement): 1/7 = 0.14, rounded to 0.15 a day (about 55 a year). The default town then brings its mediators about 0.45 disputes a day against 0.6 of capacity with every post filled, and the real town about 2.7 against 1.5: capacity binds where the seed says it matters",
            ),
        ),
        success_prob: v.real(
            &format!("{p}.success_prob"),
            raw.success_prob,
            0.6,
            0.0..=1.0,
            d(
                "probability",
                "chance a mediation settles the dispute",
                "assumption; seeds give no success rate",
            ),
        ),
        legal_backing: v.flag(
            &format!("{p}.legal_backing"),
            raw.legal_backing,
            false,
            d(
                "-",
                "judicial confirmation of mediated agreements (司法确认)",
                "seed 001§1",
            ),
        ),
        legal_backing_gain: v.real(
            &format!("{p}.legal_backing_gain"),
            raw.legal_backing_gain,
            0.15,
            0.0..=1.0,
            d(
                "probability",
                "success chance legal backing adds",
                "assumption; seed 001§1 (调动了调解纠纷的主动性)",
            ),
        ),
        court_share: v.real(
            &format!("{p}.court_share"),
            raw.court_share,
            0.5,
            0.0..=1.0,
            d(
                "share",
                "share of failed mediations that go to court; the rest go to the departments",
                "assumption; seed 001§1 (high judge caseloads)",
            ),
        ),
        court_days: v.real(
            &format!("{p}.court_days"),
            raw.court_days,
            60.0,
            0.0..=3_650.0,
            d(
                "days",
                "mean days a court takes to settle a dispute (exponential)",
                ASSUMED,
            ),
        ),
        mass_incident_share: v.real(
            &format!("{p}.mass_incident_share"),
            raw.mass_incident_share,
            0.05,
            0.0..=1.0,
            d(
                "share",
                "share of petitions that become mass incidents",
                ASSUMED,
            ),
        ),
    }
}

pub(super) fn clusters(raw: &RawClusters, v: &mut Validator) -> Clusters {
    Clusters {
        communities_per_cluster: v.int("policy.clusters.communities_per_cluster", raw.communities_per_cluster, 1, 1..=10_000, d("communities", "neighbouring communities that pool one centre, its staff and mediators (片区组团); 1: no clusters", "seed 004 (片区组团下沉治理)")),
    }
}
