//! Scenario parameters named by their path in the scenario file (`policy.stewards.size`),
//! set on a base scenario to make the scenario of one design point. Values go through the
//! same two-stage validation as a scenario file, so an out-of-range value is reported with
//! the field's allowed range.

use serde_json::Value;

use crate::scenario::raw::RawScenario;
use crate::scenario::{Scenario, closest};

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
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Kind {
    Real,
    /// A count: design values are rounded to the nearest whole number.
    Whole,
    /// On or off: a design value of 0.5 or more is on.
    Flag,
}

impl Kind {
    /// The value a design's real number `x` stands for.
    pub fn value(self, x: f64) -> f64 {
        match self {
            Kind::Real => x,
            Kind::Whole => x.round(),
            Kind::Flag => (x >= 0.5) as u8 as f64,
        }
    }

    fn json(self, x: f64) -> Option<Value> {
        match self {
            Kind::Real => serde_json::Number::from_f64(x).map(Value::Number),
            Kind::Whole if x.is_finite() && x.abs() < 9.0e15 => Some(Value::from(x.round() as i64)),
            Kind::Whole => None,
            Kind::Flag => Some(Value::Bool(x >= 0.5)),
        }
    }
}

/// A base scenario whose parameters can be set by path.
#[derive(Clone, Debug)]
pub struct Base {
    raw: Value,
}

impl Base {
    pub fn new(raw: &RawScenario) -> Self {
        Base {
            raw: serde_json::to_value(raw).unwrap_or(Value::Null),
        }
    }

    /// Checks that `path` names a number or a flag in the scenario and says which kind.
    pub fn probe(&self, path: &str) -> Result<Kind, ParamError> {
        let mut last = None;
        for (kind, x) in [(Kind::Real, 0.5), (Kind::Whole, 1.0), (Kind::Flag, 1.0)] {
            match self.scenario(&[(path, kind, x)]) {
                Ok(_) | Err(ParamError::Invalid { .. }) => return Ok(kind),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or(ParamError::Unknown {
            path: path.to_string(),
            hint: String::new(),
        }))
    }

    /// The validated scenario with each `(path, kind, value)` set.
    pub fn scenario(&self, values: &[(&str, Kind, f64)]) -> Result<Scenario, ParamError> {
        let mut v = self.raw.clone();
        for &(path, kind, x) in values {
            let json = kind.json(x).ok_or_else(|| ParamError::Invalid {
                path: path.to_string(),
                value: x,
                message: "must be a finite number".into(),
            })?;
            set(&mut v, path, json)?;
        }
        let raw: RawScenario = serde_json::from_value(v).map_err(|e| ParamError::Unknown {
            path: values
                .iter()
                .map(|(p, _, _)| *p)
                .collect::<Vec<_>>()
                .join(", "),
            hint: format!(" of this kind ({e})"),
        })?;
        Scenario::from_raw(&raw).map_err(|errors| {
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
