//! Per-agent output (`towngov run --agents-at DAYS`): `agents_residents` and `agents_firms`,
//! one row per agent on each day asked, as CSV (default) or Parquet (`agents_parquet.rs`).
//! Each day's rows are written when the day ends and not kept; the files are committed with the
//! rest of the run's set. Columns are documented in README.md (Per-agent output).

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::atomic::{AtomicFile, OutputError};
use super::csv_rows::{RunTag, TaggedCsv};
use crate::sim::agents::{FirmRow, ResidentRow};

/// The format of the per-agent files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AgentsFormat {
    #[default]
    Csv,
    Parquet,
}

impl AgentsFormat {
    /// The two files' names in this format.
    pub fn file_names(self) -> [&'static str; 2] {
        match self {
            AgentsFormat::Csv => ["agents_residents.csv", "agents_firms.csv"],
            AgentsFormat::Parquet => ["agents_residents.parquet", "agents_firms.parquet"],
        }
    }
}

/// The two per-agent files of a run, being written.
pub struct AgentsWriter {
    residents: Sink<ResidentRow>,
    firms: Sink<FirmRow>,
}

enum Sink<R> {
    Csv(CsvSink),
    #[cfg(feature = "parquet")]
    Parquet(super::agents_parquet::ParquetSink<R>),
    #[cfg(not(feature = "parquet"))]
    #[allow(dead_code)]
    Never(std::convert::Infallible, std::marker::PhantomData<R>),
}

impl AgentsWriter {
    /// Creates both files (as partial files) in `dir`.
    pub fn create(dir: &Path, format: AgentsFormat, tag: &RunTag) -> Result<Self, OutputError> {
        let [r, f] = format.file_names();
        let (r, f) = (dir.join(r), dir.join(f));
        Ok(match format {
            AgentsFormat::Csv => AgentsWriter {
                residents: Sink::Csv(CsvSink::create(&r, tag, &ResidentRow::header())?),
                firms: Sink::Csv(CsvSink::create(&f, tag, &FirmRow::header())?),
            },
            #[cfg(feature = "parquet")]
            AgentsFormat::Parquet => AgentsWriter {
                residents: Sink::Parquet(super::agents_parquet::ParquetSink::create(&r, tag)?),
                firms: Sink::Parquet(super::agents_parquet::ParquetSink::create(&f, tag)?),
            },
            #[cfg(not(feature = "parquet"))]
            AgentsFormat::Parquet => {
                return Err(OutputError::Row {
                    path: r,
                    message: "this towngov was built without the `parquet` feature".into(),
                });
            }
        })
    }

    /// One day's rows.
    pub fn write(
        &mut self,
        residents: &[ResidentRow],
        firms: &[FirmRow],
    ) -> Result<(), OutputError> {
        self.residents.write(residents)?;
        self.firms.write(firms)
    }

    /// Both files, complete, to commit with the rest of the run's outputs.
    pub fn into_files(self) -> Result<Vec<AtomicFile>, OutputError> {
        Ok(vec![self.residents.finish()?, self.firms.finish()?])
    }
}

/// A row type both formats write.
#[cfg(feature = "parquet")]
pub trait AgentRow: Serialize + Columns + super::agents_parquet::ParquetRows {}
/// A row type both formats write.
#[cfg(not(feature = "parquet"))]
pub trait AgentRow: Serialize + Columns {}

impl AgentRow for ResidentRow {}
impl AgentRow for FirmRow {}

impl<R: AgentRow> Sink<R> {
    fn write(&mut self, rows: &[R]) -> Result<(), OutputError> {
        match self {
            Sink::Csv(s) => s.write(rows),
            #[cfg(feature = "parquet")]
            Sink::Parquet(s) => s.write(rows),
            #[cfg(not(feature = "parquet"))]
            Sink::Never(never, _) => match *never {},
        }
    }

    fn finish(self) -> Result<AtomicFile, OutputError> {
        match self {
            Sink::Csv(s) => s.finish(),
            #[cfg(feature = "parquet")]
            Sink::Parquet(s) => s.finish(),
            #[cfg(not(feature = "parquet"))]
            Sink::Never(never, _) => match never {},
        }
    }
}

/// A row's column names, in order (the CSV header after `scenario, seed`, and the Parquet
/// schema's order).
pub trait Columns {
    fn header() -> Vec<&'static str>;
}

impl Columns for ResidentRow {
    fn header() -> Vec<&'static str> {
        vec![
            "day",
            "id",
            "kind",
            "community",
            "grid",
            "employer",
            "unemployed",
            "satisfaction",
            "trust",
            "efficacy",
            "participating",
            "participation_threshold",
            "volunteering",
            "volunteering_intrinsic",
            "vulnerable",
            "last_visit_day",
            "last_channel",
            "last_good",
            "ties",
        ]
    }
}

impl Columns for FirmRow {
    fn header() -> Vec<&'static str> {
        vec![
            "day",
            "id",
            "size",
            "characteristic",
            "high_risk",
            "community",
            "grid",
            "employees",
            "revenue_yuan",
            "awareness",
            "stickiness",
            "service_score",
            "deep",
            "financed_until",
            "offer_decides_on",
            "offer_detected",
        ]
    }
}

/// A tidy CSV with its header written at once (so a file with no rows still names its columns).
struct CsvSink {
    path: PathBuf,
    writer: TaggedCsv<AtomicFile>,
}

impl CsvSink {
    fn create(path: &Path, tag: &RunTag, header: &[&str]) -> Result<Self, OutputError> {
        let mut file = AtomicFile::create(path)?;
        let mut line = String::from("scenario,seed");
        for h in header {
            line.push(',');
            line.push_str(h);
        }
        line.push('\n');
        file.write_all(line.as_bytes())
            .map_err(|e| OutputError::io(path, e))?;
        Ok(CsvSink {
            path: path.to_path_buf(),
            writer: TaggedCsv::without_header(file, tag),
        })
    }

    fn write<R: Serialize>(&mut self, rows: &[R]) -> Result<(), OutputError> {
        for row in rows {
            self.writer.write(row).map_err(|e| OutputError::Row {
                path: self.path.clone(),
                message: e.to_string(),
            })?;
        }
        Ok(())
    }

    fn finish(self) -> Result<AtomicFile, OutputError> {
        self.writer
            .into_inner()
            .map_err(|e| OutputError::io(&self.path, e))
    }
}
