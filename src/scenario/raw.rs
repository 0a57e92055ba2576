//! The scenario file as serde reads it. Every leaf is optional and unknown fields are rejected;
//! nothing here is validated or defaulted. [`crate::scenario::Scenario::from_raw`] fills the
//! defaults, checks every range and builds the validated [`crate::scenario::Scenario`].

use serde::{Deserialize, Serialize};

/// One value per resident kind; a kind left out takes its default.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PerKind<T> {
    pub native: Option<T>,
    pub migrant_worker: Option<T>,
    pub employee: Option<T>,
    pub talent: Option<T>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Scenario")]
pub struct RawScenario {
    pub name: Option<String>,
    pub description: Option<String>,
    pub days: Option<u32>,
    pub seed: Option<u64>,
    pub town: RawTown,
    pub needs: RawNeeds,
    pub incidents: RawIncidents,
    pub behaviour: RawBehaviour,
    pub enterprises: RawFirms,
    pub policy: RawPolicy,
    pub timeline: Vec<RawReform>,
}

/// One dated change: the policy fields given here take effect at the start of `day`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Reform")]
pub struct RawReform {
    pub day: Option<u32>,
    pub policy: RawPolicy,
}

/// One value per firm size.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PerSize<T> {
    pub leading: Option<T>,
    pub sme: Option<T>,
    pub startup: Option<T>,
}

/// One value per steward background.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PerBackground<T> {
    pub industry_association: Option<T>,
    pub intermediary: Option<T>,
    pub leading_firm: Option<T>,
    pub angel_investor: Option<T>,
    pub technical_expert: Option<T>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Town")]
pub struct RawTown {
    pub communities: Option<u32>,
    pub grids_per_community: Option<u32>,
    pub parks: Option<u32>,
    pub side_km: Option<f64>,
    pub residents: PerKind<u32>,
    pub ties_per_resident: Option<u32>,
    pub tie_rewire_share: Option<f64>,
    pub enterprises: PerSize<u32>,
    pub vulnerable_native_share: Option<f64>,
    pub need_mix_spread: Option<f64>,
    pub housing_headroom: Option<f64>,
    pub plot_headroom: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Needs")]
pub struct RawNeeds {
    pub need_rate_per_year: PerKind<f64>,
    pub dispute_rate_per_year: PerKind<f64>,
    pub multi_task_share: Option<f64>,
    pub max_tasks: Option<u32>,
    pub online_eligible_share: Option<f64>,
    pub patience_days: Option<f64>,
    pub on_time_days: Option<f64>,
    pub dispute_escalation_days: Option<f64>,
    pub case_deadline_days: Option<f64>,
    pub resubmit_prob: Option<f64>,
    pub notice_days: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Incidents")]
pub struct RawIncidents {
    pub per_resident_per_year: Option<f64>,
    pub production_share: Option<f64>,
    pub ecology_share: Option<f64>,
    pub serious_share: Option<f64>,
    pub minor_share: Option<f64>,
    pub witness_prob_per_day: Option<f64>,
    pub serious_response_days: Option<f64>,
    pub ecology_loss_yuan_per_day: Option<f64>,
    pub unattended_loss_days: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Behaviour")]
pub struct RawBehaviour {
    pub initial: RawInitialAttitudes,
    pub satisfaction: RawOutcomeEffects,
    pub trust: RawOutcomeEffects,
    pub efficacy_gain_when_heard: Option<f64>,
    pub tie_influence: Option<f64>,
    pub reporting: RawReporting,
    pub participation: RawParticipation,
    pub channels: RawChannels,
    pub migration: RawMigration,
    pub volunteering: RawVolunteering,
    pub demand: RawDemand,
    pub consequences: RawConsequences,
}

/// Whether a resident brings a need to the government (see `needs.rs`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Demand")]
pub struct RawDemand {
    pub bring_share: Option<f64>,
    pub reference_trust: Option<f64>,
    pub trust_weight: Option<f64>,
    pub experience_weight: Option<f64>,
    pub private_share: Option<f64>,
    pub unmet_loss: Option<f64>,
}

/// What petitions, serious cases and ecology damage do to trust and to firms' stickiness.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Consequences")]
pub struct RawConsequences {
    pub petition_trust_loss: Option<f64>,
    pub serious_trust_loss: Option<f64>,
    pub ecology_trust_loss: Option<f64>,
    pub serious_stickiness_loss: Option<f64>,
    pub ecology_stickiness_loss: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Channels")]
pub struct RawChannels {
    pub portal_pref: Option<f64>,
    pub window_pref: Option<f64>,
    pub centre_pref: Option<f64>,
    pub grid_pref: Option<f64>,
    pub self_governance_pref: Option<f64>,
    pub distance_per_km: Option<f64>,
    pub experience_weight: Option<f64>,
    pub trip_satisfaction_loss: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Migration")]
pub struct RawMigration {
    pub leave_threshold: PerKind<f64>,
    pub leave_prob_per_month: Option<f64>,
    pub leave_factor: PerKind<f64>,
    pub unemployed_factor: Option<f64>,
    pub unemployed_satisfaction_loss_per_month: Option<f64>,
    pub uncovered_vulnerable_loss_per_month: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Volunteering")]
pub struct RawVolunteering {
    pub initial_low: Option<f64>,
    pub initial_high: Option<f64>,
    pub intrinsic_mean: Option<f64>,
    pub conditional_slope: Option<f64>,
    pub sanction_strength: Option<f64>,
    pub noise_sd: Option<f64>,
    pub participant_gain: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "DemandMix")]
pub struct RawDemandMix {
    pub approval: Option<f64>,
    pub policy: Option<f64>,
    pub financing: Option<f64>,
    pub talent: Option<f64>,
    pub exception: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Enterprises")]
pub struct RawFirms {
    pub characteristic_share: Option<f64>,
    pub max_size_factor: Option<f64>,
    pub high_risk_share: Option<f64>,
    pub employees: PerSize<f64>,
    pub revenue_per_employee_yuan: Option<f64>,
    pub tax_share: Option<f64>,
    pub demands_per_year: PerSize<f64>,
    pub demand_mix: RawDemandMix,
    pub growth_per_year: PerSize<f64>,
    pub characteristic_growth_bonus: Option<f64>,
    pub service_growth_effect: Option<f64>,
    pub finance_growth_boost: Option<f64>,
    pub financed_stickiness_gain: Option<f64>,
    pub incentive_growth_boost: Option<f64>,
    pub exit_per_year: PerSize<f64>,
    pub incidents_per_year: Option<f64>,
    pub high_risk_factor: Option<f64>,
    pub incident_ecology_share: Option<f64>,
    pub offer_per_year: Option<f64>,
    pub offer_decision_days: Option<u32>,
    pub relocate_prob_max: Option<f64>,
    pub initial_stickiness: Option<f64>,
    pub initial_awareness: Option<f64>,
    pub base_stickiness: Option<f64>,
    pub stickiness_drift_per_year: Option<f64>,
    pub stickiness_served_gain: Option<f64>,
    pub stickiness_failed_loss: Option<f64>,
    pub deep_threshold: Option<f64>,
    pub cofund_yuan_per_year: Option<f64>,
    pub entry_per_year: Option<f64>,
    pub promotion_entry_per_year: Option<f64>,
    pub entry_startup_share: Option<f64>,
    pub financing_need_yuan: PerSize<f64>,
    pub bank_grant_prob: PerSize<f64>,
    pub hire_talent_share: Option<f64>,
    pub hire_migrant_share: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "InitialAttitudes")]
pub struct RawInitialAttitudes {
    pub satisfaction: PerKind<f64>,
    pub trust: PerKind<f64>,
    pub efficacy: PerKind<f64>,
    pub spread: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "OutcomeEffects")]
pub struct RawOutcomeEffects {
    pub on_time_gain: Option<f64>,
    pub late_gain: Option<f64>,
    pub bounce_loss: Option<f64>,
    pub drop_loss: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Reporting")]
pub struct RawReporting {
    pub base: Option<f64>,
    pub trust_weight: Option<f64>,
    pub efficacy_weight: Option<f64>,
}

/// Where residents' participation thresholds come from.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename = "Thresholds")]
pub enum RawThresholds {
    /// Normal(mean, sd), clipped to [0, 1].
    Normal { mean: f64, sd: f64 },
    /// Uniform on [low, high].
    Uniform { low: f64, high: f64 },
    /// One threshold per resident, in spawn order (natives, migrant workers, employees, talent).
    Explicit(Vec<f64>),
}

/// Whose participation a resident looks at.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename = "Reference")]
pub enum RawReference {
    /// Everyone in the resident's community (Granovetter's crowd).
    Community,
    /// The resident's social ties.
    Ties,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Participation")]
pub struct RawParticipation {
    pub interval_days: Option<u32>,
    pub thresholds: Option<RawThresholds>,
    pub reference: Option<RawReference>,
    pub social_weight: Option<f64>,
    pub match_weight: Option<f64>,
    pub efficacy_weight: Option<f64>,
    pub cost: Option<f64>,
    pub vote_cost: Option<f64>,
    pub supervision_weight: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Policy")]
pub struct RawPolicy {
    pub committee: RawCommittee,
    pub platform: RawPlatform,
    pub portal: RawPortal,
    pub grid: RawGrid,
    pub evaluation: RawEvaluation,
    pub authority: RawAuthority,
    pub one_trip: RawOneTrip,
    pub stewards: RawStewards,
    pub financing: RawFinancing,
    pub operator: RawOperator,
    pub self_governance: RawSelfGovernance,
    pub social_orgs: RawSocialOrgs,
    pub mediation: RawMediation,
    pub clusters: RawClusters,
    pub budget: RawBudget,
    pub psych_services: RawPsychServices,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "PsychServices")]
pub struct RawPsychServices {
    pub enabled: Option<bool>,
    pub max_cut: Option<f64>,
    pub ramp_years: Option<f64>,
    pub cost_yuan_per_resident_year: Option<f64>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename = "CommitteeMode")]
pub enum RawCommitteeMode {
    Fragmented,
    Unified,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Committee")]
pub struct RawCommittee {
    pub mode: Option<RawCommitteeMode>,
    pub n_departments: Option<u32>,
    pub total_staff: Option<u32>,
    pub street_layer: Option<bool>,
    pub no_street_factor: Option<f64>,
    pub staff_follow_residents: Option<bool>,
    pub tasks_per_staff_day: Option<f64>,
    pub handoff_delay_days: Option<f64>,
    pub bounce_prob: Option<f64>,
    pub drop_prob: Option<f64>,
    pub max_bounces: Option<u32>,
    pub meeting_interval_days: Option<u32>,
    pub meeting_cut: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Platform")]
pub struct RawPlatform {
    pub integration: Option<f64>,
    pub dispatch_delay_days: Option<f64>,
    pub misroute_prob: Option<f64>,
    pub handoff_cut: Option<f64>,
    pub ledger_cut: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Portal")]
pub struct RawPortal {
    pub coverage: Option<f64>,
    pub online_time_factor: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Grid")]
pub struct RawGrid {
    pub workers_per_grid: Option<u32>,
    pub work_hours_per_day: Option<f64>,
    pub ledger_hours_per_department: Option<f64>,
    pub discovery_rate_per_day: Option<f64>,
    pub reference_residents_per_worker: Option<f64>,
    pub on_the_spot_share: Option<f64>,
    pub dispute_settle_share: Option<f64>,
    pub subsidy_effort_gain: Option<f64>,
    pub reference_subsidy_yuan_per_grid_year: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Evaluation")]
pub struct RawEvaluation {
    pub hard_weight: Option<f64>,
    pub max_effort_diversion: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Authority")]
pub struct RawAuthority {
    pub enabled: Option<bool>,
    pub answer_days: Option<f64>,
    pub naming_weight: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "OneTrip")]
pub struct RawOneTrip {
    pub share: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Stewards")]
pub struct RawStewards {
    pub team: PerBackground<u32>,
    pub visits_per_member_day: Option<f64>,
    pub cases_per_member_day: Option<f64>,
    pub awareness_gain: PerBackground<f64>,
    pub stickiness_gain: PerBackground<f64>,
    pub detect_prob: Option<f64>,
    pub retain_cut: Option<f64>,
    pub salary_yuan_per_year: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Financing")]
pub struct RawFinancing {
    pub fund_yuan: Option<f64>,
    pub guidance_share: Option<f64>,
    pub term_years: Option<f64>,
    pub loss_share: Option<f64>,
    pub small_firm_quota: Option<f64>,
    pub guidance_cost_per_year: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Operator")]
pub struct RawOperator {
    pub enabled: Option<bool>,
    pub contract_yuan_per_year: Option<f64>,
    pub staff_per_community: Option<u32>,
    pub staff_cost_yuan_per_year: Option<f64>,
    pub cases_per_staff_day: Option<f64>,
    pub living_share: Option<f64>,
    pub performance_pay: Option<bool>,
    pub base_effort: Option<f64>,
    pub performance_effort_gain: Option<f64>,
    pub supervision_effort_gain: Option<f64>,
    pub rework_share: Option<f64>,
    pub centre_fixed_yuan_per_year: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "SeatQuota")]
pub struct RawSeatQuota {
    pub enterprise: Option<f64>,
    pub employee: Option<f64>,
    pub native: Option<f64>,
    pub migrant_worker: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "SelfGovernance")]
pub struct RawSelfGovernance {
    pub enabled: Option<bool>,
    pub seats: Option<u32>,
    pub quota: RawSeatQuota,
    pub election_interval_days: Option<u32>,
    pub joint_meeting_interval_days: Option<u32>,
    pub reference_turnout: Option<f64>,
    pub relay_rate: Option<f64>,
    pub mediation_per_member_day: Option<f64>,
    pub vulnerable_visits_per_member_day: Option<f64>,
    pub sanctions: Option<bool>,
    pub stipend_yuan_per_seat_year: Option<f64>,
    pub consultation: Option<bool>,
    pub rejection_at_zero_trust: Option<f64>,
    pub rejection_trust_loss: Option<f64>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename = "Funding")]
pub enum RawFunding {
    Block,
    Project,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "SocialOrgs")]
pub struct RawSocialOrgs {
    pub cultivation_yuan_per_year: Option<f64>,
    pub funding: Option<RawFunding>,
    pub yuan_per_capacity_year: Option<f64>,
    pub initial_capacity: Option<f64>,
    pub growth_per_month: Option<f64>,
    pub block_efficiency: Option<f64>,
    pub project_efficiency: Option<f64>,
    pub project_match_rate: Option<f64>,
    pub mediation_share: Option<f64>,
    pub capacity_per_volunteer: Option<f64>,
    pub volunteer_project_rate: Option<f64>,
    pub organising_capacity_per_community: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Mediation")]
pub struct RawMediation {
    pub mediators_per_community: Option<u32>,
    pub pay_yuan_per_month: Option<f64>,
    pub reference_pay_yuan_per_month: Option<f64>,
    pub attrition_per_year: Option<f64>,
    pub low_pay_attrition_factor: Option<f64>,
    pub unpaid_recruit_share: Option<f64>,
    pub funded_share: Option<f64>,
    pub refill_per_year: Option<f64>,
    pub cases_per_mediator_day: Option<f64>,
    pub success_prob: Option<f64>,
    pub legal_backing: Option<bool>,
    pub legal_backing_gain: Option<f64>,
    pub court_share: Option<f64>,
    pub court_days: Option<f64>,
    pub mass_incident_share: Option<f64>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Clusters")]
pub struct RawClusters {
    pub communities_per_cluster: Option<u32>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Budget")]
pub struct RawBudget {
    pub budget_yuan_per_year: Option<f64>,
    pub staff_salary_yuan_per_year: Option<f64>,
    pub grid_worker_salary_yuan_per_year: Option<f64>,
    pub grid_subsidy_yuan_per_grid_year: Option<f64>,
    pub platform_yuan_per_year: Option<f64>,
    pub portal_yuan_per_year: Option<f64>,
    pub hard: Option<bool>,
    pub austerity_cut: Option<f64>,
    pub tax_share: Option<f64>,
}
