//! The self-contained HTML report: one page with inline CSS and SVG that opens offline and
//! prints cleanly.

use super::forest::forest_svg;
use super::format::{
    Verdict, decimals_for, defuse_urls, diff_decimals, effect, esc, level_percent, magnitude, num,
    option_name, seed_runs, usable_ci, verdict,
};
use super::svg::{colour_hex, series_svg};
use super::words::plain_words;
use crate::experiment::results::{Better, Comparison, IndicatorRow};

const STYLE: &str = r#"
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#fff;max-width:1100px;margin:0 auto;padding:24px 20px 48px;line-height:1.45}
h1{font-size:1.6rem;margin:0 0 .25rem}
h2{font-size:1.25rem;margin:2.2rem 0 .6rem;padding-bottom:.2rem;border-bottom:1px solid #ddd}
h3{font-size:1.02rem;margin:0 0 .35rem}
.lead{color:#555;margin:0}
.summary{background:#f5f7f9;border-left:4px solid #0072b2;margin:1rem 0;padding:.5rem 1rem .5rem 1.8rem}
.summary li{margin:.3rem 0}
table{border-collapse:collapse;font-size:.9rem}
.facts th{text-align:left;font-weight:600;padding:.2rem 1.2rem .2rem 0;vertical-align:top;white-space:nowrap}
.facts td{padding:.2rem 0;vertical-align:top}
.facts ol{margin:0;padding-left:1.3rem}
.wide{overflow-x:auto}
.ind th,.ind td{border-bottom:1px solid #ddd;padding:.35rem .55rem;vertical-align:top}
.ind thead th{background:#f2f2f2;text-align:center;border-bottom:2px solid #bbb;font-weight:600}
.ind tbody th{text-align:left;font-weight:600;min-width:9rem;max-width:16rem}
.meta{display:block;font-weight:400;font-size:.8rem;color:#555}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ci,.dz,.n{display:block;font-size:.8rem;color:#555}
.verdict{display:inline-block;margin-top:.15rem;padding:0 .35rem;font-size:.78rem;font-weight:600;border:1px solid #999;border-radius:3px;color:#555}
.v-better{background:#dcebf7}
.v-better .verdict{border-color:#0072b2;color:#00517f}
.v-worse{background:#fbe2d3}
.v-worse .verdict{border-color:#d55e00;color:#953f00}
.v-change .verdict{border-color:#333;color:#333}
.ref{font-weight:400;font-size:.8rem;color:#555}
.sw{display:inline-block;width:.8em;height:.8em;margin-right:.35em;border-radius:2px}
figure{margin:1.2rem 0 2rem;break-inside:avoid;page-break-inside:avoid}
svg.plot{display:block;max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.88rem;color:#555;margin-top:.35rem;max-width:760px}
.notes{font-size:.9rem;color:#555}
.notes li{margin:.2rem 0}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:anywhere}
footer{margin-top:2.5rem;font-size:.8rem;color:#555}
@media print{
body{max-width:none;padding:0;font-size:10pt}
.wide{overflow:visible}
h2{break-after:avoid;page-break-after:avoid}
table{font-size:8pt}
.ind th,.ind td{padding:.25rem .3rem}
.num{white-space:normal}
svg.plot{border:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
@page{size:A4;margin:14mm}
"#;

/// The whole report as one self-contained HTML5 page (`report.html`): inline CSS and SVG, no
/// scripts, no links, no external fonts or images and no web address anywhere, so it opens
/// offline and prints. In order: title; the plain-words summary; the run facts (options and
/// where they came from, replications, seeds, days, warm-up, level, version); a forest plot of
/// every indicator's paired difference for each option after the first, in % of the reference
/// mean; the full indicator table (means with intervals, paired differences with intervals,
/// effect sizes d_z and verdicts, "n.s." where the interval includes 0); one time plot per
/// daily series with a shaded band per option; notes on reading it. All text is escaped.
pub fn html(c: &Comparison) -> String {
    let mut h = String::with_capacity(128 * 1024);
    let names: Vec<String> = (0..c.options.len()).map(|i| option_name(c, i)).collect();
    let title = match names.split_first() {
        None => "towngov comparison (no options)".to_string(),
        Some((first, [])) => format!("towngov: {first}"),
        Some((first, rest)) => format!("towngov: {} against {first}", rest.join(", ")),
    };
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    h.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&title)
    ));

    h.push_str("<header>\n<h1>Comparing reform options</h1>\n");
    h.push_str(&format!(
        "<p class=\"lead\">{}: {} replication{} of {} days each, towngov {}.</p>\n</header>\n",
        lead_options(&names),
        c.reps,
        if c.reps == 1 { "" } else { "s" },
        c.days,
        esc(&c.towngov_version)
    ));

    h.push_str("<section id=\"summary\">\n<h2>In plain words</h2>\n<ul class=\"summary\">\n");
    for s in plain_words(c) {
        h.push_str(&format!("<li>{}</li>\n", esc(&s)));
    }
    h.push_str("</ul>\n</section>\n");

    facts(c, &mut h);

    let lvl = level_percent(c.level);
    h.push_str("<section id=\"differences\">\n<h2>Differences at a glance</h2>\n<figure>\n");
    h.push_str(&forest_svg(c));
    h.push_str(&format!(
        "\n<figcaption>Each point is the mean paired difference from “{}” over the replications, \
         as a percentage of its mean (a relative change, not percentage points), with its {lvl} \
         paired Student-t interval; the line marks zero. Filled: the interval excludes zero; \
         hollow: no detectable difference; an arrow: the interval runs off the axis. Exact figures \
         are in the table below.</figcaption>\n",
        esc(&option_name(c, 0))
    ));
    h.push_str("</figure>\n</section>\n");

    table(c, &mut h);

    h.push_str("<section id=\"series\">\n<h2>Over time</h2>\n");
    if c.series.is_empty() {
        h.push_str("<p>No daily series were recorded.</p>\n");
    }
    for s in &c.series {
        let unit = s.meta.unit.trim();
        let what = if unit.is_empty() {
            esc(&s.meta.label)
        } else {
            format!("{} ({})", esc(&s.meta.label), esc(unit))
        };
        h.push_str(&format!("<figure>\n<h3>{what}</h3>\n"));
        h.push_str(&series_svg(s, &names, c.level));
        h.push_str(&format!(
            "\n<figcaption>Daily {what} for each option: the line is the mean over the \
             replications, the shading its {lvl} confidence interval (Student t over the replications); gaps are days without \
             a value. Day 1 is the first day {}.</figcaption>\n</figure>\n",
            if c.warm_up_days > 0 {
                format!("after the {}-day warm-up", c.warm_up_days)
            } else {
                "of the run".to_string()
            }
        ));
    }
    h.push_str("</section>\n");

    h.push_str(&format!(
        "<section id=\"notes\" class=\"notes\">\n<h2>Reading this report</h2>\n<ul>\n\
         <li>Every option ran with the same seeds (common random numbers), so each replication of \
         an option is paired with the same replication of “{r}”; differences and their {lvl} \
         Student-t intervals are computed on those pairs, so whatever the seeds do to both \
         options alike cancels out of the difference.</li>\n\
         <li><b>better</b> / <b>worse</b>: the interval of the difference excludes zero on the \
         good / bad side of the indicator; <b>higher</b> / <b>lower</b>: it excludes zero for an \
         indicator that is neither good nor bad in itself; <b>n.s.</b>: the interval includes \
         zero, or its p-value adjusted for the many indicators is not low enough (no \
         detectable difference); <b>n/a</b>: fewer than two pairs or no finite interval. {adj}</li>\n\
         <li>d<sub>z</sub> is the standardised effect: the mean paired difference divided by the \
         standard deviation of the differences.</li>\n\
         <li>These are differences in a model of a town, not forecasts for a real one.</li>\n\
         </ul>\n</section>\n",
        r = esc(&option_name(c, 0)),
        adj = esc(&super::words::adjust_sentence(c))
    ));
    h.push_str(&provenance_footer(c));
    h.push_str("</body>\n</html>\n");
    // Belt and braces: no literal web address anywhere, whatever the inputs held.
    defuse_urls(&h)
}

fn lead_options(names: &[String]) -> String {
    match names.split_first() {
        None => "No options".to_string(),
        Some((first, [])) => format!("“{}” alone", esc(first)),
        Some((first, rest)) => format!(
            "{} against “{}” (the reference)",
            rest.iter()
                .map(|n| format!("“{}”", esc(n)))
                .collect::<Vec<_>>()
                .join(", "),
            esc(first)
        ),
    }
}

fn swatch(i: usize) -> String {
    format!(
        "<span class=\"sw\" style=\"background:{}\"></span>",
        colour_hex(i)
    )
}

fn facts(c: &Comparison, h: &mut String) {
    h.push_str("<section id=\"runs\">\n<h2>The runs</h2>\n<table class=\"facts\">\n");
    h.push_str("<tr><th>Options</th><td>");
    if c.options.is_empty() {
        h.push_str("none");
    } else {
        h.push_str("<ol>\n");
        for (i, name) in c.options.iter().enumerate() {
            let origin = c.origins.get(i).map_or(String::new(), |o| {
                format!(" — from <code>{}</code>", esc(o))
            });
            let role = if i == 0 {
                " <span class=\"ref\">(reference)</span>"
            } else {
                ""
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
        format!(
            "{} days, shared by all options, before day 1",
            c.warm_up_days
        )
    } else {
        "none".to_string()
    };
    let rows = [
        (
            "Replications",
            format!("{} per option, paired across options", c.reps),
        ),
        (
            "Seeds",
            format!(
                "<code>{}</code> ({} seeds, the same for every option)",
                esc(&seed_runs(&c.seeds)),
                c.seeds.len()
            ),
        ),
        ("Days", format!("{} simulated days per run", c.days)),
        ("Warm-up", warm),
        (
            "Intervals",
            format!(
                "{} Student-t; differences paired against the first option",
                level_percent(c.level)
            ),
        ),
        ("towngov", esc(&c.towngov_version)),
    ];
    for (k, v) in rows {
        h.push_str(&format!("<tr><th>{k}</th><td>{v}</td></tr>\n"));
    }
    h.push_str("</table>\n</section>\n");
}

fn table(c: &Comparison, h: &mut String) {
    let n = c.options.len();
    let lvl = level_percent(c.level);
    h.push_str("<section id=\"table\">\n<h2>All indicators</h2>\n");
    if n == 0 || c.indicators.is_empty() {
        h.push_str("<p>No indicators to show.</p>\n</section>\n");
        return;
    }
    h.push_str(&format!(
        "<p class=\"adjust\">Verdicts: better / worse where the {lvl} interval of the difference excludes zero{}.</p>\n",
        esc(&super::text::adjusted_clause(c))
    ));
    h.push_str("<div class=\"wide\">\n<table class=\"ind\">\n<thead>\n<tr><th rowspan=\"2\">Indicator</th>");
    h.push_str(&format!("<th colspan=\"{n}\">Mean ({lvl} interval)</th>"));
    if n > 1 {
        h.push_str(&format!(
            "<th colspan=\"{}\">Paired difference from “{}” ({lvl} interval), d<sub>z</sub></th>",
            n - 1,
            esc(&option_name(c, 0))
        ));
    }
    h.push_str("</tr>\n<tr>");
    for i in 0..n {
        let role = if i == 0 {
            " <span class=\"ref\">reference</span>"
        } else {
            ""
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
        table_row(c, row, h);
    }
    h.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn table_row(c: &Comparison, row: &IndicatorRow, h: &mut String) {
    let n = c.options.len();
    let unit = row.meta.unit.trim();
    let better = match row.meta.better {
        Better::Higher => "↑ higher is better",
        Better::Lower => "↓ lower is better",
        Better::Neither => "neither better nor worse",
    };
    let unit_part = if unit.is_empty() {
        String::new()
    } else {
        format!("{} · ", esc(unit))
    };
    h.push_str(&format!(
        "<tr><th scope=\"row\">{}<span class=\"meta\">{unit_part}{better}</span></th>",
        esc(&row.meta.label),
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
                    _ => "<span class=\"ci\">no interval</span>".to_string(),
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
        let Some(d) = diff else {
            h.push_str(&format!(
                "<td class=\"num {}\">n/a<span class=\"verdict\">{}</span></td>",
                v.class(),
                v.word()
            ));
            continue;
        };
        let ci = match usable_ci(&d) {
            Some(ci) => format!(
                "<span class=\"ci\">[{}, {}]</span>",
                num(ci.low, diff_dec, true),
                num(ci.high, diff_dec, true)
            ),
            None => "<span class=\"ci\">no interval</span>".to_string(),
        };
        let title = match v {
            Verdict::NotSignificant => {
                " title=\"no detectable difference: the interval includes zero or the adjusted p-value is not low enough\""
            }
            Verdict::NotAvailable => " title=\"fewer than two pairs or no finite interval\"",
            _ => "",
        };
        h.push_str(&format!(
            "<td class=\"num {}\"{title}>{}{ci}<span class=\"dz\">d<sub>z</sub> {}</span>{}<span class=\"verdict\">{}</span></td>",
            v.class(),
            num(d.mean, diff_dec, true),
            effect(d.effect_size),
            n_note(d.n),
            v.word()
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
        let page = html(&c);
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
        let page = html(&c);
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
        let page = html(&c);
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
        let page = html(&comparison());
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
        assert_eq!(html(&comparison()), html(&comparison()));
    }

    #[test]
    fn degenerate_inputs_still_make_a_page() {
        let page = html(&empty());
        assert_offline(&page);
        assert_eq!(page.matches("<svg").count(), 1);

        let mut c = comparison();
        c.options.truncate(1);
        c.origins.truncate(1);
        assert_eq!(html(&c).matches("<svg").count(), c.series.len() + 1);

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
        let page = html(&c);
        assert_eq!(page.matches("<svg").count(), c.series.len() + 1);
        assert!(page.contains("no values to plot"));
        assert_offline(&page);
    }
}

// The provenance footer (engineer C, issue 15 item 4): a separate function, so the report's
// rewrite keeps one call to it. The invocation (command line, threads) is left out: the page
// is byte-identical on any number of threads; comparison.json holds it.

/// The footer: towngov's version, the commit it was built from and whether its tree was clean,
/// and every option's scenario text in a folded block.
fn provenance_footer(c: &Comparison) -> String {
    let p = &c.provenance;
    let mut f = format!("<footer>\n<p>Made by towngov {}", esc(&c.towngov_version));
    if !p.commit.is_empty() {
        let tree = match p.tree.as_str() {
            "dirty" => ", built with uncommitted changes",
            "unknown" => ", tree state unknown",
            _ => "",
        };
        f.push_str(&format!(
            " (commit <code>{}</code>{tree})",
            esc(p.short_commit())
        ));
    }
    f.push_str(". This page is self-contained: it loads nothing from anywhere.</p>\n");
    for input in &p.inputs {
        if let Some(text) = &input.text {
            f.push_str(&format!(
                "<details><summary>{} <code>{}</code> ({} lines, full text)</summary>\n<pre style=\"white-space:pre-wrap;max-height:24rem;overflow:auto\">{}</pre>\n</details>\n",
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
