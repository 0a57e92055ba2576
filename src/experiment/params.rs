//! Scenario parameters named by their path in the scenario file (`policy.stewards.size`),
//! set on a base scenario to make the scenario of one design point. A value is set on the
//! typed raw scenario ([`crate::scenario::raw_path`]: a few microseconds a point) and goes
//! through the same stage-two validation as a scenario file, so an out-of-range value is
//! reported with the field's allowed range, and a rule across fields (the steward team's size)
//! is checked on the whole scenario.

use serde_json::Value;

use crate::scenario::raw::{RawScenario, RawThresholds};
use crate::scenario::raw_path::{Leaf, SetError, SetPath};
use crate::scenario::{
    Domain, ParamSpec, Scenario, closest, fmt_real, param_specs, param_specs_of,
};

/// Why a parameter could not be set.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ParamError {
    #[error("`{path}`: no such parameter{hint}")]
    Unknown { path: String, hint: String },
    #[error("`{path}`{}: {message}", shown(*.value))]
    Invalid {
        path: String,
        value: f64,
        message: String,
    },
}

/// " = value" when the value is known (an error on a field not varied has none).
fn shown(value: f64) -> String {
    if value.is_nan() {
        String::new()
    } else {
        format!(" = {value}")
    }
}

/// What kind of value a parameter takes: designs work in reals and convert.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Kind {
    Real,
    /// A count: design values are rounded to the nearest whole number.
    Whole,
    /// On or off: a design value of 0.5 or more is on.
    Flag,
    /// One of the named variants: a design value is the variant's index (0 for the first),
    /// rounded down and kept within the list.
    Choice(Vec<&'static str>),
}

impl Kind {
    /// The kind of a registry domain; none for text and lists, which designs do not set.
    pub fn of(domain: &Domain) -> Option<Kind> {
        match domain {
            Domain::Real { .. } => Some(Kind::Real),
            Domain::Whole { .. } => Some(Kind::Whole),
            Domain::Flag => Some(Kind::Flag),
            Domain::Choice { variants } => Some(Kind::Choice(variants.clone())),
            Domain::Text { .. } | Domain::List { .. } => None,
        }
    }

    /// The value a design's real number `x` stands for.
    pub fn value(&self, x: f64) -> f64 {
        match self {
            Kind::Real => x,
            Kind::Whole => x.round(),
            Kind::Flag => (x >= 0.5) as u8 as f64,
            Kind::Choice(variants) => choice_index(x, variants.len()) as f64,
        }
    }

    /// The value as a person writes it: `0.3`, `4`, `true`, `Unified`.
    pub fn show(&self, x: f64) -> String {
        match self {
            Kind::Flag => (x >= 0.5).to_string(),
            Kind::Choice(variants) => variants
                .get(choice_index(x, variants.len()))
                .map(|v| v.to_string())
                .unwrap_or_default(),
            Kind::Real | Kind::Whole => format!("{}", self.value(x)),
        }
    }

    /// The index of the variant called `name`.
    pub fn variant(&self, name: &str) -> Option<usize> {
        match self {
            Kind::Choice(variants) => variants.iter().position(|v| *v == name),
            _ => None,
        }
    }

    /// The value `x` as the scenario file would spell it; none when it cannot be written
    /// (not finite, or a whole number beyond 9e15).
    fn leaf(&self, x: f64) -> Option<Leaf<'static>> {
        match self {
            Kind::Real if x.is_finite() => Some(Leaf::Real(x)),
            Kind::Whole if x.is_finite() && x.abs() < 9.0e15 => Some(Leaf::Whole(x.round() as i64)),
            Kind::Real | Kind::Whole => None,
            Kind::Flag => Some(Leaf::Flag(x >= 0.5)),
            Kind::Choice(variants) if x.is_finite() => variants
                .get(choice_index(x, variants.len()))
                .map(|&v| Leaf::Name(v)),
            Kind::Choice(_) => None,
        }
    }

    #[cfg(test)]
    fn json(&self, x: f64) -> Option<Value> {
        match self {
            Kind::Real => serde_json::Number::from_f64(x).map(Value::Number),
            Kind::Whole if x.is_finite() && x.abs() < 9.0e15 => Some(Value::from(x.round() as i64)),
            Kind::Whole => None,
            Kind::Flag => Some(Value::Bool(x >= 0.5)),
            Kind::Choice(variants) if x.is_finite() => variants
                .get(choice_index(x, variants.len()))
                .map(|v| Value::String(v.to_string())),
            Kind::Choice(_) => None,
        }
    }
}

/// The variant a design value `x` picks among `n`: its whole part, kept within 0..n. A unit
/// value `u` in [0, 1) maps to variants with equal weight through `u * n`.
pub fn choice_index(x: f64, n: usize) -> usize {
    if n == 0 || x.is_nan() || x < 0.0 {
        return 0;
    }
    (x.floor() as usize).min(n - 1)
}

/// A base scenario whose parameters can be set by path.
#[derive(Clone, Debug)]
pub struct Base {
    /// The base as written, typed: design points are set on a copy of it.
    typed: RawScenario,
    /// The base in serde's JSON view, to look values and section names up by path.
    raw: Value,
    /// The base's own parameter list (its threshold variant's fields).
    specs: Vec<ParamSpec>,
    /// The registry's defaults of Normal thresholds, for a base that leaves them out.
    normal_thresholds: (f64, f64),
}

/// An externally tagged enum in the scenario file whose fields are parameters of their own:
/// `behaviour.participation.thresholds.mean` is `thresholds: Normal(mean: .., sd: ..)`. When the
/// base leaves the section out, setting a field writes the default variant with every other
/// field at its registry default.
const TAGGED: &[(&str, &str, &[&str])] = &[(
    "behaviour.participation.thresholds",
    "Normal",
    &["mean", "sd"],
)];

impl Base {
    pub fn new(raw: &RawScenario) -> Self {
        let registry = param_specs();
        let default = |path: &str| {
            registry
                .iter()
                .find(|s| s.path == path)
                .and_then(|s| s.default.parse().ok())
                .unwrap_or(0.0)
        };
        Base {
            typed: raw.clone(),
            raw: serde_json::to_value(raw).unwrap_or(Value::Null),
            specs: param_specs_of(raw),
            normal_thresholds: (
                default("behaviour.participation.thresholds.mean"),
                default("behaviour.participation.thresholds.sd"),
            ),
        }
    }

    /// The base's registry entry for `path`.
    pub fn spec(&self, path: &str) -> Option<&ParamSpec> {
        self.specs.iter().find(|s| s.path == path)
    }

    /// Checks that `path` names a parameter designs can set (a number, a flag or a choice) and
    /// says which kind.
    pub fn probe(&self, path: &str) -> Result<Kind, ParamError> {
        if let Some(spec) = self.spec(path) {
            return Kind::of(&spec.domain).ok_or_else(|| ParamError::Unknown {
                path: path.to_string(),
                hint: format!(
                    " that a design can set (it is {}; designs set numbers, flags and choices)",
                    spec.range
                ),
            });
        }
        if param_specs().iter().any(|s| s.path == path) {
            return Err(self.not_applicable(path));
        }
        let mut v = self.raw.clone();
        set(&mut v, path, Value::Null)?;
        Err(ParamError::Unknown {
            path: path.to_string(),
            hint: String::new(),
        })
    }

    /// The base's value of `path` as a design value (a flag 0 or 1, a choice its variant's
    /// index), the registry default where the file leaves it out.
    pub fn current(&self, path: &str) -> Option<f64> {
        let kind = self.probe(path).ok()?;
        let as_design = |value: &Value| match value {
            Value::Number(n) => n.as_f64(),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::String(s) => kind.variant(s).map(|i| i as f64),
            _ => None,
        };
        let mut v = self.raw.clone();
        let found = self
            .json_path(&mut v, path)
            .ok()
            .and_then(|target| lookup(&v, &target).and_then(as_design));
        found.or_else(|| {
            let default = &self.spec(path)?.default;
            match kind {
                Kind::Flag => Some(f64::from(u8::from(default == "true"))),
                Kind::Choice(_) => kind.variant(default).map(|i| i as f64),
                _ => default.parse().ok(),
            }
        })
    }

    fn not_applicable(&self, path: &str) -> ParamError {
        let (section, field) = path.rsplit_once('.').unwrap_or(("", path));
        let variant = lookup(&self.raw, section)
            .and_then(Value::as_object)
            .and_then(|m| m.keys().next().cloned())
            .unwrap_or_default();
        ParamError::Invalid {
            path: path.to_string(),
            value: f64::NAN,
            message: format!(
                "the base scenario's `{section}` is {variant}, which has no `{field}` (set the fields of {variant}, or make the base Normal)"
            ),
        }
    }

    /// The validated scenario with each `(path, kind, value)` set.
    pub fn scenario(&self, values: &[(&str, &Kind, f64)]) -> Result<Scenario, ParamError> {
        let mut raw = self.typed.clone();
        for &(path, kind, x) in values {
            self.set(&mut raw, path, kind, x)?;
        }
        validated(&raw, values)
    }

    /// Sets `path` to the design value `x` on a copy of the base's raw scenario.
    fn set(
        &self,
        raw: &mut RawScenario,
        path: &str,
        kind: &Kind,
        x: f64,
    ) -> Result<(), ParamError> {
        let leaf = kind.leaf(x).ok_or_else(|| ParamError::Invalid {
            path: path.to_string(),
            value: x,
            message: "must be a finite number".into(),
        })?;
        // A Normal field of thresholds the base left out: the default variant, with the
        // registry's defaults for the field not set.
        let thresholds = &mut raw.behaviour.participation.thresholds;
        if thresholds.is_none()
            && matches!(
                path,
                "behaviour.participation.thresholds.mean" | "behaviour.participation.thresholds.sd"
            )
        {
            let (mean, sd) = self.normal_thresholds;
            *thresholds = Some(RawThresholds::Normal { mean, sd });
        }
        raw.set_path(path, leaf).map_err(|e| match e {
            SetError::NotApplicable => self.not_applicable(path),
            SetError::NoField => self.probe(path).err().unwrap_or(ParamError::Unknown {
                path: path.to_string(),
                hint: String::new(),
            }),
            SetError::Type(message) => match self.spec(path).map(|s| &s.domain) {
                // A whole number out of its type's range (a negative count): the field's range.
                Some(Domain::Whole { low, high }) => ParamError::Invalid {
                    path: path.to_string(),
                    value: kind.value(x),
                    message: format!(
                        "must be between {} and {}, got {}",
                        fmt_real(*low),
                        fmt_real(*high),
                        fmt_real(kind.value(x))
                    ),
                },
                _ => ParamError::Unknown {
                    path: path.to_string(),
                    hint: format!(" of this kind ({message})"),
                },
            },
        })
    }

    /// The scenario through the JSON view of the whole file: how values were set before the
    /// typed setter, kept as the reference the setter is tested against.
    #[cfg(test)]
    fn scenario_via_json(&self, values: &[(&str, &Kind, f64)]) -> Result<Scenario, ParamError> {
        let mut v = self.raw.clone();
        for (path, kind, x) in values {
            let json = kind.json(*x).ok_or_else(|| ParamError::Invalid {
                path: path.to_string(),
                value: *x,
                message: "must be a finite number".into(),
            })?;
            let target = self.json_path(&mut v, path)?;
            set(&mut v, &target, json)?;
        }
        let raw: RawScenario = serde_json::from_value(v).map_err(|e| ParamError::Unknown {
            path: values
                .iter()
                .map(|(p, _, _)| *p)
                .collect::<Vec<_>>()
                .join(", "),
            hint: format!(" of this kind ({e})"),
        })?;
        validated(&raw, values)
    }

    /// The path in the serde view: a field of a tagged enum goes through its variant
    /// (`thresholds.mean` is `thresholds.Normal.mean`); a section the base left out gets the
    /// default variant with the registry's defaults.
    fn json_path(&self, v: &mut Value, path: &str) -> Result<String, ParamError> {
        let Some((section, field)) = path.rsplit_once('.') else {
            return Ok(path.to_string());
        };
        let Some(&(_, default_variant, fields)) = TAGGED.iter().find(|t| t.0 == section) else {
            return Ok(path.to_string());
        };
        if lookup(v, section).is_none_or(Value::is_null) {
            if !fields.contains(&field) {
                return Ok(path.to_string());
            }
            let mut inner = serde_json::Map::new();
            for f in fields {
                let p = format!("{section}.{f}");
                let x: f64 = param_specs()
                    .iter()
                    .find(|s| s.path == p)
                    .and_then(|s| s.default.parse().ok())
                    .unwrap_or(0.0);
                inner.insert(f.to_string(), Value::from(x));
            }
            let mut tagged = serde_json::Map::new();
            tagged.insert(default_variant.to_string(), Value::Object(inner));
            set(v, section, Value::Object(tagged))?;
        }
        let variant = lookup(v, section)
            .and_then(Value::as_object)
            .and_then(|m| m.iter().next())
            .map(|(k, inner)| (k.clone(), inner.get(field).is_some()));
        match variant {
            Some((k, true)) => Ok(format!("{section}.{k}.{field}")),
            _ => Err(self.not_applicable(path)),
        }
    }
}

/// Stage two on a raw scenario with design values set; the first error, with the value of
/// the varied parameter it names.
fn validated(raw: &RawScenario, values: &[(&str, &Kind, f64)]) -> Result<Scenario, ParamError> {
    Scenario::from_raw(raw).map_err(|errors| {
        let e = &errors[0];
        let value = values
            .iter()
            .find(|(p, _, _)| *p == e.path)
            .map(|(_, k, x)| k.value(*x))
            .unwrap_or(f64::NAN);
        ParamError::Invalid {
            path: e.path.clone(),
            value,
            message: e.message.clone(),
        }
    })
}

/// The value at a dotted path, if every part is there.
fn lookup<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(root, |node, part| node.get(part))
}

/// Sets the value at `path`, creating the sections a base file left out.
fn set(root: &mut Value, path: &str, number: Value) -> Result<(), ParamError> {
    let unknown = |hint: String| ParamError::Unknown {
        path: path.to_string(),
        hint,
    };
    let mut node = root;
    let parts: Vec<&str> = path.split('.').collect();
    for (i, part) in parts.iter().enumerate() {
        if node.is_null() {
            *node = Value::Object(serde_json::Map::new());
        }
        let Value::Object(map) = node else {
            return Err(unknown(format!(
                " (`{}` is not a section)",
                parts[..i].join(".")
            )));
        };
        if !map.contains_key(*part) {
            let keys: Vec<&str> = map.keys().map(String::as_str).collect();
            let hint = closest(part, &keys)
                .map(|c| format!(", did you mean `{c}`?"))
                .unwrap_or_default();
            return Err(unknown(hint));
        }
        let child = map.get_mut(*part).expect("checked");
        if i + 1 < parts.len() {
            node = child;
            continue;
        }
        if let Value::Object(fields) = child {
            let keys: Vec<&str> = fields.keys().map(String::as_str).collect();
            return Err(unknown(format!(
                " (`{path}` is a section; name one of its fields: {})",
                keys.join(", ")
            )));
        }
        *child = number;
        return Ok(());
    }
    Ok(())
}

#[cfg(test)]
#[path = "params_tests.rs"]
mod tests;
