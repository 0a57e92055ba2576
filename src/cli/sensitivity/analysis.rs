//! The analysis proper of `towngov sensitivity`: indices of every output from every run's
//! values, the table, notes and the files (`indices.csv`, `noise.csv`, SALib's layouts), written
//! but not committed, so the caller commits them with the runs as one set.

use std::io::Write;
use std::path::Path;

use towngov::experiment::noise::{self, TARGET_SHARE, WARN_SHARE};
use towngov::experiment::replicated::{morris_replicated, row_means, sobol_indices_replicated};
use towngov::experiment::salib;
use towngov::experiment::sensitivity::{Layout, morris, sobol_indices};
use towngov::experiment::sensitivity_runs;
use towngov::experiment::spec::{Method, Sensitivity};
use towngov::output::AtomicFile;
use towngov::output::journal::{csv_line, num};
use towngov::report::wrap;

use super::super::Failure;
use super::super::print::count;

/// How long the runs took, for the summary line.
#[derive(Clone, Copy)]
pub(super) struct Timing {
    pub(super) ran: usize,
    pub(super) kept: usize,
    pub(super) secs: f64,
}

pub(super) fn kept_note(kept: usize) -> String {
    if kept == 0 {
        String::new()
    } else {
        format!(
            ", after {} kept from an interrupted start",
            count(kept as u64, "run", "runs")
        )
    }
}

/// Computes the indices from every run's values, prints the table, and returns the analysis
/// files written but not yet committed.
pub(super) fn analyse(
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
            super::super::terminal::paint(output, super::super::terminal::HEAD)
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
        let width = super::super::terminal::width();
        let how = match timing {
            Some(t) => format!(
                "; {} run in {:.1} s ({:.2} runs per second on {}){}",
                count(t.ran as u64, "run", "runs"),
                t.secs,
                t.ran as f64 / t.secs,
                super::super::threads_label(),
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
