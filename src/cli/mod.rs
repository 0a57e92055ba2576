//! Subcommands and the mapping of failures to exit codes.

mod audit;
mod budget;
mod check;
mod claims;
mod compare;
mod compare_text;
mod explore;
mod interrupt;
mod job_folder;
mod overload;
mod params;
mod print;
mod progress;
mod run;
mod sensitivity;
mod serve;
mod slurm;
mod sweep;
mod terminal;
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
    long_about = "Simulate the governance of a characteristic town (特色小镇) and test reforms on it.\n\nWith no subcommand, compares the embedded status-quo town with the full reform over 20 replications of 3 years, prints the table and writes towngov-report/report.html.\n\nExit codes: 0 success; 2 bad input (missing or invalid file, bad flags, existing output without --force); 1 anything else; 130 stopped by SIGINT or SIGTERM; 141 standard output closed early (e.g. `| head -1`)."
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
    #[command(mut_arg("force", |a| a.help(
        "Overwrite report.html, options.csv, runs.csv and comparison.json if the folder holds them"
    )))]
    Compare(compare::CompareArgs),
    /// Run a sweep file: parameters varied by path over a factorial or Latin-hypercube design.
    #[command(mut_arg("force", |a| a.help(
        "Start the sweep again from nothing: discard a finished sweep or the runs an interrupted one kept in the folder"
    )))]
    Sweep(sweep::SweepArgs),
    /// Join the outputs of a sweep's shards into one table, checking none is missing or repeated.
    Merge(sweep::MergeArgs),
    /// Write the sbatch scripts that run a sweep's shards as a SLURM job array and merge them
    /// in a job that waits for the array (submit.sh submits both).
    Slurm(slurm::SlurmArgs),
    /// Morris elementary effects or Sobol indices of chosen outputs over chosen parameters.
    #[command(mut_arg("force", |a| a.help(
        "Overwrite indices.csv, runs.csv and the SALib files if the folder holds them"
    )))]
    Sensitivity(sensitivity::SensitivityArgs),
    /// Robust decision making: every option of an explore file in every future (a Latin
    /// hypercube or weighted draws of uncertain parameters) with common random numbers; each
    /// option's share of futures beating the reference, percentiles, regret on the objective,
    /// and PRIM boxes describing where it fails. Writes report.html, futures.csv, explore.json,
    /// runs.csv.
    #[command(mut_arg("force", |a| a.help(
        "Start again from nothing: discard the runs and analysis of a finished or interrupted explore in the folder"
    )))]
    Explore(explore::ExploreArgs),
    /// The lever audit: every parameter moved to the ends of its range (both values of a flag,
    /// every variant of a choice) with paired seeds, classified by which indicators move beyond
    /// noise: behavioural, cost-only, own-counter-only or none. Writes audit.csv and audit.md.
    Audit(audit::AuditArgs),
    /// The seed claims C1-C22 measured with paired intervals (docs/ODD.md section 9.2.4).
    #[command(hide = true)]
    Claims(claims::ClaimsArgs),
    /// List every figure a run produces (the names `outputs` in sweep files accept).
    Figures,
    /// Validate scenario, sweep, sensitivity and explore files without running them; print every error
    /// with its file, line, column and field.
    Check {
        /// Scenario, sweep, sensitivity or explore files (RON); each kind is recognised by the
        /// struct name it opens with, its file name (`*.sweep.ron`, `*.sensitivity.ron`,
        /// `*.explore.ron`) or its fields.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// The classroom dashboard: a live town in the browser, with play, levers, plots and a
    /// map, served on 127.0.0.1 (nothing fetched from the internet).
    Serve(serve::ServeArgs),
    /// Print every scenario parameter with its unit, range, default and source.
    Params {
        /// As a Markdown table (the one in docs/ODD.md).
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
        /// As JSON: the typed registry, each parameter with its domain (real or whole with
        /// low and high, flag, choice with its variants, text, list).
        #[arg(long)]
        json: bool,
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
        Some(Command::Slurm(args)) => slurm::run(args),
        Some(Command::Sensitivity(args)) => sensitivity::run(args),
        Some(Command::Explore(args)) => explore::run(args),
        Some(Command::Audit(args)) => audit::run(args),
        Some(Command::Claims(args)) => claims::run(args),
        Some(Command::Figures) => {
            for name in towngov::experiment::runner::figure_names() {
                println!("{name}");
            }
            Ok(())
        }
        Some(Command::Check { files }) => check::check(&files),
        Some(Command::Serve(args)) => serve::run(args),
        Some(Command::Params { markdown, json }) => {
            params::print(markdown, json);
            Ok(())
        }
    }
}

/// The text of an error, each clause said once: the chain of causes joined by ": ", leaving
/// out a cause the message before it already says (an error whose message embeds its source),
/// with an operating-system error in plain words ("no such file or folder", not "No such file
/// or directory (os error 2)").
pub fn error_text(error: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in error.chain() {
        let s = cause.to_string();
        if s.is_empty() || text.contains(&s) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&s);
    }
    for cause in error.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            text = text.replace(&io.to_string(), &io_words(io));
        }
    }
    without_os_error_numbers(&text)
}

/// `text` without the " (os error N)" an operating-system error written into a message
/// carries.
fn without_os_error_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(" (os error ") {
        let after = &rest[i + " (os error ".len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(')') {
            out.push_str(&rest[..i]);
            rest = &after[digits + 1..];
        } else {
            out.push_str(&rest[..i + 1]);
            rest = &rest[i + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// Prints `error: ...` once on stderr (`error:` in red on a terminal).
pub fn print_error(error: &anyhow::Error) {
    anstream::eprintln!(
        "{} {}",
        terminal::paint("error:", terminal::ERROR),
        error_text(error)
    );
}

/// An i/o error in the user's words.
fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or folder".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory => "this is a folder, not a file".to_string(),
        ErrorKind::NotADirectory => "a part of the path is a file, not a folder".to_string(),
        ErrorKind::AlreadyExists => "a file of that name exists already".to_string(),
        ErrorKind::InvalidData => "the file is not UTF-8 text".to_string(),
        _ => {
            let s = e.to_string();
            let s = match s.rfind(" (os error ") {
                Some(i) if s.ends_with(')') => s[..i].to_string(),
                _ => s,
            };
            let mut c = s.chars();
            match c.next() {
                Some(first) => first.to_lowercase().collect::<String>() + c.as_str(),
                None => s,
            }
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
        Failure::other(anyhow::Error::new(e).context(format!(
            "{}: cannot create the output folder",
            dir.display()
        )))
    })
}

/// How this command was invoked, for its outputs' provenance: the command line as given and
/// `threads` (a single run: 1; a job: the pool's threads; `merge`: none).
pub fn invocation(threads: Option<usize>) -> towngov::output::provenance::Invocation {
    towngov::output::provenance::Invocation {
        command_line: std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect(),
        threads,
    }
}

/// A `--seed` value: its decimal digits, or the `seed_text` form of a CSV file
/// (`s18041238358055680514`), so a seed copied from either column of `runs.csv` gives that run.
pub fn parse_seed(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let digits = t.strip_prefix('s').unwrap_or(t);
    match digits.parse::<u64>() {
        Ok(n) if digits.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(format!(
            "expected a seed from 0 to {} (its digits, or `s` and its digits as runs.csv's seed_text writes it), got `{s}`",
            u64::MAX
        )),
    }
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
    /// Overwrite outputs that already exist.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors (no table, no progress bar).
    #[arg(long, short)]
    pub quiet: bool,
}
