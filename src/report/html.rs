//! The self-contained HTML report: one page with inline CSS and SVG that opens offline and
//! prints cleanly.

use super::first_screen;
use super::forest::forest_svg;
use super::format::{
    Verdict, decimals_for, defuse_urls, diff_decimals, effect, esc, level_percent, magnitude, num,
    option_name, seed_runs, unit_in as unit_text, usable_ci, verdict,
};
use super::i18n::{Lang, tr, trf};
use super::svg::{colour_hex, series_svg};
use crate::experiment::multiplicity::Adjust;
use crate::experiment::results::{Better, Comparison, IndicatorRow};

/// The page's style sheet, inlined into `<style>`.
pub(crate) const STYLE: &str = include_str!("report.css");

/// The whole report as one self-contained HTML5 page (`report.html`) in `lang`: inline CSS and
/// SVG, no scripts, no links, no external fonts or images and no web address anywhere, so it
/// opens offline and prints. In order: title; the first screen (findings, ranking with the
/// Pareto front and each option's budget, cost-effectiveness, each option's levers:
/// `first_screen`); the run facts (options and where they came from, replications, seeds,
/// days, warm-up, level, version); a forest plot of every indicator's paired difference for
/// each option after the first, in % of the reference mean; the full indicator table (means
/// with intervals, paired differences with intervals, effect sizes d_z and verdicts, "n.s."
/// where the interval includes 0, n/a with its reason); one time plot per daily series with a
/// shaded band per option; notes on reading it; the footer. All text is escaped.
pub fn html(c: &Comparison, lang: Lang) -> String {
    let translated = labelled(c, lang);
    let c = &translated;
    let mut h = String::with_capacity(128 * 1024);
    let names: Vec<String> = (0..c.options.len()).map(|i| option_name(c, i)).collect();
    let quoted = |n: &String| format!("“{n}”");
    let title = match names.split_first() {
        None => tr(lang, "report.title.none").to_string(),
        Some((first, [])) => format!("towngov: {first}"),
        Some((first, rest)) => trf(
            lang,
            "report.title.against",
            &[
                (
                    "options",
                    &rest
                        .iter()
                        .map(quoted)
                        .collect::<Vec<_>>()
                        .join(tr(lang, "report.list_sep")),
                ),
                ("reference", first),
            ],
        ),
    };
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        lang.code()
    ));
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&title)
    ));

    h.push_str(&format!(
        "<header>\n<h1>{}</h1>\n",
        esc(tr(lang, "report.heading"))
    ));
    h.push_str(&format!(
        "<p class=\"lead\">{}</p>\n</header>\n",
        esc(&trf(
            lang,
            "report.lead",
            &[
                ("options", &lead_options(&names, lang)),
                ("reps", &c.reps.to_string()),
                ("days", &c.days.to_string()),
                ("version", &c.towngov_version),
            ],
        ))
    ));

    h.push_str(&first_screen::html_section(c, lang));

    facts(c, lang, &mut h);

    let lvl = level_percent(c.level);
    h.push_str(&format!(
        "<section id=\"differences\">\n<h2>{}</h2>\n<figure>\n",
        esc(tr(lang, "report.differences.title"))
    ));
    h.push_str(&forest_svg(c, lang));
    h.push_str(&format!(
        "\n<figcaption>{}</figcaption>\n",
        esc(&trf(
            lang,
            "report.differences.caption",
            &[("reference", &option_name(c, 0)), ("level", &lvl)]
        ))
    ));
    h.push_str("</figure>\n</section>\n");

    table(c, lang, &mut h);

    h.push_str(&format!(
        "<section id=\"series\">\n<h2>{}</h2>\n",
        esc(tr(lang, "report.series.title"))
    ));
    if c.series.is_empty() {
        h.push_str(&format!("<p>{}</p>\n", esc(tr(lang, "report.series.none"))));
    }
    for s in &c.series {
        let unit = s.meta.unit.trim();
        let what = if unit.is_empty() {
            s.meta.label.clone()
        } else {
            trf(
                lang,
                "report.text.label_unit",
                &[("label", &s.meta.label), ("unit", &unit_text(unit, lang))],
            )
        };
        h.push_str(&format!("<figure>\n<h3>{}</h3>\n", esc(&what)));
        h.push_str(&series_svg(s, &names, c.level, lang));
        let start = if c.warm_up_days > 0 {
            trf(
                lang,
                "report.series.after_warm_up",
                &[("days", &c.warm_up_days.to_string())],
            )
        } else {
            tr(lang, "report.series.of_the_run").to_string()
        };
        h.push_str(&format!(
            "\n<figcaption>{}</figcaption>\n</figure>\n",
            esc(&trf(
                lang,
                "report.series.caption",
                &[("what", &what), ("level", &lvl), ("start", &start)]
            ))
        ));
    }
    h.push_str("</section>\n");

    h.push_str(&format!(
        "<section id=\"notes\" class=\"notes\">\n<h2>{}</h2>\n<ul>\n",
        esc(tr(lang, "report.notes.title"))
    ));
    let r = option_name(c, 0);
    for (key, args) in [
        (
            "report.notes.crn",
            vec![("reference", r.as_str()), ("level", lvl.as_str())],
        ),
        ("report.notes.verdicts", vec![]),
        ("report.notes.dz", vec![]),
        ("report.notes.model", vec![]),
    ] {
        let mut text = trf(lang, key, &args);
        if key == "report.notes.verdicts" {
            text.push(' ');
            text.push_str(&adjust_sentence_in(c, lang));
        }
        h.push_str(&format!("<li>{}</li>\n", esc(&text)));
    }
    h.push_str("</ul>\n</section>\n");
    h.push_str(&footer(c, lang));
    h.push_str("</body>\n</html>\n");
    // Belt and braces: no literal web address anywhere, whatever the inputs held.
    defuse_urls(&h)
}

/// The page's footer: one slot, the last element of the body (a provenance line joins here).
/// The footer: the version and the commit the binary was built from, then each option's
/// scenario text, folded (`Comparison::provenance`; the invocation stays out, so the page is
/// the same bytes on any thread count).
fn footer(c: &Comparison, lang: Lang) -> String {
    provenance_footer(&c.towngov_version, &c.provenance, lang)
}

/// [`footer`] from a version and a provenance (the explore report's footer too).
pub(crate) fn provenance_footer(
    towngov_version: &str,
    p: &crate::output::Provenance,
    lang: Lang,
) -> String {
    let mut version = towngov_version.to_string();
    if !p.commit.is_empty() {
        let tree = if p.tree == "dirty" { "+dirty" } else { "" };
        version.push_str(&format!(" ({}{tree})", p.short_commit()));
    }
    let mut f = format!(
        "<footer>\n<p>{}</p>\n",
        esc(&trf(lang, "report.footer", &[("version", &version)]))
    );
    for input in &p.inputs {
        if let Some(text) = &input.text {
            f.push_str(&format!(
                "<details><summary>{} <code>{}</code> ({} lines)</summary>\n<pre style=\"white-space:pre-wrap;max-height:24rem;overflow:auto\">{}</pre>\n</details>\n",
                esc(&input.role),
                esc(&input.origin),
                text.lines().count(),
                esc(text)
            ));
        }
    }
    f.push_str("</footer>\n");
    f
}

/// `c` with its indicator and series labels in `lang` (units and names stay: the formatting
/// reads them).
fn labelled(c: &Comparison, lang: Lang) -> Comparison {
    let mut c = c.clone();
    for row in &mut c.indicators {
        row.meta.label = first_screen::indicator_label(row, lang);
    }
    for s in &mut c.series {
        s.meta.label = first_screen::series_label(&s.meta, lang);
    }
    c
}

/// Which multiplicity adjustment the verdicts used, in one sentence in `lang`.
pub fn adjust_sentence_in(c: &Comparison, lang: Lang) -> String {
    let n = c.indicators.len().to_string();
    match c.adjust {
        Adjust::None => trf(lang, "report.adjust.none", &[("n", &n)]),
        a => trf(
            lang,
            "report.adjust.sentence",
            &[
                (
                    "method",
                    tr(
                        lang,
                        if a == Adjust::Holm {
                            "report.adjust.holm"
                        } else {
                            "report.adjust.bh"
                        },
                    ),
                ),
                ("n", &n),
                ("flag", a.name()),
                ("level", &level_percent(c.level)),
            ],
        ),
    }
}

fn lead_options(names: &[String], lang: Lang) -> String {
    match names.split_first() {
        None => tr(lang, "report.lead.none").to_string(),
        Some((first, [])) => trf(lang, "report.lead.alone", &[("option", first)]),
        Some((first, rest)) => trf(
            lang,
            "report.lead.against",
            &[
                (
                    "options",
                    &rest
                        .iter()
                        .map(|n| format!("“{n}”"))
                        .collect::<Vec<_>>()
                        .join(tr(lang, "report.list_sep")),
                ),
                ("reference", first),
            ],
        ),
    }
}

fn swatch(i: usize) -> String {
    format!(
        "<span class=\"sw\" style=\"background:{}\"></span>",
        colour_hex(i)
    )
}

fn facts(c: &Comparison, lang: Lang, h: &mut String) {
    h.push_str(&format!(
        "<section id=\"runs\">\n<h2>{}</h2>\n<table class=\"facts\">\n<tr><th>{}</th><td>",
        esc(tr(lang, "report.runs.title")),
        esc(tr(lang, "report.runs.options"))
    ));
    if c.options.is_empty() {
        h.push_str(&esc(tr(lang, "report.runs.none")));
    } else {
        h.push_str("<ol>\n");
        for (i, name) in c.options.iter().enumerate() {
            let origin = c.origins.get(i).map_or(String::new(), |o| {
                format!(
                    " — {} <code>{}</code>",
                    esc(tr(lang, "report.runs.from")),
                    esc(o)
                )
            });
            let role = if i == 0 {
                format!(
                    " <span class=\"ref\">({})</span>",
                    esc(tr(lang, "report.reference"))
                )
            } else {
                String::new()
            };
            h.push_str(&format!(
                "<li>{}<b>{}</b>{role}{origin}</li>\n",
                swatch(i),
                esc(name)
            ));
        }
        h.push_str("</ol>");
    }
    h.push_str("</td></tr>\n");
    let warm = if c.warm_up_days > 0 {
        trf(
            lang,
            "report.runs.warm_up_days",
            &[("days", &c.warm_up_days.to_string())],
        )
    } else {
        tr(lang, "report.runs.none").to_string()
    };
    let rows = [
        (
            tr(lang, "report.runs.reps"),
            esc(&trf(
                lang,
                "report.runs.reps_value",
                &[("reps", &c.reps.to_string())],
            )),
        ),
        (
            tr(lang, "report.runs.seeds"),
            format!(
                "<code>{}</code> {}",
                esc(&seed_runs(&c.seeds)),
                esc(&trf(
                    lang,
                    "report.runs.seeds_value",
                    &[("n", &c.seeds.len().to_string())]
                ))
            ),
        ),
        (
            tr(lang, "report.runs.days"),
            esc(&trf(
                lang,
                "report.runs.days_value",
                &[("days", &c.days.to_string())],
            )),
        ),
        (tr(lang, "report.runs.warm_up"), esc(&warm)),
        (
            tr(lang, "report.runs.intervals"),
            esc(&trf(
                lang,
                "report.runs.intervals_value",
                &[("level", &level_percent(c.level))],
            )),
        ),
        ("towngov", esc(&c.towngov_version)),
    ];
    for (k, v) in rows {
        h.push_str(&format!("<tr><th>{}</th><td>{v}</td></tr>\n", esc(k)));
    }
    h.push_str("</table>\n</section>\n");
}

fn table(c: &Comparison, lang: Lang, h: &mut String) {
    let n = c.options.len();
    let lvl = level_percent(c.level);
    h.push_str(&format!(
        "<section id=\"table\">\n<h2>{}</h2>\n",
        esc(tr(lang, "report.table.title"))
    ));
    if n == 0 || c.indicators.is_empty() {
        h.push_str(&format!(
            "<p>{}</p>\n</section>\n",
            esc(tr(lang, "report.table.none"))
        ));
        return;
    }
    let clause = super::text::adjusted_clause(c, lang);
    h.push_str(&format!(
        "<p class=\"adjust\">{}</p>\n",
        esc(&trf(
            lang,
            "report.table.verdicts",
            &[("level", &lvl), ("clause", &clause)]
        ))
    ));
    h.push_str(&format!(
        "<div class=\"wide\">\n<table class=\"ind\">\n<thead>\n<tr><th rowspan=\"2\">{}</th>",
        esc(tr(lang, "report.table.indicator"))
    ));
    h.push_str(&format!(
        "<th colspan=\"{n}\">{}</th>",
        esc(&trf(lang, "report.table.mean", &[("level", &lvl)]))
    ));
    if n > 1 {
        h.push_str(&format!(
            "<th colspan=\"{}\">{}, d<sub>z</sub></th>",
            n - 1,
            esc(&trf(
                lang,
                "report.table.diff",
                &[("reference", &option_name(c, 0)), ("level", &lvl)]
            ))
        ));
    }
    h.push_str("</tr>\n<tr>");
    for i in 0..n {
        let role = if i == 0 {
            format!(
                " <span class=\"ref\">{}</span>",
                esc(tr(lang, "report.reference"))
            )
        } else {
            String::new()
        };
        h.push_str(&format!(
            "<th>{}{}{role}</th>",
            swatch(i),
            esc(&option_name(c, i))
        ));
    }
    for i in 1..n {
        h.push_str(&format!(
            "<th>{}{}</th>",
            swatch(i),
            esc(&option_name(c, i))
        ));
    }
    h.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &c.indicators {
        table_row(c, row, lang, h);
    }
    h.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn table_row(c: &Comparison, row: &IndicatorRow, lang: Lang, h: &mut String) {
    let n = c.options.len();
    let unit = row.meta.unit.trim();
    let better = match row.meta.better {
        Better::Higher => tr(lang, "report.table.higher_better"),
        Better::Lower => tr(lang, "report.table.lower_better"),
        Better::Neither => tr(lang, "report.table.neither"),
    };
    let unit_part = if unit.is_empty() {
        String::new()
    } else {
        format!("{} · ", esc(&unit_text(unit, lang)))
    };
    h.push_str(&format!(
        "<tr><th scope=\"row\">{}<span class=\"meta\">{unit_part}{}</span></th>",
        esc(&row.meta.label),
        esc(better)
    ));
    let stats = |i: usize| row.by_option.get(i);
    let mean_dec = decimals_for(
        magnitude((0..n).filter_map(stats).flat_map(|s| {
            [
                s.mean,
                s.ci.map_or(0.0, |c| c.low),
                s.ci.map_or(0.0, |c| c.high),
            ]
        })),
        unit,
    );
    let diff_dec = diff_decimals(row, n, unit);
    let n_note = |k: usize| {
        if k == c.reps {
            String::new()
        } else {
            format!("<span class=\"n\">n = {k}</span>")
        }
    };
    let no_interval = tr(lang, "report.table.no_interval");
    for i in 0..n {
        match stats(i) {
            None => h.push_str("<td class=\"num\">n/a</td>"),
            Some(s) => {
                let ci = match s.ci {
                    Some(ci) if ci.low.is_finite() && ci.high.is_finite() => format!(
                        "<span class=\"ci\">[{}, {}]</span>",
                        num(ci.low, mean_dec, false),
                        num(ci.high, mean_dec, false)
                    ),
                    _ => format!("<span class=\"ci\">{}</span>", esc(no_interval)),
                };
                h.push_str(&format!(
                    "<td class=\"num\">{}{ci}{}</td>",
                    num(s.mean, mean_dec, false),
                    n_note(s.n)
                ));
            }
        }
    }
    for i in 1..n {
        let diff = stats(i).and_then(|s| s.diff);
        let v = verdict(&row.meta, diff.as_ref());
        let word = esc(tr(lang, &format!("report.verdict.{}", v.key())));
        let d = match diff {
            Some(d) if v != Verdict::NotAvailable => d,
            _ => {
                let reason = esc(&first_screen::na_reason(c, row, i, lang));
                h.push_str(&format!(
                    "<td class=\"num {}\" title=\"{reason}\">n/a<span class=\"why\">{reason}</span><span class=\"verdict\">{word}</span></td>",
                    v.class(),
                ));
                continue;
            }
        };
        let ci = match usable_ci(&d) {
            Some(ci) => format!(
                "<span class=\"ci\">[{}, {}]</span>",
                num(ci.low, diff_dec, true),
                num(ci.high, diff_dec, true)
            ),
            None => format!("<span class=\"ci\">{}</span>", esc(no_interval)),
        };
        let title = match v {
            Verdict::NotSignificant => {
                format!(" title=\"{}\"", esc(tr(lang, "report.table.ns_title")))
            }
            _ => String::new(),
        };
        h.push_str(&format!(
            "<td class=\"num {}\"{title}>{}{ci}<span class=\"dz\">d<sub>z</sub> {}</span>{}<span class=\"verdict\">{word}</span></td>",
            v.class(),
            num(d.mean, diff_dec, true),
            effect(d.effect_size),
            n_note(d.n),
        ));
    }
    h.push_str("</tr>\n");
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{comparison, empty};
    use super::*;
    use crate::experiment::results::{Band, Better, IndicatorMeta, SeriesBands};

    fn assert_offline(page: &str) {
        let lower = page.to_ascii_lowercase();
        for bad in [
            "http://", "https://", "<script", "<link", "<img", "<iframe", "@import", "url(",
            "src=", "href=",
        ] {
            assert!(!lower.contains(bad), "the page contains {bad:?}");
        }
    }

    #[test]
    fn the_page_is_self_contained() {
        let mut c = comparison();
        c.origins[2] = "https://example.org/phased.ron".to_string();
        let page = html(&c, Lang::En);
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<meta charset=\"utf-8\">"));
        assert_offline(&page);
        assert!(
            page.contains("example.org"),
            "the origin is still shown, defused"
        );
        assert!(page.contains("<style>") && page.ends_with("</html>\n"));
    }

    #[test]
    fn one_svg_per_series_plus_the_forest_plot() {
        let c = comparison();
        let page = html(&c, Lang::En);
        assert_eq!(page.matches("<svg").count(), c.series.len() + 1);
        assert_eq!(page.matches("</svg>").count(), c.series.len() + 1);
        // Each plot names its units on the axis.
        assert!(page.contains("open cases (count)") && page.contains("satisfaction (share)"));
        assert!(page.contains("% of its mean"));
    }

    #[test]
    fn names_are_escaped_and_utf8_kept() {
        let mut c = comparison();
        c.options[2] = "特色小镇 & <i>\"full\"</i>".to_string();
        c.indicators[0].meta.label = "<script>alert(1)</script> on time".to_string();
        c.series[0].meta.label = "<b>open</b>".to_string();
        let page = html(&c, Lang::En);
        assert!(
            !page.contains("<b>reform</b>"),
            "raw markup from an option name"
        );
        assert!(page.contains("&lt;b&gt;reform&lt;/b&gt;"));
        assert!(!page.contains("<i>") && !page.contains("<b>open</b>"));
        assert!(!page.contains("<script"));
        assert!(page.contains("特色小镇 &amp; &lt;i&gt;"));
        assert_offline(&page);
    }

    #[test]
    fn table_marks_intervals_that_include_zero() {
        let page = html(&comparison(), Lang::En);
        // petitions under "<b>reform</b>": the interval includes 0.
        let row_start = page.find("<th scope=\"row\">petitions<").unwrap();
        let row = &page[row_start..row_start + page[row_start..].find("</tr>").unwrap()];
        assert!(row.contains("v-ns") && row.contains(">n.s.<"), "{row}");
        assert!(
            row.contains("v-better"),
            "the third option is better on petitions: {row}"
        );
        let trust_start = page
            .find("<th scope=\"row\">trust in the committee<")
            .unwrap();
        let trust = &page[trust_start..trust_start + page[trust_start..].find("</tr>").unwrap()];
        assert!(
            trust.contains(">n/a<") && !trust.contains("v-better") && !trust.contains("v-worse")
        );
        assert!(page.contains("no detectable difference"));
    }

    #[test]
    fn same_input_same_page() {
        assert_eq!(html(&comparison(), Lang::En), html(&comparison(), Lang::En));
    }

    #[test]
    fn degenerate_inputs_still_make_a_page() {
        let page = html(&empty(), Lang::En);
        assert_offline(&page);
        assert_eq!(page.matches("<svg").count(), 1);

        let mut c = comparison();
        c.options.truncate(1);
        c.origins.truncate(1);
        assert_eq!(
            html(&c, Lang::En).matches("<svg").count(),
            c.series.len() + 1
        );

        let nan = vec![f64::NAN; 5];
        let mut c = comparison();
        c.series.push(SeriesBands {
            meta: IndicatorMeta {
                name: "x".into(),
                label: "all gaps".into(),
                unit: "".into(),
                better: Better::Neither,
            },
            days: (1..=5).collect(),
            by_option: vec![Band {
                mean: nan.clone(),
                low: nan.clone(),
                high: nan,
            }],
        });
        c.series.push(SeriesBands {
            meta: c.series[0].meta.clone(),
            days: vec![1, 2, 3],
            by_option: vec![
                Band {
                    mean: vec![f64::INFINITY, 1.0, 1e300],
                    low: vec![],
                    high: vec![0.5],
                },
                Band {
                    mean: vec![2.0; 7],
                    low: vec![1.0; 7],
                    high: vec![3.0; 7],
                },
            ],
        });
        c.series.push(SeriesBands {
            meta: c.series[0].meta.clone(),
            days: vec![],
            by_option: vec![],
        });
        for row in &mut c.indicators {
            for s in &mut row.by_option {
                s.mean = f64::INFINITY;
                if let Some(d) = &mut s.diff {
                    d.mean = f64::NEG_INFINITY;
                    d.effect_size = Some(f64::NAN);
                }
            }
        }
        c.level = 7.0;
        let page = html(&c, Lang::En);
        assert_eq!(page.matches("<svg").count(), c.series.len() + 1);
        assert!(page.contains("no values to plot"));
        assert_offline(&page);
    }
}
