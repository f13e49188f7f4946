//! Charts drawn on the server as SVG (no script, no external library): a
//! line chart of a few daily series and a bar chart of labelled values.
//! Each is decorative for screen readers (`aria-hidden`): the page puts
//! the same numbers in a table next to it. Only numbers and our own
//! escaped labels go in.

use std::fmt::Write;

use crate::avatar::escape;

const WIDTH: i64 = 640;
const HEIGHT: i64 = 220;
const LEFT: i64 = 44;
const RIGHT: i64 = 12;
const TOP: i64 = 12;
const BOTTOM: i64 = 28;

/// Colours that stay apart for the common colour-vision deficiencies
/// (Okabe–Ito).
pub const COLOURS: [&str; 4] = ["#0072b2", "#d55e00", "#009e73", "#cc79a7"];

/// A round upper bound for an axis: 1, 2 or 5 times a power of ten.
fn nice_max(max: i64) -> i64 {
    let max = max.max(1);
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= max {
                return m * step;
            }
        }
        step *= 10;
    }
}

fn frame(out: &mut String, top: i64, digits: &dyn Fn(i64) -> String) {
    let plot_h = HEIGHT - TOP - BOTTOM;
    for i in 0..=4 {
        let y = TOP + plot_h - plot_h * i / 4;
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#d4d4d8\" stroke-width=\"1\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#52525b\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 6,
            y + 4,
            escape(&digits(top * i / 4))
        );
    }
}

fn open(out: &mut String) {
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" aria-hidden=\"true\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
}

/// Lines for `series` (label, values — one per x position), with the first
/// and last `x_labels` under the axis. `digits` writes numbers in the
/// page's language.
pub fn lines(
    series: &[(String, Vec<i64>)],
    x_labels: &[String],
    digits: &dyn Fn(i64) -> String,
) -> String {
    let points = series.iter().map(|s| s.1.len()).max().unwrap_or(0);
    let top = nice_max(
        series
            .iter()
            .flat_map(|s| s.1.iter().copied())
            .max()
            .unwrap_or(0),
    );
    let mut out = String::new();
    open(&mut out);
    frame(&mut out, top, digits);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |i: usize| {
        if points <= 1 {
            LEFT + plot_w / 2
        } else {
            LEFT + plot_w * i as i64 / (points as i64 - 1)
        }
    };
    let y = |v: i64| TOP + plot_h - plot_h * v.max(0) / top;
    for (n, (_, values)) in series.iter().enumerate() {
        let colour = COLOURS[n % COLOURS.len()];
        let path: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{},{}", x(i), y(*v)))
            .collect();
        let dash = if n % 2 == 1 {
            " stroke-dasharray=\"6 3\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash} points=\"{}\"/>",
            path.join(" ")
        );
    }
    if let (Some(first), Some(last)) = (x_labels.first(), x_labels.last()) {
        let _ = write!(
            out,
            "<text x=\"{LEFT}\" y=\"{}\" font-size=\"11\" fill=\"#52525b\">{}</text>\
             <text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#52525b\">{}</text>",
            HEIGHT - 8,
            escape(first),
            WIDTH - RIGHT,
            HEIGHT - 8,
            escape(last)
        );
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per (label, value).
pub fn bars(items: &[(String, i64)], digits: &dyn Fn(i64) -> String) -> String {
    let top = nice_max(items.iter().map(|i| i.1).max().unwrap_or(0));
    let row = 26;
    let label_w = 200;
    let height = row * items.len().max(1) as i64 + 8;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" aria-hidden=\"true\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let plot_w = WIDTH - label_w - 60;
    for (i, (label, value)) in items.iter().enumerate() {
        let y = 4 + row * i as i64;
        let w = plot_w * value.max(&0) / top;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\" fill=\"#27272a\">{}</text>\
             <rect x=\"{label_w}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"{}\" rx=\"2\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#27272a\">{}</text>",
            label_w - 8,
            y + 16,
            escape(label),
            y + 3,
            row - 8,
            COLOURS[i % COLOURS.len()],
            label_w + w + 6,
            y + 16,
            escape(&digits(*value))
        );
    }
    out.push_str("</svg>");
    out
}

/// Horizontal stacked bars: per (label, parts) one bar whose parts take
/// the colours in order, with the total after it.
pub fn stacked(rows: &[(String, Vec<i64>)], digits: &dyn Fn(i64) -> String) -> String {
    let total = |parts: &[i64]| parts.iter().map(|v| (*v).max(0)).sum::<i64>();
    let top = nice_max(rows.iter().map(|r| total(&r.1)).max().unwrap_or(0));
    let row = 26;
    let label_w = 200;
    let height = row * rows.len().max(1) as i64 + 8;
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" aria-hidden=\"true\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    let plot_w = WIDTH - label_w - 60;
    for (i, (label, parts)) in rows.iter().enumerate() {
        let y = 4 + row * i as i64;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\" fill=\"#27272a\">{}</text>",
            label_w - 8,
            y + 16,
            escape(label)
        );
        let mut x = label_w;
        for (n, v) in parts.iter().enumerate() {
            let w = plot_w * v.max(&0) / top;
            if w > 0 {
                let _ = write!(
                    out,
                    "<rect x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{}\" fill=\"{}\"/>",
                    y + 3,
                    row - 8,
                    COLOURS[n % COLOURS.len()]
                );
            }
            x += w;
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"#27272a\">{}</text>",
            x + 6,
            y + 16,
            escape(&digits(total(parts)))
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(n: i64) -> String {
        n.to_string()
    }

    #[test]
    fn axes_round_up() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(17), 20);
        assert_eq!(nice_max(101), 200);
    }

    #[test]
    fn lines_scale_to_the_largest_value() {
        let svg = lines(
            &[("a".into(), vec![0, 5, 10]), ("b".into(), vec![10, 0, 0])],
            &["1 Nov".into(), "3 Nov".into()],
            &plain,
        );
        assert!(svg.starts_with("<svg class=\"chart\""));
        assert!(svg.contains("aria-hidden=\"true\""));
        assert_eq!(svg.matches("<polyline").count(), 2);
        // 10 is the top: y = TOP; 0 the bottom: y = HEIGHT - BOTTOM.
        assert!(svg.contains(&format!("{LEFT},{}", HEIGHT - BOTTOM)));
        assert!(svg.contains(&format!("{},{TOP}", WIDTH - RIGHT)));
        assert!(svg.contains(">3 Nov</text>"));
    }

    #[test]
    fn bars_escape_labels() {
        let svg = bars(&[("<b>urgent</b>".into(), 3), ("low".into(), 0)], &plain);
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("&lt;b&gt;urgent"));
        assert_eq!(svg.matches("<rect").count(), 2);
    }

    #[test]
    fn stacked_bars_share_one_scale() {
        let svg = stacked(
            &[
                ("urgent".into(), vec![3, 1, 0]),
                ("low".into(), vec![0, 0, 2]),
            ],
            &plain,
        );
        // Two parts drawn in the first bar, one in the second; totals 4, 2.
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains(">4</text>") && svg.contains(">2</text>"));
        // 4 of a top of 5: the first bar's parts span 4/5 of the plot.
        let plot_w = WIDTH - 200 - 60;
        assert!(svg.contains(&format!("width=\"{}\"", plot_w * 3 / 5)));
    }
}
