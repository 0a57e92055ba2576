//! The raw structs serde reads an explore file into (stage one of `explore.rs`).

use serde::Deserialize;

use super::distribution::RawDistribution;
use super::spec_raw::RawLevel;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Explore")]
pub(super) struct RawExplore {
    pub(super) name: Option<String>,
    /// Scenario files, relative to this file.
    pub(super) options: Vec<String>,
    /// The reference option: its file as written in `options`, or its scenario's name
    /// (default: the first).
    pub(super) reference: Option<String>,
    pub(super) days: Option<u32>,
    pub(super) seed: Option<u64>,
    pub(super) replications: Option<u32>,
    pub(super) futures: RawFutures,
    pub(super) parameters: Vec<RawUncertain>,
    /// Figures kept per run (default: the key indicators).
    pub(super) outputs: Option<Vec<String>>,
    pub(super) objective: RawObjective,
    pub(super) failures: Option<Vec<RawCriterion>>,
    pub(super) prim: Option<RawPrim>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum RawFutures {
    LatinHypercube {
        samples: usize,
        seed: Option<u64>,
    },
    /// Weighted parameter draws: a CSV file with a column per parameter path and a `weight`
    /// column; `samples` futures are drawn by systematic resampling.
    Draws {
        file: String,
        samples: usize,
        seed: Option<u64>,
    },
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUncertain {
    pub(super) path: String,
    pub(super) range: Option<(f64, f64)>,
    pub(super) distribution: Option<RawDistribution>,
    pub(super) levels: Option<Vec<RawLevel>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawObjective {
    pub(super) indicator: String,
    pub(super) better: Direction,
}

#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, PartialEq)]
pub enum Direction {
    Higher,
    Lower,
}

#[derive(Clone, Copy, Debug, Deserialize, serde::Serialize, PartialEq)]
pub enum Change {
    /// `(option - reference) / |reference|` in the same future.
    Relative,
    /// `option - reference` in the same future.
    Absolute,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCriterion {
    pub(super) name: Option<String>,
    pub(super) indicator: String,
    pub(super) change: Change,
    pub(super) above: Option<f64>,
    pub(super) at_least: Option<f64>,
    pub(super) below: Option<f64>,
    pub(super) at_most: Option<f64>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPrim {
    pub(super) peel_alpha: Option<f64>,
    pub(super) paste_alpha: Option<f64>,
    pub(super) mass_min: Option<f64>,
    pub(super) min_coverage: Option<f64>,
}
