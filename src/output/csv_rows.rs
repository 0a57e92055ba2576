//! Tidy CSV of serde rows: a header from the row's field names, UTF-8, `,` separator, `.`
//! decimal, empty for a missing value. pandas and R read it with no options. A per-run file
//! starts every row with the run it belongs to: `scenario, seed`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::atomic::{AtomicFile, OutputError};

/// A seed as text no reader takes for a number: `s` and its decimal digits
/// (`s18041238358055680514`). The multi-run CSV files (`runs.csv` of compare, sweep,
/// sensitivity and explore) carry it as `seed_text` beside the numeric `seed`: R's `read.csv` and Excel read
/// a column of numbers as doubles, exact only up to 2^53, and a seed with its last digits
/// changed is another run; a text column stays exact, and `--seed` takes it as it is.
pub fn seed_text(seed: u64) -> String {
    format!("s{seed}")
}

/// The columns that open a row of a multi-run `runs.csv` (compare, sweep, sensitivity,
/// explore): `run_id`, the job's own place of the run (`ids`: a point, a row, a future and an
/// option), then `scenario, replicate, seed, seed_text`.
pub fn run_columns(ids: &[&str]) -> Vec<String> {
    let mut h = vec!["run_id".to_string()];
    h.extend(ids.iter().map(|s| s.to_string()));
    h.extend(["scenario", "replicate", "seed", "seed_text"].map(String::from));
    h
}

/// Which run a row belongs to: the first two columns, `scenario` and `seed`, of a per-run CSV.
#[derive(Clone, Debug)]
pub struct RunTag {
    pub scenario: String,
    pub seed: u64,
}

/// CSV rows, each preceded by the run's `scenario` and `seed` (the header is written before
/// the first row, from the row's field names).
pub struct TaggedCsv<W: Write> {
    writer: csv::Writer<W>,
    tag: (String, String),
    header_written: bool,
}

impl<W: Write> TaggedCsv<W> {
    pub fn new(inner: W, tag: &RunTag) -> Self {
        TaggedCsv {
            writer: csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(inner),
            tag: (tag.scenario.clone(), tag.seed.to_string()),
            header_written: false,
        }
    }

    /// Rows after a header the caller wrote already.
    pub fn without_header(inner: W, tag: &RunTag) -> Self {
        TaggedCsv {
            header_written: true,
            ..TaggedCsv::new(inner, tag)
        }
    }

    pub fn write<R: Serialize>(&mut self, row: &R) -> Result<(), csv::Error> {
        if !self.header_written {
            let mut header = csv::StringRecord::from(vec!["scenario", "seed"]);
            header.extend(field_names(row)?.iter());
            self.writer.write_record(&header)?;
            self.header_written = true;
        }
        self.writer.serialize((&self.tag.0, &self.tag.1, row))
    }

    /// The writer, flushed.
    pub fn into_inner(self) -> Result<W, std::io::Error> {
        self.writer.into_inner().map_err(|e| e.into_error())
    }
}

/// The field names of a serde row, as csv writes them in a header.
fn field_names<R: Serialize>(row: &R) -> Result<csv::StringRecord, csv::Error> {
    let mut probe = csv::Writer::from_writer(Vec::new());
    probe.serialize(row)?;
    let bytes = probe
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[..]);
    let mut record = csv::StringRecord::new();
    reader.read_record(&mut record)?;
    Ok(record)
}

/// A per-run CSV file being written row by row (streamed, not held in memory), committed
/// atomically.
pub struct CsvRows {
    path: PathBuf,
    writer: TaggedCsv<AtomicFile>,
}

impl CsvRows {
    pub fn create(target: &Path, tag: &RunTag) -> Result<Self, OutputError> {
        Ok(CsvRows {
            path: target.to_path_buf(),
            writer: TaggedCsv::new(AtomicFile::create(target)?, tag),
        })
    }

    /// Appends one row (the header is written before the first).
    pub fn write<R: Serialize>(&mut self, row: &R) -> Result<(), OutputError> {
        self.writer.write(row).map_err(|e| OutputError::Row {
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
            .map_err(|e| OutputError::io(&path, e))
    }
}
