//! The first screen of the report, in either language: findings, the ranking with the Pareto
//! front and each option's budget, cost-effectiveness against the reference, and what each
//! option changes. [`html_section`] is the HTML part; [`summary_lines`] the same answers as
//! lines for the terminal. Both read [`decision::decide`]'s figures and the catalogue; nothing
//! here computes a statistic. Effect sizes are left to the full table below.

use super::decision::{CostEffect, Decision, Effect, Estimate, Finding, Ratio, decide};
use super::format::{esc, level_percent, num, option_name};
use super::i18n::{Lang, tr, trf, try_tr};
use super::money::money;
use crate::experiment::results::{Comparison, IndicatorRow, LeverChange, OptionLevers, OptionStat};

/// Levers listed per option before "and N more".
const MAX_LEVERS: usize = 16;

/// The first screen as an HTML section (escaped, no scripts).
pub fn html_section(c: &Comparison, lang: Lang) -> String {
    let d = decide(c);
    let mut h = String::with_capacity(16 * 1024);
    h.push_str(&format!(
        "<section id=\"decision\">\n<h2>{}</h2>\n",
        esc(tr(lang, "report.decision.title"))
    ));
    if c.options.len() < 2 {
        h.push_str(&format!(
            "<p>{}</p>\n</section>\n",
            esc(tr(lang, "report.decision.one_option"))
        ));
        return h;
    }
    h.push_str(&format!(
        "<h3>{}</h3>\n<ol class=\"findings\">\n",
        esc(tr(lang, "report.findings.title"))
    ));
    for f in finding_texts(c, &d, lang) {
        h.push_str(&format!("<li>{}</li>\n", esc(&f)));
    }
    h.push_str("</ol>\n");
    ranking_table(c, &d, lang, &mut h);
    cost_effect_table(c, &d, lang, &mut h);
    levers_html(c, lang, &mut h);
    h.push_str("</section>\n");
    h
}

/// The first screen's answers as plain lines for the terminal: the findings, then one line per
/// option with its rank, budget balance and cost per extra case on time.
pub fn summary_lines(c: &Comparison, lang: Lang) -> Vec<String> {
    let d = decide(c);
    let mut out = Vec::new();
    if c.options.len() < 2 {
        out.push(tr(lang, "report.decision.one_option").to_string());
        return out;
    }
    out.push(tr(lang, "report.findings.title").to_string());
    for (i, f) in finding_texts(c, &d, lang).into_iter().enumerate() {
        out.push(format!("{}. {f}", i + 1));
    }
    out.push(tr(lang, "report.ranking.title").to_string());
    for (rank, &o) in d.ranking.iter().enumerate() {
        let od = &d.options[o];
        let front = if od.layer == 1 {
            format!(" [{}]", tr(lang, "report.ranking.on_front"))
        } else {
            String::new()
        };
        let mut line = format!(
            "{}. {}{front}: {} {}",
            rank + 1,
            option_name(c, o),
            tr(lang, "report.col.balance"),
            balance_text(od.balance, lang)
        );
        line.push_str(&format!(
            "; {}",
            trf(
                lang,
                "report.budget.overruns",
                &[("k", &od.overruns.to_string()), ("n", &od.runs.to_string())]
            )
        ));
        if let Some(ce) = od.cost_effects.iter().find(|e| e.effect == Effect::OnTime) {
            line.push_str(&format!(
                "; {}: {}",
                tr(lang, "report.effect.on_time"),
                ratio_text(ce, lang, c.level)
            ));
        }
        out.push(line);
    }
    out
}

/// The findings in words, in the rule's order.
pub fn finding_texts(c: &Comparison, d: &Decision, lang: Lang) -> Vec<String> {
    let name = |i: usize| quoted(&option_name(c, i), lang);
    let mut out = Vec::new();
    for f in &d.findings {
        let text = match f {
            Finding::AllWithinBudget => tr(lang, "report.finding.within_budget").to_string(),
            Finding::OverBudget { option } => {
                let o = &d.options[*option];
                let reference = &d.options[0];
                let mut s = trf(
                    lang,
                    "report.finding.over_budget",
                    &[
                        ("option", &name(*option)),
                        ("k", &o.overruns.to_string()),
                        ("n", &o.runs.to_string()),
                        ("balance", &balance_text(o.balance.map(point), lang)),
                    ],
                );
                if *option != 0 {
                    s.push_str(&trf(
                        lang,
                        "report.finding.reference_balance",
                        &[
                            ("reference", &name(0)),
                            ("balance", &balance_text(reference.balance.map(point), lang)),
                        ],
                    ));
                }
                s
            }
            Finding::Ranking => {
                let front: Vec<String> = d.front().into_iter().map(name).collect();
                trf(
                    lang,
                    "report.finding.ranking",
                    &[
                        ("first", &name(d.ranking[0])),
                        ("front", &join(&front, lang)),
                    ],
                )
            }
            Finding::CostPerCase { option } => {
                let o = &d.options[*option];
                let extra = o.extra_cost.map_or(f64::NAN, |e| e.mean);
                let ce = o.cost_effects.iter().find(|e| e.effect == Effect::OnTime);
                let cases = ce.and_then(|e| e.extra).map_or(f64::NAN, |e| e.mean);
                match ce.map(|e| e.ratio) {
                    Some(Ratio::PerUnit { mean, low, high }) => trf(
                        lang,
                        "report.finding.cost_per_case",
                        &[
                            ("option", &name(*option)),
                            ("cost", &money(extra, lang, false)),
                            ("cases", &num(cases, 0, false)),
                            ("each", &money(mean, lang, false)),
                            ("low", &money(low, lang, false)),
                            ("high", &money(high, lang, false)),
                            ("level", &level_percent(c.level)),
                        ],
                    ),
                    _ => trf(
                        lang,
                        "report.finding.dominates",
                        &[
                            ("option", &name(*option)),
                            ("cost", &money(extra, lang, true)),
                            ("cases", &num(cases, 0, true)),
                        ],
                    ),
                }
            }
            Finding::Effect {
                option,
                row,
                better,
            } => {
                let r = &c.indicators[*row];
                let from = r.by_option.first().map_or(f64::NAN, |s| s.mean);
                let to = r.by_option.get(*option).map_or(f64::NAN, |s| s.mean);
                trf(
                    lang,
                    if *better {
                        "report.finding.better"
                    } else {
                        "report.finding.worse"
                    },
                    &[
                        ("option", &name(*option)),
                        ("indicator", &indicator_label(r, lang)),
                        ("from", &value_text(from, &r.meta.unit, lang)),
                        (
                            "to",
                            &format!(
                                "{}{}",
                                value_text(to, &r.meta.unit, lang),
                                unit_suffix(&r.meta.unit, lang)
                            ),
                        ),
                    ],
                )
            }
        };
        out.push(text);
    }
    out
}

fn point(e: Estimate) -> Estimate {
    Estimate {
        low: f64::NAN,
        high: f64::NAN,
        ..e
    }
}

/// "“name”" in English, "“name”" in Chinese too (the Chinese quotation marks are the same code
/// points).
fn quoted(name: &str, _lang: Lang) -> String {
    format!("“{name}”")
}

/// "a", "a and b", "a, b and c" / "a、b和c".
fn join(items: &[String], lang: Lang) -> String {
    let (sep, and) = match lang {
        Lang::En => (", ", " and "),
        Lang::ZhCn => ("、", "和"),
    };
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [init @ .., last] => format!("{}{and}{last}", init.join(sep)),
    }
}

/// An indicator's label in `lang`: in English the comparison's own label (the catalogue's
/// English labels are the same, `experiment/indicators.rs`), in another language the
/// catalogue's, or the comparison's own when the catalogue has none.
pub fn indicator_label(row: &IndicatorRow, lang: Lang) -> String {
    series_label(&row.meta, lang)
}

/// [`indicator_label`] for any indicator's metadata (the daily series too).
pub fn series_label(meta: &crate::experiment::results::IndicatorMeta, lang: Lang) -> String {
    match lang {
        Lang::En => meta.label.clone(),
        _ => try_tr(lang, &format!("ind.{}", meta.name))
            .map_or_else(|| meta.label.clone(), str::to_string),
    }
}

/// A value in its unit, for a sentence: shares in %, yuan as money, else about 3 figures.
fn value_text(x: f64, unit: &str, lang: Lang) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    match unit.trim() {
        "share" | "share of spare time" => format!("{}%", num(x * 100.0, 1, false)),
        u if u.contains("yuan") => money(x, lang, false),
        "0-1" | "index 0-1" => num(x, 3, false),
        _ => {
            let dec = if x.abs() >= 100.0 {
                0
            } else if x.abs() >= 10.0 {
                1
            } else {
                2
            };
            num(x, dec, false)
        }
    }
}

/// The unit after a figure in a sentence (" days", " per 1,000 cases"), or nothing where
/// [`value_text`] already says it (shares in %, money, 0-1 scales).
fn unit_suffix(unit: &str, lang: Lang) -> String {
    let u = unit.trim();
    if u.is_empty() || u.starts_with("share") || u.contains("yuan") || u.contains("0-1") {
        return String::new();
    }
    let text = try_tr(lang, &format!("unit.{u}")).unwrap_or(u);
    match lang {
        Lang::En => format!(" {text}"),
        Lang::ZhCn => text.to_string(),
    }
}

/// "+10.5 M yuan [+9.8, +11.2 M]"-style balance: the mean, and the interval when there is one.
fn balance_text(e: Option<Estimate>, lang: Lang) -> String {
    match e {
        None => "n/a".to_string(),
        Some(e) if e.has_interval() => format!(
            "{} ({} – {})",
            money(e.mean, lang, true),
            money(e.low, lang, true),
            money(e.high, lang, true)
        ),
        Some(e) => money(e.mean, lang, true),
    }
}

/// A cost-effectiveness cell in words.
fn ratio_text(ce: &CostEffect, lang: Lang, level: f64) -> String {
    let unit_key = format!("report.per.{}", ce.effect.key());
    let unit = tr(lang, &unit_key);
    match ce.ratio {
        Ratio::PerUnit { mean, low, high } => trf(
            lang,
            "report.ce.per_unit",
            &[
                ("each", &money(mean, lang, false)),
                ("unit", unit),
                ("low", &money(low, lang, false)),
                ("high", &money(high, lang, false)),
                ("level", &level_percent(level)),
            ],
        ),
        Ratio::Dominates => tr(lang, "report.ce.dominates").to_string(),
        Ratio::Dominated => tr(lang, "report.ce.dominated").to_string(),
        Ratio::SavesByDoingLess => tr(lang, "report.ce.saves_by_doing_less").to_string(),
        Ratio::EffectMayBeZero => trf(
            lang,
            "report.ce.effect_may_be_zero",
            &[(
                "effect",
                tr(lang, &format!("report.effect.{}", ce.effect.key())),
            )],
        ),
        Ratio::TooFewPairs => tr(lang, "report.ce.too_few_pairs").to_string(),
    }
}

/// An amount of money's mean, with its interval on a second, smaller line.
fn money_cell(e: Option<Estimate>, lang: Lang) -> String {
    match e {
        None => "n/a".to_string(),
        Some(e) if e.has_interval() => format!(
            "{}<span class=\"ci\">{} – {}</span>",
            esc(&money(e.mean, lang, true)),
            esc(&money(e.low, lang, true)),
            esc(&money(e.high, lang, true))
        ),
        Some(e) => esc(&money(e.mean, lang, true)),
    }
}

/// A table's header cells, `<th>` each, from catalogue keys in `lang`.
pub(super) fn header_cells(lang: Lang, keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("<th>{}</th>", esc(tr(lang, k))))
        .collect()
}

fn ranking_table(c: &Comparison, d: &Decision, lang: Lang, h: &mut String) {
    h.push_str(&format!(
        "<h3>{}</h3>\n<div class=\"wide\">\n<table class=\"rank\">\n<thead><tr>",
        esc(tr(lang, "report.ranking.title"))
    ));
    h.push_str(&header_cells(
        lang,
        &[
            "report.col.rank",
            "report.col.option",
            "report.col.cost",
            "report.col.on_time",
            "report.col.participation",
            "report.col.front",
            "report.col.budget",
            "report.col.balance",
            "report.col.overruns",
        ],
    ));
    h.push_str("</tr></thead>\n<tbody>\n");
    for (rank, &o) in d.ranking.iter().enumerate() {
        let od = &d.options[o];
        let role = if o == 0 {
            format!(
                " <span class=\"ref\">({})</span>",
                esc(tr(lang, "report.reference"))
            )
        } else {
            String::new()
        };
        let front = if od.layer == 1 {
            tr(lang, "report.yes").to_string()
        } else {
            "—".to_string()
        };
        let over = if od.overruns > 0 { " over" } else { "" };
        h.push_str(&format!(
            "<tr><td class=\"num\">{}</td><th scope=\"row\">{}{role}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num{over}\">{}</td><td class=\"runs{over}\">{}</td></tr>\n",
            rank + 1,
            esc(&option_name(c, o)),
            esc(&money(od.criteria[0], lang, false)),
            esc(&value_text(od.criteria[1], "share", lang)),
            esc(&value_text(od.criteria[2], "share", lang)),
            esc(&front),
            esc(&od.budget.map_or("n/a".to_string(), |b| money(b, lang, false))),
            money_cell(od.balance, lang),
            esc(&trf(
                lang,
                "report.budget.overruns",
                &[("k", &od.overruns.to_string()), ("n", &od.runs.to_string())]
            )),
        ));
    }
    h.push_str("</tbody>\n</table>\n</div>\n");
    h.push_str(&format!(
        "<p class=\"rule\">{}</p>\n",
        esc(&trf(
            lang,
            "report.ranking.rule",
            &[("level", &level_percent(c.level))]
        ))
    ));
}

fn cost_effect_table(c: &Comparison, d: &Decision, lang: Lang, h: &mut String) {
    h.push_str(&format!(
        "<h3>{}</h3>\n<div class=\"wide\">\n<table class=\"ce\">\n<thead><tr><th>{}</th><th>{}</th>",
        esc(&trf(
            lang,
            "report.ce.title",
            &[("reference", &quoted(&option_name(c, 0), lang))]
        )),
        esc(tr(lang, "report.col.option")),
        esc(tr(lang, "report.col.extra_cost")),
    ));
    for e in Effect::ALL {
        h.push_str(&format!(
            "<th>{}</th>",
            esc(tr(lang, &format!("report.col.per_{}", e.key())))
        ));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for od in d.options.iter().skip(1) {
        let extra = money_cell(od.extra_cost, lang);
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{extra}</td>",
            esc(&option_name(c, od.index))
        ));
        for ce in &od.cost_effects {
            let extra_effect = ce.extra.map_or(String::new(), |e| {
                format!(
                    "<span class=\"ci\">{}</span>",
                    esc(&trf(
                        lang,
                        &format!("report.extra.{}", ce.effect.key()),
                        &[(
                            "x",
                            &num(e.mean, if ce.effect == Effect::Firms { 1 } else { 0 }, true)
                        )]
                    ))
                )
            });
            h.push_str(&format!(
                "<td>{}{extra_effect}</td>",
                esc(&ratio_text(ce, lang, c.level))
            ));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</div>\n");
    h.push_str(&format!(
        "<p class=\"rule\">{}</p>\n",
        esc(&trf(
            lang,
            "report.ce.method",
            &[("level", &level_percent(c.level))]
        ))
    ));
}

fn levers_html(c: &Comparison, lang: Lang, h: &mut String) {
    h.push_str(&format!(
        "<h3>{}</h3>\n",
        esc(&trf(
            lang,
            "report.levers.title",
            &[("reference", &quoted(&option_name(c, 0), lang))]
        ))
    ));
    for i in 1..c.options.len() {
        h.push_str(&format!(
            "<div class=\"levers\"><h4>{}</h4>\n<ul>\n",
            esc(&option_name(c, i))
        ));
        for line in lever_lines(c, i, lang) {
            h.push_str(&format!("<li>{}</li>\n", esc(&line)));
        }
        h.push_str("</ul></div>\n");
    }
}

/// What option `i` changes, one line per parameter ("grid workers per grid: 1 → 2"), then one
/// line per timeline entry ("from day 180: ..."); a line saying nothing differs when nothing does.
pub fn lever_lines(c: &Comparison, i: usize, lang: Lang) -> Vec<String> {
    option_lever_lines(c.levers.get(i), lang)
}

/// [`lever_lines`] from an option's levers themselves (an explore's options have no
/// `Comparison`); `None`: the levers are not known.
pub fn option_lever_lines(l: Option<&OptionLevers>, lang: Lang) -> Vec<String> {
    let Some(l) = l else {
        return vec![tr(lang, "report.levers.unknown").to_string()];
    };
    let mut out: Vec<String> = l
        .changes
        .iter()
        .take(MAX_LEVERS)
        .map(|ch| change_text(ch, lang))
        .collect();
    if l.changes.len() > MAX_LEVERS {
        out.push(trf(
            lang,
            "report.levers.more",
            &[("n", &(l.changes.len() - MAX_LEVERS).to_string())],
        ));
    }
    for ev in &l.timeline {
        let what: Vec<String> = ev.changes.iter().map(|ch| change_text(ch, lang)).collect();
        out.push(trf(
            lang,
            "report.levers.from_day",
            &[
                ("day", &ev.day.to_string()),
                ("changes", &what.join(tr(lang, "report.list_sep"))),
            ],
        ));
    }
    if !l.reference_timeline_days.is_empty() {
        let days: Vec<String> = l
            .reference_timeline_days
            .iter()
            .map(u32::to_string)
            .collect();
        out.push(trf(
            lang,
            "report.levers.reference_timeline",
            &[("days", &days.join(", "))],
        ));
    }
    if out.is_empty() {
        out.push(tr(lang, "report.levers.none").to_string());
    }
    out
}

/// "grid workers per grid: 1 → 2".
fn change_text(ch: &LeverChange, lang: Lang) -> String {
    let label = try_tr(lang, &format!("param.{}", ch.path)).map_or_else(
        || {
            ch.path
                .strip_prefix("policy.")
                .unwrap_or(&ch.path)
                .replace(['.', '_'], " ")
        },
        str::to_string,
    );
    format!(
        "{label}: {} → {}",
        lever_value(&ch.from, &ch.unit, lang),
        lever_value(&ch.to, &ch.unit, lang)
    )
}

fn lever_value(v: &serde_json::Value, unit: &str, lang: Lang) -> String {
    use serde_json::Value;
    match v {
        Value::Null => tr(lang, "report.value.none").to_string(),
        Value::Bool(true) => tr(lang, "on").to_string(),
        Value::Bool(false) => tr(lang, "off").to_string(),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            if unit.contains("yuan") {
                let per = unit.split_once('/').map_or("", |(_, p)| p);
                let per = match per {
                    "" => String::new(),
                    p => format!(
                        "{}{}",
                        tr(lang, "report.per_sep"),
                        try_tr(lang, &format!("report.unit.{p}")).unwrap_or(p)
                    ),
                };
                format!("{}{per}", money(x, lang, false))
            } else if x.fract() == 0.0 && x.abs() < 1e15 {
                num(x, 0, false)
            } else {
                let s = format!("{x:.4}");
                s.trim_end_matches('0').trim_end_matches('.').to_string()
            }
        }
        Value::String(s) => {
            try_tr(lang, &format!("value.{s}")).map_or_else(|| s.clone(), str::to_string)
        }
        other => other.to_string(),
    }
}

/// Why an indicator has no paired difference for option `i`, in words: what the data says
/// (no values, identically zero in one arm: "no elections in ...") before the count of pairs.
pub fn na_reason(c: &Comparison, row: &IndicatorRow, i: usize, lang: Lang) -> String {
    let zero = |s: Option<&OptionStat>| s.is_some_and(|s| s.n > 0 && s.mean == 0.0 && s.sd == 0.0);
    let none = |s: Option<&OptionStat>| s.is_none_or(|s| s.n == 0);
    let (r, o) = (row.by_option.first(), row.by_option.get(i));
    let elections = row.meta.name.contains("election");
    let who = |k: usize| quoted(&option_name(c, k), lang);
    if none(r) || none(o) {
        let k = if none(r) { 0 } else { i };
        let key = if elections {
            "report.na.no_elections"
        } else {
            "report.na.no_values"
        };
        return trf(lang, key, &[("option", &who(k))]);
    }
    match (zero(r), zero(o)) {
        (true, true) if elections => trf(
            lang,
            "report.na.no_elections_both",
            &[("reference", &who(0)), ("option", &who(i))],
        ),
        (true, _) | (_, true) if elections => {
            let k = if zero(r) { 0 } else { i };
            trf(lang, "report.na.no_elections", &[("option", &who(k))])
        }
        (true, true) => tr(lang, "report.na.zero_both").to_string(),
        (true, _) | (_, true) => {
            let k = if zero(r) { 0 } else { i };
            trf(lang, "report.na.zero_in", &[("option", &who(k))])
        }
        _ => tr(lang, "report.na.too_few_pairs").to_string(),
    }
}

#[cfg(test)]
mod tests;
