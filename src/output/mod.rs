//! Output files: rows are serde structs, each format is one writer. Every file is written under
//! a temporary name in its final folder and renamed into place only when the run has finished,
//! so a failed or interrupted run never leaves a half-written output behind.

pub mod agents;
#[cfg(feature = "parquet")]
mod agents_parquet;
mod atomic;
mod csv_rows;
mod folder;
pub mod journal;
pub mod provenance;
mod summary;

pub use atomic::{AtomicFile, OutputError, commit_all};
pub use csv_rows::{CsvRows, RunTag, TaggedCsv, run_columns, seed_text};
pub use folder::FreshFolder;
pub use journal::{Journal, commit_with_journals};
pub use provenance::Provenance;
pub use summary::{IndicatorWarmUp, Summary, SummaryBuilder, WarmUpSummary, row_fields};
