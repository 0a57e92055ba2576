//! The explore report's sentences in either language: criteria, where an option fails (PRIM's
//! box in words), the findings, and figures in their units (shares in percentage points, money
//! in k / M yuan or 万 / 亿 元). Shared by the page and the terminal table; every text comes
//! from the catalogue (`explore.*` keys).

use super::explore_decision::{Beats, ExploreDecision, Finding, OptionView, Where};
use super::format::num;
use super::i18n::{Lang, tr, trf, try_tr};
use super::money::money;
use crate::experiment::explore::{Change, Criterion, Op};
use crate::experiment::explore_analysis::{Restriction, short};
use crate::experiment::indicators;

/// A parameter's label: the catalogue's (`param.<path>`, else `explore.param.<path>`), else
/// its path.
pub fn param_label(path: &str, lang: Lang) -> String {
    try_tr(lang, &format!("param.{path}"))
        .or_else(|| try_tr(lang, &format!("explore.param.{path}")))
        .map_or_else(|| path.to_string(), str::to_string)
}

/// A figure's label: the catalogue's `ind.<name>` (else `explore.ind.<name>`), else the name.
pub fn indicator_label(name: &str, lang: Lang) -> String {
    try_tr(lang, &format!("ind.{name}"))
        .or_else(|| try_tr(lang, &format!("explore.ind.{name}")))
        .map_or_else(|| name.to_string(), str::to_string)
}

/// A figure's unit: the indicator table's, else `yuan` for a `*_yuan` figure, else none.
pub fn unit_of(name: &str) -> String {
    indicators::key()
        .into_iter()
        .chain(indicators::series())
        .find(|m| m.name == name)
        .map(|m| m.unit)
        .unwrap_or_else(|| {
            if name.ends_with("_yuan") {
                "yuan".to_string()
            } else {
                String::new()
            }
        })
}

fn is_share(unit: &str) -> bool {
    unit.trim().starts_with("share")
}

/// A difference (or a regret, `signed` false) in its unit: shares in percentage points, money
/// in readable units, else about three significant figures.
pub fn amount(x: f64, unit: &str, signed: bool, lang: Lang) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    if is_share(unit) {
        let points = if x == 0.0 {
            "0".to_string()
        } else {
            num(x * 100.0, 1, signed)
        };
        return trf(lang, "explore.points", &[("x", &points)]);
    }
    if unit.contains("yuan") {
        return money(x, lang, signed);
    }
    let s = short(x);
    if signed && x > 0.0 {
        format!("+{s}")
    } else {
        s
    }
}

/// `k / n (p%)` for a share of futures.
pub fn share(k: usize, n: usize) -> String {
    format!("{k}/{n} ({})", pct(k as f64 / n.max(1) as f64))
}

pub fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:.0}%", x * 100.0)
    } else {
        "n/a".to_string()
    }
}

fn quoted(s: &str) -> String {
    format!("“{s}”")
}

/// A criterion in words: in English the file's name (or the generated one); in Chinese the
/// rule itself (the file's names are the author's English), "每办结案件成本 较参照 变化超过 +20%".
pub fn criterion_text(c: &Criterion, named: bool, lang: Lang) -> String {
    if lang == Lang::En && named {
        return c.name.clone();
    }
    let threshold = match c.change {
        Change::Relative => {
            let p = c.threshold * 100.0;
            format!("{}{}%", if p > 0.0 { "+" } else { "" }, short(p))
        }
        Change::Absolute => {
            let unit = unit_of(&c.indicator);
            amount(c.threshold, &unit, true, lang)
        }
    };
    let op = match c.op {
        Op::Above => "explore.op.above",
        Op::AtLeast => "explore.op.at_least",
        Op::Below => "explore.op.below",
        Op::AtMost => "explore.op.at_most",
    };
    trf(
        lang,
        "explore.criterion",
        &[
            ("indicator", &indicator_label(&c.indicator, lang)),
            ("op", tr(lang, op)),
            ("threshold", &threshold),
        ],
    )
}

/// `a ≥ 0.652 and b is Ties`.
pub fn conditions(rs: &[Restriction], lang: Lang) -> String {
    let parts: Vec<String> = rs
        .iter()
        .map(|r| {
            let p = param_label(&r.parameter, lang);
            match (&r.levels, r.lower, r.upper) {
                (Some(l), _, _) if l.len() == 1 => trf(
                    lang,
                    "explore.cond.is",
                    &[("p", &p), ("v", &level(&l[0], lang))],
                ),
                (Some(l), _, _) => {
                    let v: Vec<String> = l.iter().map(|x| level(x, lang)).collect();
                    trf(
                        lang,
                        "explore.cond.one_of",
                        &[("p", &p), ("v", &v.join(tr(lang, "report.list_sep")))],
                    )
                }
                (None, Some(lo), Some(hi)) => trf(
                    lang,
                    "explore.cond.between",
                    &[("p", &p), ("lo", &short(lo)), ("hi", &short(hi))],
                ),
                (None, Some(lo), None) => trf(
                    lang,
                    "explore.cond.at_least",
                    &[("p", &p), ("x", &short(lo))],
                ),
                (None, None, Some(hi)) => trf(
                    lang,
                    "explore.cond.at_most",
                    &[("p", &p), ("x", &short(hi))],
                ),
                (None, None, None) => p,
            }
        })
        .collect();
    parts.join(tr(lang, "explore.cond.and"))
}

/// A choice's level in words (`value.<Variant>` in the catalogue, else as named).
fn level(v: &str, lang: Lang) -> String {
    try_tr(lang, &format!("value.{v}"))
        .or_else(|| try_tr(lang, &format!("explore.value.{v}")))
        .map_or_else(|| v.to_string(), str::to_string)
}

/// The quasi-p-values of a box's limits, in order: `0.024, 0.037`.
pub fn quasi_p(rs: &[Restriction]) -> String {
    rs.iter()
        .flat_map(|r| [r.qp_lower, r.qp_upper])
        .flatten()
        .map(|q| {
            if q < 0.001 {
                "<0.001".to_string()
            } else {
                num(q, 3, false)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where option `o` fails its `i`-th criterion, in one sentence.
pub fn failure_sentence(d: &ExploreDecision, o: usize, i: usize, lang: Lang) -> String {
    let ov = &d.options[o];
    let f = &ov.failures[i];
    let crit = d
        .criteria
        .get(f.criterion)
        .map(|c| criterion_text(c, d.named[f.criterion], lang))
        .unwrap_or_default();
    let k = f.failing.to_string();
    let n = f.evaluated.to_string();
    let share_text = pct(f.failing as f64 / f.evaluated.max(1) as f64);
    let base = [
        ("option", quoted(&ov.name)),
        ("criterion", quoted(&crit)),
        ("k", k),
        ("n", n),
        ("share", share_text),
    ];
    let args = |extra: &[(&'static str, String)]| -> Vec<(&'static str, String)> {
        base.iter().cloned().chain(extra.iter().cloned()).collect()
    };
    let (key, all) = match &f.place {
        Where::NotEvaluated => ("explore.fail.not_evaluated", args(&[])),
        Where::Nowhere => ("explore.fail.nowhere", args(&[])),
        Where::Everywhere => ("explore.fail.everywhere", args(&[])),
        Where::Spread => ("explore.fail.spread", args(&[])),
        Where::Undescribed => ("explore.fail.undescribed", args(&[])),
        Where::Box {
            restrictions,
            coverage,
            density,
            mass,
        } => (
            "explore.fail.box",
            args(&[
                ("conditions", conditions(restrictions, lang)),
                ("coverage", pct(*coverage)),
                ("density", pct(*density)),
                ("mass", pct(*mass)),
                ("qp", quasi_p(restrictions)),
            ]),
        ),
    };
    let refs: Vec<(&str, &str)> = all.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let mut s = trf(lang, key, &refs);
    if f.skipped > 0 {
        s.push_str(&trf(
            lang,
            "explore.fail.skipped",
            &[("m", &f.skipped.to_string())],
        ));
    }
    s
}

/// "on time 100%, participation 60%, ..." for an option's beats-reference shares.
fn beats_list(ov: &OptionView, lang: Lang) -> String {
    let parts: Vec<String> = super::explore_decision::COLUMNS
        .iter()
        .zip(&ov.beats)
        .map(|((key, _), b)| {
            let label = tr(lang, &format!("explore.what.{key}")).to_string();
            match b {
                Some(b) => trf(
                    lang,
                    "explore.finding.beats_item",
                    &[
                        ("what", &label),
                        ("k", &b.wins.to_string()),
                        ("n", &b.compared.to_string()),
                    ],
                ),
                None => format!("{label} n/a"),
            }
        })
        .collect();
    parts.join(tr(lang, "report.list_sep"))
}

/// The findings in words, in the rule's order.
pub fn finding_texts(
    d: &ExploreDecision,
    objective: &str,
    reference: &str,
    lang: Lang,
) -> Vec<String> {
    let unit = unit_of(objective);
    let obj = indicator_label(objective, lang);
    d.findings
        .iter()
        .map(|f| match *f {
            Finding::MostRobust { option } => {
                let ov = &d.options[option];
                let r = &ov.regret;
                trf(
                    lang,
                    "explore.finding.most_robust",
                    &[
                        ("option", &quoted(&ov.name)),
                        ("objective", &obj),
                        (
                            "max",
                            &amount(r.max.unwrap_or(f64::NAN), &unit, false, lang),
                        ),
                        (
                            "p90",
                            &amount(r.p90.unwrap_or(f64::NAN), &unit, false, lang),
                        ),
                        ("best", &pct(r.best_share.unwrap_or(f64::NAN))),
                    ],
                )
            }
            Finding::BeatsReference { option } => {
                let ov = &d.options[option];
                trf(
                    lang,
                    "explore.finding.beats",
                    &[
                        ("option", &quoted(&ov.name)),
                        ("reference", &quoted(reference)),
                        ("list", &beats_list(ov, lang)),
                    ],
                )
            }
            Finding::Fails { option, failure } => {
                failure_sentence(d, option, failure, lang) + tr(lang, "explore.stop")
            }
            Finding::FailsNothing { option } => trf(
                lang,
                "explore.finding.fails_nothing",
                &[
                    ("option", &quoted(&d.options[option].name)),
                    ("n", &d.options[option].failures.len().to_string()),
                ],
            ),
            Finding::Weak { option } => {
                let ov = &d.options[option];
                let b: Beats = ov.objective.unwrap_or(Beats {
                    wins: 0,
                    compared: 0,
                    p10: f64::NAN,
                    p50: f64::NAN,
                    p90: f64::NAN,
                });
                trf(
                    lang,
                    "explore.finding.weak",
                    &[
                        ("option", &quoted(&ov.name)),
                        ("objective", &obj),
                        ("k", &b.wins.to_string()),
                        ("n", &b.compared.to_string()),
                        ("median", &amount(b.p50, &unit, true, lang)),
                    ],
                )
            }
        })
        .collect()
}

/// A value in its unit: shares in %, money in readable units, else about three significant
/// figures.
pub fn value(x: f64, unit: &str, lang: Lang) -> String {
    if !x.is_finite() {
        return "n/a".to_string();
    }
    if is_share(unit) {
        return format!("{}%", num(x * 100.0, 1, false));
    }
    if unit.contains("yuan") {
        return money(x, lang, false);
    }
    short(x)
}

/// Where the futures came from, in words.
pub fn design_text(e: &crate::experiment::explore::Explore, lang: Lang) -> String {
    use crate::experiment::explore::FuturesFrom;
    match &e.futures_from {
        FuturesFrom::LatinHypercube { samples, seed } => trf(
            lang,
            "explore.design.lhs",
            &[("n", &samples.to_string()), ("seed", &seed.to_string())],
        ),
        FuturesFrom::Draws {
            samples,
            rows,
            file,
            seed,
        } => trf(
            lang,
            "explore.design.draws",
            &[
                ("n", &samples.to_string()),
                ("rows", &rows.to_string()),
                ("file", file),
                ("seed", &seed.to_string()),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every literal between `open` and the next `"` in `text`.
    fn literals<'a>(text: &'a str, open: &str) -> Vec<&'a str> {
        text.match_indices(open)
            .filter_map(|(i, _)| {
                let rest = &text[i + 1..];
                rest.find('"').map(|end| &rest[..end])
            })
            .collect()
    }

    /// Every key the explore report and summary name literally is in both catalogues, and so
    /// is every key they build at run time.
    #[test]
    fn every_explore_key_exists_in_both_languages() {
        let files = [
            include_str!("explore.rs"),
            include_str!("explore_words.rs"),
            include_str!("explore_text.rs"),
            include_str!("../cli/explore.rs"),
        ];
        let mut keys: Vec<String> = Vec::new();
        for text in files {
            for open in ["\"explore.", "\"report."] {
                keys.extend(
                    literals(text, open)
                        .into_iter()
                        .filter(|k| !k.ends_with('.') && !k.contains('{') && !k.contains(' '))
                        .filter(|k| {
                            !matches!(*k, "report.html" | "explore.json") && !k.ends_with(".rs")
                        })
                        .map(str::to_string),
                );
            }
        }
        for (key, _) in super::super::explore_decision::COLUMNS {
            keys.push(format!("explore.col.{key}"));
            keys.push(format!("explore.what.{key}"));
        }
        for d in [
            "uniform",
            "whole-number uniform",
            "normal",
            "truncated normal",
            "triangular",
            "log-uniform",
            "discrete",
        ] {
            keys.push(format!("explore.dist.{}", d.replace([' ', '-'], "_")));
        }
        assert!(
            keys.len() > 60,
            "only {} keys found: is the scan broken?",
            keys.len()
        );
        for key in &keys {
            for lang in Lang::ALL {
                assert!(try_tr(lang, key).is_some(), "{key} not in {}", lang.code());
            }
        }
    }

    #[test]
    fn amounts_read_in_their_units() {
        assert_eq!(amount(0.0625, "share", true, Lang::En), "+6.2 pp");
        assert_eq!(amount(0.0, "share", true, Lang::ZhCn), "0 个百分点");
        assert_eq!(amount(-723_000.0, "yuan", true, Lang::En), "-723 k yuan");
        assert_eq!(amount(-723_000.0, "yuan", true, Lang::ZhCn), "-72.3 万元");
        assert_eq!(amount(f64::NAN, "", true, Lang::En), "n/a");
        assert_eq!(value(0.771, "share", Lang::En), "77.1%");
    }

    #[test]
    fn boxes_read_as_conditions_in_both_languages() {
        let r = |p: &str, lower, upper, levels: Option<Vec<String>>| Restriction {
            parameter: p.into(),
            lower,
            upper,
            levels,
            qp_lower: lower.map(|_| 0.024),
            qp_upper: upper.map(|_| 0.0004),
        };
        let rs = vec![
            r("behaviour.demand.bring_share", Some(0.7154), None, None),
            r("needs.patience_days", None, Some(28.2), None),
            r("x.y", Some(1.0), Some(2.0), None),
            r(
                "behaviour.participation.reference",
                None,
                None,
                Some(vec!["Ties".into()]),
            ),
        ];
        assert_eq!(
            conditions(&rs, Lang::En),
            "share of needs brought to the government ≥ 0.715 and residents' patience (days) ≤ 28.2 and x.y is between 1 and 2 and residents compare themselves with is their ties"
        );
        let zh = conditions(&rs, Lang::ZhCn);
        assert!(zh.starts_with("向政府提出的需求比例 ≥ 0.715，且"), "{zh}");
        assert!(zh.ends_with("居民的比较对象为社会关系"), "{zh}");
        assert_eq!(quasi_p(&rs), "0.024, <0.001, 0.024, <0.001");
    }
}
