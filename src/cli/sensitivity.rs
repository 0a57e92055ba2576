//! `towngov sensitivity SPEC.ron --out DIR`: Morris elementary effects or Sobol indices of the
//! chosen outputs over the chosen parameters. Writes `indices.csv` (tidy), `runs.csv` (one row
//! per run) and SALib's plain-text layout (`problem.txt`, `design.txt`, `Y-<output>.txt`) so a
//! Python user can re-analyse the same runs.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow};
use clap::Args;
use towngov::experiment::salib;
use towngov::experiment::sensitivity_runs;
use towngov::experiment::spec::Sensitivity;
use towngov::experiment::sweep::{self, Shard, SweepRun};
use towngov::output::provenance::Input;
use towngov::output::{AtomicFile, Journal};

use super::print::count;
mod analysis;
use analysis::{Timing, analyse, kept_note};

use super::progress::Bar;
use super::sweep::Manifest;
use super::{Failure, threads};

#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// The sensitivity file (RON).
    pub file: PathBuf,
    /// Output folder (default: `<name>-sensitivity`, or `.../shard-K-of-N` with --shard).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run only the K-th of N disjoint parts of the runs (id % N == K), e.g. for a cluster
    /// job array; `towngov merge` joins the parts, then this command on the merged folder
    /// computes the indices without running anything again.
    #[arg(long)]
    pub shard: Option<String>,
    /// Write the design (SALib's problem.txt and design.txt) and stop, without running it.
    #[arg(long)]
    pub design_only: bool,
    #[command(flatten)]
    pub job: super::JobArgs,
}

/// The files of the analysis proper (written once every run is in), by output.
fn analysis_files(spec: &Sensitivity) -> Vec<String> {
    let mut names: Vec<String> = ["indices.csv", "noise.csv", "problem.txt", "design.txt"]
        .map(String::from)
        .to_vec();
    names.extend(spec.common.outputs.iter().map(|o| format!("Y-{o}.txt")));
    names
}

pub fn run(args: SensitivityArgs) -> Result<(), Failure> {
    let spec = Sensitivity::parse(&args.file).map_err(Failure::bad_input)?;
    let shard = match &args.shard {
        Some(s) => Shard::parse(s).map_err(|e| Failure::bad_input(anyhow!("--shard {e}")))?,
        None => Shard::ALL,
    };
    if args.design_only && shard != Shard::ALL {
        return Err(Failure::bad_input(anyhow!(
            "--design-only writes the whole design: leave out --shard"
        )));
    }
    let out = args.out.clone().unwrap_or_else(|| {
        let dir = PathBuf::from(format!("{}-sensitivity", spec.common.name));
        if shard == Shard::ALL {
            dir
        } else {
            dir.join(format!("shard-{}-of-{}", shard.k, shard.n))
        }
    });
    if args.design_only {
        return write_design(&spec, &out, &args);
    }
    let c = &spec.common;
    let mut estimate = towngov::experiment::budget::design(&towngov::experiment::budget::Design {
        base: &c.base_scenario,
        days: c.days,
        points: spec.points.len() as u64,
        n_params: c.params.len() as u64,
        runs: (spec.n_runs() as u64).div_ceil(shard.n as u64),
        daily: 0,
        threads: args
            .job
            .threads
            .unwrap_or_else(rayon::current_num_threads)
            .max(1) as u64,
    });
    // The mean of every output at every design row, and the bootstrap's resamples of them.
    estimate.bytes = estimate
        .bytes
        .saturating_add((c.outputs.len() as u64).saturating_mul(spec.points.len() as u64 * 8 * 3));
    super::budget::check(&estimate, "the sensitivity analysis")?;
    threads(args.job.threads, || execute(&spec, shard, &out, &args))
}

/// The design file the analysis read (`design: "X.txt"`, beside the analysis file), for the
/// provenance; none when towngov drew the design itself.
fn design_input(file: &Path, spec: &Sensitivity) -> Result<Option<Input>, Failure> {
    let Some(design) = &spec.design_file else {
        return Ok(None);
    };
    let path = file.parent().unwrap_or(Path::new(".")).join(design);
    Input::file("design", &path)
        .map(Some)
        .map_err(Failure::other)
}

/// `--design-only`: problem.txt and design.txt, nothing run.
fn write_design(spec: &Sensitivity, out: &Path, args: &SensitivityArgs) -> Result<(), Failure> {
    super::prepare_folder(out, &["problem.txt", "design.txt"], args.job.force)?;
    let names: Vec<String> = spec.common.params.iter().map(|p| p.path.clone()).collect();
    let bounds: Vec<(f64, f64)> = spec.common.params.iter().map(|p| p.bounds).collect();
    let mut problem = AtomicFile::create(&out.join("problem.txt")).map_err(Failure::other)?;
    salib::write_problem(&mut problem, &names, &bounds).map_err(Failure::other)?;
    let mut design = AtomicFile::create(&out.join("design.txt")).map_err(Failure::other)?;
    salib::write_matrix(&mut design, &spec.points).map_err(Failure::other)?;
    towngov::output::commit_all(vec![problem, design]).map_err(Failure::other)?;
    if !args.job.quiet {
        println!(
            "Wrote {}/problem.txt and design.txt: {} of {} parameters (SALib's text layout; nothing was run)",
            out.display(),
            count(spec.points.len() as u64, "design row", "design rows"),
            spec.common.params.len()
        );
    }
    Ok(())
}

fn execute(
    spec: &Sensitivity,
    shard: Shard,
    out: &Path,
    args: &SensitivityArgs,
) -> Result<(), Failure> {
    let c = &spec.common;
    let quiet = args.job.quiet;
    let fingerprint = sensitivity_runs::fingerprint(spec);
    let manifest_path = out.join("sweep.json");
    let marker = Journal::partial_path(&manifest_path);
    let analysis = analysis_files(spec);
    if args.job.force {
        let mut all = analysis.clone();
        all.extend(["runs.csv", "sweep.json"].map(String::from));
        super::job_folder::remove_all(out, &all)?;
    }
    // A folder whose runs are all in (merged shards, or a run whose analysis is still to
    // write): analyse them without running anything.
    if let Some(runs) = super::job_folder::finished_runs(
        out,
        &manifest_path,
        ("sensitivity", &fingerprint),
        shard,
        ("indices.csv", "a finished analysis"),
    )? {
        let values = sensitivity_runs::read(spec, runs)
            .with_context(|| format!("{}", out.join("runs.csv").display()))
            .map_err(Failure::bad_input)?;
        let files = analyse(spec, out, &values, None, quiet)?;
        towngov::output::commit_all(files).map_err(Failure::other)?;
        if !quiet {
            println!(
                "(the {} runs were read from {}; none was run again)",
                spec.n_runs(),
                out.join("runs.csv").display()
            );
        }
        return Ok(());
    }
    let mut existing: Vec<&str> = analysis.iter().map(String::as_str).collect();
    existing.push("runs.csv");
    super::prepare_folder(out, &existing, args.job.force)?;
    super::job_folder::claim_folder(out, &marker, &fingerprint, "another sweep or analysis")?;
    let mine = shard.runs(spec.n_runs());
    let (mut runs_csv, kept) =
        super::job_folder::open_runs(out, &sensitivity_runs::header(spec), &mine, usize::MAX)?;
    let todo = &mine[kept.len()..];
    let started = Instant::now();
    let bar = Bar::new("sensitivity", quiet);
    let sink = |r: SweepRun| -> Result<(), String> {
        runs_csv
            .write(&super::sweep::run_fields(c, &r))
            .map_err(|e| e.to_string())?;
        runs_csv.flush().map_err(|e| e.to_string())?;
        // A finished run is kept (written above) before the analysis stops.
        if super::interrupt::requested() {
            return Err("interrupted".into());
        }
        Ok(())
    };
    sweep::run(c, &spec.points, todo, &[], &bar, sink).map_err(|e| {
        if super::interrupt::requested() {
            super::interrupt::stopped(&format!(
                "the runs finished so far are kept in {}; run the same command again to resume",
                out.display()
            ))
        } else {
            Failure::other(e)
        }
    })?;
    let elapsed = started.elapsed();
    let journal = runs_csv.close().map_err(Failure::other)?;
    let manifest = Manifest {
        name: c.name.clone(),
        towngov_version: towngov::VERSION.to_string(),
        fingerprint,
        shard,
        n_runs: spec.n_runs(),
        runs_here: mine.len(),
        base: c.base_origin.clone(),
        days: c.days,
        seed: c.seed,
        replications: c.replications,
        parameters: c.params.iter().map(|p| p.path.clone()).collect(),
        outputs: c.outputs.clone(),
        daily: Vec::new(),
        kind: Some("sensitivity".to_string()),
        provenance: towngov::output::provenance::sensitivity(
            Input::file("sensitivity", &args.file).map_err(Failure::other)?,
            Input::file("base scenario", Path::new(&c.base_origin)).map_err(Failure::other)?,
            design_input(&args.file, spec)?,
            super::invocation(Some(rayon::current_num_threads())),
        ),
    };
    let timing = Timing {
        ran: todo.len(),
        kept: kept.len(),
        secs: elapsed.as_secs_f64().max(1e-9),
    };
    // runs.csv, the analysis and sweep.json appear as one set (sweep.json last, marking the
    // runs complete); if a rename fails, runs.csv goes back to its partial name for a resume.
    let mut files = Vec::new();
    if shard == Shard::ALL {
        let partial = std::fs::File::open(&journal.0)
            .with_context(|| format!("{}: cannot read", journal.0.display()))
            .map_err(Failure::other)?;
        let values = sensitivity_runs::read(spec, partial)
            .with_context(|| format!("{}", journal.0.display()))
            .map_err(Failure::other)?;
        files = analyse(spec, out, &values, Some(timing), quiet)?;
    }
    files.push(super::sweep::manifest_file(&manifest_path, &manifest).map_err(Failure::other)?);
    towngov::output::commit_with_journals(vec![journal], files).map_err(Failure::other)?;
    let _ = std::fs::remove_file(&marker);
    if !quiet && shard != Shard::ALL {
        println!(
            "sensitivity {}: shard {}/{} ran {} of {} in {:.1} s{}\nWrote {}/runs.csv and sweep.json; when every shard is done, `towngov merge` them and run this command on the merged folder for the indices",
            c.name,
            shard.k,
            shard.n,
            count(todo.len() as u64, "run", "runs"),
            spec.n_runs(),
            timing.secs,
            kept_note(timing.kept),
            out.display()
        );
    }
    Ok(())
}
