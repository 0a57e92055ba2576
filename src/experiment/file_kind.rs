//! Which kind of towngov file a RON file is (scenario, sweep, sensitivity), so that one
//! `towngov check` validates any of them. A new kind of file is a new variant here and a new
//! arm in the check.

use std::path::Path;

use crate::scenario::SpanIndex;

/// The kinds of RON file towngov reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Scenario,
    Sweep,
    Sensitivity,
    Explore,
}

impl FileKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [FileKind; 4] = [
        FileKind::Scenario,
        FileKind::Sweep,
        FileKind::Sensitivity,
        FileKind::Explore,
    ];

    /// The kind's name in messages ("scenario", "sweep", "sensitivity").
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Scenario => "scenario",
            FileKind::Sweep => "sweep",
            FileKind::Sensitivity => "sensitivity",
            FileKind::Explore => "explore",
        }
    }

    /// The struct name a file of this kind may open with (`Sweep(...)`).
    fn struct_name(self) -> &'static str {
        match self {
            FileKind::Scenario => "Scenario",
            FileKind::Sweep => "Sweep",
            FileKind::Sensitivity => "Sensitivity",
            FileKind::Explore => "Explore",
        }
    }

    /// A top-level field only this kind has.
    fn own_field(self) -> Option<&'static str> {
        match self {
            FileKind::Scenario => None,
            FileKind::Sweep => Some("design"),
            FileKind::Sensitivity => Some("method"),
            FileKind::Explore => Some("futures"),
        }
    }

    /// The kind of the file at `path` holding `text`: by the struct name it opens with
    /// (`Scenario(`, `Sweep(`, `Sensitivity(`); else by its name (`*.sweep.ron`,
    /// `*.sensitivity.ron`, `*.explore.ron`); else by a field only one kind has at the top
    /// level (`futures`: an explore, `method`: a sensitivity analysis, else `design`: a sweep);
    /// else a scenario.
    pub fn detect(path: &Path, text: &str) -> FileKind {
        if let Some(name) = opening_struct(text)
            && let Some(kind) = Self::ALL.into_iter().find(|k| k.struct_name() == name)
        {
            return kind;
        }
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        for kind in [FileKind::Sweep, FileKind::Sensitivity, FileKind::Explore] {
            if file.ends_with(&format!(".{}.ron", kind.name())) {
                return kind;
            }
        }
        // `futures` and `method` before `design`: a sensitivity file may name a design file
        // too (`design: "X.txt"`), while a sweep has neither futures nor a method.
        let index = SpanIndex::scan(text);
        [FileKind::Explore, FileKind::Sensitivity, FileKind::Sweep]
            .into_iter()
            .find(|k| k.own_field().is_some_and(|f| index.locate(f).is_some()))
            .unwrap_or(FileKind::Scenario)
    }
}

/// The identifier before the first `(` of the file, after blanks, comments and `#![...]`
/// attributes; `None` for an unnamed struct.
fn opening_struct(text: &str) -> Option<&str> {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("//") {
            rest = r.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.split_once("*/").map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("#!") {
            rest = r.split_once(']').map_or("", |(_, after)| after);
        } else {
            break;
        }
    }
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = &rest[..end];
    (!name.is_empty() && rest[end..].trim_start().starts_with('(')).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(file: &str, text: &str) -> FileKind {
        FileKind::detect(Path::new(file), text)
    }

    #[test]
    fn kinds_by_struct_name_file_name_and_fields() {
        assert_eq!(kind("a.ron", "Scenario(name: \"x\")"), FileKind::Scenario);
        assert_eq!(
            kind("a.ron", "// c\n/* d */ Sweep (base: \"b\")"),
            FileKind::Sweep
        );
        assert_eq!(
            kind(
                "a.ron",
                "#![enable(implicit_some)]\nSensitivity(base: \"b\")"
            ),
            FileKind::Sensitivity
        );
        assert_eq!(kind("x.sweep.ron", "(name: \"x\")"), FileKind::Sweep);
        assert_eq!(
            kind("x.Sensitivity.ron", "(name: \"x\")"),
            FileKind::Sensitivity
        );
        assert_eq!(
            kind("a.ron", "(base: \"b\", design: Factorial)"),
            FileKind::Sweep
        );
        assert_eq!(
            kind("a.ron", "(base: \"b\", method: Morris(trajectories: 2))"),
            FileKind::Sensitivity
        );
        assert_eq!(
            kind(
                "a.ron",
                "(base: \"b\", design: \"X.txt\", method: Morris(trajectories: 2))"
            ),
            FileKind::Sensitivity,
            "a sensitivity file bringing its own design"
        );
        assert_eq!(kind("a.ron", "(policy: (method: 1))"), FileKind::Scenario);
        assert_eq!(kind("a.ron", "(name: \"x\")"), FileKind::Scenario);
        assert_eq!(kind("a.ron", ""), FileKind::Scenario);
        assert_eq!(kind("a.ron", "Other(design: 1)"), FileKind::Sweep);
        assert_eq!(kind("a.ron", "Explore(options: [])"), FileKind::Explore);
        assert_eq!(kind("x.explore.ron", "(options: [])"), FileKind::Explore);
        assert_eq!(
            kind(
                "a.ron",
                "(options: [], futures: LatinHypercube(samples: 2))"
            ),
            FileKind::Explore
        );
    }
}
