//! What must hold of every day's row: the one list of invariants the property tests
//! (`properties.rs`) check every day of random scenarios. Extend it here when the model gains a
//! field or a way for a case to end.
//!
//! Every check reads the row by its field names (through the CSV serializer that writes
//! `daily.csv`; serde_json would turn a NaN into `null` and hide it), so a new field of
//! `DailyIndicators` is checked as soon as it exists: a `_total` counter for monotony, every
//! number for NaN and infinity, and a share-like name must be added to `SHARE_FIELDS`.

use serde::Serialize;
use towngov::sim::DailyIndicators;

// ---------------------------------------------------------------------------------------------
// The invariants: the one place to extend.

/// Case conservation: every case created has ended one way or another, or is still open.
/// When a new ending appears (a new `_total` of ended cases), add it here.
pub fn conservation(row: &DailyIndicators) -> Result<(), String> {
    let ended = row.resolved_total + row.dropped_total;
    if row.closed != row.resolved + row.dropped {
        return Err(format!(
            "conservation: closed {} != resolved {} + dropped {} today",
            row.closed, row.resolved, row.dropped
        ));
    }
    let by_kind = row.needs_created
        + row.disputes_created
        + row.incidents_created
        + row.enterprise_demands_created;
    if row.created != by_kind {
        return Err(format!(
            "created {} != needs {} + disputes {} + incidents {} + enterprise demands {}",
            row.created,
            row.needs_created,
            row.disputes_created,
            row.incidents_created,
            row.enterprise_demands_created
        ));
    }
    if row.open_past_deadline > row.open {
        return Err(format!(
            "open_past_deadline {} > open {}",
            row.open_past_deadline, row.open
        ));
    }
    if row.created_total == ended + row.open {
        Ok(())
    } else {
        Err(format!(
            "conservation: created_total {} != resolved_total {} + dropped_total {} + open {}",
            row.created_total, row.resolved_total, row.dropped_total, row.open
        ))
    }
}

/// Fields that are shares or probabilities, in [0, 1] whenever they have a value. A `*` stands
/// for any text (`trust_*` is every trust figure).
pub const SHARE_FIELDS: &[&str] = &[
    "satisfaction_*",
    "trust_*",
    "efficacy_mean",
    "*_rate",
    "*_share",
    "*_prob",
    "need_supply_match",
    "vulnerable_coverage",
    "election_turnout",
    "council_strength_mean",
    "volunteering_rate",
    "stickiness_mean",
    "policy_awareness_mean",
    "grid_discovery_prob",
    "report_propensity_mean",
    "participation_rate",
    "grid_ledger_hours_share",
    "deep_enterprise_share",
];

/// Words that make a field look like a share: such a field must match `SHARE_FIELDS` or be
/// listed in `NOT_SHARES` with the reason it can leave [0, 1].
const SHARE_WORDS: &[&str] = &[
    "share",
    "rate",
    "prob",
    "coverage",
    "turnout",
    "propensity",
    "awareness",
    "stickiness",
    "efficacy",
    "satisfaction",
    "trust",
    "match",
    "strength",
];

/// (field, why it is not a share although its name looks like one).
const NOT_SHARES: &[(&str, &str)] = &[];

/// Checks that fail today because of a model bug, skipped until it is fixed: (field, reason).
/// The lead empties this list as the model is rewritten; an entry whose field is gone fails.
pub const KNOWN_MODEL_BUGS: &[(&str, &str)] = &[];

/// Every check of one day's row, given the day before (None on the first day).
pub fn invariants(row: &DailyIndicators, before: Option<&DailyIndicators>) -> Vec<String> {
    let mut failed = Vec::new();
    if let Err(e) = conservation(row) {
        failed.push(e);
    }
    let values = named_values(row);
    let earlier = before.map(named_values);
    for (i, (name, value)) in values.iter().enumerate() {
        if KNOWN_MODEL_BUGS.iter().any(|(f, _)| f == name) {
            continue;
        }
        let Some(x) = value else { continue };
        if !x.is_finite() {
            failed.push(format!("{name} is {x}"));
        } else if is_share(name) && !(0.0..=1.0).contains(x) {
            failed.push(format!("{name} = {x} is outside [0, 1]"));
        }
        let is_total = name.ends_with("_total") || name.contains("_total_");
        if let (true, Some(earlier)) = (is_total, &earlier)
            && let (_, Some(y)) = &earlier[i]
            && x < y
        {
            failed.push(format!("{name} went down from {y} to {x}"));
        }
    }
    failed
}

/// Numbers that are not finite anywhere in a serialized value (the run totals, with nested
/// sections), named by the field they are in.
pub fn non_finite<T: Serialize>(value: &T) -> Vec<String> {
    // RON writes NaN and infinities as `NaN`, `inf`, `-inf`, each after `name:` or `Some(`.
    let text = ron::to_string(value).expect("serializes to RON");
    let mut failed = Vec::new();
    let mut name = "";
    for piece in text.split([',', '(', ')', '[', ']']) {
        let (field, value) = match piece.split_once(':') {
            Some((f, v)) => (Some(f.trim()), v.trim()),
            None => (None, piece.trim()),
        };
        if let Some(f) = field {
            name = f;
        }
        if matches!(value, "NaN" | "inf" | "-inf") {
            failed.push(format!("{name} is {value}"));
        }
    }
    failed
}

// ---------------------------------------------------------------------------------------------
// Reading rows by name.

/// Each field of a flat row with its number (None when empty; NaN and infinities kept), in
/// column order, read back from the CSV text that `daily.csv` would hold.
fn named_values<T: Serialize>(row: &T) -> Vec<(String, Option<f64>)> {
    let text = csv_text(std::slice::from_ref(row));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let names = reader.headers().expect("a header").clone();
    let record = reader.records().next().expect("one row").expect("a record");
    names
        .iter()
        .zip(record.iter())
        .map(|(name, cell)| (name.to_string(), cell.parse::<f64>().ok()))
        .collect()
}

pub fn csv_text<T: Serialize>(rows: &[T]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).expect("a row serializes");
    }
    String::from_utf8(w.into_inner().expect("flush")).expect("UTF-8")
}

/// Whether `name` matches a pattern of `SHARE_FIELDS`.
pub fn is_share(name: &str) -> bool {
    SHARE_FIELDS.iter().any(|p| matches_pattern(p, name))
}

fn matches_pattern(pattern: &str, name: &str) -> bool {
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(suffix), _) => name.ends_with(suffix),
        (_, Some(prefix)) => name.starts_with(prefix),
        _ => name == pattern,
    }
}

fn field_names() -> Vec<String> {
    named_values(&DailyIndicators::default())
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The lists stay true, and the checks can fail.

#[test]
fn every_share_like_field_is_checked_as_a_share() {
    let names = field_names();
    let unlisted: Vec<&String> = names
        .iter()
        .filter(|n| n.split('_').any(|w| SHARE_WORDS.contains(&w)))
        .filter(|n| !is_share(n) && !NOT_SHARES.iter().any(|(f, _)| f == n))
        .collect();
    assert!(
        unlisted.is_empty(),
        "these fields look like shares: add them to SHARE_FIELDS, or to NOT_SHARES with the \
         reason they can leave [0, 1]: {unlisted:?}"
    );
    for pattern in SHARE_FIELDS {
        assert!(
            names.iter().any(|n| matches_pattern(pattern, n)),
            "SHARE_FIELDS has `{pattern}`, which matches no field of DailyIndicators"
        );
    }
    for (field, _) in NOT_SHARES.iter().chain(KNOWN_MODEL_BUGS) {
        assert!(
            names.iter().any(|n| n == field),
            "`{field}` is listed but is not a field of DailyIndicators any more"
        );
    }
}

#[test]
fn the_invariants_catch_broken_rows() {
    let good = DailyIndicators {
        day: 2,
        created_total: 10,
        resolved_total: 6,
        dropped_total: 1,
        open: 3,
        satisfaction_mean: 0.5,
        tax_total_yuan: 100.0,
        ..Default::default()
    };
    assert_eq!(invariants(&good, Some(&good)), Vec::<String>::new());
    let broken: [(&str, DailyIndicators); 5] = [
        (
            "conservation",
            DailyIndicators {
                open: 4,
                ..good.clone()
            },
        ),
        (
            "satisfaction_mean",
            DailyIndicators {
                satisfaction_mean: 1.5,
                ..good.clone()
            },
        ),
        (
            "on_time_share",
            DailyIndicators {
                on_time_share: Some(-0.1),
                ..good.clone()
            },
        ),
        (
            "trust_mean",
            DailyIndicators {
                trust_mean: f64::NAN,
                ..good.clone()
            },
        ),
        (
            "cost_yuan",
            DailyIndicators {
                cost_yuan: f64::INFINITY,
                ..good.clone()
            },
        ),
    ];
    for (what, row) in broken {
        let failed = invariants(&row, None);
        assert!(
            failed.iter().any(|f| f.contains(what)),
            "{what} not caught: {failed:?}"
        );
    }
    let fell = DailyIndicators {
        tax_total_yuan: 50.0,
        ..good.clone()
    };
    let failed = invariants(&fell, Some(&good));
    assert!(
        failed
            .iter()
            .any(|f| f.contains("tax_total_yuan went down")),
        "{failed:?}"
    );
    let totals = towngov::sim::RunTotals {
        open_mean: f64::NAN,
        on_time_share: Some(f64::NEG_INFINITY),
        ..Default::default()
    };
    assert_eq!(
        non_finite(&totals),
        vec!["open_mean is NaN", "on_time_share is -inf"]
    );
}
