//! What the page receives, as JSON: the state (the levers, the run's status, each town's lever
//! settings and changes), and the updates its event stream carries (the rows of the plotted
//! indicators the page has not seen yet, the lever changes it has not seen, and the map as it
//! is now). Nothing a control answers or an update carries grows with the number of lever
//! changes or (beyond a bound) the length of the run; only `GET /api/state` lists every
//! change.

use serde::Serialize;
use serde_json::{Value, json};
use towngov::sim::view;

use super::levers::LEVERS;
use super::series::{Columns, HISTORY_POINTS, RECENT_DAYS};
use super::session::{SPEEDS, Session, Status};
use super::town::Change;

/// The ids of the towns: A, and B in side-by-side mode.
pub const TOWN_IDS: [&str; 2] = ["a", "b"];

/// Open cases drawn on a map at most (the oldest); the count says how many there are in all.
pub const MAX_MAP_CASES: usize = 1500;

/// What one page has been sent so far.
#[derive(Default)]
pub struct Sent {
    generation: u64,
    /// Per town: days and lever changes sent.
    rows: Vec<usize>,
    changes: Vec<usize>,
}

/// Which of a town's lever changes a state lists.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ChangeList {
    /// Every change (`GET /api/state`).
    All,
    /// Only how many there are (`changes_total`): a control's answer, whose cost must not
    /// grow with the changes made before it; the event stream sends the new ones.
    Count,
}

/// The whole state: scenario, status, speeds, the lever table and each town's settings.
pub fn state(s: &Session, list: ChangeList) -> Value {
    // Each lever's control and labels with the registry's kind, range, unit and default.
    let levers: Vec<Value> = LEVERS.iter().map(|l| l.to_json()).collect();
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
        "towns": towns(s, list),
    })
}

/// An update for a page that has been sent `sent`, taken under the session lock and written
/// as JSON after it is released: the days it lacks, each town's settings, the lever changes
/// when there are new ones, and the map. A page that lacks more than [`RECENT_DAYS`] days (a
/// new one, one that fell behind, or any after a reset or a change of mode) gets the whole
/// run thinned instead: the recent days in full and at most [`HISTORY_POINTS`] points before
/// them, so no update grows with the length of the run.
pub fn update(s: &Session, sent: &mut Sent) -> Update {
    let towns = s.towns.len();
    let mut full = sent.generation != s.generation || sent.rows.len() != towns;
    if !full {
        full = s
            .towns
            .iter()
            .zip(&sent.rows)
            .any(|(t, &n)| t.series().len().saturating_sub(n) > RECENT_DAYS);
    }
    if full {
        sent.generation = s.generation;
        sent.rows = vec![0; towns];
        sent.changes = vec![0; towns];
    }
    let towns = s
        .towns
        .iter()
        .zip(TOWN_IDS)
        .enumerate()
        .map(|(i, (town, id))| {
            let series = town.series();
            let (from_day, columns) = if full {
                (1, series.thinned(RECENT_DAYS, HISTORY_POINTS))
            } else {
                (sent.rows[i] + 1, series.since(sent.rows[i]))
            };
            sent.rows[i] = series.len();
            let all = town.changes();
            let changes_from = sent.changes[i].min(all.len());
            let changes = (full || changes_from < all.len()).then(|| all[changes_from..].to_vec());
            sent.changes[i] = all.len();
            TownUpdate {
                id,
                settings: town.settings(),
                changes_from,
                changes,
                from_day,
                days_per_point: columns.days_per_point,
                series: columns,
                map: view::town(town.simulation().world(), MAX_MAP_CASES),
            }
        })
        .collect();
    Update {
        full,
        status: s.status(),
        towns,
    }
}

/// One update of a page's event stream.
#[derive(Serialize)]
pub struct Update {
    full: bool,
    status: Status,
    towns: Vec<TownUpdate>,
}

#[derive(Serialize)]
struct TownUpdate {
    id: &'static str,
    settings: serde_json::Map<String, Value>,
    /// The lever changes from index `changes_from` on (0: every one), when there are ones the
    /// page has not been sent (else left out).
    changes_from: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<Vec<Change>>,
    /// The first day in `series`; 1 means the whole run (thinned when `days_per_point` > 1).
    from_day: usize,
    days_per_point: usize,
    series: Columns,
    map: view::TownView,
}

fn towns(s: &Session, list: ChangeList) -> Vec<Value> {
    s.towns
        .iter()
        .zip(TOWN_IDS)
        .map(|(town, id)| {
            let mut v = json!({
                "id": id,
                "settings": town.settings(),
                "changes_total": town.changes().len(),
            });
            if let (ChangeList::All, Value::Object(m)) = (list, &mut v) {
                m.insert("changes".into(), json!(town.changes()));
            }
            v
        })
        .collect()
}
