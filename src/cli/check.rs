//! `towngov check FILE...`: validates scenario, sweep, sensitivity and explore files (each recognised
//! by `experiment::file_kind`) without running anything, and prints every error located.

use std::path::{Path, PathBuf};

use towngov::experiment::file_kind::FileKind;
use towngov::experiment::spec::{Common, Method, Sensitivity, Sweep};

use super::Failure;
use super::print::{count, thousands};

pub fn check(files: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = 0;
    for file in files {
        match check_one(file) {
            Ok((line, scenario)) => {
                println!("{}: ok ({line})", file.display());
                // A scenario whose department cannot keep up is warned about (exit 0).
                if let Some(s) = scenario {
                    let days = super::overload::PILOT_DAYS.min(s.days.max(1));
                    super::overload::warn(
                        &file.display().to_string(),
                        &super::overload::pilot(&s),
                        days,
                    );
                }
            }
            Err(e) => {
                eprintln!("{}", super::error_text(&e));
                failed += 1;
            }
        }
    }
    if failed > 0 {
        Err(Failure::bad_input(anyhow::anyhow!(
            "{failed} of {} invalid",
            count(files.len() as u64, "file is", "files are")
        )))
    } else {
        Ok(())
    }
}

/// What the file is, once validated, in a few words.
fn check_one(file: &Path) -> anyhow::Result<(String, Option<towngov::scenario::Scenario>)> {
    // An unreadable file is reported by the loader of its kind; detection then sees no text.
    let text =
        towngov::input::read_to_string(file, towngov::input::InputKind::Text).unwrap_or_default();
    let line = match FileKind::detect(file, &text) {
        FileKind::Scenario => {
            let s = towngov::scenario::load(file)?;
            let estimate = towngov::experiment::budget::single(&s, s.days);
            super::budget::check(
                &estimate,
                &format!("{}: a run of {} days", file.display(), s.days),
            )
            .map_err(|f| f.error)?;
            let line = format!(
                "scenario \"{}\": {} residents, {} days",
                s.name,
                thousands(s.town.n_residents()),
                thousands(s.days.into())
            );
            return Ok((line, Some(s)));
        }
        FileKind::Sweep => {
            let s = Sweep::parse(file)?;
            let plan = plan(
                &s.common,
                s.points.len(),
                s.n_runs(),
                "design point",
                "design points",
            );
            format!(
                "sweep \"{}\" of {}: {plan}",
                s.common.name, s.common.base_origin
            )
        }
        FileKind::Sensitivity => {
            let s = Sensitivity::parse(file)?;
            let mut method = match s.method {
                Method::Morris { .. } => "Morris".to_string(),
                Method::Sobol {
                    second_order: true, ..
                } => "Sobol with second order".to_string(),
                Method::Sobol { .. } => "Sobol".to_string(),
            };
            if let Some(design) = &s.design_file {
                method.push_str(&format!(" on the rows of {design}"));
            }
            let plan = plan(
                &s.common,
                s.points.len(),
                s.n_runs(),
                "design row",
                "design rows",
            );
            format!(
                "sensitivity \"{}\" of {}, {method}: {plan}",
                s.common.name, s.common.base_origin
            )
        }
        FileKind::Explore => {
            let e = towngov::experiment::explore::Explore::parse(file)?;
            format!(
                "explore \"{}\": {} x {} x {} = {} of {}",
                e.name,
                count(e.futures.len() as u64, "future", "futures"),
                count(e.options.len() as u64, "option", "options"),
                count(e.replications.into(), "replication", "replications"),
                count(e.n_runs() as u64, "run", "runs"),
                count(e.days.into(), "day", "days")
            )
        }
    };
    Ok((line, None))
}

/// "15 design points x 4 replications = 60 runs of 365 days".
fn plan(common: &Common, points: usize, runs: usize, one: &str, many: &str) -> String {
    format!(
        "{} x {} = {} of {}",
        count(points as u64, one, many),
        count(common.replications.into(), "replication", "replications"),
        count(runs as u64, "run", "runs"),
        count(common.days.into(), "day", "days")
    )
}
