//! The lever audit with power: `scenarios/audit_town.ron` (the default town's 5,000 residents
//! and 82 firms with every institution switched on) audited at the shipped audit's settings
//! (8 paired replications of 730 days; an indicator moved where its Holm-adjusted p over the
//! parameter's indicators × values is below 0.01). Every parameter either moves something a
//! planner sees (behavioural) or a cost, or docs/ODD.md lists it, with its class and a reason of
//! one of the accepted kinds, in "Parameters that are prices or have no outcome path". A lever
//! that only moves its own counter, or nothing, must not pass silently.

use towngov::experiment::audit::{self, AuditSettings, Class};
use towngov::experiment::runner::Quiet;
use towngov::scenario;

use crate::support::{repo, stderr, towngov};

/// The settings the test audits the audit town with (docs/ODD.md's list is for these): the
/// shipped audit's defaults, so that docs/lever-audit.md's full reform reads across. About 11,000
/// runs of 0.045 s each (485 s of CPU time): about 4 minutes on 2 idle cores.
const SETTINGS: AuditSettings = AuditSettings {
    reps: 8,
    days: 730,
    level: 0.99,
    quick: false,
    confirm_reps: audit::CONFIRM_REPS,
};

/// The kinds of reason docs/ODD.md may give for a parameter that reaches no outcome in the
/// audit town: each row's reason starts with one of these ("not yet acting" is not a reason).
/// The last three say the audit lacks power for the row, with the evidence in the row.
const REASON_KINDS: [&str; 9] = [
    "a pure price",
    "a seed-stream",
    "acts only when",
    "an initial condition",
    "no outcome path by design",
    "acts at real-town scale",
    "a small effect",
    "too rare to detect",
    "too small to detect",
];

/// `(parameter, class, reason)` rows of the ODD's table.
fn odd_list() -> Vec<(String, String, String)> {
    let odd = std::fs::read_to_string(repo().join("docs/ODD.md")).expect("docs/ODD.md");
    let start = odd
        .find("Parameters that are prices or have no outcome path")
        .expect("docs/ODD.md has the section");
    odd[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| parameter | class | reason |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<String> = l
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('`').to_string())
                .collect();
            assert_eq!(cells.len(), 3, "row `{l}` has three cells");
            (cells[0].clone(), cells[1].clone(), cells[2].clone())
        })
        .collect()
}

#[test]
fn every_parameter_acts_or_the_odd_says_why_not() {
    let path = repo().join("scenarios/audit_town.ron");
    let text = std::fs::read_to_string(&path).expect("audit_town.ron");
    let origin = path.display().to_string();
    let raw = scenario::parse_raw(&text, &origin).expect("valid");
    let base = scenario::parse(&text, &origin).expect("valid");
    let plan = audit::plan(&raw);
    assert!(
        plan.skipped
            .iter()
            .any(|s| s.path == "town.residents.native"),
        "town size is structural"
    );
    let a = audit::audit("audit_town.ron", &base, &plan, SETTINGS, &Quiet, &|| false);
    assert!(
        a.params.len() > 200,
        "{} parameters audited",
        a.params.len()
    );
    let counts = a.counts();
    // With power, most levers act: 207 of 281 behavioural on an unadjusted 99% per indicator
    // (after the keyed draws), 166 with Holm's adjustment over each parameter's 154 tests at a
    // family-wise 99% from 8 pairs, 209 with the confirmation stage's 32 fresh pairs when
    // docs/ODD.md's list was made.
    assert!(counts[0] > 190, "most levers act: {counts:?}");
    // The confirmation stage ran and decided something.
    assert!(
        a.params
            .iter()
            .any(|p| p.confirmed() && p.class < p.screen_class),
        "no parameter's class rose at the confirmation stage"
    );
    // The enum levers and the threshold distribution are audited too.
    for p in [
        "policy.committee.mode",
        "policy.social_orgs.funding",
        "behaviour.participation.reference",
        "behaviour.participation.thresholds.mean",
    ] {
        assert!(a.params.iter().any(|q| q.path == p), "{p} audited");
    }
    let listed = odd_list();
    for (p, class, reason) in &listed {
        assert!(
            ["none", "own-counter-only"].contains(&class.as_str()),
            "{p}: class `{class}` needs no listing"
        );
        assert!(
            REASON_KINDS.iter().any(|k| reason.starts_with(k)),
            "{p}: the reason `{reason}` is none of the accepted kinds {REASON_KINDS:?}"
        );
        assert_eq!(
            listed.iter().filter(|(q, _, _)| q == p).count(),
            1,
            "{p} is listed once"
        );
        assert!(
            a.params.iter().any(|q| q.path == *p),
            "{p} is listed but not an audited parameter"
        );
    }
    let mut unlisted = Vec::new();
    for p in &a.params {
        if matches!(p.class, Class::None | Class::OwnCounterOnly)
            && !listed.iter().any(|(q, _, _)| *q == p.path)
        {
            unlisted.push(format!("| `{}` | {} | ... |", p.path, p.class.name()));
        }
    }
    assert!(
        unlisted.is_empty(),
        "parameters that reach no outcome in the audit town, not listed in docs/ODD.md \
         (\"Parameters that are prices or have no outcome path\"):\n{}",
        unlisted.join("\n")
    );
    // The list is the audit's: a listed parameter that acts, or whose class is not the one
    // listed, makes the list untrue (after a model change, re-run the audit and rewrite it).
    let mut untrue = Vec::new();
    for (p, class, _) in &listed {
        if let Some(q) = a.params.iter().find(|q| q.path == *p)
            && q.class.name() != class
        {
            untrue.push(format!(
                "{p}: listed as {class}, audited {}",
                q.class.name()
            ));
        }
    }
    assert!(
        untrue.is_empty(),
        "docs/ODD.md's list disagrees with the audit town's audit:\n{}",
        untrue.join("\n")
    );
}

#[test]
fn quick_is_not_combined_with_reps_or_days() {
    let dir = tempfile::tempdir().unwrap();
    for flag in [["--reps", "12"], ["--days", "100"], ["--confirm-reps", "8"]] {
        let o = towngov(dir.path(), &["audit", "--quick", flag[0], flag[1]]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("'--quick' cannot be used with"),
            "{}",
            stderr(&o)
        );
        assert!(
            !dir.path().join("towngov-audit").exists(),
            "nothing written"
        );
    }
}

#[test]
fn a_confirmation_stage_of_one_pair_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = towngov(dir.path(), &["audit", "--confirm-reps", "1"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "--confirm-reps must be 0 (no confirmation stage) or between 2 and 1000, got 1"
        ),
        "{}",
        stderr(&o)
    );
    assert!(
        !dir.path().join("towngov-audit").exists(),
        "nothing written"
    );
}
