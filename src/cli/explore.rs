//! `towngov explore FILE.ron [--shard K/N] --out DIR`: every option in every future, with
//! common random numbers; then each option's share of futures beating the reference, its
//! percentiles and regret, and PRIM's description of the futures where it fails. Writes
//! `runs.csv` (one row per run, journaled for a resume), `futures.csv` (future x option x
//! indicator, the mean over replications), `explore.json` (the analysis), `report.html` (the
//! decision report, in `--lang`'s language) and `sweep.json` (the manifest `towngov merge`
//! reads, `kind: "explore"`), all as one set; the summary printed is in the same language. A shard writes only `runs.csv` and
//! `sweep.json`; `towngov merge` joins the shards and this command on the merged folder
//! analyses them without running anything again.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use towngov::output::provenance::Input;

use anyhow::{Context, anyhow};
use clap::Args;
use towngov::experiment::explore::{Explore, ExploreRun};
use towngov::experiment::explore_analysis::{self, Analysis};
use towngov::experiment::sweep::Shard;
use towngov::output::journal::{csv_line, num};
use towngov::output::{AtomicFile, Journal};
use towngov::report::i18n::{Lang, trf};
use towngov::report::wrap;

use super::print::count;
use super::progress::Bar;
use super::sweep::Manifest;
use super::{Failure, threads};

#[derive(Args, Debug)]
pub struct ExploreArgs {
    /// The explore file (RON).
    pub file: PathBuf,
    /// Output folder (default: `<name>-explore`, or `.../shard-K-of-N` with --shard).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run only the K-th of N disjoint parts of the runs (id % N == K); `towngov merge` joins
    /// the parts, then this command on the merged folder analyses them.
    #[arg(long)]
    pub shard: Option<String>,
    /// Language of report.html and of the summary printed here: en or zh-CN (default: from the
    /// locale, LC_ALL, LC_MESSAGES or LANG: zh* is zh-CN, anything else en).
    #[arg(long, value_parser = super::compare::parse_lang, value_name = "en|zh-CN")]
    pub lang: Option<Lang>,
    #[command(flatten)]
    pub job: super::JobArgs,
}

/// The analysis files, written as one set with `runs.csv` and `sweep.json`.
const ANALYSIS: [&str; 3] = ["futures.csv", "explore.json", "report.html"];

pub fn run(args: ExploreArgs) -> Result<(), Failure> {
    let spec = Explore::parse(&args.file).map_err(Failure::bad_input)?;
    let shard = match &args.shard {
        Some(s) => Shard::parse(s).map_err(|e| Failure::bad_input(anyhow!("--shard {e}")))?,
        None => Shard::ALL,
    };
    let out = args.out.clone().unwrap_or_else(|| {
        let dir = PathBuf::from(format!("{}-explore", spec.name));
        if shard == Shard::ALL {
            dir
        } else {
            dir.join(format!("shard-{}-of-{}", shard.k, shard.n))
        }
    });
    // The largest option stands for every run (options differ in levers, not in the town).
    let base = spec
        .options
        .iter()
        .map(|o| &o.scenario)
        .max_by_key(|s| s.town.n_residents())
        .unwrap_or(&spec.options[0].scenario);
    let mut estimate = towngov::experiment::budget::design(&towngov::experiment::budget::Design {
        base,
        days: spec.days,
        points: (spec.futures.len() * spec.options.len()) as u64,
        n_params: spec.params.len() as u64,
        runs: (spec.n_runs() as u64).div_ceil(shard.n as u64),
        daily: 0,
        threads: args
            .job
            .threads
            .unwrap_or_else(rayon::current_num_threads)
            .max(1) as u64,
    });
    // Every run's outputs read back for the analysis, and the means.
    estimate.bytes = estimate
        .bytes
        .saturating_add((spec.outputs.len() as u64).saturating_mul(spec.n_runs() as u64 * 8 * 2));
    super::budget::check(&estimate, "the explore")?;
    threads(args.job.threads, || execute(&spec, shard, &out, &args))
}

fn manifest(
    spec: &Explore,
    file: &Path,
    shard: Shard,
    runs_here: usize,
) -> Result<Manifest, Failure> {
    let (explore_file, options) = inputs(spec, file)?;
    Ok(Manifest {
        name: spec.name.clone(),
        towngov_version: towngov::VERSION.to_string(),
        fingerprint: spec.fingerprint(),
        shard,
        n_runs: spec.n_runs(),
        runs_here,
        base: spec.options[spec.reference].origin.clone(),
        days: spec.days,
        seed: spec.seed,
        replications: spec.replications,
        parameters: spec.params.iter().map(|p| p.path.clone()).collect(),
        outputs: spec.outputs.clone(),
        daily: Vec::new(),
        kind: Some("explore".to_string()),
        provenance: towngov::output::provenance::explore(
            explore_file,
            options,
            super::invocation(Some(rayon::current_num_threads())),
        ),
    })
}

fn execute(spec: &Explore, shard: Shard, out: &Path, args: &ExploreArgs) -> Result<(), Failure> {
    let quiet = args.job.quiet;
    let fingerprint = spec.fingerprint();
    let manifest_path = out.join("sweep.json");
    let marker = Journal::partial_path(&manifest_path);
    if args.job.force {
        super::job_folder::remove_all(
            out,
            &[
                ANALYSIS[0],
                ANALYSIS[1],
                ANALYSIS[2],
                "runs.csv",
                "sweep.json",
            ],
        )?;
    }
    // A folder whose runs are all in (merged shards): analyse them, running nothing.
    if let Some(runs) = super::job_folder::finished_runs(
        out,
        &manifest_path,
        ("explore", &fingerprint),
        shard,
        ("explore.json", "a finished explore"),
    )? {
        let values = explore_analysis::read(spec, runs)
            .with_context(|| format!("{}", out.join("runs.csv").display()))
            .map_err(Failure::bad_input)?;
        let (files, analysis) = analysis_files(spec, out, &values, args)?;
        towngov::output::commit_all(files).map_err(Failure::other)?;
        if !quiet {
            print_summary(spec, &analysis, out, lang(args));
            println!(
                "{}",
                trf(
                    lang(args),
                    "explore.summary.read",
                    &[
                        ("n", &spec.n_runs().to_string()),
                        ("file", &out.join("runs.csv").display().to_string()),
                    ],
                )
            );
        }
        return Ok(());
    }
    super::prepare_folder(
        out,
        &[ANALYSIS[0], ANALYSIS[1], ANALYSIS[2], "runs.csv"],
        args.job.force,
    )?;
    super::job_folder::claim_folder(
        out,
        &marker,
        &fingerprint,
        "another sweep, analysis or explore",
    )?;
    let mine = shard.runs(spec.n_runs());
    let (mut runs_csv, kept) =
        super::job_folder::open_runs(out, &spec.header(), &mine, usize::MAX)?;
    let todo = &mine[kept.len()..];
    let started = Instant::now();
    let bar = Bar::new("explore", quiet);
    let sink = |r: ExploreRun| -> Result<(), String> {
        let mut fields = vec![
            r.run_id.to_string(),
            r.future.to_string(),
            r.option.to_string(),
            spec.options[r.option].scenario.name.clone(),
            r.replicate.to_string(),
            r.seed.to_string(),
            towngov::output::seed_text(r.seed),
        ];
        fields.extend(
            spec.params
                .iter()
                .zip(&spec.futures[r.future])
                .map(|(p, &x)| p.cell(x)),
        );
        fields.extend(
            spec.outputs
                .iter()
                .map(|o| num(r.output.figures.get(o).copied().unwrap_or(f64::NAN))),
        );
        runs_csv.write(&fields).map_err(|e| e.to_string())?;
        runs_csv.flush().map_err(|e| e.to_string())?;
        if super::interrupt::requested() {
            return Err("interrupted".into());
        }
        Ok(())
    };
    towngov::experiment::explore::run(spec, todo, &bar, sink).map_err(|e| {
        if super::interrupt::requested() {
            super::interrupt::stopped(&format!(
                "the runs finished so far are kept in {}; run the same command again to resume",
                out.display()
            ))
        } else {
            Failure::other(e)
        }
    })?;
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let journal = runs_csv.close().map_err(Failure::other)?;
    // runs.csv, the analysis and sweep.json appear as one set (sweep.json last).
    let mut files = Vec::new();
    let mut analysis = None;
    if shard == Shard::ALL {
        let partial = std::fs::File::open(&journal.0)
            .with_context(|| format!("{}: cannot read", journal.0.display()))
            .map_err(Failure::other)?;
        let values = explore_analysis::read(spec, partial)
            .with_context(|| format!("{}", journal.0.display()))
            .map_err(Failure::other)?;
        let (f, a) = analysis_files(spec, out, &values, args)?;
        files = f;
        analysis = Some(a);
    }
    let m = manifest(spec, &args.file, shard, mine.len())?;
    files.push(super::sweep::manifest_file(&manifest_path, &m).map_err(Failure::other)?);
    towngov::output::commit_with_journals(vec![journal], files).map_err(Failure::other)?;
    let _ = std::fs::remove_file(&marker);
    if !quiet {
        println!(
            "explore {}: {} x {} x {} = {}; {} ran {} in {:.1} s ({:.2} runs per second on {}){}",
            spec.name,
            count(spec.futures.len() as u64, "future", "futures"),
            count(spec.options.len() as u64, "option", "options"),
            count(spec.replications.into(), "replication", "replications"),
            count(spec.n_runs() as u64, "run", "runs"),
            if shard == Shard::ALL {
                "this machine".to_string()
            } else {
                format!("shard {}/{}", shard.k, shard.n)
            },
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
        match &analysis {
            Some(a) => print_summary(spec, a, out, lang(args)),
            None => println!(
                "Wrote {}/runs.csv and sweep.json; when every shard is done, `towngov merge` them and run this command on the merged folder for the analysis",
                out.display()
            ),
        }
    }
    Ok(())
}

/// futures.csv, explore.json and report.html, written but not committed.
fn analysis_files(
    spec: &Explore,
    out: &Path,
    values: &explore_analysis::Values,
    args: &ExploreArgs,
) -> Result<(Vec<AtomicFile>, Analysis), Failure> {
    let analysis = explore_analysis::analyse(spec, values);
    // The page shows the inputs but not the invocation: the same bytes on any thread count
    // and after a shard merge.
    let (file, options) = inputs(spec, &args.file)?;
    let mut provenance =
        towngov::output::provenance::explore(file, options, super::invocation(None));
    provenance.invocation = None;
    let write = || -> anyhow::Result<Vec<AtomicFile>> {
        let (header, rows) = explore_analysis::futures_rows(spec, &analysis);
        let mut futures = AtomicFile::create(&out.join(ANALYSIS[0]))?;
        futures.write_all(csv_line(&header).as_bytes())?;
        for r in &rows {
            futures.write_all(csv_line(r).as_bytes())?;
        }
        let mut json = AtomicFile::create(&out.join(ANALYSIS[1]))?;
        serde_json::to_writer_pretty(&mut json, &analysis)?;
        json.write_all(b"\n")?;
        let mut html = AtomicFile::create(&out.join(ANALYSIS[2]))?;
        html.write_all(
            towngov::report::explore::explore_html(spec, &analysis, &provenance, lang(args))
                .as_bytes(),
        )?;
        Ok(vec![futures, json, html])
    };
    Ok((write().map_err(Failure::other)?, analysis))
}

/// The language of the report and the summary: `--lang`, else the locale's.
fn lang(args: &ExploreArgs) -> Lang {
    args.lang.unwrap_or_else(super::compare::locale_lang)
}

/// The explore file and every option's scenario, as read, for the provenance.
fn inputs(spec: &Explore, file: &Path) -> Result<(Input, Vec<Input>), Failure> {
    let options = spec
        .options
        .iter()
        .map(|o| Input::file("option scenario", Path::new(&o.origin)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Failure::other)?;
    Ok((
        Input::file("explore", file).map_err(Failure::other)?,
        options,
    ))
}

fn print_summary(spec: &Explore, a: &Analysis, out: &Path, lang: Lang) {
    let width = super::terminal::width();
    println!(
        "{}",
        wrap(
            &trf(
                lang,
                "explore.summary.head",
                &[
                    ("futures", &a.n_futures.to_string()),
                    (
                        "design",
                        &towngov::report::explore_text::design_text(spec, lang)
                    ),
                    ("reps", &spec.replications.to_string()),
                ],
            ),
            width,
            ""
        )
        .trim_end()
    );
    println!();
    for line in towngov::report::explore_text::summary_lines(spec, a, lang, width) {
        println!("{line}");
    }
    println!();
    println!(
        "{}",
        wrap(
            &trf(
                lang,
                "explore.summary.wrote",
                &[("out", &out.display().to_string())]
            ),
            width,
            ""
        )
        .trim_end()
    );
}
