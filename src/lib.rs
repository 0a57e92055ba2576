//! towngov: an agent-based simulation of how a Chinese characteristic town (特色小镇) is
//! governed, for testing reforms before trying them on a real town.
//!
//! Layers, from the inside out: [`scenario`] (RON files -> validated [`scenario::Scenario`]),
//! [`sim`] (the bevy_ecs model; no I/O), [`output`] (rows and writers). The binary adds the
//! command line. See ARCHITECTURE.md.

pub mod experiment;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod output;
pub mod report;
pub mod scenario;
pub mod sim;

/// The version written into every summary.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
