//! A resumable CSV output: rows are appended to `.NAME.partial` and flushed as each run ends;
//! the file appears as `NAME` only when the whole job is done. A job that is interrupted and
//! started again reopens the partial file, keeps the complete rows (cutting a half-written
//! last line) and carries on after them.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::atomic::OutputError;

/// A CSV file written row by row under a partial name.
pub struct Journal {
    target: PathBuf,
    partial: PathBuf,
    writer: BufWriter<File>,
}

/// The first field of every complete row kept from an earlier, interrupted job.
pub type Kept = Vec<String>;

impl Journal {
    /// The partial file's name beside `target`.
    pub fn partial_path(target: &Path) -> PathBuf {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        target.with_file_name(format!(".{name}.partial"))
    }

    /// Starts a new journal with `header`, or resumes an existing one: keeps its complete rows
    /// up to the first whose first field `keep` refuses, and returns their first fields.
    /// A partial file with another header belongs to another job: an error.
    pub fn open(
        target: &Path,
        header: &[String],
        keep: impl Fn(&str) -> bool,
    ) -> Result<(Journal, Kept), OutputError> {
        let partial = Self::partial_path(target);
        let header_line = csv_line(header);
        let mut kept = Vec::new();
        let file = if partial.exists() {
            let mut f = OpenOptions::new()
                .read(true)
                .write(true)
                .open(&partial)
                .map_err(|e| OutputError::io(&partial, e))?;
            let mut reader = BufReader::new(&mut f);
            let mut line = String::new();
            let mut offset = 0u64;
            let n = reader
                .read_line(&mut line)
                .map_err(|e| OutputError::io(&partial, e))?;
            if line != header_line {
                return Err(OutputError::Row {
                    path: partial.clone(),
                    message: "holds the rows of another job (its columns differ); remove it or use another output folder".into(),
                });
            }
            offset += n as u64;
            loop {
                line.clear();
                let n = reader
                    .read_line(&mut line)
                    .map_err(|e| OutputError::io(&partial, e))?;
                if n == 0 || !line.ends_with('\n') {
                    break;
                }
                let first = first_field(&line);
                if !keep(&first) {
                    break;
                }
                kept.push(first);
                offset += n as u64;
            }
            drop(reader);
            f.set_len(offset)
                .map_err(|e| OutputError::io(&partial, e))?;
            f.seek(SeekFrom::End(0))
                .map_err(|e| OutputError::io(&partial, e))?;
            f
        } else {
            let mut f = File::create(&partial).map_err(|e| OutputError::io(&partial, e))?;
            f.write_all(header_line.as_bytes())
                .map_err(|e| OutputError::io(&partial, e))?;
            f
        };
        Ok((
            Journal {
                target: target.to_path_buf(),
                partial,
                writer: BufWriter::new(file),
            },
            kept,
        ))
    }

    /// Appends one row.
    pub fn write(&mut self, fields: &[String]) -> Result<(), OutputError> {
        self.writer
            .write_all(csv_line(fields).as_bytes())
            .map_err(|e| OutputError::io(&self.partial, e))
    }

    /// Makes the rows written so far survive an interruption.
    pub fn flush(&mut self) -> Result<(), OutputError> {
        self.writer
            .flush()
            .map_err(|e| OutputError::io(&self.partial, e))
    }

    /// Flushes, syncs and closes the journal without renaming it: its (partial, target) paths,
    /// for [`commit_with_journals`].
    pub fn close(mut self) -> Result<(PathBuf, PathBuf), OutputError> {
        self.flush()?;
        let file = self
            .writer
            .into_inner()
            .map_err(|e| OutputError::io(&self.partial, e.into_error()))?;
        file.sync_all()
            .map_err(|e| OutputError::io(&self.partial, e))?;
        Ok((self.partial, self.target))
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(self) -> Result<(), OutputError> {
        let (partial, target) = self.close()?;
        std::fs::rename(&partial, &target).map_err(|e| OutputError::io(&target, e))
    }
}

/// Commits closed journals and then `files` as one set: the journals are renamed into place
/// first and the files (a manifest that marks the set complete) last. If any rename fails, the
/// journals already renamed go back to their partial names (so the job can still be resumed)
/// and the files already renamed are removed: the set appears whole or not at all.
pub fn commit_with_journals(
    journals: Vec<(PathBuf, PathBuf)>,
    files: Vec<super::AtomicFile>,
) -> Result<(), OutputError> {
    let mut moved: Vec<&(PathBuf, PathBuf)> = Vec::new();
    for j in &journals {
        if let Err(e) = std::fs::rename(&j.0, &j.1) {
            for (partial, target) in moved {
                let _ = std::fs::rename(target, partial);
            }
            return Err(OutputError::io(&j.1, e));
        }
        moved.push(j);
    }
    if let Err(e) = super::commit_all(files) {
        for (partial, target) in moved {
            let _ = std::fs::rename(target, partial);
        }
        return Err(e);
    }
    Ok(())
}

/// One CSV line, quoting fields where needed.
pub fn csv_line(fields: &[String]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(fields);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn first_field(line: &str) -> String {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    r.records()
        .next()
        .and_then(|rec| rec.ok())
        .and_then(|rec| rec.get(0).map(str::to_string))
        .unwrap_or_default()
}

/// A number as CSV text: shortest exact form, empty when missing.
pub fn num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A set whose last file cannot be renamed appears not at all: the journal already renamed
    /// goes back to its partial name (so the job can be resumed) and nothing stays in place.
    #[test]
    fn a_set_that_cannot_be_completed_puts_its_journals_back() {
        let dir = tempfile::tempdir().unwrap();
        let runs = dir.path().join("runs.csv");
        let mut j = Journal::open(&runs, &["run_id".to_string()], |_| true)
            .unwrap()
            .0;
        j.write(&["0".to_string()]).unwrap();
        let closed = j.close().unwrap();
        // A folder where the manifest should go: renaming a file onto it fails.
        let manifest = dir.path().join("sweep.json");
        std::fs::create_dir(&manifest).unwrap();
        std::fs::write(manifest.join("x"), "x").unwrap();
        let mut m = super::super::AtomicFile::create(&manifest).unwrap();
        m.write_all(b"{}").unwrap();
        assert!(commit_with_journals(vec![closed.clone()], vec![m]).is_err());
        assert!(!runs.exists(), "runs.csv was left in place");
        assert!(
            closed.0.exists(),
            "the journal is back under its partial name"
        );
        // With room for the manifest, the same set commits whole.
        std::fs::remove_dir_all(&manifest).unwrap();
        let m = super::super::AtomicFile::create(&manifest).unwrap();
        commit_with_journals(vec![closed.clone()], vec![m]).unwrap();
        assert!(runs.exists() && manifest.is_file() && !closed.0.exists());
    }
}
