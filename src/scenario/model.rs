//! The validated scenario: what the simulation sees. Every value here has passed its range
//! check; nothing here knows about RON or files.

use serde::{Deserialize, Serialize};

/// The four kinds of resident of MODEL.md section 3.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ResidentKind {
    /// 原住民
    Native = 0,
    /// 外来务工人员
    MigrantWorker = 1,
    /// 就业人员
    Employee = 2,
    /// 高端人才
    Talent = 3,
}

impl ResidentKind {
    pub const ALL: [ResidentKind; 4] = [
        ResidentKind::Native,
        ResidentKind::MigrantWorker,
        ResidentKind::Employee,
        ResidentKind::Talent,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// snake_case name, as used in scenario fields and output columns.
    pub fn name(self) -> &'static str {
        super::validate::KIND_FIELDS[self as usize]
    }
}

/// A value per resident kind, indexed by [`ResidentKind::index`].
pub type KindTable<T> = [T; 4];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub days: u32,
    pub seed: u64,
    pub town: Town,
    pub needs: Needs,
    pub incidents: Incidents,
    pub behaviour: Behaviour,
    pub firms: Firms,
    pub policy: Policy,
    /// Dated changes of the policy, in day order: each entry is the whole policy from that day on.
    pub timeline: Vec<Reform>,
}

/// From `day` (1 = the first day of the run) the policy is `policy`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reform {
    pub day: u32,
    pub policy: Policy,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Town {
    pub communities: u32,
    pub grids_per_community: u32,
    pub parks: u32,
    pub side_km: f64,
    pub residents: KindTable<u32>,
    pub ties_per_resident: u32,
    pub tie_rewire_share: f64,
    /// Enterprises of each size at the start: leading, small or medium, start-up.
    pub enterprises: SizeTable<u32>,
    pub vulnerable_native_share: f64,
    /// How much communities' needs differ from the town's mix (0: all alike).
    pub need_mix_spread: f64,
    /// Dwellings beyond the starting residents, as a share of them: the town's housing.
    pub housing_headroom: f64,
    /// Plots for firms beyond the starting firms, as a share of them: the parks' land.
    pub plot_headroom: f64,
}

impl Town {
    pub fn n_residents(&self) -> u64 {
        self.residents.iter().map(|&n| n as u64).sum()
    }

    pub fn n_grids(&self) -> u32 {
        self.communities * self.grids_per_community
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Needs {
    pub need_rate_per_year: KindTable<f64>,
    pub dispute_rate_per_year: KindTable<f64>,
    pub multi_task_share: f64,
    pub max_tasks: u32,
    pub online_eligible_share: f64,
    /// 0 means residents never give up.
    pub patience_days: f64,
    pub on_time_days: f64,
    /// 0 means disputes never escalate to petitions.
    pub dispute_escalation_days: f64,
    /// Every case still open this long ends as expired, with its consequence.
    pub case_deadline_days: f64,
    /// Chance a resident or firm whose case was lost in a hand-off brings it again.
    pub resubmit_prob: f64,
    /// Mean days before a lost case is noticed.
    pub notice_days: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Incidents {
    pub per_resident_per_year: f64,
    pub production_share: f64,
    pub ecology_share: f64,
    pub serious_share: f64,
    pub minor_share: f64,
    pub witness_prob_per_day: f64,
    pub serious_response_days: f64,
    pub ecology_loss_yuan_per_day: f64,
    pub unattended_loss_days: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Behaviour {
    pub initial: InitialAttitudes,
    pub satisfaction: OutcomeEffects,
    pub trust: OutcomeEffects,
    pub efficacy_gain_when_heard: f64,
    pub tie_influence: f64,
    pub reporting: Reporting,
    pub participation: Participation,
    pub channels: Channels,
    pub migration: Migration,
    pub volunteering: Volunteering,
    pub demand: Demand,
    pub consequences: Consequences,
}

/// Whether a resident brings a need to the government rather than solve it privately or leave
/// it unmet: a logit in trust and the last experience (see `needs.rs`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Demand {
    pub bring_share: f64,
    pub reference_trust: f64,
    pub trust_weight: f64,
    pub experience_weight: f64,
    pub private_share: f64,
    pub unmet_loss: f64,
}

/// What petitions, serious cases and ecology damage do to residents' trust and to firms'
/// stickiness (see `consequences.rs`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Consequences {
    pub petition_trust_loss: f64,
    pub serious_trust_loss: f64,
    pub ecology_trust_loss: f64,
    pub serious_stickiness_loss: f64,
    pub ecology_stickiness_loss: f64,
}

/// How residents choose where to take a need (a multinomial logit over what exists).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Channels {
    pub portal_pref: f64,
    pub window_pref: f64,
    pub centre_pref: f64,
    pub grid_pref: f64,
    pub self_governance_pref: f64,
    pub distance_per_km: f64,
    pub experience_weight: f64,
    pub trip_satisfaction_loss: f64,
}

/// Leaving and arriving.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Migration {
    /// Satisfaction below which a resident of each kind considers leaving (their outside
    /// options differ: talent has the best).
    pub leave_threshold: KindTable<f64>,
    pub leave_prob_per_month: f64,
    pub leave_factor: KindTable<f64>,
    pub unemployed_factor: f64,
    pub unemployed_satisfaction_loss_per_month: f64,
    pub uncovered_vulnerable_loss_per_month: f64,
}

/// Volunteering as a repeated public-goods game with conditional cooperation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Volunteering {
    pub initial_low: f64,
    pub initial_high: f64,
    pub intrinsic_mean: f64,
    pub conditional_slope: f64,
    pub sanction_strength: f64,
    pub noise_sd: f64,
    pub participant_gain: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InitialAttitudes {
    pub satisfaction: KindTable<f64>,
    pub trust: KindTable<f64>,
    pub efficacy: KindTable<f64>,
    pub spread: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeEffects {
    pub on_time_gain: f64,
    pub late_gain: f64,
    pub bounce_loss: f64,
    pub drop_loss: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reporting {
    pub base: f64,
    pub trust_weight: f64,
    pub efficacy_weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Thresholds {
    Normal { mean: f64, sd: f64 },
    Uniform { low: f64, high: f64 },
    Explicit(Vec<f64>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reference {
    Community,
    Ties,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Participation {
    pub interval_days: u32,
    pub thresholds: Thresholds,
    pub reference: Reference,
    pub social_weight: f64,
    pub match_weight: f64,
    pub efficacy_weight: f64,
    pub cost: f64,
    pub vote_cost: f64,
    pub supervision_weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    pub committee: Committee,
    pub platform: Platform,
    pub portal: Portal,
    pub grid: Grid,
    pub evaluation: Evaluation,
    pub authority: Authority,
    pub one_trip: OneTrip,
    pub stewards: Stewards,
    pub financing: Financing,
    pub operator: Operator,
    pub self_governance: SelfGovernance,
    pub social_orgs: SocialOrgs,
    pub mediation: Mediation,
    pub clusters: Clusters,
    pub budget: Budget,
    pub psych_services: PsychServices,
}

/// 心理服务体系 (seed 001§1): counselling and crisis intervention that lower public-order
/// incidents year on year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PsychServices {
    pub enabled: bool,
    pub max_cut: f64,
    pub ramp_years: f64,
    pub cost_yuan_per_resident_year: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommitteeMode {
    /// The development-zone pattern: narrow departments, no regular coordination.
    Fragmented,
    /// 大部制: regular meetings clear escalated cases and cut hand-off losses.
    Unified,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Committee {
    pub mode: CommitteeMode,
    pub n_departments: u32,
    pub total_staff: u32,
    pub street_layer: bool,
    pub no_street_factor: f64,
    /// Staff grows and shrinks with the residents (in proportion to the starting town).
    pub staff_follow_residents: bool,
    pub tasks_per_staff_day: f64,
    pub handoff_delay_days: f64,
    pub bounce_prob: f64,
    pub drop_prob: f64,
    pub max_bounces: u32,
    pub meeting_interval_days: u32,
    pub meeting_cut: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Platform {
    pub integration: f64,
    pub dispatch_delay_days: f64,
    pub misroute_prob: f64,
    pub handoff_cut: f64,
    pub ledger_cut: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Portal {
    pub coverage: f64,
    pub online_time_factor: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    pub workers_per_grid: u32,
    pub work_hours_per_day: f64,
    pub ledger_hours_per_department: f64,
    pub discovery_rate_per_day: f64,
    pub reference_residents_per_worker: f64,
    pub on_the_spot_share: f64,
    pub dispute_settle_share: f64,
    pub subsidy_effort_gain: f64,
    pub reference_subsidy_yuan_per_grid_year: f64,
}

/// The three sizes of enterprise (MODEL.md section 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirmSize {
    /// 龙头企业
    Leading = 0,
    /// Small or medium firm.
    Sme = 1,
    Startup = 2,
}

impl FirmSize {
    pub const ALL: [FirmSize; 3] = [FirmSize::Leading, FirmSize::Sme, FirmSize::Startup];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        ["leading", "sme", "startup"][self as usize]
    }
}

/// A value per firm size, indexed by [`FirmSize::index`].
pub type SizeTable<T> = [T; 3];

/// What enterprises ask of the town (weights of the demand mix, normalised).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemandMix {
    pub approval: f64,
    pub policy: f64,
    pub financing: f64,
    pub talent: f64,
    pub exception: f64,
}

/// How enterprises behave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Firms {
    pub characteristic_share: f64,
    /// A firm's revenue grows logistically towards this many times its size class's mean.
    pub max_size_factor: f64,
    pub high_risk_share: f64,
    pub employees: SizeTable<f64>,
    pub revenue_per_employee_yuan: f64,
    pub tax_share: f64,
    pub demands_per_year: SizeTable<f64>,
    pub demand_mix: DemandMix,
    pub growth_per_year: SizeTable<f64>,
    pub characteristic_growth_bonus: f64,
    pub service_growth_effect: f64,
    pub finance_growth_boost: f64,
    pub financed_stickiness_gain: f64,
    pub incentive_growth_boost: f64,
    pub exit_per_year: SizeTable<f64>,
    pub incidents_per_year: f64,
    pub high_risk_factor: f64,
    pub incident_ecology_share: f64,
    pub offer_per_year: f64,
    pub offer_decision_days: u32,
    pub relocate_prob_max: f64,
    pub initial_stickiness: f64,
    pub initial_awareness: f64,
    pub base_stickiness: f64,
    pub stickiness_drift_per_year: f64,
    pub stickiness_served_gain: f64,
    pub stickiness_failed_loss: f64,
    pub deep_threshold: f64,
    pub cofund_yuan_per_year: f64,
    pub entry_per_year: f64,
    pub promotion_entry_per_year: f64,
    pub entry_startup_share: f64,
    pub financing_need_yuan: SizeTable<f64>,
    pub bank_grant_prob: SizeTable<f64>,
    pub hire_talent_share: f64,
    pub hire_migrant_share: f64,
}

/// 考核导向: how much the committee's evaluation weighs hard indicators (investment, tax).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub hard_weight: f64,
    pub max_effort_diversion: f64,
}

/// 街道吹哨、部门报到: the grid command centre can summon a department to an escalated case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Authority {
    pub enabled: bool,
    pub answer_days: f64,
    pub naming_weight: f64,
}

/// 最多跑一次: the share of window matters closed in one visit whatever the hand-offs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OneTrip {
    pub share: f64,
}

/// Backgrounds of steward-team members.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Background {
    IndustryAssociation = 0,
    Intermediary = 1,
    LeadingFirm = 2,
    AngelInvestor = 3,
    TechnicalExpert = 4,
}

impl Background {
    pub const ALL: [Background; 5] = [
        Background::IndustryAssociation,
        Background::Intermediary,
        Background::LeadingFirm,
        Background::AngelInvestor,
        Background::TechnicalExpert,
    ];

    pub fn name(self) -> &'static str {
        [
            "industry_association",
            "intermediary",
            "leading_firm",
            "angel_investor",
            "technical_expert",
        ][self as usize]
    }
}

/// A value per steward background, indexed by `Background as usize`.
pub type BackgroundTable<T> = [T; 5];

/// 小镇管家团队.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stewards {
    /// Members of each background; at most 10 in all.
    pub team: BackgroundTable<u32>,
    pub visits_per_member_day: f64,
    pub cases_per_member_day: f64,
    pub awareness_gain: BackgroundTable<f64>,
    pub stickiness_gain: BackgroundTable<f64>,
    pub detect_prob: f64,
    pub retain_cut: f64,
    pub salary_yuan_per_year: f64,
}

impl Stewards {
    pub fn size(&self) -> u32 {
        self.team.iter().sum()
    }
}

/// The financing platform the stewards run (融资服务平台).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Financing {
    pub fund_yuan: f64,
    pub guidance_share: f64,
    pub term_years: f64,
    pub loss_share: f64,
    pub small_firm_quota: f64,
    pub guidance_cost_per_year: f64,
}

/// 运营服务商: runs the neighbourhood centres under a purchase-of-services contract.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operator {
    pub enabled: bool,
    pub contract_yuan_per_year: f64,
    pub staff_per_community: u32,
    pub staff_cost_yuan_per_year: f64,
    pub cases_per_staff_day: f64,
    pub living_share: f64,
    pub performance_pay: bool,
    pub base_effort: f64,
    pub performance_effort_gain: f64,
    pub supervision_effort_gain: f64,
    pub rework_share: f64,
    pub centre_fixed_yuan_per_year: f64,
}

/// Seat quotas of a self-governance committee (shares, normalised).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SeatQuota {
    pub enterprise: f64,
    pub employee: f64,
    pub native: f64,
    pub migrant_worker: f64,
}

/// 小镇自治委员会, one per community.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SelfGovernance {
    pub enabled: bool,
    pub seats: u32,
    pub quota: SeatQuota,
    pub election_interval_days: u32,
    pub joint_meeting_interval_days: u32,
    pub reference_turnout: f64,
    pub relay_rate: f64,
    pub mediation_per_member_day: f64,
    pub vulnerable_visits_per_member_day: f64,
    pub sanctions: bool,
    pub stipend_yuan_per_seat_year: f64,
    pub consultation: bool,
    pub rejection_at_zero_trust: f64,
    pub rejection_trust_loss: f64,
}

/// How money reaches social organisations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Funding {
    /// 打包: block grants.
    Block,
    /// 项目制: projects proposed bottom-up against residents' needs.
    Project,
}

/// 社会组织.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SocialOrgs {
    pub cultivation_yuan_per_year: f64,
    pub funding: Funding,
    pub yuan_per_capacity_year: f64,
    pub initial_capacity: f64,
    pub growth_per_month: f64,
    pub block_efficiency: f64,
    pub project_efficiency: f64,
    pub project_match_rate: f64,
    pub mediation_share: f64,
    pub capacity_per_volunteer: f64,
    pub volunteer_project_rate: f64,
    pub organising_capacity_per_community: f64,
}

/// The mediation network (调解), community level then town level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mediation {
    pub mediators_per_community: u32,
    pub pay_yuan_per_month: f64,
    pub reference_pay_yuan_per_month: f64,
    pub attrition_per_year: f64,
    pub low_pay_attrition_factor: f64,
    pub unpaid_recruit_share: f64,
    pub funded_share: f64,
    pub refill_per_year: f64,
    pub cases_per_mediator_day: f64,
    pub success_prob: f64,
    pub legal_backing: bool,
    pub legal_backing_gain: f64,
    pub court_share: f64,
    pub court_days: f64,
    pub mass_incident_share: f64,
}

/// 片区组团: neighbouring communities pool centres, operator staff and mediators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Clusters {
    pub communities_per_cluster: u32,
}

/// What the committee pays for (all yuan per year).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    pub budget_yuan_per_year: f64,
    pub staff_salary_yuan_per_year: f64,
    pub grid_worker_salary_yuan_per_year: f64,
    pub grid_subsidy_yuan_per_grid_year: f64,
    pub platform_yuan_per_year: f64,
    pub portal_yuan_per_year: f64,
    pub hard: bool,
    pub austerity_cut: f64,
    pub tax_share: f64,
}
