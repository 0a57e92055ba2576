//! The explore summary for a terminal, in either language: the findings, a fixed-width table
//! of every option (rank by regret, share of futures beating the reference on the decision
//! figures, regret on the objective), a table of failing futures per criterion, and where each
//! option fails, in words. Columns are padded by display width (a CJK character takes two
//! columns), so Chinese headings stay aligned.

use super::explore_decision::{COLUMNS, decide};
pub use super::explore_words::design_text;
use super::explore_words::{amount, criterion_text, failure_sentence, finding_texts, pct, unit_of};
use super::format::{display_width, pad, truncate, wrap};
use super::i18n::{Lang, tr, trf};
use crate::experiment::explore::Explore;
use crate::experiment::explore_analysis::Analysis;

/// Option names are cut to this many columns in the tables.
const NAME_COLUMNS: usize = 28;

/// The summary's lines (without newlines), laid out for `width` columns.
pub fn summary_lines(e: &Explore, a: &Analysis, lang: Lang, width: usize) -> Vec<String> {
    let d = decide(e, a);
    let mut out = Vec::new();
    out.push(tr(lang, "report.findings.title").to_string());
    for (i, f) in finding_texts(&d, &e.objective.0, &a.reference, lang)
        .into_iter()
        .enumerate()
    {
        push_wrapped(&mut out, &format!("{}. {f}", i + 1), width, "   ");
    }
    out.push(String::new());
    out.push(trf(
        lang,
        "explore.summary.table",
        &[
            ("reference", &format!("“{}”", a.reference)),
            ("n", &a.n_futures.to_string()),
        ],
    ));
    let unit = unit_of(&e.objective.0);
    let mut header = vec![
        tr(lang, "report.col.option").to_string(),
        tr(lang, "report.col.rank").to_string(),
    ];
    header.extend(
        COLUMNS
            .iter()
            .map(|(k, _)| tr(lang, &format!("explore.col.{k}")).to_string()),
    );
    header.extend(
        [
            "explore.col.regret_max",
            "explore.col.regret_p90",
            "explore.col.best",
        ]
        .map(|k| tr(lang, k).to_string()),
    );
    let mut rows = Vec::new();
    for (o, ov) in d.options.iter().enumerate() {
        let rank = d.ranking.iter().position(|&r| r == o).map_or(0, |r| r + 1);
        let mut name = truncate(&ov.name, NAME_COLUMNS);
        if ov.reference {
            name = format!("{name} ({})", tr(lang, "report.reference"));
        }
        let mut row = vec![name, rank.to_string()];
        row.extend(ov.beats.iter().map(|b| match b {
            Some(b) => pct(b.share()),
            None if ov.reference => "—".to_string(),
            None => "n/a".to_string(),
        }));
        let r = &ov.regret;
        row.push(amount(r.max.unwrap_or(f64::NAN), &unit, false, lang));
        row.push(amount(r.p90.unwrap_or(f64::NAN), &unit, false, lang));
        row.push(pct(r.best_share.unwrap_or(f64::NAN)));
        rows.push(row);
    }
    // Too wide for the terminal: the shares first, then the regret, each with the names.
    if display_width(&table(&header, &rows)[1]) > width {
        let split = 2 + COLUMNS.len();
        let part = |cols: &[usize]| -> (Vec<String>, Vec<Vec<String>>) {
            let pick = |r: &Vec<String>| cols.iter().map(|&j| r[j].clone()).collect::<Vec<_>>();
            (pick(&header), rows.iter().map(pick).collect())
        };
        let first: Vec<usize> = (0..split).collect();
        let second: Vec<usize> = [0].into_iter().chain(split..header.len()).collect();
        for cols in [first, second] {
            let (h, r) = part(&cols);
            out.extend(table(&h, &r));
            out.push(String::new());
        }
        out.pop();
    } else {
        out.extend(table(&header, &rows));
    }
    push_wrapped(&mut out, tr(lang, "explore.summary.key"), width, "");
    if !d.criteria.is_empty() {
        out.push(String::new());
        out.push(tr(lang, "explore.fails.title").to_string());
        let mut header = vec![tr(lang, "report.col.option").to_string()];
        header.extend((1..=d.criteria.len()).map(|i| format!("C{i}")));
        let rows: Vec<Vec<String>> = d
            .options
            .iter()
            .filter(|ov| !ov.reference)
            .map(|ov| {
                let mut row = vec![truncate(&ov.name, NAME_COLUMNS)];
                row.extend(d.criteria.iter().enumerate().map(|(c, _)| {
                    ov.failures
                        .iter()
                        .find(|f| f.criterion == c)
                        .map_or("n/a".to_string(), |f| {
                            format!("{}/{}", f.failing, f.evaluated)
                        })
                }));
                row
            })
            .collect();
        out.extend(table(&header, &rows));
        for (i, c) in d.criteria.iter().enumerate() {
            push_wrapped(
                &mut out,
                &format!("C{}: {}", i + 1, criterion_text(c, d.named[i], lang)),
                width,
                "    ",
            );
        }
        out.push(String::new());
        for (o, ov) in d.options.iter().enumerate() {
            for i in 0..ov.failures.len() {
                push_wrapped(
                    &mut out,
                    &format!("- {}", failure_sentence(&d, o, i, lang)),
                    width,
                    "  ",
                );
            }
        }
    }
    out
}

fn push_wrapped(out: &mut Vec<String>, text: &str, width: usize, indent: &str) {
    out.extend(wrap(text, width, indent).lines().map(str::to_string));
}

/// Rows under a header, columns two spaces apart: the first left-aligned, the others right.
fn table(header: &[String], rows: &[Vec<String>]) -> Vec<String> {
    let n = header.len();
    let widths: Vec<usize> = (0..n)
        .map(|j| {
            rows.iter()
                .filter_map(|r| r.get(j))
                .chain([&header[j]])
                .map(|s| display_width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        let s: Vec<String> = (0..n)
            .map(|j| {
                let cell = cells.get(j).map_or("", String::as_str);
                pad(cell, widths[j], j == 0)
            })
            .collect();
        s.join("  ").trim_end().to_string()
    };
    let mut out = vec![line(header)];
    out.push("-".repeat(widths.iter().sum::<usize>() + 2 * (n.saturating_sub(1))));
    out.extend(rows.iter().map(|r| line(r)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width() {
        let header = vec!["方案".to_string(), "按时办结".to_string()];
        let rows = vec![
            vec!["现状".to_string(), "100%".to_string()],
            vec!["full reform".to_string(), "7%".to_string()],
        ];
        let t = table(&header, &rows);
        let widths: Vec<usize> = t.iter().map(|l| display_width(l)).collect();
        assert!(widths.iter().all(|&w| w == widths[0]), "{t:?} {widths:?}");
        assert!(t[2].starts_with("现状") && t[2].ends_with("100%"), "{t:?}");
    }
}
