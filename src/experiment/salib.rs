//! SALib's plain-text layouts, so a Python user can re-analyse a towngov parameter study (or
//! towngov can analyse a design SALib made):
//!
//! - the problem file read by `SALib.util.read_param_file`: one `name lower upper` line per
//!   parameter, whitespace separated;
//! - the design matrix (`numpy.loadtxt`): one row per line, values separated by spaces;
//! - the outputs: one value per line, aligned with the design rows.
//!
//! Numbers are written with Rust's `{}` for `f64`, the shortest text that parses back to the
//! same bits, so a write-read round trip is exact. Readers skip blank lines and lines starting
//! with `#` (as SALib and numpy do) and report errors with 1-based line numbers.

use std::io::{BufRead, BufReader, Read, Write};

use thiserror::Error;

/// Why a SALib file could not be written or read.
#[derive(Debug, Error)]
pub enum SalibError {
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// A parameter name SALib could not read back (empty, whitespace, or starting with `#`).
    #[error("parameter name {0:?} must be non-empty, without whitespace, and not start with '#'")]
    BadName(String),
    /// The same parameter name twice.
    #[error("parameter name {0:?} appears twice")]
    DuplicateName(String),
    /// Bounds that are not finite with lower < upper.
    #[error("bounds of {name:?} are [{lower}, {upper}]: need finite lower < upper")]
    BadBounds {
        name: String,
        lower: f64,
        upper: f64,
    },
    /// Names and bounds of different lengths.
    #[error("{names} names but {bounds} bounds")]
    Mismatch { names: usize, bounds: usize },
    /// A line that does not parse.
    #[error("line {line}: {reason}")]
    Parse { line: usize, reason: String },
    /// A value that does not parse, with its 1-based column (in characters).
    #[error("line {line}:{column}: {reason}")]
    Value {
        line: usize,
        column: usize,
        reason: String,
    },
}

/// A sensitivity-analysis problem: parameter names with their bounds, in factor order.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub names: Vec<String>,
    pub bounds: Vec<(f64, f64)>,
}

fn check_name(name: &str) -> Result<(), SalibError> {
    if name.is_empty() || name.starts_with('#') || name.chars().any(char::is_whitespace) {
        return Err(SalibError::BadName(name.to_string()));
    }
    Ok(())
}

fn check_bounds(name: &str, (lower, upper): (f64, f64)) -> Result<(), SalibError> {
    if !(lower.is_finite() && upper.is_finite() && lower < upper) {
        return Err(SalibError::BadBounds {
            name: name.to_string(),
            lower,
            upper,
        });
    }
    Ok(())
}

/// Writes the problem file: one `name lower upper` line per parameter. Names must be non-empty
/// without whitespace and unique; bounds finite with lower < upper.
pub fn write_problem(
    w: &mut impl Write,
    names: &[String],
    bounds: &[(f64, f64)],
) -> Result<(), SalibError> {
    if names.len() != bounds.len() {
        return Err(SalibError::Mismatch {
            names: names.len(),
            bounds: bounds.len(),
        });
    }
    for (i, (name, &b)) in names.iter().zip(bounds).enumerate() {
        check_name(name)?;
        if names[..i].contains(name) {
            return Err(SalibError::DuplicateName(name.clone()));
        }
        check_bounds(name, b)?;
    }
    for (name, (lower, upper)) in names.iter().zip(bounds) {
        writeln!(w, "{name} {lower} {upper}")?;
    }
    Ok(())
}

/// Writes a design matrix: one row per line, values separated by single spaces.
pub fn write_matrix(w: &mut impl Write, rows: &[Vec<f64>]) -> Result<(), SalibError> {
    for row in rows {
        let mut first = true;
        for v in row {
            if !first {
                w.write_all(b" ")?;
            }
            write!(w, "{v}")?;
            first = false;
        }
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes model outputs, one value per line, aligned with the design rows.
pub fn write_outputs(w: &mut impl Write, outputs: &[f64]) -> Result<(), SalibError> {
    for v in outputs {
        writeln!(w, "{v}")?;
    }
    Ok(())
}

/// The content lines of a file, with their 1-based numbers, skipping blanks and `#` comments.
fn content_lines(r: impl Read) -> Result<Vec<(usize, String)>, SalibError> {
    let mut out = Vec::new();
    for (i, line) in BufReader::new(r).lines().enumerate() {
        let line = line?;
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') {
            out.push((i + 1, t.to_string()));
        }
    }
    Ok(out)
}

fn parse_num(line: usize, field: &str, what: &str) -> Result<f64, SalibError> {
    field.parse::<f64>().map_err(|_| SalibError::Parse {
        line,
        reason: format!("{what} {field:?} is not a number"),
    })
}

/// Reads a problem file (`name lower upper` per line). A fourth column (SALib's group) is
/// ignored; a fifth (the distribution) must be `unif`, the only one towngov's designs assume.
pub fn read_problem(r: impl Read) -> Result<Problem, SalibError> {
    let mut p = Problem {
        names: Vec::new(),
        bounds: Vec::new(),
    };
    for (line, text) in content_lines(r)? {
        let f: Vec<&str> = text.split_whitespace().collect();
        if !(3..=5).contains(&f.len()) {
            return Err(SalibError::Parse {
                line,
                reason: format!("expected `name lower upper`, found {} fields", f.len()),
            });
        }
        if let Some(dist) = f.get(4).filter(|d| **d != "unif") {
            return Err(SalibError::Parse {
                line,
                reason: format!("distribution {dist:?} is not supported (only unif)"),
            });
        }
        let name = f[0].to_string();
        let bounds = (
            parse_num(line, f[1], "lower bound")?,
            parse_num(line, f[2], "upper bound")?,
        );
        if p.names.contains(&name) {
            return Err(SalibError::Parse {
                line,
                reason: format!("parameter {name:?} appears twice"),
            });
        }
        check_bounds(&name, bounds).map_err(|e| SalibError::Parse {
            line,
            reason: e.to_string(),
        })?;
        p.names.push(name);
        p.bounds.push(bounds);
    }
    Ok(p)
}

/// Reads a design matrix: whitespace-separated numbers, every row the same width.
pub fn read_matrix(r: impl Read) -> Result<Vec<Vec<f64>>, SalibError> {
    Ok(read_matrix_lines(r)?.0)
}

/// [`read_matrix`], with each row's 1-based line number. A value that is not a finite number
/// is an error naming its line and column.
pub fn read_matrix_lines(r: impl Read) -> Result<(Vec<Vec<f64>>, Vec<usize>), SalibError> {
    let mut rows: Vec<Vec<f64>> = Vec::new();
    let mut lines = Vec::new();
    for (i, line) in BufReader::new(r).lines().enumerate() {
        let (line_no, text) = (i + 1, line?);
        let t = text.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let mut row = Vec::new();
        let mut rest = text.as_str();
        let mut offset = 0;
        while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
            let len = rest[start..]
                .find(char::is_whitespace)
                .unwrap_or(rest.len() - start);
            let field = &rest[start..start + len];
            let column = text[..offset + start].chars().count() + 1;
            match field.parse::<f64>() {
                Ok(v) if v.is_finite() => row.push(v),
                _ => {
                    return Err(SalibError::Value {
                        line: line_no,
                        column,
                        reason: format!("value {field:?} is not a finite number"),
                    });
                }
            }
            offset += start + len;
            rest = &rest[start + len..];
        }
        if let Some(first) = rows.first().filter(|first| first.len() != row.len()) {
            return Err(SalibError::Parse {
                line: line_no,
                reason: format!(
                    "{} values, but the first row has {}",
                    row.len(),
                    first.len()
                ),
            });
        }
        rows.push(row);
        lines.push(line_no);
    }
    Ok((rows, lines))
}

/// Reads model outputs: one number per line.
pub fn read_outputs(r: impl Read) -> Result<Vec<f64>, SalibError> {
    content_lines(r)?
        .into_iter()
        .map(|(line, text)| {
            if text.split_whitespace().count() != 1 {
                return Err(SalibError::Parse {
                    line,
                    reason: "expected one output value per line".into(),
                });
            }
            parse_num(line, &text, "output")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_line() {
        let e = read_matrix("0.1 0.2\n\n# note\n0.3 x\n".as_bytes()).unwrap_err();
        assert!(e.to_string().starts_with("line 4:"), "{e}");
        assert!(e.to_string().starts_with("line 4:5:"), "{e}");
        let e = read_matrix("0.1 inf\n".as_bytes()).unwrap_err();
        assert!(e.to_string().starts_with("line 1:5:"), "{e}");
        let e = read_matrix("0.1 0.2\n0.3\n".as_bytes()).unwrap_err();
        assert!(e.to_string().starts_with("line 2:"), "{e}");
        let e = read_problem("a 0 1\nb 2 1\n".as_bytes()).unwrap_err();
        assert!(e.to_string().starts_with("line 2:"), "{e}");
        let e = read_problem("a 0 1 g norm\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("norm"), "{e}");
        let e = read_outputs("1\n2 3\n".as_bytes()).unwrap_err();
        assert!(e.to_string().starts_with("line 2:"), "{e}");
    }

    #[test]
    fn writer_rejects_unreadable_names() {
        let mut out = Vec::new();
        let names = vec!["has space".to_string()];
        assert!(matches!(
            write_problem(&mut out, &names, &[(0.0, 1.0)]),
            Err(SalibError::BadName(_))
        ));
        let names = vec!["a".to_string(), "a".to_string()];
        assert!(matches!(
            write_problem(&mut out, &names, &[(0.0, 1.0), (0.0, 1.0)]),
            Err(SalibError::DuplicateName(_))
        ));
    }
}
