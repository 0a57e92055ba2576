//! Where each field of a RON file is: a light scanner that maps dotted field paths
//! (`policy.committee.n_departments`, `behaviour.participation.thresholds[3]`) to the line and
//! column where they are written, so that an error found after parsing can still point at the
//! file. It only has to understand RON's nesting, strings and comments, not its values.

use std::collections::BTreeMap;

/// A 1-based line and column, counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub col: usize,
}

/// Field paths and where they start in the file.
#[derive(Clone, Debug, Default)]
pub struct SpanIndex {
    by_path: BTreeMap<String, Location>,
    /// Every field start in file order, for finding the field an error position falls in.
    starts: Vec<(Location, String)>,
}

impl SpanIndex {
    /// Where `path` is written, or the closest enclosing field that is.
    pub fn locate(&self, path: &str) -> Option<Location> {
        let mut p = path;
        loop {
            if let Some(loc) = self.by_path.get(p) {
                return Some(*loc);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// The path of the last field that starts at or before `loc`.
    pub fn path_at(&self, loc: Location) -> Option<&str> {
        let i = self.starts.partition_point(|(start, _)| *start <= loc);
        i.checked_sub(1).map(|i| self.starts[i].1.as_str())
    }

    pub fn scan(text: &str) -> SpanIndex {
        Scanner::new(text).run()
    }
}

enum Frame {
    /// `( ... )` or `{ ... }`: named fields, or a tuple when none is named.
    Group {
        path: String,
        key: Option<String>,
        index: usize,
    },
    /// `[ ... ]`: elements by index.
    Seq { path: String, index: usize },
}

struct Scanner<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    line: usize,
    col: usize,
    stack: Vec<Frame>,
    index: SpanIndex,
    /// An identifier just read, waiting to see whether a `:` makes it a field name.
    pending: Option<(String, Location)>,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            chars: text.char_indices().peekable(),
            line: 1,
            col: 1,
            stack: Vec::new(),
            index: SpanIndex::default(),
            pending: None,
        }
    }

    fn bump(&mut self) -> Option<char> {
        let (_, c) = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&(_, c)| c)
    }

    fn here(&self) -> Location {
        Location {
            line: self.line,
            col: self.col,
        }
    }

    fn record(&mut self, path: String, loc: Location) {
        self.index.by_path.entry(path.clone()).or_insert(loc);
        self.index.starts.push((loc, path));
    }

    /// The path of an element that starts now in the innermost frame.
    fn element_path(&self) -> Option<String> {
        match self.stack.last()? {
            Frame::Seq { path, index } => Some(format!("{path}[{index}]")),
            Frame::Group {
                path,
                key: None,
                index,
            } if *index > 0 => Some(format!("{path}.{index}")),
            Frame::Group {
                path, key: None, ..
            } => Some(path.clone()),
            Frame::Group {
                key: Some(k), path, ..
            } => Some(join(path, k)),
        }
    }

    fn open(&mut self, seq: bool) {
        let path = self.element_path().unwrap_or_default();
        let loc = self.here();
        if let Some(Frame::Seq { .. }) = self.stack.last() {
            self.record(path.clone(), loc);
        }
        self.stack.push(if seq {
            Frame::Seq { path, index: 0 }
        } else {
            Frame::Group {
                path,
                key: None,
                index: 0,
            }
        });
    }

    fn run(mut self) -> SpanIndex {
        while let Some(c) = self.peek() {
            let loc = self.here();
            if c == '/' {
                self.bump();
                match self.peek() {
                    Some('/') => {
                        while let Some(c) = self.bump() {
                            if c == '\n' {
                                break;
                            }
                        }
                    }
                    Some('*') => self.block_comment(),
                    _ => {}
                }
                continue;
            }
            if c.is_alphabetic() || c == '_' {
                let mut ident = String::new();
                while let Some(c) = self.peek() {
                    if c.is_alphanumeric() || c == '_' {
                        ident.push(c);
                        self.bump();
                    } else {
                        break;
                    }
                }
                self.pending = Some((ident, loc));
                continue;
            }
            if c.is_whitespace() {
                self.bump();
                continue;
            }
            let pending = self.pending.take();
            match c {
                ':' => {
                    self.bump();
                    if let (Some((key, kloc)), Some(Frame::Group { path, key: k, .. })) =
                        (pending, self.stack.last_mut())
                    {
                        let full = join(path, &key);
                        *k = Some(key);
                        self.record(full, kloc);
                    }
                }
                '(' | '{' => {
                    self.bump();
                    self.open(false);
                }
                '[' => {
                    self.bump();
                    self.open(true);
                }
                ')' | '}' | ']' => {
                    self.bump();
                    self.stack.pop();
                }
                ',' => {
                    self.bump();
                    match self.stack.last_mut() {
                        Some(Frame::Seq { index, .. }) => *index += 1,
                        Some(Frame::Group { key, index, .. }) => {
                            if key.is_none() {
                                *index += 1;
                            }
                            *key = None;
                        }
                        None => {}
                    }
                }
                '"' => {
                    self.mark_element(loc);
                    self.string();
                }
                _ => {
                    self.mark_element(loc);
                    self.bump();
                    while let Some(c) = self.peek() {
                        if c.is_alphanumeric() || matches!(c, '.' | '+' | '-' | '_') {
                            self.bump();
                        } else {
                            break;
                        }
                    }
                }
            }
        }
        self.index
    }

    /// A scalar element of a sequence gets its own path (`list[3]`).
    fn mark_element(&mut self, loc: Location) {
        if let Some(Frame::Seq { path, index }) = self.stack.last() {
            let p = format!("{path}[{index}]");
            self.record(p, loc);
        }
    }

    fn string(&mut self) {
        self.bump();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '"' => break,
                _ => {}
            }
        }
    }

    fn block_comment(&mut self) {
        self.bump();
        let mut depth = 1;
        while depth > 0 {
            match self.bump() {
                None => break,
                Some('*') if self.peek() == Some('/') => {
                    self.bump();
                    depth -= 1;
                }
                Some('/') if self.peek() == Some('*') => {
                    self.bump();
                    depth += 1;
                }
                _ => {}
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_fields_and_list_items() {
        let text = "// c\nScenario(\n  policy: (\n    committee: (n_departments: 0),\n  ),\n  behaviour: (participation: (thresholds: Explicit([0.0, 0.5]))),\n)\n";
        let idx = SpanIndex::scan(text);
        assert_eq!(
            idx.locate("policy.committee.n_departments"),
            Some(Location { line: 4, col: 17 })
        );
        assert_eq!(
            idx.locate("behaviour.participation.thresholds[1]"),
            Some(Location { line: 6, col: 58 })
        );
        assert_eq!(
            idx.locate("policy.committee.missing"),
            Some(Location { line: 4, col: 5 })
        );
        assert_eq!(
            idx.path_at(Location { line: 4, col: 35 }),
            Some("policy.committee.n_departments")
        );
    }
}
