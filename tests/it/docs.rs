//! The documents stay true: the parameter table in docs/ODD.md is the one the code generates,
//! and .ci/run runs the test command README.md gives.

use crate::support::{repo, stdout, towngov};

#[test]
fn odd_parameter_table_matches_the_code() {
    let odd = std::fs::read_to_string(repo().join("docs/ODD.md")).expect("docs/ODD.md exists");
    let begin = odd.find("<!-- params:begin -->\n").expect("begin marker")
        + "<!-- params:begin -->\n".len();
    let end = odd.find("<!-- params:end -->").expect("end marker");
    let generated = stdout(&towngov(&repo(), &["params", "--markdown"]));
    assert_eq!(
        odd[begin..end].trim(),
        generated.trim(),
        "docs/ODD.md's parameter table is stale: replace it with `towngov params --markdown`"
    );
}

#[test]
fn ci_runs_the_readme_test_command() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let ci = std::fs::read_to_string(repo().join(".ci/run")).expect(".ci/run");
    let command = "cargo test --release --locked";
    assert!(readme.contains(command), "README gives `{command}`");
    assert!(
        ci.lines().any(|l| l.trim() == command),
        ".ci/run runs `{command}`"
    );
}
