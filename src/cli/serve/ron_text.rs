//! A raw scenario as a RON file shaped like the shipped ones: the fields it leaves unset are
//! left out, so the file names only what the scenario sets.

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use towngov::scenario::raw::RawScenario;

/// `raw` as RON text after the comment lines of `header`.
pub fn write(raw: &RawScenario, header: &str) -> Result<String, String> {
    let config = PrettyConfig::new()
        .struct_names(false)
        .extensions(Extensions::IMPLICIT_SOME)
        .indentor("    ");
    let text = ron::ser::to_string_pretty(raw, config).map_err(|e| e.to_string())?;
    // ron escapes line breaks inside strings, so every field of a struct is one line.
    let mut lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("#!["))
        .filter(|l| !unset(l))
        .collect();
    // Sections left empty (nested ones first), and an empty timeline.
    while let Some(i) = (0..lines.len().saturating_sub(1))
        .find(|&i| lines[i].ends_with(": (") && lines[i + 1].trim_start().starts_with(')'))
    {
        lines.drain(i..=i + 1);
    }
    lines.retain(|l| l.trim() != "timeline: [],");
    Ok(format!("{header}Scenario{}\n", lines.join("\n")))
}

/// `field: None,`: a field the scenario does not set.
fn unset(line: &str) -> bool {
    line.trim()
        .strip_suffix("None,")
        .or_else(|| line.trim().strip_suffix("None"))
        .and_then(|rest| rest.strip_suffix(": "))
        .is_some_and(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use towngov::scenario::parse_raw;

    #[test]
    fn every_shipped_scenario_round_trips() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
        let mut n = 0;
        for entry in std::fs::read_dir(dir).expect("scenarios/") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "ron") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable");
            let raw = parse_raw(&text, "shipped").expect("valid");
            let written = write(&raw, "// header\n").expect("writes");
            assert!(written.starts_with("// header\nScenario(\n"), "{written}");
            assert!(!written.contains("None"), "{written}");
            let again = parse_raw(&written, "written").unwrap_or_else(|e| panic!("{e}\n{written}"));
            assert_eq!(again, raw, "{}", path.display());
            n += 1;
        }
        assert!(n >= 5);
    }
}
