//! An output folder that is replaced as a whole: a command writes its files into a fresh
//! hidden folder beside the target and swaps it in only when every file is complete, so the
//! target never holds new files beside old ones, even if the process is killed between two
//! renames.

use std::path::{Path, PathBuf};

use super::atomic::{AtomicFile, OutputError, commit_all};

/// A fresh folder `.NAME.partial` beside the folder `NAME` it will replace. Files are created
/// in it with [`FreshFolder::file`]; [`FreshFolder::commit`] renames them into place inside it
/// and then swaps the whole folder in (an atomic exchange where the file system allows it).
/// Dropped uncommitted, or on a failed commit, the fresh folder is removed and the target is
/// left as it was. A link is followed to the folder it names; the current folder (or one that
/// holds it) is not swapped but committed file by file in place.
pub struct FreshFolder {
    target: PathBuf,
    partial: PathBuf,
    done: bool,
}

impl FreshFolder {
    /// Makes the fresh folder (and the target's parent folders), discarding a stale one left by
    /// a killed command. Errors name the target.
    pub fn create(target: &Path) -> Result<Self, OutputError> {
        let is_link = std::fs::symlink_metadata(target).is_ok_and(|m| m.is_symlink());
        let target = if target.file_name().is_none() || is_link {
            // `.`, `..` or a link: the real folder is the one replaced, beside its siblings.
            std::fs::canonicalize(target).map_err(|e| OutputError::io(target, e))?
        } else {
            target.to_path_buf()
        };
        if holds_current_folder(&target) {
            // Swapping the folder a shell stands in would leave that shell in a removed
            // folder: the set is committed file by file in place, as `commit_all` does.
            std::fs::create_dir_all(&target).map_err(|e| OutputError::io(&target, e))?;
            return Ok(FreshFolder {
                partial: target.clone(),
                target,
                done: true,
            });
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| OutputError::Row {
                path: target.clone(),
                message: "cannot replace the root folder; choose another --out".into(),
            })?;
        let partial = target.with_file_name(format!(".{name}.partial"));
        if partial.exists() {
            std::fs::remove_dir_all(&partial).map_err(|e| OutputError::io(&target, e))?;
        }
        std::fs::create_dir_all(&partial).map_err(|e| OutputError::io(&target, e))?;
        Ok(FreshFolder {
            target,
            partial,
            done: false,
        })
    }

    /// The folder the command asked for.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// A new file `name` of the set, written in the fresh folder; errors name it under the
    /// target folder.
    pub fn file(&self, name: &str) -> Result<AtomicFile, OutputError> {
        AtomicFile::create(&self.partial.join(name))
            .map_err(|e| rename_error(e, &self.partial, &self.target))
    }

    /// Commits `files` (made with [`FreshFolder::file`]) in the fresh folder, carries over
    /// everything else the target folder holds (hard links, so nothing is copied or moved),
    /// and swaps the fresh folder in. The old folder is removed afterwards.
    pub fn commit(mut self, files: Vec<AtomicFile>) -> Result<(), OutputError> {
        commit_all(files).map_err(|e| rename_error(e, &self.partial, &self.target))?;
        if self.partial == self.target {
            return Ok(());
        }
        match std::fs::symlink_metadata(&self.target) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::rename(&self.partial, &self.target)
                    .map_err(|e| OutputError::io(&self.target, e))?;
            }
            Err(e) => return Err(OutputError::io(&self.target, e)),
            Ok(meta) if !meta.is_dir() => {
                return Err(OutputError::Row {
                    path: self.target.clone(),
                    message: "is a file, not a folder; choose another --out".into(),
                });
            }
            Ok(_) => {
                link_others(&self.target, &self.partial)
                    .map_err(|e| OutputError::io(&self.target, e))?;
                swap(&self.partial, &self.target)?;
                // `partial` now holds the old folder.
                let _ = std::fs::remove_dir_all(&self.partial);
            }
        }
        self.done = true;
        Ok(())
    }
}

/// Is `folder` the current folder or one that holds it?
fn holds_current_folder(folder: &Path) -> bool {
    let (Ok(here), Ok(folder)) = (
        std::env::current_dir().and_then(std::fs::canonicalize),
        std::fs::canonicalize(folder),
    ) else {
        return false;
    };
    here.starts_with(folder)
}

impl Drop for FreshFolder {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.partial);
        }
    }
}

/// An error about a file in the fresh folder, naming it in the target folder instead.
fn rename_error(e: OutputError, partial: &Path, target: &Path) -> OutputError {
    let fix = |p: PathBuf| match p.strip_prefix(partial) {
        Ok(rest) => target.join(rest),
        Err(_) => p,
    };
    match e {
        OutputError::Io { path, source } => OutputError::Io {
            path: fix(path),
            source,
        },
        OutputError::Row { path, message } => OutputError::Row {
            path: fix(path),
            message,
        },
    }
}

/// Hard-links every entry of `old` that `new` does not hold into `new` (folders recreated,
/// their files linked; symbolic links recreated).
fn link_others(old: &Path, new: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(old)? {
        let entry = entry?;
        let to = new.join(entry.file_name());
        if std::fs::symlink_metadata(&to).is_ok() {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            std::fs::create_dir(&to)?;
            link_others(&entry.path(), &to)?;
        } else if kind.is_symlink() {
            symlink(&std::fs::read_link(entry.path())?, &to)?;
        } else {
            std::fs::hard_link(entry.path(), &to)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(original: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(original, link)
}

#[cfg(not(unix))]
fn symlink(original: &Path, link: &Path) -> std::io::Result<()> {
    std::fs::copy(original, link).map(|_| ())
}

/// Exchanges the two folders at once (Linux `renameat2(RENAME_EXCHANGE)`); where the file
/// system cannot, the old folder is moved aside first, so a kill between the two renames
/// leaves the old folder whole under `.NAME.old` and the new one whole under `.NAME.partial`,
/// never a mix.
fn swap(fresh: &Path, target: &Path) -> Result<(), OutputError> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, fresh, CWD, target, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(OutputError::io(target, e.into())),
        }
    }
    swap_aside(fresh, target)
}

/// The swap in two renames, the old folder moved aside first.
fn swap_aside(fresh: &Path, target: &Path) -> Result<(), OutputError> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let aside = target.with_file_name(format!(".{name}.old"));
    if aside.exists() {
        std::fs::remove_dir_all(&aside).map_err(|e| OutputError::io(target, e))?;
    }
    std::fs::rename(target, &aside).map_err(|e| OutputError::io(target, e))?;
    if let Err(e) = std::fs::rename(fresh, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(OutputError::io(target, e));
    }
    // The caller removes `fresh`, which now names nothing; the old folder goes here.
    std::fs::rename(&aside, fresh).map_err(|e| OutputError::io(target, e))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// The new set replaces the old one whole; a file the command does not write stays; no
    /// hidden folder is left beside it.
    #[test]
    fn a_folder_is_replaced_whole_and_keeps_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("cmp");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("a.csv"), "old a").unwrap();
        std::fs::write(out.join("b.csv"), "old b").unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let fresh = FreshFolder::create(&out).unwrap();
        let mut a = fresh.file("a.csv").unwrap();
        a.write_all(b"new a").unwrap();
        let mut b = fresh.file("b.csv").unwrap();
        b.write_all(b"new b").unwrap();
        // Nothing has changed in the target until the commit.
        assert_eq!(std::fs::read_to_string(out.join("a.csv")).unwrap(), "old a");
        fresh.commit(vec![a, b]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.csv")).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(out.join("b.csv")).unwrap(), "new b");
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(names(dir.path()), vec!["cmp"]);
        assert_eq!(names(&out), vec!["a.csv", "b.csv", "notes.txt"]);
    }

    /// A command that stops (or fails) before its commit leaves the old folder as it was and no
    /// hidden folder; a stale hidden folder from a killed command is discarded.
    #[test]
    fn an_unfinished_set_leaves_the_old_folder_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("cmp");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("a.csv"), "old a").unwrap();
        std::fs::create_dir(dir.path().join(".cmp.partial")).unwrap();
        std::fs::write(dir.path().join(".cmp.partial/a.csv"), "stale").unwrap();
        {
            let fresh = FreshFolder::create(&out).unwrap();
            assert!(!fresh.partial.join("a.csv").exists(), "stale folder kept");
            let mut a = fresh.file("a.csv").unwrap();
            a.write_all(b"new a").unwrap();
        }
        assert_eq!(names(dir.path()), vec!["cmp"]);
        assert_eq!(std::fs::read_to_string(out.join("a.csv")).unwrap(), "old a");
        // A folder that does not exist yet appears whole.
        let new = dir.path().join("deep/new");
        let fresh = FreshFolder::create(&new).unwrap();
        let a = fresh.file("a.csv").unwrap();
        fresh.commit(vec![a]).unwrap();
        assert_eq!(names(&new), vec!["a.csv"]);
        assert_eq!(names(&dir.path().join("deep")), vec!["new"]);
    }

    /// A link to a folder replaces the folder it names and stays a link.
    #[cfg(unix)]
    #[test]
    fn a_link_to_a_folder_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::fs::write(real.join("a.csv"), "old").unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
        let fresh = FreshFolder::create(&dir.path().join("link")).unwrap();
        let mut a = fresh.file("a.csv").unwrap();
        a.write_all(b"new").unwrap();
        fresh.commit(vec![a]).unwrap();
        assert!(
            std::fs::symlink_metadata(dir.path().join("link"))
                .unwrap()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(real.join("a.csv")).unwrap(), "new");
        assert_eq!(names(dir.path()), vec!["link", "real"]);
    }

    /// The fallback swap (old folder aside, new one in) gives the same result.
    #[test]
    fn the_fallback_swap_gives_the_same_folder() {
        let dir = tempfile::tempdir().unwrap();
        let (fresh, out) = (dir.path().join(".x.partial"), dir.path().join("x"));
        std::fs::create_dir(&fresh).unwrap();
        std::fs::create_dir(&out).unwrap();
        std::fs::write(fresh.join("f"), "new").unwrap();
        std::fs::write(out.join("f"), "old").unwrap();
        swap_aside(&fresh, &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("f")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(fresh.join("f")).unwrap(), "old");
        assert_eq!(names(dir.path()), vec![".x.partial", "x"]);
    }
}
