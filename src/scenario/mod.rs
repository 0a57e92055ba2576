//! Scenario files, in two stages (like ripgrep's low and high arguments): serde reads the RON
//! text into [`raw::RawScenario`]; [`Scenario::from_raw`] validates it, fills the defaults and
//! returns the [`Scenario`] the simulation sees. Errors name the file, line, column, field path
//! and the allowed range.

mod from_raw;
mod locate;
pub mod model;
pub mod raw;
pub mod raw_path;
mod validate;

use std::fmt;
use std::path::Path;

use crate::input::{self, InputKind};

pub use from_raw::{
    MAX_DESCRIPTION_CHARS, MAX_GRIDS, MAX_NAME_CHARS, MAX_RESIDENTS, MAX_TIMELINE_ENTRIES,
    param_specs, param_specs_of,
};
pub use locate::{Location, SpanIndex};
pub use model::*;
pub use validate::{Domain, FieldError, ParamSpec, fmt_real};

/// The status-quo town compiled into the binary: what `towngov run` uses with no file.
pub const DEFAULT_SCENARIO_RON: &str = include_str!("../../scenarios/status_quo.ron");
/// The name under which the embedded default is reported in messages.
pub const DEFAULT_SCENARIO_ORIGIN: &str = "<embedded scenarios/status_quo.ron>";

/// One problem in a scenario file, located.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub location: Option<Location>,
    /// Dotted field path, when the problem belongs to one field.
    pub path: Option<String>,
    pub message: String,
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{origin}: cannot read the scenario file: {source}")]
    Read {
        origin: String,
        #[source]
        source: crate::input::InputError,
    },
    #[error("{}", render(origin, diagnostics))]
    Invalid {
        origin: String,
        diagnostics: Vec<Diagnostic>,
    },
}

fn render(origin: &str, diagnostics: &[Diagnostic]) -> String {
    let lines: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            let mut s = origin.to_string();
            if let Some(loc) = d.location {
                s += &format!(":{}:{}", loc.line, loc.col);
            }
            s += ": ";
            if let Some(path) = &d.path {
                s += path;
                s += ": ";
            }
            s += &d.message;
            s
        })
        .collect();
    lines.join("\n")
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&render("", std::slice::from_ref(self))[2..])
    }
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let origin = path.display().to_string();
    let text =
        input::read_to_string(path, InputKind::Text).map_err(|source| ScenarioError::Read {
            origin: origin.clone(),
            source,
        })?;
    parse(&text, &origin)
}

/// The embedded default scenario (the development-zone status quo).
pub fn embedded_default() -> Scenario {
    parse(DEFAULT_SCENARIO_RON, DEFAULT_SCENARIO_ORIGIN).expect("the embedded scenario is valid")
}

/// Text without the UTF-8 byte-order mark some editors on Windows put first (accepted, so a
/// file saved by Notepad reads like any other; lines and columns count from after it).
pub fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Parses and validates scenario text; `origin` names it in error messages.
pub fn parse(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    let text = without_bom(text);
    let raw = parse_raw(text, origin)?;
    Scenario::from_raw(&raw).map_err(|errors| {
        let index = SpanIndex::scan(text);
        ScenarioError::Invalid {
            origin: origin.to_string(),
            diagnostics: errors
                .into_iter()
                .map(|e| Diagnostic {
                    location: index.locate(&e.path),
                    path: Some(e.path),
                    message: e.message,
                })
                .collect(),
        }
    })
}

/// Stage one only: RON text to the raw structs, with syntax and unknown-field errors located.
pub fn parse_raw(text: &str, origin: &str) -> Result<raw::RawScenario, ScenarioError> {
    let text = without_bom(text);
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    options.from_str::<raw::RawScenario>(text).map_err(|e| {
        let location = Location {
            line: e.span.start.line,
            col: e.span.start.col,
        };
        let index = SpanIndex::scan(text);
        let path = index
            .path_at(location)
            .map(|p| truncate_chars(&p, MAX_NAME_CHARS));
        let mut message = ron_message(&e.code);
        // Say what the field accepts, when the error sits on a known parameter.
        if let Some(spec) = path
            .as_deref()
            .and_then(|p| param_specs().into_iter().find(|s| s.path == p))
            && !matches!(e.code, ron::Error::NoSuchStructField { .. })
        {
            message += &match spec.unit.trim() {
                "" | "-" => format!(" (allowed: {})", spec.range),
                unit => format!(" (allowed: {}, in {unit})", spec.range),
            };
        }
        ScenarioError::Invalid {
            origin: origin.to_string(),
            diagnostics: vec![Diagnostic {
                location: Some(location),
                path,
                message,
            }],
        }
    })
}

/// The longest error message taken from ron, in characters: its messages quote the input
/// (an unknown field's name, a string of the wrong type), which can be megabytes long.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// `text` cut to `max` characters, with `…` when something was cut.
pub fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// ron's message, lower-cased and with a "did you mean" for a misspelt field.
fn ron_message(code: &ron::Error) -> String {
    truncate_chars(&ron_message_whole(code), MAX_MESSAGE_CHARS)
}

fn ron_message_whole(code: &ron::Error) -> String {
    match code {
        ron::Error::NoSuchStructField {
            expected, found, ..
        } if found.len() > 100 => format!(
            "unknown field `{}` (expected one of: {})",
            truncate_chars(found, 40),
            expected.join(", ")
        ),
        ron::Error::NoSuchStructField {
            expected, found, ..
        } => {
            let mut msg = format!("unknown field `{found}`");
            if let Some(best) = closest(found, expected) {
                msg += &format!(", did you mean `{best}`?");
            }
            msg += &format!(" (expected one of: {})", expected.join(", "));
            msg
        }
        other => {
            let s = other.to_string();
            let mut c = s.chars();
            match c.next() {
                Some(first) => first.to_lowercase().collect::<String>() + c.as_str(),
                None => s,
            }
        }
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
