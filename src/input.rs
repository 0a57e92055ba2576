//! Reading the files a user names (scenarios, sweep, sensitivity and explore files, option
//! files, designs, saved states, manifests): the one place that opens them. A path that names
//! something other than a regular file (a folder, a device such as `/dev/zero`, a named pipe, a
//! socket) is refused at once, from the opened file's own metadata (no separate look-up that
//! could race with a rename), and a file is read up to its kind's documented size limit, so
//! that no input can make towngov wait forever or read until memory runs out.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// The most a RON or JSON input file (scenario, sweep, sensitivity, explore, manifest) may
/// hold: 256 MiB. Explicit threshold lists legitimately reach a few megabytes.
pub const MAX_TEXT_BYTES: u64 = 256 << 20;
/// The most a design file (a sensitivity analysis's SALib design, an explore's draws CSV) may
/// hold: 1 GiB. The largest design allowed (20,000,000 values) is under 700 MB as text.
pub const MAX_DESIGN_BYTES: u64 = 1 << 30;
/// The most a saved state may hold: 16 GiB. A state takes about 105 bytes a resident after a
/// day and 166 after ten years (measured), so the largest town (20,000,000 residents) saves
/// about 2 to 4 GB.
pub const MAX_STATE_BYTES: u64 = 16 << 30;

/// The kinds of user-named input, each with its size limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// A RON or JSON file: [`MAX_TEXT_BYTES`].
    Text,
    /// A CSV or SALib text design: [`MAX_DESIGN_BYTES`].
    Design,
    /// A saved state: [`MAX_STATE_BYTES`].
    State,
    /// A table towngov wrote (a shard's or a finished job's runs.csv or daily.csv), read row
    /// by row and never whole: no size limit (a sweep's daily.csv can be many gigabytes).
    Rows,
}

impl InputKind {
    /// The most a file of this kind may hold, in bytes.
    pub fn max_bytes(self) -> u64 {
        match self {
            InputKind::Text => MAX_TEXT_BYTES,
            InputKind::Design => MAX_DESIGN_BYTES,
            InputKind::State => MAX_STATE_BYTES,
            InputKind::Rows => u64::MAX,
        }
    }

    /// The kind in messages.
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Text => "a RON or JSON input file",
            InputKind::Design => "a design file",
            InputKind::State => "a saved state",
            InputKind::Rows => "a table",
        }
    }

    fn limit_words(self) -> &'static str {
        match self {
            InputKind::Text => "256 MiB",
            InputKind::Design => "1 GiB",
            InputKind::State => "16 GiB",
            InputKind::Rows => "no limit",
        }
    }
}

/// Why a user-named file could not be read. Messages do not name the file: the error that
/// carries this one does.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{0}")]
    Io(#[from] io::Error),
    /// A folder, device, named pipe or socket.
    #[error("it is {what}, not a file")]
    NotAFile { what: &'static str },
    #[error("it is larger than {} ({} bytes), the most {} may hold", .kind.limit_words(), .kind.max_bytes(), .kind.name())]
    TooLarge { kind: InputKind },
    #[error("there is not enough memory to read its {bytes} bytes")]
    NoMemory { bytes: u64 },
    #[error("the file is not UTF-8 text")]
    NotUtf8,
}

impl From<InputError> for io::Error {
    fn from(e: InputError) -> io::Error {
        match e {
            InputError::Io(e) => e,
            InputError::NotAFile { .. } => io::Error::new(io::ErrorKind::InvalidInput, e),
            InputError::TooLarge { .. } => io::Error::new(io::ErrorKind::FileTooLarge, e),
            InputError::NoMemory { .. } => io::Error::new(io::ErrorKind::OutOfMemory, e),
            InputError::NotUtf8 => io::Error::new(io::ErrorKind::InvalidData, e),
        }
    }
}

/// An opened, checked input file that reads at most its kind's limit: reading past it fails
/// with [`InputError::TooLarge`] (inside an `io::Error` of kind `FileTooLarge`).
pub struct Input {
    file: File,
    kind: InputKind,
    left: u64,
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // One byte beyond the limit tells a file at the limit from one over it.
        let want = (buf.len() as u64).min(self.left.saturating_add(1)) as usize;
        let n = self.file.read(&mut buf[..want])?;
        if n as u64 > self.left {
            return Err(InputError::TooLarge { kind: self.kind }.into());
        }
        self.left -= n as u64;
        Ok(n)
    }
}

/// Opens `path` for reading as a `kind` input: refused unless it is a regular file, or when
/// its size is over the limit.
pub fn open(path: &Path, kind: InputKind) -> Result<Input, InputError> {
    let file = open_without_waiting(path).map_err(|e| named(path, e))?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(InputError::NotAFile {
            what: what_it_is(&meta.file_type()),
        });
    }
    if meta.len() > kind.max_bytes() {
        return Err(InputError::TooLarge { kind });
    }
    Ok(Input {
        file,
        kind,
        left: kind.max_bytes(),
    })
}

/// The bytes of `path`, a `kind` input (see [`open`]).
pub fn read(path: &Path, kind: InputKind) -> Result<Vec<u8>, InputError> {
    let mut input = open(path, kind)?;
    // The size is a hint (a file can change while it is read, and /proc's files say 0).
    let hint = input.file.metadata()?.len();
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(usize::try_from(hint).unwrap_or(usize::MAX))
        .map_err(|_| InputError::NoMemory { bytes: hint })?;
    match input.read_to_end(&mut bytes) {
        Ok(_) => Ok(bytes),
        Err(e) => match e.kind() {
            io::ErrorKind::FileTooLarge => Err(InputError::TooLarge { kind }),
            _ => Err(InputError::Io(e)),
        },
    }
}

/// The UTF-8 text of `path`, a `kind` input (see [`open`]).
pub fn read_to_string(path: &Path, kind: InputKind) -> Result<String, InputError> {
    String::from_utf8(read(path, kind)?).map_err(|_| InputError::NotUtf8)
}

/// Opens for reading without waiting: a named pipe with no writer would block `open` itself
/// until one came, so it is opened non-blocking (which changes nothing for a regular file) and
/// refused by its metadata like any other non-file.
fn open_without_waiting(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}

/// A socket cannot be opened at all (`ENXIO`, "no such device or address"): the error names
/// what the path is instead. This look-up only words the refusal; nothing is read after it.
fn named(path: &Path, e: io::Error) -> InputError {
    #[cfg(unix)]
    if e.raw_os_error() == Some(rustix::io::Errno::NXIO.raw_os_error())
        && let Ok(meta) = std::fs::metadata(path)
        && !meta.is_file()
    {
        return InputError::NotAFile {
            what: what_it_is(&meta.file_type()),
        };
    }
    InputError::Io(e)
}

/// What a file that is not a regular file is, in a few words.
fn what_it_is(t: &std::fs::FileType) -> &'static str {
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_reads_whole() {
        let dir = std::env::temp_dir().join(format!("towngov-input-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.ron");
        std::fs::write(&path, "(name: \"x\")").unwrap();
        assert_eq!(
            read_to_string(&path, InputKind::Text).unwrap(),
            "(name: \"x\")"
        );
        let e = read(&dir, InputKind::Text).unwrap_err();
        assert_eq!(e.to_string(), "it is a folder, not a file");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_before_reading() {
        let e = read(Path::new("/dev/zero"), InputKind::Text).unwrap_err();
        assert_eq!(e.to_string(), "it is a character device, not a file");
    }

    #[test]
    fn the_reader_stops_one_byte_past_the_limit() {
        // A reader over a file cannot be made larger than the limit cheaply; the arithmetic is
        // checked on a small budget instead.
        let dir = std::env::temp_dir().join(format!("towngov-input-l-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.csv");
        std::fs::write(&path, "0123456789").unwrap();
        let mut at_limit = open(&path, InputKind::Text).unwrap();
        at_limit.left = 10;
        let mut s = String::new();
        assert_eq!(at_limit.read_to_string(&mut s).unwrap(), 10);
        let mut over = open(&path, InputKind::Text).unwrap();
        over.left = 9;
        let e = over.read_to_string(&mut s).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        assert!(e.to_string().contains("256 MiB (268435456 bytes)"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
