//! The indicators the page plots, kept day by day in columns as the town steps (a few numbers
//! a day, taken from the row once), and the two views a page is sent: the days since it last
//! heard, and a bounded picture of the whole run for a page that arrives late (the recent days
//! in full, the older history thinned into blocks of several days).

use serde::ser::{Serialize, SerializeMap, Serializer};
use towngov::sim::DailyIndicators;

/// How a block of several days is summed up in one point of the thinned history.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fold {
    /// A count of the day: the block's total (so running sums stay exact).
    Sum,
    /// A level or a running total: the block's last known value.
    Last,
    /// A mean over the cases closed that day: weighted by `closed` over the block.
    PerClosed,
}

/// The daily indicators the page plots and shows (columns of `daily.csv`), and how each folds.
pub const SERIES: &[(&str, Fold)] = &[
    ("day", Fold::Last),
    ("created", Fold::Sum),
    ("resolved", Fold::Sum),
    ("dropped", Fold::Sum),
    ("open", Fold::Last),
    ("bounced", Fold::Sum),
    ("petitions", Fold::Sum),
    ("escalated_waiting", Fold::Last),
    ("dropped_total", Fold::Last),
    ("petitions_total", Fold::Last),
    ("resolved_total", Fold::Last),
    ("closed", Fold::Sum),
    ("on_time_share", Fold::PerClosed),
    ("resolve_days_mean", Fold::PerClosed),
    ("participation_rate", Fold::Last),
    ("volunteering_rate", Fold::Last),
    ("report_propensity_mean", Fold::Last),
    ("election_turnout", Fold::Last),
    ("satisfaction_mean", Fold::Last),
    ("satisfaction_native", Fold::Last),
    ("satisfaction_migrant_worker", Fold::Last),
    ("satisfaction_employee", Fold::Last),
    ("satisfaction_talent", Fold::Last),
    ("trust_mean", Fold::Last),
    ("trust_native", Fold::Last),
    ("trust_migrant_worker", Fold::Last),
    ("trust_employee", Fold::Last),
    ("trust_talent", Fold::Last),
    ("residents", Fold::Last),
    ("enterprises", Fold::Last),
    ("relocations_total", Fold::Last),
    ("cost_yuan", Fold::Sum),
    ("cost_total_yuan", Fold::Last),
    ("cost_per_resolved_yuan", Fold::Last),
    ("budget_balance_yuan", Fold::Last),
    ("reforms_applied", Fold::Sum),
];

/// Days a late page gets in full (the end of the run).
pub const RECENT_DAYS: usize = 1000;
/// Points at most for the history before those days.
pub const HISTORY_POINTS: usize = 1000;

/// The plotted indicators of every day so far, one column per entry of [`SERIES`] (NaN for a
/// day with nothing to measure).
#[derive(Clone, Debug)]
pub struct Series {
    columns: Vec<Vec<f64>>,
}

impl Default for Series {
    /// No day yet: every column, empty (a page gets every name even at day 0).
    fn default() -> Self {
        Series {
            columns: vec![Vec::new(); SERIES.len()],
        }
    }
}

impl Series {
    pub fn push(&mut self, row: &DailyIndicators) {
        let value = serde_json::to_value(row).unwrap_or_default();
        for ((name, _), column) in SERIES.iter().zip(&mut self.columns) {
            column.push(value.get(name).and_then(|v| v.as_f64()).unwrap_or(f64::NAN));
        }
    }

    /// Days recorded.
    pub fn len(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }

    /// The days from index `from` (0 = day 1) to the end, in full.
    pub fn since(&self, from: usize) -> Columns {
        let from = from.min(self.len());
        Columns {
            columns: self.columns.iter().map(|c| c[from..].to_vec()).collect(),
            days_per_point: 1,
        }
    }

    /// The whole run in at most `recent + history` points: the last `recent` days in full,
    /// the days before them in equal blocks (the first one shorter), each folded into one
    /// point dated its last day.
    pub fn thinned(&self, recent: usize, history: usize) -> Columns {
        let n = self.len();
        let split = n.saturating_sub(recent);
        if split == 0 {
            return self.since(0);
        }
        let block = split.div_ceil(history.max(1));
        let mut bounds = Vec::new();
        let mut end = split;
        while end > 0 {
            let start = end.saturating_sub(block);
            bounds.push(start..end);
            end = start;
        }
        bounds.reverse();
        let weights = self.column("closed");
        let columns = SERIES
            .iter()
            .zip(&self.columns)
            .map(|((_, fold), column)| {
                let mut out: Vec<f64> = bounds
                    .iter()
                    .map(|r| fold_block(*fold, &column[r.clone()], &weights[r.clone()]))
                    .collect();
                out.extend_from_slice(&column[split..]);
                out
            })
            .collect();
        Columns {
            columns,
            days_per_point: block,
        }
    }

    fn column(&self, name: &str) -> &[f64] {
        SERIES
            .iter()
            .position(|(n, _)| *n == name)
            .and_then(|i| self.columns.get(i))
            .map_or(&[], Vec::as_slice)
    }
}

fn fold_block(fold: Fold, values: &[f64], resolved: &[f64]) -> f64 {
    match fold {
        Fold::Sum => values.iter().filter(|x| x.is_finite()).sum(),
        Fold::Last => values
            .iter()
            .rev()
            .find(|x| x.is_finite())
            .copied()
            .unwrap_or(f64::NAN),
        Fold::PerClosed => {
            let (mut sum, mut weight) = (0.0, 0.0);
            for (x, w) in values.iter().zip(resolved) {
                if x.is_finite() && *w > 0.0 {
                    sum += x * w;
                    weight += w;
                }
            }
            if weight > 0.0 { sum / weight } else { f64::NAN }
        }
    }
}

/// Some days of the plotted indicators, written as `{"day": [...], "created": [...], ...}`
/// (whole numbers without a decimal point, others to six significant figures, no value as
/// `null`).
#[derive(Clone, Debug)]
pub struct Columns {
    columns: Vec<Vec<f64>>,
    /// 1 when every day is there; more when the older history is thinned.
    pub days_per_point: usize,
}

impl Columns {
    #[cfg(test)]
    pub fn points(&self) -> usize {
        self.columns.first().map_or(0, Vec::len)
    }
}

impl Serialize for Columns {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(SERIES.len()))?;
        for ((name, _), column) in SERIES.iter().zip(&self.columns) {
            map.serialize_entry(name, &Numbers(column))?;
        }
        map.end()
    }
}

struct Numbers<'a>(&'a [f64]);

impl Serialize for Numbers<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|&x| {
            if !x.is_finite() {
                None
            } else if x.fract() == 0.0 && x.abs() < 9.0e15 {
                Some(serde_json::Number::from(x as i64))
            } else {
                // Six significant figures are more than a plot shows (the exports are exact).
                let rounded = format!("{x:.5e}").parse().unwrap_or(x);
                serde_json::Number::from_f64(rounded)
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_series_is_a_daily_indicator() {
        let row = serde_json::to_value(DailyIndicators::default()).expect("serializes");
        for (name, _) in SERIES {
            assert!(
                row.get(name).is_some(),
                "{name} is not a column of daily.csv"
            );
        }
    }

    fn series(days: usize) -> Series {
        let mut s = Series::default();
        for d in 1..=days {
            let row = DailyIndicators {
                day: d as u32,
                created: d as u64 % 7,
                resolved: d as u64 % 3,
                closed: d as u64 % 3,
                on_time_share: if d % 3 == 0 {
                    None
                } else {
                    Some((d % 5) as f64 / 4.0)
                },
                ..Default::default()
            };
            s.push(&row);
        }
        s
    }

    #[test]
    fn a_thinned_history_is_bounded_keeps_counts_and_ends_with_the_recent_days_in_full() {
        let s = series(10_007);
        let t = s.thinned(100, 50);
        assert!(t.points() <= 150, "{} points", t.points());
        let day = &t.columns[0];
        assert_eq!(day[day.len() - 100..], s.columns[0][10_007 - 100..]);
        assert_eq!(*day.last().expect("a day"), 10_007.0);
        assert!(day.windows(2).all(|w| w[0] < w[1]), "days increase");
        let created = |c: &[Vec<f64>]| c[1].iter().sum::<f64>();
        assert_eq!(created(&t.columns), created(&s.columns), "counts are kept");
        // A rate over the block is weighted by the cases closed each day.
        let at = |name: &str| {
            SERIES
                .iter()
                .position(|(n, _)| *n == name)
                .expect("a column")
        };
        let rates = &t.columns[at("on_time_share")];
        let (x, w) = (&s.columns[at("on_time_share")], &s.columns[at("closed")]);
        // Blocks are counted back from the recent days: the first one holds what is left.
        let n = match (10_007 - 100) % t.days_per_point {
            0 => t.days_per_point,
            rest => rest,
        };
        assert_eq!(
            day[0], n as f64,
            "the first point is dated its block's last day"
        );
        let (num, den) = (0..n)
            .filter(|&i| x[i].is_finite() && w[i] > 0.0)
            .fold((0.0, 0.0), |(a, b), i| (a + x[i] * w[i], b + w[i]));
        assert!(
            (rates[0] - num / den).abs() < 1e-12,
            "{} vs {}",
            rates[0],
            num / den
        );
    }

    #[test]
    fn day_zero_names_every_column() {
        let json = serde_json::to_value(Series::default().thinned(100, 50)).expect("serializes");
        for (name, _) in SERIES {
            assert_eq!(json[name], serde_json::json!([]), "{name}");
        }
    }

    #[test]
    fn a_short_run_is_sent_whole_and_numbers_are_plain() {
        let s = series(5);
        let t = s.thinned(100, 50);
        assert_eq!(t.days_per_point, 1);
        let json = serde_json::to_value(&t).expect("serializes");
        assert_eq!(json["day"], serde_json::json!([1, 2, 3, 4, 5]));
        assert_eq!(json["on_time_share"][2], serde_json::Value::Null);
        assert_eq!(json["on_time_share"][0], serde_json::json!(0.25));
        let third = Columns {
            columns: vec![vec![1.0 / 3.0]; SERIES.len()],
            days_per_point: 1,
        };
        let json = serde_json::to_value(&third).expect("serializes");
        assert_eq!(json["trust_mean"][0], serde_json::json!(0.333333));
    }
}
