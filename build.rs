//! Records the commit the binary is built from, for the provenance every output carries
//! (`src/output/provenance.rs`): `TOWNGOV_COMMIT` (40 hex digits, or `unknown`) and
//! `TOWNGOV_TREE` (`clean`, `dirty` when tracked files differ from the commit, or `unknown`).
//!
//! It never fails the build: without git, outside a git work tree (a crate tarball, the Debian
//! source package) or inside another project's repository, both read `unknown`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let here = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let (commit, tree) = match ours(&here) {
        Some(git_dir) => {
            watch(&here, &git_dir);
            let commit = git(&here, &["rev-parse", "--verify", "HEAD"])
                .filter(|c| c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()));
            let tree = match (
                &commit,
                git(&here, &["status", "--porcelain", "--untracked-files=no"]),
            ) {
                (Some(_), Some(changes)) if changes.is_empty() => "clean",
                (Some(_), Some(_)) => "dirty",
                _ => "unknown",
            };
            (commit.unwrap_or_else(|| "unknown".to_string()), tree)
        }
        None => ("unknown".to_string(), "unknown"),
    };
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-env=TOWNGOV_COMMIT={commit}");
    println!("cargo:rustc-env=TOWNGOV_TREE={tree}");
}

/// The git folder of the work tree whose top is `here`; none when git is missing or `here` is
/// not the top of a work tree (a tarball unpacked inside another repository).
fn ours(here: &Path) -> Option<PathBuf> {
    let top = git(here, &["rev-parse", "--show-toplevel"])?;
    let same = match (Path::new(&top).canonicalize(), here.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same {
        return None;
    }
    let dir = git(here, &["rev-parse", "--absolute-git-dir"])?;
    Some(PathBuf::from(dir))
}

/// Reruns this script when HEAD moves (a commit, a checkout), when the branch's ref or the
/// packed refs change, when the index changes, and when a tracked file of the crate changes
/// (so `dirty` follows edits).
fn watch(here: &Path, git_dir: &Path) {
    let mut files = vec![git_dir.join("HEAD"), git_dir.join("index")];
    if let Some(common) = git(here, &["rev-parse", "--git-common-dir"]) {
        let common = here.join(common);
        files.push(common.join("packed-refs"));
        if let Some(name) = git(here, &["symbolic-ref", "-q", "HEAD"]) {
            files.push(common.join(&name));
            files.push(git_dir.join(&name));
        }
    }
    for f in files {
        if f.exists() {
            println!("cargo:rerun-if-changed={}", f.display());
        }
    }
    for f in ["Cargo.toml", "Cargo.lock", "src", "scenarios", "assets"] {
        println!("cargo:rerun-if-changed={f}");
    }
}

/// The trimmed output of a git command that succeeded.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8(out.stdout).ok()?.trim().to_string())
}
