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
    pub policy: RawPolicy,
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
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Incidents")]
pub struct RawIncidents {
    pub per_grid_per_year: Option<f64>,
    pub production_share: Option<f64>,
    pub ecology_share: Option<f64>,
    pub serious_share: Option<f64>,
    pub minor_share: Option<f64>,
    pub witness_prob_per_day: Option<f64>,
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
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Policy")]
pub struct RawPolicy {
    pub committee: RawCommittee,
    pub platform: RawPlatform,
    pub portal: RawPortal,
    pub grid: RawGrid,
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
    pub staff_per_department: Option<u32>,
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
}
