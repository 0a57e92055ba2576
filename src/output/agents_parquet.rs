//! The per-agent files as Parquet (`--agents-format parquet`), with the `parquet` crate's
//! column writer: one row group per day asked, Snappy-compressed, the same columns as the CSV
//! (`scenario` and `seed` first). Seeds and ids are unsigned 64-bit integers, kinds and
//! channels UTF-8 strings, missing values nulls.

use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, DoubleType, FloatType, Int32Type, Int64Type,
};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use super::agents::Columns;
use super::atomic::{AtomicFile, OutputError};
use super::csv_rows::RunTag;
use crate::sim::agents::{FirmRow, ResidentRow};

/// A column's values for one row group, and its definition levels when it may be null.
pub enum Values {
    Bool(Vec<bool>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    F32(Vec<f32>),
    F64(Vec<f64>),
    Text(Vec<ByteArray>),
}

pub struct Column {
    values: Values,
    /// 1 where a value is present, 0 for null; none for a required column.
    def: Option<Vec<i16>>,
}

fn required(values: Values) -> Column {
    Column { values, def: None }
}

/// An optional column from per-row options: the present values and the definition levels.
fn optional<T>(xs: impl Iterator<Item = Option<T>>, wrap: impl Fn(Vec<T>) -> Values) -> Column {
    let mut def = Vec::new();
    let mut present = Vec::new();
    for x in xs {
        def.push(i16::from(x.is_some()));
        present.extend(x);
    }
    Column {
        values: wrap(present),
        def: Some(def),
    }
}

fn text(s: &str) -> ByteArray {
    ByteArray::from(s.as_bytes().to_vec())
}

/// How a row type becomes Parquet columns.
pub trait ParquetRows: Columns + Sized {
    /// The schema after `scenario` and `seed`, in the order of [`Columns::header`].
    const FIELDS: &'static str;
    fn columns(rows: &[Self]) -> Vec<Column>;
}

impl ParquetRows for ResidentRow {
    const FIELDS: &'static str = "
        required int32 day (INTEGER(32,false));
        required int64 id (INTEGER(64,false));
        required binary kind (STRING);
        required int32 community (INTEGER(32,false));
        required int32 grid (INTEGER(32,false));
        optional int64 employer (INTEGER(64,false));
        required boolean unemployed;
        required float satisfaction;
        required float trust;
        required float efficacy;
        required boolean participating;
        required double participation_threshold;
        required float volunteering;
        required float volunteering_intrinsic;
        required boolean vulnerable;
        optional int64 last_visit_day;
        optional binary last_channel (STRING);
        optional boolean last_good;
        required int32 ties (INTEGER(32,false));";

    fn columns(rows: &[Self]) -> Vec<Column> {
        let i32s = |f: fn(&Self) -> u32| whole(rows, f);
        let f32s = |f: fn(&Self) -> f32| reals(rows, f);
        let bools = |f: fn(&Self) -> bool| flags(rows, f);
        vec![
            i32s(|r| r.day),
            required(Values::I64(rows.iter().map(|r| r.id as i64).collect())),
            required(Values::Text(rows.iter().map(|r| text(r.kind)).collect())),
            i32s(|r| r.community),
            i32s(|r| r.grid),
            optional(
                rows.iter().map(|r| r.employer.map(|x| x as i64)),
                Values::I64,
            ),
            bools(|r| r.unemployed),
            f32s(|r| r.satisfaction),
            f32s(|r| r.trust),
            f32s(|r| r.efficacy),
            bools(|r| r.participating),
            required(Values::F64(
                rows.iter().map(|r| r.participation_threshold).collect(),
            )),
            f32s(|r| r.volunteering),
            f32s(|r| r.volunteering_intrinsic),
            bools(|r| r.vulnerable),
            optional(rows.iter().map(|r| r.last_visit_day), Values::I64),
            optional(rows.iter().map(|r| r.last_channel.map(text)), Values::Text),
            optional(rows.iter().map(|r| r.last_good), Values::Bool),
            i32s(|r| r.ties),
        ]
    }
}

impl ParquetRows for FirmRow {
    const FIELDS: &'static str = "
        required int32 day (INTEGER(32,false));
        required int64 id (INTEGER(64,false));
        required binary size (STRING);
        required boolean characteristic;
        required boolean high_risk;
        required int32 community (INTEGER(32,false));
        required int32 grid (INTEGER(32,false));
        required int32 employees (INTEGER(32,false));
        required double revenue_yuan;
        required float awareness;
        required float stickiness;
        required float service_score;
        required boolean deep;
        required int32 financed_until (INTEGER(32,false));
        optional int32 offer_decides_on (INTEGER(32,false));
        required boolean offer_detected;";

    fn columns(rows: &[Self]) -> Vec<Column> {
        let i32s = |f: fn(&Self) -> u32| whole(rows, f);
        let f32s = |f: fn(&Self) -> f32| reals(rows, f);
        let bools = |f: fn(&Self) -> bool| flags(rows, f);
        vec![
            i32s(|r| r.day),
            required(Values::I64(rows.iter().map(|r| r.id as i64).collect())),
            required(Values::Text(rows.iter().map(|r| text(r.size)).collect())),
            bools(|r| r.characteristic),
            bools(|r| r.high_risk),
            i32s(|r| r.community),
            i32s(|r| r.grid),
            i32s(|r| r.employees),
            required(Values::F64(rows.iter().map(|r| r.revenue_yuan).collect())),
            f32s(|r| r.awareness),
            f32s(|r| r.stickiness),
            f32s(|r| r.service_score),
            bools(|r| r.deep),
            i32s(|r| r.financed_until),
            optional(
                rows.iter().map(|r| r.offer_decides_on.map(|d| d as i32)),
                Values::I32,
            ),
            bools(|r| r.offer_detected),
        ]
    }
}

/// A required 32-bit column of whole numbers read from each row.
fn whole<R>(rows: &[R], f: fn(&R) -> u32) -> Column {
    required(Values::I32(rows.iter().map(|r| f(r) as i32).collect()))
}

/// A required 32-bit float column read from each row.
fn reals<R>(rows: &[R], f: fn(&R) -> f32) -> Column {
    required(Values::F32(rows.iter().map(f).collect()))
}

/// A required boolean column read from each row.
fn flags<R>(rows: &[R], f: fn(&R) -> bool) -> Column {
    required(Values::Bool(rows.iter().map(f).collect()))
}

/// A Parquet file of rows `R`, a row group per day written.
pub struct ParquetSink<R> {
    path: PathBuf,
    writer: SerializedFileWriter<AtomicFile>,
    scenario: ByteArray,
    seed: i64,
    rows: PhantomData<R>,
}

impl<R: ParquetRows> ParquetSink<R> {
    pub fn create(path: &Path, tag: &RunTag) -> Result<Self, OutputError> {
        let file = AtomicFile::create(path)?;
        let fail = |e: parquet::errors::ParquetError| OutputError::Row {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let schema = format!(
            "message agents {{ required binary scenario (STRING); required int64 seed (INTEGER(64,false)); {} }}",
            R::FIELDS
        );
        let schema = Arc::new(parse_message_type(&schema).map_err(fail)?);
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("towngov {}", crate::VERSION))
                .build(),
        );
        let writer = SerializedFileWriter::new(file, schema, props).map_err(fail)?;
        Ok(ParquetSink {
            path: path.to_path_buf(),
            writer,
            scenario: text(&tag.scenario),
            seed: tag.seed as i64,
            rows: PhantomData,
        })
    }

    /// One day's rows as a row group (nothing for no rows).
    pub fn write(&mut self, rows: &[R]) -> Result<(), OutputError> {
        if rows.is_empty() {
            return Ok(());
        }
        let fail = |e: parquet::errors::ParquetError| OutputError::Row {
            path: self.path.clone(),
            message: e.to_string(),
        };
        let mut columns = vec![
            required(Values::Text(vec![self.scenario.clone(); rows.len()])),
            required(Values::I64(vec![self.seed; rows.len()])),
        ];
        columns.extend(R::columns(rows));
        let mut group = self.writer.next_row_group().map_err(fail)?;
        for column in columns {
            let Some(mut w) = group.next_column().map_err(fail)? else {
                break;
            };
            let def = column.def.as_deref();
            let written = match &column.values {
                Values::Bool(v) => w.typed::<BoolType>().write_batch(v, def, None),
                Values::I32(v) => w.typed::<Int32Type>().write_batch(v, def, None),
                Values::I64(v) => w.typed::<Int64Type>().write_batch(v, def, None),
                Values::F32(v) => w.typed::<FloatType>().write_batch(v, def, None),
                Values::F64(v) => w.typed::<DoubleType>().write_batch(v, def, None),
                Values::Text(v) => w.typed::<ByteArrayType>().write_batch(v, def, None),
            };
            written.map_err(fail)?;
            w.close().map_err(fail)?;
        }
        group.close().map_err(fail)?;
        Ok(())
    }

    /// The file with its footer written.
    pub fn finish(self) -> Result<AtomicFile, OutputError> {
        let path = self.path;
        self.writer.into_inner().map_err(|e| OutputError::Row {
            path,
            message: e.to_string(),
        })
    }
}
