//! `towngov audit [SCENARIO...]`: the lever audit. Every parameter of the registry with a
//! number, flag or choice domain is moved to the ends of its range on each scenario, with
//! paired seeds; `audit.csv` (tidy, one row per scenario, parameter, value and indicator, with
//! the raw and Holm-adjusted p) and `audit.md` (one row per parameter and scenario: its class
//! and what moved) appear together. `--quick` is a labelled low-power look.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::anyhow;
use clap::Args;
use towngov::experiment::audit::{self, AuditSettings, ScenarioAudit};
use towngov::output::journal::{csv_line, num};
use towngov::output::{AtomicFile, commit_all};
use towngov::scenario::{self, Scenario, raw::RawScenario};

use super::progress::Bar;
use super::{Failure, threads};

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// Scenario files (RON). Without any, the shipped status quo and full reform (embedded).
    pub scenarios: Vec<PathBuf>,
    /// Paired replications per value (replicate r of every value uses the base's seed r).
    #[arg(long, default_value_t = 8)]
    pub reps: u32,
    /// Days per run.
    #[arg(long, default_value_t = 730)]
    pub days: u32,
    /// Family-wise level of each parameter's tests (and level of the intervals shown): an
    /// indicator moved where its Holm-adjusted p, over the parameter's indicators × values, is
    /// below 1 - level.
    #[arg(long, default_value_t = 0.99)]
    pub level: f64,
    /// Fresh paired replications for the confirmation stage, which re-tests every parameter the
    /// screening (--reps) did not class behavioural and whose outputs were not identical to
    /// the base's; each stage is adjusted at half of 1 - level. 0: no confirmation stage.
    #[arg(long, default_value_t = audit::CONFIRM_REPS as u32)]
    pub confirm_reps: u32,
    /// A quick, low-power look: 4 replications of 365 days (about a quarter of the time), no
    /// confirmation stage. Detects only large or deterministic effects; its outputs say so. Not
    /// with --reps, --days or --confirm-reps.
    #[arg(long, conflicts_with_all = ["reps", "days", "confirm_reps"])]
    pub quick: bool,
    /// Output folder for audit.csv and audit.md.
    #[arg(long, default_value = "towngov-audit")]
    pub out: PathBuf,
    #[command(flatten)]
    pub job: super::JobArgs,
}

const FILES: [&str; 2] = ["audit.csv", "audit.md"];

/// A base scenario as the audit reads it: its name in the outputs, raw and validated forms.
pub(super) struct Loaded {
    pub name: String,
    pub raw: RawScenario,
    pub scenario: Scenario,
}

pub(super) fn load(path: Option<&Path>) -> Result<Vec<Loaded>, Failure> {
    let texts: Vec<(String, String, String)> = match path {
        Some(p) => {
            let text = towngov::input::read_to_string(p, towngov::input::InputKind::Text).map_err(
                |e| {
                    Failure::bad_input(anyhow!(
                        "{}: cannot read the scenario file: {e}",
                        p.display()
                    ))
                },
            )?;
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            vec![(name, p.display().to_string(), text)]
        }
        None => vec![
            (
                "status_quo.ron".into(),
                scenario::DEFAULT_SCENARIO_ORIGIN.into(),
                scenario::DEFAULT_SCENARIO_RON.into(),
            ),
            (
                "full_reform.ron".into(),
                "<embedded scenarios/full_reform.ron>".into(),
                super::compare::FULL_REFORM_RON.into(),
            ),
        ],
    };
    texts
        .into_iter()
        .map(|(name, origin, text)| {
            Ok(Loaded {
                name,
                raw: scenario::parse_raw(&text, &origin).map_err(Failure::bad_input)?,
                scenario: scenario::parse(&text, &origin).map_err(Failure::bad_input)?,
            })
        })
        .collect()
}

pub(super) fn check_settings(reps: u32, days: u32, level: f64) -> Result<(), Failure> {
    if !(2..=1000).contains(&reps) {
        return Err(Failure::bad_input(anyhow!(
            "--reps must be between 2 and 1000 (an interval needs two pairs), got {reps}"
        )));
    }
    if !(1..=36_500).contains(&days) {
        return Err(Failure::bad_input(anyhow!(
            "--days must be between 1 and 36500, got {days}"
        )));
    }
    if !(level > 0.5 && level < 1.0) {
        return Err(Failure::bad_input(anyhow!(
            "--level must be between 0.5 and 1 (e.g. 0.99), got {level}"
        )));
    }
    Ok(())
}

pub fn run(args: AuditArgs) -> Result<(), Failure> {
    let (reps, days, confirm_reps) = if args.quick {
        (audit::QUICK_REPS as u32, audit::QUICK_DAYS, 0)
    } else {
        (args.reps, args.days, args.confirm_reps)
    };
    check_settings(reps, days, args.level)?;
    if confirm_reps != 0 && !(2..=1000).contains(&confirm_reps) {
        return Err(Failure::bad_input(anyhow!(
            "--confirm-reps must be 0 (no confirmation stage) or between 2 and 1000, got {confirm_reps}"
        )));
    }
    let mut loaded = Vec::new();
    if args.scenarios.is_empty() {
        loaded = load(None)?;
    }
    for p in &args.scenarios {
        loaded.extend(load(Some(p))?);
    }
    super::prepare_folder(&args.out, &FILES, args.job.force)?;
    let settings = AuditSettings {
        reps: reps as usize,
        days,
        level: args.level,
        quick: args.quick,
        confirm_reps: confirm_reps as usize,
    };
    let quiet = args.job.quiet;
    if !quiet && settings.quick {
        eprintln!("{}", quick_note(settings));
    }
    threads(args.job.threads, || {
        let started = Instant::now();
        let mut audits = Vec::new();
        for l in &loaded {
            let plan = audit::plan(&l.raw);
            if !quiet {
                for s in &plan.skipped {
                    eprintln!("{}: skipped {}: {}", l.name, s.path, s.reason);
                }
            }
            let bar = Bar::new(&format!("audit {}", l.name), quiet);
            let a = audit::audit(&l.name, &l.scenario, &plan, settings, &bar, &|| {
                super::interrupt::requested()
            });
            super::interrupt::check(|| {
                "the audit stopped; nothing was written (it writes its files only when complete)"
                    .into()
            })?;
            audits.push(a);
        }
        let elapsed = started.elapsed().as_secs_f64();
        write(&args.out, &audits, settings, elapsed).map_err(Failure::other)?;
        if !quiet {
            for a in &audits {
                let c = a.counts();
                println!(
                    "{}: {} parameters: {} behavioural, {} cost-only, {} own-counter-only, {} none ({} with outputs identical to the base); {} skipped",
                    a.scenario,
                    a.params.len(),
                    c[0],
                    c[1],
                    c[2],
                    c[3],
                    a.params.iter().filter(|p| p.identical).count(),
                    a.skipped.len()
                );
                if settings.confirm_reps > 0 {
                    println!("{}: {}", a.scenario, confirmation_summary(a, settings));
                }
            }
            let runs: usize = audits.iter().map(|a| a.runs).sum();
            println!("{}: {}", mode_label(settings), rule(settings));
            println!(
                "{runs} runs of {} days in {elapsed:.0} s on {}. Wrote {}: audit.csv, audit.md",
                settings.days,
                super::threads_label(),
                args.out.display()
            );
            if settings.quick {
                println!("{}", quick_note(settings));
            }
        }
        Ok(())
    })
}

/// Writes audit.csv and audit.md as one set.
fn write(
    out: &Path,
    audits: &[ScenarioAudit],
    settings: AuditSettings,
    elapsed: f64,
) -> anyhow::Result<()> {
    let mut csv = AtomicFile::create(&out.join("audit.csv"))?;
    let header = [
        "scenario",
        "parameter",
        "value",
        "indicator",
        "base_mean",
        "diff_mean",
        "low",
        "high",
        "p",
        "p_adjusted",
        "moved",
        "mode",
        "stage",
    ];
    let mode = if settings.quick { "quick" } else { "full" };
    let p_text = |p: Option<f64>| p.map(num).unwrap_or_default();
    csv.write_all(csv_line(&header.map(String::from)).as_bytes())?;
    for a in audits {
        for p in &a.params {
            let screened = p.variants.iter().map(|v| (v, "screening"));
            let confirmed = p.confirmation.iter().map(|v| (v, "confirmation"));
            for (v, stage) in screened
                .chain(confirmed)
                .filter(|(v, _)| v.invalid.is_none())
            {
                let mut text = String::new();
                for d in &v.diffs {
                    text += &csv_line(&[
                        a.scenario.clone(),
                        p.path.clone(),
                        v.value.clone(),
                        d.indicator.to_string(),
                        num(d.base_mean),
                        num(d.diff_mean),
                        num(d.low),
                        num(d.high),
                        p_text(d.p),
                        p_text(d.p_adjusted),
                        d.moved.to_string(),
                        mode.to_string(),
                        stage.to_string(),
                    ]);
                }
                csv.write_all(text.as_bytes())?;
            }
        }
    }
    let mut md = AtomicFile::create(&out.join("audit.md"))?;
    md.write_all(markdown(audits, settings, elapsed).as_bytes())?;
    commit_all(vec![csv, md])?;
    Ok(())
}

/// The markdown report: class counts, then one row per parameter and scenario.
pub fn markdown(audits: &[ScenarioAudit], settings: AuditSettings, elapsed: f64) -> String {
    let confirmation = if settings.confirm_reps > 0 {
        format!(
            ", then {} fresh pairs for those not behavioural",
            settings.confirm_reps
        )
    } else {
        String::new()
    };
    let mut s = format!(
        "<!-- towngov audit {}{}: {} paired replications of {} days{confirmation}, Holm-adjusted per parameter at a family-wise {}% level, {:.0} s -->\n\n",
        towngov::VERSION,
        if settings.quick { " --quick" } else { "" },
        settings.reps,
        settings.days,
        plain(settings.level * 100.0),
        elapsed
    );
    if settings.quick {
        s += &format!("**{}**\n\n", quick_note(settings));
    }
    s += &format!(
        "{}: a parameter with no effect is classed as anything but none with probability at \
         most {}. audit.csv holds each test's raw and adjusted p, unadjusted {}% interval and \
         stage.\n\n",
        capitalised(&rule(settings)),
        plain(1.0 - settings.level),
        plain(settings.level * 100.0)
    );
    if settings.confirm_reps > 0 {
        for a in audits {
            s += &format!("{}: {}.\n\n", a.scenario, confirmation_summary(a, settings));
        }
    }
    s += "| scenario | behavioural | cost-only | own-counter-only | none | of which identical | skipped |\n| --- | --- | --- | --- | --- | --- | --- |\n";
    for a in audits {
        let c = a.counts();
        s += &format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            a.scenario,
            c[0],
            c[1],
            c[2],
            c[3],
            a.params.iter().filter(|p| p.identical).count(),
            a.skipped.len()
        );
    }
    s += "\n| parameter | scenario | values | class | moved beyond noise (paired diff at each value) |\n| --- | --- | --- | --- | --- |\n";
    let mut rows: Vec<(&str, &str, String, String, String)> = Vec::new();
    for a in audits {
        for p in &a.params {
            let mut class = p.class.name().to_string();
            if p.identical {
                class += " (identical outputs)";
            } else if p.class != p.screen_class {
                class += &format!(" (screening: {})", p.screen_class.name());
            } else if p.confirmed() {
                class += " (re-tested)";
            }
            let mut moved: Vec<String> = p
                .moved()
                .into_iter()
                .map(|(ind, diffs)| {
                    let d: Vec<String> = diffs
                        .iter()
                        .map(|(v, x)| format!("{v}: {}", short(*x)))
                        .collect();
                    format!("`{ind}` ({})", d.join("; "))
                })
                .collect();
            for v in p.variants.iter().filter_map(|v| {
                v.invalid
                    .as_ref()
                    .map(|e| format!("value {} refused: {}", v.value, e.replace('|', "/")))
            }) {
                moved.push(v);
            }
            let values: Vec<&str> = p.variants.iter().map(|v| v.value.as_str()).collect();
            rows.push((
                &p.path,
                &a.scenario,
                values.join(", "),
                class,
                moved.join(", "),
            ));
        }
    }
    rows.sort_by(|a, b| a.0.cmp(b.0));
    for (path, scenario, values, class, moved) in rows {
        s += &format!("| `{path}` | {scenario} | {values} | {class} | {moved} |\n");
    }
    s += "\nSkipped (not levers the audit moves):\n\n";
    if let Some(a) = audits.first() {
        for k in &a.skipped {
            s += &format!("- `{}`: {}\n", k.path, k.reason);
        }
    }
    s
}

/// The rule an indicator moved by, for the terminal and the markdown.
fn rule(settings: AuditSettings) -> String {
    let family = "Holm-adjusted p (over the parameter's indicators × values)";
    if settings.confirm_reps > 0 {
        format!(
            "an indicator moved where its {family} is below {} in the screening ({} pairs) or \
             in the confirmation ({} fresh pairs, for parameters the screening did not class \
             behavioural); each stage has half of {}",
            plain(settings.stage_alpha()),
            settings.reps,
            settings.confirm_reps,
            plain(1.0 - settings.level)
        )
    } else {
        format!(
            "an indicator moved where its {family} is below {}",
            plain(settings.stage_alpha())
        )
    }
}

/// How many parameters the confirmation stage re-tested and what it changed.
fn confirmation_summary(a: &ScenarioAudit, settings: AuditSettings) -> String {
    let retested: Vec<_> = a.params.iter().filter(|p| p.confirmed()).collect();
    let rose = retested
        .iter()
        .filter(|p| p.class != p.screen_class)
        .count();
    let behavioural = retested
        .iter()
        .filter(|p| p.class == audit::Class::Behavioural)
        .count();
    format!(
        "the confirmation stage re-tested {} parameters with {} fresh pairs; {rose} of them \
         changed class ({behavioural} to behavioural)",
        retested.len(),
        settings.confirm_reps
    )
}

/// `text` with its first letter in upper case.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A level or its complement without float noise: 0.01, not 0.010000000000000009.
fn plain(x: f64) -> String {
    let s = format!("{x:.6}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// "full audit" or "QUICK audit (low power)".
fn mode_label(settings: AuditSettings) -> &'static str {
    if settings.quick {
        "QUICK audit (low power)"
    } else {
        "full audit"
    }
}

/// What a quick audit misses, for the terminal and the markdown.
fn quick_note(settings: AuditSettings) -> String {
    format!(
        "quick audit: {} replications of {} days, low power: it detects only large or \
         deterministic effects, so many levers that act show as none or own-counter-only; \
         run the full audit (no --quick) before concluding that a lever does nothing",
        settings.reps, settings.days
    )
}

/// A figure in about 4 significant digits.
fn short(x: f64) -> String {
    if !x.is_finite() {
        "n/a".into()
    } else if x.abs() >= 1000.0 || x == x.trunc() {
        format!("{x:+.0}")
    } else {
        format!("{:+.4}", x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(quick: bool) -> AuditSettings {
        AuditSettings {
            reps: if quick { audit::QUICK_REPS } else { 8 },
            days: if quick { audit::QUICK_DAYS } else { 730 },
            level: 0.99,
            quick,
            confirm_reps: if quick { 0 } else { audit::CONFIRM_REPS },
        }
    }

    #[test]
    fn a_quick_audit_is_labelled_and_a_full_one_is_not() {
        let md = markdown(&[], settings(true), 1.0);
        assert!(
            md.starts_with("<!-- towngov audit ") && md.lines().next().unwrap().contains("--quick"),
            "{md}"
        );
        assert!(
            md.contains("**quick audit: 4 replications of 365 days, low power"),
            "{md}"
        );
        assert_eq!(mode_label(settings(true)), "QUICK audit (low power)");
        // No confirmation stage in a quick audit: the whole error at one stage.
        assert!(
            md.contains("An indicator moved where its Holm-adjusted p (over the parameter's indicators × values) is below 0.01: "),
            "{md}"
        );
        let md = markdown(&[], settings(false), 1.0);
        assert!(!md.contains("quick"), "{md}");
        // The rule and the family-wise level, without float noise.
        assert!(
            md.contains("Holm-adjusted per parameter at a family-wise 99% level"),
            "{md}"
        );
        assert!(
            md.contains("is below 0.005 in the screening (8 pairs)"),
            "{md}"
        );
        assert!(
            md.contains("then 32 fresh pairs for those not behavioural"),
            "{md}"
        );
    }
}
