//! The SVG plots of the HTML report, drawn with plotters into a string: the shared helpers and
//! one time plot per daily series (mean line and shaded band per option, gaps left open); the
//! forest plot is in `forest.rs`. Figures that are not finite, or beyond ±1e12, are not drawn;
//! a plot with nothing to draw says so instead.

use std::error::Error;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::format::{defuse_urls, display_width, esc, level_percent, num, truncate, unit_in};
use super::i18n::{Lang, trf};
use crate::experiment::results::SeriesBands;

pub(super) type DrawResult = Result<(), Box<dyn Error>>;

/// Width of every plot, in SVG pixels (scaled down by the page's CSS when narrower).
pub(super) const WIDTH: u32 = 760;
pub(super) const FONT: &str = "sans-serif";
/// Largest magnitude drawn; beyond it plotters' axes lose precision.
pub(super) const LIMIT: f64 = 1e12;

/// Okabe–Ito, the colour-blind-safe palette, in the order options take it (yellow last: it is
/// hard to see on white).
const PALETTE: [(u8, u8, u8); 8] = [
    (0x00, 0x72, 0xB2), // blue
    (0xD5, 0x5E, 0x00), // vermillion
    (0x00, 0x9E, 0x73), // bluish green
    (0xCC, 0x79, 0xA7), // reddish purple
    (0xE6, 0x9F, 0x00), // orange
    (0x56, 0xB4, 0xE9), // sky blue
    (0x00, 0x00, 0x00), // black
    (0xF0, 0xE4, 0x42), // yellow
];

/// The colour of option `i` (the palette repeats after 8 options).
pub(super) fn colour(i: usize) -> RGBColor {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    RGBColor(r, g, b)
}

/// The colour of option `i` as CSS hex, for the HTML legend swatches.
pub(crate) fn colour_hex(i: usize) -> String {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    format!("#{r:02x}{g:02x}{b:02x}")
}

pub(super) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(super) const GREY: RGBColor = RGBColor(0x66, 0x66, 0x66);
pub(super) const GRID: RGBColor = RGBColor(0xE4, 0xE4, 0xE4);
pub(super) const GRID_BOLD: RGBColor = RGBColor(0xCC, 0xCC, 0xCC);
pub(super) const STRIPE: RGBColor = RGBColor(0xF3, 0xF3, 0xF3);

pub(super) fn ok(x: f64) -> bool {
    x.is_finite() && x.abs() < LIMIT
}

/// Text style: `size` in plotters units (the SVG font size is size / 1.24).
pub(super) fn text(size: u32, colour: &RGBColor, h: HPos) -> TextStyle<'_> {
    TextStyle::from((FONT, size).into_font())
        .color(colour)
        .pos(Pos::new(h, VPos::Center))
}

/// Approximate width in pixels of `s` at plotters size `size`.
pub(super) fn text_px(s: &str, size: u32) -> i32 {
    (display_width(s) as f64 * f64::from(size) * 0.56).ceil() as i32
}

/// Decimals for axis ticks over `span`.
pub(super) fn tick_decimals(span: f64) -> usize {
    if span.is_finite() && span > 0.0 {
        (-(span / 10.0).log10()).ceil().clamp(0.0, 6.0) as usize
    } else {
        0
    }
}

/// A height in pixels, capped so absurd inputs (thousands of options) make a clipped plot rather
/// than an overflow.
pub(super) fn tall(px: u64) -> u32 {
    px.min(60_000) as u32
}

/// A range with room around it, never empty.
pub(super) fn padded(lo: f64, hi: f64, pad: f64) -> (f64, f64) {
    let span = hi - lo;
    if span > 1e-9 * lo.abs().max(hi.abs()) && span > 0.0 {
        (lo - pad * span, hi + pad * span)
    } else {
        let d = (lo.abs() * 0.05).max(1e-6);
        (lo - d, hi + d)
    }
}

/// Finishes a plotters SVG for inline use: drops the namespace attribute (HTML5 needs none and
/// the page must not name any web address), adds an accessible title and defuses any `://`.
fn finish(svg: String, title: &str) -> String {
    let svg = svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1);
    let svg = match svg.find('>') {
        Some(i) if svg.starts_with("<svg") => format!(
            "{} class=\"plot\" role=\"img\">\n<title>{}</title>{}",
            &svg[..i],
            esc(title),
            &svg[i + 1..]
        ),
        _ => svg,
    };
    defuse_urls(&svg)
}

/// Draws with `draw` into a fresh SVG of `height`; on any drawing error, a plain SVG saying so.
pub(super) fn render(
    height: u32,
    title: &str,
    lang: Lang,
    draw: impl FnOnce(&mut String) -> DrawResult,
) -> String {
    let mut buf = String::new();
    match draw(&mut buf) {
        Ok(()) => finish(buf, title),
        Err(e) => message_svg(
            &trf(
                lang,
                "report.plot.could_not_draw",
                &[("title", title), ("error", &e.to_string())],
            ),
            height.min(120),
        ),
    }
}

/// An SVG with one line of text, for plots with nothing to draw.
pub(crate) fn message_svg(message: &str, height: u32) -> String {
    let h = height.max(60);
    format!(
        "<svg class=\"plot\" role=\"img\" width=\"{WIDTH}\" height=\"{h}\" viewBox=\"0 0 {WIDTH} \
         {h}\"><title>{m}</title><rect x=\"0.5\" y=\"0.5\" width=\"{w1}\" height=\"{h1}\" \
         fill=\"#fafafa\" stroke=\"#cccccc\"/><text x=\"{cx}\" y=\"{cy}\" text-anchor=\"middle\" \
         font-family=\"{FONT}\" font-size=\"14\" fill=\"#555555\">{m}</text></svg>",
        m = esc(message),
        w1 = WIDTH - 1,
        h1 = h - 1,
        cx = WIDTH / 2,
        cy = h / 2 + 5,
    )
}

/// Legend items laid out in rows: (x, row) for each, and the number of rows.
pub(super) fn legend_layout(
    labels: &[String],
    size: u32,
    left: i32,
    right: i32,
) -> (Vec<(i32, i32)>, i32) {
    let mut out = Vec::with_capacity(labels.len());
    let (mut x, mut row) = (left, 0);
    for l in labels {
        let w = 34 + text_px(l, size) + 24;
        if x > left && x + w > right {
            x = left;
            row += 1;
        }
        out.push((x, row));
        x += w;
    }
    (out, if labels.is_empty() { 0 } else { row + 1 })
}

/// At most this many points per drawn run: about two per pixel of the plot, as fine as the
/// eye sees, so a ten-year series does not make a page of megabytes.
const MAX_POINTS: usize = 1400;

/// The indices of `r` to draw: all of them, or evenly spaced ones and the last.
fn thin(r: std::ops::Range<usize>) -> Vec<usize> {
    let step = r.len().div_ceil(MAX_POINTS).max(1);
    let last = r.end.saturating_sub(1);
    let mut v: Vec<usize> = r.step_by(step).collect();
    if v.last().is_some_and(|&i| i != last) {
        v.push(last);
    }
    v
}

/// Contiguous runs of indices where `good` holds.
fn runs(len: usize, good: impl Fn(usize) -> bool) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=len {
        match (start, i < len && good(i)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The time plot of one daily series: per option a line for the mean and a shaded band, with
/// gaps where there is no value; axis titles with units and a legend below, in `lang` (the
/// series' label is taken as given: the page translates it).
pub(crate) fn series_svg(s: &SeriesBands, names: &[String], level: f64, lang: Lang) -> String {
    let unit = s.meta.unit.trim();
    let y_title = truncate(
        &if unit.is_empty() {
            s.meta.label.clone()
        } else {
            trf(
                lang,
                "report.text.label_unit",
                &[("label", &s.meta.label), ("unit", &unit_in(unit, lang))],
            )
        },
        60,
    );
    let title = trf(lang, "report.plot.by_day", &[("what", &y_title)]);
    let n = s.by_option.len();
    let x_at = |i: usize| f64::from(s.days[i]);
    let len_line = |b: &crate::experiment::results::Band| s.days.len().min(b.mean.len());
    let len_band =
        |b: &crate::experiment::results::Band| len_line(b).min(b.low.len()).min(b.high.len());

    let (mut xlo, mut xhi, mut ylo, mut yhi) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for b in &s.by_option {
        for i in 0..len_line(b) {
            let m = b.mean[i];
            let lo_hi = if i < len_band(b) && ok(b.low[i]) && ok(b.high[i]) {
                Some((b.low[i], b.high[i]))
            } else {
                None
            };
            for v in [Some(m), lo_hi.map(|p| p.0), lo_hi.map(|p| p.1)]
                .into_iter()
                .flatten()
            {
                if ok(v) {
                    ylo = ylo.min(v);
                    yhi = yhi.max(v);
                    xlo = xlo.min(x_at(i));
                    xhi = xhi.max(x_at(i));
                }
            }
        }
    }
    if ylo > yhi {
        return message_svg(
            &trf(lang, "report.plot.no_values", &[("what", &y_title)]),
            120,
        );
    }
    let (ylo, yhi) = padded(ylo, yhi, 0.05);
    // The whole run on the x axis, so the plots of one report line up.
    if let (Some(&first), Some(&last)) = (s.days.iter().min(), s.days.iter().max()) {
        xlo = xlo.min(f64::from(first));
        xhi = xhi.max(f64::from(last));
    }
    let (xlo, xhi) = if xhi > xlo {
        (xlo, xhi)
    } else {
        (xlo - 1.0, xhi + 1.0)
    };
    let ydec = tick_decimals(yhi - ylo);

    let mut labels: Vec<String> = (0..n)
        .map(|i| {
            truncate(
                &names.get(i).cloned().unwrap_or_else(|| {
                    trf(lang, "report.plot.option", &[("n", &(i + 1).to_string())])
                }),
                40,
            )
        })
        .collect();
    labels.push(trf(
        lang,
        "report.plot.shaded",
        &[("level", &level_percent(level))],
    ));
    let (slots, rows) = legend_layout(&labels, 16, 16, WIDTH as i32 - 16);
    let chart_h: u32 = 330;
    let height = tall(u64::from(chart_h) + 16 + 22 * rows as u64);

    let x_title = super::i18n::tr(lang, "report.plot.day");
    render(height, &title, lang, |buf| {
        let root = SVGBackend::with_string(buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (upper, _) = root.split_vertically(chart_h);
        let y_label_w =
            text_px(&num(ylo, ydec, false), 17).max(text_px(&num(yhi, ydec, false), 17)) + 40;
        let mut chart = ChartBuilder::on(&upper)
            .margin_top(14)
            .margin_right(24)
            .margin_left(6)
            .x_label_area_size(48)
            .y_label_area_size(y_label_w)
            .build_cartesian_2d(xlo..xhi, ylo..yhi)?;
        let xfmt = |x: &f64| num(*x, 0, false);
        let yfmt = |y: &f64| num(*y, ydec, false);
        chart
            .configure_mesh()
            .x_desc(x_title)
            .y_desc(y_title.as_str())
            .x_labels(10)
            .y_labels(7)
            .x_label_formatter(&xfmt)
            .y_label_formatter(&yfmt)
            .max_light_lines(0)
            .light_line_style(GRID)
            .bold_line_style(GRID_BOLD)
            .axis_style(GREY)
            .label_style((FONT, 16).into_font().color(&INK))
            .axis_desc_style((FONT, 17).into_font().color(&INK))
            .draw()?;
        for (k, b) in s.by_option.iter().enumerate() {
            let fill = colour(k).mix(0.18).filled();
            let lb = len_band(b);
            for r in runs(lb, |i| ok(b.low[i]) && ok(b.high[i])) {
                if r.len() == 1 {
                    let i = r.start;
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(x_at(i), b.low[i]), (x_at(i), b.high[i])],
                        colour(k).mix(0.35).stroke_width(3),
                    )))?;
                    continue;
                }
                let idx = thin(r);
                let mut pts: Vec<(f64, f64)> = idx.iter().map(|&i| (x_at(i), b.high[i])).collect();
                pts.extend(idx.iter().rev().map(|&i| (x_at(i), b.low[i])));
                chart.draw_series(std::iter::once(Polygon::new(pts, fill)))?;
            }
        }
        for (k, b) in s.by_option.iter().enumerate() {
            let style = colour(k).stroke_width(2);
            for r in runs(len_line(b), |i| ok(b.mean[i])) {
                if r.len() == 1 {
                    let i = r.start;
                    chart.draw_series(std::iter::once(Circle::new(
                        (x_at(i), b.mean[i]),
                        3,
                        colour(k).filled(),
                    )))?;
                } else {
                    chart.draw_series(LineSeries::new(
                        thin(r).into_iter().map(|i| (x_at(i), b.mean[i])),
                        style,
                    ))?;
                }
            }
        }
        // Legend under the chart.
        for (k, (label, &(x, row))) in labels.iter().zip(&slots).enumerate() {
            let y = chart_h as i32 + 10 + 22 * row + 8;
            if k < n {
                root.draw(&PathElement::new(
                    vec![(x, y), (x + 26, y)],
                    colour(k).stroke_width(3),
                ))?;
            } else {
                root.draw(&Rectangle::new(
                    [(x, y - 7), (x + 26, y + 7)],
                    GREY.mix(0.25).filled(),
                ))?;
            }
            root.draw(&Text::new(
                label.clone(),
                (x + 34, y),
                text(16, &INK, HPos::Left),
            ))?;
        }
        root.present()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::super::fixture::comparison;
    use super::*;
    use crate::experiment::results::Band;

    #[test]
    fn thinning_keeps_the_ends() {
        assert_eq!(thin(3..8), vec![3, 4, 5, 6, 7]);
        let v = thin(0..10_000);
        assert!(v.len() <= MAX_POINTS + 1);
        assert_eq!((v[0], *v.last().unwrap()), (0, 9_999));
        assert!(thin(5..5).is_empty());
    }

    #[test]
    fn a_ten_year_series_stays_small() {
        let c = comparison();
        let days = 3650;
        let band = |base: f64| Band {
            mean: (0..days).map(|i| base + (i as f64 / 9.0).sin()).collect(),
            low: (0..days)
                .map(|i| base - 1.0 + (i as f64 / 9.0).sin())
                .collect(),
            high: (0..days)
                .map(|i| base + 1.0 + (i as f64 / 9.0).sin())
                .collect(),
        };
        let s = SeriesBands {
            meta: c.series[0].meta.clone(),
            days: (1..=days as u32).collect(),
            by_option: vec![band(10.0), band(12.0), band(14.0)],
        };
        let svg = series_svg(&s, &c.options, c.level, Lang::En);
        assert!(svg.len() < 400_000, "{} bytes", svg.len());
        assert!(svg.contains("3,500") || svg.contains("3,000"), "day ticks");
        assert!(svg.contains("\nday\n</text>") && svg.contains("shaded: 95% confidence interval"));
        // In Chinese: the axis, the legend and the unit, no English left but the names.
        let zh = series_svg(&s, &c.options, c.level, Lang::ZhCn);
        for text in ["\n天\n</text>", "阴影：均值的 95% 置信区间", "（按天）"] {
            assert!(zh.contains(text), "{text}");
        }
        for text in ["\nday\n</text>", "shaded", "by day", "confidence"] {
            assert!(!zh.contains(text), "{text}");
        }
    }
}
