//! One town of the dashboard: a run of the loaded scenario with one seed, the lever changes
//! made so far, and every day's row. A lever moved on day d is a timeline entry for day d + 1
//! that names only that field, exactly as in a scenario file; so the scenario as loaded plus
//! those entries, run with the same seed, gives the same rows (what the RON export holds).

use std::sync::{Arc, OnceLock};

use serde::Serialize;
use serde_json::Value;
use towngov::experiment::params::Base;
use towngov::scenario::raw::{RawPolicy, RawReform, RawScenario};
use towngov::scenario::{FieldError, ParamSpec, Scenario, closest, param_specs};
use towngov::sim::{DailyIndicators, SimOptions, Simulation};

use super::levers::{self, Control, LEVERS, Lever};
use super::series::Series;

/// The last day a dashboard run may reach (the longest run a scenario file allows).
pub const MAX_DAY: u32 = 36_500;

/// A lever set to a value from a day on.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// The day it takes effect (the day after the one it was made on).
    pub day: u32,
    pub path: &'static str,
    /// A number, true or false, or the name of a variant.
    pub value: Value,
}

/// Why a lever change was refused.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// The request does not say what it must (HTTP 400).
    Malformed(String),
    /// The value is not one the scenario file allows (HTTP 422).
    Invalid(String),
}

pub struct Town {
    loaded: Arc<RawScenario>,
    seed: u64,
    changes: Vec<Change>,
    /// The raw policy (as JSON) after the scenario's own timeline entries dated up to
    /// `folded_through` and every change, in the order the model applies them. Changes come
    /// in order of day, so a new one only needs this and the entries after it: a lever change
    /// costs the same on day 10 with no changes before it as on day 30,000 after thousands.
    in_force: Value,
    folded_through: u32,
    sim: Simulation,
    rows: Vec<DailyIndicators>,
    series: Series,
}

impl Town {
    /// A new run at day 0 of `loaded` with `changes` on its timeline.
    pub fn start(
        loaded: Arc<RawScenario>,
        seed: u64,
        changes: Vec<Change>,
    ) -> Result<Town, String> {
        let scenario = validated(&augmented(&loaded, &changes)?)?;
        let folded_through = changes.iter().map(|c| c.day).max().unwrap_or(0);
        Ok(Town {
            sim: Simulation::new(&scenario, seed, SimOptions::default()),
            in_force: in_force(&loaded, &changes, folded_through),
            folded_through,
            loaded,
            seed,
            changes,
            rows: Vec::new(),
            series: Series::default(),
        })
    }

    /// Simulates one day; false (and nothing done) at the last day allowed.
    pub fn step(&mut self) -> bool {
        if self.day() >= MAX_DAY {
            return false;
        }
        let row = self.sim.step().clone();
        self.series.push(&row);
        self.rows.push(row);
        true
    }

    /// The plotted indicators, day by day.
    pub fn series(&self) -> &Series {
        &self.series
    }

    pub fn day(&self) -> u32 {
        self.sim.day()
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn rows(&self) -> &[DailyIndicators] {
        &self.rows
    }

    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The days of the scenario's own timeline entries, in order.
    pub fn scenario_reform_days(&self) -> Vec<u32> {
        let mut days: Vec<u32> = self.loaded.timeline.iter().filter_map(|r| r.day).collect();
        days.sort_unstable();
        days.dedup();
        days
    }

    pub fn simulation(&self) -> &Simulation {
        &self.sim
    }

    /// Sets the lever at `path` to `value` from the next day on. Checks and schedules only the
    /// new entry (and the scenario's own entries still to come), never the changes before it.
    pub fn set(&mut self, path: &str, value: &Value) -> Result<(), Refusal> {
        let lever = levers::find(path).ok_or_else(|| unknown_lever(path))?;
        let next = self.day() + 1;
        let base = self.policy_on(next);
        let value = self.checked(lever, value, &base)?;
        let change = Change {
            day: next,
            path: lever.path,
            value,
        };
        // The scenario's entries still to come, which the change must reach too.
        let later: Vec<usize> = (0..self.loaded.timeline.len())
            .filter(|&i| self.loaded.timeline[i].day.is_some_and(|d| d > next))
            .collect();
        let mut raw = (*self.loaded).clone();
        raw.policy = serde_json::from_value(base).map_err(|e| Refusal::Invalid(e.to_string()))?;
        raw.timeline = std::iter::once(Ok(RawReform {
            day: Some(next),
            policy: patch(&change).map_err(Refusal::Invalid)?,
        }))
        .chain(later.iter().map(|&i| Ok(self.loaded.timeline[i].clone())))
        .collect::<Result<_, Refusal>>()?;
        let scenario = Scenario::from_raw(&raw)
            .map_err(|errors| Refusal::Invalid(change_error(&errors, &later, &self.loaded)))?;
        let Some(reform) = scenario.timeline.iter().find(|r| r.day == next) else {
            return Err(Refusal::Invalid("the change was not scheduled".into()));
        };
        let policy = reform.policy.clone();
        self.fold_through(next);
        merge(
            &mut self.in_force,
            serde_json::to_value(&raw.timeline[0].policy).unwrap_or(Value::Null),
        );
        self.changes.push(change);
        if later.is_empty() {
            // The timeline still to come is the scenario's: add the entry to it.
            self.sim.schedule_policy(next, policy);
        } else {
            // The scenario's entries still to come were built without this change: continue
            // the run with the timeline that has it (a saved state restored with new levers).
            self.switch_levers(&scenario, next, policy);
        }
        Ok(())
    }

    /// Continues the run from a copy of itself whose timeline still to come is `scenario`'s
    /// (the policy of each later entry with the changes folded in). As many reforms take
    /// effect on `next` as in a run of the exported file, so `reforms_applied` is the same.
    fn switch_levers(&mut self, scenario: &Scenario, next: u32, policy: towngov::scenario::Policy) {
        let switched = self.sim.save_state().ok().and_then(|bytes| {
            Simulation::from_state(&bytes, Some(scenario), SimOptions::default()).ok()
        });
        match switched {
            Some(mut sim) => {
                let own = self
                    .loaded
                    .timeline
                    .iter()
                    .filter(|r| r.day == Some(next))
                    .count();
                let moved = self.changes.iter().filter(|c| c.day == next).count();
                for _ in 0..own + moved {
                    sim.schedule_policy(next, policy.clone());
                }
                self.sim = sim;
            }
            // A state that cannot be saved: run the days so far again (same rows).
            None => {
                if let Ok(scenario) =
                    augmented(&self.loaded, &self.changes).and_then(|r| validated(&r))
                {
                    let mut sim = Simulation::new(&scenario, self.seed, SimOptions::default());
                    for _ in 0..self.day() {
                        sim.step();
                    }
                    self.sim = sim;
                }
            }
        }
    }

    /// The raw policy in force on `day` (no earlier than the last change's day).
    fn policy_on(&self, day: u32) -> Value {
        let mut policy = self.in_force.clone();
        for reform in own_entries(&self.loaded, self.folded_through, day) {
            merge(
                &mut policy,
                serde_json::to_value(&reform.policy).unwrap_or(Value::Null),
            );
        }
        policy
    }

    /// Folds the scenario's own entries dated up to `day` into `in_force`.
    fn fold_through(&mut self, day: u32) {
        self.in_force = self.policy_on(day);
        self.folded_through = self.folded_through.max(day);
    }

    /// Every lever's value from the next day on, by path.
    pub fn settings(&self) -> serde_json::Map<String, Value> {
        let policy = self.policy_on(self.day() + 1);
        LEVERS
            .iter()
            .map(|l| (l.path.to_string(), value_at(&policy, l.path)))
            .collect()
    }

    /// The same run, continuing independently: same seed, same levers, same days so far.
    pub fn branch(&self) -> Result<Town, String> {
        let copy = self
            .sim
            .save_state()
            .ok()
            .and_then(|bytes| Simulation::from_state(&bytes, None, SimOptions::default()).ok());
        let sim = match copy {
            Some(sim) => sim,
            None => {
                let mut town = Town::start(self.loaded.clone(), self.seed, self.changes.clone())?;
                for _ in 0..self.day() {
                    town.sim.step();
                }
                town.sim
            }
        };
        Ok(Town {
            loaded: self.loaded.clone(),
            seed: self.seed,
            changes: self.changes.clone(),
            in_force: self.in_force.clone(),
            folded_through: self.folded_through,
            sim,
            rows: self.rows.clone(),
            series: self.series.clone(),
        })
    }

    /// A new run from day 0 with `seed`, each lever this run moved set from day 1 to where it
    /// was moved last (unless that is where the scenario has it on day 1). The scenario's own
    /// timeline is not folded in: it applies again on its days.
    pub fn restart(&self, seed: u64) -> Result<Town, String> {
        let mut moved: Vec<(&'static str, &Value)> = Vec::new();
        for c in &self.changes {
            match moved.iter_mut().find(|(p, _)| *p == c.path) {
                Some(m) => m.1 = &c.value,
                None => moved.push((c.path, &c.value)),
            }
        }
        let at_start = in_force(&self.loaded, &[], 1);
        let changes = moved
            .into_iter()
            .filter(|(path, value)| !same(value, &value_at(&at_start, path)))
            .map(|(path, value)| Change {
                day: 1,
                path,
                value: value.clone(),
            })
            .collect();
        Town::start(self.loaded.clone(), seed, changes)
    }

    /// What every row of its `daily.csv` is tagged with.
    pub fn tag(&self) -> towngov::output::RunTag {
        towngov::output::RunTag {
            scenario: self.sim.scenario().name.clone(),
            seed: self.seed,
        }
    }

    /// The scenario as loaded, with this run's seed and days, and a timeline entry per lever
    /// change: a file `towngov run` reproduces this run from.
    pub fn export_ron(&self, origin: &str) -> Result<String, String> {
        let mut raw = augmented(&self.loaded, &self.changes)?;
        raw.seed = Some(self.seed);
        raw.days = Some(self.day().max(1));
        let mut header = format!(
            "// Exported from the towngov classroom dashboard: {origin}, seed {}, {} days,\n",
            self.seed,
            self.day()
        );
        header += &format!(
            "// with {} lever change(s) as timeline entries at the end (each names one field).\n",
            self.changes.len()
        );
        header +=
            "// Reproduce the dashboard's numbers: towngov run THIS_FILE --out DIR (daily.csv)\n";
        super::ron_text::write(&raw, &header)
    }

    /// Checks `value` for `lever` as the scenario file would, against `policy` (the raw policy
    /// in force the day it takes effect); returns it as the scenario file's JSON form.
    fn checked(&self, lever: &Lever, value: &Value, policy: &Value) -> Result<Value, Refusal> {
        let path = lever.path;
        match (lever.control, value) {
            (Control::Choice { choices }, Value::String(s)) => {
                let names: Vec<&str> = choices.iter().map(|c| c.value).collect();
                if names.contains(&s.as_str()) {
                    Ok(value.clone())
                } else {
                    Err(Refusal::Invalid(format!(
                        "`{path}` = \"{s}\": must be one of {}",
                        names.join(", ")
                    )))
                }
            }
            (Control::Choice { choices }, _) => Err(Refusal::Malformed(format!(
                "`{path}` takes one of {} (a string), got {value}",
                choices
                    .iter()
                    .map(|c| c.value)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
            (Control::Switch, Value::Bool(_)) => Ok(value.clone()),
            (Control::Switch, _) => Err(Refusal::Malformed(format!(
                "`{path}` takes true or false, got {value}"
            ))),
            (Control::Slider { .. } | Control::Count { .. }, Value::Number(n)) => {
                let x = n.as_f64().unwrap_or(f64::NAN);
                let kind = lever
                    .kind()
                    .unwrap_or(towngov::experiment::params::Kind::Real);
                let whole = matches!(lever.control, Control::Count { .. });
                if whole && x.fract() != 0.0 {
                    return Err(Refusal::Invalid(format!(
                        "`{path}` = {x}: must be a whole number"
                    )));
                }
                if whole && !(0.0..=u32::MAX as f64).contains(&x) {
                    let range = spec_range(path).replace(" to ", " and ");
                    return Err(Refusal::Invalid(format!(
                        "`{path}` = {x}: must be between {range}, got {x}"
                    )));
                }
                let mut base = (*self.loaded).clone();
                base.policy = serde_json::from_value(policy.clone())
                    .map_err(|e| Refusal::Invalid(e.to_string()))?;
                base.timeline.clear();
                Base::new(&base)
                    .scenario(&[(path, &kind, x)])
                    .map_err(|e| Refusal::Invalid(e.to_string()))?;
                Ok(if whole {
                    Value::from(x as u64)
                } else {
                    Value::from(x)
                })
            }
            (Control::Slider { .. } | Control::Count { .. }, _) => Err(Refusal::Malformed(
                format!("`{path}` takes a number, got {value}"),
            )),
        }
    }
}

fn unknown_lever(path: &str) -> Refusal {
    let paths: Vec<&str> = LEVERS.iter().map(|l| l.path).collect();
    let hint = closest(path, &paths)
        .map(|c| format!("did you mean `{c}`? "))
        .unwrap_or_default();
    Refusal::Malformed(format!(
        "`{path}`: no such lever; {hint}the levers are {}",
        paths.join(", ")
    ))
}

/// The scenario file's parameter table (unit, range, default of every parameter).
pub fn spec(path: &str) -> Option<&'static ParamSpec> {
    static SPECS: OnceLock<Vec<ParamSpec>> = OnceLock::new();
    SPECS
        .get_or_init(param_specs)
        .iter()
        .find(|s| s.path == path)
}

/// The allowed range the scenario file gives for `path` ("0 to 10").
fn spec_range(path: &str) -> String {
    spec(path).map(|s| s.range.clone()).unwrap_or_default()
}

/// The same setting (a whole number and a real one of the same value are the same).
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// `loaded` with one timeline entry per change, after its own entries.
fn augmented(loaded: &RawScenario, changes: &[Change]) -> Result<RawScenario, String> {
    let mut raw = loaded.clone();
    for c in changes {
        raw.timeline.push(RawReform {
            day: Some(c.day),
            policy: patch(c)?,
        });
    }
    Ok(raw)
}

/// `rows` as `towngov run --out` writes `daily.csv`.
pub fn daily_csv(
    tag: &towngov::output::RunTag,
    rows: &[DailyIndicators],
) -> Result<Vec<u8>, String> {
    let mut w = towngov::output::TaggedCsv::new(Vec::new(), tag);
    for row in rows {
        w.write(row).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The scenario's own timeline entries dated after `after` and up to `upto`, in the order the
/// model applies them (by day, then as listed).
fn own_entries(loaded: &RawScenario, after: u32, upto: u32) -> Vec<&RawReform> {
    let mut entries: Vec<&RawReform> = loaded
        .timeline
        .iter()
        .filter(|r| r.day.is_some_and(|d| d > after && d <= upto))
        .collect();
    entries.sort_by_key(|r| r.day);
    entries
}

/// The first error of a lever change checked as a timeline entry (entry 0) followed by the
/// scenario's own entries still to come (`later`, their indices in the scenario file).
fn change_error(errors: &[FieldError], later: &[usize], loaded: &RawScenario) -> String {
    let Some(e) = errors.first() else {
        return "invalid scenario".into();
    };
    let entry = e
        .path
        .strip_prefix("timeline[")
        .and_then(|rest| rest.split_once("]."))
        .and_then(|(i, field)| Some((i.parse::<usize>().ok()?, field)));
    match entry {
        Some((0, field)) => format!("{field}: {}", e.message),
        Some((k, field)) => match later.get(k - 1) {
            Some(&i) => format!(
                "{field}: {} (from day {}, when the scenario's timeline[{i}] applies)",
                e.message,
                loaded.timeline[i].day.unwrap_or(0)
            ),
            None => format!("{}: {}", e.path, e.message),
        },
        None => format!("{}: {}", e.path, e.message),
    }
}

fn validated(raw: &RawScenario) -> Result<Scenario, String> {
    Scenario::from_raw(raw).map_err(|errors| {
        errors
            .first()
            .map(|e| format!("{}: {}", e.path, e.message))
            .unwrap_or_else(|| "invalid scenario".into())
    })
}

/// A raw policy that sets only the change's field.
fn patch(change: &Change) -> Result<RawPolicy, String> {
    let mut policy = serde_json::to_value(RawPolicy::default()).map_err(|e| e.to_string())?;
    let mut node = &mut policy;
    for part in change.path.trim_start_matches("policy.").split('.') {
        node = node
            .get_mut(part)
            .ok_or_else(|| format!("`{}`: no such field", change.path))?;
    }
    *node = change.value.clone();
    serde_json::from_value(policy).map_err(|e| format!("`{}`: {e}", change.path))
}

/// The raw policy in force on `day`: the loaded policy patched by every timeline entry (the
/// scenario's, then the changes) dated `day` or earlier, in the order the model applies them.
fn in_force(loaded: &RawScenario, changes: &[Change], day: u32) -> Value {
    let mut entries: Vec<(u32, usize, RawPolicy)> = loaded
        .timeline
        .iter()
        .map(|r| (r.day.unwrap_or(0), r.policy.clone()))
        .chain(changes.iter().filter_map(|c| Some((c.day, patch(c).ok()?))))
        .enumerate()
        .map(|(i, (d, p))| (d, i, p))
        .collect();
    entries.sort_by_key(|(d, i, _)| (*d, *i));
    let mut policy = serde_json::to_value(&loaded.policy).unwrap_or(Value::Null);
    for (_, _, p) in entries.into_iter().filter(|(d, _, _)| *d <= day) {
        merge(&mut policy, serde_json::to_value(p).unwrap_or(Value::Null));
    }
    policy
}

/// `base` with every field `change` sets replaced (a deep merge of two all-optional trees, as
/// the scenario's timeline merges).
fn merge(base: &mut Value, change: Value) {
    match (base, change) {
        (Value::Object(b), Value::Object(c)) => {
            for (k, cv) in c {
                match b.get_mut(&k) {
                    Some(bv) => merge(bv, cv),
                    None => {
                        b.insert(k, cv);
                    }
                }
            }
        }
        (_, Value::Null) => {}
        (b, c) => *b = c,
    }
}

/// The value at a lever's path in a raw policy, or the parameter's default when unset.
fn value_at(policy: &Value, path: &str) -> Value {
    let mut node = policy;
    for part in path.trim_start_matches("policy.").split('.') {
        node = node.get(part).unwrap_or(&Value::Null);
    }
    if !node.is_null() {
        return node.clone();
    }
    let default = spec(path).map(|s| s.default.as_str()).unwrap_or_default();
    match default {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        text => match text.parse::<f64>() {
            Ok(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Value::from(x as i64),
            Ok(x) => Value::from(x),
            Err(_) => Value::String(text.to_string()),
        },
    }
}
