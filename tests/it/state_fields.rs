//! A hand-made saved state (issue 16 item 2): a state whose checksum was recomputed after a
//! value was changed is refused by its field checks, with exit code 2 and a message naming the
//! file and the field, before anything runs.

use crate::support::{stderr, towngov};

#[test]
fn a_resealed_state_with_a_probability_of_3_is_refused_naming_the_file_and_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    // A distinctive value, to find its eight bytes in the state.
    let share = 0.123_456_789_f64;
    std::fs::write(
        d.join("t.ron"),
        format!(
            "Scenario(name: \"t\", days: 10, town: (residents: (native: 50, migrant_worker: 20, \
             employee: 20, talent: 10)), policy: (platform: (integration: {share})))"
        ),
    )
    .unwrap();
    let o = towngov(d, &["run", "t.ron", "--save-state", "ok.state", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(d.join("ok.state")).unwrap();
    let (from, to) = (share.to_le_bytes(), 3.0_f64.to_le_bytes());
    let mut changed = bytes.clone();
    let mut n = 0;
    for i in 0..changed.len() - 8 {
        if changed[i..i + 8] == from {
            changed[i..i + 8].copy_from_slice(&to);
            n += 1;
        }
    }
    assert!(
        n >= 2,
        "the value is in the scenario started from and in force ({n} found)"
    );
    let resealed = towngov::sim::state::reseal(&changed);
    assert_ne!(resealed, changed, "the checksum was recomputed");
    std::fs::write(d.join("hand.state"), &resealed).unwrap();
    let o = towngov(
        d,
        &[
            "run",
            "--from-state",
            "hand.state",
            "--days",
            "5",
            "--out",
            "out",
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("hand.state")
            && e.contains("policy.platform.integration = 3 (must be between 0 and 1)"),
        "{e}"
    );
    assert!(!d.join("out").exists(), "a refused state wrote outputs");
    // Changed without resealing, the checksum catches the same edit first.
    std::fs::write(d.join("bad.state"), &changed).unwrap();
    let o = towngov(d, &["run", "--from-state", "bad.state", "--days", "5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("checksum"), "{}", stderr(&o));
}
