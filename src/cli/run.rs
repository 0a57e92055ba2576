//! `towngov run [SCENARIO] --seed N --days D --out DIR [--case-log] [--agents-at DAYS] [--force]`

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow};
use clap::Args;
use towngov::output::agents::{AgentsFormat, AgentsWriter};
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
    /// Master seed (default: the scenario's `seed`); `s` and digits (runs.csv's seed_text) too.
    #[arg(long, value_parser = crate::cli::parse_seed)]
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
    /// Write every resident and firm, one row each, at the end of these days (needs --out): a
    /// comma-separated list of day numbers, `end` for the last day; 0 is the town before the
    /// first day. E.g. `0,365,end`.
    #[arg(long, value_name = "DAYS", value_parser = parse_agents_at, allow_hyphen_values = true)]
    pub agents_at: Option<AgentsAt>,
    /// Format of the per-agent files: csv (agents_residents.csv, agents_firms.csv) or parquet
    /// (agents_residents.parquet, agents_firms.parquet).
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT",
        default_value = "csv",
        requires = "agents_at"
    )]
    pub agents_format: FormatArg,
}

/// The days `--agents-at` names, before they are checked against the run's days.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AgentsAt {
    pub days: Vec<u32>,
    pub end: bool,
}

/// At most this many days in `--agents-at` (a Parquet file holds at most 32,767 row groups).
pub const MAX_AGENT_DAYS: usize = 10_000;

fn parse_agents_at(text: &str) -> Result<AgentsAt, String> {
    let mut at = AgentsAt::default();
    for part in text.split(',') {
        let part = part.trim();
        if part == "end" {
            at.end = true;
        } else {
            let day = part.parse::<u32>().map_err(|_| {
                format!("`{part}` is not a day: give day numbers (0 to 36500) or `end`, separated by commas, e.g. 0,365,end")
            })?;
            at.days.push(day);
        }
    }
    at.days.sort_unstable();
    at.days.dedup();
    if at.days.len() + usize::from(at.end) > MAX_AGENT_DAYS {
        return Err(format!("at most {MAX_AGENT_DAYS} days"));
    }
    Ok(at)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    #[default]
    Csv,
    Parquet,
}

impl From<FormatArg> for AgentsFormat {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Csv => AgentsFormat::Csv,
            FormatArg::Parquet => AgentsFormat::Parquet,
        }
    }
}

struct Outputs {
    daily: CsvRows,
    cases: Option<CsvRows>,
    agents: Option<AgentsWriter>,
    summary_path: PathBuf,
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    let file = args.scenario.as_ref().or(args.scenario_flag.as_ref());
    let given = match file {
        Some(path) => Some(scenario::load(path).map_err(Failure::bad_input)?),
        None => None,
    };
    let state = match &args.from_state {
        Some(path) => Some(super::budget::check_state_file(path).and_then(|()| {
            towngov::input::read(path, towngov::input::InputKind::State)
                .with_context(|| format!("{}: cannot read the saved state", path.display()))
                .map_err(Failure::bad_input)
        })?),
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
    let agents_format = AgentsFormat::from(args.agents_format);
    if args.agents_at.is_some() && args.out.is_none() {
        let [r, f] = agents_format.file_names();
        return Err(Failure::bad_input(anyhow!(
            "--agents-at needs --out DIR to write {r} and {f} into"
        )));
    }
    #[cfg(not(feature = "parquet"))]
    if agents_format == AgentsFormat::Parquet {
        return Err(Failure::bad_input(anyhow!(
            "--agents-format parquet: this towngov was built without the `parquet` feature; use --agents-format csv"
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
            let mut estimate = towngov::experiment::budget::single(
                &started_from,
                started_from.days.saturating_add(days),
            );
            if args.agents_at.is_some() {
                estimate.bytes = estimate
                    .bytes
                    .saturating_add(towngov::experiment::budget::agent_rows(&started_from, days));
            }
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
            let mut estimate = towngov::experiment::budget::single(&scenario, days);
            if args.agents_at.is_some() {
                estimate.bytes = estimate
                    .bytes
                    .saturating_add(towngov::experiment::budget::agent_rows(&scenario, days));
            }
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
    let agent_days = match &args.agents_at {
        Some(at) => Some(agent_days(at, start_day, days).map_err(Failure::bad_input)?),
        None => None,
    };
    let agents = agent_days.as_ref().map(|_| agents_format);
    let mut outputs = match &args.out {
        Some(dir) => Some(prepare(dir, args.case_log, agents, args.force, &tag)?),
        None => None,
    };
    let snapshot = |sim: &Simulation, outputs: &mut Option<Outputs>| -> Result<(), OutputError> {
        if let (
            Some(days),
            Some(Outputs {
                agents: Some(w), ..
            }),
        ) = (&agent_days, outputs)
            && days.contains(&sim.day())
        {
            let world = sim.world();
            w.write(
                &towngov::sim::agents::residents(world, sim.day()),
                &towngov::sim::agents::firms(world, sim.day()),
            )?;
        }
        Ok(())
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
    snapshot(&sim, &mut outputs).map_err(Failure::other)?;
    for i in 0..days {
        super::interrupt::check(|| {
            format!(
                "stopped after {i} of {days} days; nothing was written (a run writes its outputs only when it completes): run the command again"
            )
        })?;
        write(&mut sim, &mut outputs).map_err(Failure::other)?;
        snapshot(&sim, &mut outputs).map_err(Failure::other)?;
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
    if args.out.is_some() {
        summary.provenance = Some(provenance(&args, file).map_err(Failure::other)?);
    }
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
            Some(dir) => {
                print::wrote(dir, args.case_log);
                if let (Some(format), Some(days)) = (agents, &agent_days) {
                    let [r, f] = format.file_names();
                    println!(
                        "and {}/{r}, {}/{f} (one row per resident or firm on each of {})",
                        dir.display(),
                        dir.display(),
                        print::count(days.len() as u64, "day", "days")
                    );
                }
            }
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

/// The run's inputs (the scenario file or the embedded one, the saved state) and invocation; a
/// run is single-threaded.
fn provenance(
    args: &RunArgs,
    file: Option<&PathBuf>,
) -> Result<towngov::output::Provenance, OutputError> {
    use towngov::output::provenance::{self, Input};
    let mut inputs = Vec::new();
    if let Some(path) = &args.from_state {
        inputs.push(Input::saved_state(path));
    }
    match file {
        Some(path) => inputs.push(Input::file("scenario", path)?),
        None if args.from_state.is_none() => inputs.push(Input::text(
            "scenario",
            scenario::DEFAULT_SCENARIO_ORIGIN,
            scenario::DEFAULT_SCENARIO_RON,
        )),
        None => {}
    }
    Ok(provenance::run(inputs, super::invocation(Some(1))))
}

/// The days of `--agents-at` in the run's day numbers (`end` the last), each between the first
/// (`start_day`, the town as the run starts) and the last; an error names the flag.
fn agent_days(at: &AgentsAt, start_day: u32, days: u32) -> anyhow::Result<Vec<u32>> {
    let last = start_day.saturating_add(days);
    let mut out = at.days.clone();
    if let Some(&bad) = out.iter().find(|&&d| d < start_day || d > last) {
        anyhow::bail!(
            "--agents-at: day {bad} is outside this run, which covers days {start_day} to {last} (use day numbers in that range, or `end`)"
        );
    }
    if at.end {
        out.push(last);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Creates the folder and the partial files; refuses to clobber outputs without --force.
fn prepare(
    dir: &Path,
    case_log: bool,
    agents: Option<AgentsFormat>,
    force: bool,
    tag: &towngov::output::RunTag,
) -> Result<Outputs, Failure> {
    let mut names = vec!["daily.csv", "summary.json"];
    if case_log {
        names.push("cases.csv");
    }
    if let Some(format) = agents {
        names.extend(format.file_names());
    }
    super::prepare_folder(dir, &names, force)?;
    let daily = CsvRows::create(&dir.join("daily.csv"), tag).map_err(Failure::other)?;
    let cases = if case_log {
        Some(CsvRows::create(&dir.join("cases.csv"), tag).map_err(Failure::other)?)
    } else {
        None
    };
    let agents = match agents {
        Some(format) => Some(AgentsWriter::create(dir, format, tag).map_err(Failure::other)?),
        None => None,
    };
    Ok(Outputs {
        daily,
        cases,
        agents,
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
        if let Some(a) = o.agents {
            set.extend(a.into_files()?);
        }
        set.push(file);
    }
    set.extend(state);
    towngov::output::commit_all(set)?;
    Ok(())
}
