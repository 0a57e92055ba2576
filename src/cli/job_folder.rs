//! The output folder of a journaled job (sweep, sensitivity analysis, explore): claiming it for
//! one job's settings, and recognising one whose runs are all in and only await analysis.

use std::path::Path;

use anyhow::{Context, anyhow};
use towngov::experiment::sweep::Shard;
use towngov::output::Journal;
use towngov::output::provenance::{COMMIT, TREE};

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
) -> Result<Option<towngov::input::Input>, Failure> {
    let ((kind, fingerprint), (analysis_file, finished_what)) = (job, analysis);
    if !manifest_path.exists() {
        return Ok(None);
    }
    // Not a file, or too large: the user's folder holds something towngov did not write.
    let text = towngov::input::read_to_string(manifest_path, towngov::input::InputKind::Text)
        .map_err(|e| {
            let fail = match e {
                towngov::input::InputError::Io(_) => Failure::other,
                _ => Failure::bad_input,
            };
            fail(anyhow::Error::new(e).context(format!("{}: cannot read", manifest_path.display())))
        })?;
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
    let runs = towngov::input::open(&out.join("runs.csv"), towngov::input::InputKind::Rows)
        .with_context(|| format!("{}: cannot read", out.join("runs.csv").display()))
        .map_err(Failure::bad_input)?;
    Ok(Some(runs))
}

/// Marks `out` as holding the job whose settings give `fingerprint`, built by this binary, or
/// refuses it when it holds part of `another` job (or of this one with other settings):
/// resuming is only safe into a folder of the same job. The marker's second line records the
/// build that started the job (`build COMMIT TREE`); a resume by a binary built from another
/// commit is refused (its runs would mix two versions of the model), and one whose build
/// cannot be compared (a marker without it, an unknown commit, a tree with uncommitted
/// changes) goes on with a warning.
pub(super) fn claim_folder(
    out: &Path,
    marker: &Path,
    fingerprint: &str,
    another: &str,
) -> Result<(), Failure> {
    let this_build = build_line(COMMIT, TREE);
    match std::fs::read_to_string(marker) {
        Ok(old) => {
            let mut lines = old.lines();
            if lines.next().map(str::trim) != Some(fingerprint) {
                return Err(Failure::bad_input(anyhow!(
                    "{} holds part of {another} (or of this one with other settings); use another --out folder, or --force to discard it",
                    out.display()
                )));
            }
            match resume_check(lines.next().map(str::trim), &this_build) {
                Resume::Same => Ok(()),
                Resume::Unsure(why) => {
                    eprintln!(
                        "warning: resuming the runs in {} {why}: if the model changed since, the results mix two versions (use --force to start again)",
                        out.display()
                    );
                    Ok(())
                }
                Resume::Other(theirs) => Err(Failure::bad_input(anyhow!(
                    "{} holds runs made by towngov built from commit {theirs}, and this binary was built from {}: the results would mix two versions of the model; resume with that build, or use --force to run everything again with this one",
                    out.display(),
                    describe(&this_build)
                ))),
            }
        }
        Err(_) => std::fs::write(marker, format!("{fingerprint}\n{this_build}\n"))
            .with_context(|| format!("{}: cannot write", marker.display()))
            .map_err(Failure::other),
    }
}

/// The marker's record of a build: `build COMMIT TREE`.
fn build_line(commit: &str, tree: &str) -> String {
    format!("build {commit} {tree}")
}

/// "0123456789ab (dirty)" from a build line, for a message.
fn describe(line: &str) -> String {
    let mut parts = line.split_whitespace().skip(1);
    let commit = parts.next().unwrap_or("unknown");
    let short = commit.get(..12).unwrap_or(commit);
    match parts.next() {
        Some("clean") | None => short.to_string(),
        Some(tree) => format!("{short} ({tree})"),
    }
}

/// What a resume may do, given the build recorded in the marker and this one.
#[derive(Debug, PartialEq)]
enum Resume {
    /// The same clean commit.
    Same,
    /// Cannot tell: go on, warning why.
    Unsure(String),
    /// Another commit (as the marker describes it): refuse.
    Other(String),
}

fn resume_check(recorded: Option<&str>, this: &str) -> Resume {
    let Some(recorded) = recorded.filter(|r| r.starts_with("build ")) else {
        return Resume::Unsure("started by a towngov that did not record its build".to_string());
    };
    let commit = |l: &str| l.split_whitespace().nth(1).unwrap_or("unknown").to_string();
    let (theirs, ours) = (commit(recorded), commit(this));
    if theirs == "unknown" || ours == "unknown" {
        return Resume::Unsure("whose build or this binary's commit is unknown".to_string());
    }
    if theirs != ours {
        return Resume::Other(describe(recorded));
    }
    if recorded != this || this.ends_with(" dirty") {
        return Resume::Unsure(format!(
            "started by a build of commit {} with uncommitted changes (or resumed by one)",
            describe(recorded)
        ));
    }
    Resume::Same
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

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "build 0123456789abcdef0123456789abcdef01234567 clean";
    const B: &str = "build fedcba9876543210fedcba9876543210fedcba98 clean";

    #[test]
    fn a_resume_by_another_commit_is_refused_and_an_unknown_build_warned() {
        assert_eq!(resume_check(Some(A), A), Resume::Same);
        assert_eq!(
            resume_check(Some(B), A),
            Resume::Other("fedcba987654".into())
        );
        let dirty = A.replace("clean", "dirty");
        assert_eq!(
            resume_check(Some(&dirty), B),
            Resume::Other("0123456789ab (dirty)".into())
        );
        assert!(matches!(
            resume_check(Some(&dirty), &dirty),
            Resume::Unsure(_)
        ));
        assert!(matches!(resume_check(Some(A), &dirty), Resume::Unsure(_)));
        assert!(matches!(resume_check(None, A), Resume::Unsure(_)));
        let unknown = build_line("unknown", "unknown");
        assert!(matches!(resume_check(Some(&unknown), A), Resume::Unsure(_)));
        assert!(matches!(resume_check(Some(A), &unknown), Resume::Unsure(_)));
    }
}
