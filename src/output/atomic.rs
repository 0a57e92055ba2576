//! A file that appears under its final name only when committed.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot write a row: {message}")]
    Row { path: PathBuf, message: String },
}

impl OutputError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        OutputError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Writes to `.NAME.partial` beside `NAME`; [`AtomicFile::commit`] renames it into place and
/// dropping it uncommitted (or a failed commit) removes the partial file. Errors name `NAME`,
/// the file the user asked for, not the hidden partial one.
pub struct AtomicFile {
    target: PathBuf,
    partial: PathBuf,
    writer: Option<BufWriter<File>>,
    /// Renamed into place: nothing to remove.
    done: bool,
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<Self, OutputError> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let partial = target.with_file_name(format!(".{name}.partial"));
        let file = File::create(&partial).map_err(|e| OutputError::io(target, e))?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            partial,
            writer: Some(BufWriter::new(file)),
            done: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.target
    }

    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.writer.as_mut().expect("not committed yet")
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(self) -> Result<(), OutputError> {
        commit_all(vec![self])
    }

    /// Flushes and syncs the partial file (where a full disk shows), keeping it open.
    fn sync(&mut self) -> Result<(), OutputError> {
        let w = self.writer.as_mut().expect("committed once");
        w.flush().map_err(|e| OutputError::io(&self.target, e))?;
        w.get_ref()
            .sync_all()
            .map_err(|e| OutputError::io(&self.target, e))
    }
}

/// Commits a set of outputs as a whole: every file is flushed and synced first (a full disk or
/// a write error fails here, and every partial file is removed), then all are renamed into
/// place; if a rename fails, the files already renamed are removed again, so the set appears
/// whole or not at all.
pub fn commit_all(mut files: Vec<AtomicFile>) -> Result<(), OutputError> {
    for f in &mut files {
        f.sync()?;
    }
    let mut renamed: Vec<PathBuf> = Vec::new();
    for f in &mut files {
        drop(f.writer.take());
        if let Err(e) = std::fs::rename(&f.partial, &f.target) {
            for t in &renamed {
                let _ = std::fs::remove_file(t);
            }
            return Err(OutputError::io(&f.target, e));
        }
        f.done = true;
        renamed.push(f.target.clone());
    }
    Ok(())
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.done {
            drop(self.writer.take());
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer().write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_appears_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = AtomicFile::create(&dir.path().join("a.csv")).unwrap();
        a.write_all(b"a").unwrap();
        // b's target is a folder: its rename fails after a's succeeded.
        std::fs::create_dir(dir.path().join("b.csv")).unwrap();
        std::fs::write(dir.path().join("b.csv/x"), b"x").unwrap();
        let mut b = AtomicFile::create(&dir.path().join("b.csv")).unwrap();
        b.write_all(b"b").unwrap();
        let e = commit_all(vec![a, b]).unwrap_err().to_string();
        assert!(
            e.starts_with(&dir.path().join("b.csv").display().to_string()),
            "{e}"
        );
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            left,
            vec!["b.csv".to_string()],
            "a.csv and the partial files are gone"
        );
    }

    #[test]
    fn a_failed_commit_leaves_no_partial_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = AtomicFile::create(&dir.path().join("gone/x.csv"))
            .err()
            .unwrap();
        assert!(
            missing.to_string().contains("gone/x.csv"),
            "names the target: {missing}"
        );
        let mut g = AtomicFile::create(&dir.path().join("x.csv")).unwrap();
        g.write_all(b"x").unwrap();
        std::fs::create_dir(dir.path().join("x.csv")).unwrap();
        std::fs::write(dir.path().join("x.csv/y"), b"y").unwrap();
        assert!(g.commit().is_err());
        assert!(!dir.path().join(".x.csv.partial").exists());
    }
}
