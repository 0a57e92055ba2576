//! towngov's integration tests: one binary, one module per topic.

mod bad_input;
mod cli;
mod conservation;
mod determinism;
mod docking;
mod docs;
mod experiments;
mod scenarios;
mod sensitivity;
mod state;
mod statistics;
mod support;
mod validation;
