//! The values a design parameter takes, read from its entry in a sweep or sensitivity file:
//! numbers for reals and whole numbers, numbers or `true`/`false` for flags, variant names for
//! choices (`levels: ["Fragmented", "Unified"]`). A choice in a sampled design (Latin
//! hypercube, Morris, Sobol) is sampled uniformly over its levels: the unit interval [0, 1) is
//! cut into as many equal parts as it has levels, as EMA Workbench treats a categorical
//! uncertainty.

use super::params::{Kind, choice_index};
use super::spec::Param;
use super::spec_raw::RawLevel;

/// The design values of `levels` for a parameter of `kind` (a choice's values are variant
/// indices), or a message naming what the parameter takes.
pub(super) fn levels(kind: &Kind, levels: &[RawLevel]) -> Result<Vec<f64>, String> {
    levels.iter().map(|l| level(kind, l)).collect()
}

fn level(kind: &Kind, l: &RawLevel) -> Result<f64, String> {
    match (kind, l) {
        (Kind::Choice(variants), RawLevel::Name(name)) => kind
            .variant(name)
            .map(|i| i as f64)
            .ok_or_else(|| format!("`{name}` is not one of {}", quoted(variants))),
        (Kind::Choice(variants), _) => Err(format!(
            "a choice takes its variants' names, one of {}",
            quoted(variants)
        )),
        (Kind::Flag, RawLevel::Flag(b)) => Ok(f64::from(u8::from(*b))),
        (_, RawLevel::Number(x)) => Ok(*x),
        (_, RawLevel::Flag(b)) => Err(format!("takes numbers, got {b}")),
        (_, RawLevel::Name(name)) => Err(format!("takes numbers, got \"{name}\"")),
    }
}

/// Every variant of a choice, as design values.
pub(super) fn all_variants(kind: &Kind) -> Vec<f64> {
    match kind {
        Kind::Choice(variants) => (0..variants.len()).map(|i| i as f64).collect(),
        _ => Vec::new(),
    }
}

/// The value of parameter `p` at the unit-cube coordinate `u` in [0, 1]: a number scaled to
/// its bounds, a choice's level `floor(u * m)` of its `m` levels (u = 1 takes the last).
pub fn from_unit(p: &Param, u: f64) -> f64 {
    match p.kind {
        Kind::Choice(_) => {
            let m = p.levels.len();
            p.levels
                .get(choice_index(u * m as f64, m))
                .copied()
                .unwrap_or(0.0)
        }
        _ => p.kind.value(p.bounds.0 + (p.bounds.1 - p.bounds.0) * u),
    }
}

fn quoted(variants: &[&str]) -> String {
    variants
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
