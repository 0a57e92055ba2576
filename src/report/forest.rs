//! The forest plot of the HTML report: every indicator's paired difference for each option after
//! the first, as a percentage of the reference mean, on one axis.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::format::{Verdict, level_percent, num, option_name, truncate, usable_ci, verdict};
use super::i18n::{Lang, tr, trf};
use super::svg::{
    FONT, GREY, GRID, GRID_BOLD, INK, STRIPE, WIDTH, colour, legend_layout, message_svg, ok,
    padded, render, tall, text, text_px, tick_decimals,
};
use crate::experiment::results::{Better, Comparison};

/// One marker of the forest plot.
struct Mark {
    y: f64,
    option: usize,
    /// (difference, low, high) in % of the reference mean, or why it is missing (a catalogue
    /// key).
    value: Result<(f64, f64, f64), &'static str>,
    detected: bool,
}

/// The forest plot: for every indicator and every option after the first, the paired difference
/// and its interval as a percentage of the reference option's mean, with a line at zero. Filled
/// markers: the interval excludes 0; hollow: it includes 0. Intervals far wider than the others
/// (a reference mean near 0) run off the axis with an arrow and their figures written. Titles,
/// legend and reasons in `lang` (the indicator labels are taken as given).
pub(crate) fn forest_svg(c: &Comparison, lang: Lang) -> String {
    let reference = option_name(c, 0);
    let title = trf(
        lang,
        "report.plot.forest_title",
        &[("reference", &reference)],
    );
    let m = c.options.len().saturating_sub(1);
    let rows = c.indicators.len();
    if m == 0 || rows == 0 {
        return message_svg(tr(lang, "report.plot.forest_none"), 80);
    }
    let row_h = (14 * m as u64 + 14).max(30);
    let mut marks = Vec::new();
    for (ri, row) in c.indicators.iter().enumerate() {
        let base = (rows - 1 - ri) as f64;
        let ref_mean = row.by_option.first().map_or(f64::NAN, |s| s.mean);
        for k in 1..=m {
            let y = base + ((m as f64 - 1.0) / 2.0 - (k - 1) as f64) * (0.7 / m as f64);
            let diff = row.by_option.get(k).and_then(|s| s.diff);
            let v = verdict(&row.meta, diff.as_ref());
            let value = match diff.as_ref().and_then(usable_ci) {
                None => Err("report.plot.na_no_interval"),
                Some(_) if !ok(ref_mean) || ref_mean == 0.0 => Err("report.plot.na_zero_mean"),
                Some(ci) => {
                    let f = 100.0 / ref_mean.abs();
                    let d = diff.map_or(f64::NAN, |d| d.mean);
                    let t = (d * f, ci.low * f, ci.high * f);
                    if ok(t.0) && ok(t.1) && ok(t.2) {
                        Ok(t)
                    } else {
                        Err("report.plot.na_too_large")
                    }
                }
            };
            let detected = !matches!(v, Verdict::NotSignificant | Verdict::NotAvailable);
            marks.push(Mark {
                y,
                option: k,
                value,
                detected,
            });
        }
    }
    // A robust axis: one far-off interval (a reference mean near 0) must not squash the others;
    // intervals beyond 8 times the median extent (and 50%) run off the axis, figures written.
    let mut ext: Vec<f64> = marks
        .iter()
        .filter_map(|mk| mk.value.ok())
        .map(|(_, l, h)| l.abs().max(h.abs()))
        .collect();
    ext.sort_by(f64::total_cmp);
    let cap = ext
        .get(ext.len() / 2)
        .map_or(f64::INFINITY, |med| (8.0 * med).max(50.0));
    let (mut lo, mut hi, mut clipped) = (0.0f64, 0.0f64, false);
    for (_, l, h) in marks.iter().filter_map(|mk| mk.value.ok()) {
        lo = lo.min(l.max(-cap));
        hi = hi.max(h.min(cap));
        clipped |= l < -cap || h > cap;
    }
    let (lo, hi) = if hi > lo {
        padded(lo, hi, 0.06)
    } else {
        (-1.0, 1.0)
    };
    let xdec = tick_decimals(hi - lo);

    let row_labels: Vec<String> = c
        .indicators
        .iter()
        .map(|r| {
            let arrow = match r.meta.better {
                Better::Higher => " ↑",
                Better::Lower => " ↓",
                Better::Neither => "",
            };
            format!("{}{arrow}", truncate(&r.meta.label, 40))
        })
        .collect();
    let label_w = row_labels
        .iter()
        .map(|l| text_px(l, 17))
        .max()
        .unwrap_or(0)
        .clamp(100, 330)
        + 16;
    let mut legend: Vec<String> = (1..=m).map(|k| truncate(&option_name(c, k), 40)).collect();
    for key in ["filled", "hollow", "arrows"] {
        legend.push(tr(lang, &format!("report.plot.{key}")).to_string());
    }
    if clipped {
        legend.push(tr(lang, "report.plot.clipped").to_string());
    }
    let (slots, lrows) = legend_layout(&legend, 16, 16, WIDTH as i32 - 16);
    let chart_h = tall(66u64.saturating_add((rows as u64).saturating_mul(row_h)));
    let height = tall(u64::from(chart_h) + 16 + 22 * lrows as u64);
    let x_title = trf(
        lang,
        "report.plot.forest_axis",
        &[
            ("reference", &truncate(&reference, 24)),
            ("level", &level_percent(c.level)),
        ],
    );

    render(height, &title, lang, |buf| {
        let root = SVGBackend::with_string(buf, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let (upper, _) = root.split_vertically(chart_h);
        let mut chart = ChartBuilder::on(&upper)
            .margin_top(14)
            .margin_right(24)
            .margin_left(6)
            .x_label_area_size(52)
            .y_label_area_size(label_w)
            .build_cartesian_2d(lo..hi, -0.5..(rows as f64 - 0.5))?;
        for ri in (0..rows).step_by(2) {
            let y = (rows - 1 - ri) as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(lo, y - 0.5), (hi, y + 0.5)],
                STRIPE.filled(),
            )))?;
        }
        let xfmt = |x: &f64| format!("{}%", num(*x, xdec, true));
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(9)
            .x_label_formatter(&xfmt)
            .max_light_lines(0)
            .light_line_style(GRID)
            .bold_line_style(GRID_BOLD)
            .axis_style(GREY)
            .label_style((FONT, 16).into_font().color(&INK))
            .axis_desc_style((FONT, 17).into_font().color(&INK))
            .draw()?;
        // The axis title centred on the whole plot, not on the axis: a long reference name (or
        // a Chinese title) would run off the right edge otherwise.
        root.draw(&Text::new(
            x_title.clone(),
            (WIDTH as i32 / 2, chart_h as i32 - 14),
            text(17, &INK, HPos::Center),
        ))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, -0.5), (0.0, rows as f64 - 0.5)],
            INK.stroke_width(1),
        )))?;
        for (ri, label) in row_labels.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(lo, (rows - 1 - ri) as f64));
            root.draw(&Text::new(
                label.clone(),
                (px - 10, py),
                text(17, &INK, HPos::Right),
            ))?;
        }
        for mk in &marks {
            let col = colour(mk.option);
            match mk.value {
                Ok((d, l, h)) if l < lo || h > hi => {
                    let (a, py) = chart.backend_coord(&(l.clamp(lo, hi), mk.y));
                    let (b, _) = chart.backend_coord(&(h.clamp(lo, hi), mk.y));
                    root.draw(&PathElement::new(
                        vec![(a, py), (b, py)],
                        col.stroke_width(2),
                    ))?;
                    if h > hi {
                        root.draw(&Polygon::new(
                            vec![(b - 9, py - 5), (b, py), (b - 9, py + 5)],
                            col.filled(),
                        ))?;
                    }
                    if l < lo {
                        root.draw(&Polygon::new(
                            vec![(a + 9, py - 5), (a, py), (a + 9, py + 5)],
                            col.filled(),
                        ))?;
                    }
                    if (lo..=hi).contains(&d) {
                        let marker = if mk.detected {
                            col.filled()
                        } else {
                            col.stroke_width(2)
                        };
                        chart.draw_series(std::iter::once(Circle::new(
                            (d, mk.y),
                            5,
                            WHITE.filled(),
                        )))?;
                        chart.draw_series(std::iter::once(Circle::new((d, mk.y), 5, marker)))?;
                    }
                    let figures = format!(
                        "{}% ({}..{})",
                        num(d, xdec.min(1), true),
                        num(l, xdec.min(1), true),
                        num(h, xdec.min(1), true)
                    );
                    // The figures sit on the line next to the arrow, on a white patch.
                    let w = text_px(&figures, 14) * 93 / 100 + 6;
                    let (tx, anchor, x0) = if h > hi {
                        (b - 14, HPos::Right, b - 17 - w)
                    } else {
                        (a + 14, HPos::Left, a + 11)
                    };
                    root.draw(&Rectangle::new(
                        [(x0, py - 8), (x0 + w, py + 8)],
                        WHITE.filled(),
                    ))?;
                    root.draw(&Text::new(figures, (tx, py), text(14, &col, anchor)))?;
                }
                Ok((d, l, h)) => {
                    chart.draw_series(std::iter::once(ErrorBar::new_horizontal(
                        mk.y,
                        l,
                        d,
                        h,
                        col.stroke_width(2),
                        8,
                    )))?;
                    chart.draw_series(std::iter::once(Circle::new(
                        (d, mk.y),
                        5,
                        WHITE.filled(),
                    )))?;
                    let marker = if mk.detected {
                        col.filled()
                    } else {
                        col.stroke_width(2)
                    };
                    chart.draw_series(std::iter::once(Circle::new((d, mk.y), 5, marker)))?;
                }
                Err(why) => {
                    let (px, py) = chart.backend_coord(&(lo, mk.y));
                    root.draw(&Text::new(
                        tr(lang, why),
                        (px + 8, py),
                        text(14, &col, HPos::Left),
                    ))?;
                }
            }
        }
        for (k, (label, &(x, row))) in legend.iter().zip(&slots).enumerate() {
            let y = chart_h as i32 + 10 + 22 * row + 8;
            if k < m {
                root.draw(&PathElement::new(
                    vec![(x, y), (x + 26, y)],
                    colour(k + 1).stroke_width(2),
                ))?;
                root.draw(&Circle::new((x + 13, y), 5, colour(k + 1).filled()))?;
            } else if k == m {
                root.draw(&Circle::new((x + 13, y), 5, GREY.filled()))?;
            } else if k == m + 1 {
                root.draw(&Circle::new((x + 13, y), 5, GREY.stroke_width(2)))?;
            }
            let tx = if k >= m + 2 { x } else { x + 34 };
            root.draw(&Text::new(
                label.clone(),
                (tx, y),
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

    #[test]
    fn forest_names_every_indicator_and_clips_outliers() {
        let mut c = comparison();
        let svg = forest_svg(&c, Lang::En);
        for row in &c.indicators {
            assert!(svg.contains(&row.meta.label), "{}", row.meta.label);
        }
        assert!(svg.contains("n/a: no interval"), "trust has no interval");
        assert!(!svg.contains("runs off the axis"));
        // In Chinese: title, axis, legend and the reason, no English sentence left.
        let zh = forest_svg(&c, Lang::ZhCn);
        for text in [
            "不适用：没有区间",
            "实心：区间不含 0",
            "空心：区间含 0",
            "越高越好",
            "占其均值的百分比",
        ] {
            assert!(zh.contains(text), "{text}");
        }
        for text in [
            "no interval",
            "filled",
            "hollow",
            "higher is better",
            "of its mean",
        ] {
            assert!(!zh.contains(text), "{text}");
        }
        // A reference mean near 0 makes one difference enormous in %: it is clipped, not
        // allowed to squash the rest.
        c.indicators[2].by_option[0].mean = 0.01;
        let svg = forest_svg(&c, Lang::En);
        assert!(svg.contains("runs off the axis"), "{svg}");
        assert!(svg.contains("-21,000% (-30,000..-12,000)"), "{svg}");
    }
}
