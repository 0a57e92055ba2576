//! The results an experiment hands to the report layer: plain data, no I/O.

use serde::Serialize;

/// Which way an indicator is better, for the plain-words summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Better {
    Higher,
    Lower,
    /// Neither direction is better in itself (e.g. the number of residents).
    Neither,
}

/// What an indicator is: its column name, a readable label, its unit and which way is better.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndicatorMeta {
    /// snake_case name as in the CSV outputs, e.g. `on_time_share`.
    pub name: String,
    /// Readable label, e.g. "resolved on time".
    pub label: String,
    /// Unit, e.g. "share", "days", "yuan", "count".
    pub unit: String,
    pub better: Better,
}

/// A two-sided confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

impl Interval {
    pub fn contains(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// The paired difference (option minus reference) over the replications both ran.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PairedDiff {
    /// Pairs where both values were present.
    pub n: usize,
    pub mean: f64,
    /// Student-t interval on the paired differences; `None` with fewer than 2 pairs.
    pub ci: Option<Interval>,
    /// Standardised effect size d_z = mean / sd of the differences; `None` when the sd is 0
    /// or there are fewer than 2 pairs.
    pub effect_size: Option<f64>,
    /// Two-sided p-value of the paired t test of mean 0; `None` with fewer than 2 pairs or a
    /// figure that is not finite.
    pub p_value: Option<f64>,
    /// `p_value` adjusted for the family of key indicators × compared options (see
    /// [`crate::experiment::multiplicity`]); `None` where `p_value` is.
    pub p_adjusted: Option<f64>,
    /// Whether the adjusted p is below 1 - level: the only case a report calls the difference
    /// better, worse, higher or lower. `None` when no adjustment was applied (then the reports
    /// read the interval).
    pub detected: Option<bool>,
}

/// One option's figures for one indicator.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptionStat {
    /// Replications with a value.
    pub n: usize,
    pub mean: f64,
    /// Sample standard deviation (0 with one value).
    pub sd: f64,
    /// Student-t interval on the mean; `None` with fewer than 2 values.
    pub ci: Option<Interval>,
    /// Against the first option; `None` for the first option itself.
    pub diff: Option<PairedDiff>,
}

/// One indicator across all options.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub meta: IndicatorMeta,
    /// In option order.
    pub by_option: Vec<OptionStat>,
}

/// One option's daily mean across replications with its Student-t confidence interval at the
/// comparison's level (the band drawn around the line), NaN where no replication had a value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Band {
    pub mean: Vec<f64>,
    pub low: Vec<f64>,
    pub high: Vec<f64>,
}

/// A daily indicator over time, per option.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesBands {
    pub meta: IndicatorMeta,
    /// Day numbers (1 = first simulated day after any warm-up).
    pub days: Vec<u32>,
    /// In option order.
    pub by_option: Vec<Band>,
}

/// Everything a comparison produced, for the printed table and the HTML report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// Option names (scenario names), the first is the reference.
    pub options: Vec<String>,
    /// Where each option came from (file path or "<embedded ...>").
    pub origins: Vec<String>,
    pub reps: usize,
    /// The seeds every option ran with (common random numbers). Written as strings: they go
    /// beyond 2^53, where JSON readers that hold numbers as doubles would change them.
    #[serde(serialize_with = "seeds_as_text")]
    pub seeds: Vec<u64>,
    /// Days simulated per run after the warm-up.
    pub days: u32,
    /// Days of the shared warm-up (0 for none).
    pub warm_up_days: u32,
    /// Confidence level, e.g. 0.95.
    pub level: f64,
    /// How the p-values were adjusted for the family of key indicators × compared options.
    pub adjust: super::multiplicity::Adjust,
    pub towngov_version: String,
    /// The key indicators, in display order.
    pub indicators: Vec<IndicatorRow>,
    /// Key daily indicators over time.
    pub series: Vec<SeriesBands>,
    /// MSER-5 on the reference option's daily means (what to pass to `--warm-up` next time);
    /// `None` where no daily series was kept.
    pub warm_up_diagnostic: Option<super::warmup::WarmUpReport>,
    /// With `--warm-up auto`: the pilot that chose the warm-up.
    pub warm_up_pilot: Option<super::warmup::WarmUpReport>,
    /// With `--reps auto`: the targets, the batches and which targets were met.
    pub precision: Option<super::precision::PrecisionReport>,
    /// What each option changes against the first (empty for the first), in option order.
    pub levers: Vec<OptionLevers>,
    /// The figures the decision report pairs replication by replication (cost, budget balance,
    /// cases on time, participants, firms: [`super::indicators::DECISION`]), every value kept.
    pub per_replicate: Vec<FigureValues>,
    /// The build, each option's scenario text and the invocation (`output::provenance`).
    /// Last, so that comparisons differing only in their invocation compare equal before it.
    pub provenance: crate::output::Provenance,
}

/// One parameter whose value differs: its path in the scenario's (validated) serde form, its
/// unit from the registry (empty when the registry does not list the path) and both values.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LeverChange {
    pub path: String,
    pub unit: String,
    pub from: serde_json::Value,
    pub to: serde_json::Value,
}

/// A dated change of an option's policy, against the policy in force before it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineEvent {
    pub day: u32,
    pub changes: Vec<LeverChange>,
}

/// What an option changes against the reference.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct OptionLevers {
    /// Parameters that differ from day 1.
    pub changes: Vec<LeverChange>,
    /// The option's own timeline.
    pub timeline: Vec<TimelineEvent>,
    /// Days of the reference's own timeline entries (its reforms are not diffed).
    pub reference_timeline_days: Vec<u32>,
}

/// A figure's value in every run: `values[option][replicate]` (NaN where a run has none).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FigureValues {
    pub name: String,
    pub values: Vec<Vec<f64>>,
}

fn seeds_as_text<S: serde::Serializer>(seeds: &[u64], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(seeds.iter().map(u64::to_string))
}
