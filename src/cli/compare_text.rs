//! What `compare` prints after its runs, in `--lang`'s language: the table, the first screen's
//! findings and ranking, the adjustment, the warm-up diagnostic, what `--reps auto` did, the
//! run count and the files written; and the `--warm-up auto` pilot's sentence. Every sentence
//! comes from the catalogue (`report.warm_up.*`, `report.precision.*`, `report.summary.*`).

use std::path::Path;
use std::time::Duration;

use towngov::experiment::precision::PrecisionReport;
use towngov::experiment::results::Comparison;
use towngov::experiment::warmup::WarmUpReport;
use towngov::report::i18n::{Lang, tr, trf, try_tr};
use towngov::report::wrap;

use super::terminal;

/// Prints the summary of a finished comparison of `n_options` options written to `out`.
pub(super) fn print_summary(
    c: &Comparison,
    n_options: usize,
    out: &Path,
    elapsed: Duration,
    lang: Lang,
) {
    let width = terminal::width();
    anstream::println!(
        "{}",
        terminal::table(&towngov::report::text_table_in(c, width, lang), lang)
    );
    // A blank line before each block: the findings, the ranking, the adjustment.
    for (i, line) in towngov::report::first_screen::summary_lines(c, lang)
        .into_iter()
        .enumerate()
    {
        if i > 0 && !line.starts_with(|ch: char| ch.is_ascii_digit()) {
            println!();
        }
        print!("{}", wrap(&line, width, "   "));
    }
    println!();
    print!(
        "{}",
        wrap(&towngov::report::adjust_sentence_in(c, lang), width, "")
    );
    if let Some(w) = &c.warm_up_diagnostic {
        let text = trf(
            lang,
            "report.warm_up.diagnostic",
            &[
                ("name", c.options.first().map_or("", String::as_str)),
                ("days", &c.warm_up_days.to_string()),
                ("sentence", &warm_up_sentence(w, lang)),
            ],
        );
        print!("{}", wrap(&format!("\n{text}\n"), width, ""));
    }
    if let Some(p) = &c.precision {
        print!("{}", wrap(&precision_sentence(p, lang), width, ""));
    }
    let n_runs = c.reps * n_options;
    println!(
        "\n{}",
        trf(
            lang,
            "report.summary.runs",
            &[
                ("n", &n_runs.to_string()),
                ("secs", &format!("{:.1}", elapsed.as_secs_f64())),
                (
                    "rate",
                    &format!("{:.1}", n_runs as f64 / elapsed.as_secs_f64().max(1e-9))
                ),
                ("threads", &threads_text(rayon::current_num_threads(), lang)),
            ]
        )
    );
    print!(
        "{}",
        wrap(
            &trf(
                lang,
                "report.summary.wrote",
                &[("out", &out.display().to_string())]
            ),
            width,
            ""
        )
    );
}

/// The `--warm-up auto` pilot's sentence: "Pilot of “NAME”: MSER-5 warm-up: ...".
pub(super) fn pilot_sentence(name: &str, w: &WarmUpReport, lang: Lang) -> String {
    trf(
        lang,
        "report.warm_up.pilot",
        &[("name", name), ("sentence", &warm_up_sentence(w, lang))],
    )
}

/// "1 thread", "2 threads", "2 个线程".
fn threads_text(n: usize, lang: Lang) -> String {
    let key = if n == 1 {
        "report.summary.threads_one"
    } else {
        "report.summary.threads"
    };
    trf(lang, key, &[("n", &n.to_string())])
}

/// A daily indicator's name in `lang`: the catalogue's label in Chinese, the name in English
/// (as the English sentence always said).
fn indicator(name: &str, lang: Lang) -> String {
    match lang {
        Lang::En => name.to_string(),
        _ => try_tr(lang, &format!("ind.{name}")).map_or_else(|| name.to_string(), str::to_string),
    }
}

/// The MSER-5 diagnostic in one sentence (in English, `WarmUpReport::sentence`'s words).
pub(super) fn warm_up_sentence(w: &WarmUpReport, lang: Lang) -> String {
    let worst = w
        .by_indicator
        .iter()
        .filter_map(|(n, m)| m.as_ref().map(|m| (n, m.days)))
        .max_by_key(|(_, d)| *d);
    let averaged = if w.replications > 1 {
        trf(
            lang,
            "report.warm_up.averaged",
            &[("reps", &w.replications.to_string())],
        )
    } else {
        String::new()
    };
    let set_by = match worst.filter(|(_, d)| *d > 0) {
        Some((name, d)) => trf(
            lang,
            "report.warm_up.set_by",
            &[
                ("indicator", &indicator(name, lang)),
                ("days", &d.to_string()),
            ],
        ),
        None => String::new(),
    };
    let not_settled = if w.not_settled.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = w.not_settled.iter().map(|n| indicator(n, lang)).collect();
        let sep = if lang == Lang::En {
            ", "
        } else {
            tr(lang, "report.list_sep")
        };
        trf(
            lang,
            "report.warm_up.not_settled",
            &[("list", &names.join(sep))],
        )
    };
    trf(
        lang,
        "report.warm_up.sentence",
        &[
            ("days", &w.suggested_days.to_string()),
            ("n", &w.by_indicator.len().to_string()),
            ("horizon", &w.horizon_days.to_string()),
            ("averaged", &averaged),
            ("set_by", &set_by),
            ("not_settled", &not_settled),
        ],
    )
}

/// A figure in 4 significant digits or so, for a sentence.
fn short(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    if x.abs() >= 1000.0 {
        return format!("{x:.0}");
    }
    let s = format!("{:.4}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// What `--reps auto` did, in one paragraph (starting with a blank line).
pub(super) fn precision_sentence(p: &PrecisionReport, lang: Lang) -> String {
    let batches: Vec<String> = p.batches.iter().map(usize::to_string).collect();
    let mut s = String::from("\n");
    s += &trf(
        lang,
        "report.precision.head",
        &[
            ("reps", &p.reps_used.to_string()),
            ("batches", &batches.join(tr(lang, "report.list_sep"))),
            ("cap", &p.max_reps.to_string()),
        ],
    );
    if p.all_met {
        s += tr(lang, "report.precision.all_met");
        s.push('\n');
        return s;
    }
    let unmet = p.unmet();
    let items: Vec<String> = unmet
        .iter()
        .take(8)
        .map(|o| {
            let need = if o.needed == usize::MAX {
                tr(lang, "report.precision.need_never").to_string()
            } else {
                trf(
                    lang,
                    "report.precision.need_about",
                    &[("n", &o.needed.to_string())],
                )
            };
            trf(
                lang,
                "report.precision.item",
                &[
                    ("indicator", &indicator(&o.indicator, lang)),
                    ("option", &(o.option + 1).to_string()),
                    ("half", &short(o.half_width)),
                    ("target", &short(o.target)),
                    ("need", &need),
                ],
            )
        })
        .collect();
    let key = if unmet.len() == 1 {
        "report.precision.unmet_one"
    } else {
        "report.precision.unmet"
    };
    let more = if unmet.len() > 8 {
        tr(lang, "report.precision.more")
    } else {
        ""
    };
    s += &trf(
        lang,
        key,
        &[
            ("n", &unmet.len().to_string()),
            ("items", &items.join(tr(lang, "report.precision.item_sep"))),
            ("more", more),
        ],
    );
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use towngov::experiment::warmup::Mser;

    fn report() -> WarmUpReport {
        WarmUpReport {
            horizon_days: 730,
            replications: 10,
            by_indicator: vec![
                ("enterprises".to_string(), Some(mser(90))),
                ("participation_rate".to_string(), Some(mser(40))),
            ],
            suggested_days: 90,
            not_settled: vec!["participation_rate".to_string()],
        }
    }

    fn mser(days: u32) -> Mser {
        Mser {
            days,
            at_limit: false,
        }
    }

    #[test]
    fn the_english_warm_up_sentence_is_the_reports_own() {
        let w = report();
        assert_eq!(warm_up_sentence(&w, Lang::En), w.sentence());
        let zh = warm_up_sentence(&w, Lang::ZhCn);
        assert!(zh.starts_with("MSER-5 预热：建议 90 天"), "{zh}");
        assert!(
            !zh.contains("suggested") && !zh.contains("enterprises"),
            "{zh}"
        );
    }

    #[test]
    fn threads_are_counted_in_both_languages() {
        assert_eq!(threads_text(1, Lang::En), "1 thread");
        assert_eq!(threads_text(2, Lang::En), "2 threads");
        assert_eq!(threads_text(2, Lang::ZhCn), "2 个线程");
    }
}
