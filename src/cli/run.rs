//! `towngov run [SCENARIO] --seed N --days D --out DIR [--case-log] [--force]`

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow};
use clap::Args;
use towngov::output::{CsvRows, OutputError, SummaryBuilder};
use towngov::scenario;
use towngov::sim::{SimOptions, Simulation};

use super::{Failure, print};

#[derive(Args, Debug, Default)]
pub struct RunArgs {
    /// Scenario file (RON). Without it, the embedded status-quo town.
    pub scenario: Option<PathBuf>,
    /// Master seed (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Days to simulate (default: the scenario's `days`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub days: Option<u32>,
    /// Folder for daily.csv and summary.json (created if missing).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write cases.csv, one row per finished case (needs --out).
    #[arg(long)]
    pub case_log: bool,
    /// Overwrite outputs that already exist.
    #[arg(long)]
    pub force: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

struct Outputs {
    daily: CsvRows,
    cases: Option<CsvRows>,
    summary_path: PathBuf,
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    let scenario = match &args.scenario {
        Some(path) => scenario::load(path).map_err(Failure::bad_input)?,
        None => scenario::embedded_default(),
    };
    if args.case_log && args.out.is_none() {
        return Err(Failure::bad_input(anyhow!(
            "--case-log needs --out DIR to write cases.csv into"
        )));
    }
    let seed = args.seed.unwrap_or(scenario.seed);
    let days = args.days.unwrap_or(scenario.days);
    let mut outputs = match &args.out {
        Some(dir) => Some(prepare(dir, args.case_log, args.force)?),
        None => None,
    };
    let started = Instant::now();
    let mut sim = Simulation::new(
        &scenario,
        seed,
        SimOptions {
            keep_case_log: args.case_log,
        },
    );
    let mut summary = SummaryBuilder::default();
    let mut write =
        |sim: &mut Simulation, outputs: &mut Option<Outputs>| -> Result<(), OutputError> {
            let row = sim.step().clone();
            summary.add(&row);
            if let Some(o) = outputs {
                o.daily.write(&row)?;
                let finished = sim.take_case_log();
                if let Some(cases) = &mut o.cases {
                    for c in &finished {
                        cases.write(c)?;
                    }
                }
            }
            Ok(())
        };
    for _ in 0..days {
        write(&mut sim, &mut outputs).map_err(Failure::other)?;
    }
    let elapsed = started.elapsed();
    let totals = sim.totals();
    let last = sim.last().clone();
    let summary = summary.finish(&scenario.name, seed, days, totals.clone());
    if let Some(o) = outputs.take() {
        commit(o, &summary).map_err(Failure::other)?;
    }
    if !args.quiet {
        print::summary(&scenario, seed, days, &totals, &last, elapsed);
        match &args.out {
            Some(dir) => print::wrote(dir, args.case_log),
            None => println!(
                "\nAdd --out DIR to save daily.csv (one row per day) and summary.json; `towngov --help` for more."
            ),
        }
    }
    Ok(())
}

/// Creates the folder and the partial files; refuses to clobber outputs without --force.
fn prepare(dir: &Path, case_log: bool, force: bool) -> Result<Outputs, Failure> {
    let mut names = vec!["daily.csv", "summary.json"];
    if case_log {
        names.push("cases.csv");
    }
    if !force {
        let existing: Vec<String> = names
            .iter()
            .map(|n| dir.join(n))
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(Failure::bad_input(anyhow!(
                "{} already exists (use --force to overwrite)",
                existing.join(", ")
            )));
        }
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the output folder", dir.display()))
        .map_err(Failure::other)?;
    let daily = CsvRows::create(&dir.join("daily.csv")).map_err(Failure::other)?;
    let cases = if case_log {
        Some(CsvRows::create(&dir.join("cases.csv")).map_err(Failure::other)?)
    } else {
        None
    };
    Ok(Outputs {
        daily,
        cases,
        summary_path: dir.join("summary.json"),
    })
}

fn commit(o: Outputs, summary: &towngov::output::Summary) -> Result<(), anyhow::Error> {
    let mut file = towngov::output::AtomicFile::create(&o.summary_path)?;
    serde_json::to_writer_pretty(&mut file, summary).context("cannot write summary.json")?;
    use std::io::Write;
    file.write_all(b"\n")
        .map_err(|e| OutputError::io(&o.summary_path, e))?;
    o.daily.commit()?;
    if let Some(c) = o.cases {
        c.commit()?;
    }
    file.commit()?;
    Ok(())
}
