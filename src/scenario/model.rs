//! The validated scenario: what the simulation sees. Every value here has passed its range
//! check; nothing here knows about RON or files.

use serde::Serialize;

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

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub days: u32,
    pub seed: u64,
    pub town: Town,
    pub needs: Needs,
    pub incidents: Incidents,
    pub behaviour: Behaviour,
    pub policy: Policy,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Town {
    pub communities: u32,
    pub grids_per_community: u32,
    pub parks: u32,
    pub side_km: f64,
    pub residents: KindTable<u32>,
    pub ties_per_resident: u32,
    pub tie_rewire_share: f64,
}

impl Town {
    pub fn n_residents(&self) -> u64 {
        self.residents.iter().map(|&n| n as u64).sum()
    }

    pub fn n_grids(&self) -> u32 {
        self.communities * self.grids_per_community
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
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
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Incidents {
    pub per_grid_per_year: f64,
    pub production_share: f64,
    pub ecology_share: f64,
    pub serious_share: f64,
    pub minor_share: f64,
    pub witness_prob_per_day: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Behaviour {
    pub initial: InitialAttitudes,
    pub satisfaction: OutcomeEffects,
    pub trust: OutcomeEffects,
    pub efficacy_gain_when_heard: f64,
    pub tie_influence: f64,
    pub reporting: Reporting,
    pub participation: Participation,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InitialAttitudes {
    pub satisfaction: KindTable<f64>,
    pub trust: KindTable<f64>,
    pub efficacy: KindTable<f64>,
    pub spread: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct OutcomeEffects {
    pub on_time_gain: f64,
    pub late_gain: f64,
    pub bounce_loss: f64,
    pub drop_loss: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Reporting {
    pub base: f64,
    pub trust_weight: f64,
    pub efficacy_weight: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Thresholds {
    Normal { mean: f64, sd: f64 },
    Uniform { low: f64, high: f64 },
    Explicit(Vec<f64>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Reference {
    Community,
    Ties,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Participation {
    pub interval_days: u32,
    pub thresholds: Thresholds,
    pub reference: Reference,
    pub social_weight: f64,
    pub match_weight: f64,
    pub efficacy_weight: f64,
    pub cost: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Policy {
    pub committee: Committee,
    pub platform: Platform,
    pub portal: Portal,
    pub grid: Grid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CommitteeMode {
    /// The development-zone pattern: narrow departments, no regular coordination.
    Fragmented,
    /// 大部制: regular meetings clear escalated cases and cut hand-off losses.
    Unified,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Committee {
    pub mode: CommitteeMode,
    pub n_departments: u32,
    pub staff_per_department: u32,
    pub tasks_per_staff_day: f64,
    pub handoff_delay_days: f64,
    pub bounce_prob: f64,
    pub drop_prob: f64,
    pub max_bounces: u32,
    pub meeting_interval_days: u32,
    pub meeting_cut: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Platform {
    pub integration: f64,
    pub dispatch_delay_days: f64,
    pub misroute_prob: f64,
    pub handoff_cut: f64,
    pub ledger_cut: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Portal {
    pub coverage: f64,
    pub online_time_factor: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Grid {
    pub workers_per_grid: u32,
    pub work_hours_per_day: f64,
    pub ledger_hours_per_department: f64,
    pub discovery_rate_per_day: f64,
    pub reference_residents_per_worker: f64,
    pub on_the_spot_share: f64,
    pub dispute_settle_share: f64,
}
