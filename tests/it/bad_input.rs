//! Bad scenarios give located errors: a table of broken inputs and the error each must produce
//! (`file:line:col: field.path: message`), all with exit code 2 and no panic.

use crate::support::{stderr, towngov};

/// (what is broken, file text, lines stderr must contain)
pub const CASES: &[(&str, &str, &[&str])] = &[
    (
        "integer out of range",
        "Scenario(\n    policy: (\n        committee: (n_departments: 0),\n    ),\n)\n",
        &["x.ron:3:21: policy.committee.n_departments: must be between 1 and 30, got 0"],
    ),
    (
        "real out of range",
        "(\n  policy: (platform: (integration: 1.5)),\n)\n",
        &["x.ron:2:23: policy.platform.integration: must be between 0 and 1, got 1.5"],
    ),
    (
        "misspelt field",
        "(\n  policy: (\n    committee: (n_departmens: 3),\n  ),\n)\n",
        &[
            "x.ron:3:",
            "policy.committee.n_departmens: unknown field `n_departmens`, did you mean `n_departments`?",
        ],
    ),
    (
        "unknown top-level field",
        "(\n  poilcy: (),\n)\n",
        &["x.ron:2:", "unknown field `poilcy`, did you mean `policy`?"],
    ),
    (
        "wrong type",
        "(\n  days: \"long\",\n)\n",
        &["x.ron:2:", "days: "],
    ),
    (
        "negative count",
        "(\n  town: (communities: -1),\n)\n",
        &["x.ron:2:", "town.communities: "],
    ),
    (
        "unknown variant",
        "(\n  policy: (committee: (mode: Unifed)),\n)\n",
        &["x.ron:2:", "policy.committee.mode: ", "Unifed"],
    ),
    (
        "syntax error",
        "(\n  days: 10,\n  town: (communities: 2\n)\n",
        &["x.ron:"],
    ),
    (
        "explicit thresholds of the wrong length",
        "(\n  town: (residents: (native: 3, migrant_worker: 0, employee: 0, talent: 0)),\n  behaviour: (participation: (thresholds: Explicit([0.1, 0.2]))),\n)\n",
        &[
            "x.ron:3:31: behaviour.participation.thresholds: must list one threshold per resident (3), got 2",
        ],
    ),
    (
        "threshold out of range in a list",
        "(\n  town: (residents: (native: 3, migrant_worker: 0, employee: 0, talent: 0)),\n  behaviour: (participation: (thresholds: Explicit([0.1, 0.2, 1.5]))),\n)\n",
        &["x.ron:3:63: behaviour.participation.thresholds[2]: must be between 0 and 1, got 1.5"],
    ),
    (
        "shares that add to more than 1",
        "(\n  incidents: (production_share: 0.7, ecology_share: 0.5),\n)\n",
        &[
            "x.ron:2:38: incidents.ecology_share: production_share + ecology_share must be at most 1, got 1.2",
        ],
    ),
    (
        "not a number",
        "(\n  town: (side_km: NaN),\n)\n",
        &["x.ron:2:10: town.side_km: must be a finite number, got NaN"],
    ),
    (
        "NaN in a timeline change (the merge must not drop it)",
        "(\n  timeline: [(day: 5, policy: (platform: (integration: NaN)))],\n)\n",
        &["x.ron:2:43: timeline[0].policy.platform.integration: must be a finite number, got NaN"],
    ),
    (
        "a steward team over the seed's cap of 10 in a timeline change",
        "(\n  timeline: [(day: 5, policy: (stewards: (team: (intermediary: 6, leading_firm: 5))))],\n)\n",
        &["timeline[0].policy.stewards.team: the team must have at most 10 members, got 11"],
    ),
    (
        "too many residents",
        "(\n  town: (residents: (native: 10000000, migrant_worker: 10000000, employee: 10000000)),\n)\n",
        &[
            "x.ron:2:",
            "town.residents: must total at most 20000000, got 30000400",
        ],
    ),
    (
        "every error at once",
        "(\n  days: 0,\n  policy: (portal: (coverage: -0.5)),\n)\n",
        &[
            "x.ron:2:3: days: must be between 1 and 36500, got 0",
            "x.ron:3:21: policy.portal.coverage: must be between 0 and 1, got -0.5",
        ],
    ),
    ("empty file", "", &["x.ron:1:1: "]),
    ("a list, not a scenario", "[1, 2]\n", &["x.ron:1:1: "]),
];

#[test]
fn broken_scenarios_give_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (what, text, expected) in CASES {
        std::fs::write(dir.path().join("x.ron"), text).unwrap();
        for cmd in [
            &["check", "x.ron"][..],
            &["run", "x.ron", "--days", "1"][..],
        ] {
            let out = towngov(dir.path(), cmd);
            let err = stderr(&out);
            if out.status.code() != Some(2) {
                failures.push(format!(
                    "{what} ({}): exit {:?}, stderr {err}",
                    cmd[0],
                    out.status.code()
                ));
            }
            for line in *expected {
                if !err.contains(line) {
                    failures.push(format!(
                        "{what} ({}): stderr lacks {line:?}:\n{err}",
                        cmd[0]
                    ));
                }
            }
            if err.contains("panicked") {
                failures.push(format!("{what}: panicked"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn unreadable_files_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("latin1.ron"), b"(name: \"caf\xe9\")").unwrap();
    std::fs::create_dir(dir.path().join("folder.ron")).unwrap();
    for file in ["missing.ron", "latin1.ron", "folder.ron"] {
        let out = towngov(dir.path(), &["run", file]);
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(stderr(&out).contains(file), "{file}: {}", stderr(&out));
    }
}

/// Thousands of corrupted scenario files (a character deleted, duplicated or replaced): each
/// is accepted or rejected with a located error, never a panic; those accepted also run.
#[test]
fn corrupted_files_never_panic() {
    let original = include_str!("../../scenarios/status_quo.ron");
    let chars: Vec<char> = original.chars().collect();
    let replacements = [
        '0', '9', '-', '.', ',', '(', ')', '[', ']', ':', '"', 'x', ' ', '\n', 'e',
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let (mut accepted, mut rejected) = (0, 0);
    for _ in 0..3000 {
        let mut text = chars.clone();
        let at = next(text.len());
        match next(3) {
            0 => {
                text.remove(at);
            }
            1 => text.insert(at, text[at]),
            _ => text[at] = replacements[next(replacements.len())],
        }
        let text: String = text.into_iter().collect();
        let result = std::panic::catch_unwind(|| towngov::scenario::parse(&text, "mutant.ron"));
        match result {
            Ok(Ok(s)) => {
                accepted += 1;
                let mut sim = towngov::sim::Simulation::new(&s, 1, Default::default());
                sim.step();
            }
            Ok(Err(e)) => {
                rejected += 1;
                assert!(e.to_string().starts_with("mutant.ron:"), "located: {e}");
            }
            Err(_) => panic!("parse panicked on:\n{text}"),
        }
    }
    assert!(
        accepted > 100 && rejected > 100,
        "{accepted} accepted, {rejected} rejected"
    );
}

/// A file saved with a UTF-8 byte-order mark (Notepad) reads like any other, and its errors
/// are located as in the file without it.
#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bom.ron"),
        "\u{feff}Scenario(name: \"bom\", days: 5)",
    )
    .unwrap();
    let o = crate::support::towngov(dir.path(), &["check", "bom.ron"]);
    assert!(o.status.success(), "{}", crate::support::stderr(&o));
    std::fs::write(
        dir.path().join("bad.ron"),
        "\u{feff}Scenario(\n  days: 0,\n)",
    )
    .unwrap();
    let o = crate::support::towngov(dir.path(), &["check", "bad.ron"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        crate::support::stderr(&o).contains("bad.ron:2:"),
        "{}",
        crate::support::stderr(&o)
    );
}
