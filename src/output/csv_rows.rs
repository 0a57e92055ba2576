//! Tidy CSV of serde rows: a header from the row's field names, UTF-8, `,` separator, `.`
//! decimal, empty for a missing value. pandas and R read it with no options.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::atomic::{AtomicFile, OutputError};

/// A CSV file being written row by row (streamed, not held in memory), committed atomically.
pub struct CsvRows {
    path: PathBuf,
    writer: csv::Writer<AtomicFile>,
}

impl CsvRows {
    pub fn create(target: &Path) -> Result<Self, OutputError> {
        Ok(CsvRows {
            path: target.to_path_buf(),
            writer: csv::Writer::from_writer(AtomicFile::create(target)?),
        })
    }

    /// Appends one row (the header is written before the first).
    pub fn write<R: Serialize>(&mut self, row: &R) -> Result<(), OutputError> {
        self.writer.serialize(row).map_err(|e| OutputError::Row {
            path: self.path.clone(),
            message: e.to_string(),
        })
    }

    pub fn commit(self) -> Result<(), OutputError> {
        self.into_file()?.commit()
    }

    /// The file with every row written to it, to commit with others
    /// ([`super::atomic::commit_all`]).
    pub fn into_file(self) -> Result<AtomicFile, OutputError> {
        let path = self.path;
        self.writer
            .into_inner()
            .map_err(|e| OutputError::io(&path, e.into_error()))
    }
}
