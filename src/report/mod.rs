//! Reports: the printed comparison table, the plain-words summary and the self-contained HTML
//! report with SVG plots. Pure functions from results to text; the caller writes the files.
//!
//! - [`text_table`]: a fixed-width table for a terminal;
//! - [`plain_words`]: short sentences for a planner;
//! - [`html`]: one offline HTML page (inline CSS and SVG, nothing fetched) with the summary, the
//!   full indicator table, a time plot per daily series and a forest plot of the differences.
//!
//! Every difference is paired against the first option (common random numbers). No report ever
//! claims a difference whose interval is missing or includes 0.

pub mod decision;
pub mod explore;
pub mod explore_decision;
pub mod explore_text;
mod explore_words;
pub mod first_screen;
#[cfg(test)]
mod fixture;
mod forest;
mod format;
mod html;
pub mod i18n;
pub mod money;
mod svg;
mod text;
mod words;

pub use format::{display_width, wrap};
pub use html::{adjust_sentence_in, html};
pub use text::{text_table, text_table_in};
pub use words::plain_words;

use crate::experiment::results::{IndicatorMeta, PairedDiff};

/// The verdict of a paired difference as `options.csv` writes it: `better`, `worse`,
/// `higher`, `lower`, `n.s.` when the interval includes 0, `no_interval` when there is none
/// (not the tables' `n/a`, which pandas would read as a missing value).
pub fn verdict_word(meta: &IndicatorMeta, diff: Option<&PairedDiff>) -> &'static str {
    match format::verdict(meta, diff) {
        format::Verdict::NotAvailable => "no_interval",
        v => v.word(),
    }
}
