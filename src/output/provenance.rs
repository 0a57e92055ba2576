//! Provenance: what made an output, written into every JSON file (`summary.json`,
//! `comparison.json`, a sweep's or sensitivity analysis's `sweep.json`) and the report's
//! footer. The build (towngov's version, the commit the binary was built from and whether its
//! tree had uncommitted changes), the full text of every input file, and the invocation (the
//! command line and the worker threads).
//!
//! Byte-identity: the same command gives the same bytes. Outputs do not depend on the thread
//! count, but the invocation records it, so the invocation is the last entry of every JSON file
//! and tests that compare runs on different thread counts (or a merged sweep with a one-machine
//! one) compare the bytes before it. The report's footer carries no invocation.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::OutputError;

/// The commit the binary was built from (40 hex digits), or `unknown` (no git at build time).
pub const COMMIT: &str = env!("TOWNGOV_COMMIT");
/// `clean`, `dirty` (tracked files differed from the commit at build time) or `unknown`.
pub const TREE: &str = env!("TOWNGOV_TREE");

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub towngov_version: String,
    /// The commit the binary was built from, or `unknown`.
    pub commit: String,
    /// `clean`, `dirty` or `unknown` (see [`TREE`]).
    pub tree: String,
    /// Every input file, in the order the command read them.
    #[serde(default)]
    pub inputs: Vec<Input>,
    /// The command that wrote this file; absent where none is recorded (a library caller).
    /// Always last, so that what precedes it can be compared byte for byte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocation: Option<Invocation>,
}

/// An input file and its full text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Input {
    /// What the file was to the command: `scenario`, `option`, `sweep`, `sensitivity`,
    /// `base scenario`, `design` (a sensitivity analysis's design file), `saved state`.
    pub role: String,
    /// The path as given, or `<embedded scenarios/...ron>` for a scenario compiled in.
    pub origin: String,
    /// The text as read (a saved state is binary: none, see `note`).
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How the command was invoked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invocation {
    /// The program and its arguments as given (not valid UTF-8: replaced by U+FFFD).
    pub command_line: Vec<String>,
    /// Worker threads the runs were spread over (a single run always uses one); none for a
    /// command that ran nothing (`merge`). Outputs never depend on it.
    pub threads: Option<usize>,
}

impl Input {
    /// A file's text, read again after the command loaded it (the loader's text).
    pub fn file(role: &str, path: &Path) -> Result<Input, OutputError> {
        let text = crate::input::read_to_string(path, crate::input::InputKind::Text)
            .map_err(|e| OutputError::io(path, e.into()))?;
        Ok(Input::text(role, &path.display().to_string(), &text))
    }

    /// Text the command holds already (an embedded scenario).
    pub fn text(role: &str, origin: &str, text: &str) -> Input {
        Input {
            role: role.to_string(),
            origin: origin.to_string(),
            text: Some(text.to_string()),
            note: None,
        }
    }

    /// A saved state: binary, so its text is not written; the scenario it started from is in it.
    pub fn saved_state(path: &Path) -> Input {
        Input {
            role: "saved state".to_string(),
            origin: path.display().to_string(),
            text: None,
            note: Some(
                "binary; it carries the scenario the run started from, and continues it".into(),
            ),
        }
    }
}

impl Provenance {
    /// The build alone: version and commit, no inputs, no invocation.
    pub fn build() -> Provenance {
        Provenance {
            towngov_version: crate::VERSION.to_string(),
            commit: COMMIT.to_string(),
            tree: TREE.to_string(),
            inputs: Vec::new(),
            invocation: None,
        }
    }

    /// The commit shortened to 12 digits for a sentence (`unknown` stays whole).
    pub fn short_commit(&self) -> &str {
        match self.commit.get(..12) {
            Some(s) if self.commit.len() == 40 => s,
            _ => &self.commit,
        }
    }

    fn with(inputs: Vec<Input>, invocation: Option<Invocation>) -> Provenance {
        Provenance {
            inputs,
            invocation,
            ..Provenance::build()
        }
    }
}

/// `summary.json` of `towngov run`: the scenario (and the saved state it continued).
pub fn run(inputs: Vec<Input>, invocation: Invocation) -> Provenance {
    Provenance::with(inputs, Some(invocation))
}

/// `comparison.json` and the report: every option's scenario, in option order.
pub fn comparison(options: Vec<Input>, invocation: Option<Invocation>) -> Provenance {
    Provenance::with(options, invocation)
}

/// A sweep's `sweep.json`: the sweep file and its base scenario.
pub fn sweep(file: Input, base: Input, invocation: Invocation) -> Provenance {
    Provenance::with(vec![file, base], Some(invocation))
}

/// A sensitivity analysis's `sweep.json`: the analysis file, its base scenario and, when the
/// analysis reads its design from a file (`design: "X.txt"`), that file.
pub fn sensitivity(
    file: Input,
    base: Input,
    design: Option<Input>,
    invocation: Invocation,
) -> Provenance {
    let mut inputs = vec![file, base];
    inputs.extend(design);
    Provenance::with(inputs, Some(invocation))
}

/// An explore's `sweep.json`: the explore file and every option's scenario, in option order.
pub fn explore(file: Input, options: Vec<Input>, invocation: Invocation) -> Provenance {
    let mut inputs = vec![file];
    inputs.extend(options);
    Provenance::with(inputs, Some(invocation))
}

/// A merged `sweep.json`: the shards' inputs (equal in every shard, as their fingerprint is)
/// with the merge's own invocation; the shards' invocations stay in their folders.
pub fn merged(shard: &Provenance, invocation: Invocation) -> Provenance {
    Provenance {
        invocation: Some(invocation),
        ..shard.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_is_forty_hex_digits_or_unknown_and_the_invocation_is_last() {
        assert!(
            COMMIT == "unknown"
                || (COMMIT.len() == 40 && COMMIT.bytes().all(|b| b.is_ascii_hexdigit())),
            "{COMMIT}"
        );
        assert!(["clean", "dirty", "unknown"].contains(&TREE), "{TREE}");
        let p = run(
            vec![Input::text("scenario", "<embedded x>", "Scenario()")],
            Invocation {
                command_line: vec!["towngov".into(), "run".into()],
                threads: Some(1),
            },
        );
        let text = serde_json::to_string_pretty(&p).unwrap();
        let at = text.find("\"invocation\"").unwrap();
        assert!(!text[at..].contains("\"inputs\""), "{text}");
        let back: Provenance = serde_json::from_str(&text).unwrap();
        assert_eq!(back, p);
        if COMMIT != "unknown" {
            assert_eq!(p.short_commit().len(), 12);
        }
    }
}
