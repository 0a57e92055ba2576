//! `towngov run [SCENARIO] --seed N --days D --out DIR [--case-log] [--force]`

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow};
use clap::Args;
use towngov::output::{CsvRows, OutputError, SummaryBuilder};
use towngov::scenario;
use towngov::sim::state::StateError;
use towngov::sim::{SimOptions, Simulation};

use super::timings::Timings;
use super::{Failure, print};

#[derive(Args, Debug, Default)]
pub struct RunArgs {
    /// Scenario file (RON). Without it, the embedded status-quo town.
    #[arg(conflicts_with = "scenario_flag")]
    pub scenario: Option<PathBuf>,
    /// The scenario whose levers a run continued with --from-state takes (same as SCENARIO).
    #[arg(long = "scenario", id = "scenario_flag", value_name = "SCENARIO")]
    pub scenario_flag: Option<PathBuf>,
    /// Continue the run saved in this file (by --save-state) instead of starting at day 0.
    /// With a scenario, its levers apply from the next day; its town must be the saved one's.
    #[arg(long, value_name = "FILE")]
    pub from_state: Option<PathBuf>,
    /// After the last day, save the whole world (every random stream's position included) to
    /// this file, to continue or branch from later.
    #[arg(long, value_name = "FILE")]
    pub save_state: Option<PathBuf>,
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
    /// Print the wall time of each phase of the day, of building the town and of writing
    /// outputs, and resident-days per second.
    #[arg(long)]
    pub timings: bool,
    /// Print the MSER-5 warm-up diagnostic: per key daily indicator, the days of initial
    /// transient to cut before the rest looks stationary, and the largest of them.
    #[arg(long)]
    pub warm_up_report: bool,
}

struct Outputs {
    daily: CsvRows,
    cases: Option<CsvRows>,
    summary_path: PathBuf,
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    let file = args.scenario.as_ref().or(args.scenario_flag.as_ref());
    let given = match file {
        Some(path) => Some(scenario::load(path).map_err(Failure::bad_input)?),
        None => None,
    };
    let state = match &args.from_state {
        Some(path) => Some(
            std::fs::read(path)
                .with_context(|| format!("{}: cannot read the saved state", path.display()))
                .map_err(Failure::bad_input)?,
        ),
        None => None,
    };
    if let Some(path) = &args.save_state
        && path.exists()
        && !args.force
    {
        return Err(Failure::bad_input(anyhow!(
            "{} already exists (use --force to overwrite)",
            path.display()
        )));
    }
    if args.case_log && args.out.is_none() {
        return Err(Failure::bad_input(anyhow!(
            "--case-log needs --out DIR to write cases.csv into"
        )));
    }
    let options = SimOptions {
        keep_case_log: args.case_log,
    };
    let started = Instant::now();
    let (mut sim, scenario, seed) = match &state {
        Some(bytes) => {
            if args.seed.is_some() {
                return Err(Failure::bad_input(anyhow!(
                    "--seed cannot change a saved run: its streams continue from where they were"
                )));
            }
            let origin = args
                .from_state
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            // Checked before anything is built: the scenario the state carries, and the memory
            // its town needs.
            let (_, started_from) = towngov::sim::state::scenarios(bytes)
                .map_err(|e| Failure::bad_input(anyhow!("{origin}: {e}")))?;
            let days = args.days.unwrap_or(started_from.days);
            let estimate = towngov::experiment::budget::single(
                &started_from,
                started_from.days.saturating_add(days),
            );
            super::budget::check(&estimate, &format!("{origin}: continuing it {days} days"))?;
            let sim = Simulation::from_state(bytes, given.as_ref(), options).map_err(|e| {
                let whose = match (&e, file) {
                    (StateError::TownDiffers(_), Some(f)) => f.display().to_string(),
                    _ => origin.clone(),
                };
                Failure::bad_input(anyhow!("{whose}: {e}"))
            })?;
            let scenario = sim.scenario().clone();
            let seed = sim
                .world()
                .resource::<towngov::sim::clock::Clock>()
                .master_seed;
            (sim, scenario, seed)
        }
        None => {
            let scenario = given.unwrap_or_else(scenario::embedded_default);
            let days = args.days.unwrap_or(scenario.days);
            let estimate = towngov::experiment::budget::single(&scenario, days);
            super::budget::check(&estimate, &format!("a run of {days} days"))?;
            let seed = args.seed.unwrap_or(scenario.seed);
            (Simulation::new(&scenario, seed, options), scenario, seed)
        }
    };
    let start_day = sim.day();
    let days = args.days.unwrap_or(scenario.days);
    let tag = towngov::output::RunTag {
        scenario: scenario.name.clone(),
        seed,
    };
    let mut outputs = match &args.out {
        Some(dir) => Some(prepare(dir, args.case_log, args.force, &tag)?),
        None => None,
    };
    // Created now, so an unwritable place fails before the run, and committed with the rest.
    let mut state_file = match &args.save_state {
        Some(path) => Some(towngov::output::AtomicFile::create(path).map_err(Failure::other)?),
        None => None,
    };
    let mut summary = SummaryBuilder::default();
    // The key daily series, for the MSER-5 warm-up diagnostic (summary.json always carries it;
    // --warm-up-report prints it): a few numbers a day, so it is collected on every run.
    let warm_names: Vec<String> = towngov::experiment::indicators::series()
        .into_iter()
        .map(|m| m.name)
        .collect();
    let mut warm_series: Vec<Vec<f64>> = vec![Vec::with_capacity(days as usize); warm_names.len()];
    let mut timings = args.timings.then(|| Timings {
        build: started.elapsed(),
        ..Default::default()
    });
    let mut write =
        |sim: &mut Simulation, outputs: &mut Option<Outputs>| -> Result<(), OutputError> {
            let row = match &mut timings {
                Some(t) => sim.step_with(|phase, run| t.time(phase, run)).clone(),
                None => sim.step().clone(),
            };
            let written = timings.is_some().then(Instant::now);
            let fields = towngov::output::row_fields(&row);
            summary.add_fields(&fields);
            for (xs, name) in warm_series.iter_mut().zip(&warm_names) {
                xs.push(
                    fields
                        .get(name)
                        .and_then(|v| v.as_f64())
                        .unwrap_or(f64::NAN),
                );
            }
            if let Some(o) = outputs {
                o.daily.write(&row)?;
                let finished = sim.take_case_log();
                if let Some(cases) = &mut o.cases {
                    for c in &finished {
                        cases.write(c)?;
                    }
                }
            }
            if let (Some(t), Some(written)) = (&mut timings, written) {
                t.outputs += written.elapsed();
                t.resident_days += row.residents;
                t.days += 1;
            }
            Ok(())
        };
    let pilot_days = super::overload::PILOT_DAYS.min(days);
    for i in 0..days {
        super::interrupt::check(|| {
            format!(
                "stopped after {i} of {days} days; nothing was written (a run writes its outputs only when it completes): run the command again"
            )
        })?;
        write(&mut sim, &mut outputs).map_err(Failure::other)?;
        if start_day == 0 && i + 1 == pilot_days {
            super::overload::warn(&scenario.name, &sim.department_loads(), pilot_days);
        }
    }
    let finishing = Instant::now();
    if let (Some(path), Some(f)) = (&args.save_state, &mut state_file) {
        let bytes = sim.save_state().map_err(Failure::other)?;
        use std::io::Write;
        f.write_all(&bytes)
            .map_err(|e| Failure::other(OutputError::io(path, e)))?;
    }
    let elapsed = started.elapsed();
    let totals = sim.totals();
    let last = sim.last().clone();
    let named: Vec<(String, Vec<f64>)> = warm_names
        .iter()
        .cloned()
        .zip(std::mem::take(&mut warm_series))
        .collect();
    let warm_up = towngov::experiment::warmup::report(&named, 1);
    let mut summary = summary.finish(&scenario.name, seed, start_day + 1, days, totals.clone());
    summary.warm_up = Some(warm_up.summary());
    commit(outputs.take(), state_file.take(), &summary).map_err(Failure::other)?;
    if let Some(t) = &mut timings {
        t.outputs += finishing.elapsed();
    }
    if !args.quiet {
        print::summary(&scenario, seed, start_day, days, &totals, &last, elapsed);
        if start_day > 0 {
            println!(
                "\n(continued from the state saved after day {start_day}; days {}..{} were simulated now, the totals cover the whole run)",
                start_day + 1,
                start_day + days
            );
        }
        if let Some(path) = &args.save_state {
            println!(
                "\nSaved the state after day {} to {} (continue with `towngov run --from-state {}`)",
                sim.day(),
                path.display(),
                path.display()
            );
        }
        if args.warm_up_report {
            let report = &warm_up;
            println!();
            for (name, m) in &report.by_indicator {
                match m {
                    Some(m) => println!(
                        "  {name:<22} {:>5} days{}",
                        m.days,
                        if m.at_limit { "  (not settled)" } else { "" }
                    ),
                    None => println!("  {name:<22}   n/a (too few days with a value)"),
                }
            }
            print!(
                "{}",
                towngov::report::wrap(&report.sentence(), super::terminal::width(), "")
            );
        }
        match &args.out {
            Some(dir) => print::wrote(dir, args.case_log),
            None => println!(
                "\nAdd --out DIR to save daily.csv (one row per day) and summary.json; `towngov --help` for more."
            ),
        }
    }
    if let Some(t) = &timings {
        t.print();
    }
    Ok(())
}

/// Creates the folder and the partial files; refuses to clobber outputs without --force.
fn prepare(
    dir: &Path,
    case_log: bool,
    force: bool,
    tag: &towngov::output::RunTag,
) -> Result<Outputs, Failure> {
    let mut names = vec!["daily.csv", "summary.json"];
    if case_log {
        names.push("cases.csv");
    }
    super::prepare_folder(dir, &names, force)?;
    let daily = CsvRows::create(&dir.join("daily.csv"), tag).map_err(Failure::other)?;
    let cases = if case_log {
        Some(CsvRows::create(&dir.join("cases.csv"), tag).map_err(Failure::other)?)
    } else {
        None
    };
    Ok(Outputs {
        daily,
        cases,
        summary_path: dir.join("summary.json"),
    })
}

/// Writes summary.json and commits every output of the run as one set.
fn commit(
    outputs: Option<Outputs>,
    state: Option<towngov::output::AtomicFile>,
    summary: &towngov::output::Summary,
) -> Result<(), anyhow::Error> {
    let mut set = Vec::new();
    if let Some(o) = outputs {
        let mut file = towngov::output::AtomicFile::create(&o.summary_path)?;
        serde_json::to_writer_pretty(&mut file, summary)
            .map_err(|e| OutputError::io(&o.summary_path, e.into()))?;
        use std::io::Write;
        file.write_all(b"\n")
            .map_err(|e| OutputError::io(&o.summary_path, e))?;
        set.push(o.daily.into_file()?);
        if let Some(c) = o.cases {
            set.push(c.into_file()?);
        }
        set.push(file);
    }
    set.extend(state);
    towngov::output::commit_all(set)?;
    Ok(())
}
