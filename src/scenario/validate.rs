//! The checks of stage two: every field gets its default, its range check, its unit and its
//! source here, in one call, so the parameter table that `towngov params` prints (and that
//! `docs/ODD.md` carries) can never drift from what the code accepts.

use std::fmt::Display;
use std::ops::RangeInclusive;

use super::raw::{PerBackground, PerKind, PerSize};

/// One parameter as documented: what `towngov params` prints, with the typed domain that
/// sweeps, sensitivity analyses and the lever audit read.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ParamSpec {
    pub path: String,
    pub unit: &'static str,
    /// The domain as `towngov params` prints it (`0 to 1`, `true, false`, `Block, Project`).
    pub range: String,
    pub default: String,
    pub doc: &'static str,
    pub source: &'static str,
    pub domain: Domain,
}

/// The values a parameter takes.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Domain {
    /// A real number in `[low, high]`.
    Real { low: f64, high: f64 },
    /// A whole number in `[low, high]` (held as f64: every range the scenario uses is exact).
    Whole { low: f64, high: f64 },
    /// On or off.
    Flag,
    /// One of the named variants, as the scenario file spells them.
    Choice { variants: Vec<&'static str> },
    /// Free text of at most `max_chars` characters.
    Text { max_chars: usize },
    /// A list of at most `max_entries` entries.
    List { max_entries: usize },
}

/// A value the file gave that is out of range, or two values that do not fit together.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// Dotted path of the field, e.g. `policy.committee.n_departments`.
    pub path: String,
    pub message: String,
}

/// Documentation of one parameter: unit, meaning, source.
#[derive(Clone, Copy)]
pub struct Doc {
    pub unit: &'static str,
    pub doc: &'static str,
    pub source: &'static str,
}

/// Collects errors and parameter specs while the raw scenario is turned into a validated one.
/// Specs are recorded only when `listing` (the registry's list); a validation that only wants
/// the errors skips them, which makes it several times faster (design points are validated one
/// by one).
#[derive(Default)]
pub struct Validator {
    pub errors: Vec<FieldError>,
    pub specs: Vec<ParamSpec>,
    pub listing: bool,
}

impl Validator {
    pub fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError {
            path: path.into(),
            message: message.into(),
        });
    }

    fn spec<T: Display>(&mut self, path: &str, default: T, range: String, domain: Domain, d: Doc) {
        self.specs.push(ParamSpec {
            path: path.to_string(),
            unit: d.unit,
            range,
            default: default.to_string(),
            doc: d.doc,
            source: d.source,
            domain,
        });
    }

    /// A real number with a default and an inclusive range.
    pub fn real(
        &mut self,
        path: &str,
        raw: Option<f64>,
        default: f64,
        range: RangeInclusive<f64>,
        d: Doc,
    ) -> f64 {
        if self.listing {
            self.spec(
                path,
                fmt_real(default),
                format!("{} to {}", fmt_real(*range.start()), fmt_real(*range.end())),
                Domain::Real {
                    low: *range.start(),
                    high: *range.end(),
                },
                d,
            );
        }
        let value = raw.unwrap_or(default);
        if !value.is_finite() {
            self.error(path, format!("must be a finite number, got {value}"));
            return default;
        }
        if !range.contains(&value) {
            self.error(
                path,
                format!(
                    "must be between {} and {}, got {}",
                    fmt_real(*range.start()),
                    fmt_real(*range.end()),
                    fmt_real(value)
                ),
            );
            return default;
        }
        value
    }

    /// A whole number with a default and an inclusive range.
    pub fn int<T>(
        &mut self,
        path: &str,
        raw: Option<T>,
        default: T,
        range: RangeInclusive<T>,
        d: Doc,
    ) -> T
    where
        T: Copy + PartialOrd + Display + Whole,
    {
        if self.listing {
            self.spec(
                path,
                default,
                format!("{} to {}", range.start(), range.end()),
                Domain::Whole {
                    low: range.start().as_f64(),
                    high: range.end().as_f64(),
                },
                d,
            );
        }
        let value = raw.unwrap_or(default);
        if !range.contains(&value) {
            self.error(
                path,
                format!(
                    "must be between {} and {}, got {}",
                    range.start(),
                    range.end(),
                    value
                ),
            );
            return default;
        }
        value
    }

    /// A real number per resident kind, as `path.native`, `path.migrant_worker`, ...
    pub fn real_kinds(
        &mut self,
        path: &str,
        raw: &PerKind<f64>,
        default: [f64; 4],
        range: RangeInclusive<f64>,
        d: Doc,
    ) -> [f64; 4] {
        self.per_kind(path, raw, default, |v, p, x, dflt| {
            v.real(p, x, dflt, range.clone(), d)
        })
    }

    /// A whole number per resident kind.
    pub fn int_kinds(
        &mut self,
        path: &str,
        raw: &PerKind<u32>,
        default: [u32; 4],
        range: RangeInclusive<u32>,
        d: Doc,
    ) -> [u32; 4] {
        self.per_kind(path, raw, default, |v, p, x, dflt| {
            v.int(p, x, dflt, range.clone(), d)
        })
    }

    /// Checks each kind's value with `one`, under `path.<kind>`.
    fn per_kind<T: Copy>(
        &mut self,
        path: &str,
        raw: &PerKind<T>,
        default: [T; 4],
        one: impl FnMut(&mut Self, &str, Option<T>, T) -> T,
    ) -> [T; 4] {
        let values = [raw.native, raw.migrant_worker, raw.employee, raw.talent];
        self.each(path, KIND_FIELDS, values, default, one)
    }

    /// Checks `values[i]` with `one`, under `path.<names[i]>`.
    fn each<T: Copy, const N: usize>(
        &mut self,
        path: &str,
        names: [&str; N],
        values: [Option<T>; N],
        default: [T; N],
        mut one: impl FnMut(&mut Self, &str, Option<T>, T) -> T,
    ) -> [T; N] {
        // One buffer for the N paths: validation runs once per design point.
        let mut p = String::with_capacity(path.len() + 32);
        std::array::from_fn(|k| {
            p.clear();
            p.push_str(path);
            p.push('.');
            p.push_str(names[k]);
            one(self, &p, values[k], default[k])
        })
    }

    /// A real number per firm size, as `path.leading`, `path.sme`, `path.startup`.
    pub fn real_sizes(
        &mut self,
        path: &str,
        raw: &PerSize<f64>,
        default: [f64; 3],
        range: RangeInclusive<f64>,
        d: Doc,
    ) -> [f64; 3] {
        let values = [raw.leading, raw.sme, raw.startup];
        self.each(path, SIZE_FIELDS, values, default, |v, p, x, dflt| {
            v.real(p, x, dflt, range.clone(), d)
        })
    }

    /// A whole number per firm size.
    pub fn int_sizes(
        &mut self,
        path: &str,
        raw: &PerSize<u32>,
        default: [u32; 3],
        range: RangeInclusive<u32>,
        d: Doc,
    ) -> [u32; 3] {
        let values = [raw.leading, raw.sme, raw.startup];
        self.each(path, SIZE_FIELDS, values, default, |v, p, x, dflt| {
            v.int(p, x, dflt, range.clone(), d)
        })
    }

    /// A real number per steward background.
    pub fn real_backgrounds(
        &mut self,
        path: &str,
        raw: &PerBackground<f64>,
        default: [f64; 5],
        range: RangeInclusive<f64>,
        d: Doc,
    ) -> [f64; 5] {
        let values = background_values(raw);
        self.each(path, BACKGROUND_FIELDS, values, default, |v, p, x, dflt| {
            v.real(p, x, dflt, range.clone(), d)
        })
    }

    /// A whole number per steward background.
    pub fn int_backgrounds(
        &mut self,
        path: &str,
        raw: &PerBackground<u32>,
        default: [u32; 5],
        range: RangeInclusive<u32>,
        d: Doc,
    ) -> [u32; 5] {
        let values = background_values(raw);
        self.each(path, BACKGROUND_FIELDS, values, default, |v, p, x, dflt| {
            v.int(p, x, dflt, range.clone(), d)
        })
    }

    /// A switch, documented with its default.
    pub fn flag(&mut self, path: &str, raw: Option<bool>, default: bool, d: Doc) -> bool {
        if self.listing {
            self.spec(path, default, "true, false".into(), Domain::Flag, d);
        }
        raw.unwrap_or(default)
    }

    /// A list of at most `max_entries` entries, documented with its default.
    pub fn spec_list(&mut self, path: &str, default: &str, max_entries: usize, d: Doc) {
        if self.listing {
            self.spec(
                path,
                default,
                format!("at most {max_entries} entries"),
                Domain::List { max_entries },
                d,
            );
        }
    }

    /// A text field of at most `max_chars` characters, documented with its default.
    pub fn text(
        &mut self,
        path: &str,
        raw: Option<&str>,
        default: &str,
        max_chars: usize,
        d: Doc,
    ) -> String {
        if self.listing {
            self.spec(
                path,
                format!("\"{default}\""),
                format!("text of at most {max_chars} characters"),
                Domain::Text { max_chars },
                d,
            );
        }
        match raw {
            None => default.to_string(),
            Some(s) => {
                let n = s.chars().count();
                if n > max_chars {
                    self.error(
                        path,
                        format!("must be at most {max_chars} characters long, got {n}"),
                    );
                    default.to_string()
                } else {
                    s.to_string()
                }
            }
        }
    }

    /// A choice among named variants (as the scenario file spells them), documented with its
    /// default.
    pub fn choice<T: Copy>(
        &mut self,
        path: &str,
        raw: Option<T>,
        default: T,
        default_name: &str,
        variants: &[&'static str],
        d: Doc,
    ) -> T {
        if self.listing {
            self.spec(
                path,
                default_name,
                variants.join(", "),
                Domain::Choice {
                    variants: variants.to_vec(),
                },
                d,
            );
        }
        raw.unwrap_or(default)
    }
}

/// A whole-number type the registry records as f64 (exact below 2^53; the seed's upper end
/// rounds, which only its printed range, not the check, sees).
pub trait Whole {
    fn as_f64(&self) -> f64;
}

macro_rules! whole {
    ($($t:ty),*) => {$(
        impl Whole for $t {
            fn as_f64(&self) -> f64 {
                *self as f64
            }
        }
    )*};
}
whole!(u8, u16, u32, u64, usize);

fn background_values<T: Copy>(raw: &PerBackground<T>) -> [Option<T>; 5] {
    [
        raw.industry_association,
        raw.intermediary,
        raw.leading_firm,
        raw.angel_investor,
        raw.technical_expert,
    ]
}

/// The field names of [`PerSize`], in the order of `FirmSize`.
pub const SIZE_FIELDS: [&str; 3] = ["leading", "sme", "startup"];

/// The field names of [`PerBackground`], in the order of `Background`.
pub const BACKGROUND_FIELDS: [&str; 5] = [
    "industry_association",
    "intermediary",
    "leading_firm",
    "angel_investor",
    "technical_expert",
];

/// The field names of [`PerKind`], in the order of `ResidentKind`.
pub const KIND_FIELDS: [&str; 4] = ["native", "migrant_worker", "employee", "talent"];

/// Prints a real number the way a person writes it in a scenario file (`0.3`, `12`, `1e-6`).
pub fn fmt_real(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}
