//! Failure criteria of an explore file: an option fails in a future when its indicator's
//! change against the reference in the same future passes a threshold (`cost per resolved case
//! up more than 20%`, `participation change <= 0`).

use super::explore_raw::Change;

/// How a failure compares the change with its threshold.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub enum Op {
    Above,
    AtLeast,
    Below,
    AtMost,
}

impl Op {
    pub fn holds(self, x: f64, t: f64) -> bool {
        match self {
            Op::Above => x > t,
            Op::AtLeast => x >= t,
            Op::Below => x < t,
            Op::AtMost => x <= t,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::Above => ">",
            Op::AtLeast => ">=",
            Op::Below => "<",
            Op::AtMost => "<=",
        }
    }
}

/// A failure criterion: an option fails in a future when its indicator's change against the
/// reference in that future passes the threshold.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Criterion {
    pub name: String,
    pub indicator: String,
    pub change: Change,
    pub op: Op,
    pub threshold: f64,
}

impl Criterion {
    /// The change of `value` against `reference`, NaN when it cannot be taken (a missing
    /// value, or a relative change of a zero reference).
    pub fn change_of(&self, value: f64, reference: f64) -> f64 {
        match self.change {
            Change::Absolute => value - reference,
            Change::Relative if reference != 0.0 => (value - reference) / reference.abs(),
            Change::Relative => f64::NAN,
        }
    }

    /// Whether the option fails; `None` when the change cannot be taken.
    pub fn fails(&self, value: f64, reference: f64) -> Option<bool> {
        let c = self.change_of(value, reference);
        c.is_finite().then(|| self.op.holds(c, self.threshold))
    }
}

/// A criterion's name when the file gives none: `total.x relative change > +0.2`.
pub fn default_name(c: &Criterion) -> String {
    let label = super::indicators::key()
        .into_iter()
        .chain(super::indicators::series())
        .find(|m| m.name == c.indicator)
        .map(|m| m.label)
        .unwrap_or_else(|| c.indicator.clone());
    match c.change {
        Change::Relative => format!(
            "{label} changes by {} {:+}% against the reference",
            c.op.symbol(),
            c.threshold * 100.0
        ),
        Change::Absolute => format!(
            "{label} changes by {} {:+} against the reference",
            c.op.symbol(),
            c.threshold
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_compare_changes_with_thresholds() {
        let c = Criterion {
            name: String::new(),
            indicator: "x".into(),
            change: Change::Relative,
            op: Op::Above,
            threshold: 0.2,
        };
        assert_eq!(c.fails(125.0, 100.0), Some(true));
        assert_eq!(c.fails(120.0, 100.0), Some(false));
        assert_eq!(c.fails(1.0, 0.0), None);
        assert_eq!(c.fails(f64::NAN, 1.0), None);
        let d = Criterion {
            change: Change::Absolute,
            op: Op::AtMost,
            threshold: 0.0,
            ..c
        };
        assert_eq!(d.fails(0.3, 0.3), Some(true));
        assert_eq!(d.fails(0.31, 0.3), Some(false));
    }
}
