//! The raw structs serde reads a sweep or sensitivity file into (stage one of `spec.rs`).

use serde::Deserialize;

/// A level as the file writes it: a number, `true`/`false`, or a variant's name in quotes.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawLevel {
    Number(f64),
    Flag(bool),
    Name(String),
}

/// One varied parameter in a sweep file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawParam {
    pub(super) path: String,
    pub(super) levels: Option<Vec<RawLevel>>,
    pub(super) range: Option<(f64, f64)>,
    pub(super) steps: Option<u32>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum RawDesign {
    Factorial,
    LatinHypercube { samples: usize, seed: Option<u64> },
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Sweep")]
pub(super) struct RawSweep {
    pub(super) name: Option<String>,
    pub(super) base: String,
    pub(super) days: Option<u32>,
    pub(super) seed: Option<u64>,
    pub(super) replications: Option<u32>,
    pub(super) design: RawDesign,
    pub(super) parameters: Vec<RawParam>,
    pub(super) outputs: Option<Vec<String>>,
    pub(super) daily: Option<Vec<String>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) enum RawMethod {
    Morris {
        /// Decided by the rows of a `design` file when one is given.
        trajectories: Option<usize>,
        levels: Option<usize>,
    },
    Sobol {
        /// Decided by the rows of a `design` file when one is given.
        base_samples: Option<usize>,
        bootstrap: Option<usize>,
        second_order: Option<bool>,
    },
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRange {
    pub(super) path: String,
    /// A number's range, uniform over (lower, upper); or give a `distribution` (a choice takes
    /// neither).
    pub(super) range: Option<(f64, f64)>,
    pub(super) distribution: Option<super::distribution::RawDistribution>,
    /// A choice's variants to sample (default: all).
    pub(super) levels: Option<Vec<RawLevel>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Sensitivity")]
pub(super) struct RawSensitivity {
    pub(super) name: Option<String>,
    pub(super) base: String,
    pub(super) days: Option<u32>,
    pub(super) seed: Option<u64>,
    pub(super) replications: Option<u32>,
    pub(super) method: RawMethod,
    pub(super) parameters: Vec<RawRange>,
    pub(super) outputs: Vec<String>,
    pub(super) bootstrap_seed: Option<u64>,
    /// A design matrix in SALib's text layout, relative to the file, run instead of sampling.
    pub(super) design: Option<String>,
}
