//! `towngov claims [--reps N] [--days D] [--level L]` (hidden from the main help): the seed
//! claims C1-C22 measured with paired intervals on the shipped status quo and full reform,
//! printed as the markdown table docs/ODD.md section 9.2.4 carries.

use std::time::Instant;

use clap::Args;
use towngov::experiment::claims::{self, BaseScenario, Sign};

use super::audit::{check_settings, load};
use super::progress::Bar;
use super::{Failure, threads};

#[derive(Args, Debug)]
pub struct ClaimsArgs {
    /// Paired replications per claim.
    #[arg(long, default_value_t = 20)]
    pub reps: u32,
    /// Days per run.
    #[arg(long, default_value_t = 730)]
    pub days: u32,
    /// Confidence level of the paired intervals.
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: ClaimsArgs) -> Result<(), Failure> {
    check_settings(args.reps, args.days, args.level)?;
    let shipped = load(None)?;
    let started = Instant::now();
    let bar = Bar::new("claims", args.quiet);
    let results = threads(args.threads, || {
        let bases = |b: BaseScenario| {
            let l = shipped
                .iter()
                .find(|l| l.name == b.file())
                .expect("both shipped bases are loaded");
            (l.raw.clone(), l.scenario.clone())
        };
        let r = claims::measure(
            &bases,
            args.reps as usize,
            args.days,
            args.level,
            &bar,
            &super::interrupt::requested,
        );
        super::interrupt::check(|| "the claims stopped; nothing was printed".into())?;
        Ok(r)
    })?;
    println!(
        "<!-- towngov claims {}: {} paired replications of {} days, {:.0}% intervals, {:.0} s -->\n",
        towngov::VERSION,
        args.reps,
        args.days,
        args.level * 100.0,
        started.elapsed().as_secs_f64()
    );
    println!("| claim | change (base) | indicator | claimed | diff | interval | verdict |");
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for r in &results {
        let c = &r.claim;
        if c.not_modelled.is_some() {
            println!(
                "| {} {} | - | - | - | - | - | {} |",
                c.id, c.text, r.verdict
            );
            continue;
        }
        let change: Vec<String> = c
            .change
            .iter()
            .map(|(p, v)| format!("`{p}` = {v}"))
            .collect();
        println!(
            "| {} {} | {} ({}) | `{}` | {} | {} | {} .. {} | {} |",
            c.id,
            c.text,
            change.join(", "),
            c.base.file(),
            c.indicator,
            match c.sign {
                Sign::Up => "up",
                Sign::Down => "down",
            },
            short(r.diff),
            short(r.low),
            short(r.high),
            r.verdict
        );
    }
    Ok(())
}

/// A figure in 4 significant digits, with its sign.
fn short(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:+.digits$}")
}
