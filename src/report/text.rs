//! The fixed-width comparison table printed in a terminal.

use super::first_screen::indicator_label;
use super::format::{
    clean, decimals_for, diff_decimals, display_width, level_percent, magnitude, num, option_name,
    pad, truncate, unit_in, usable_ci, verdict, wrap,
};
use super::i18n::{Lang, tr, trf};
use crate::experiment::multiplicity::Adjust;
use crate::experiment::results::{Comparison, IndicatorRow};

/// Gap between columns.
const GAP: &str = "  ";
/// Longest label and option name shown, in display columns.
const MAX_LABEL: usize = 48;
const MAX_NAME: usize = 28;
/// The narrowest label column a block is cut down to on a narrow terminal.
const MIN_LABEL: usize = 16;

/// The comparison as a fixed-width table for a terminal `width` columns wide: a few header
/// lines naming the options, replications and days, then one line per indicator with its label
/// (unit), each option's mean and, for each option after the first, the paired difference
/// against the first option with its interval and a verdict word (`better`, `worse`,
/// `higher`/`lower` for indicators that are neither good nor bad in themselves, `n.s.` when the
/// interval includes 0, `n/a` when there is no interval). Sums of money of a million yuan or
/// more are shown in millions (`M yuan`). When the whole table is wider than `width`, it is
/// printed as one block per option compared with the reference, each block with the
/// reference's mean, the option's mean, the difference and the verdict; labels too long for
/// the block are cut with an ellipsis. No line is wider than `width` (at least 60) and the
/// lines of a table or block all have the same display width (CJK characters count 2).
pub fn text_table(c: &Comparison, width: usize) -> String {
    text_table_in(c, width, Lang::En)
}

/// [`text_table`] in `lang`: its sentences, headings, indicator labels, units and verdict words
/// from the catalogue (`report.text.*`, `ind.*`, `unit.*`, `report.verdict.*`); in Chinese, sums
/// of a million yuan or more read in 万元.
pub fn text_table_in(c: &Comparison, width: usize, lang: Lang) -> String {
    let width = width.max(60);
    let mut out = preamble(c, width, lang);
    if c.options.is_empty() {
        out.push_str(tr(lang, "report.text.no_options"));
        out.push('\n');
        return out;
    }
    if c.indicators.is_empty() {
        out.push_str(tr(lang, "report.text.no_indicators"));
        out.push('\n');
        return out;
    }
    let n = c.options.len();
    let rows: Vec<Row> = c.indicators.iter().map(|r| Row::new(r, n, lang)).collect();
    let whole = table(c, &rows, &(0..n).collect::<Vec<_>>(), None, lang);
    if whole.lines().all(|l| display_width(l) <= width) {
        out.push('\n');
        out.push_str(&whole);
    } else {
        for i in 1..n {
            let title = trf(
                lang,
                "report.text.block",
                &[
                    ("option", &option_name(c, i)),
                    ("reference", &option_name(c, 0)),
                ],
            );
            out.push('\n');
            out.push_str(&wrap(&title, width, ""));
            let block = table(c, &rows, &[0, i], Some(width), lang);
            out.push_str(&block);
        }
    }
    out.push('\n');
    out.push_str(&footer(c, width, lang));
    out
}

/// The table of the options `shown` (the first is the reference, shown by name when the table
/// holds every option, as "reference" and "option" in a block). With `fit`, labels are cut so
/// that the lines fit in that many columns.
fn table(c: &Comparison, rows: &[Row], shown: &[usize], fit: Option<usize>, lang: Lang) -> String {
    let block = fit.is_some();
    // Widths of the three parts of each difference column, so the figures line up.
    let mut parts = vec![[0usize; 3]; shown.len()];
    for row in rows {
        for (w, &i) in parts.iter_mut().zip(shown).skip(1) {
            let d = &row.diffs[i];
            w[0] = w[0].max(display_width(&d[0]));
            w[1] = w[1].max(display_width(&d[1]));
            w[2] = w[2].max(display_width(&d[2]));
        }
    }
    let compose = |k: usize, d: &[String; 3]| -> String {
        let w = parts[k];
        let ci = if w[1] > 0 {
            format!(" {}", pad(&d[1], w[1], true))
        } else {
            String::new()
        };
        format!(
            "{}{} {}",
            pad(&d[0], w[0], false),
            ci,
            pad(&d[2], w[2], true)
        )
    };

    let reference = truncate(&option_name(c, 0), MAX_NAME);
    let mut header: Vec<String> = vec![tr(lang, "report.text.indicator").to_string()];
    if block {
        header.push(tr(lang, "report.text.reference").to_string());
        header.push(tr(lang, "report.text.option").to_string());
        header.push(trf(
            lang,
            "report.text.difference",
            &[("level", &level_percent(c.level))],
        ));
    } else {
        header.extend(
            shown
                .iter()
                .map(|&i| truncate(&option_name(c, i), MAX_NAME)),
        );
        header.extend(shown.iter().skip(1).map(|&i| {
            trf(
                lang,
                "report.text.versus",
                &[
                    ("option", &truncate(&option_name(c, i), MAX_NAME)),
                    ("reference", &reference),
                ],
            )
        }));
    }
    let mut body: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let mut cells = vec![row.label.clone()];
            cells.extend(shown.iter().map(|&i| row.means[i].clone()));
            cells.extend(
                shown
                    .iter()
                    .enumerate()
                    .skip(1)
                    .map(|(k, &i)| compose(k, &row.diffs[i])),
            );
            cells
        })
        .collect();

    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for cells in &body {
        for (w, cell) in widths.iter_mut().zip(cells) {
            *w = (*w).max(display_width(cell));
        }
    }
    if let Some(limit) = fit {
        let rest: usize = widths[1..].iter().sum::<usize>() + GAP.len() * (widths.len() - 1);
        let label = limit.saturating_sub(rest).max(MIN_LABEL);
        if widths[0] > label {
            widths[0] = label;
            for cells in &mut body {
                cells[0] = shorten_label(&cells[0], label);
            }
            header[0] = truncate(&header[0], label);
        }
        // The difference column's header may be wider than its figures: cut it to fit.
        let total = widths.iter().sum::<usize>() + GAP.len() * (widths.len() - 1);
        if total > limit {
            let last = widths.len() - 1;
            let cut = widths[last].saturating_sub(total - limit);
            let figures = body
                .iter()
                .map(|b| display_width(&b[last]))
                .max()
                .unwrap_or(0);
            widths[last] = cut.max(figures);
            header[last] = truncate(&header[last], widths[last]);
        }
    }
    let line = |cells: &[String]| -> String {
        let mut s = String::new();
        for (k, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if k > 0 {
                s.push_str(GAP);
            }
            s.push_str(&pad(cell, *w, k == 0));
        }
        s.push('\n');
        s
    };
    let mut out = line(&header);
    let total = widths.iter().sum::<usize>() + GAP.len() * widths.len().saturating_sub(1);
    out.push_str(&"-".repeat(total));
    out.push('\n');
    for cells in &body {
        out.push_str(&line(cells));
    }
    out
}

/// A "label (unit)" (or "标签（单位）") cut to `width` columns in its label, so that the unit
/// stays readable ("bounces between depa… (per 1,000 cases)"); cut at the end when even the
/// unit is too long.
fn shorten_label(cell: &str, width: usize) -> String {
    if display_width(cell) <= width {
        return cell.to_string();
    }
    if let Some(i) = cell.rfind(" (").or_else(|| cell.rfind('（')) {
        let (name, unit) = cell.split_at(i);
        let room = width.saturating_sub(display_width(unit));
        if room >= 8 {
            return format!("{}{unit}", truncate(name, room));
        }
    }
    truncate(cell, width)
}

/// The lines above the table: what was compared, how often and how long.
fn preamble(c: &Comparison, width: usize, lang: Lang) -> String {
    let names: Vec<String> = (0..c.options.len())
        .map(|i| {
            let key = if i == 0 {
                "report.text.name_reference"
            } else {
                "report.text.name"
            };
            trf(lang, key, &[("name", &option_name(c, i))])
        })
        .collect();
    let n = c.options.len();
    let mut s = wrap(
        &trf(
            lang,
            if n == 1 {
                "report.text.compared_one"
            } else {
                "report.text.compared"
            },
            &[
                ("version", &clean(&c.towngov_version)),
                ("n", &n.to_string()),
                (
                    "names",
                    &if names.is_empty() {
                        tr(lang, "report.text.no_names").to_string()
                    } else {
                        names.join(tr(lang, "report.list_sep"))
                    },
                ),
            ],
        ),
        width,
        "",
    );
    let warm = if c.warm_up_days > 0 {
        trf(
            lang,
            "report.text.warm",
            &[("days", &c.warm_up_days.to_string())],
        )
    } else {
        String::new()
    };
    let counted = |n: u64, one: &str, many: &str| {
        trf(
            lang,
            if n == 1 { one } else { many },
            &[("n", &n.to_string())],
        )
    };
    s.push_str(&wrap(
        &trf(
            lang,
            "report.text.runs",
            &[
                (
                    "reps",
                    &counted(
                        c.reps as u64,
                        "report.text.reps_one",
                        "report.text.reps_many",
                    ),
                ),
                (
                    "days",
                    &counted(
                        c.days.into(),
                        "report.text.days_one",
                        "report.text.days_many",
                    ),
                ),
                ("warm", &warm),
            ],
        ),
        width,
        "",
    ));
    if c.options.len() > 1 {
        s.push_str(&wrap(
            &trf(
                lang,
                "report.text.paired",
                &[
                    ("reference", &option_name(c, 0)),
                    ("level", &level_percent(c.level)),
                ],
            ),
            width,
            "",
        ));
    }
    s
}

/// The key to the verdict words.
fn footer(c: &Comparison, width: usize, lang: Lang) -> String {
    let mut s = wrap(
        &trf(
            lang,
            "report.text.key_verdicts",
            &[
                ("level", &level_percent(c.level)),
                ("clause", &adjusted_clause(c, lang)),
            ],
        ),
        width,
        "",
    );
    s.push_str(&wrap(tr(lang, "report.text.key_ns"), width, ""));
    s.push_str(&wrap(tr(lang, "report.text.key_service"), width, ""));
    s
}

/// The significance threshold 1 - level as written under the tables ("0.05").
pub(crate) fn alpha_text(c: &Comparison) -> String {
    if c.level.is_finite() && c.level > 0.0 && c.level < 1.0 {
        num_p(1.0 - c.level)
    } else {
        "1 - level".to_string()
    }
}

/// How the verdicts were adjusted, for the key under the table.
pub(crate) fn adjusted_clause(c: &Comparison, lang: Lang) -> String {
    match c.adjust {
        Adjust::None => tr(lang, "report.table.clause_none").to_string(),
        a => trf(
            lang,
            "report.table.clause",
            &[
                (
                    "method",
                    if a == Adjust::Holm {
                        "Holm"
                    } else {
                        "Benjamini-Hochberg"
                    },
                ),
                ("alpha", &alpha_text(c)),
            ],
        ),
    }
}

fn num_p(x: f64) -> String {
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One indicator's cells before alignment.
struct Row {
    label: String,
    means: Vec<String>,
    /// Per option: [difference, "(low..high)", verdict]; unused for the first option.
    diffs: Vec<[String; 3]>,
}

impl Row {
    fn new(r: &IndicatorRow, n: usize, lang: Lang) -> Row {
        let stats = |i: usize| r.by_option.get(i);
        let unit = r.meta.unit.trim();
        // Sums of a million yuan or more read in millions (in 万 in Chinese).
        let millions = unit == "yuan" && magnitude((0..n).filter_map(stats).map(|s| s.mean)) >= 1e6;
        let (unit, scale) = if millions {
            ("M yuan", if lang == Lang::En { 1e-6 } else { 1e-4 })
        } else {
            (unit, 1.0)
        };
        let unit_shown = if millions {
            tr(lang, "report.text.million_yuan").to_string()
        } else {
            unit_in(unit, lang)
        };
        let label = if unit.is_empty() {
            indicator_label(r, lang)
        } else {
            trf(
                lang,
                "report.text.label_unit",
                &[("label", &indicator_label(r, lang)), ("unit", &unit_shown)],
            )
        };
        let mut scaled = r.clone();
        if millions {
            for s in &mut scaled.by_option {
                s.mean *= scale;
                if let Some(d) = &mut s.diff {
                    d.mean *= scale;
                    if let Some(ci) = &mut d.ci {
                        ci.low *= scale;
                        ci.high *= scale;
                    }
                }
            }
        }
        let r = &scaled;
        let stats = |i: usize| r.by_option.get(i);
        let mean_dec = decimals_for(magnitude((0..n).filter_map(stats).map(|s| s.mean)), unit);
        let mut diff_dec = diff_decimals(r, n, unit);
        if millions {
            // Keep the interval readable in millions: its half-width to two significant
            // digits, down to thousands of yuan.
            let half = (1..n)
                .filter_map(|i| stats(i)?.diff.as_ref().and_then(usable_ci))
                .map(|ci| (ci.high - ci.low) / 2.0)
                .filter(|h| h.is_finite() && *h > 0.0)
                .fold(f64::INFINITY, f64::min);
            if half.is_finite() {
                diff_dec = diff_dec.max((1.0 - half.log10().floor()).clamp(0.0, 3.0) as usize);
            }
        }
        let means = (0..n)
            .map(|i| stats(i).map_or("n/a".to_string(), |s| num(s.mean, mean_dec, false)))
            .collect();
        let diffs = (0..n)
            .map(|i| {
                let diff = stats(i).and_then(|s| s.diff);
                let v = verdict(&r.meta, diff.as_ref());
                let mean = diff.map_or("n/a".to_string(), |d| num(d.mean, diff_dec, true));
                let ci = diff
                    .as_ref()
                    .and_then(usable_ci)
                    .map_or(String::new(), |ci| {
                        format!(
                            "({}..{})",
                            num(ci.low, diff_dec, true),
                            num(ci.high, diff_dec, true)
                        )
                    });
                [
                    mean,
                    ci,
                    tr(lang, &format!("report.verdict.{}", v.key())).to_string(),
                ]
            })
            .collect();
        Row {
            label: truncate(&label, MAX_LABEL),
            means,
            diffs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{comparison, empty};
    use super::*;

    /// The table lines: from the column header to the last indicator.
    fn table_lines(t: &str) -> Vec<&str> {
        let lines: Vec<&str> = t.lines().collect();
        let start = lines
            .iter()
            .position(|l| l.starts_with("Indicator (unit)"))
            .expect("header row");
        lines[start..]
            .iter()
            .take_while(|l| !l.is_empty())
            .copied()
            .collect()
    }

    #[test]
    fn table_lines_up_and_reads_right() {
        let c = comparison();
        let t = text_table(&c, 400);
        let lines = table_lines(&t);
        assert_eq!(lines.len(), 2 + c.indicators.len(), "{t}");
        let w = display_width(lines[0]);
        for l in &lines {
            assert_eq!(display_width(l), w, "line {l:?} in\n{t}");
        }
        let on_time = lines
            .iter()
            .find(|l| l.starts_with("resolved on time (share)"))
            .unwrap();
        assert!(
            on_time.contains("+0.090 (+0.089..+0.091) better"),
            "{on_time}"
        );
        let cost = lines
            .iter()
            .find(|l| l.starts_with("cost per case (yuan)"))
            .unwrap();
        assert!(cost.contains("12,345"), "{cost}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("petitions") && l.contains("n.s."))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("trust") && l.contains("n/a"))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("residents") && l.contains("higher"))
        );
        assert!(t.contains("20 replications of 365 days"));
        assert!(t.contains("paired against the first option"));
        assert!(t.contains("common random numbers"));
    }

    #[test]
    fn cjk_names_still_line_up() {
        let mut c = comparison();
        c.options[1] = "特色小镇改革".to_string();
        c.indicators[0].meta.label = "满意度".to_string();
        for width in [100, 400] {
            let t = text_table(&c, width);
            let lines = table_lines(&t);
            let w = display_width(lines[0]);
            assert!(lines.iter().all(|l| display_width(l) == w), "{t}");
        }
    }

    #[test]
    fn the_chinese_table_has_chinese_headings_words_and_lines_up() {
        let c = comparison();
        for width in [80, 100, 400] {
            let t = text_table_in(&c, width, Lang::ZhCn);
            let lines: Vec<&str> = t.lines().collect();
            assert!(lines.iter().all(|l| display_width(l) <= width), "{t}");
            let starts: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].starts_with("指标（单位）"))
                .collect();
            assert!(!starts.is_empty(), "{t}");
            for start in starts {
                let table: Vec<&str> = lines[start..]
                    .iter()
                    .take_while(|l| !l.is_empty())
                    .copied()
                    .collect();
                let w = display_width(table[0]);
                assert!(table.iter().all(|l| display_width(l) == w), "{t}");
            }
            for english in [
                "Indicator",
                "replication",
                "better",
                "n.s.",
                "against",
                "paired",
            ] {
                assert!(!t.contains(english), "{english} in\n{t}");
            }
            assert!(
                t.contains("更好") && t.contains("不显著") && t.contains("（参照）"),
                "{t}"
            );
        }
        // The English table is the one it always was.
        assert_eq!(text_table(&c, 100), text_table_in(&c, 100, Lang::En));
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let t = text_table(&empty(), 100);
        assert!(t.contains("No options"));
        let mut c = comparison();
        c.indicators.clear();
        assert!(text_table(&c, 100).contains("No indicators"));
        let mut c = comparison();
        for row in &mut c.indicators {
            row.by_option.truncate(1);
        }
        c.indicators[0].by_option[0].mean = f64::INFINITY;
        let t = text_table(&c, 100);
        assert!(t.contains("inf"));
        assert_eq!(
            text_table(&comparison(), 100),
            text_table(&comparison(), 100)
        );
    }

    /// `comparison()` with `n` options: the fixture's options repeated under long names (CJK
    /// in some), so the table must wrap or split into blocks.
    fn with_options(n: usize) -> Comparison {
        let mut c = comparison();
        let names = [
            "development-zone status quo",
            "特色小镇全面改革方案（管理、服务、自治）",
            "management reform with a unified committee",
        ];
        c.options = (0..n).map(|i| format!("{} {i}", names[i % 3])).collect();
        for row in &mut c.indicators {
            let template = row.by_option.clone();
            row.by_option = (0..n)
                .map(|i| {
                    let k = if i == 0 { 0 } else { 1 + i % 2 };
                    template[k.min(template.len() - 1)].clone()
                })
                .collect();
            row.by_option[0].diff = None;
        }
        c.indicators[0].meta.label = "满意度".repeat(20);
        c
    }

    #[test]
    fn no_line_is_wider_than_100_columns_for_1_3_and_6_options() {
        for n in [1, 3, 6] {
            let c = with_options(n);
            let t = text_table(&c, 100);
            for line in t.lines() {
                assert!(display_width(line) <= 100, "{n} options: {line:?} in\n{t}");
            }
            // Every comparison is shown: a block (or columns) per option after the first.
            for i in 1..n {
                assert!(
                    t.contains(&format!(" {i}")),
                    "{n} options: option {i} missing in\n{t}"
                );
            }
            // The verdicts are all there: one line per indicator and compared option.
            let verdicts = t
                .lines()
                .filter(|l| l.trim_end().ends_with("better") || l.trim_end().ends_with("worse"))
                .count();
            assert!(n == 1 || verdicts >= n - 1, "{n} options:\n{t}");
        }
        // A wide terminal keeps the whole table in one piece.
        let t = text_table(&with_options(3), 400);
        assert_eq!(t.matches("Indicator (unit)").count(), 1, "{t}");
        let t = text_table(&with_options(3), 100);
        assert_eq!(t.matches("Indicator (unit)").count(), 2, "{t}");
    }

    #[test]
    fn a_cut_label_keeps_its_unit() {
        let cut = shorten_label("bounces between departments (per 1,000 cases)", 40);
        assert_eq!(cut, "bounces between depar… (per 1,000 cases)");
        assert!(display_width(&cut) <= 40);
        assert_eq!(shorten_label("short (days)", 40), "short (days)");
        assert!(display_width(&shorten_label(&"满意度".repeat(20), 20)) <= 20);
    }

    #[test]
    fn millions_of_yuan_read_in_millions() {
        let mut c = comparison();
        for s in &mut c.indicators[1].by_option {
            s.mean *= 1000.0;
            if let Some(d) = &mut s.diff {
                d.mean *= 1000.0;
                if let Some(ci) = &mut d.ci {
                    ci.low *= 1000.0;
                    ci.high *= 1000.0;
                }
            }
        }
        let t = text_table(&c, 400);
        let cost = t.lines().find(|l| l.starts_with("cost per case")).unwrap();
        assert!(cost.starts_with("cost per case (M yuan)"), "{cost}");
        assert!(
            cost.contains("12.3") && cost.contains("+0.675 (+0.600..+0.749)"),
            "{cost}"
        );
    }
}
