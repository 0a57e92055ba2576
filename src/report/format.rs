//! What the three reports share: the verdict on a paired difference, number formatting by
//! magnitude, display widths for the terminal and HTML escaping.

use crate::experiment::results::{Better, Comparison, IndicatorMeta, Interval, PairedDiff};

/// What a paired difference says, read with the indicator's direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The interval excludes 0 on the good side.
    Better,
    /// The interval excludes 0 on the bad side.
    Worse,
    /// The interval is above 0 for an indicator that is neither better nor worse in itself.
    Higher,
    /// The interval is below 0 for an indicator that is neither better nor worse in itself.
    Lower,
    /// The interval includes 0: no detectable difference.
    NotSignificant,
    /// No usable interval (fewer than 2 pairs, or a non-finite figure).
    NotAvailable,
}

impl Verdict {
    /// The short word used in the tables.
    pub(crate) fn word(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Higher => "higher",
            Verdict::Lower => "lower",
            Verdict::NotSignificant => "n.s.",
            Verdict::NotAvailable => "n/a",
        }
    }

    /// The catalogue key stem of the verdict: `report.verdict.<key>`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Verdict::Better => "better",
            Verdict::Worse => "worse",
            Verdict::Higher => "higher",
            Verdict::Lower => "lower",
            Verdict::NotSignificant => "ns",
            Verdict::NotAvailable => "na",
        }
    }

    /// A CSS class for the HTML table.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Verdict::Better => "v-better",
            Verdict::Worse => "v-worse",
            Verdict::Higher | Verdict::Lower => "v-change",
            Verdict::NotSignificant => "v-ns",
            Verdict::NotAvailable => "v-na",
        }
    }
}

/// The interval of a difference if it can be read at all: finite, ordered bounds, a finite mean
/// and at least 2 pairs.
pub(crate) fn usable_ci(diff: &PairedDiff) -> Option<Interval> {
    let ci = diff.ci?;
    (diff.n >= 2
        && diff.mean.is_finite()
        && ci.low.is_finite()
        && ci.high.is_finite()
        && ci.low <= ci.high)
        .then_some(ci)
}

/// Reads a paired difference against the indicator's direction. Never claims a difference when
/// the interval is missing, not finite or includes 0.
///
/// When the comparison adjusted its p-values for multiplicity (`diff.detected` is set), a
/// difference is claimed only where the adjusted p is below 1 - level, even if the unadjusted
/// interval excludes 0.
pub(crate) fn verdict(meta: &IndicatorMeta, diff: Option<&PairedDiff>) -> Verdict {
    let Some(ci) = diff.and_then(usable_ci) else {
        return Verdict::NotAvailable;
    };
    if diff.and_then(|d| d.detected) == Some(false) {
        return Verdict::NotSignificant;
    }
    if ci.low <= 0.0 && 0.0 <= ci.high {
        return Verdict::NotSignificant;
    }
    let up = ci.low > 0.0;
    match (meta.better, up) {
        (Better::Higher, true) | (Better::Lower, false) => Verdict::Better,
        (Better::Higher, false) | (Better::Lower, true) => Verdict::Worse,
        (Better::Neither, true) => Verdict::Higher,
        (Better::Neither, false) => Verdict::Lower,
    }
}

/// The name of option `i` (control characters replaced), or a stand-in when the results hold
/// more columns than names.
pub(crate) fn option_name(c: &Comparison, i: usize) -> String {
    c.options
        .get(i)
        .map_or_else(|| format!("option {}", i + 1), |s| clean(s))
}

/// `s` with control characters replaced by U+FFFD.
pub(crate) fn clean(s: &str) -> String {
    truncate(s, usize::MAX)
}

/// "95%" for a level of 0.95; "confidence" style fallback for a nonsensical level.
pub(crate) fn level_percent(level: f64) -> String {
    if level.is_finite() && level > 0.0 && level < 1.0 {
        let p = level * 100.0;
        let s = format!("{p:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        format!("{s}%")
    } else {
        "?%".to_string()
    }
}

/// Whether the unit is a share (0..1), which keeps at least 3 decimals.
fn is_share(unit: &str) -> bool {
    matches!(
        unit.trim().to_ascii_lowercase().as_str(),
        "share" | "rate" | "fraction" | "proportion"
    )
}

/// Decimals for figures of magnitude `mag` in `unit`: shares keep 3 decimals (more for tiny
/// shares), large figures none, others 3 significant digits.
pub(crate) fn decimals_for(mag: f64, unit: &str) -> usize {
    let sig = |digits: f64| -> usize {
        if mag.is_finite() && mag > 0.0 {
            (digits - 1.0 - mag.log10().floor()).clamp(0.0, 6.0) as usize
        } else {
            0
        }
    };
    if is_share(unit) {
        sig(2.0).max(3)
    } else if mag >= 1000.0 {
        0
    } else {
        sig(3.0)
    }
}

/// The largest finite magnitude among `xs` (0 when there is none).
pub(crate) fn magnitude(xs: impl IntoIterator<Item = f64>) -> f64 {
    xs.into_iter()
        .filter(|x| x.is_finite())
        .fold(0.0, |m: f64, x| m.max(x.abs()))
}

/// A number with `decimals` decimals and thousands separators; `signed` adds a `+` to positive
/// figures. NaN reads "n/a", infinities "inf"/"-inf"; a figure that rounds to zero has no sign.
pub(crate) fn num(x: f64, decimals: usize, signed: bool) -> String {
    if x.is_nan() {
        return "n/a".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let raw = format!("{:.*}", decimals, x.abs());
    let zero = raw.bytes().all(|b| b == b'0' || b == b'.');
    let (int, frac) = match raw.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (raw.as_str(), None),
    };
    let mut out = String::with_capacity(raw.len() + 8);
    if !zero {
        if x < 0.0 {
            out.push('-');
        } else if signed {
            out.push('+');
        }
    }
    let digits = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// The effect size d_z with 2 decimals, or "n/a".
pub(crate) fn effect(d: Option<f64>) -> String {
    match d {
        Some(d) if d.is_finite() => num(d, 2, true),
        _ => "n/a".to_string(),
    }
}

/// A unit in `lang` from the catalogue (`unit.<unit>`), as it is where the catalogue has none.
pub(crate) fn unit_in(unit: &str, lang: crate::report::i18n::Lang) -> String {
    crate::report::i18n::try_tr(lang, &format!("unit.{unit}"))
        .map_or_else(|| unit.to_string(), str::to_string)
}

/// How many terminal columns `s` takes (unicode-width: East Asian wide and fullwidth
/// characters take 2, control and combining characters 0).
pub fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// `text` wrapped into lines of at most `width` display columns, each ending in a newline;
/// lines after the first of a paragraph start with `indent`. A line breaks at a space, or
/// between two characters where one of them is wide (CJK ideographs, kana, hangul, fullwidth
/// forms and punctuation), so Chinese text wraps without spaces; never inside an ASCII word or
/// a number, never before closing punctuation (`，。；：、）」”` ...) and never after opening
/// punctuation (`（「“` ...). A word too long for a line is cut where the line ends. Line breaks
/// in `text` are kept.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let ind = display_width(indent);
    let width = width.max(ind + 8);
    let mut out = String::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        // No word on the line yet (it may hold the indent).
        let mut fresh = true;
        for (gap, word) in pieces(paragraph) {
            let mut word = word.to_string();
            loop {
                let w = display_width(&word);
                let need = if fresh { w } else { w + gap };
                if used + need <= width {
                    if !fresh {
                        line.push_str(&" ".repeat(gap));
                    }
                    line.push_str(&word);
                    used += need;
                    fresh = false;
                    break;
                }
                if fresh {
                    // Too long even for a line of its own: cut it where the line ends.
                    let (head, tail) = split_at_width(&word, width - used);
                    line.push_str(&head);
                    word = tail;
                }
                out.push_str(line.trim_end());
                out.push('\n');
                line = indent.to_string();
                used = ind;
                fresh = true;
                if word.is_empty() {
                    break;
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The pieces a paragraph may break between, each with the spaces before it: a run of spaces
/// is kept inside a line (so columns stay aligned) and dropped where a line breaks; pieces
/// split between wide characters have no space before them.
fn pieces(paragraph: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut spaces = 0;
    for part in paragraph.split(' ') {
        if part.is_empty() {
            spaces += 1;
            continue;
        }
        let mut gap = spaces.max(1);
        let mut start = 0;
        let mut prev: Option<char> = None;
        for (i, ch) in part.char_indices() {
            if prev.is_some_and(|p| may_break_between(p, ch)) {
                out.push((gap, &part[start..i]));
                gap = 0;
                start = i;
            }
            prev = Some(ch);
        }
        out.push((gap, &part[start..]));
        spaces = 1;
    }
    out
}

/// Whether a line may break between `a` and `b` (no space between them): where either is wide
/// (East Asian text breaks between characters), unless `b` must not start a line or `a` must
/// not end one.
fn may_break_between(a: char, b: char) -> bool {
    (char_width(a) == 2 || char_width(b) == 2) && !closes(b) && !opens(a)
}

/// Punctuation that must not start a line (it closes or follows what comes before it).
fn closes(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '］'
            | '｝'
            | '〕'
            | '〉'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〗'
            | '〙'
            | '〛'
            | '”'
            | '’'
            | '…'
            | '‥'
            | '·'
            | '・'
            | '～'
            | '％'
            | '‰'
            | '℃'
            | '．'
            | '々'
            | 'ー'
            | '〜'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '%'
    )
}

/// Punctuation that must not end a line (it opens what comes after it).
fn opens(c: char) -> bool {
    matches!(
        c,
        '（' | '［'
            | '｛'
            | '〔'
            | '〈'
            | '《'
            | '「'
            | '『'
            | '【'
            | '〖'
            | '〘'
            | '〚'
            | '“'
            | '‘'
            | '('
            | '['
            | '{'
            | '￥'
            | '¥'
            | '$'
    )
}

/// `s` split after at most `width` display columns (at least one character), one character
/// earlier where the rest would start with closing punctuation.
fn split_at_width(s: &str, width: usize) -> (String, String) {
    let mut w = 0;
    for (i, ch) in s.char_indices() {
        let cw = char_width(ch);
        if w + cw > width && i > 0 {
            let mut at = i;
            if closes(ch) {
                if let Some((j, _)) = s[..i].char_indices().next_back().filter(|&(j, _)| j > 0) {
                    at = j;
                }
            }
            return (s[..at].to_string(), s[at..].to_string());
        }
        w += cw;
    }
    (s.to_string(), String::new())
}

/// `s` padded with spaces to `width` display columns, on the right (`left` alignment) or left.
pub(crate) fn pad(s: &str, width: usize, left: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(display_width(s)));
    if left {
        format!("{s}{fill}")
    } else {
        format!("{fill}{s}")
    }
}

/// `s` cut to at most `max` display columns, with an ellipsis when cut; control characters
/// become U+FFFD so they reach neither a terminal nor an SVG.
pub(crate) fn truncate(s: &str, max: usize) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if display_width(&s) <= max {
        return s;
    }
    let mut out = String::new();
    let mut w = 0;
    for ch in s.chars() {
        let cw = char_width(ch);
        if w + cw + 1 > max {
            break;
        }
        out.push(ch);
        w += cw;
    }
    out.push('…');
    out
}

/// Escapes text for HTML and SVG (element content and quoted attributes). A `://` is written
/// `&#58;//` so that no web address appears literally in a page meant to be offline.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    defuse_urls(&out)
}

/// Replaces every `://` with `&#58;//`: same rendering, no literal address.
pub(crate) fn defuse_urls(s: &str) -> String {
    s.replace("://", "&#58;//")
}

/// Seeds as compact runs: `1–20, 35, 40–42`; long lists end with how many more there are.
pub(crate) fn seed_runs(seeds: &[u64]) -> String {
    const MAX_RUNS: usize = 40;
    let mut runs: Vec<(u64, u64)> = Vec::new();
    for &s in seeds {
        match runs.last_mut() {
            Some((_, end)) if end.checked_add(1) == Some(s) => *end = s,
            _ => runs.push((s, s)),
        }
    }
    let shown: Vec<String> = runs
        .iter()
        .take(MAX_RUNS)
        .map(|&(a, b)| match b - a {
            0 => a.to_string(),
            1 => format!("{a}, {b}"),
            _ => format!("{a}–{b}"),
        })
        .collect();
    let mut out = shown.join(", ");
    if runs.len() > MAX_RUNS {
        let rest = runs[MAX_RUNS..].iter().fold(0u64, |n, &(a, b)| {
            n.saturating_add((b - a).saturating_add(1))
        });
        out.push_str(&format!(" and {rest} more"));
    }
    if out.is_empty() {
        out.push_str("none");
    }
    out
}

/// Decimals for the paired differences of one indicator (the first `n` options), chosen from
/// the magnitude of the differences and their intervals.
pub(crate) fn diff_decimals(
    row: &crate::experiment::results::IndicatorRow,
    n: usize,
    unit: &str,
) -> usize {
    decimals_for(
        magnitude(
            row.by_option
                .iter()
                .take(n)
                .skip(1)
                .filter_map(|s| s.diff)
                .flat_map(|d| {
                    let ci = usable_ci(&d);
                    [
                        d.mean,
                        ci.map_or(0.0, |c| c.low),
                        ci.map_or(0.0, |c| c.high),
                    ]
                }),
        ),
        unit,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_by_magnitude() {
        assert_eq!(
            num(12345.4, decimals_for(12345.4, "count"), false),
            "12,345"
        );
        assert_eq!(num(-1234567.0, 0, false), "-1,234,567");
        assert_eq!(num(0.09, decimals_for(0.09, "share"), true), "+0.090");
        assert_eq!(num(-0.0001, 3, true), "0.000");
        assert_eq!(num(3.2468, decimals_for(3.2468, "days"), false), "3.25");
        assert_eq!(num(f64::NAN, 2, true), "n/a");
        assert_eq!(num(f64::NEG_INFINITY, 2, true), "-inf");
        assert_eq!(decimals_for(0.0004, "share"), 5);
        assert_eq!(decimals_for(0.0, "count"), 0);
        assert_eq!(decimals_for(f64::INFINITY, "count"), 0);
        assert_eq!(level_percent(0.95), "95%");
        assert_eq!(level_percent(0.999), "99.9%");
        assert_eq!(level_percent(f64::NAN), "?%");
    }

    #[test]
    fn widths_escapes_and_seeds() {
        assert_eq!(display_width("特色小镇 ab"), 11);
        assert_eq!(display_width(&pad("小镇", 6, true)), 6);
        assert!(display_width(&truncate("特色小镇特色小镇", 7)) <= 7);
        assert_eq!(truncate("a\u{1b}[31mb", 20), "a\u{FFFD}[31mb");
        assert_eq!(esc("<b>&'\""), "&lt;b&gt;&amp;&#39;&quot;");
        assert_eq!(esc("see https://x"), "see https&#58;//x");
        assert_eq!(seed_runs(&[1, 2, 3, 4, 9, 11, 12]), "1–4, 9, 11, 12");
        assert_eq!(seed_runs(&[]), "none");
        assert_eq!(seed_runs(&[u64::MAX, 0]), format!("{}, 0", u64::MAX));
    }

    #[test]
    fn wrap_keeps_lines_within_width_and_columns_aligned() {
        let text = "a long sentence that must wrap somewhere before the end of the line";
        let w = wrap(text, 20, "  ");
        assert!(w.lines().all(|l| display_width(l) <= 20), "{w}");
        assert!(w.lines().skip(1).all(|l| l.starts_with("  ")), "{w}");
        assert_eq!(w.split_whitespace().collect::<Vec<_>>().join(" "), text);
        assert_eq!(wrap("trust        0.50", 40, ""), "trust        0.50\n");
        let long = wrap(&"特".repeat(30), 20, "");
        assert!(long.lines().all(|l| display_width(l) <= 20), "{long}");
        assert_eq!(long.replace('\n', ""), "特".repeat(30));
    }

    /// Chinese with English names, options and numbers in it, as the zh summary prints.
    const MIXED: &str = "综合成本、按时办结和参与率，“full reform”排名第一；帕累托前沿：“development-zone \
        status quo”和“full reform”。请用 --warm-up auto 或把 545 传给 --warm-up（每件约 6,987 元，\
        95% 区间 5,620 元 至 9,233 元）。已写入 /tmp/towngov-report：report.html、options.csv。";

    #[test]
    fn chinese_wraps_between_characters_but_not_inside_words_or_numbers() {
        let words = [
            "“full",
            "reform”",
            "“development-zone",
            "--warm-up",
            "6,987",
            "9,233",
            "95%",
            "/tmp/towngov-report",
            "report.html",
            "options.csv",
            "545",
        ];
        let closing = "，。；：、）」』】》！？”’…%";
        for width in 12..=80 {
            let w = wrap(MIXED, width, "   ");
            let lines: Vec<&str> = w.lines().collect();
            for (i, l) in lines.iter().enumerate() {
                assert!(display_width(l) <= width, "width {width}: {l:?}\n{w}");
                let body = l.trim_start();
                if i > 0 {
                    assert!(l.starts_with("   "), "width {width}: indent of {l:?}\n{w}");
                    let first = body.chars().next().unwrap();
                    assert!(
                        !closing.contains(first),
                        "width {width}: {l:?} starts with {first}\n{w}"
                    );
                }
                let last = body.chars().last().unwrap();
                assert!(
                    !"（「“『【《".contains(last),
                    "width {width}: {l:?} ends with {last}\n{w}"
                );
            }
            // Every word and number stays whole on one line (words longer than a line, with
            // the indent and the punctuation glued to them, aside).
            for word in words.iter().filter(|x| display_width(x) + 5 <= width) {
                assert!(
                    lines.iter().any(|l| l.contains(word)),
                    "width {width}: {word} cut\n{w}"
                );
            }
            // Nothing lost or added but spaces and line breaks.
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert_eq!(squeeze(&w), squeeze(MIXED), "width {width}");
        }
        // A Chinese sentence breaks where the line is full, not at its only spaces.
        let w = wrap(MIXED, 40, "");
        assert!(
            w.starts_with("综合成本、按时办结和参与率，“full\nreform”排名第一；"),
            "{w}"
        );
        // Wide characters against ASCII with no space may break; ASCII against ASCII may not.
        assert_eq!(wrap("每千件per", 8, ""), "每千件\nper\n");
        assert_eq!(wrap("每千件per", 9, ""), "每千件per\n");
        assert_eq!(wrap("abcdefgh ij", 9, ""), "abcdefgh\nij\n");
        // Closing punctuation stays with what it closes, opening with what follows.
        assert_eq!(wrap("一二三四，五六", 8, ""), "一二三\n四，五六\n");
        assert_eq!(wrap("一二三（四五", 8, ""), "一二三\n（四五\n");
    }

    #[test]
    fn wrap_cjk_breaks_between_wide_characters_not_before_punctuation() {
        let text = "排名：按目标指标的最大遗憾值（其次为第 90 百分位数）。遗憾值：该方案落后于最佳方案的差距。";
        let out = wrap(text, 24, "  ");
        for (i, line) in out.lines().enumerate() {
            assert!(display_width(line) <= 24, "{line}");
            let first = line.trim_start().chars().next().unwrap();
            assert!(!"，。、：；）".contains(first), "{out}");
            if i > 0 {
                assert!(line.starts_with("  "), "{out}");
            }
        }
        assert_eq!(out.replace(['\n', ' '], ""), text.replace(' ', ""));
        // Latin words stay whole and keep their spaces.
        assert_eq!(wrap("cost per case", 80, ""), "cost per case\n");
        assert_eq!(wrap("aaaa bbbb cccc", 9, ""), "aaaa bbbb\ncccc\n");
        // A file name stays whole after Chinese text.
        assert_eq!(
            wrap("已写入：explore.json", 12, ""),
            "已写入：\nexplore.json\n"
        );
    }
}
