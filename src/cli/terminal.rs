//! The terminal: its width, and colour where it helps. Colour goes through anstream, which
//! writes the escape codes only to a terminal and never when `NO_COLOR` is set (or to a pipe
//! or a file; `CLICOLOR_FORCE=1` forces them).

use anstyle::{AnsiColor, Style};
use towngov::report::i18n::{Lang, tr};

/// Columns of output when stdout is not a terminal whose width is known.
pub const DEFAULT_WIDTH: usize = 100;

/// Section heads of the run summary, table headers and block titles.
pub const HEAD: Style = Style::new().bold();
/// `error:`.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
const BETTER: Style = AnsiColor::Green.on_default();
const WORSE: Style = AnsiColor::Red.on_default();
const QUIET: Style = Style::new().dimmed();

/// The width to lay text out in: `COLUMNS` if set, else the terminal's width when stdout is
/// a terminal, else 100.
pub fn width() -> usize {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n >= 20)
    {
        return n;
    }
    let term = console::Term::stdout();
    match term.is_term().then(|| term.size_checked()).flatten() {
        Some((_, cols)) if cols >= 20 => cols as usize,
        _ => DEFAULT_WIDTH,
    }
}

/// `text` in `style` (anstream drops the codes where colour does not belong).
pub fn paint(text: &str, style: Style) -> String {
    format!("{style}{text}{style:#}")
}

/// The comparison table (`report::text_table_in` in `lang`) with its headers in bold and its
/// verdicts in colour: better green, worse red, not significant and n/a dimmed.
pub fn table(text: &str, lang: Lang) -> String {
    let word = |v: &str| tr(lang, &format!("report.verdict.{v}")).to_string();
    let heading = tr(lang, "report.text.indicator");
    let mut out = String::with_capacity(text.len() + 1024);
    for line in text.lines() {
        let title = (line.starts_with('"') || line.starts_with('“'))
            && (line.ends_with(':') || line.ends_with('：'));
        if line.starts_with(heading) || title {
            out.push_str(&paint(line, HEAD));
        } else {
            let body = line.trim_end();
            let last = body.rsplit(' ').next().unwrap_or("");
            let style = if last == word("better").as_str() {
                Some(BETTER)
            } else if last == word("worse").as_str() {
                Some(WORSE)
            } else if (last == word("ns").as_str() || last == word("na").as_str())
                && body.len() > last.len()
            {
                Some(QUIET)
            } else {
                None
            };
            match style {
                Some(s) if line.contains("  ") => {
                    out.push_str(&body[..body.len() - last.len()]);
                    out.push_str(&paint(last, s));
                    out.push_str(&line[body.len()..]);
                }
                _ => out.push_str(line),
            }
        }
        out.push('\n');
    }
    out
}
