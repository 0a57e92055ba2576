//! `towngov check FILE...`

use std::path::PathBuf;

use super::Failure;

pub fn check(files: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = 0;
    for file in files {
        let loaded = towngov::scenario::load(file).map_err(anyhow::Error::from).and_then(|s| {
            let estimate = towngov::experiment::budget::single(&s, s.days);
            super::budget::check(&estimate, &format!("{}: a run of {} days", file.display(), s.days))
                .map_err(|f| f.error)?;
            Ok(s)
        });
        match loaded {
            Ok(s) => println!(
                "{}: ok ({}, {} residents, {} days)",
                file.display(),
                s.name,
                s.town.n_residents(),
                s.days
            ),
            Err(e) => {
                eprintln!("{e:#}");
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
