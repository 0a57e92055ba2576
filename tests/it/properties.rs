//! Property tests: random valid scenarios, drawn from every parameter's declared range (the
//! registry of `towngov::scenario::param_specs`, with each parameter's kind from
//! `experiment::params::Base::probe`), in small towns over short horizons, with random
//! timelines of dated reforms. Every day of every case is checked against
//! `invariants::invariants`; a run saved and restored at a random day must give the unbroken
//! run's rows byte for byte.
//!
//! 48 cases by default (`PROPTEST_CASES` sets another number) from a fixed seed, so CI is
//! reproducible; `PROPTEST_RNG_SEED=<n>` draws other cases. A failing case is shrunk, printed as
//! a scenario file, and its seed saved in `tests/proptest-regressions/properties.txt` (commit it:
//! it is replayed first on every later run).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{Map, Value};
use towngov::experiment::params::{Base, Kind};
use towngov::scenario::raw::RawScenario;
use towngov::scenario::{Scenario, param_specs};
use towngov::sim::{DailyIndicators, SimOptions, Simulation};

use crate::invariants::{csv_text, invariants, non_finite};

// ---------------------------------------------------------------------------------------------
// The property.

/// Default number of cases (about 20 s in release on 2 cores); `PROPTEST_CASES` overrides it.
const CASES: u32 = 48;
/// Days of a case.
const MIN_DAYS: u32 = 90;
const MAX_DAYS: u32 = 200;
/// Chance that a parameter is drawn rather than left at its default: each case changes about
/// 30 of the ~250 parameters, so cases differ and the cross-field rules rarely all bite.
const DRAW_PROB: f64 = 0.12;

#[test]
fn random_valid_scenarios_keep_every_invariant() {
    let params = parameters();
    let drawn = AtomicU64::new(0);
    let valid = AtomicU64::new(0);
    let strategy = case_strategy(&params).prop_filter_map("breaks a cross-field rule", |draw| {
        drawn.fetch_add(1, Ordering::Relaxed);
        let case = build(&params, draw);
        valid.fetch_add(case.is_some() as u64, Ordering::Relaxed);
        case
    });
    let mut config = Config {
        source_file: Some(file!()),
        max_shrink_iters: 2000,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = CASES;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(20_261_130);
    }
    let mut runner = TestRunner::new(config);
    if let Err(e) = runner.run(&strategy, |case| check_case(&case)) {
        panic!("{e}");
    }
    let (drawn, valid) = (drawn.into_inner(), valid.into_inner());
    eprintln!(
        "properties: {valid} of {drawn} drawn scenarios were valid ({:.0}%)",
        100.0 * valid as f64 / drawn as f64
    );
    assert!(
        valid * 2 > drawn,
        "most draws should be valid scenarios: {valid} of {drawn}; draw fewer parameters at once"
    );
}

/// Runs the case, checks every day, and compares the restored run with the unbroken one.
fn check_case(case: &Case) -> Result<(), TestCaseError> {
    let mut sim = Simulation::new(&case.scenario, case.seed, SimOptions::default());
    let mut rows: Vec<DailyIndicators> = Vec::with_capacity(case.days as usize);
    let mut saved = None;
    for day in 1..=case.days {
        let row = sim.step().clone();
        let failed = invariants(&row, rows.last());
        if !failed.is_empty() {
            return Err(TestCaseError::fail(format!(
                "day {day}: {}",
                failed.join("; ")
            )));
        }
        rows.push(row);
        if day == case.save_at {
            saved = Some(sim.save_state().map_err(|e| fail("save_state", e))?);
            let failed = non_finite(&sim.totals());
            prop_assert!(
                failed.is_empty(),
                "totals on day {day}: {}",
                failed.join("; ")
            );
        }
    }
    let failed = non_finite(&sim.totals());
    prop_assert!(
        failed.is_empty(),
        "totals at the end: {}",
        failed.join("; ")
    );

    let bytes = saved.expect("save_at is within the run");
    let mut resumed = Simulation::from_state(&bytes, None, SimOptions::default())
        .map_err(|e| fail("from_state", e))?;
    prop_assert_eq!(resumed.day(), case.save_at);
    let rest: Vec<DailyIndicators> = (case.save_at..case.days)
        .map(|_| resumed.step().clone())
        .collect();
    let unbroken = &rows[case.save_at as usize..];
    if csv_text(&rest) != csv_text(unbroken) {
        let day = rest.iter().zip(unbroken).position(|(a, b)| a != b);
        return Err(TestCaseError::fail(format!(
            "restored at day {} the run differs from the unbroken one, first on day {:?}",
            case.save_at,
            day.map(|d| case.save_at as usize + d + 1)
        )));
    }
    Ok(())
}

fn fail(what: &str, e: impl fmt::Display) -> TestCaseError {
    TestCaseError::fail(format!("{what}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Drawing scenarios.

/// Parameters not drawn: the horizon and seed are the case's own, the timeline is drawn
/// separately, and text has no range.
const NOT_DRAWN: &[&str] = &["days", "seed", "timeline", "name", "description"];

/// Upper bounds that keep a case small and fast (first matching prefix wins): at most 2,000
/// residents, a few firms, modest rates. Every other parameter spans its declared range.
const CAPS: &[(&str, f64)] = &[
    ("town.communities", 6.0),
    ("town.grids_per_community", 6.0),
    ("town.parks", 6.0),
    ("town.residents.", 500.0),
    ("town.enterprises.leading", 3.0),
    ("town.enterprises.", 25.0),
    ("needs.need_rate_per_year.", 12.0),
    ("needs.dispute_rate_per_year.", 4.0),
    ("incidents.per_resident_per_year", 1.0),
    ("enterprises.employees.leading", 50.0),
    ("enterprises.employees.sme", 20.0),
    ("enterprises.employees.startup", 10.0),
    ("enterprises.demands_per_year.", 52.0),
    ("enterprises.incidents_per_year", 12.0),
    ("policy.committee.total_staff", 240.0),
    ("policy.grid.workers_per_grid", 10.0),
    ("policy.operator.staff_per_community", 20.0),
    ("policy.mediation.mediators_per_community", 20.0),
];

/// Sections that are an enum variant with fields in the raw scenario, so their parameters
/// cannot be set by path alone (nor by `experiment::params::Base`): (section, variant). A drawn
/// `mean` is written as `thresholds: Normal(mean: .., sd: <its default>)`.
const VARIANT_SECTIONS: &[(&str, &str)] = &[("behaviour.participation.thresholds", "Normal")];

fn in_variant_section(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(section, _)| VARIANT_SECTIONS.iter().any(|v| v.0 == section))
}

/// How many reforms a timeline has at most, and how many levers each changes at most.
const MAX_REFORMS: usize = 3;
const MAX_LEVERS: usize = 4;

/// One parameter as drawn.
#[derive(Clone, Debug)]
struct Param {
    path: String,
    what: Values,
    /// The registry's default, as text.
    default: String,
}

#[derive(Clone, Debug)]
enum Values {
    Number { kind: Kind, lo: f64, hi: f64 },
    Choice(Vec<String>),
}

/// Every parameter of the registry, with its range (capped) and kind.
fn parameters() -> Vec<Param> {
    let base = Base::new(&RawScenario::default());
    let mut out = Vec::new();
    for spec in param_specs() {
        if NOT_DRAWN.contains(&spec.path.as_str()) {
            continue;
        }
        let what = if spec.range == "true, false" {
            Values::Number {
                kind: Kind::Flag,
                lo: 0.0,
                hi: 1.0,
            }
        } else if let Some((lo, hi)) = spec.range.split_once(" to ") {
            let number = |s: &str| {
                s.parse::<f64>()
                    .unwrap_or_else(|_| panic!("{}: range {:?}", spec.path, spec.range))
            };
            let cap = CAPS
                .iter()
                .find(|(prefix, _)| spec.path.starts_with(prefix))
                .map_or(f64::INFINITY, |c| c.1);
            let kind = match base.probe(&spec.path) {
                Ok(kind) => kind,
                Err(_) if in_variant_section(&spec.path) => Kind::Real,
                Err(e) => panic!("{}: {e}", spec.path),
            };
            Values::Number {
                kind,
                lo: number(lo),
                hi: number(hi).min(cap),
            }
        } else if spec.range.contains(", ") {
            Values::Choice(spec.range.split(", ").map(str::to_string).collect())
        } else {
            panic!(
                "{}: range {:?} is neither numbers, a flag nor a choice: teach parameters() it, \
                 or add the path to NOT_DRAWN",
                spec.path, spec.range
            );
        };
        out.push(Param {
            path: spec.path,
            what,
            default: spec.default,
        });
    }
    out
}

/// What the strategy draws: positions in [0, 1] within each parameter's range.
#[derive(Clone, Debug)]
struct Draw {
    seed: u64,
    days: u32,
    save_at: f64,
    /// One per parameter: None keeps the default.
    values: Vec<Option<f64>>,
    /// (day as a share of the run, [(index among the policy parameters, position)]).
    timeline: Vec<(f64, Vec<(usize, f64)>)>,
}

/// A position in [0, 1], with the ends drawn often: edges are where bugs live.
fn position() -> impl Strategy<Value = f64> + Clone {
    prop_oneof![1 => Just(0.0), 1 => Just(1.0), 4 => 0.0..=1.0]
}

fn case_strategy(params: &[Param]) -> impl Strategy<Value = Draw> + use<> {
    let values: Vec<_> = params
        .iter()
        .map(|_| proptest::option::weighted(DRAW_PROB, position()))
        .collect();
    let n_policy = params
        .iter()
        .filter(|p| p.path.starts_with("policy."))
        .count();
    let lever = (0..n_policy, position());
    let reform = (0.0..1.0, prop::collection::vec(lever, 1..=MAX_LEVERS));
    (
        any::<u64>(),
        MIN_DAYS..=MAX_DAYS,
        0.0..1.0,
        values,
        prop::collection::vec(reform, 0..=MAX_REFORMS),
    )
        .prop_map(|(seed, days, save_at, values, timeline)| Draw {
            seed,
            days,
            save_at,
            values,
            timeline,
        })
}

/// A drawn case made into a validated scenario.
struct Case {
    seed: u64,
    days: u32,
    save_at: u32,
    /// The scenario as a RON file, for the failure message.
    text: String,
    scenario: Scenario,
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "seed {}, {} days, saved and restored after day {}, scenario:\n{}\n",
            self.seed, self.days, self.save_at, self.text
        )
    }
}

/// The validated scenario of a draw, or None if it breaks a cross-field rule.
fn build(params: &[Param], draw: Draw) -> Option<Case> {
    let mut raw = Map::new();
    raw.insert("days".into(), Value::from(draw.days));
    for (p, x) in params.iter().zip(&draw.values) {
        if let Some(x) = x {
            set(&mut raw, &p.path, value(p, *x));
        }
    }
    let policy: Vec<&Param> = params
        .iter()
        .filter(|p| p.path.starts_with("policy."))
        .collect();
    let mut timeline = Vec::new();
    for (when, levers) in &draw.timeline {
        let day = 1 + (when * draw.days as f64) as u32;
        let mut entry = Map::new();
        entry.insert("day".into(), Value::from(day.min(draw.days)));
        for &(i, x) in levers {
            set(&mut entry, &policy[i].path, value(policy[i], x));
        }
        timeline.push(Value::Object(entry));
    }
    raw.insert("timeline".into(), Value::Array(timeline));
    for (section, variant) in VARIANT_SECTIONS {
        let (parent, name) = section.rsplit_once('.').expect("a dotted path");
        let parent = parent
            .split('.')
            .try_fold(&mut raw, |node, s| node.get_mut(s)?.as_object_mut());
        if let Some(drawn) = parent.and_then(|p| p.remove(name)) {
            // The variant needs all its fields: those not drawn take their defaults.
            let mut whole = Map::new();
            for p in params
                .iter()
                .filter(|p| p.path.starts_with(&format!("{section}.")))
            {
                let field = &p.path[section.len() + 1..];
                let default = || Value::from(p.default.parse::<f64>().expect("a number"));
                whole.insert(
                    field.to_string(),
                    drawn.get(field).cloned().unwrap_or_else(default),
                );
            }
            set(
                &mut raw,
                section,
                Value::Object(Map::from_iter([(
                    variant.to_string(),
                    Value::Object(whole),
                )])),
            );
        }
    }
    let raw = Value::Object(raw);
    let parsed: RawScenario = serde_json::from_value(raw.clone())
        .unwrap_or_else(|e| panic!("a drawn scenario does not fit the raw structs: {e}\n{raw}"));
    let scenario = Scenario::from_raw(&parsed).ok()?;
    Some(Case {
        seed: draw.seed,
        days: draw.days,
        save_at: 1 + (draw.save_at * (draw.days - 1) as f64) as u32,
        text: ron_text(&raw),
        scenario,
    })
}

/// The value at `position` (0 to 1) within a parameter's range, as the raw scenario holds it.
fn value(p: &Param, position: f64) -> Value {
    match &p.what {
        Values::Number { kind, lo, hi } => {
            let x = kind.value(lo + position * (hi - lo));
            match kind {
                Kind::Real => Value::from(x),
                Kind::Whole => Value::from(x as i64),
                Kind::Flag => Value::Bool(x > 0.5),
                Kind::Choice(_) => unreachable!("choices are drawn as Values::Choice"),
            }
        }
        Values::Choice(names) => {
            let i = ((position * names.len() as f64) as usize).min(names.len() - 1);
            Value::String(names[i].clone())
        }
    }
}

/// Sets `path` (dotted) in a sparse raw scenario, creating the sections on the way.
fn set(root: &mut Map<String, Value>, path: &str, value: Value) {
    let (sections, leaf) = match path.rsplit_once('.') {
        Some((s, l)) => (s.split('.').collect::<Vec<_>>(), l),
        None => (Vec::new(), path),
    };
    let mut node = root;
    for s in sections {
        node = node
            .entry(s)
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .expect("a section");
    }
    node.insert(leaf.to_string(), value);
}

/// A sparse raw scenario as a RON file (`towngov run` reads it): strings are enum variants.
fn ron_text(v: &Value) -> String {
    match v {
        // An enum variant with fields, as serde_json writes it: {"Normal": {..}}.
        Value::Object(m) if m.len() == 1 && m.keys().all(|k| k.starts_with(char::is_uppercase)) => {
            let (variant, fields) = m.iter().next().expect("one key");
            format!("{variant}{}", ron_text(fields))
        }
        Value::Object(m) => {
            let fields: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{k}: {}", ron_text(v)))
                .collect();
            format!("({})", fields.join(", "))
        }
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(ron_text).collect();
            format!("[{}]", items.join(", "))
        }
        Value::String(s) => s.clone(),
        Value::Number(n) if n.is_f64() => format!("{:?}", n.as_f64().expect("a number")),
        other => other.to_string(),
    }
}

#[test]
fn every_parameter_of_the_registry_is_drawn() {
    let params = parameters();
    let drawable = param_specs().len() - NOT_DRAWN.len();
    assert_eq!(
        params.len(),
        drawable,
        "parameters() skipped some of the registry"
    );
    // The caps keep a case small: they must name real parameters.
    for (prefix, _) in CAPS {
        assert!(
            params.iter().any(|p| p.path.starts_with(prefix)),
            "CAPS has `{prefix}`, which starts no parameter's path"
        );
    }
    let n_residents: f64 = params
        .iter()
        .filter_map(|p| match (&p.what, p.path.starts_with("town.residents.")) {
            (Values::Number { hi, .. }, true) => Some(*hi),
            _ => None,
        })
        .sum();
    assert!(
        n_residents <= 2000.0,
        "cases may have {n_residents} residents"
    );
}

#[test]
fn a_drawn_variant_field_takes_its_siblings_defaults() {
    let params = parameters();
    let mut values = vec![None; params.len()];
    let mean = params
        .iter()
        .position(|p| p.path == "behaviour.participation.thresholds.mean")
        .expect("the parameter");
    values[mean] = Some(0.5);
    let draw = Draw {
        seed: 1,
        days: 90,
        save_at: 0.5,
        values,
        timeline: vec![(0.5, vec![(0, 1.0)])],
    };
    let case = build(&params, draw).expect("a valid scenario");
    assert!(
        case.text
            .contains("thresholds: Normal(mean: 0.5, sd: 0.35)"),
        "{}",
        case.text
    );
    assert_eq!((case.save_at, case.scenario.timeline[0].day), (45, 46));
}
