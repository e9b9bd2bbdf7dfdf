//! Inline SVG horizontal bar charts for report.html: no scripts, no external resources.

use std::fmt::Write;

use crate::numfmt::fmt_number;

pub struct Series<'a> {
    pub name: &'a str,
    pub color: &'a str,
}

/// One labelled group of bars, one bar per series (`None`: not measured).
pub struct Row {
    pub label: String,
    pub values: Vec<Option<f64>>,
    /// Vertical reference lines across this row, such as a limit or a goal.
    pub markers: Vec<Marker>,
}

pub struct Marker {
    pub value: f64,
    pub label: String,
    pub color: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Linear,
    /// For values that span decades (native ms vs fallback seconds).
    Log10,
}

const WIDTH: f64 = 820.0;
const LABEL_W: f64 = 260.0;
const PLOT_W: f64 = 440.0;
const BAR_H: f64 = 14.0;
const ROW_GAP: f64 = 12.0;
const TOP: f64 = 44.0;
const AXIS_H: f64 = 26.0;

struct Axis {
    scale: Scale,
    lo: f64,
    hi: f64,
}

impl Axis {
    fn new(scale: Scale, values: &[f64]) -> Axis {
        let positive: Vec<f64> = values
            .iter()
            .copied()
            .filter(|v| v.is_finite() && *v > 0.0)
            .collect();
        let max = positive.iter().copied().fold(0.0, f64::max);
        match scale {
            Scale::Linear => Axis {
                scale,
                lo: 0.0,
                hi: nice_ceiling(if max > 0.0 { max * 1.05 } else { 1.0 }),
            },
            Scale::Log10 => {
                let min = positive.iter().copied().fold(f64::INFINITY, f64::min);
                let (lo, hi) = if positive.is_empty() {
                    (0.0, 1.0)
                } else {
                    (
                        min.log10().floor(),
                        max.log10().ceil().max(min.log10().floor() + 1.0),
                    )
                };
                Axis { scale, lo, hi }
            }
        }
    }

    /// x offset inside the plot area, clamped to it.
    fn x(&self, value: f64) -> f64 {
        let t = match self.scale {
            Scale::Linear => value / self.hi,
            Scale::Log10 if value > 0.0 => (value.log10() - self.lo) / (self.hi - self.lo),
            Scale::Log10 => 0.0,
        };
        t.clamp(0.0, 1.0) * PLOT_W
    }

    fn ticks(&self) -> Vec<f64> {
        match self.scale {
            Scale::Linear => {
                // 1-, 2- or 5-led maxima divide evenly into 5, 4 and 5 steps.
                let leading = (self.hi / 10f64.powf(self.hi.log10().floor())).round();
                let steps = if leading == 2.0 { 4 } else { 5 };
                (0..=steps)
                    .map(|i| self.hi * f64::from(i) / f64::from(steps))
                    .collect()
            }
            Scale::Log10 => {
                let (lo, hi) = (self.lo as i32, self.hi as i32);
                (lo..=hi).map(|e| 10f64.powi(e)).collect()
            }
        }
    }
}

/// The smallest of 1, 2, 5 times a power of ten that is >= `value`.
fn nice_ceiling(value: f64) -> f64 {
    let magnitude = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|v| *v >= value)
        .unwrap_or(10.0 * magnitude)
}

pub fn horizontal_bars(
    title: &str,
    unit: &str,
    series: &[Series<'_>],
    rows: &[Row],
    scale: Scale,
) -> String {
    let mut all: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.values.iter().flatten().copied())
        .collect();
    all.extend(rows.iter().flat_map(|r| r.markers.iter().map(|m| m.value)));
    let axis = Axis::new(scale, &all);
    let group_h = series.len() as f64 * BAR_H + ROW_GAP;
    let height = TOP + rows.len() as f64 * group_h + AXIS_H;
    let scale_note = if scale == Scale::Log10 {
        ", log scale"
    } else {
        ""
    };

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{t}">"#,
        t = escape(title)
    );
    let _ = write!(
        s,
        r#"<text x="0" y="16" class="title">{} ({}{scale_note})</text>"#,
        escape(title),
        escape(unit)
    );
    for (i, se) in series.iter().enumerate() {
        let x = LABEL_W + i as f64 * 150.0;
        let _ = write!(
            s,
            r#"<rect x="{x}" y="26" width="12" height="10" fill="{}"/><text x="{}" y="35" class="legend">{}</text>"#,
            se.color,
            x + 16.0,
            escape(se.name)
        );
    }
    let plot_bottom = TOP + rows.len() as f64 * group_h;
    for tick in axis.ticks() {
        let x = LABEL_W + axis.x(tick);
        let _ = write!(
            s,
            r#"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{plot_bottom}" class="grid"/><text x="{x:.1}" y="{:.1}" class="tick">{}</text>"#,
            plot_bottom + 16.0,
            fmt_number(tick)
        );
    }
    for (r, row) in rows.iter().enumerate() {
        let y0 = TOP + r as f64 * group_h;
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" class="label">{}</text>"#,
            LABEL_W - 8.0,
            y0 + series.len() as f64 * BAR_H / 2.0 + 4.0,
            escape(&row.label)
        );
        for (i, se) in series.iter().enumerate() {
            let y = y0 + i as f64 * BAR_H;
            match row.values.get(i).copied().flatten() {
                Some(v) => {
                    let w = axis.x(v).max(1.0);
                    let _ = write!(
                        s,
                        r#"<rect x="{LABEL_W}" y="{y:.1}" width="{w:.1}" height="{:.1}" fill="{}"><title>{}: {}</title></rect><text x="{:.1}" y="{:.1}" class="value">{}{}</text>"#,
                        BAR_H - 2.0,
                        se.color,
                        escape(se.name),
                        fmt_number(v),
                        LABEL_W + w + 4.0,
                        y + BAR_H - 4.0,
                        fmt_number(v),
                        if unit == "x" {
                            "x".to_string()
                        } else {
                            format!(" {}", escape(unit))
                        }
                    );
                }
                None => {
                    let _ = write!(
                        s,
                        r#"<text x="{}" y="{:.1}" class="value">not measured</text>"#,
                        LABEL_W + 4.0,
                        y + BAR_H - 4.0
                    );
                }
            }
        }
        for m in &row.markers {
            let x = LABEL_W + axis.x(m.value);
            let _ = write!(
                s,
                r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{}" stroke-width="2" stroke-dasharray="4 2"><title>{}</title></line>"#,
                y0 - 2.0,
                y0 + series.len() as f64 * BAR_H,
                m.color,
                escape(&m.label)
            );
        }
    }
    s.push_str("</svg>");
    s
}

pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ceilings() {
        assert_eq!(nice_ceiling(3.2), 5.0);
        assert_eq!(nice_ceiling(47.0), 50.0);
        assert_eq!(nice_ceiling(100.0), 100.0);
    }

    #[test]
    fn log_axis_spans_whole_decades_and_orders_values() {
        let axis = Axis::new(Scale::Log10, &[0.3, 4500.0]);
        assert_eq!((axis.lo, axis.hi), (-1.0, 4.0));
        assert!(axis.x(0.3) < axis.x(3.0) && axis.x(3.0) < axis.x(4500.0));
        assert_eq!(axis.x(1e9), PLOT_W);
    }

    #[test]
    fn chart_is_plain_svg_with_escaped_labels() {
        let rows = vec![Row {
            label: "a<b".into(),
            values: vec![Some(2.0), None],
            markers: vec![Marker {
                value: 3.0,
                label: "limit".into(),
                color: "#c00",
            }],
        }];
        let series = [
            Series {
                name: "native",
                color: "#1b7",
            },
            Series {
                name: "fallback",
                color: "#888",
            },
        ];
        let svg = horizontal_bars("t", "ms", &series, &rows, Scale::Linear);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("a&lt;b") && !svg.contains("a<b"));
        assert!(svg.contains("not measured"));
        assert!(!svg.contains("<script"));
    }
}
