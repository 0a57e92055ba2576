//! The one catalogue of translated strings, shared by the reports and the dashboard:
//! `i18n/en.json` and `i18n/zh-CN.json` (flat maps from key to text), compiled into the binary.
//! The dashboard receives both as JavaScript (`cli/serve`'s `/strings.js`); the report and the
//! terminal summary of `compare` look keys up with [`tr`]. A text may hold named places,
//! `{name}`, that [`fill`] replaces. Keys: the dashboard's own (`play`, `c_service`...), the
//! report's (`report.*`), indicator labels (`ind.<figure name>`) and parameter labels
//! (`param.<path>`), so the dashboard and the report name a figure or a lever alike.

use std::collections::BTreeMap;
use std::sync::LazyLock;

/// The English catalogue, as JSON text.
pub const EN_JSON: &str = include_str!("../../i18n/en.json");
/// The Simplified Chinese catalogue, as JSON text.
pub const ZH_CN_JSON: &str = include_str!("../../i18n/zh-CN.json");

/// A language of the reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag: `en`, `zh-CN` (what `--lang` takes and `<html lang>` says).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// `en` or `zh-CN` (any case; `zh`, `zh_CN`, `zh-Hans` too).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        match s.as_str() {
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-hans" | "zh-hans-cn" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The language a locale asks for, from `LC_ALL`, `LC_MESSAGES` and `LANG` in POSIX order
    /// (the first one set and not empty decides): `zh*` is Simplified Chinese, anything else
    /// (`C`, `POSIX`, `en_US.UTF-8`, unset) English.
    pub fn from_locale(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Lang {
        let chosen = [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|v| !v.is_empty());
        match chosen {
            Some(v) if v.to_ascii_lowercase().starts_with("zh") => Lang::ZhCn,
            _ => Lang::En,
        }
    }
}

fn parse_catalogue(json: &str) -> BTreeMap<String, String> {
    serde_json::from_str(json).unwrap_or_default()
}

static EN: LazyLock<BTreeMap<String, String>> = LazyLock::new(|| parse_catalogue(EN_JSON));
static ZH_CN: LazyLock<BTreeMap<String, String>> = LazyLock::new(|| parse_catalogue(ZH_CN_JSON));

/// The catalogue of a language.
pub fn catalogue(lang: Lang) -> &'static BTreeMap<String, String> {
    match lang {
        Lang::En => &EN,
        Lang::ZhCn => &ZH_CN,
    }
}

/// The text of `key` in `lang`, else in English, else the key itself (a missing key shows,
/// it does not stop a report; `tests` check that none is missing).
pub fn tr(lang: Lang, key: &str) -> &str {
    catalogue(lang)
        .get(key)
        .or_else(|| EN.get(key))
        .map_or(key, String::as_str)
}

/// The text of `key` if the catalogue has it.
pub fn try_tr(lang: Lang, key: &str) -> Option<&'static str> {
    catalogue(lang).get(key).map(String::as_str)
}

/// `template` with every `{name}` replaced by its value (places not given stay as they are).
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// `tr` then `fill`.
pub fn trf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    fill(tr(lang, key), args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_parse_and_have_the_same_keys() {
        let en: BTreeMap<String, String> = serde_json::from_str(EN_JSON).expect("en.json");
        let zh: BTreeMap<String, String> = serde_json::from_str(ZH_CN_JSON).expect("zh-CN.json");
        let only_en: Vec<&String> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        let only_zh: Vec<&String> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(only_en.is_empty(), "only in en.json: {only_en:?}");
        assert!(only_zh.is_empty(), "only in zh-CN.json: {only_zh:?}");
        assert!(en.len() > 150, "{} keys", en.len());
        assert!(zh.values().all(|v| !v.trim().is_empty()));
        // The same named places in both languages.
        let places = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_string()))
                .collect();
            v.sort();
            v
        };
        for (k, e) in &en {
            assert_eq!(places(e), places(&zh[k]), "places of {k}");
        }
    }

    #[test]
    fn every_indicator_has_a_label_in_both_languages() {
        use crate::experiment::indicators;
        for m in indicators::key().iter().chain(indicators::series().iter()) {
            for lang in Lang::ALL {
                assert!(
                    try_tr(lang, &format!("ind.{}", m.name)).is_some(),
                    "ind.{} in {}",
                    m.name,
                    lang.code()
                );
            }
        }
    }

    #[test]
    fn the_locale_decides_the_default() {
        assert_eq!(Lang::from_locale(None, None, None), Lang::En);
        assert_eq!(
            Lang::from_locale(None, None, Some("zh_CN.UTF-8")),
            Lang::ZhCn
        );
        assert_eq!(Lang::from_locale(None, None, Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(None, None, Some("C")), Lang::En);
        // LC_ALL wins over LANG, LC_MESSAGES over LANG; an empty value does not count.
        assert_eq!(
            Lang::from_locale(Some("C"), None, Some("zh_CN.UTF-8")),
            Lang::En
        );
        assert_eq!(
            Lang::from_locale(Some(""), Some("zh_TW.UTF-8"), Some("en_GB")),
            Lang::ZhCn
        );
        assert_eq!(
            Lang::from_locale(Some("zh_SG"), Some("en_US"), None),
            Lang::ZhCn
        );
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("ZH_cn"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn fill_replaces_named_places() {
        assert_eq!(
            fill("{a} to {b}, {a}", &[("a", "1"), ("b", "2")]),
            "1 to 2, 1"
        );
        assert_eq!(fill("{c}", &[("a", "1")]), "{c}");
        assert_eq!(tr(Lang::En, "no.such.key"), "no.such.key");
    }
}

#[cfg(test)]
mod english_labels {
    use super::*;

    /// The English catalogue names each indicator as `experiment/indicators.rs` does, so the
    /// report's English labels (taken from the comparison) and the catalogue agree.
    #[test]
    fn english_indicator_labels_match_the_indicator_table() {
        use crate::experiment::indicators;
        for m in indicators::key().iter().chain(indicators::series().iter()) {
            assert_eq!(
                tr(Lang::En, &format!("ind.{}", m.name)),
                m.label,
                "{}",
                m.name
            );
        }
    }
}

#[cfg(test)]
mod keys_used {
    use super::*;

    /// Every literal between `open` and the next `"` in `text`.
    fn literals<'a>(text: &'a str, open: &str) -> Vec<&'a str> {
        text.match_indices(open)
            .filter_map(|(i, _)| {
                let rest = &text[i + open.len()..];
                rest.find('"').map(|end| &rest[..end])
            })
            .collect()
    }

    const RUST: &[(&str, &str)] = &[
        ("first_screen.rs", include_str!("first_screen.rs")),
        ("html.rs", include_str!("html.rs")),
        ("cli/compare.rs", include_str!("../cli/compare.rs")),
        (
            "cli/compare_text.rs",
            include_str!("../cli/compare_text.rs"),
        ),
        ("cli/terminal.rs", include_str!("../cli/terminal.rs")),
        ("text.rs", include_str!("text.rs")),
        ("svg.rs", include_str!("svg.rs")),
        ("forest.rs", include_str!("forest.rs")),
    ];

    const PAGE: &[(&str, &str)] = &[
        ("index.html", include_str!("../cli/serve/page/index.html")),
        ("app.js", include_str!("../cli/serve/page/app.js")),
        ("i18n.js", include_str!("../cli/serve/page/i18n.js")),
        ("plots.js", include_str!("../cli/serve/page/plots.js")),
        ("map.js", include_str!("../cli/serve/page/map.js")),
    ];

    /// Every key the code names literally is in both catalogues (keys built at run time, such as
    /// `ind.<figure>` and `param.<path>`, have their own tests, and the browser test records any
    /// key the page misses).
    #[test]
    fn every_key_the_code_names_exists() {
        let mut checked = 0;
        for (file, text) in RUST {
            for key in literals(text, "\"report.") {
                if key.ends_with('.')
                    || key.ends_with('_')
                    || key.contains('{')
                    || key == "html"
                    || key == "css"
                {
                    continue; // a prefix completed at run time, or a file name
                }
                let key = format!("report.{key}");
                for lang in Lang::ALL {
                    assert!(
                        try_tr(lang, &key).is_some(),
                        "{file}: {key} not in {}",
                        lang.code()
                    );
                }
                checked += 1;
            }
        }
        for (file, text) in PAGE {
            // Comments may show the pattern (`data-i18n="key"`): read code only.
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            let text = code.as_str();
            // `t("key")` only: `t("mi_" + name)` builds its key at run time.
            let calls = text
                .match_indices("t(\"")
                .filter(|(i, _)| {
                    text[..*i]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'))
                })
                .filter_map(|(i, _)| {
                    let rest = &text[i + 3..];
                    let end = rest.find('"')?;
                    rest[end..].starts_with("\")").then(|| &rest[..end])
                });
            let keys = literals(text, "data-i18n=\"").into_iter().chain(calls);
            for key in keys {
                for lang in Lang::ALL {
                    assert!(
                        try_tr(lang, key).is_some(),
                        "{file}: {key} not in {}",
                        lang.code()
                    );
                }
                checked += 1;
            }
        }
        assert!(
            checked > 100,
            "only {checked} keys found: is the scan broken?"
        );
    }

    /// Every dashboard lever has a label for the report's list of levers.
    #[test]
    fn every_run_time_key_family_is_complete() {
        for v in ["better", "worse", "higher", "lower", "ns", "na"] {
            assert!(
                try_tr(Lang::ZhCn, &format!("report.verdict.{v}")).is_some(),
                "{v}"
            );
        }
        for e in ["on_time", "participants", "firms"] {
            for stem in [
                "report.effect.",
                "report.per.",
                "report.extra.",
                "report.col.per_",
            ] {
                assert!(
                    try_tr(Lang::ZhCn, &format!("{stem}{e}")).is_some(),
                    "{stem}{e}"
                );
            }
        }
        let levers = literals(include_str!("../cli/serve/levers.rs"), "pick(\n        \"");
        assert!(levers.len() >= 20, "{levers:?}");
        for path in levers {
            assert!(
                try_tr(Lang::ZhCn, &format!("param.{path}")).is_some(),
                "param.{path}"
            );
        }
    }
}
