//! Experiments: many runs of the model, compared and summarised. Each experiment is a pure
//! function of its scenarios and seeds; one `World` per run; rayon across runs; results are
//! streamed in run order, so the output does not depend on the number of threads.

pub mod audit;
mod audit_confirm;
pub mod audit_roles;
pub mod budget;
pub mod claims;
pub mod compare;
pub mod design;
pub mod distribution;
pub mod explore;
pub mod explore_analysis;
mod explore_criteria;
mod explore_draws;
mod explore_raw;
mod explore_run;
pub mod file_kind;
pub mod indicators;
pub mod limits;
pub mod multiplicity;
pub mod noise;
pub mod params;
pub mod precision;
pub mod prim;
pub mod replicated;
pub mod results;
pub mod runner;
pub mod salib;
pub mod scenario_diff;
pub mod sensitivity;
pub mod sensitivity_runs;
pub mod spec;
mod spec_levels;
mod spec_raw;
mod spec_sensitivity;
pub mod stats;
pub mod sweep;
pub mod user_design;
pub mod warmup;
