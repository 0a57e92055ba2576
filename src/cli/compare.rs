//! `towngov compare A.ron B.ron [C.ron ...] --reps N [--warm-up DAYS] --out DIR`, and the main
//! job (no arguments): the embedded status quo against the embedded full reform.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, anyhow};
use clap::Args;
use towngov::experiment::compare::{CompareOption, CompareSpec, RunRecord, compare, warm_up_pilot};
use towngov::experiment::multiplicity::Adjust;
use towngov::experiment::precision::{RepsAuto, Target};
use towngov::experiment::results::Comparison;
use towngov::experiment::warmup::WarmUpReport;
use towngov::output::journal::{csv_line, num};
use towngov::output::provenance::Input;
use towngov::output::{AtomicFile, FreshFolder, OutputError};
use towngov::scenario;

use super::progress::Bar;
use super::{Failure, terminal, threads};
use towngov::report::i18n::{Lang, trf};
use towngov::report::wrap;

/// Replications of the main job: a few seconds on 2 cores.
const DEFAULT_REPS: usize = 20;

/// The reform the main job compares with the status quo.
pub(super) const FULL_REFORM_RON: &str = include_str!("../../scenarios/full_reform.ron");
const FULL_REFORM_ORIGIN: &str = "<embedded scenarios/full_reform.ron>";

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Scenario files (RON); the first is the reference every other is compared with.
    #[arg(required = true, num_args = 2..)]
    pub scenarios: Vec<PathBuf>,
    /// Replications per option; every option runs with the same seeds. `auto`: a pilot of 10,
    /// then batches sized from the variance of the paired differences, n = (t·s/h)², until
    /// every target is met or --max-reps.
    #[arg(long, default_value = "20", value_parser = parse_reps, value_name = "N|auto")]
    pub reps: RepsArg,
    /// With --reps auto: the half-width the interval of every option's difference from the
    /// reference on INDICATOR must reach, in its unit, or with `%` relative to the reference's
    /// mean (e.g. total.on_time_share=0.01, final.enterprises=2%). Repeatable.
    #[arg(long, value_name = "INDICATOR=VALUE[%]")]
    pub target_half_width: Vec<String>,
    /// With --reps auto: a relative half-width for every key indicator, `key=X%` (a named
    /// --target-half-width takes precedence on its indicator).
    #[arg(long, value_name = "key=X%")]
    pub target: Option<String>,
    /// With --reps auto: the most replications per option.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    pub max_reps: u32,
    /// Master seed the replications' seeds derive from (default: the first scenario's `seed`);
    /// `s` and digits (runs.csv's seed_text) too.
    #[arg(long, value_parser = super::parse_seed)]
    pub seed: Option<u64>,
    /// Days to simulate after the warm-up (default: the first scenario's `days`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub days: Option<u32>,
    /// Run the first option this many days first; every option then continues from that same
    /// saved town with its own levers (the towns must match). `auto`: a pilot of the first
    /// option (10 runs over max(days, 730) days, seeds apart from the comparison's) picks the
    /// days by MSER-5 on the key daily indicators.
    #[arg(long, default_value = "0", value_parser = parse_warm_up, value_name = "DAYS|auto")]
    pub warm_up: WarmUpArg,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    /// How the key indicators' p-values are adjusted before a difference is called better or
    /// worse: holm (family-wise error), bh (Benjamini-Hochberg, false discovery rate) or none.
    #[arg(long, value_enum, default_value_t = AdjustArg::Holm)]
    pub adjust: AdjustArg,
    /// Folder for report.html, options.csv, runs.csv and comparison.json.
    #[arg(long, default_value = "towngov-compare")]
    pub out: PathBuf,
    /// Language of report.html and of the summary printed here: en or zh-CN (default: from the
    /// locale, LC_ALL, LC_MESSAGES or LANG: zh* is zh-CN, anything else en).
    #[arg(long, value_parser = parse_lang, value_name = "en|zh-CN")]
    pub lang: Option<Lang>,
    #[command(flatten)]
    pub job: super::JobArgs,
}

/// `--reps` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepsArg {
    Fixed(u32),
    Auto,
}

fn parse_reps(s: &str) -> Result<RepsArg, String> {
    if s.trim().eq_ignore_ascii_case("auto") {
        return Ok(RepsArg::Auto);
    }
    match s.trim().parse::<u32>() {
        Ok(n) if (2..=100_000).contains(&n) => Ok(RepsArg::Fixed(n)),
        _ => Err(format!(
            "expected a number of replications from 2 to 100000 or `auto`, got `{s}`"
        )),
    }
}

/// `--lang`: en or zh-CN (compare and explore).
pub(super) fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("expected en or zh-CN, got `{s}`"))
}

/// The language the locale asks for (LC_ALL, LC_MESSAGES, LANG).
pub(super) fn locale_lang() -> Lang {
    let var = |k: &str| std::env::var(k).ok();
    Lang::from_locale(
        var("LC_ALL").as_deref(),
        var("LC_MESSAGES").as_deref(),
        var("LANG").as_deref(),
    )
}

/// Replications of the first batch of `--reps auto`.
const AUTO_PILOT: usize = 10;

/// The targets of `--reps auto` from the flags, names checked against the key indicators.
fn targets(args: &CompareArgs) -> anyhow::Result<Vec<Target>> {
    let names: Vec<String> = towngov::experiment::indicators::key()
        .into_iter()
        .map(|m| m.name)
        .collect();
    let mut out = Vec::new();
    let value = |flag: &str, text: &str| -> anyhow::Result<(f64, bool)> {
        let t = text.trim();
        let (num, relative) = match t.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (t, false),
        };
        let v: f64 = num.parse().map_err(|_| {
            anyhow!("{flag}: expected a positive number, optionally with %, got `{text}`")
        })?;
        if !(v.is_finite() && v > 0.0) {
            return Err(anyhow!(
                "{flag}: the half-width must be a positive finite number, got `{text}`"
            ));
        }
        Ok((if relative { v / 100.0 } else { v }, relative))
    };
    for spec in &args.target_half_width {
        let Some((name, text)) = spec.split_once('=') else {
            return Err(anyhow!(
                "--target-half-width: expected INDICATOR=VALUE or INDICATOR=VALUE%, got `{spec}`"
            ));
        };
        let name = name.trim();
        let found: Vec<&String> = names
            .iter()
            .filter(|n| *n == name || n.split_once('.').is_some_and(|(_, s)| s == name))
            .collect();
        let [found] = found[..] else {
            return Err(anyhow!(
                "--target-half-width: `{name}` is not one key indicator; the key indicators are {}",
                names.join(", ")
            ));
        };
        let (v, relative) = value("--target-half-width", text)?;
        out.push(Target {
            indicator: Some(found.clone()),
            value: v,
            relative,
        });
    }
    if let Some(spec) = &args.target {
        let text = spec.trim().strip_prefix("key=").ok_or_else(|| {
            anyhow!("--target: expected key=X% (a relative half-width for every key indicator), got `{spec}`")
        })?;
        let (v, relative) = value("--target", text)?;
        if !relative {
            return Err(anyhow!(
                "--target: the key indicators have different units, so give a relative half-width with %, got `{spec}`"
            ));
        }
        out.push(Target {
            indicator: None,
            value: v,
            relative,
        });
    }
    Ok(out)
}

/// `--warm-up` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WarmUpArg {
    Days(u32),
    Auto,
}

/// Replications of the `--warm-up auto` pilot.
const PILOT_REPS: usize = 10;
/// Shortest horizon of the `--warm-up auto` pilot: MSER-5 searches the first half of it.
const PILOT_MIN_DAYS: u32 = 730;

fn parse_warm_up(s: &str) -> Result<WarmUpArg, String> {
    if s.trim().eq_ignore_ascii_case("auto") {
        return Ok(WarmUpArg::Auto);
    }
    match s.trim().parse::<u32>() {
        Ok(d) if d <= 36_500 => Ok(WarmUpArg::Days(d)),
        _ => Err(format!(
            "expected a number of days from 0 to 36500 or `auto`, got `{s}`"
        )),
    }
}

/// `--adjust` values.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum AdjustArg {
    Holm,
    Bh,
    None,
}

impl From<AdjustArg> for Adjust {
    fn from(a: AdjustArg) -> Self {
        match a {
            AdjustArg::Holm => Adjust::Holm,
            AdjustArg::Bh => Adjust::Bh,
            AdjustArg::None => Adjust::None,
        }
    }
}

/// The main job: what `towngov` does with no arguments.
pub fn default_job() -> Result<(), Failure> {
    let sq = scenario::embedded_default();
    let reform =
        scenario::parse(FULL_REFORM_RON, FULL_REFORM_ORIGIN).map_err(Failure::bad_input)?;
    let lang = locale_lang();
    let intro = trf(
        lang,
        "report.summary.main_job",
        &[
            ("version", towngov::VERSION),
            ("reps", &DEFAULT_REPS.to_string()),
            ("days", &sq.days.to_string()),
        ],
    );
    print!("{}", wrap(&format!("{intro}\n"), terminal::width(), ""));
    let options = vec![
        CompareOption {
            origin: scenario::DEFAULT_SCENARIO_ORIGIN.to_string(),
            scenario: sq.clone(),
        },
        CompareOption {
            origin: FULL_REFORM_ORIGIN.to_string(),
            scenario: reform,
        },
    ];
    let spec = CompareSpec {
        options,
        reps: DEFAULT_REPS,
        master_seed: sq.seed,
        days: sq.days,
        warm_up_days: 0,
        level: 0.95,
        adjust: Adjust::Holm,
        reps_auto: None,
    };
    let inputs = vec![
        Input::text(
            "option",
            scenario::DEFAULT_SCENARIO_ORIGIN,
            scenario::DEFAULT_SCENARIO_RON,
        ),
        Input::text("option", FULL_REFORM_ORIGIN, FULL_REFORM_RON),
    ];
    // The main job owns its default folder and refreshes it on every run.
    execute(
        &spec,
        Path::new("towngov-report"),
        true,
        false,
        None,
        inputs,
        lang,
    )
}

pub fn run(args: CompareArgs) -> Result<(), Failure> {
    if !(args.level > 0.5 && args.level < 1.0) {
        return Err(Failure::bad_input(anyhow!(
            "--level must be between 0.5 and 1 (e.g. 0.95), got {}",
            args.level
        )));
    }
    let mut options = Vec::new();
    let mut inputs = Vec::new();
    for path in &args.scenarios {
        options.push(CompareOption {
            origin: path.display().to_string(),
            scenario: scenario::load(path).map_err(Failure::bad_input)?,
        });
        inputs.push(Input::file("option", path).map_err(Failure::bad_input)?);
    }
    let targets = targets(&args).map_err(Failure::bad_input)?;
    let (reps, reps_auto) = match args.reps {
        RepsArg::Fixed(n) => {
            if !targets.is_empty() {
                return Err(Failure::bad_input(anyhow!(
                    "--target-half-width and --target need --reps auto (got --reps {n})"
                )));
            }
            (n as usize, None)
        }
        RepsArg::Auto => (
            AUTO_PILOT,
            Some(RepsAuto {
                targets,
                pilot: AUTO_PILOT.min(args.max_reps as usize),
                max_reps: args.max_reps as usize,
            }),
        ),
    };
    let first = &options[0].scenario;
    let master_seed = args.seed.unwrap_or(first.seed);
    let days = args.days.unwrap_or(first.days);
    let pilot = match args.warm_up {
        WarmUpArg::Days(_) => None,
        WarmUpArg::Auto => {
            // Any warm-up needs the options to share the reference's town: say so before the pilot.
            let probe = CompareSpec {
                options: options.clone(),
                reps,
                reps_auto: reps_auto.clone(),
                master_seed,
                days,
                warm_up_days: 1,
                level: args.level,
                adjust: args.adjust.into(),
            };
            towngov::experiment::compare::check(&probe).map_err(Failure::bad_input)?;
            let bar = Bar::new("warm-up pilot", args.job.quiet);
            let report = threads(args.job.threads, || {
                Ok(warm_up_pilot(
                    first,
                    master_seed,
                    PILOT_REPS,
                    days.max(PILOT_MIN_DAYS),
                    &bar,
                ))
            })?;
            if !args.job.quiet {
                let lang = args.lang.unwrap_or_else(locale_lang);
                let pilot = super::compare_text::pilot_sentence(&first.name, &report, lang);
                print!("{}", wrap(&format!("{pilot}\n"), terminal::width(), ""));
            }
            Some(report)
        }
    };
    let warm_up_days = match (&args.warm_up, &pilot) {
        (WarmUpArg::Days(d), _) => *d,
        (WarmUpArg::Auto, Some(p)) => p.suggested_days,
        (WarmUpArg::Auto, None) => 0,
    };
    let spec = CompareSpec {
        reps,
        reps_auto,
        master_seed,
        days,
        warm_up_days,
        level: args.level,
        adjust: args.adjust.into(),
        options,
    };
    threads(args.job.threads, || {
        execute(
            &spec,
            &args.out,
            args.job.force,
            args.job.quiet,
            pilot,
            inputs,
            args.lang.unwrap_or_else(locale_lang),
        )
    })
}

const FILES: [&str; 4] = ["report.html", "options.csv", "runs.csv", "comparison.json"];

fn execute(
    spec: &CompareSpec,
    out: &Path,
    force: bool,
    quiet: bool,
    pilot: Option<WarmUpReport>,
    inputs: Vec<Input>,
    lang: Lang,
) -> Result<(), Failure> {
    towngov::experiment::compare::check(spec).map_err(Failure::bad_input)?;
    let scenarios: Vec<&scenario::Scenario> = spec.options.iter().map(|o| &o.scenario).collect();
    let estimate = towngov::experiment::budget::comparison(
        &scenarios,
        spec.reps as u64,
        spec.days,
        spec.warm_up_days,
        rayon::current_num_threads() as u64,
    );
    super::budget::check(&estimate, "the comparison")?;
    super::prepare_folder(out, &FILES, force)?;
    // Every file is written into a fresh folder beside `out`, swapped in when all are complete.
    let folder = FreshFolder::create(out).map_err(Failure::other)?;
    let mut runs = folder.file("runs.csv").map_err(Failure::other)?;
    let mut header = towngov::output::run_columns(&["option"]);
    header.extend(["indicator", "value"].map(String::from));
    runs.write_all(csv_line(&header).as_bytes())
        .map_err(|e| Failure::other(OutputError::io(&out.join("runs.csv"), e)))?;
    let started = Instant::now();
    let bar = Bar::new("compare", quiet);
    let names: Vec<String> = spec
        .options
        .iter()
        .map(|o| o.scenario.name.clone())
        .collect();
    let on_run = |r: &RunRecord| -> Result<(), String> {
        if super::interrupt::requested() {
            return Err("interrupted".into());
        }
        let mut text = String::new();
        for (k, v) in &r.output.figures {
            text += &csv_line(&[
                r.run_id.to_string(),
                r.option.to_string(),
                names[r.option].clone(),
                r.replicate.to_string(),
                r.seed.to_string(),
                towngov::output::seed_text(r.seed),
                k.clone(),
                num(*v),
            ]);
        }
        runs.write_all(text.as_bytes()).map_err(|e| e.to_string())
    };
    let mut c = compare(spec, &bar, on_run).map_err(|e| match e {
        _ if super::interrupt::requested() => super::interrupt::stopped(
            "the comparison stopped; nothing was written (it writes its files only when complete): run the command again",
        ),
        towngov::experiment::compare::CompareError::Output(_) => Failure::other(e),
        _ => Failure::bad_input(e),
    })?;
    c.warm_up_pilot = pilot;
    c.provenance = towngov::output::provenance::comparison(
        inputs,
        Some(super::invocation(Some(rayon::current_num_threads()))),
    );
    let elapsed = started.elapsed();
    write_all(folder, &c, runs, lang).map_err(Failure::other)?;
    if !quiet {
        super::compare_text::print_summary(&c, spec.options.len(), out, elapsed, lang);
    }
    Ok(())
}

/// The per-option table, the JSON and the report; everything appears together at the end, the
/// whole folder swapped in at once.
fn write_all(
    folder: FreshFolder,
    c: &Comparison,
    runs: AtomicFile,
    lang: Lang,
) -> anyhow::Result<()> {
    let mut options = folder.file("options.csv")?;
    let header = [
        "option",
        "scenario",
        "indicator",
        "label",
        "unit",
        "better",
        "n",
        "mean",
        "sd",
        "ci_low",
        "ci_high",
        "diff",
        "diff_ci_low",
        "diff_ci_high",
        "effect_size",
        "p_value",
        "p_adjusted",
        "verdict",
    ];
    let mut text = csv_line(&header.map(String::from));
    for row in &c.indicators {
        for (o, st) in row.by_option.iter().enumerate() {
            let d = st.diff.as_ref();
            let ci = |i: Option<towngov::experiment::results::Interval>| {
                i.map(|i| (num(i.low), num(i.high))).unwrap_or_default()
            };
            let (lo, hi) = ci(st.ci);
            let (dlo, dhi) = ci(d.and_then(|d| d.ci));
            text += &csv_line(&[
                o.to_string(),
                c.options[o].clone(),
                row.meta.name.clone(),
                row.meta.label.clone(),
                row.meta.unit.clone(),
                format!("{:?}", row.meta.better).to_lowercase(),
                st.n.to_string(),
                num(st.mean),
                num(st.sd),
                lo,
                hi,
                d.map(|d| num(d.mean)).unwrap_or_default(),
                dlo,
                dhi,
                d.and_then(|d| d.effect_size).map(num).unwrap_or_default(),
                d.and_then(|d| d.p_value).map(num).unwrap_or_default(),
                d.and_then(|d| d.p_adjusted).map(num).unwrap_or_default(),
                if o == 0 {
                    "reference".to_string()
                } else {
                    towngov::report::verdict_word(&row.meta, d).to_string()
                },
            ]);
        }
    }
    options
        .write_all(text.as_bytes())
        .context("cannot write options.csv")?;
    let mut json = folder.file("comparison.json")?;
    serde_json::to_writer_pretty(&mut json, c).context("cannot write comparison.json")?;
    json.write_all(b"\n")
        .context("cannot write comparison.json")?;
    let mut html = folder.file("report.html")?;
    html.write_all(towngov::report::html(c, lang).as_bytes())
        .context("cannot write report.html")?;
    folder.commit(vec![runs, options, json, html])?;
    Ok(())
}
