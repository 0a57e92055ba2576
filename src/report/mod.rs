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

#[cfg(test)]
mod fixture;
mod forest;
mod format;
mod html;
mod svg;
mod text;
mod words;

pub use html::html;
pub use text::text_table;
pub use words::plain_words;

use crate::experiment::results::{IndicatorMeta, PairedDiff};

/// The verdict word the tables use for a paired difference (`better`, `worse`, `higher`,
/// `lower`, `n.s.` when the interval includes 0, `n/a` when there is none).
pub fn verdict_word(meta: &IndicatorMeta, diff: Option<&PairedDiff>) -> &'static str {
    format::verdict(meta, diff).word()
}
