//! What an option changes against the reference, parameter by parameter: the leaves of the two
//! validated scenarios' serde forms that differ, each with its unit from the parameter registry
//! (`param_specs`), and the option's dated timeline changes, each against the policy in force
//! before it. Plain data for the report, which labels the paths in words.

use serde::Serialize;
use serde_json::Value;

use super::results::{LeverChange, OptionLevers, TimelineEvent};
use crate::scenario::{Scenario, param_specs};

/// Fields that say what a scenario is called, not what it does.
const LABELS: &[&str] = &["name", "description"];

/// The levers of `option` against `reference`: every parameter whose value differs (outside the
/// labels), in the order of the scenario's fields, and the option's timeline.
pub fn option_levers(reference: &Scenario, option: &Scenario) -> OptionLevers {
    let units = Units::new();
    let mut changes = Vec::new();
    let (a, b) = (as_value(reference), as_value(option));
    if let (Value::Object(ma), Value::Object(mb)) = (&a, &b) {
        for (key, vb) in mb {
            if LABELS.contains(&key.as_str()) || key == "timeline" {
                continue;
            }
            let va = ma.get(key).unwrap_or(&Value::Null);
            diff(key, va, vb, &units, &mut changes);
        }
    }
    let mut timeline = Vec::new();
    let mut before = as_value(&option.policy);
    for reform in &option.timeline {
        let now = as_value(&reform.policy);
        let mut ev = Vec::new();
        diff("policy", &before, &now, &units, &mut ev);
        timeline.push(TimelineEvent {
            day: reform.day,
            changes: ev,
        });
        before = now;
    }
    OptionLevers {
        changes,
        timeline,
        reference_timeline_days: reference.timeline.iter().map(|r| r.day).collect(),
    }
}

fn as_value<T: Serialize>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

/// Tables the validated scenario holds as arrays indexed by kind, where the scenario file and
/// the registry name each entry (`town.residents.native`).
const KIND_TABLES: &[(&str, &[&str])] = &[
    (
        "town.residents",
        &["native", "migrant_worker", "employee", "talent"],
    ),
    ("town.enterprises", &["leading", "sme", "startup"]),
    (
        "policy.stewards.team",
        &[
            "industry_association",
            "intermediary",
            "leading_firm",
            "angel_investor",
            "technical_expert",
        ],
    ),
];

/// Each registry path's unit.
struct Units(Vec<(String, &'static str)>);

impl Units {
    fn new() -> Self {
        Units(
            param_specs()
                .into_iter()
                .map(|s| (s.path, s.unit))
                .collect(),
        )
    }

    fn of(&self, path: &str) -> String {
        self.0
            .iter()
            .find(|(p, _)| p == path)
            .map_or(String::new(), |(_, u)| u.to_string())
    }
}

fn diff(path: &str, a: &Value, b: &Value, units: &Units, out: &mut Vec<LeverChange>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(ma), Value::Object(mb)) => {
            for (key, vb) in mb {
                let va = ma.get(key).unwrap_or(&Value::Null);
                diff(&format!("{path}.{key}"), va, vb, units, out);
            }
            for (key, va) in ma {
                if !mb.contains_key(key) {
                    diff(&format!("{path}.{key}"), va, &Value::Null, units, out);
                }
            }
        }
        (Value::Array(xa), Value::Array(xb)) if xa.len() == xb.len() => {
            let names = KIND_TABLES
                .iter()
                .find(|(p, n)| *p == path && n.len() == xa.len())
                .map(|(_, n)| *n);
            for (i, (va, vb)) in xa.iter().zip(xb).enumerate() {
                let at = match names {
                    Some(n) => format!("{path}.{}", n[i]),
                    None => format!("{path}[{i}]"),
                };
                diff(&at, va, vb, units, out);
            }
        }
        // An externally tagged enum whose variant stays: compare its fields.
        (Value::Object(_), _)
        | (_, Value::Object(_))
        | (Value::Array(_), _)
        | (_, Value::Array(_)) => out.push(LeverChange {
            path: path.to_string(),
            unit: units.of(path),
            from: compact(a),
            to: compact(b),
        }),
        _ => out.push(LeverChange {
            path: path.to_string(),
            unit: units.of(path),
            from: a.clone(),
            to: b.clone(),
        }),
    }
}

/// A structured value (a list, a variant with fields) as one line of text.
fn compact(v: &Value) -> Value {
    match v {
        Value::Object(_) | Value::Array(_) => Value::String(v.to_string()),
        _ => v.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;

    const SQ: &str = include_str!("../../scenarios/status_quo.ron");
    const FULL: &str = include_str!("../../scenarios/full_reform.ron");
    const PHASED: &str = include_str!("../../scenarios/phased_rollout.ron");

    #[test]
    fn the_full_reform_lists_its_levers_and_nothing_else() {
        let sq = parse(SQ, "sq").unwrap();
        let full = parse(FULL, "full").unwrap();
        let l = option_levers(&sq, &full);
        let paths: Vec<&str> = l.changes.iter().map(|c| c.path.as_str()).collect();
        assert!(paths.contains(&"policy.committee.mode"), "{paths:?}");
        assert!(paths.contains(&"policy.authority.enabled"), "{paths:?}");
        assert!(
            !paths
                .iter()
                .any(|p| p.starts_with("name") || p.starts_with("description"))
        );
        assert!(paths.iter().all(|p| p.starts_with("policy.")), "{paths:?}");
        let mode = l
            .changes
            .iter()
            .find(|c| c.path == "policy.committee.mode")
            .unwrap();
        assert_eq!(
            (mode.from.as_str(), mode.to.as_str()),
            (Some("Fragmented"), Some("Unified"))
        );
        assert!(l.timeline.is_empty());
        // Kind tables are named as the file names them, with the registry's unit.
        let angel = l
            .changes
            .iter()
            .find(|c| c.path == "policy.stewards.team.angel_investor")
            .unwrap_or_else(|| panic!("{paths:?}"));
        assert_eq!(
            (angel.from.as_f64(), angel.to.as_f64()),
            (Some(0.0), Some(1.0))
        );
        // Against itself: nothing.
        let same = option_levers(&sq, &sq);
        assert!(same.changes.is_empty() && same.timeline.is_empty());
    }

    #[test]
    fn timeline_events_are_against_the_policy_before_them() {
        let sq = parse(SQ, "sq").unwrap();
        let phased = parse(PHASED, "phased").unwrap();
        let l = option_levers(&sq, &phased);
        assert!(!l.timeline.is_empty());
        for ev in &l.timeline {
            assert!(!ev.changes.is_empty(), "day {} changes nothing", ev.day);
            assert!(ev.changes.iter().all(|c| c.from != c.to));
        }
        let days: Vec<u32> = l.timeline.iter().map(|e| e.day).collect();
        assert!(days.windows(2).all(|w| w[0] <= w[1]));
    }
}
