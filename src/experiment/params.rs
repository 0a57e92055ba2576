//! Scenario parameters named by their path in the scenario file (`policy.stewards.size`),
//! set on a base scenario to make the scenario of one design point. Values go through the
//! same two-stage validation as a scenario file, so an out-of-range value is reported with
//! the field's allowed range.

use serde_json::Value;

use crate::scenario::raw::RawScenario;
use crate::scenario::{Domain, ParamSpec, Scenario, closest, param_specs, param_specs_of};

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
    raw: Value,
    /// The base's own parameter list (its threshold variant's fields).
    specs: Vec<ParamSpec>,
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
        Base {
            raw: serde_json::to_value(raw).unwrap_or(Value::Null),
            specs: param_specs_of(raw),
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
mod tests {
    use super::*;
    use crate::scenario::model::{CommitteeMode, Thresholds};
    use crate::scenario::raw::{RawParticipation, RawThresholds};

    fn with_thresholds(t: Option<RawThresholds>) -> Base {
        let mut raw = RawScenario::default();
        raw.behaviour.participation = RawParticipation {
            thresholds: t,
            ..Default::default()
        };
        Base::new(&raw)
    }

    #[test]
    fn every_number_flag_and_choice_of_the_registry_can_be_set_at_its_default() {
        let base = Base::new(&RawScenario::default());
        let mut n = 0;
        for spec in param_specs() {
            let Some(kind) = Kind::of(&spec.domain) else {
                assert!(base.probe(&spec.path).is_err(), "{}", spec.path);
                continue;
            };
            assert_eq!(base.probe(&spec.path), Ok(kind.clone()), "{}", spec.path);
            let x = match &kind {
                Kind::Flag => f64::from(u8::from(spec.default == "true")),
                Kind::Choice(_) => {
                    kind.variant(&spec.default).expect("default is a variant") as f64
                }
                _ => spec.default.parse().expect("a number"),
            };
            let s = base.scenario(&[(&spec.path, &kind, x)]);
            assert!(s.is_ok(), "{}: {s:?}", spec.path);
            n += 1;
        }
        assert!(n > 250, "only {n} settable parameters");
    }

    #[test]
    fn threshold_mean_and_sd_are_set_whether_the_base_names_normal_or_not() {
        let real = Kind::Real;
        let path = "behaviour.participation.thresholds.mean";
        for base in [
            with_thresholds(None),
            with_thresholds(Some(RawThresholds::Normal { mean: 0.5, sd: 0.2 })),
        ] {
            assert_eq!(base.probe(path), Ok(Kind::Real));
            let s = base.scenario(&[(path, &real, 0.8)]).expect("valid");
            let Thresholds::Normal { mean, sd } = s.behaviour.participation.thresholds else {
                panic!("not normal");
            };
            assert_eq!(mean, 0.8);
            assert!(sd == 0.35 || sd == 0.2, "sd kept or defaulted: {sd}");
        }
        let named = with_thresholds(Some(RawThresholds::Normal { mean: 0.5, sd: 0.2 }));
        let s = named
            .scenario(&[("behaviour.participation.thresholds.sd", &real, 0.1)])
            .expect("valid");
        assert_eq!(
            s.behaviour.participation.thresholds,
            Thresholds::Normal { mean: 0.5, sd: 0.1 }
        );
        // Out of range: the registry's range, on the path the user named.
        let e = named.scenario(&[(path, &real, 1.5)]).unwrap_err();
        assert!(e.to_string().contains("must be between 0 and 1"), "{e}");
    }

    #[test]
    fn threshold_mean_on_a_uniform_base_is_a_clear_error() {
        let base = with_thresholds(Some(RawThresholds::Uniform {
            low: 0.1,
            high: 0.9,
        }));
        let path = "behaviour.participation.thresholds.mean";
        let e = base.probe(path).unwrap_err().to_string();
        assert!(e.contains("is Uniform, which has no `mean`"), "{e}");
        let e = base.scenario(&[(path, &Kind::Real, 0.5)]).unwrap_err();
        assert!(e.to_string().contains("Uniform"), "{e}");
        // The Uniform base's own fields are parameters.
        let low = "behaviour.participation.thresholds.low";
        assert_eq!(base.probe(low), Ok(Kind::Real));
        let s = base.scenario(&[(low, &Kind::Real, 0.3)]).expect("valid");
        assert_eq!(
            s.behaviour.participation.thresholds,
            Thresholds::Uniform {
                low: 0.3,
                high: 0.9
            }
        );
    }

    #[test]
    fn a_choice_is_set_by_variant_index_and_shown_by_name() {
        let base = Base::new(&RawScenario::default());
        let kind = base.probe("policy.committee.mode").expect("a choice");
        assert_eq!(kind, Kind::Choice(vec!["Fragmented", "Unified"]));
        let s = base
            .scenario(&[("policy.committee.mode", &kind, 1.0)])
            .expect("valid");
        assert_eq!(s.policy.committee.mode, CommitteeMode::Unified);
        assert_eq!(kind.show(1.0), "Unified");
        assert_eq!(kind.show(0.7), "Fragmented");
        // Unit values map to variants with equal weight; out-of-list values are clamped.
        assert_eq!(choice_index(0.49 * 2.0, 2), 0);
        assert_eq!(choice_index(0.5 * 2.0, 2), 1);
        assert_eq!(choice_index(2.0, 2), 1);
        assert_eq!(choice_index(-1.0, 2), 0);
        assert_eq!(choice_index(f64::NAN, 2), 0);
        assert_eq!(base.current("policy.committee.mode"), Some(0.0));
        assert_eq!(base.current("policy.committee.n_departments"), Some(12.0));
        assert_eq!(base.current("policy.authority.enabled"), Some(0.0));
        assert_eq!(
            base.current("behaviour.participation.thresholds.sd"),
            Some(0.35)
        );
        // Text is listed but not set by designs.
        assert!(base.probe("name").is_err());
    }
}
