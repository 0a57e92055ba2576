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
/// dropping it uncommitted removes the partial file.
pub struct AtomicFile {
    target: PathBuf,
    partial: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> Result<Self, OutputError> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let partial = target.with_file_name(format!(".{name}.partial"));
        let file = File::create(&partial).map_err(|e| OutputError::io(&partial, e))?;
        Ok(AtomicFile {
            target: target.to_path_buf(),
            partial,
            writer: Some(BufWriter::new(file)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.target
    }

    pub fn writer(&mut self) -> &mut BufWriter<File> {
        self.writer.as_mut().expect("not committed yet")
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let mut w = self.writer.take().expect("committed once");
        w.flush().map_err(|e| OutputError::io(&self.partial, e))?;
        let file = w
            .into_inner()
            .map_err(|e| OutputError::io(&self.partial, e.into_error()))?;
        file.sync_all()
            .map_err(|e| OutputError::io(&self.partial, e))?;
        drop(file);
        std::fs::rename(&self.partial, &self.target).map_err(|e| OutputError::io(&self.target, e))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
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
