//! The documents stay true: the parameter table in docs/ODD.md is the one the code generates,
//! and .ci/run runs the test commands README.md gives.

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
    // README's commands, as they stand in its code blocks (the text before a `#` comment).
    let given: Vec<&str> = readme
        .lines()
        .map(|l| l.split(" #").next().unwrap_or_default().trim())
        .collect();
    for command in ["cargo test --release --locked", "scripts/browser-test.sh"] {
        assert!(given.contains(&command), "README gives `{command}`");
        assert!(
            ci.lines().any(|l| l.trim() == command),
            ".ci/run runs `{command}` exactly"
        );
    }
    // The test command needs nothing README does not install: the browser test is its own step.
    let browser = std::fs::read_to_string(repo().join("tests/it/browser.rs")).expect("browser.rs");
    assert!(browser.contains("#[ignore = \"needs Chromium: run scripts/browser-test.sh\"]"));
    let script =
        std::fs::read_to_string(repo().join("scripts/browser-test.sh")).expect("the script");
    assert!(script.contains("cargo test --release --locked --test it browser:: -- --ignored"));
}
