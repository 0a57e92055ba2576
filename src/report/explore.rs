//! `report.html` of `towngov explore`: which option holds up across plausible futures, at what
//! cost, and how sure. One self-contained page (the compare report's style sheet, money
//! formatting, catalogue and provenance footer; inline SVG; nothing fetched), in either
//! language. First screen: findings, the ranking by regret, each option against the reference
//! on the decision figures across futures, where each option fails each criterion (PRIM's box
//! in words), each option's levers. Below: a strip plot of every option's difference on the
//! objective, future by future; the uncertain parameters; the full table; the run facts.

use super::explore_decision::{COLUMNS, ExploreDecision, decide};
use super::explore_words::{
    amount, criterion_text, design_text, failure_sentence, finding_texts, indicator_label,
    param_label, pct, share, unit_of, value,
};
use super::first_screen::{header_cells, option_lever_lines};
use super::format::{defuse_urls, esc, truncate};
use super::html::{STYLE, provenance_footer};
use super::i18n::{Lang, tr, trf};
use super::svg::colour_hex;
use crate::experiment::explore::{Direction, Explore, REPORT_FIGURES};
use crate::experiment::explore_analysis::{Analysis, Percentiles};
use crate::experiment::params::Kind;
use crate::output::Provenance;

/// Rules the compare report's style sheet has no need for.
const EXTRA_STYLE: &str = ".rank tbody th,.fails tbody th{min-width:12rem}.fails td,.fails th{border-bottom:1px solid #ddd;padding:.35rem .55rem;vertical-align:top;text-align:left}.fails thead th{background:#f2f2f2;font-weight:600}.fails td.num{text-align:right}td.bad{color:#953f00;font-weight:600}.strip text{font:12px system-ui,sans-serif;fill:#333}";

/// The whole page in `lang`. `provenance` holds the explore file and every option's scenario
/// (its invocation is not shown, so the page is the same bytes on any thread count and after
/// a shard merge).
pub fn explore_html(e: &Explore, a: &Analysis, provenance: &Provenance, lang: Lang) -> String {
    let d = decide(e, a);
    let mut h = String::with_capacity(64 * 1024);
    let title = trf(lang, "explore.title", &[("name", &a.name)]);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}{EXTRA_STYLE}</style>\n</head>\n<body>\n",
        lang.code(),
        esc(&title)
    ));
    let obj_label = indicator_label(&e.objective.0, lang);
    h.push_str(&format!(
        "<header>\n<h1>{}</h1>\n<p class=\"lead\">{}</p>\n</header>\n",
        esc(&title),
        esc(&trf(
            lang,
            "explore.lead",
            &[
                ("options", &a.options.len().to_string()),
                ("futures", &a.n_futures.to_string()),
                ("reps", &a.replications.to_string()),
                ("days", &a.days.to_string()),
                ("reference", &format!("“{}”", a.reference)),
                ("objective", &obj_label),
                ("better", better_word(e.objective.1, lang)),
            ],
        ))
    ));
    h.push_str(&format!(
        "<section id=\"decision\">\n<h2>{}</h2>\n<h3>{}</h3>\n<ol class=\"findings\">\n",
        esc(tr(lang, "report.decision.title")),
        esc(tr(lang, "report.findings.title"))
    ));
    for f in finding_texts(&d, &e.objective.0, &a.reference, lang) {
        h.push_str(&format!("<li>{}</li>\n", esc(&f)));
    }
    h.push_str(&format!(
        "</ol>\n<p class=\"rule\">{}</p>\n",
        esc(tr(lang, "explore.findings.rule"))
    ));
    ranking_table(e, &d, lang, &mut h);
    beats_table(e, a, &d, lang, &mut h);
    failures_table(&d, lang, &mut h);
    h.push_str(&format!(
        "<h3>{}</h3>\n",
        esc(&trf(
            lang,
            "report.levers.title",
            &[("reference", &format!("“{}”", a.reference))]
        ))
    ));
    for (o, ov) in d.options.iter().enumerate() {
        if o == e.reference {
            continue;
        }
        h.push_str(&format!(
            "<div class=\"levers\"><h4>{}</h4>\n<ul>\n",
            esc(&ov.name)
        ));
        for line in option_lever_lines(Some(&ov.levers), lang) {
            h.push_str(&format!("<li>{}</li>\n", esc(&line)));
        }
        h.push_str("</ul></div>\n");
    }
    h.push_str("</section>\n");
    strip_plot(e, a, lang, &mut h);
    parameters(e, lang, &mut h);
    full_table(e, a, lang, &mut h);
    facts(e, a, lang, &mut h);
    h.push_str(&provenance_footer(
        &provenance.towngov_version,
        provenance,
        lang,
    ));
    h.push_str("</body>\n</html>\n");
    defuse_urls(&h)
}

fn better_word(d: Direction, lang: Lang) -> &'static str {
    match d {
        Direction::Higher => tr(lang, "explore.higher"),
        Direction::Lower => tr(lang, "explore.lower"),
    }
}

fn role(o: usize, e: &Explore, lang: Lang) -> String {
    if o == e.reference {
        format!(
            " <span class=\"ref\">({})</span>",
            esc(tr(lang, "report.reference"))
        )
    } else {
        String::new()
    }
}

fn swatch(o: usize) -> String {
    format!(
        "<span class=\"sw\" style=\"background:{}\"></span>",
        colour_hex(o)
    )
}

fn ranking_table(e: &Explore, d: &ExploreDecision, lang: Lang, h: &mut String) {
    let unit = unit_of(&e.objective.0);
    h.push_str(&format!(
        "<h3>{}</h3>\n<div class=\"wide\">\n<table class=\"rank\">\n<thead><tr>",
        esc(&trf(
            lang,
            "explore.ranking.title",
            &[("objective", &indicator_label(&e.objective.0, lang))]
        ))
    ));
    h.push_str(&header_cells(
        lang,
        &[
            "report.col.rank",
            "report.col.option",
            "explore.col.regret_max",
            "explore.col.regret_p90",
            "explore.col.regret_mean",
            "explore.col.best",
        ],
    ));
    h.push_str("</tr></thead>\n<tbody>\n");
    for (rank, &o) in d.ranking.iter().enumerate() {
        let r = &d.options[o].regret;
        let cell = |x: Option<f64>| esc(&amount(x.unwrap_or(f64::NAN), &unit, false, lang));
        h.push_str(&format!(
            "<tr><td class=\"num\">{}</td><th scope=\"row\">{}{}{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            rank + 1,
            swatch(o),
            esc(&d.options[o].name),
            role(o, e, lang),
            cell(r.max),
            cell(r.p90),
            cell(r.mean),
            esc(&pct(r.best_share.unwrap_or(f64::NAN))),
        ));
    }
    h.push_str(&format!(
        "</tbody>\n</table>\n</div>\n<p class=\"rule\">{}</p>\n",
        esc(tr(lang, "explore.ranking.rule"))
    ));
}

fn beats_table(e: &Explore, a: &Analysis, d: &ExploreDecision, lang: Lang, h: &mut String) {
    h.push_str(&format!(
        "<h3>{}</h3>\n<div class=\"wide\">\n<table class=\"rank\">\n<thead><tr><th>{}</th>",
        esc(&trf(
            lang,
            "explore.beats.title",
            &[("reference", &format!("“{}”", a.reference))]
        )),
        esc(tr(lang, "report.col.option"))
    ));
    for (key, dir) in COLUMNS {
        h.push_str(&format!(
            "<th>{}<span class=\"meta\">{}</span></th>",
            esc(tr(lang, &format!("explore.col.{key}"))),
            esc(better_word(dir, lang))
        ));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for (o, ov) in d.options.iter().enumerate() {
        if o == e.reference {
            continue;
        }
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}{}</th>",
            swatch(o),
            esc(&ov.name)
        ));
        for (b, figure) in ov.beats.iter().zip(REPORT_FIGURES) {
            let unit = unit_of(figure);
            match b {
                Some(b) => h.push_str(&format!(
                    "<td>{}<span class=\"ci\">{}</span><span class=\"ci\">{}</span></td>",
                    esc(&share(b.wins, b.compared)),
                    esc(&trf(
                        lang,
                        "explore.beats.median",
                        &[("x", &amount(b.p50, &unit, true, lang))]
                    )),
                    esc(&format!(
                        "P10–P90: {} – {}",
                        amount(b.p10, &unit, true, lang),
                        amount(b.p90, &unit, true, lang)
                    )),
                )),
                None => h.push_str(&format!(
                    "<td>n/a<span class=\"why\">{}</span></td>",
                    esc(tr(lang, "explore.na.no_pairs"))
                )),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str(&format!(
        "</tbody>\n</table>\n</div>\n<p class=\"rule\">{}</p>\n",
        esc(tr(lang, "explore.beats.rule"))
    ));
}

fn failures_table(d: &ExploreDecision, lang: Lang, h: &mut String) {
    h.push_str(&format!(
        "<h3>{}</h3>\n",
        esc(tr(lang, "explore.fails.title"))
    ));
    if d.criteria.is_empty() {
        h.push_str(&format!(
            "<p>{}</p>\n",
            esc(tr(lang, "explore.fails.no_criteria"))
        ));
        return;
    }
    h.push_str("<div class=\"wide\">\n<table class=\"fails\">\n<thead><tr>");
    h.push_str(&header_cells(
        lang,
        &[
            "report.col.option",
            "explore.col.criterion",
            "explore.col.failing",
            "explore.col.where",
        ],
    ));
    h.push_str("</tr></thead>\n<tbody>\n");
    for (o, ov) in d.options.iter().enumerate() {
        for (i, f) in ov.failures.iter().enumerate() {
            let crit = d
                .criteria
                .get(f.criterion)
                .map(|c| criterion_text(c, d.named[f.criterion], lang))
                .unwrap_or_default();
            let bad = if f.failing > 0 { " bad" } else { "" };
            h.push_str(&format!(
                "<tr><th scope=\"row\">{}{}</th><td>{}</td><td class=\"num{bad}\">{}</td><td>{}</td></tr>\n",
                swatch(o),
                esc(&ov.name),
                esc(&crit),
                esc(&share(f.failing, f.evaluated)),
                esc(&failure_sentence(d, o, i, lang)),
            ));
        }
    }
    h.push_str(&format!(
        "</tbody>\n</table>\n</div>\n<p class=\"rule\">{}</p>\n",
        esc(tr(lang, "explore.fails.rule"))
    ));
}

/// Each compared option's difference from the reference on the objective, one dot per future,
/// with its 10th-90th percentile bar and median tick.
fn strip_plot(e: &Explore, a: &Analysis, lang: Lang, h: &mut String) {
    let unit = unit_of(&e.objective.0);
    let k = e.outputs.iter().position(|o| *o == e.objective.0);
    let rows: Vec<(usize, Vec<f64>)> = (0..a.options.len())
        .filter(|&o| o != e.reference)
        .map(|o| {
            let diffs = k
                .and_then(|k| a.means.get(k))
                .map(|m| {
                    m.iter()
                        .map(|row| row[o] - row[e.reference])
                        .filter(|x| x.is_finite())
                        .collect()
                })
                .unwrap_or_default();
            (o, diffs)
        })
        .collect();
    h.push_str(&format!(
        "<section id=\"futures\">\n<h2>{}</h2>\n<figure>\n",
        esc(&trf(
            lang,
            "explore.plot.title",
            &[("objective", &indicator_label(&e.objective.0, lang))]
        ))
    ));
    let all: Vec<f64> = rows.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    if all.is_empty() {
        h.push_str(&format!(
            "<p>{}</p>\n</figure>\n</section>\n",
            esc(tr(lang, "explore.plot.none"))
        ));
        return;
    }
    let lo = all.iter().copied().fold(0.0f64, f64::min);
    let hi = all.iter().copied().fold(0.0f64, f64::max);
    let (lo, hi) = if hi - lo > 0.0 {
        let pad = (hi - lo) * 0.05;
        (lo - pad, hi + pad)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let (left, width, row_h, top) = (210.0, 520.0, 44.0, 12.0);
    let height = top + row_h * rows.len() as f64 + 40.0;
    let x = |v: f64| left + (v - lo) / (hi - lo) * width;
    let mut s = format!(
        "<svg class=\"plot strip\" viewBox=\"0 0 760 {height:.0}\" width=\"760\" height=\"{height:.0}\" role=\"img\">\n"
    );
    let bottom = top + row_h * rows.len() as f64;
    for t in 0..=4 {
        let v = lo + (hi - lo) * t as f64 / 4.0;
        s.push_str(&format!(
            "<line x1=\"{0:.1}\" y1=\"{top:.1}\" x2=\"{0:.1}\" y2=\"{bottom:.1}\" stroke=\"#e4e4e4\"/>\n<text x=\"{0:.1}\" y=\"{1:.1}\" text-anchor=\"middle\">{2}</text>\n",
            x(v),
            bottom + 16.0,
            esc(&amount(v, &unit, true, lang))
        ));
    }
    s.push_str(&format!(
        "<line x1=\"{0:.1}\" y1=\"{top:.1}\" x2=\"{0:.1}\" y2=\"{bottom:.1}\" stroke=\"#222\" stroke-dasharray=\"4 3\"/>\n<text x=\"{0:.1}\" y=\"{1:.1}\" text-anchor=\"middle\">{2}</text>\n",
        x(0.0),
        bottom + 32.0,
        esc(&trf(lang, "explore.plot.zero", &[("reference", &a.reference)]))
    ));
    for (r, (o, diffs)) in rows.iter().enumerate() {
        let cy = top + row_h * (r as f64 + 0.5);
        let colour = colour_hex(*o);
        s.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
            left - 10.0,
            cy + 4.0,
            esc(&truncate(&a.options[*o].name, 28))
        ));
        let mut sorted = diffs.clone();
        sorted.sort_by(f64::total_cmp);
        for (j, v) in diffs.iter().enumerate() {
            // A deterministic jitter, so that equal values stay visible.
            let jitter = ((j * 37) % 17) as f64 - 8.0;
            s.push_str(&format!(
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"{colour}\" fill-opacity=\"0.5\"/>\n",
                x(*v),
                cy + jitter
            ));
        }
        if !sorted.is_empty() {
            let q = |p: f64| crate::experiment::explore_analysis::quantile(&sorted, p);
            s.push_str(&format!(
                "<line x1=\"{:.1}\" y1=\"{cy:.1}\" x2=\"{:.1}\" y2=\"{cy:.1}\" stroke=\"#222\" stroke-width=\"2\"/>\n<line x1=\"{2:.1}\" y1=\"{3:.1}\" x2=\"{2:.1}\" y2=\"{4:.1}\" stroke=\"#222\" stroke-width=\"3\"/>\n",
                x(q(0.1)),
                x(q(0.9)),
                x(q(0.5)),
                cy - 12.0,
                cy + 12.0
            ));
        }
    }
    s.push_str("</svg>");
    h.push_str(&s);
    h.push_str(&format!(
        "\n<figcaption>{}</figcaption>\n</figure>\n</section>\n",
        esc(&trf(
            lang,
            "explore.plot.caption",
            &[
                ("reference", &format!("“{}”", a.reference)),
                ("objective", &indicator_label(&e.objective.0, lang)),
                ("better", better_word(e.objective.1, lang)),
            ]
        ))
    ));
}

fn parameters(e: &Explore, lang: Lang, h: &mut String) {
    h.push_str(&format!(
        "<section id=\"parameters\">\n<h2>{}</h2>\n<div class=\"wide\">\n<table class=\"rank\">\n<thead><tr>",
        esc(tr(lang, "explore.params.title"))
    ));
    h.push_str(&header_cells(
        lang,
        &[
            "explore.col.parameter",
            "explore.col.sampled",
            "explore.col.in_futures",
        ],
    ));
    h.push_str("</tr></thead>\n<tbody>\n");
    for (j, p) in e.params.iter().enumerate() {
        let label = param_label(&p.path, lang);
        let name = if label == p.path {
            format!("<code>{}</code>", esc(&p.path))
        } else {
            format!(
                "{}<span class=\"meta\"><code>{}</code></span>",
                esc(&label),
                esc(&p.path)
            )
        };
        let sampled = match (&p.kind, e.distributions.get(j).and_then(Option::as_ref)) {
            (Kind::Choice(_) | Kind::Flag, _) => {
                let names: Vec<String> = p.levels.iter().map(|&x| p.kind.show(x)).collect();
                trf(
                    lang,
                    "explore.params.levels",
                    &[("levels", &names.join(tr(lang, "report.list_sep")))],
                )
            }
            (_, Some(d)) => {
                let (lo, hi) = d.support().unwrap_or((f64::NAN, f64::NAN));
                trf(
                    lang,
                    "explore.params.distribution",
                    &[
                        (
                            "distribution",
                            tr(
                                lang,
                                &format!("explore.dist.{}", d.name().replace([' ', '-'], "_")),
                            ),
                        ),
                        ("lo", &value(lo, "", lang)),
                        ("hi", &value(hi, "", lang)),
                    ],
                )
            }
            (_, None) => tr(lang, "explore.params.draws").to_string(),
        };
        let seen: Vec<f64> = e.futures.iter().filter_map(|f| f.get(j).copied()).collect();
        let in_futures = match &p.kind {
            Kind::Choice(_) | Kind::Flag => {
                let mut counts: Vec<(String, usize)> = Vec::new();
                for &x in &seen {
                    let n = p.kind.show(x);
                    match counts.iter_mut().find(|(k, _)| *k == n) {
                        Some(c) => c.1 += 1,
                        None => counts.push((n, 1)),
                    }
                }
                counts
                    .iter()
                    .map(|(k, n)| format!("{k} × {n}"))
                    .collect::<Vec<_>>()
                    .join(tr(lang, "report.list_sep"))
            }
            _ => {
                let lo = seen.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = seen.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                format!("{} – {}", value(lo, "", lang), value(hi, "", lang))
            }
        };
        h.push_str(&format!(
            "<tr><th scope=\"row\">{name}</th><td>{}</td><td class=\"num\">{}</td></tr>\n",
            esc(&sampled),
            esc(&in_futures)
        ));
    }
    h.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn percentiles_cell(p: Option<&Percentiles>, unit: &str, diff: bool, lang: Lang) -> String {
    match p {
        None => "<td class=\"num\">—</td>".to_string(),
        Some(p) => {
            let f = |x: f64| {
                if diff {
                    amount(x, unit, true, lang)
                } else {
                    value(x, unit, lang)
                }
            };
            format!(
                "<td class=\"num\">{}<span class=\"ci\">{} – {}</span></td>",
                esc(&f(p.p50)),
                esc(&f(p.p5)),
                esc(&f(p.p95))
            )
        }
    }
}

fn full_table(e: &Explore, a: &Analysis, lang: Lang, h: &mut String) {
    h.push_str(&format!(
        "<section id=\"table\">\n<h2>{}</h2>\n<p class=\"rule\">{}</p>\n<div class=\"wide\">\n<table class=\"ind\">\n<thead><tr>",
        esc(tr(lang, "explore.table.title")),
        esc(&trf(
            lang,
            "explore.table.rule",
            &[("reference", &format!("“{}”", a.reference))]
        ))
    ));
    h.push_str(&header_cells(
        lang,
        &[
            "report.table.indicator",
            "report.col.option",
            "explore.col.value",
            "explore.col.difference",
            "explore.col.beats",
        ],
    ));
    h.push_str("</tr></thead>\n<tbody>\n");
    for (k, name) in e.outputs.iter().enumerate() {
        let unit = unit_of(name);
        for (o, opt) in a.options.iter().enumerate() {
            let Some(r) = opt.indicators.get(k) else {
                continue;
            };
            let head = if o == 0 {
                format!(
                    "<th scope=\"row\" rowspan=\"{}\">{}<span class=\"meta\"><code>{}</code></span></th>",
                    a.options.len(),
                    esc(&indicator_label(name, lang)),
                    esc(name)
                )
            } else {
                String::new()
            };
            let beats = match r.beats_reference_share {
                Some(s) => esc(&trf(
                    lang,
                    "explore.table.beats",
                    &[("share", &pct(s)), ("n", &r.futures_compared.to_string())],
                )),
                None if o == e.reference => "—".to_string(),
                None => esc(tr(lang, "explore.na.no_direction")),
            };
            h.push_str(&format!(
                "<tr>{head}<td>{}{}{}</td>{}{}<td class=\"num\">{beats}</td></tr>\n",
                swatch(o),
                esc(&opt.name),
                role(o, e, lang),
                percentiles_cell(r.percentiles.as_ref(), &unit, false, lang),
                percentiles_cell(r.difference_percentiles.as_ref(), &unit, true, lang),
            ));
        }
    }
    h.push_str("</tbody>\n</table>\n</div>\n</section>\n");
}

fn facts(e: &Explore, a: &Analysis, lang: Lang, h: &mut String) {
    h.push_str(&format!(
        "<section id=\"runs\">\n<h2>{}</h2>\n<table class=\"facts\">\n<tr><th>{}</th><td><ol>\n",
        esc(tr(lang, "report.runs.title")),
        esc(tr(lang, "report.runs.options"))
    ));
    for (o, opt) in e.options.iter().enumerate() {
        h.push_str(&format!(
            "<li>{}<b>{}</b>{} — {} <code>{}</code></li>\n",
            swatch(o),
            esc(&opt.scenario.name),
            role(o, e, lang),
            esc(tr(lang, "report.runs.from")),
            esc(&opt.origin)
        ));
    }
    h.push_str("</ol></td></tr>\n");
    let s = &a.prim_settings;
    let rows = [
        (
            tr(lang, "explore.facts.futures"),
            format!("{} ({})", a.n_futures, design_text(e, lang)),
        ),
        (
            tr(lang, "report.runs.reps"),
            trf(
                lang,
                "explore.facts.reps_value",
                &[("reps", &a.replications.to_string())],
            ),
        ),
        (
            tr(lang, "report.runs.days"),
            trf(
                lang,
                "report.runs.days_value",
                &[("days", &a.days.to_string())],
            ),
        ),
        (tr(lang, "explore.facts.seed"), a.seed.clone()),
        (
            tr(lang, "explore.facts.runs"),
            trf(
                lang,
                "explore.facts.runs_value",
                &[("n", &e.n_runs().to_string())],
            ),
        ),
        (
            "PRIM",
            format!(
                "peel_alpha {}, paste_alpha {}, mass_min {}, min_coverage {}",
                s.peel_alpha, s.paste_alpha, s.mass_min, s.min_coverage
            ),
        ),
    ];
    for (k, v) in rows {
        h.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>\n",
            esc(k),
            esc(&v)
        ));
    }
    h.push_str("</table>\n");
    h.push_str(&format!(
        "<ul class=\"notes\">\n<li>{}</li>\n<li>{}</li>\n</ul>\n</section>\n",
        esc(tr(lang, "explore.notes.crn")),
        esc(tr(lang, "explore.notes.prim"))
    ));
}
