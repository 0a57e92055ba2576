//! `towngov check FILE...`

use std::path::PathBuf;

use super::Failure;

pub fn check(files: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = 0;
    for file in files {
        match towngov::scenario::load(file) {
            Ok(s) => {
                println!(
                    "{}: ok ({}, {} residents, {} days)",
                    file.display(),
                    s.name,
                    s.town.n_residents(),
                    s.days
                );
                let days = super::overload::PILOT_DAYS.min(s.days.max(1));
                super::overload::warn(
                    &file.display().to_string(),
                    &super::overload::pilot(&s),
                    days,
                );
            }
            Err(e) => {
                eprintln!("{e}");
                failed += 1;
            }
        }
    }
    if failed > 0 {
        Err(Failure::bad_input(anyhow::anyhow!(
            "{failed} of {} scenario files are invalid",
            files.len()
        )))
    } else {
        Ok(())
    }
}
