//! towngov's integration tests: one binary, one module per topic.

mod bad_input;
mod browser;
mod cdp;
mod cli;
mod conservation;
mod determinism;
mod docking;
mod docs;
mod experiments;
mod http;
mod invariants;
mod long_run;
mod properties;
mod messages;
mod multiplicity;
mod scenarios;
mod sensitivity;
mod serve;
mod serve_guard;
mod snapshots;
mod state;
mod statistics;
mod support;
mod tidy;
mod truthful;
mod validation;
