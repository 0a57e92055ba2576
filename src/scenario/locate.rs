//! Where each field of a RON file is: a light scanner that maps dotted field paths
//! (`policy.committee.n_departments`, `behaviour.participation.thresholds[3]`) to the line and
//! column where they are written, so that an error found after parsing can still point at the
//! file. It only has to understand RON's nesting, strings and comments, not its values.
//!
//! Paths are kept as a tree of interned segments (a node is its parent and one key, index or
//! tuple position), not as strings, so the index takes memory and time linear in the size of
//! the file however deep the nesting (a file of 100,000 `[` is 100,000 small nodes, where a
//! string per path prefix would be 5·10⁹ bytes).

use std::collections::HashMap;

/// A 1-based line and column, counted in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub line: usize,
    pub col: usize,
}

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Segment {
    /// `name` or `.name`
    Key(Box<str>),
    /// `[i]`
    Index(usize),
    /// `.i`: the i-th element of a tuple (i > 0; the first shares its parent's path)
    Tuple(usize),
}

#[derive(Clone, Debug)]
struct Node {
    parent: usize,
    segment: Option<Segment>,
    /// Where the field is first written, if it is.
    location: Option<Location>,
}

/// Field paths and where they start in the file.
#[derive(Clone, Debug)]
pub struct SpanIndex {
    /// Node 0 is the root (the empty path).
    nodes: Vec<Node>,
    children: HashMap<(usize, Segment), usize>,
    /// Every field start in file order, for finding the field an error position falls in.
    starts: Vec<(Location, usize)>,
}

impl Default for SpanIndex {
    fn default() -> Self {
        SpanIndex {
            nodes: vec![Node {
                parent: 0,
                segment: None,
                location: None,
            }],
            children: HashMap::new(),
            starts: Vec::new(),
        }
    }
}

impl SpanIndex {
    /// Where `path` is written, or the closest enclosing field that is.
    pub fn locate(&self, path: &str) -> Option<Location> {
        let mut node = 0;
        let mut best = None;
        for segment in parse_path(path) {
            match self.children.get(&(node, segment)) {
                Some(&child) => node = child,
                None => break,
            }
            best = self.nodes[node].location.or(best);
        }
        best
    }

    /// The path of the last field that starts at or before `loc`.
    pub fn path_at(&self, loc: Location) -> Option<String> {
        let i = self.starts.partition_point(|(start, _)| *start <= loc);
        i.checked_sub(1).map(|i| self.path_of(self.starts[i].1))
    }

    pub fn scan(text: &str) -> SpanIndex {
        Scanner::new(text).run()
    }

    /// The dotted text of a node's path.
    fn path_of(&self, mut node: usize) -> String {
        let mut segments = Vec::new();
        while node != 0 {
            if let Some(s) = &self.nodes[node].segment {
                segments.push(s);
            }
            node = self.nodes[node].parent;
        }
        let mut out = String::new();
        for s in segments.into_iter().rev() {
            match s {
                Segment::Key(k) if out.is_empty() => out += k,
                Segment::Key(k) => {
                    out.push('.');
                    out += k;
                }
                Segment::Index(i) => out += &format!("[{i}]"),
                Segment::Tuple(i) => out += &format!(".{i}"),
            }
        }
        out
    }

    /// The node for `segment` under `parent`, made if new.
    fn child(&mut self, parent: usize, segment: Segment) -> usize {
        if let Some(&n) = self.children.get(&(parent, segment.clone())) {
            return n;
        }
        let n = self.nodes.len();
        self.nodes.push(Node {
            parent,
            segment: Some(segment.clone()),
            location: None,
        });
        self.children.insert((parent, segment), n);
        n
    }

    fn record(&mut self, node: usize, loc: Location) {
        let slot = &mut self.nodes[node].location;
        if slot.is_none() {
            *slot = Some(loc);
        }
        self.starts.push((loc, node));
    }
}

/// `a.b[3].1` as segments; stops at the first piece that is not one.
fn parse_path(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut rest = path;
    let mut first = true;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else { break };
            let Ok(i) = r[..end].parse() else { break };
            out.push(Segment::Index(i));
            rest = &r[end + 1..];
        } else {
            let r = if first {
                rest
            } else if let Some(r) = rest.strip_prefix('.') {
                r
            } else {
                break;
            };
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let word = &r[..end];
            if word.is_empty() {
                break;
            }
            if word.bytes().all(|b| b.is_ascii_digit()) && !first {
                let Ok(i) = word.parse() else { break };
                out.push(Segment::Tuple(i));
            } else {
                out.push(Segment::Key(word.into()));
            }
            rest = &r[end..];
        }
        first = false;
    }
    out
}

enum Frame {
    /// `( ... )` or `{ ... }`: named fields, or a tuple when none is named.
    Group {
        node: usize,
        key: Option<String>,
        index: usize,
    },
    /// `[ ... ]`: elements by index.
    Seq { node: usize, index: usize },
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

    /// The node of an element that starts now in the innermost frame.
    fn element_node(&mut self) -> usize {
        let (parent, segment) = match self.stack.last() {
            None => return 0,
            Some(Frame::Seq { node, index }) => (*node, Segment::Index(*index)),
            Some(Frame::Group {
                node,
                key: None,
                index,
            }) if *index > 0 => (*node, Segment::Tuple(*index)),
            Some(Frame::Group {
                node, key: None, ..
            }) => return *node,
            Some(Frame::Group {
                key: Some(k), node, ..
            }) => (*node, Segment::Key(k.as_str().into())),
        };
        self.index.child(parent, segment)
    }

    fn open(&mut self, seq: bool) {
        let node = self.element_node();
        let loc = self.here();
        if let Some(Frame::Seq { .. }) = self.stack.last() {
            self.index.record(node, loc);
        }
        self.stack.push(if seq {
            Frame::Seq { node, index: 0 }
        } else {
            Frame::Group {
                node,
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
                    if let (Some((key, kloc)), Some(Frame::Group { node, .. })) =
                        (pending, self.stack.last())
                    {
                        let full = self.index.child(*node, Segment::Key(key.as_str().into()));
                        if let Some(Frame::Group { key: k, .. }) = self.stack.last_mut() {
                            *k = Some(key);
                        }
                        self.index.record(full, kloc);
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
        if let Some(&Frame::Seq { node, index }) = self.stack.last() {
            let p = self.index.child(node, Segment::Index(index));
            self.index.record(p, loc);
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
            Some("policy.committee.n_departments".to_string())
        );
    }

    #[test]
    fn tuple_positions_and_top_level_lists_have_paths() {
        let text = "(
  design: LatinHypercube(samples: 5),
  pair: (1, (a: 2)),
  list: [(x: 1), (x: 2)],
)";
        let idx = SpanIndex::scan(text);
        assert_eq!(
            idx.locate("design.samples"),
            Some(Location { line: 2, col: 26 })
        );
        assert_eq!(idx.locate("pair.1.a"), Some(Location { line: 3, col: 14 }));
        assert_eq!(idx.locate("list[1].x"), Some(Location { line: 4, col: 19 }));
        assert_eq!(idx.locate("list[1]"), Some(Location { line: 4, col: 19 }));
        assert_eq!(idx.locate("list[7].x"), Some(Location { line: 4, col: 3 }));
        assert_eq!(idx.locate("nowhere.at.all"), None);
        assert_eq!(
            idx.path_at(Location { line: 3, col: 16 }),
            Some("pair.1.a".to_string())
        );
        let top = SpanIndex::scan("[1, [2, 3]]");
        assert_eq!(top.locate("[1][1]"), Some(Location { line: 1, col: 9 }));
    }

    /// Issue 16: a 10 KB file of `[` took 484 MB. The index now holds one small node per
    /// nesting level: 200,000 levels give 200,000 nodes and the deepest path is still found.
    #[test]
    fn deep_nesting_takes_linear_memory() {
        let depth = 200_000;
        let text = "[".repeat(depth) + "1";
        let idx = SpanIndex::scan(&text);
        assert!(idx.nodes.len() <= depth + 2, "{} nodes", idx.nodes.len());
        assert_eq!(idx.starts.len(), depth);
        let deepest = idx
            .path_at(Location {
                line: 1,
                col: depth + 1,
            })
            .unwrap();
        assert_eq!(deepest.len(), 3 * depth);
        let query = "[0]".repeat(depth);
        assert_eq!(
            idx.locate(&query),
            Some(Location {
                line: 1,
                col: depth + 1
            })
        );
    }
}
