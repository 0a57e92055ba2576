//! Subcommands and the mapping of failures to exit codes.

mod budget;
mod check;
mod compare;
mod interrupt;
mod params;
mod print;
mod progress;
mod run;
mod sensitivity;
mod serve;
mod sweep;
mod timings;

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
    long_about = "Simulate the governance of a characteristic town (特色小镇) and test reforms on it.\n\nWith no subcommand, compares the embedded status-quo town with the full reform over 20 replications of 3 years, prints the table and writes towngov-report/report.html.\n\nExit codes: 0 success; 2 bad input (missing or invalid file, bad flags, existing output without --force); 1 anything else."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Refuse a job whose estimated peak memory is above this (8G, 512M, 1.5GiB; default: the
    /// machine's memory, or a cgroup or `ulimit -v` limit if lower).
    #[arg(long, global = true, value_name = "SIZE", value_parser = parse_max_memory)]
    pub max_memory: Option<u64>,
}

fn parse_max_memory(text: &str) -> Result<u64, String> {
    towngov::experiment::budget::parse_bytes(text)
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run one scenario with one seed; print a summary and optionally write the outputs.
    Run(run::RunArgs),
    /// Compare scenarios over replications with common random numbers: a table, tidy CSV and
    /// an HTML report with plots.
    Compare(compare::CompareArgs),
    /// Run a sweep file: parameters varied by path over a factorial or Latin-hypercube design.
    Sweep(sweep::SweepArgs),
    /// Join the outputs of a sweep's shards into one table, checking none is missing or repeated.
    Merge(sweep::MergeArgs),
    /// Morris elementary effects or Sobol indices of chosen outputs over chosen parameters.
    Sensitivity(sensitivity::SensitivityArgs),
    /// List every figure a run produces (the names `outputs` in sweep files accept).
    Figures,
    /// Validate scenario files; print every error with its file, line, column and field.
    Check {
        /// Scenario files (RON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// The classroom dashboard: a live town in the browser, with play, levers, plots and a
    /// map, served on 127.0.0.1 (nothing fetched from the internet).
    Serve(serve::ServeArgs),
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
    budget::set(cli.max_memory);
    // The dashboard keeps the default: Ctrl-C ends the server.
    if !matches!(cli.command, Some(Command::Serve(_))) {
        interrupt::install();
    }
    match cli.command {
        None => compare::default_job(),
        Some(Command::Run(args)) => run::run(args),
        Some(Command::Compare(args)) => compare::run(args),
        Some(Command::Sweep(args)) => sweep::run(args),
        Some(Command::Merge(args)) => sweep::merge(args),
        Some(Command::Sensitivity(args)) => sensitivity::run(args),
        Some(Command::Figures) => {
            for name in towngov::experiment::runner::figure_names() {
                println!("{name}");
            }
            Ok(())
        }
        Some(Command::Check { files }) => check::check(&files),
        Some(Command::Serve(args)) => serve::run(args),
        Some(Command::Params { markdown }) => {
            params::print(markdown);
            Ok(())
        }
    }
}

/// Runs `f` on `n` worker threads (all cores when `None`).
pub fn threads<T>(
    n: Option<usize>,
    f: impl FnOnce() -> Result<T, Failure> + Send,
) -> Result<T, Failure>
where
    T: Send,
{
    match n {
        None => f(),
        Some(0) => Err(Failure::bad_input(anyhow::anyhow!(
            "--threads must be at least 1"
        ))),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(Failure::other)?
            .install(f),
    }
}

/// Makes the output folder, refusing to overwrite any of `names` in it unless `force`.
pub fn prepare_folder(dir: &std::path::Path, names: &[&str], force: bool) -> Result<(), Failure> {
    if !force {
        let existing: Vec<String> = names
            .iter()
            .map(|n| dir.join(n))
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(Failure::bad_input(anyhow::anyhow!(
                "{} already exists (use --force to overwrite, or --out DIR)",
                existing.join(", ")
            )));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::other(anyhow::anyhow!(
            "{}: cannot create the output folder: {e}",
            dir.display()
        ))
    })
}

/// "1 thread", "2 threads": the worker threads this job runs on.
pub fn threads_label() -> String {
    match rayon::current_num_threads() {
        1 => "1 thread".to_string(),
        n => format!("{n} threads"),
    }
}

/// Flags every long job (compare, sweep, sensitivity) takes.
#[derive(clap::Args, Debug)]
pub struct JobArgs {
    /// Worker threads (default: all cores). The outputs do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Overwrite outputs that already exist (a sweep starts again from nothing).
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors (no table, no progress bar).
    #[arg(long, short)]
    pub quiet: bool,
}
