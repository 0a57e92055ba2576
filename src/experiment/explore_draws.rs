//! Futures drawn from a file of weighted parameter draws (a CSV with a column per uncertain
//! parameter and a `weight` column, such as a calibration's posterior gives), by systematic
//! resampling with one seeded offset. Errors name the file, line, column and CSV column.

use std::path::Path;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::params::Kind;
use super::spec::{Param, SpecError};

/// Why a draws file could not be used: `file:line:col: column: message`.
fn draws_error(path: &Path, line: u64, col: usize, column: &str, message: String) -> SpecError {
    SpecError::Invalid {
        origin: path.display().to_string(),
        diagnostics: vec![crate::scenario::Diagnostic {
            location: Some(crate::scenario::Location {
                line: line as usize,
                col,
            }),
            path: (!column.is_empty()).then(|| column.to_string()),
            message,
        }],
    }
}

/// A draws file's rows (the parameters' values in their order) and weights.
pub(super) fn read_draws(
    path: &Path,
    params: &[Param],
) -> Result<(Vec<Vec<f64>>, Vec<f64>), SpecError> {
    let text =
        crate::input::read_to_string(path, crate::input::InputKind::Design).map_err(|source| {
            SpecError::Read {
                origin: path.display().to_string(),
                source,
            }
        })?;
    let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = r
        .headers()
        .map_err(|e| draws_error(path, 1, 1, "", e.to_string()))?
        .clone();
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let weight = find("weight").ok_or_else(|| {
        draws_error(
            path,
            1,
            1,
            "",
            "needs a `weight` column (relative weights of the draws)".into(),
        )
    })?;
    let mut cols = Vec::new();
    for p in params {
        cols.push(find(&p.path).ok_or_else(|| {
            draws_error(
                path,
                1,
                1,
                "",
                format!(
                    "needs a column `{}` (every uncertain parameter of the explore file)",
                    p.path
                ),
            )
        })?);
    }
    let (mut rows, mut weights) = (Vec::new(), Vec::new());
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            draws_error(path, line, 1, "", e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let col_of = |j: usize| 1 + (0..j).map(|k| rec[k].len() + 1).sum::<usize>();
        let number = |j: usize| -> Result<f64, SpecError> {
            rec.get(j)
                .and_then(|t| t.trim().parse::<f64>().ok())
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    draws_error(
                        path,
                        line,
                        col_of(j.min(rec.len().saturating_sub(1))),
                        &header[j],
                        format!(
                            "must be a finite number, got `{}`",
                            rec.get(j).unwrap_or("")
                        ),
                    )
                })
        };
        let w = number(weight)?;
        if w < 0.0 {
            return Err(draws_error(
                path,
                line,
                col_of(weight),
                "weight",
                format!("must be 0 or more, got {w}"),
            ));
        }
        let mut row = Vec::new();
        for (p, &j) in params.iter().zip(&cols) {
            let x = match &p.kind {
                Kind::Choice(_) => {
                    let t = rec.get(j).unwrap_or("").trim();
                    match p.kind.variant(t) {
                        Some(v) => v as f64,
                        None => number(j)?,
                    }
                }
                k => k.value(number(j)?),
            };
            row.push(x);
        }
        rows.push(row);
        weights.push(w);
        if rows.len() > 1_000_000 {
            return Err(draws_error(
                path,
                line,
                1,
                "",
                "at most 1000000 draws".into(),
            ));
        }
    }
    if !(weights.iter().sum::<f64>() > 0.0) {
        return Err(draws_error(
            path,
            1,
            1,
            "weight",
            "needs at least one draw with a weight above 0".into(),
        ));
    }
    Ok((rows, weights))
}

/// Systematic resampling: `n` indices drawn in proportion to `weights` with one seeded offset.
pub(super) fn systematic(weights: &[f64], n: usize, seed: u64) -> Vec<usize> {
    let total: f64 = weights.iter().sum();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let u0: f64 = rng.random::<f64>();
    let mut out = Vec::with_capacity(n);
    let (mut k, mut cum) = (0, weights[0] / total);
    for i in 0..n {
        let u = (u0 + i as f64) / n as f64;
        while u > cum && k + 1 < weights.len() {
            k += 1;
            cum += weights[k] / total;
        }
        out.push(k);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn systematic_resampling_follows_the_weights() {
        let picked = systematic(&[0.0, 3.0, 1.0, 0.0], 400, 9);
        assert_eq!(picked.iter().filter(|&&k| k == 0 || k == 3).count(), 0);
        assert_eq!(picked.iter().filter(|&&k| k == 1).count(), 300);
        assert_eq!(picked.iter().filter(|&&k| k == 2).count(), 100);
    }
}
