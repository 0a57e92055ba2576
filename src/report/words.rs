//! The plain-words summary for a planner: what each option does better, worse or differently
//! from the reference, biggest effects first, and where no difference could be detected.

use super::format::{Verdict, clean, level_percent, num, option_name, verdict};
use crate::experiment::multiplicity::Adjust;
use crate::experiment::results::{Comparison, IndicatorMeta, PairedDiff};

/// Short plain-English sentences summarising the comparison for a planner. For each option after
/// the first: the indicators it is better on and worse on (only where the paired interval
/// excludes 0; biggest |effect size| first), the changes in indicators that are neither good nor
/// bad in themselves ("more residents"), and one sentence listing the indicators with "no
/// detectable difference" (the interval includes 0). Indicators without an interval are named
/// as not comparable. The first sentence gives the number of replications and the kind of
/// interval. Nothing is ever claimed from a missing interval or one that includes 0.
pub fn plain_words(c: &Comparison) -> Vec<String> {
    let mut out = Vec::new();
    match c.options.len() {
        0 => {
            out.push("No options were run, so there is nothing to compare.".to_string());
            return out;
        }
        1 => {
            out.push(format!(
                "Only one option, “{}”, was run ({} replication{} of {} days), so there is \
                 nothing to compare it with.",
                option_name(c, 0),
                c.reps,
                plural(c.reps),
                c.days
            ));
            return out;
        }
        _ => {}
    }
    let reference = option_name(c, 0);
    let lvl = level_percent(c.level);
    out.push(format!(
        "Each option ran {} replication{} of {} days with the same seeds as “{reference}” (common \
         random numbers); differences are paired against “{reference}”, with {lvl} paired \
         Student-t intervals, and listed from the largest standardised effect to the smallest.",
        c.reps,
        plural(c.reps),
        c.days
    ));
    out.push(adjust_sentence(c));
    if c.reps < 2 {
        out.push(
            "With fewer than 2 replications no interval can be computed, so no difference can be \
             claimed."
                .to_string(),
        );
    }
    if c.indicators.is_empty() {
        out.push("There are no indicators to compare.".to_string());
        return out;
    }
    for i in 1..c.options.len() {
        option_sentences(c, i, &reference, &lvl, &mut out);
    }
    out
}

/// One indicator's difference for the sentences.
struct Item<'a> {
    meta: &'a IndicatorMeta,
    diff: PairedDiff,
}

impl Item<'_> {
    /// Sort key: largest |d_z| first; a missing or non-finite effect size last.
    fn key(&self) -> f64 {
        match self.diff.effect_size {
            Some(d) if d.is_finite() => d.abs(),
            _ => -1.0,
        }
    }

    /// "resolved on time (+9.0 percentage points)".
    fn phrase(&self) -> String {
        format!(
            "{} ({})",
            clean(&self.meta.label),
            amount(self.diff.mean, &self.meta.unit)
        )
    }

    /// "more residents (+250)" for an indicator that is neither good nor bad.
    fn change(&self) -> String {
        let up = self.diff.mean > 0.0;
        let count = is_count(&self.meta.unit);
        let word = match (count, up) {
            (true, true) => "more",
            (true, false) => "fewer",
            (false, true) => "higher",
            (false, false) => "lower",
        };
        format!("{word} {}", self.phrase())
    }
}

/// Which multiplicity adjustment the verdicts used, in one sentence.
pub(crate) fn adjust_sentence(c: &Comparison) -> String {
    let lvl = level_percent(c.level);
    match c.adjust {
        Adjust::None => format!(
            "Each of the {} key indicators is read on its own (no adjustment for testing many at \
             once, `--adjust none`), so some differences may be called by chance.",
            c.indicators.len()
        ),
        a => format!(
            "A difference is called better or worse when, and only when, its paired t test, adjusted by {} over \
             the {} key indicators (`--adjust {}`), stays significant at the {lvl} level; the \
             p-values are in options.csv and comparison.json.",
            if a == Adjust::Holm {
                "Holm's method (family-wise error)"
            } else {
                "Benjamini-Hochberg (false discovery rate)"
            },
            c.indicators.len(),
            a.name()
        ),
    }
}

fn option_sentences(c: &Comparison, i: usize, reference: &str, lvl: &str, out: &mut Vec<String>) {
    let name = option_name(c, i);
    let mut better = Vec::new();
    let mut worse = Vec::new();
    let mut changes = Vec::new();
    let mut same = Vec::new();
    let mut unknown = Vec::new();
    for row in &c.indicators {
        let diff = row.by_option.get(i).and_then(|s| s.diff);
        let v = verdict(&row.meta, diff.as_ref());
        let item = diff.map(|diff| Item {
            meta: &row.meta,
            diff,
        });
        match (v, item) {
            (Verdict::Better, Some(it)) => better.push(it),
            (Verdict::Worse, Some(it)) => worse.push(it),
            (Verdict::Higher | Verdict::Lower, Some(it)) => changes.push(it),
            (Verdict::NotSignificant, _) => same.push(clean(&row.meta.label)),
            _ => unknown.push(clean(&row.meta.label)),
        }
    }
    for list in [&mut better, &mut worse, &mut changes] {
        list.sort_by(|a, b| b.key().total_cmp(&a.key()));
    }
    if !better.is_empty() {
        let items: Vec<String> = better.iter().map(Item::phrase).collect();
        out.push(format!(
            "Compared with “{reference}”, “{name}” is better on {}.",
            join(&items)
        ));
    }
    if !worse.is_empty() {
        let items: Vec<String> = worse.iter().map(Item::phrase).collect();
        out.push(format!(
            "Compared with “{reference}”, “{name}” is worse on {}.",
            join(&items)
        ));
    }
    if better.is_empty() && worse.is_empty() {
        out.push(format!(
            "“{name}” is neither detectably better nor detectably worse than “{reference}” on any \
             indicator."
        ));
    }
    if !changes.is_empty() {
        let items: Vec<String> = changes.iter().map(Item::change).collect();
        out.push(format!(
            "Under “{name}” the town has {}, which {} neither better nor worse in {}.",
            join(&items),
            if changes.len() == 1 { "is" } else { "are" },
            if changes.len() == 1 {
                "itself"
            } else {
                "themselves"
            }
        ));
    }
    if !same.is_empty() {
        out.push(format!(
            "“{name}” shows no detectable difference from “{reference}” on {} ({}).",
            join(&same),
            if same.len() == 1 {
                format!("the {lvl} interval includes zero")
            } else {
                format!("their {lvl} intervals include zero")
            }
        ));
    }
    if !unknown.is_empty() {
        out.push(format!(
            "There are too few paired replications to compare “{name}” with “{reference}” on {}.",
            join(&unknown)
        ));
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn is_count(unit: &str) -> bool {
    matches!(
        unit.trim().to_ascii_lowercase().as_str(),
        "count" | "counts" | "number" | "people" | "persons" | "firms" | "cases" | ""
    )
}

/// A difference with its unit, readable: shares in percentage points, counts bare.
fn amount(x: f64, unit: &str) -> String {
    let u = clean(unit.trim());
    let u = u.as_str();
    if u.eq_ignore_ascii_case("share") {
        let pp = x * 100.0;
        let dec = if pp.abs() >= 1.0 || pp == 0.0 || !pp.is_finite() {
            1
        } else {
            (1.0 - pp.abs().log10().floor()).clamp(1.0, 4.0) as usize
        };
        return format!("{} percentage points", num(pp, dec, true));
    }
    // Millions and billions of yuan read in those units, to three significant digits.
    if u == "yuan" && x.is_finite() && x.abs() >= 1e6 {
        let (v, unit) = if x.abs() >= 1e9 {
            (x / 1e9, "bn yuan")
        } else {
            (x / 1e6, "M yuan")
        };
        let dec = (2.0 - v.abs().log10().floor()).clamp(0.0, 2.0) as usize;
        return format!("{} {unit}", num(v, dec, true));
    }
    // Two significant digits read best in a sentence; whole numbers from 100 up.
    let dec = if x.abs() >= 100.0 || x == 0.0 || !x.is_finite() {
        0
    } else {
        (1.0 - x.abs().log10().floor()).clamp(0.0, 6.0) as usize
    };
    let figure = num(x, dec, true);
    if is_count(u) {
        figure
    } else if u.contains("0-1") {
        // "0-1", "index 0-1": a position on a scale, not a unit to say after the figure.
        format!("{figure} on a 0-1 scale")
    } else {
        format!("{figure} {u}")
    }
}

/// "a", "a and b", "a, b and c".
fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{comparison, empty};
    use super::*;

    fn about<'a>(words: &'a [String], option: &str, what: &str) -> Vec<&'a String> {
        words
            .iter()
            .filter(|s| s.contains(option) && s.contains(what))
            .collect()
    }

    #[test]
    fn says_better_and_worse_only_where_the_interval_excludes_zero() {
        let w = plain_words(&comparison());
        let all = w.join("\n");
        assert!(all.contains("20 replications"), "{all}");
        assert!(all.contains("95% paired Student-t"), "{all}");

        // "<b>reform</b>": better on days and on-time (largest d_z first), worse on cost.
        let better = about(&w, "<b>reform</b>", "is better on");
        assert_eq!(better.len(), 1, "{all}");
        let b = better[0];
        let on_time = b
            .find("resolved on time (+9.0 percentage points)")
            .expect(b);
        let days = b.find("days to resolve (-2.3 days)").expect(b);
        assert!(on_time < days, "biggest effect first: {b}");
        let worse = about(&w, "<b>reform</b>", "is worse on");
        assert_eq!(worse.len(), 1);
        assert!(
            worse[0].contains("cost per case (+675 yuan)"),
            "{}",
            worse[0]
        );

        // petitions: the interval includes 0 -> no detectable difference, never better/worse.
        let same = about(&w, "<b>reform</b>", "no detectable difference");
        assert_eq!(same.len(), 1, "{all}");
        assert!(same[0].contains("petitions"));
        for s in about(&w, "<b>reform</b>", "petitions") {
            assert!(!s.contains("better on") && !s.contains("worse on"), "{s}");
        }
        // trust: no interval -> named as not comparable, never claimed.
        for s in about(&w, "<b>reform</b>", "trust in the committee") {
            assert!(s.contains("too few paired replications"), "{s}");
        }
        // residents: a change, no praise.
        let change = about(&w, "<b>reform</b>", "more residents (+250)");
        assert_eq!(change.len(), 1, "{all}");
        assert!(change[0].contains("neither better nor worse"));
        // The third option: residents' interval includes 0, so it is not a change.
        let third = about(&w, "phased & slow", "no detectable difference");
        assert!(third[0].contains("residents") && third[0].contains("resolved on time"));
        assert!(about(&w, "phased & slow", "fewer residents").is_empty());
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(plain_words(&empty()).len(), 1);
        let mut c = comparison();
        c.options.truncate(1);
        assert!(plain_words(&c)[0].contains("nothing to compare"));
        let mut c = comparison();
        c.indicators.clear();
        assert!(plain_words(&c).join(" ").contains("no indicators"));
        let mut c = comparison();
        for row in &mut c.indicators {
            for s in &mut row.by_option {
                if let Some(d) = &mut s.diff {
                    d.mean = f64::NAN;
                }
            }
        }
        let w = plain_words(&c).join("\n");
        assert!(!w.contains("better on") && !w.contains("worse on"), "{w}");
        assert_eq!(plain_words(&comparison()), plain_words(&comparison()));
    }

    #[test]
    fn amounts_read_in_plain_units() {
        assert_eq!(amount(22_292_346.0, "yuan"), "+22.3 M yuan");
        assert_eq!(amount(-4_203_550.0, "yuan"), "-4.20 M yuan");
        assert_eq!(amount(2.8e10, "yuan"), "+28.0 bn yuan");
        assert_eq!(amount(675.0, "yuan"), "+675 yuan");
        assert_eq!(amount(0.036, "0-1"), "+0.036 on a 0-1 scale");
        assert_eq!(amount(0.036, "share"), "+3.6 percentage points");
    }
}
