//! towngov's integration tests: one binary, one module per topic.

mod bad_input;
mod browser;
mod cdp;
mod cli;
mod conservation;
mod determinism;
mod docking;
mod docs;
mod exit_codes;
mod fuzz_corpus;
mod experiments;
mod hostile;
mod http;
mod scenarios;
mod sensitivity;
mod serve;
mod state;
mod statistics;
mod support;
mod validation;
