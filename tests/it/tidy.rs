//! Tidy tests, after rust-analyzer's `xtask/src/tidy.rs`: the invariants ARCHITECTURE.md
//! promises, checked by reading the source tree. Each rule is data (`RULES`), each exception is
//! an `ALLOWED` entry with its reason, and the unit tests at the end feed every rule a line that
//! breaks it, so no check passes because it cannot see.
//!
//! Patterns are looked for in code only: comments and the contents of string and char literals
//! are blanked first, so a doc comment saying "never `thread_rng`" is not a use of it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::repo;

/// A pattern that must not appear in the code of some folders.
struct Rule {
    name: &'static str,
    /// Folders under the repository root, searched recursively for `.rs` files.
    dirs: &'static [&'static str],
    patterns: &'static [&'static str],
    /// Whether a pattern must stand as whole words (`Instant`, not `InstantLike`). Off, a
    /// pattern also matches inside a longer name (`HashMap` in `EntityHashMap`).
    whole_words: bool,
    why: &'static str,
}

const NO_CLOCK: Rule = Rule {
    name: "no_clock",
    dirs: &[
        "src/sim",
        "src/scenario",
        "src/output",
        "src/experiment",
        "src/report",
    ],
    patterns: &["std::time", "Instant", "SystemTime", "chrono"],
    whole_words: true,
    why: "a run is a pure function of (scenario, seed): only the binary reads the clock",
};

const NO_IO_IN_SIM: Rule = Rule {
    name: "no_io_in_sim",
    dirs: &["src/sim"],
    patterns: &[
        "std::fs",
        "std::io",
        "File",
        "stdout",
        "stderr",
        "println!",
        "eprintln!",
        "print!",
        "eprint!",
        "dbg!",
    ],
    whole_words: true,
    why: "the simulation core does no I/O: the outer layers read and write files and the terminal",
};

const NO_UNSEEDED_RANDOMNESS: Rule = Rule {
    name: "no_unseeded_randomness",
    dirs: &["src"],
    patterns: &[
        "thread_rng",
        "rand::rng()",
        "from_entropy",
        "from_os_rng",
        "OsRng",
        "StdRng",
        "SmallRng",
    ],
    whole_words: true,
    why: "every draw comes from a ChaCha8 stream seeded from the master seed (StdRng and SmallRng may change between rand versions)",
};

const NO_HASH_ORDER_IN_SIM: Rule = Rule {
    name: "no_hash_order_in_sim",
    dirs: &["src/sim"],
    patterns: &["HashMap", "HashSet"],
    whole_words: false,
    why: "ordered maps or Vecs only, so no hash iteration order can reach an output",
};

const NO_CLAP_OR_RON_IN_SIM: Rule = Rule {
    name: "no_clap_or_ron_in_sim",
    dirs: &["src/sim"],
    patterns: &["clap", "ron::", "use ron"],
    whole_words: true,
    why: "the simulation core sees validated data only, never the command line or the file format",
};

const USER_FILES_THROUGH_INPUT: Rule = Rule {
    name: "user_files_through_input",
    dirs: &["src"],
    patterns: &["fs::read", "fs::read_to_string", "File::open", "from_path"],
    whole_words: true,
    why: "a file the user names is read through towngov::input, which refuses folders, devices and named pipes and bounds the size; never opened directly",
};

/// Every rule; each has its own test below.
const RULES: &[&Rule] = &[
    &NO_CLOCK,
    &NO_IO_IN_SIM,
    &NO_UNSEEDED_RANDOMNESS,
    &NO_HASH_ORDER_IN_SIM,
    &NO_CLAP_OR_RON_IN_SIM,
    &USER_FILES_THROUGH_INPUT,
];

/// (rule, file, pattern, why the use is fine).
const ALLOWED: &[(&str, &str, &str, &str)] = &[
    (
        "no_hash_order_in_sim",
        "src/sim/state.rs",
        "HashMap",
        "IdMap (EntityHashMap) maps saved entity ids to restored ones by lookup only; it is never iterated",
    ),
    (
        "user_files_through_input",
        "src/cli/budget.rs",
        "fs::read_to_string",
        "the machine's own /proc and /sys files, not a user's",
    ),
    (
        "user_files_through_input",
        "src/cli/explore.rs",
        "File::open",
        "the command's own journal in its output folder, which it wrote",
    ),
    (
        "user_files_through_input",
        "src/cli/sensitivity.rs",
        "File::open",
        "the command's own journal in its output folder, which it wrote",
    ),
    (
        "user_files_through_input",
        "src/cli/job_folder.rs",
        "fs::read_to_string",
        "the partial-run marker the command writes in its output folder",
    ),
    (
        "user_files_through_input",
        "src/output/folder.rs",
        "fs::read_to_string",
        "unit tests reading back files they wrote",
    ),
    (
        "user_files_through_input",
        "src/cli/serve/ron_text.rs",
        "fs::read_to_string",
        "a unit test reading the shipped scenarios",
    ),
];

/// Largest size of a source file, in bytes.
const MAX_FILE_BYTES: u64 = 24 * 1024;

/// Source files above `MAX_FILE_BYTES` that are waiting to be split: (file, why).
const ALLOWED_LARGE_FILES: &[(&str, &str)] = &[];

#[test]
fn tidy_no_clock_outside_the_binary() {
    check(&NO_CLOCK);
}

#[test]
fn tidy_no_file_system_or_terminal_in_sim() {
    check(&NO_IO_IN_SIM);
}

#[test]
fn tidy_no_unseeded_randomness() {
    check(&NO_UNSEEDED_RANDOMNESS);
}

#[test]
fn tidy_no_hash_maps_in_sim() {
    check(&NO_HASH_ORDER_IN_SIM);
}

#[test]
fn tidy_no_clap_or_ron_in_sim() {
    check(&NO_CLAP_OR_RON_IN_SIM);
}

#[test]
fn tidy_user_files_are_read_through_input() {
    check(&USER_FILES_THROUGH_INPUT);
}

#[test]
fn tidy_every_allow_list_entry_is_still_needed() {
    let files = sources(&["src"], &["rs"]);
    for &(rule, file, pattern, _) in ALLOWED {
        let r = RULES
            .iter()
            .find(|r| r.name == rule)
            .unwrap_or_else(|| panic!("ALLOWED names no rule `{rule}`"));
        let text = files
            .get(&PathBuf::from(file))
            .unwrap_or_else(|| panic!("ALLOWED names a missing file {file}"));
        assert!(
            !uses(&code_only(text, false), pattern, r.whole_words).is_empty(),
            "{file} no longer uses `{pattern}`: remove its ALLOWED entry for {rule}"
        );
    }
}

/// One named stream per module or purpose: two `declare_stream!` with one name would draw the
/// same numbers, so the streams would not be independent.
#[test]
fn tidy_stream_names_are_unique() {
    let files = sources(&["src"], &["rs"]);
    let streams = declared_streams(&files);
    assert!(
        streams.len() >= 10,
        "the scan found too few declare_stream! ({}): is the pattern still right?",
        streams.len()
    );
    let mut by_name: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, place) in &streams {
        by_name.entry(name).or_default().push(place);
    }
    let shared: Vec<String> = by_name
        .iter()
        .filter(|(_, places)| places.len() > 1)
        .map(|(name, places)| format!("\"{name}\" in {}", places.join(", ")))
        .collect();
    assert!(
        shared.is_empty(),
        "stream names declared more than once: {}",
        shared.join("; ")
    );
    // ARCHITECTURE.md lists the streams; keep the list true.
    let arch = std::fs::read_to_string(repo().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let missing: Vec<&str> = by_name
        .keys()
        .filter(|name| !arch.contains(&format!("`{name}`")))
        .copied()
        .collect();
    assert!(
        missing.is_empty(),
        "streams missing from ARCHITECTURE.md's list under \"Named random streams\": {missing:?}"
    );
}

#[test]
fn tidy_no_source_file_is_too_large() {
    let files = sources(&["src", "tests", "benches"], &["rs", "js", "css", "html"]);
    assert!(
        files.len() > 50,
        "the scan found only {} files",
        files.len()
    );
    let large = too_large(&files);
    assert!(
        large.is_empty(),
        "source files over {MAX_FILE_BYTES} bytes (split them, or add an ALLOWED_LARGE_FILES \
         entry saying why not yet): {large:?}"
    );
}

/// Fails with every use of a rule's patterns outside `ALLOWED`, as `file:line: pattern`.
fn check(rule: &Rule) {
    let mut files = BTreeMap::new();
    for dir in rule.dirs {
        files.extend(sources(&[dir], &["rs"]));
    }
    assert!(!files.is_empty(), "{}: no source files found", rule.name);
    let found = violations(rule, &files);
    assert!(
        found.is_empty(),
        "{} ({}):\n  {}",
        rule.name,
        rule.why,
        found.join("\n  ")
    );
}

fn violations(rule: &Rule, files: &BTreeMap<PathBuf, String>) -> Vec<String> {
    let mut out = Vec::new();
    for (path, text) in files {
        let code = code_only(text, false);
        for pattern in rule.patterns {
            let allowed = ALLOWED
                .iter()
                .any(|&(r, f, p, _)| r == rule.name && Path::new(f) == path && p == *pattern);
            if allowed {
                continue;
            }
            for line in uses(&code, pattern, rule.whole_words) {
                out.push(format!("{}:{line}: {pattern}", path.display()));
            }
        }
    }
    out
}

/// The line numbers (from 1) where `pattern` occurs in `code`.
fn uses(code: &str, pattern: &str, whole_words: bool) -> Vec<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut lines = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let hit = line.match_indices(pattern).any(|(at, _)| {
            if !whole_words {
                return true;
            }
            let before = line[..at].chars().next_back();
            let after = line[at + pattern.len()..].chars().next();
            let starts_word = pattern.starts_with(ident);
            let ends_word = pattern.ends_with(ident);
            let inside_a_word = (starts_word && before.is_some_and(ident))
                || (ends_word && after.is_some_and(ident));
            !inside_a_word
        });
        if hit {
            lines.push(i + 1);
        }
    }
    lines
}

/// `text` with comments blanked, and with the contents of string and char literals blanked
/// unless `keep_strings`; line breaks are kept, so line numbers stay right.
fn code_only(text: &str, keep_strings: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == '"' || (c == 'r' && matches!(next, Some('"' | '#')) && raw_start(&chars, i))
        {
            // A string, plain or raw (r"..", r#".."#): find where it closes.
            let hashes = if c == 'r' {
                chars[i + 1..].iter().take_while(|&&h| h == '#').count()
            } else {
                0
            };
            let open = if c == 'r' { i + 1 + hashes } else { i };
            let mut j = open + 1;
            while j < chars.len() {
                if c != 'r' && chars[j] == '\\' {
                    j += 2;
                    continue;
                }
                if chars[j] == '"' && chars[j + 1..].iter().take(hashes).all(|&h| h == '#') {
                    break;
                }
                j += 1;
            }
            let end = (j + 1 + hashes).min(chars.len());
            for &ch in &chars[i..end] {
                out.push(if keep_strings { ch } else { blank(ch) });
            }
            i = end;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}'), or a lifetime ('a), which is code.
            let end = if next == Some('\\') {
                chars[i + 3..]
                    .iter()
                    .position(|&ch| ch == '\'')
                    .map(|p| i + 4 + p)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 3)
            } else {
                None
            };
            match end {
                Some(end) => {
                    for &ch in &chars[i..end] {
                        out.push(if keep_strings { ch } else { blank(ch) });
                    }
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether the `r` at `i` opens a raw string (not the end of a name such as `for` or `br`).
fn raw_start(chars: &[char], i: usize) -> bool {
    let prev_is_ident = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
    !prev_is_ident && chars.get(i + 1 + hashes) == Some(&'"')
}

/// Every `declare_stream!(Type, "name")` in code: (name, file:line).
fn declared_streams(files: &BTreeMap<PathBuf, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, text) in files {
        let code = code_only(text, true);
        for (i, line) in code.lines().enumerate() {
            let Some(at) = line.find("declare_stream!(") else {
                continue;
            };
            let args = &line[at + "declare_stream!(".len()..];
            // The macro's own definition has `$name:literal`, no quoted name.
            let Some(name) = args.split('"').nth(1) else {
                continue;
            };
            out.push((name.to_string(), format!("{}:{}", path.display(), i + 1)));
        }
    }
    out
}

/// Files over `MAX_FILE_BYTES` not in `ALLOWED_LARGE_FILES`, with their sizes.
fn too_large(files: &BTreeMap<PathBuf, String>) -> Vec<String> {
    files
        .iter()
        .filter(|(path, text)| {
            text.len() as u64 > MAX_FILE_BYTES
                && !ALLOWED_LARGE_FILES
                    .iter()
                    .any(|(f, _)| Path::new(f) == path.as_path())
        })
        .map(|(path, text)| format!("{} ({} bytes)", path.display(), text.len()))
        .collect()
}

/// Files under `dirs` (relative to the repository) with one of `exts`, keyed by their path
/// relative to the repository.
fn sources(dirs: &[&str], exts: &[&str]) -> BTreeMap<PathBuf, String> {
    fn walk(root: &Path, dir: &Path, exts: &[&str], out: &mut BTreeMap<PathBuf, String>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(root, &path, exts, out);
            } else if path
                .extension()
                .is_some_and(|e| exts.iter().any(|x| e == *x))
            {
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let rel = path
                    .strip_prefix(root)
                    .expect("under the root")
                    .to_path_buf();
                out.insert(rel, text);
            }
        }
    }
    let root = repo();
    let mut out = BTreeMap::new();
    for dir in dirs {
        walk(&root, &root.join(dir), exts, &mut out);
    }
    out
}

/// Each rule catches a line that breaks it, and lets comments, strings and longer names pass.
#[test]
fn tidy_rules_catch_what_they_forbid() {
    let breaking: &[(&Rule, &str)] = &[
        (&NO_CLOCK, "let t = std::time::Instant::now();"),
        (&NO_CLOCK, "use chrono::Utc;"),
        (&NO_IO_IN_SIM, "println!(\"day {}\", day);"),
        (&NO_IO_IN_SIM, "let f = std::fs::File::create(path)?;"),
        (&NO_IO_IN_SIM, "std::io::stderr().write_all(b\"x\")?;"),
        (
            &NO_UNSEEDED_RANDOMNESS,
            "let x: f64 = rand::rng().random();",
        ),
        (&NO_UNSEEDED_RANDOMNESS, "let r = StdRng::seed_from_u64(1);"),
        (
            &NO_UNSEEDED_RANDOMNESS,
            "let r = ChaCha8Rng::from_os_rng();",
        ),
        (
            &NO_HASH_ORDER_IN_SIM,
            "let m: HashMap<u32, u32> = HashMap::new();",
        ),
        (
            &NO_HASH_ORDER_IN_SIM,
            "use bevy_ecs::entity::EntityHashSet;",
        ),
        (
            &NO_CLAP_OR_RON_IN_SIM,
            "let s: Scenario = ron::from_str(text)?;",
        ),
        (&NO_CLAP_OR_RON_IN_SIM, "use clap::Parser;"),
        (
            &USER_FILES_THROUGH_INPUT,
            "let text = std::fs::read_to_string(path)?;",
        ),
        (&USER_FILES_THROUGH_INPUT, "let bytes = fs::read(&path)?;"),
        (&USER_FILES_THROUGH_INPUT, "let f = File::open(p)?;"),
    ];
    for (rule, line) in breaking {
        let files = BTreeMap::from([(
            PathBuf::from("src/sim/x.rs"),
            format!("fn f() {{\n    {line}\n}}\n"),
        )]);
        assert!(
            !violations(rule, &files).is_empty(),
            "{} should catch: {line}",
            rule.name
        );
    }
    let passing = "// never thread_rng or println!\n/* std::time */ let s = \"File stdout\";\nlet c = '\"'; let q = '\\''; let sync = synchronously(); fn f<'a>(x: &'a str) {}\nlet profile = Instants;\n";
    for rule in RULES {
        let files = BTreeMap::from([(PathBuf::from("src/sim/x.rs"), passing.to_string())]);
        assert_eq!(
            violations(rule, &files),
            Vec::<String>::new(),
            "{}",
            rule.name
        );
    }
    // An allow-list entry covers its own file only.
    let elsewhere = BTreeMap::from([(
        PathBuf::from("src/sim/other.rs"),
        "struct M(EntityHashMap<Entity>);".to_string(),
    )]);
    assert_eq!(violations(&NO_HASH_ORDER_IN_SIM, &elsewhere).len(), 1);
}

#[test]
fn tidy_stream_and_size_checks_catch_what_they_forbid() {
    let files = BTreeMap::from([
        (
            PathBuf::from("src/sim/a.rs"),
            "crate::declare_stream!(AStream, \"needs\");\n".to_string(),
        ),
        (
            PathBuf::from("src/sim/b.rs"),
            "// declare_stream!(Old, \"grid\");\ncrate::declare_stream!(BStream, \"needs\");\n"
                .to_string(),
        ),
    ]);
    let streams = declared_streams(&files);
    assert_eq!(
        streams,
        vec![
            ("needs".to_string(), "src/sim/a.rs:1".to_string()),
            ("needs".to_string(), "src/sim/b.rs:2".to_string()),
        ]
    );
    let big = BTreeMap::from([
        (
            PathBuf::from("src/big.rs"),
            "x".repeat(MAX_FILE_BYTES as usize + 1),
        ),
        (
            PathBuf::from("src/fits.rs"),
            "x".repeat(MAX_FILE_BYTES as usize),
        ),
    ]);
    assert_eq!(
        too_large(&big),
        vec![format!("src/big.rs ({} bytes)", MAX_FILE_BYTES + 1)]
    );
}
