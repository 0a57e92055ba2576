//! `towngov sensitivity SPEC.ron --out DIR`: Morris elementary effects or Sobol indices of the
//! chosen outputs over the chosen parameters. Writes `indices.csv` (tidy), `runs.csv` (one row
//! per run) and SALib's plain-text layout (`problem.txt`, `design.txt`, `Y-<output>.txt`) so a
//! Python user can re-analyse the same runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use towngov::experiment::noise::{self, TARGET_SHARE, WARN_SHARE};
use towngov::experiment::replicated::{morris_replicated, row_means, sobol_replicated};
use towngov::experiment::salib;
use towngov::experiment::sensitivity::{morris, sobol};
use towngov::experiment::spec::{Method, Sensitivity};
use towngov::experiment::sweep::{self, SweepRun};
use towngov::output::AtomicFile;
use towngov::output::journal::{csv_line, num};

use super::print::count;
use super::progress::Bar;
use super::{Failure, threads};
use towngov::report::wrap;

#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// The sensitivity file (RON).
    pub file: PathBuf,
    /// Output folder (default: `<name>-sensitivity`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub job: super::JobArgs,
}

const FILES: [&str; 5] = [
    "indices.csv",
    "noise.csv",
    "runs.csv",
    "problem.txt",
    "design.txt",
];

pub fn run(args: SensitivityArgs) -> Result<(), Failure> {
    let spec = Sensitivity::parse(&args.file).map_err(Failure::bad_input)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}-sensitivity", spec.common.name)));
    let c = &spec.common;
    let mut estimate = towngov::experiment::budget::design(&towngov::experiment::budget::Design {
        base: &c.base_scenario,
        days: c.days,
        points: spec.points.len() as u64,
        n_params: c.params.len() as u64,
        runs: spec.n_runs() as u64,
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
    super::prepare_folder(&out, &FILES, args.job.force)?;
    threads(args.job.threads, || execute(&spec, &out, args.job.quiet))
}

fn execute(spec: &Sensitivity, out: &Path, quiet: bool) -> Result<(), Failure> {
    let c = &spec.common;
    let reps = c.replications as usize;
    let n_rows = spec.points.len();
    let k = c.params.len();
    // vals[output][design row][replicate].
    let mut vals = vec![vec![vec![f64::NAN; reps]; n_rows]; c.outputs.len()];
    let mut runs_csv = AtomicFile::create(&out.join("runs.csv")).map_err(Failure::other)?;
    let mut header: Vec<String> = ["run_id", "row", "scenario", "replicate", "seed"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(c.params.iter().map(|p| p.path.clone()));
    header.extend(c.outputs.iter().cloned());
    runs_csv
        .write_all(csv_line(&header).as_bytes())
        .map_err(Failure::other)?;
    let all: Vec<usize> = (0..spec.n_runs()).collect();
    let started = Instant::now();
    let bar = Bar::new("sensitivity", quiet);
    // Per output: the first run without a finite value.
    let mut bad: Vec<Option<String>> = vec![None; c.outputs.len()];
    let sink = |r: SweepRun| -> Result<(), String> {
        if super::interrupt::requested() {
            return Err("interrupted".into());
        }
        let mut fields = vec![
            r.run_id.to_string(),
            r.point.to_string(),
            c.base_scenario.name.clone(),
            r.replicate.to_string(),
            r.seed.to_string(),
        ];
        fields.extend(c.params.iter().zip(&r.values).map(|(p, &x)| p.cell(x)));
        for (o, name) in c.outputs.iter().enumerate() {
            let v = r.output.figures.get(name).copied().unwrap_or(f64::NAN);
            if !v.is_finite() && bad[o].is_none() {
                bad[o] = Some(format!(
                    "`{name}` has no value in run {} (design row {}): choose outputs every run has (e.g. totals rather than rates of rare events)",
                    r.run_id, r.point
                ));
            }
            if let Some(slot) = vals[o]
                .get_mut(r.point)
                .and_then(|x| x.get_mut(r.replicate))
            {
                *slot = v;
            }
            fields.push(num(v));
        }
        runs_csv
            .write_all(csv_line(&fields).as_bytes())
            .map_err(|e| e.to_string())
    };
    sweep::run(c, &spec.points, &all, &[], &bar, sink).map_err(|e| {
        if super::interrupt::requested() {
            super::interrupt::stopped(
                "the analysis stopped; nothing was written (it writes its files only when complete): run the command again",
            )
        } else {
            Failure::other(e)
        }
    })?;
    let elapsed = started.elapsed();
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
            Method::Sobol { bootstrap, .. } => {
                let ix = match bad[o].clone() {
                    Some(msg) => Err(msg),
                    None if reps > 1 => {
                        sobol_replicated(&vals[o], k, bootstrap, 0.95, spec.bootstrap_seed)
                            .map_err(|e| e.to_string())
                    }
                    None => {
                        sobol(y, k, bootstrap, 0.95, spec.bootstrap_seed).map_err(|e| e.to_string())
                    }
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
                        continue;
                    }
                };
                table += &format!(
                    "  {:<48} {:>24} {:>24}\n",
                    "parameter", "S1 (95% CI)", "ST (95% CI)"
                );
                for (p, s) in names.iter().zip(&ix) {
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
    let mut set = vec![runs_csv, indices, noise_file, problem, design];
    set.extend(ys);
    towngov::output::commit_all(set).map_err(Failure::other)?;
    if !quiet {
        let method = match spec.method {
            Method::Morris {
                trajectories,
                levels,
            } => format!("Morris, {trajectories} trajectories on {levels} levels"),
            Method::Sobol {
                base_samples,
                bootstrap,
            } => format!(
                "Sobol (Saltelli design, Jansen total effects), {base_samples} base samples, {bootstrap} bootstrap resamples"
            ),
        };
        let width = super::terminal::width();
        print!(
            "{}",
            wrap(
                &format!(
                    "sensitivity {}: {method}; {} x {} = {} in {:.1} s ({:.2} runs per second on {})",
                    c.name,
                    count(n_rows as u64, "design row", "design rows"),
                    count(reps as u64, "replication", "replications"),
                    count(spec.n_runs() as u64, "run", "runs"),
                    elapsed.as_secs_f64(),
                    spec.n_runs() as f64 / elapsed.as_secs_f64().max(1e-9),
                    super::threads_label()
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
    Ok(())
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
