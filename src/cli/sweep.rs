//! `towngov sweep SWEEP.ron [--shard K/N] --out DIR` and `towngov merge SHARD_DIR... --out DIR`.
//!
//! A sweep's folder holds `runs.csv` (one row per run: its parameters, seed and figures),
//! optionally `daily.csv` (one row per run, day and daily indicator) and `sweep.json` (what
//! the sweep was). Rows are journaled under `.NAME.partial` as runs finish; the files appear
//! under their names when the whole shard is done. Started again after an interruption, a
//! sweep keeps the runs already written and carries on after them.

use std::cell::Cell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow, bail};
use clap::Args;
use serde::{Deserialize, Serialize};
use towngov::experiment::spec::Sweep;
use towngov::experiment::sweep::{self, Shard, SweepRun};
use towngov::input::{InputError, InputKind};
use towngov::output::journal::{csv_line, num};
use towngov::output::provenance::Input;
use towngov::output::{AtomicFile, Journal};

use super::progress::Bar;
use super::{Failure, threads};

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The sweep file (RON).
    pub file: PathBuf,
    /// Output folder (default: `<sweep name>-sweep`, or `.../shard-K-of-N` with --shard).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run only the K-th of N disjoint parts (runs with id % N == K), e.g. for a cluster job
    /// array: `--shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT`.
    #[arg(long)]
    pub shard: Option<String>,
    #[command(flatten)]
    pub job: super::JobArgs,
}

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The shards' output folders (in any order).
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Folder for the merged runs.csv, daily.csv and sweep.json.
    #[arg(long)]
    pub out: PathBuf,
    /// Overwrite outputs that already exist.
    #[arg(long)]
    pub force: bool,
}

/// `sweep.json`: what a finished shard (or a merged sweep) holds. A sensitivity analysis's
/// shards write the same manifest (with `kind`), so `towngov merge` merges them too.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Manifest {
    pub(super) name: String,
    pub(super) towngov_version: String,
    /// Equal for every shard of one sweep (and a resumed sweep checks it).
    pub(super) fingerprint: String,
    pub(super) shard: Shard,
    /// Runs of the whole sweep.
    pub(super) n_runs: usize,
    /// Runs in this folder.
    pub(super) runs_here: usize,
    pub(super) base: String,
    pub(super) days: u32,
    /// Written as a string (64-bit seeds lose digits in readers that hold numbers as doubles);
    /// a manifest of an older towngov with a number is read too.
    #[serde(serialize_with = "seed_as_text", deserialize_with = "seed_from_text")]
    pub(super) seed: u64,
    pub(super) replications: u32,
    pub(super) parameters: Vec<String>,
    pub(super) outputs: Vec<String>,
    pub(super) daily: Vec<String>,
    /// `"sensitivity"` for a sensitivity analysis's runs; absent for a sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) kind: Option<String>,
    /// The build, the sweep (or analysis) file and its base scenario, and the invocation; last,
    /// so that a merged manifest equals a one-machine one byte for byte before the invocation.
    #[serde(default)]
    pub(super) provenance: towngov::output::Provenance,
}

fn seed_as_text<S: serde::Serializer>(n: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(n)
}

fn seed_from_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seed {
        Number(u64),
        Text(String),
    }
    match Seed::deserialize(d)? {
        Seed::Number(n) => Ok(n),
        Seed::Text(t) => t.parse().map_err(serde::de::Error::custom),
    }
}

const OUTPUTS: [&str; 3] = ["runs.csv", "daily.csv", "sweep.json"];

pub fn run(args: SweepArgs) -> Result<(), Failure> {
    let sweep = Sweep::parse(&args.file).map_err(Failure::bad_input)?;
    let shard = match &args.shard {
        Some(s) => Shard::parse(s).map_err(|e| Failure::bad_input(anyhow!("--shard {e}")))?,
        None => Shard::ALL,
    };
    let out = args.out.clone().unwrap_or_else(|| {
        let dir = PathBuf::from(format!("{}-sweep", sweep.common.name));
        if shard == Shard::ALL {
            dir
        } else {
            dir.join(format!("shard-{}-of-{}", shard.k, shard.n))
        }
    });
    threads(args.job.threads, || execute(&sweep, shard, &out, &args))
}

fn execute(sweep: &Sweep, shard: Shard, out: &Path, args: &SweepArgs) -> Result<(), Failure> {
    let c = &sweep.common;
    let estimate = towngov::experiment::budget::design(&towngov::experiment::budget::Design {
        base: &c.base_scenario,
        days: c.days,
        points: sweep.points.len() as u64,
        n_params: c.params.len() as u64,
        runs: (sweep.n_runs() as u64).div_ceil(shard.n as u64),
        daily: sweep.daily.len() as u64,
        threads: rayon::current_num_threads() as u64,
    });
    super::budget::check(&estimate, "the sweep")?;
    let fingerprint = sweep::fingerprint(sweep);
    let marker = Journal::partial_path(&out.join("sweep.json"));
    if args.job.force {
        for f in OUTPUTS {
            for p in [out.join(f), Journal::partial_path(&out.join(f))] {
                if p.exists() {
                    std::fs::remove_file(&p)
                        .with_context(|| format!("{}: cannot remove", p.display()))
                        .map_err(Failure::other)?;
                }
            }
        }
    } else if out.join("sweep.json").exists() {
        return Err(Failure::bad_input(anyhow!(
            "{} holds a finished sweep (use --force to run it again, or --out DIR)",
            out.display()
        )));
    }
    std::fs::create_dir_all(out)
        .with_context(|| format!("{}: cannot create the output folder", out.display()))
        .map_err(Failure::other)?;
    super::job_folder::claim_folder(out, &marker, &fingerprint, "another sweep")?;
    let mine = shard.runs(sweep.n_runs());
    let mut header = towngov::output::run_columns(&["point"]);
    header.extend(c.params.iter().map(|p| p.path.clone()));
    header.extend(c.outputs.iter().cloned());
    // A run's daily rows: every day of the run, each indicator in the order asked.
    let per_run = c.days as usize * sweep.daily.len();
    let open_runs = |limit: usize| super::job_folder::open_runs(out, &header, &mine, limit);
    // Daily rows kept only in run order, `per_run` to a run, for the first `runs` runs.
    let open_daily = |runs: usize| {
        let h: Vec<String> = ["run_id", "day", "indicator", "value"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let row = Cell::new(0usize);
        Journal::open(&out.join("daily.csv"), &h, |id| {
            let k = row.get() / per_run;
            let ok = k < runs && mine.get(k).is_some_and(|&r| id == r.to_string());
            row.set(row.get() + ok as usize);
            ok
        })
        .map_err(Failure::bad_input)
    };
    let (mut runs, mut kept) = open_runs(usize::MAX)?;
    let mut daily = None;
    if per_run > 0 {
        let (mut d, rows) = open_daily(kept.len())?;
        // daily.csv is written before runs.csv for each run, but a journal can still fall
        // behind (a lost write, a hand-edited file): the runs whose days are not all there are
        // cut from both journals and run again, so no daily row is dropped silently.
        let complete = rows.len() / per_run;
        if complete < kept.len() {
            if !args.job.quiet {
                eprintln!(
                    "note: {} holds every day of only {} of the {} runs kept in {}: the other {} are run again",
                    out.join("daily.csv").display(),
                    complete,
                    kept.len(),
                    out.join("runs.csv").display(),
                    kept.len() - complete
                );
            }
            drop((runs, d));
            (runs, kept) = open_runs(complete)?;
            d = open_daily(complete)?.0;
        }
        daily = Some(d);
    }
    let todo = &mine[kept.len()..];
    let names: Vec<&str> = sweep.daily.iter().map(String::as_str).collect();
    let started = Instant::now();
    let bar = Bar::new("sweep", args.job.quiet);
    let sink = |r: SweepRun| -> Result<(), String> {
        if let Some(d) = &mut daily {
            for (day, values) in &r.output.daily {
                for (name, v) in names.iter().zip(values) {
                    d.write(&[
                        r.run_id.to_string(),
                        day.to_string(),
                        name.to_string(),
                        num(*v),
                    ])
                    .map_err(|e| e.to_string())?;
                }
            }
            d.flush().map_err(|e| e.to_string())?;
        }
        runs.write(&run_fields(c, &r)).map_err(|e| e.to_string())?;
        runs.flush().map_err(|e| e.to_string())?;
        // A finished run is kept (written above) before the sweep stops.
        if super::interrupt::requested() {
            return Err("interrupted".into());
        }
        Ok(())
    };
    sweep::run(c, &sweep.points, todo, &names, &bar, sink).map_err(|e| {
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
    // runs.csv, daily.csv and sweep.json appear as one set (sweep.json last, marking it
    // complete); if any rename fails, the journals go back to their partial names for a resume.
    let mut journals = vec![runs.close().map_err(Failure::other)?];
    if let Some(d) = daily {
        journals.push(d.close().map_err(Failure::other)?);
    }
    let manifest = Manifest {
        name: c.name.clone(),
        towngov_version: towngov::VERSION.to_string(),
        fingerprint,
        shard,
        n_runs: sweep.n_runs(),
        runs_here: mine.len(),
        base: c.base_origin.clone(),
        days: c.days,
        seed: c.seed,
        replications: c.replications,
        parameters: c.params.iter().map(|p| p.path.clone()).collect(),
        outputs: c.outputs.clone(),
        daily: sweep.daily.clone(),
        kind: None,
        provenance: towngov::output::provenance::sweep(
            Input::file("sweep", &args.file).map_err(Failure::other)?,
            Input::file("base scenario", Path::new(&c.base_origin)).map_err(Failure::other)?,
            super::invocation(Some(rayon::current_num_threads())),
        ),
    };
    let manifest_file =
        manifest_file(&out.join("sweep.json"), &manifest).map_err(Failure::other)?;
    towngov::output::commit_with_journals(journals, vec![manifest_file]).map_err(Failure::other)?;
    let _ = std::fs::remove_file(&marker);
    if !args.job.quiet {
        let secs = elapsed.as_secs_f64().max(1e-9);
        println!(
            "sweep {}: {} x {} = {}; this shard ({}/{}) ran {} in {:.1} s ({:.2} runs per second on {}){}",
            c.name,
            super::print::count(sweep.points.len() as u64, "design point", "design points"),
            super::print::count(c.replications.into(), "replication", "replications"),
            super::print::count(sweep.n_runs() as u64, "run", "runs"),
            shard.k,
            shard.n,
            todo.len(),
            secs,
            todo.len() as f64 / secs,
            super::threads_label(),
            if kept.is_empty() {
                String::new()
            } else {
                format!(", after {} runs kept from an interrupted start", kept.len())
            }
        );
        println!(
            "Wrote {}/runs.csv (one row per run){}, sweep.json",
            out.display(),
            if sweep.daily.is_empty() {
                ""
            } else {
                ", daily.csv (one row per run, day and indicator)"
            }
        );
    }
    Ok(())
}

/// sweep.json written, not yet committed.
pub(super) fn manifest_file(path: &Path, m: &Manifest) -> anyhow::Result<AtomicFile> {
    let mut f = AtomicFile::create(path)?;
    serde_json::to_writer_pretty(&mut f, m)?;
    f.write_all(b"\n")?;
    Ok(f)
}

pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    merge_inner(&args).map_err(|e| match e.downcast_ref::<towngov::output::OutputError>() {
        Some(_) => Failure::other(e),
        None => Failure::bad_input(e),
    })
}

fn merge_inner(args: &MergeArgs) -> anyhow::Result<()> {
    let mut shards: Vec<(PathBuf, Manifest)> = Vec::new();
    for dir in &args.shards {
        let path = dir.join("sweep.json");
        let text = towngov::input::read_to_string(&path, InputKind::Text).map_err(|e| {
            let context = match e {
                InputError::Io(_) => format!(
                    "{}: no finished shard here (run or resume it with the same `towngov sweep` command first)",
                    dir.display()
                ),
                // Something towngov did not write: a folder, a device, a file too large.
                _ => format!("{}: cannot read the shard's manifest", path.display()),
            };
            anyhow::Error::new(e).context(context)
        })?;
        let m: Manifest = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a sweep manifest", path.display()))?;
        shards.push((dir.clone(), m));
    }
    for (dir, m) in &shards {
        if m.shard.n == 0 || m.shard.k >= m.shard.n {
            bail!(
                "{}: shard {}/{} in sweep.json is not a shard (need 0 <= K < N); the manifest was edited or damaged: run the shard again",
                dir.join("sweep.json").display(),
                m.shard.k,
                m.shard.n
            );
        }
        if m.n_runs as u64 > towngov::experiment::spec::MAX_RUNS || m.runs_here > m.n_runs {
            bail!(
                "{}: {} runs here of {} in all is not a sweep towngov writes (at most {} runs); the manifest was edited or damaged",
                dir.join("sweep.json").display(),
                m.runs_here,
                m.n_runs,
                towngov::experiment::spec::MAX_RUNS
            );
        }
    }
    let first = &shards[0].1;
    let n = first.shard.n;
    if n > shards.len() {
        // Some are missing; name the first few without a table of all n.
        let given: std::collections::HashSet<usize> =
            shards.iter().map(|(_, m)| m.shard.k).collect();
        let missing: Vec<String> = (0..n)
            .filter(|k| !given.contains(k))
            .take(5)
            .map(|k| format!("{k}/{n}"))
            .collect();
        let more = n - given.len() - missing.len();
        bail!(
            "shard {}{} missing: the sweep was split into {n} shards and {} folders are given; give every shard's folder",
            missing.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            },
            shards.len()
        );
    }
    for (dir, m) in &shards {
        if m.fingerprint != first.fingerprint || m.n_runs != first.n_runs {
            bail!(
                "{} is a shard of another sweep than {} (fingerprints {} and {})",
                dir.display(),
                shards[0].0.display(),
                m.fingerprint,
                first.fingerprint
            );
        }
        if m.shard.n != n {
            bail!(
                "{} was split into {} shards, {} into {}",
                dir.display(),
                m.shard.n,
                shards[0].0.display(),
                n
            );
        }
    }
    let mut by_k: Vec<Option<usize>> = vec![None; n];
    for (i, (dir, m)) in shards.iter().enumerate() {
        if let Some(j) = by_k[m.shard.k] {
            bail!(
                "shard {}/{} is given twice: {} and {}",
                m.shard.k,
                n,
                shards[j].0.display(),
                dir.display()
            );
        }
        by_k[m.shard.k] = Some(i);
    }
    let missing: Vec<String> = (0..n)
        .filter(|&k| by_k[k].is_none())
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        bail!(
            "shard {} missing: give every shard's folder",
            missing.join(", ")
        );
    }
    let order: Vec<usize> = by_k.into_iter().flatten().collect();
    if !args.force {
        for f in OUTPUTS {
            let p = args.out.join(f);
            if p.exists() {
                bail!("{} already exists (use --force to overwrite)", p.display());
            }
        }
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create the output folder", args.out.display()))?;
    let dirs: Vec<&Path> = order.iter().map(|&i| shards[i].0.as_path()).collect();
    let mut set = vec![merge_file(
        &dirs,
        "runs.csv",
        &args.out,
        first.n_runs,
        None,
    )?];
    if !first.daily.is_empty() {
        let days = Days {
            days: first.days,
            names: &first.daily,
        };
        set.push(merge_file(
            &dirs,
            "daily.csv",
            &args.out,
            first.n_runs,
            Some(days),
        )?);
    }
    let merged = Manifest {
        shard: Shard::ALL,
        runs_here: first.n_runs,
        provenance: towngov::output::provenance::merged(&first.provenance, super::invocation(None)),
        ..serde_json::from_str(&serde_json::to_string(first)?)?
    };
    set.push(manifest_file(&args.out.join("sweep.json"), &merged)?);
    towngov::output::commit_all(set)?;
    println!(
        "merged {} shards: {} runs, each exactly once, into {}",
        n,
        first.n_runs,
        args.out.display()
    );
    if first.kind.as_deref() == Some("explore") {
        println!(
            "These are an explore's runs: `towngov explore FILE --out {}` analyses them (no run is repeated)",
            args.out.display()
        );
    }
    if first.kind.as_deref() == Some("sensitivity") {
        println!(
            "These are a sensitivity analysis's runs: `towngov sensitivity FILE --out {}` computes its indices from them (no run is repeated)",
            args.out.display()
        );
    }
    Ok(())
}

/// What a run's rows of `daily.csv` must be: one per day (1 to `days`) and indicator, in the
/// order of `names`.
#[derive(Clone, Copy)]
struct Days<'a> {
    days: u32,
    names: &'a [String],
}

impl Days<'_> {
    /// Why the `k`-th daily row of a run is not the one expected, if it is not.
    fn wrong(&self, k: usize, row: &csv::StringRecord) -> Option<String> {
        let day = (k / self.names.len() + 1).to_string();
        let name = &self.names[k % self.names.len()];
        (row.get(1) != Some(day.as_str()) || row.get(2) != Some(name.as_str())).then(|| {
            format!(
                "row {} of run {} is day {}, {}; expected day {day}, {name}",
                k + 1,
                row.get(0).unwrap_or("?"),
                row.get(1).unwrap_or("?"),
                row.get(2).unwrap_or("?")
            )
        })
    }
}

/// Interleaves the shards' rows in run order, checking every run appears exactly once (with
/// `daily`, a run's rows are consecutive, one per day and indicator, every day there).
fn merge_file(
    dirs: &[&Path],
    name: &str,
    out: &Path,
    n_runs: usize,
    daily: Option<Days>,
) -> anyhow::Result<AtomicFile> {
    let n = dirs.len();
    let mut readers = Vec::with_capacity(n);
    let mut header = None;
    for d in dirs {
        let path = d.join(name);
        if daily.is_some() && !path.is_file() {
            bail!(
                "{}: missing, though {} says the shard keeps daily indicators; run the shard again",
                path.display(),
                d.join("sweep.json").display()
            );
        }
        let f = towngov::input::open(&path, InputKind::Rows)
            .with_context(|| format!("{}: cannot read", path.display()))?;
        let mut r = csv::Reader::from_reader(f);
        let h = r.headers()?.clone();
        if daily.is_some()
            && h != csv::StringRecord::from(vec!["run_id", "day", "indicator", "value"])
        {
            bail!(
                "{}: not a sweep's daily.csv (its columns are not run_id, day, indicator, value)",
                path.display()
            );
        }
        match &header {
            None => header = Some(h),
            Some(first) if *first != h => bail!(
                "{}: its columns differ from the other shards'",
                path.display()
            ),
            _ => {}
        }
        readers.push((path, r.into_records().peekable()));
    }
    let header = header.unwrap_or_default();
    let mut f = AtomicFile::create(&out.join(name))?;
    f.write_all(csv_line(&header.iter().map(String::from).collect::<Vec<_>>()).as_bytes())?;
    let want = daily.map_or(1, |d| d.days as usize * d.names.len());
    for i in 0..n_runs {
        let (path, rows) = &mut readers[i % n];
        let id = i.to_string();
        let mut found = 0;
        while found < want {
            let row = match rows.peek() {
                Some(Ok(row)) => row,
                Some(Err(e)) => bail!("{}: {e}", path.display()),
                None => break,
            };
            if row.get(0) != Some(id.as_str()) {
                break;
            }
            if let Some(why) = daily.and_then(|d| d.wrong(found, row)) {
                bail!(
                    "{}: {why}, so the shard's daily rows do not match its runs",
                    path.display()
                );
            }
            let line: Vec<String> = row.iter().map(String::from).collect();
            f.write_all(csv_line(&line).as_bytes())?;
            rows.next();
            found += 1;
        }
        if found < want {
            bail!(
                "{}: {}, so the shards do not cover the sweep",
                path.display(),
                if daily.is_some() {
                    format!(
                        "run {i} has {found} daily rows of {want} (missing, cut short or out of order)"
                    )
                } else {
                    format!("run {i} is missing (or out of order)")
                }
            );
        }
    }
    for (path, rows) in &mut readers {
        if let Some(row) = rows.next() {
            let row = row?;
            bail!(
                "{}: run {} is repeated or does not belong to this shard",
                path.display(),
                row.get(0).unwrap_or("?")
            );
        }
    }
    Ok(f)
}

/// One run's `runs.csv` row, as sweeps and sensitivity analyses write it: run id, design point
/// (or row), scenario, replicate, seed, each parameter's value, then each kept figure.
pub(super) fn run_fields(c: &towngov::experiment::spec::Common, r: &SweepRun) -> Vec<String> {
    let mut fields = vec![
        r.run_id.to_string(),
        r.point.to_string(),
        c.base_scenario.name.clone(),
        r.replicate.to_string(),
        r.seed.to_string(),
        towngov::output::seed_text(r.seed),
    ];
    fields.extend(c.params.iter().zip(&r.values).map(|(p, &x)| p.cell(x)));
    fields.extend(
        c.outputs
            .iter()
            .map(|o| num(r.output.figures.get(o).copied().unwrap_or(f64::NAN))),
    );
    fields
}
