//! The output folder of a journaled job (sweep, sensitivity analysis, explore): claiming it for
//! one job's settings, and recognising one whose runs are all in and only await analysis.

use std::path::Path;

use anyhow::{Context, anyhow};
use towngov::experiment::sweep::Shard;
use towngov::output::Journal;

use super::Failure;
use super::sweep::Manifest;

/// A folder whose runs are all in (merged shards, or runs whose analysis is still to write):
/// `None` when it has no manifest yet; else its `runs.csv`, opened, once the manifest is checked
/// to be this job's (`kind`, `fingerprint`) and whole, and `analysis` (the job's first analysis
/// file, called `finished` in messages) not yet there. Refusals name the folder and `--force`.
pub(super) fn finished_runs(
    out: &Path,
    manifest_path: &Path,
    job: (&str, &str),
    shard: Shard,
    analysis: (&str, &str),
) -> Result<Option<std::fs::File>, Failure> {
    let ((kind, fingerprint), (analysis_file, finished_what)) = (job, analysis);
    if !manifest_path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(manifest_path)
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
    if m.kind.as_deref() != Some(kind) || m.fingerprint != fingerprint {
        return Err(finished(
            "the runs of another sweep, analysis or explore (or of this one with other settings)",
        ));
    }
    if shard != Shard::ALL || m.shard != Shard::ALL {
        return Err(finished(&format!(
            "a finished shard {}/{} (merge the shards with `towngov merge`, then run this command on the merged folder)",
            m.shard.k, m.shard.n
        )));
    }
    if out.join(analysis_file).exists() {
        return Err(finished(finished_what));
    }
    let runs = std::fs::File::open(out.join("runs.csv"))
        .with_context(|| format!("{}: cannot read", out.join("runs.csv").display()))
        .map_err(Failure::bad_input)?;
    Ok(Some(runs))
}

/// Marks `out` as holding the job whose settings give `fingerprint`, or refuses it when it
/// holds part of `another` job (or of this one with other settings): resuming is only safe
/// into a folder of the same job.
pub(super) fn claim_folder(
    out: &Path,
    marker: &Path,
    fingerprint: &str,
    another: &str,
) -> Result<(), Failure> {
    match std::fs::read_to_string(marker) {
        Ok(old) if old.trim() != fingerprint => Err(Failure::bad_input(anyhow!(
            "{} holds part of {another} (or of this one with other settings); use another --out folder, or --force to discard it",
            out.display()
        ))),
        Ok(_) => Ok(()),
        Err(_) => std::fs::write(marker, format!("{fingerprint}\n"))
            .with_context(|| format!("{}: cannot write", marker.display()))
            .map_err(Failure::other),
    }
}

/// Removes `names` and their partial journals from `out` (`--force`).
pub(super) fn remove_all(out: &Path, names: &[impl AsRef<str>]) -> Result<(), Failure> {
    for f in names {
        let f = out.join(f.as_ref());
        for p in [f.clone(), Journal::partial_path(&f)] {
            if p.exists() {
                std::fs::remove_file(&p)
                    .with_context(|| format!("{}: cannot remove", p.display()))
                    .map_err(Failure::other)?;
            }
        }
    }
    Ok(())
}

/// Opens the folder's `runs.csv` journal for a shard's runs `mine` (in run order): a row an
/// interrupted start left is kept while its run id is the next of `mine`, up to `limit` rows.
/// Shared by sweep, sensitivity and explore.
pub(super) fn open_runs(
    out: &Path,
    header: &[String],
    mine: &[usize],
    limit: usize,
) -> Result<(Journal, towngov::output::journal::Kept), Failure> {
    let next = std::cell::Cell::new(0usize);
    Journal::open(&out.join("runs.csv"), header, |id| {
        let ok = next.get() < limit && mine.get(next.get()).is_some_and(|&r| id == r.to_string());
        next.set(next.get() + ok as usize);
        ok
    })
    .map_err(Failure::bad_input)
}
