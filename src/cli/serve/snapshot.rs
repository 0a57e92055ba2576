//! What the page receives, as JSON: the state (the levers, the run's status, each town's lever
//! settings and changes), and the updates its event stream carries (the rows of the plotted
//! indicators the page has not seen yet, and the map as it is now).

use serde_json::{Value, json};
use towngov::sim::DailyIndicators;
use towngov::sim::view;

use super::levers::LEVERS;
use super::session::{SPEEDS, Session};

/// The ids of the towns: A, and B in side-by-side mode.
pub const TOWN_IDS: [&str; 2] = ["a", "b"];

/// The daily indicators the page plots and shows (columns of `daily.csv`).
pub const SERIES: &[&str] = &[
    "day",
    "created",
    "resolved",
    "dropped",
    "open",
    "bounced",
    "petitions",
    "escalated_waiting",
    "dropped_total",
    "petitions_total",
    "resolved_total",
    "on_time_share",
    "close_days_mean",
    "closed",
    "participation_rate",
    "volunteering_rate",
    "report_propensity_mean",
    "election_turnout",
    "satisfaction_mean",
    "satisfaction_native",
    "satisfaction_migrant_worker",
    "satisfaction_employee",
    "satisfaction_talent",
    "trust_mean",
    "trust_native",
    "trust_migrant_worker",
    "trust_employee",
    "trust_talent",
    "residents",
    "enterprises",
    "relocations_total",
    "cost_yuan",
    "cost_total_yuan",
    "cost_per_resolved_yuan",
    "budget_balance_yuan",
    "reforms_applied",
];

/// Open cases drawn on a map at most (the oldest); the count says how many there are in all.
pub const MAX_MAP_CASES: usize = 1500;

/// What one page has been sent so far.
#[derive(Default)]
pub struct Sent {
    generation: u64,
    rows: Vec<usize>,
}

/// The whole state: scenario, status, speeds, the lever table and each town's settings.
pub fn state(s: &Session) -> Value {
    let levers: Vec<Value> = LEVERS
        .iter()
        .map(|l| {
            let mut v = serde_json::to_value(l).unwrap_or(Value::Null);
            if let (Value::Object(m), Some(spec)) = (&mut v, super::town::spec(l.path)) {
                m.insert("allowed".into(), json!(spec.range));
                m.insert("unit".into(), json!(spec.unit));
            }
            v
        })
        .collect();
    json!({
        "scenario": {
            "name": s.name,
            "description": s.description,
            "origin": s.origin,
            "timeline_days": s.towns[0].scenario_reform_days(),
        },
        "status": s.status(),
        "speeds": SPEEDS,
        "max_day": super::town::MAX_DAY,
        "levers": levers,
        "towns": towns(s, None),
    })
}

/// An update for a page that has been sent `sent`: the rows it lacks (all of them after a
/// reset or a change of mode), each town's settings and changes, and the map.
pub fn update(s: &Session, sent: &mut Sent) -> Value {
    let full = sent.generation != s.generation || sent.rows.len() != s.towns.len();
    if full {
        sent.generation = s.generation;
        sent.rows = vec![0; s.towns.len()];
    }
    json!({
        "full": full,
        "status": s.status(),
        "towns": towns(s, Some(&mut sent.rows)),
    })
}

fn towns(s: &Session, mut rows_sent: Option<&mut Vec<usize>>) -> Vec<Value> {
    s.towns
        .iter()
        .zip(TOWN_IDS)
        .enumerate()
        .map(|(i, (town, id))| {
            let mut v = json!({
                "id": id,
                "settings": town.settings(),
                "changes": town.changes(),
            });
            if let (Some(sent), Value::Object(m)) = (rows_sent.as_deref_mut(), &mut v) {
                let rows = town.rows();
                let from = sent[i].min(rows.len());
                sent[i] = rows.len();
                m.insert("from_day".into(), json!(from + 1));
                m.insert("series".into(), columns(&rows[from..]));
                let map = view::town(town.simulation().world(), MAX_MAP_CASES);
                m.insert(
                    "map".into(),
                    serde_json::to_value(map).unwrap_or(Value::Null),
                );
            }
            v
        })
        .collect()
}

/// The plotted indicators of `rows`, one array per indicator.
fn columns(rows: &[DailyIndicators]) -> Value {
    let objects: Vec<Value> = rows
        .iter()
        .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
        .collect();
    let map: serde_json::Map<String, Value> = SERIES
        .iter()
        .map(|name| {
            let column = objects
                .iter()
                .map(|o| o.get(name).cloned().unwrap_or(Value::Null))
                .collect();
            (name.to_string(), Value::Array(column))
        })
        .collect();
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_series_is_a_daily_indicator() {
        let row = serde_json::to_value(DailyIndicators::default()).expect("serializes");
        for name in SERIES {
            assert!(
                row.get(name).is_some(),
                "{name} is not a column of daily.csv"
            );
        }
    }
}
