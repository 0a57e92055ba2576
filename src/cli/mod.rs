//! Subcommands and the mapping of failures to exit codes.

mod check;
mod params;
mod print;
mod run;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Exit code for any bad input: a missing or unreadable file, an invalid scenario, bad flags,
/// an output that exists already.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for anything else (e.g. an output folder that cannot be written).
pub const EXIT_OTHER: u8 = 1;

#[derive(Parser, Debug)]
#[command(
    name = "towngov",
    version,
    about = "Simulate the governance of a characteristic town (特色小镇) and test reforms on it",
    long_about = "Simulate the governance of a characteristic town (特色小镇) and test reforms on it.\n\nWith no subcommand, runs the embedded status-quo town for 3 years and prints a summary.\n\nExit codes: 0 success; 2 bad input (missing or invalid file, bad flags, existing output without --force); 1 anything else."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run one scenario with one seed; print a summary and optionally write the outputs.
    Run(run::RunArgs),
    /// Validate scenario files; print every error with its file, line, column and field.
    Check {
        /// Scenario files (RON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print every scenario parameter with its unit, range, default and source.
    Params {
        /// As a Markdown table (the one in docs/ODD.md).
        #[arg(long)]
        markdown: bool,
    },
}

/// A failure with the exit code it maps to.
pub struct Failure {
    pub code: u8,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn bad_input(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: EXIT_BAD_INPUT,
            error: error.into(),
        }
    }

    pub fn other(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: EXIT_OTHER,
            error: error.into(),
        }
    }
}

pub fn dispatch(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        None => run::run(run::RunArgs::default()),
        Some(Command::Run(args)) => run::run(args),
        Some(Command::Check { files }) => check::check(&files),
        Some(Command::Params { markdown }) => {
            params::print(markdown);
            Ok(())
        }
    }
}
