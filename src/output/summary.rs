//! `summary.json`: what the run was (scenario, seed, version, provenance) and what came out
//! of it (final and mean of every daily indicator, and the whole-run figures).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::sim::{DailyIndicators, RunTotals};

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub scenario: String,
    /// Written as a string: a seed may exceed 2^53, beyond which JSON readers that hold
    /// numbers as doubles (JavaScript, R's jsonlite, Excel) would change it.
    #[serde(serialize_with = "as_text")]
    pub seed: u64,
    /// Days simulated by this command (what `mean` covers); a run continued from a saved
    /// state covers days `first_day..=last_day`, while `totals` cover the whole run from day 1.
    pub days: u32,
    pub first_day: u32,
    pub last_day: u32,
    pub towngov_version: String,
    pub totals: RunTotals,
    /// Each indicator on the last day.
    pub r#final: BTreeMap<String, Option<f64>>,
    /// Each indicator averaged over the days it had a value.
    pub mean: BTreeMap<String, Option<f64>>,
    /// The MSER-5 warm-up diagnostic of this run's key daily indicators (`towngov run` fills
    /// it; `experiment::warmup` computes it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_up: Option<WarmUpSummary>,
    /// What made the file (`towngov run` sets it; none inside experiments). Last, so that
    /// runs differing only in their invocation compare equal before it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<super::Provenance>,
}

/// MSER-5 on one run's key daily indicators, for `summary.json`.
#[derive(Clone, Debug, Serialize)]
pub struct WarmUpSummary {
    /// Always "MSER-5".
    pub method: &'static str,
    /// The largest cut over the indicators, in days.
    pub suggested_days: u32,
    /// Per key daily indicator: its suggested cut and whether the series settled, or `null` when
    /// it had fewer than 20 days with a value.
    pub by_indicator: BTreeMap<String, Option<IndicatorWarmUp>>,
}

/// One indicator's MSER-5 verdict.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorWarmUp {
    /// Days to cut from the start (a multiple of 5).
    pub days: u32,
    /// False when the minimum fell at the end of the searched first half: run longer.
    pub settled: bool,
}

fn as_text<S: serde::Serializer>(n: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(n)
}

/// A day's indicators as named values (an empty value is `null`): one conversion that both
/// the summary and per-day outputs read.
pub fn row_fields(row: &DailyIndicators) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(row) {
        Ok(serde_json::Value::Object(fields)) => fields,
        _ => serde_json::Map::new(),
    }
}

/// Accumulates the daily rows into a summary.
#[derive(Default)]
pub struct SummaryBuilder {
    sums: BTreeMap<String, (f64, u64)>,
    last: BTreeMap<String, Option<f64>>,
}

impl SummaryBuilder {
    pub fn add(&mut self, row: &DailyIndicators) {
        self.add_fields(&row_fields(row));
    }

    /// Adds a row already turned into named values (see [`row_fields`]).
    pub fn add_fields(&mut self, fields: &serde_json::Map<String, serde_json::Value>) {
        for (name, v) in fields {
            if name == "day" {
                continue;
            }
            let x = v.as_f64();
            let e = self.sums.entry(name.clone()).or_insert((0.0, 0));
            if let Some(x) = x {
                e.0 += x;
                e.1 += 1;
            }
            self.last.insert(name.clone(), x);
        }
    }

    /// `first_day` is the first day simulated (1 for a run from the start).
    pub fn finish(
        self,
        scenario: &str,
        seed: u64,
        first_day: u32,
        days: u32,
        totals: RunTotals,
    ) -> Summary {
        Summary {
            scenario: scenario.to_string(),
            seed,
            days,
            first_day,
            last_day: (first_day + days).saturating_sub(1),
            towngov_version: crate::VERSION.to_string(),
            totals,
            r#final: self.last,
            mean: self
                .sums
                .into_iter()
                .map(|(k, (s, n))| (k, (n > 0).then(|| s / n as f64)))
                .collect(),
            warm_up: None,
            provenance: None,
        }
    }
}
