//! `towngov sensitivity SPEC.ron --out DIR`: Morris elementary effects or Sobol indices of the
//! chosen outputs over the chosen parameters. Writes `indices.csv` (tidy), `runs.csv` (one row
//! per run) and SALib's plain-text layout (`problem.txt`, `design.txt`, `Y-<output>.txt`) so a
//! Python user can re-analyse the same runs.

use std::cell::Cell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow};
use clap::Args;
use towngov::experiment::noise::{self, TARGET_SHARE, WARN_SHARE};
use towngov::experiment::replicated::{morris_replicated, row_means, sobol_indices_replicated};
use towngov::experiment::salib;
use towngov::experiment::sensitivity::{Layout, morris, sobol_indices};
use towngov::experiment::sensitivity_runs;
use towngov::experiment::spec::{Method, Sensitivity};
use towngov::experiment::sweep::{self, Shard, SweepRun};
use towngov::output::journal::{csv_line, num};
use towngov::output::{AtomicFile, Journal};

use super::print::count;
use super::progress::Bar;
use super::sweep::Manifest;
use super::{Failure, threads};
use towngov::report::wrap;

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

/// Removes `names` and their partial journals from `out`.
fn remove_all(out: &Path, names: &[String]) -> Result<(), Failure> {
    for f in names {
        for p in [out.join(f), Journal::partial_path(&out.join(f))] {
            if p.exists() {
                std::fs::remove_file(&p)
                    .with_context(|| format!("{}: cannot remove", p.display()))
                    .map_err(Failure::other)?;
            }
        }
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
        remove_all(out, &all)?;
    }
    // A folder whose runs are all in (merged shards, or a run whose analysis is still to
    // write): analyse them without running anything.
    if manifest_path.exists() {
        let text = std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("{}: cannot read", manifest_path.display()))
            .map_err(Failure::other)?;
        let m: Manifest = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a towngov manifest", manifest_path.display()))
            .map_err(Failure::bad_input)?;
        let finished = |what: &str| {
            Failure::bad_input(anyhow!(
                "{} holds {what} (use --force to run it again, or --out DIR)",
                out.display()
            ))
        };
        if m.kind.as_deref() != Some("sensitivity") || m.fingerprint != fingerprint {
            return Err(finished(
                "the runs of another sweep or analysis (or of this one with other settings)",
            ));
        }
        if shard != Shard::ALL || m.shard != Shard::ALL {
            return Err(finished(&format!(
                "a finished shard {}/{} (merge the shards with `towngov merge`, then run this command on the merged folder)",
                m.shard.k, m.shard.n
            )));
        }
        if out.join("indices.csv").exists() {
            return Err(finished("a finished analysis"));
        }
        let runs = std::fs::File::open(out.join("runs.csv"))
            .with_context(|| format!("{}: cannot read", out.join("runs.csv").display()))
            .map_err(Failure::bad_input)?;
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
    match std::fs::read_to_string(&marker) {
        Ok(old) if old.trim() != fingerprint => {
            return Err(Failure::bad_input(anyhow!(
                "{} holds part of another sweep or analysis (or of this one with other settings); use another --out folder, or --force to discard it",
                out.display()
            )));
        }
        Ok(_) => {}
        Err(_) => std::fs::write(&marker, format!("{fingerprint}\n"))
            .with_context(|| format!("{}: cannot write", marker.display()))
            .map_err(Failure::other)?,
    }
    let mine = shard.runs(spec.n_runs());
    let next = Cell::new(0usize);
    let (mut runs_csv, kept) =
        Journal::open(&out.join("runs.csv"), &sensitivity_runs::header(spec), |id| {
            let ok = mine.get(next.get()).is_some_and(|&r| id == r.to_string());
            next.set(next.get() + ok as usize);
            ok
        })
        .map_err(Failure::bad_input)?;
    let todo = &mine[kept.len()..];
    let started = Instant::now();
    let bar = Bar::new("sensitivity", quiet);
    let sink = |r: SweepRun| -> Result<(), String> {
        let mut fields = vec![
            r.run_id.to_string(),
            r.point.to_string(),
            c.base_scenario.name.clone(),
            r.replicate.to_string(),
            r.seed.to_string(),
        ];
        fields.extend(r.values.iter().map(|&x| num(x)));
        fields.extend(
            c.outputs
                .iter()
                .map(|o| num(r.output.figures.get(o).copied().unwrap_or(f64::NAN))),
        );
        runs_csv.write(&fields).map_err(|e| e.to_string())?;
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
    files.push(
        super::sweep::manifest_file(&manifest_path, &manifest).map_err(Failure::other)?,
    );
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

/// How long the runs took, for the summary line.
#[derive(Clone, Copy)]
struct Timing {
    ran: usize,
    kept: usize,
    secs: f64,
}

fn kept_note(kept: usize) -> String {
    if kept == 0 {
        String::new()
    } else {
        format!(", after {} kept from an interrupted start", count(kept as u64, "run", "runs"))
    }
}

/// Computes the indices from every run's values, prints the table, and returns the analysis
/// files written but not yet committed.
fn analyse(
    spec: &Sensitivity,
    out: &Path,
    values: &sensitivity_runs::Values,
    timing: Option<Timing>,
    quiet: bool,
) -> Result<Vec<AtomicFile>, Failure> {
    let c = &spec.common;
    let reps = c.replications as usize;
    let n_rows = spec.points.len();
    let k = c.params.len();
    let vals = &values.vals;
    let bad: Vec<Option<String>> = c
        .outputs
        .iter()
        .zip(&values.first_missing)
        .map(|(name, m)| {
            m.map(|(run, row)| format!(
                "`{name}` has no value in run {run} (design row {row}): choose outputs every run has (e.g. totals rather than rates of rare events)"
            ))
        })
        .collect();
    let sums: Vec<Vec<f64>> = vals.iter().map(|rows| row_means(rows)).collect();
    let mut notes: Vec<String> = Vec::new();
    let mut noise_csv = csv_line(
        &[
            "output",
            "replications",
            "within_variance",
            "row_mean_variance",
            "noise_share",
            "replications_for_share",
            "target_share",
            "noise_dominates",
        ]
        .map(String::from),
    );
    let bounds: Vec<(f64, f64)> = c.params.iter().map(|p| p.bounds).collect();
    let names: Vec<String> = c.params.iter().map(|p| p.path.clone()).collect();
    let mut indices = AtomicFile::create(&out.join("indices.csv")).map_err(Failure::other)?;
    let mut table = String::new();
    let head = [
        "method",
        "output",
        "parameter",
        "statistic",
        "value",
        "ci_low",
        "ci_high",
    ];
    let mut text = csv_line(&head.map(String::from));
    for (o, output) in c.outputs.iter().enumerate() {
        let y = &sums[o];
        table += &format!(
            "\n{}\n",
            super::terminal::paint(output, super::terminal::HEAD)
        );
        if reps > 1 && bad[o].is_none() {
            noise_line(&mut table, &mut noise_csv, &mut notes, output, &vals[o]);
        }
        match spec.method {
            Method::Morris { .. } => {
                // Effects per whole range (as SALib reports them): parameters compare on one
                // scale whatever their units.
                let ix = match bad[o].clone() {
                    Some(msg) => Err(msg),
                    None if reps > 1 => morris_replicated(
                        &spec.unit_design,
                        &vals[o],
                        k,
                        None,
                        1000,
                        0.95,
                        spec.bootstrap_seed,
                    )
                    .map_err(|e| e.to_string()),
                    None => morris(
                        &spec.unit_design,
                        y,
                        k,
                        None,
                        1000,
                        0.95,
                        spec.bootstrap_seed,
                    )
                    .map_err(|e| e.to_string()),
                };
                let ix = match ix {
                    Ok(ix) => ix,
                    Err(why) => {
                        not_available(
                            &mut table,
                            &mut text,
                            &mut notes,
                            "morris",
                            output,
                            &names,
                            &["mu_star", "sigma", "mu"],
                            &why,
                        );
                        continue;
                    }
                };
                table += &format!(
                    "  {:<48} {:>12} {:>12} {:>12}\n",
                    "parameter", "mu*", "sigma", "mu"
                );
                // Plain decimals, 4 significant digits on each column's largest figure.
                let dec = |f: fn(&towngov::experiment::sensitivity::MorrisIndex) -> f64| {
                    decimals(ix.iter().map(f), 4)
                };
                let (d_star, d_sigma, d_mu) = (dec(|m| m.mu_star), dec(|m| m.sigma), dec(|m| m.mu));
                for (p, m) in names.iter().zip(&ix) {
                    table += &format!(
                        "  {p:<48} {:>12.d_star$} {:>12.d_sigma$} {:>12.d_mu$}\n",
                        m.mu_star, m.sigma, m.mu
                    );
                    for (index, v, ci) in [
                        ("mu_star", m.mu_star, Some(m.mu_star_ci)),
                        ("sigma", m.sigma, None),
                        ("mu", m.mu, None),
                    ] {
                        let (lo, hi) = ci.map(|i| (num(i.low), num(i.high))).unwrap_or_default();
                        text += &csv_line(&[
                            "morris".into(),
                            output.clone(),
                            p.clone(),
                            index.into(),
                            num(v),
                            lo,
                            hi,
                        ]);
                    }
                }
            }
            Method::Sobol {
                bootstrap,
                second_order,
                ..
            } => {
                let layout = Layout { k, second_order };
                let ix = match bad[o].clone() {
                    Some(msg) => Err(msg),
                    None if reps > 1 => sobol_indices_replicated(
                        &vals[o],
                        layout,
                        bootstrap,
                        0.95,
                        spec.bootstrap_seed,
                    )
                    .map_err(|e| e.to_string()),
                    None => sobol_indices(y, layout, bootstrap, 0.95, spec.bootstrap_seed)
                        .map_err(|e| e.to_string()),
                };
                let ix = match ix {
                    Ok(ix) => ix,
                    Err(why) => {
                        not_available(
                            &mut table,
                            &mut text,
                            &mut notes,
                            "sobol",
                            output,
                            &names,
                            &["S1", "ST"],
                            &why,
                        );
                        if second_order {
                            for (i, j) in layout.pairs() {
                                text += &csv_line(&[
                                    "sobol".into(),
                                    output.clone(),
                                    pair_name(&names, i, j),
                                    "S2".into(),
                                    String::new(),
                                    String::new(),
                                    String::new(),
                                ]);
                            }
                        }
                        continue;
                    }
                };
                table += &format!(
                    "  {:<48} {:>24} {:>24}\n",
                    "parameter", "S1 (95% CI)", "ST (95% CI)"
                );
                for (p, s) in names.iter().zip(&ix.first_total) {
                    table += &format!(
                        "  {p:<48} {:>24} {:>24}\n",
                        format!("{:.3} ({:.3}..{:.3})", s.s1, s.s1_ci.low, s.s1_ci.high),
                        format!("{:.3} ({:.3}..{:.3})", s.st, s.st_ci.low, s.st_ci.high)
                    );
                    for (index, v, ci) in [("S1", s.s1, s.s1_ci), ("ST", s.st, s.st_ci)] {
                        text += &csv_line(&[
                            "sobol".into(),
                            output.clone(),
                            p.clone(),
                            index.into(),
                            num(v),
                            num(ci.low),
                            num(ci.high),
                        ]);
                    }
                }
                if !ix.second.is_empty() {
                    table += &format!("  {:<48} {:>24}\n", "pair of parameters", "S2 (95% CI)");
                }
                for s in &ix.second {
                    let pair = pair_name(&names, s.i, s.j);
                    table += &format!(
                        "  {pair:<48} {:>24}\n",
                        format!("{:.3} ({:.3}..{:.3})", s.s2, s.s2_ci.low, s.s2_ci.high)
                    );
                    text += &csv_line(&[
                        "sobol".into(),
                        output.clone(),
                        pair,
                        "S2".into(),
                        num(s.s2),
                        num(s.s2_ci.low),
                        num(s.s2_ci.high),
                    ]);
                }
            }
        }
    }
    indices.write_all(text.as_bytes()).map_err(Failure::other)?;
    let mut noise_file = AtomicFile::create(&out.join("noise.csv")).map_err(Failure::other)?;
    noise_file
        .write_all(noise_csv.as_bytes())
        .map_err(Failure::other)?;
    let mut problem = AtomicFile::create(&out.join("problem.txt")).map_err(Failure::other)?;
    salib::write_problem(&mut problem, &names, &bounds).map_err(Failure::other)?;
    let mut design = AtomicFile::create(&out.join("design.txt")).map_err(Failure::other)?;
    salib::write_matrix(&mut design, &spec.points).map_err(Failure::other)?;
    let mut ys = Vec::new();
    for (o, output) in c.outputs.iter().enumerate() {
        let mut f =
            AtomicFile::create(&out.join(format!("Y-{output}.txt"))).map_err(Failure::other)?;
        salib::write_outputs(&mut f, &sums[o]).map_err(Failure::other)?;
        ys.push(f);
    }
    let mut set = vec![indices, noise_file, problem, design];
    set.extend(ys);
    if !quiet {
        let method = match spec.method {
            Method::Morris {
                trajectories,
                levels,
            } => format!("Morris, {trajectories} trajectories on {levels} levels"),
            Method::Sobol {
                base_samples,
                bootstrap,
                second_order,
            } => format!(
                "Sobol (Saltelli design, Jansen total effects{}), {base_samples} base samples, {bootstrap} bootstrap resamples",
                if second_order { ", second order" } else { "" }
            ),
        };
        let width = super::terminal::width();
        let how = match timing {
            Some(t) => format!(
                "; {} run in {:.1} s ({:.2} runs per second on {}){}",
                count(t.ran as u64, "run", "runs"),
                t.secs,
                t.ran as f64 / t.secs,
                super::threads_label(),
                kept_note(t.kept)
            ),
            None => String::new(),
        };
        let from = match &spec.design_file {
            Some(f) => format!(" (design read from {f})"),
            None => String::new(),
        };
        print!(
            "{}",
            wrap(
                &format!(
                    "sensitivity {}: {method}{from}; {} x {} = {}{how}",
                    c.name,
                    count(n_rows as u64, "design row", "design rows"),
                    count(reps as u64, "replication", "replications"),
                    count(spec.n_runs() as u64, "run", "runs"),
                ),
                width,
                ""
            )
        );
        anstream::print!("{table}");
        for n in &notes {
            print!("\n{}", wrap(n, width, ""));
        }
        print!(
            "\n{}",
            wrap(
                &format!(
                    "Morris effects are the change in the output for moving a parameter across its whole range.\nWrote {}: indices.csv, runs.csv, and for SALib problem.txt, design.txt, Y-<output>.txt (outputs are the mean over replications of each design row)",
                    out.display()
                ),
                width,
                ""
            )
        );
    }
    Ok(set)
}

/// The name of a pair of parameters in indices.csv and the table: `a:b`.
fn pair_name(names: &[String], i: usize, j: usize) -> String {
    format!("{}:{}", names[i], names[j])
}

/// An output whose indices cannot be computed: `n/a` in the table, empty values in
/// indices.csv, and the reason in a note.
#[allow(clippy::too_many_arguments)]
fn not_available(
    table: &mut String,
    text: &mut String,
    notes: &mut Vec<String>,
    method: &str,
    output: &str,
    names: &[String],
    statistics: &[&str],
    why: &str,
) {
    *table += &format!("  n/a: {why}\n");
    for p in names {
        for st in statistics {
            *text += &csv_line(&[
                method.into(),
                output.into(),
                p.clone(),
                st.to_string(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    notes.push(format!(
        "{output}: n/a ({why}); the other outputs are complete."
    ));
}

/// The replication-noise line of one output, its row in noise.csv and a warning where the
/// noise dominates.
fn noise_line(
    table: &mut String,
    csv: &mut String,
    notes: &mut Vec<String>,
    output: &str,
    rows: &[Vec<f64>],
) {
    let Some(n) = noise::noise(rows) else {
        return;
    };
    let pct = |x: f64| format!("{:.0}%", 100.0 * x);
    let more = match n.reps_for_target {
        Some(r) if r > n.replications => format!(
            "about {r} replications per row would bring it under {}",
            pct(TARGET_SHARE)
        ),
        Some(_) => format!("already under {}", pct(TARGET_SHARE)),
        None => "no number of replications would: the parameters' effect is not above the noise"
            .to_string(),
    };
    match n.share {
        Some(share) => {
            *table += &format!(
                "  replication noise: {} of the variance between design rows ({more})\n",
                pct(share)
            );
            if n.dominates() {
                notes.push(format!(
                    "warning: for {output}, {} of the variance between design rows is replication (seed) noise, above {}: its indices mostly measure seeds, not parameters; {more}.",
                    pct(share),
                    pct(WARN_SHARE)
                ));
            }
        }
        None => *table += "  replication noise: n/a (the output does not vary)\n",
    }
    *csv += &csv_line(&[
        output.to_string(),
        n.replications.to_string(),
        num(n.within_variance),
        num(n.row_mean_variance),
        n.share.map(num).unwrap_or_default(),
        n.reps_for_target.map(|r| r.to_string()).unwrap_or_default(),
        num(TARGET_SHARE),
        n.dominates().to_string(),
    ]);
}

/// Decimals that give the largest finite figure of `xs` `digits` significant digits (0 to 10).
fn decimals(xs: impl Iterator<Item = f64>, digits: i32) -> usize {
    let largest = xs
        .filter(|x| x.is_finite())
        .fold(0.0, |m: f64, x| m.max(x.abs()));
    if largest > 0.0 {
        (digits - 1 - largest.log10().floor() as i32).clamp(0, 10) as usize
    } else {
        0
    }
}
