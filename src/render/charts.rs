//! Inline SVG charts for the dashboard and roadmap: no JavaScript, colours from CSS classes.
//!
//! Every chart is a self-contained `<svg>` element that is valid inside HTML5: it has a
//! `viewBox`, `width="100%"`, `role="img"`, an `aria-label` and a `<title>` that describe the
//! numbers in words, and no `id` attributes (so two charts on one page never clash). Colours
//! come only from CSS classes (`chart-*`) defined in the theme's `style.css`, so dark mode works.
//! Numbers are written with a fixed precision, so the output is deterministic.

use std::fmt::Write as _;

use crate::escape::html as escape;
use crate::model::item::Split;

/// Width of every chart's coordinate system.
const WIDTH: f64 = 480.0;
/// Height of one bar.
const BAR_H: f64 = 22.0;

/// Two horizontal stacked bars (Target and Actual), each with its percentages as text.
///
/// `actual` is `None` when no effort is planned yet; the Actual bar is then drawn empty with a
/// text saying so.
pub(crate) fn balance(target: &Split, actual: Option<&Split>) -> String {
    let row_h = 58.0;
    let legend_h = 26.0;
    let height = row_h * 2.0 + legend_h;
    let description = match actual {
        Some(a) => format!(
            "Effort balance. Target: {} immediate, {} future. Actual: {} immediate, {} future.",
            pct(clamp_pct(target.immediate)),
            pct(clamp_pct(target.future)),
            pct(clamp_pct(a.immediate)),
            pct(clamp_pct(a.future))
        ),
        None => format!(
            "Effort balance. Target: {} immediate, {} future. Actual: no effort planned yet.",
            pct(clamp_pct(target.immediate)),
            pct(clamp_pct(target.future))
        ),
    };
    let mut svg = open_svg("chart chart-balance", height, &description);
    stacked_row(&mut svg, 0.0, "Target", Some(target));
    stacked_row(&mut svg, row_h, "Actual", actual);
    // Legend: swatch + words, so the meaning never depends on colour alone.
    let y = row_h * 2.0 + 4.0;
    let _ = write!(
        svg,
        r#"<g class="chart-legend"><rect class="chart-immediate" x="0.00" y="{y}" width="12.00" height="12.00" rx="2.00"/><text class="chart-text" x="18.00" y="{ty}">Immediate</text><rect class="chart-future" x="130.00" y="{y}" width="12.00" height="12.00" rx="2.00"/><text class="chart-text" x="148.00" y="{ty}">Future</text></g>"#,
        y = num(y),
        ty = num(y + 11.0),
    );
    svg.push_str("</svg>");
    svg
}

/// One "label + numbers" line above one stacked bar.
fn stacked_row(svg: &mut String, top: f64, label: &str, split: Option<&Split>) {
    let text_y = top + 16.0;
    let bar_y = top + 24.0;
    let _ = write!(
        svg,
        r#"<g class="chart-row"><text class="chart-text chart-strong" x="0.00" y="{}">{}</text>"#,
        num(text_y),
        escape(label)
    );
    match split {
        Some(s) => {
            let (imm, fut) = normalise(s);
            let _ = write!(
                svg,
                r#"<text class="chart-text" x="{}" y="{}" text-anchor="end">{} immediate · {} future</text>"#,
                num(WIDTH),
                num(text_y),
                pct(clamp_pct(s.immediate)),
                pct(clamp_pct(s.future))
            );
            let _ = write!(
                svg,
                r#"<rect class="chart-track" x="0.00" y="{y}" width="{w}" height="{h}" rx="3.00"/>"#,
                y = num(bar_y),
                w = num(WIDTH),
                h = num(BAR_H)
            );
            let imm_w = WIDTH * imm / 100.0;
            let fut_w = WIDTH * fut / 100.0;
            if imm_w > 0.0 {
                let _ = write!(
                    svg,
                    r#"<rect class="chart-immediate" x="0.00" y="{}" width="{}" height="{}"/>"#,
                    num(bar_y),
                    num(imm_w),
                    num(BAR_H)
                );
            }
            if fut_w > 0.0 {
                let _ = write!(
                    svg,
                    r#"<rect class="chart-future" x="{}" y="{}" width="{}" height="{}"/>"#,
                    num(imm_w),
                    num(bar_y),
                    num(fut_w),
                    num(BAR_H)
                );
            }
        }
        None => {
            let _ = write!(
                svg,
                r#"<text class="chart-text chart-muted" x="{}" y="{}" text-anchor="end">no effort planned yet</text><rect class="chart-track" x="0.00" y="{}" width="{}" height="{}" rx="3.00"/>"#,
                num(WIDTH),
                num(text_y),
                num(bar_y),
                num(WIDTH),
                num(BAR_H)
            );
        }
    }
    svg.push_str("</g>");
}

/// The validation funnel: one horizontal bar per stage, its count written next to it.
///
/// Each bar gets the class `chart-stage chart-<slug of the label>` (e.g. `chart-validated`),
/// so the stylesheet can colour it.
pub(crate) fn funnel(stages: &[(&str, usize)]) -> String {
    let row_h = 34.0;
    let label_w = 130.0;
    let count_w = 44.0;
    let bar_max = WIDTH - label_w - count_w;
    let height = (row_h * stages.len() as f64).max(row_h);
    let total: usize = stages.iter().map(|(_, n)| n).sum();
    let max = stages.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let parts: Vec<String> = stages.iter().map(|(label, n)| format!("{label} {n}")).collect();
    let description = if stages.is_empty() {
        "Validation funnel: no solutions yet.".to_string()
    } else {
        format!("Validation funnel of {total} solution{}: {}.", if total == 1 { "" } else { "s" }, parts.join(", "))
    };
    let mut svg = open_svg("chart chart-funnel", height, &description);
    if stages.is_empty() {
        let _ = write!(
            svg,
            r#"<text class="chart-text chart-muted" x="0.00" y="{}">No solutions yet</text>"#,
            num(row_h / 2.0 + 5.0)
        );
    }
    for (i, (label, count)) in stages.iter().enumerate() {
        let top = row_h * i as f64;
        let bar_y = top + (row_h - BAR_H) / 2.0;
        let text_y = bar_y + BAR_H / 2.0 + 5.0;
        let w = if max == 0 { 0.0 } else { bar_max * (*count as f64) / (max as f64) };
        let _ = write!(
            svg,
            r#"<g class="chart-row"><text class="chart-text" x="0.00" y="{ty}">{label}</text><rect class="chart-track" x="{lx}" y="{by}" width="{bm}" height="{bh}" rx="3.00"/>"#,
            ty = num(text_y),
            label = escape(label),
            lx = num(label_w),
            by = num(bar_y),
            bm = num(bar_max),
            bh = num(BAR_H),
        );
        if w > 0.0 {
            let _ = write!(
                svg,
                r#"<rect class="chart-stage chart-{slug}" x="{lx}" y="{by}" width="{w}" height="{bh}" rx="3.00"/>"#,
                slug = slug(label),
                lx = num(label_w),
                by = num(bar_y),
                w = num(w),
                bh = num(BAR_H),
            );
        }
        let _ = write!(
            svg,
            r#"<text class="chart-text chart-strong" x="{}" y="{}">{}</text></g>"#,
            num(label_w + w + 8.0),
            num(text_y),
            count
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Labelled stacked bars, one per row (`Then`, `Now`, `Target`...), with a
/// legend: the 70/30 split at two moments against the target. `description`
/// is the chart's accessible name.
pub(crate) fn splits(rows: &[(&str, Option<&Split>)], description: &str) -> String {
    let row_h = 58.0;
    let legend_y = row_h * rows.len() as f64 + 4.0;
    let mut svg = open_svg("chart chart-balance", legend_y + 22.0, description);
    for (i, (label, split)) in rows.iter().enumerate() {
        stacked_row(&mut svg, row_h * i as f64, label, *split);
    }
    let _ = write!(
        svg,
        r#"<g class="chart-legend"><rect class="chart-immediate" x="0.00" y="{y}" width="12.00" height="12.00" rx="2.00"/><text class="chart-text" x="18.00" y="{ty}">Immediate</text><rect class="chart-future" x="130.00" y="{y}" width="12.00" height="12.00" rx="2.00"/><text class="chart-text" x="148.00" y="{ty}">Future</text></g>"#,
        y = num(legend_y),
        ty = num(legend_y + 11.0),
    );
    svg.push_str("</svg>");
    svg
}

/// One point of a line over time: its name and its value (a percentage),
/// `None` where there is nothing to show (the line breaks there).
pub(crate) struct Point<'a> {
    pub name: &'a str,
    pub value: Option<f64>,
}

/// The immediate share of planned work per state as a line, the states
/// evenly spaced left to right (oldest first), against a dashed line at the
/// target and a shaded band of `tolerance` either side of it. Names are
/// written under the points, every other one a line lower so long names do
/// not run into each other, when there are at most six (else the first and
/// the last); each point's `<title>` has its name and value.
pub(crate) fn split_over_time(target: f64, tolerance: f64, points: &[Point]) -> String {
    let (left, right, top, bottom) = (44.0, WIDTH - 12.0, 10.0, 150.0);
    let y_of = |v: f64| bottom - (bottom - top) * clamp_pct(v) / 100.0;
    let x_of = |i: usize| match points.len() {
        0 | 1 => (left + right) / 2.0,
        n => left + (right - left) * i as f64 / (n - 1) as f64,
    };
    let words: Vec<String> = points
        .iter()
        .map(|p| match p.value {
            Some(v) => format!("{} {}", p.name, pct(clamp_pct(v))),
            None => format!("{} nothing planned", p.name),
        })
        .collect();
    let description = format!(
        "Immediate share of planned effort per review, target {} ± {}: {}.",
        pct(clamp_pct(target)),
        pct(clamp_pct(tolerance)),
        words.join(", ")
    );
    let mut svg = open_svg("chart chart-time", bottom + 54.0, &description);
    let (band_top, band_bottom) = (y_of(target + tolerance), y_of(target - tolerance));
    let _ = write!(
        svg,
        r#"<rect class="chart-band" x="{left}" y="{}" width="{}" height="{}"/>"#,
        num(band_top),
        num(right - left),
        num(band_bottom - band_top),
        left = num(left),
    );
    for tick in [0.0, 50.0, 100.0] {
        let y = y_of(tick);
        let _ = write!(
            svg,
            r#"<line class="chart-grid" x1="{l}" y1="{y}" x2="{r}" y2="{y}"/><text class="chart-text chart-muted" x="{tx}" y="{ty}" text-anchor="end">{}</text>"#,
            pct(tick),
            l = num(left),
            r = num(right),
            y = num(y),
            tx = num(left - 6.0),
            ty = num(y + 5.0),
        );
    }
    let ty = y_of(target);
    let _ = write!(
        svg,
        r#"<line class="chart-target" x1="{}" y1="{y}" x2="{}" y2="{y}"/>"#,
        num(left),
        num(right),
        y = num(ty)
    );
    // One polyline per run of points with a value: a state with nothing planned breaks the line.
    for run in points.iter().enumerate().collect::<Vec<_>>().split(|(_, p)| p.value.is_none()) {
        if run.len() > 1 {
            let coords: Vec<String> =
                run.iter().map(|(i, p)| format!("{},{}", num(x_of(*i)), num(y_of(p.value.unwrap_or(0.0))))).collect();
            let _ = write!(svg, r#"<polyline class="chart-line" points="{}"/>"#, coords.join(" "));
        }
    }
    let labelled = |i: usize| points.len() <= 6 || i == 0 || i + 1 == points.len();
    for (i, (p, words)) in points.iter().zip(&words).enumerate() {
        let x = x_of(i);
        if let Some(v) = p.value {
            let _ = write!(
                svg,
                r#"<circle class="chart-point" cx="{}" cy="{}" r="5.00"><title>{}</title></circle>"#,
                num(x),
                num(y_of(v)),
                escape(words)
            );
        }
        if labelled(i) {
            let anchor = match i {
                _ if points.len() == 1 => "middle",
                0 => "start",
                _ if i + 1 == points.len() => "end",
                _ => "middle",
            };
            let _ = write!(
                svg,
                r#"<text class="chart-text" x="{}" y="{}" text-anchor="{anchor}">{}</text>"#,
                num(if anchor == "start" {
                    x - 5.0
                } else if anchor == "end" {
                    x + 5.0
                } else {
                    x
                }),
                num(bottom + if i % 2 == 1 { 46.0 } else { 24.0 }),
                escape(p.name)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The validation funnel per state: one stacked bar per state (oldest
/// first), a segment per stage (`stages` names them, in order; each row's
/// counts are in that order), the state's name and its total written above
/// the bar, and a legend.
pub(crate) fn funnel_over_time(stages: &[&str], rows: &[(&str, Vec<usize>)]) -> String {
    let row_h = 58.0;
    let legend_y = row_h * rows.len() as f64 + 4.0;
    let parts: Vec<String> = rows
        .iter()
        .map(|(name, counts)| {
            let each: Vec<String> =
                stages.iter().zip(counts).map(|(s, n)| format!("{n} {}", s.to_lowercase())).collect();
            format!("{name}: {}", each.join(", "))
        })
        .collect();
    let description = format!("Validation funnel per review. {}.", parts.join("; "));
    // The legend takes a line per three stages.
    let legend_rows = stages.len().div_ceil(3).max(1) as f64;
    let mut svg = open_svg("chart chart-funnel-time", legend_y + 22.0 * legend_rows, &description);
    for (i, (name, counts)) in rows.iter().enumerate() {
        let top = row_h * i as f64;
        let total: usize = counts.iter().sum();
        let _ = write!(
            svg,
            r#"<g class="chart-row"><text class="chart-text chart-strong" x="0.00" y="{ty}">{}</text><text class="chart-text" x="{w}" y="{ty}" text-anchor="end">{total} solution{}</text><rect class="chart-track" x="0.00" y="{by}" width="{w}" height="{bh}" rx="3.00"/>"#,
            escape(name),
            if total == 1 { "" } else { "s" },
            ty = num(top + 20.0),
            w = num(WIDTH),
            by = num(top + 28.0),
            bh = num(BAR_H),
        );
        let mut x = 0.0;
        for (stage, &n) in stages.iter().zip(counts) {
            if n == 0 || total == 0 {
                continue;
            }
            let w = WIDTH * n as f64 / total as f64;
            let _ = write!(
                svg,
                r#"<rect class="chart-stage chart-{}" x="{}" y="{}" width="{}" height="{}"><title>{} {}</title></rect>"#,
                slug(stage),
                num(x),
                num(top + 28.0),
                num(w),
                num(BAR_H),
                n,
                escape(stage)
            );
            x += w;
        }
        svg.push_str("</g>");
    }
    svg.push_str(r#"<g class="chart-legend">"#);
    for (i, stage) in stages.iter().enumerate() {
        let (x, y) = (160.0 * (i % 3) as f64, legend_y + 22.0 * (i / 3) as f64);
        let _ = write!(
            svg,
            r#"<rect class="chart-stage chart-{}" x="{}" y="{}" width="12.00" height="12.00" rx="2.00"/><text class="chart-text" x="{}" y="{}">{}</text>"#,
            slug(stage),
            num(x),
            num(y),
            num(x + 18.0),
            num(y + 11.0),
            escape(stage)
        );
    }
    svg.push_str("</g></svg>");
    svg
}

/// The opening `<svg>` tag with its accessible name and `<title>`.
fn open_svg(class: &str, height: f64, description: &str) -> String {
    let d = escape(description);
    format!(
        r#"<svg class="{class}" viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-label="{d}" xmlns="http://www.w3.org/2000/svg"><title>{d}</title>"#,
        w = num(WIDTH),
        h = num(height),
    )
}

/// Clamps a percentage into 0..=100; anything not finite counts as 0.
fn clamp_pct(v: f64) -> f64 {
    if v.is_finite() { v.clamp(0.0, 100.0) } else { 0.0 }
}

/// Scales a split so its two parts fill exactly 100% (for drawing only).
fn normalise(s: &Split) -> (f64, f64) {
    let imm = clamp_pct(s.immediate);
    let fut = clamp_pct(s.future);
    let sum = imm + fut;
    if sum <= 0.0 { (0.0, 0.0) } else { (imm * 100.0 / sum, fut * 100.0 / sum) }
}

/// A coordinate with two decimals.
fn num(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    // Avoid "-0.00".
    let s = format!("{v:.2}");
    if s == "-0.00" { "0.00".to_string() } else { s }
}

/// A percentage with at most one decimal: `70%`, `66.7%`.
fn pct(v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).to_string();
    let s = if s == "-0" { "0".to_string() } else { s };
    format!("{s}%")
}

/// Lowercase ASCII letters and digits, anything else becomes `-`.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// One point of an SLA's sparkline: the state it is from (a review, or
/// "now"), the SLA's level then, the level expected then, and whether it was
/// met (the model's rule, [`crate::model::Better::is_met`]).
pub(crate) struct Level<'a> {
    pub label: &'a str,
    pub value: f64,
    pub expected: f64,
    pub met: bool,
}

/// Size of a sparkline's coordinate system, and the room kept around its points.
const SPARK_W: f64 = 120.0;
const SPARK_H: f64 = 36.0;
const SPARK_PAD: f64 = 4.0;

/// An SLA's level over time as a small line: the levels, the expected level
/// as a dashed line, a dot per state and the last one larger, classed
/// `spark-met` or `spark-missed`. Its `<title>` names it, its `<desc>` lists
/// every point in words, and `data-points` holds the levels. `better` is the
/// direction in words (`lower`, `higher`).
pub(crate) fn sparkline(name: &str, points: &[Level], unit: Option<&str>, better: &str) -> String {
    let text = |v: f64| super::view::with_unit(v, unit);
    let listed: Vec<String> = points.iter().map(|p| format!("{}: {}", p.label, text(p.value))).collect();
    let title = format!("{name} over time");
    let verdict = match points.last() {
        Some(last) => format!(
            " Expected {}, {better} is better: {}.",
            text(last.expected),
            if last.met { "met" } else { "missed" }
        ),
        None => String::new(),
    };
    let desc = format!("{}.{verdict}", if listed.is_empty() { "No levels".to_string() } else { listed.join("; ") });
    let data = |f: fn(&Level) -> f64| points.iter().map(|p| super::view::number(f(p))).collect::<Vec<_>>().join(" ");
    let mut svg = format!(
        r#"<svg class="sparkline" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{label}" data-points="{points}" data-expected="{expected}" xmlns="http://www.w3.org/2000/svg"><title>{title}</title><desc>{desc}</desc>"#,
        w = num(SPARK_W),
        h = num(SPARK_H),
        label = escape(&format!("{title}: {desc}")),
        points = data(|p| p.value),
        expected = data(|p| p.expected),
        title = escape(&title),
        desc = escape(&desc),
    );
    let at = spark_scale(points);
    let line = |f: fn(&Level) -> f64| {
        let xy: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| at(i, f(p)))
            .map(|(x, y)| format!("{},{}", num(x), num(y)))
            .collect();
        xy.join(" ")
    };
    let _ =
        write!(svg, r#"<polyline class="spark-expected" stroke-dasharray="4 3" points="{}"/>"#, line(|p| p.expected));
    if points.len() > 1 {
        let _ = write!(svg, r#"<polyline class="spark-line" points="{}"/>"#, line(|p| p.value));
    }
    for (i, p) in points.iter().enumerate() {
        let (x, y) = at(i, p.value);
        let last = i + 1 == points.len();
        let class = match (last, p.met) {
            (false, _) => "spark-point",
            (true, true) => "spark-last spark-met",
            (true, false) => "spark-last spark-missed",
        };
        let r = if last { 3.0 } else { 1.75 };
        let _ = write!(svg, r#"<circle class="{class}" cx="{}" cy="{}" r="{}"/>"#, num(x), num(y), num(r));
    }
    svg.push_str("</svg>");
    svg
}

/// Where point `i` of `points` with value `v` goes: evenly apart from left
/// to right (one point in the middle), the levels and expected levels
/// spread over the height, higher values higher.
fn spark_scale(points: &[Level]) -> impl Fn(usize, f64) -> (f64, f64) {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let values = points.iter().flat_map(|p| [finite(p.value), finite(p.expected)]);
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo >= hi || !lo.is_finite() {
        // One level (or none): draw it across the middle.
        (lo, hi) = if lo.is_finite() { (lo - 1.0, lo + 1.0) } else { (0.0, 1.0) };
    }
    let n = points.len();
    move |i, v| {
        let x = if n > 1 { SPARK_PAD + (SPARK_W - 2.0 * SPARK_PAD) * i as f64 / (n - 1) as f64 } else { SPARK_W / 2.0 };
        let y = SPARK_PAD + (SPARK_H - 2.0 * SPARK_PAD) * (hi - finite(v)) / (hi - lo);
        (x, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    #[test]
    fn balance_describes_both_bars_in_words() {
        let svg = balance(&Split { immediate: 70.0, future: 30.0 }, Some(&Split { immediate: 85.5, future: 14.5 }));
        assert!(svg.starts_with("<svg class=\"chart chart-balance\""));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"width="100%""#));
        assert!(svg.contains(r#"viewBox="0 0 480.00 142.00""#));
        let words = "Effort balance. Target: 70% immediate, 30% future. Actual: 85.5% immediate, 14.5% future.";
        assert!(svg.contains(&format!("aria-label=\"{words}\"")));
        assert!(svg.contains(&format!("<title>{words}</title>")));
        assert!(svg.contains("70% immediate · 30% future"));
        assert!(svg.contains("85.5% immediate · 14.5% future"));
        // Target: 70% of 480 = 336; actual: 85.5% of 480 = 410.4.
        assert!(svg.contains(r#"<rect class="chart-immediate" x="0.00" y="24.00" width="336.00""#));
        assert!(svg.contains(r#"<rect class="chart-future" x="336.00" y="24.00" width="144.00""#));
        assert!(svg.contains(r#"<rect class="chart-immediate" x="0.00" y="82.00" width="410.40""#));
        assert!(svg.contains(r#"<rect class="chart-future" x="410.40" y="82.00" width="69.60""#));
        // No inline colours and no ids that could clash.
        assert!(!svg.contains("fill="));
        assert!(!svg.contains("style="));
        assert!(!svg.contains(" id="));
    }

    #[test]
    fn balance_without_actual_says_so() {
        let svg = balance(&Split { immediate: 100.0, future: 0.0 }, None);
        assert!(svg.contains("Actual: no effort planned yet."));
        assert!(svg.contains("no effort planned yet</text>"));
        // The 0% future segment is not drawn, the 100% immediate one fills the bar.
        assert_eq!(count(&svg, r#"<rect class="chart-future" x="130.00""#), 1); // legend only
        assert_eq!(count(&svg, "<rect class=\"chart-future\""), 1);
        assert!(svg.contains(r#"<rect class="chart-immediate" x="0.00" y="24.00" width="480.00""#));
    }

    #[test]
    fn balance_clamps_bad_numbers() {
        let svg = balance(&Split { immediate: f64::NAN, future: -5.0 }, Some(&Split { immediate: 250.0, future: 0.0 }));
        assert!(svg.contains("Target: 0% immediate, 0% future"));
        assert!(!svg.contains("NaN"));
        assert!(!svg.contains("inf"));
        // Actual clamps to 100%.
        assert!(svg.contains("100% immediate · 0% future"));
        assert!(svg.contains(r#"<rect class="chart-immediate" x="0.00" y="82.00" width="480.00""#));
    }

    #[test]
    fn balance_is_deterministic() {
        let t = Split { immediate: 66.666_666, future: 33.333_334 };
        let a = balance(&t, Some(&t));
        let b = balance(&t, Some(&t));
        assert_eq!(a, b);
        assert!(a.contains("66.7% immediate · 33.3% future"));
        assert!(a.contains(r#"width="320.00""#));
    }

    #[test]
    fn funnel_draws_one_bar_per_stage_with_counts() {
        let svg = funnel(&[("Unvalidated", 4), ("Validating", 2), ("Validated", 1), ("Invalidated", 0)]);
        assert!(svg.starts_with("<svg class=\"chart chart-funnel\""));
        assert!(svg.contains(r#"viewBox="0 0 480.00 136.00""#));
        assert!(
            svg.contains("Validation funnel of 7 solutions: Unvalidated 4, Validating 2, Validated 1, Invalidated 0.")
        );
        assert_eq!(count(&svg, "<g class=\"chart-row\">"), 4);
        // Bars scale to the largest count: 306 wide for 4, 153 for 2, 76.5 for 1, none for 0.
        assert!(svg.contains(r#"class="chart-stage chart-unvalidated" x="130.00" y="6.00" width="306.00""#));
        assert!(svg.contains(r#"class="chart-stage chart-validating" x="130.00" y="40.00" width="153.00""#));
        assert!(svg.contains(r#"class="chart-stage chart-validated" x="130.00" y="74.00" width="76.50""#));
        assert!(!svg.contains("chart-stage chart-invalidated"));
        // Counts as text, placed after the bar.
        assert!(svg.contains(r#"<text class="chart-text chart-strong" x="444.00" y="22.00">4</text>"#));
        assert!(svg.contains(r#"<text class="chart-text chart-strong" x="138.00" y="124.00">0</text>"#));
    }

    #[test]
    fn funnel_escapes_labels_and_handles_empty_input() {
        let svg = funnel(&[("<b>\"A&B\"</b>", 1)]);
        assert!(svg.contains("&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("chart-stage chart-b-a-b-b"));
        assert!(svg.contains("of 1 solution:"));

        let empty = funnel(&[]);
        assert!(empty.contains("Validation funnel: no solutions yet."));
        assert!(empty.contains(r#"viewBox="0 0 480.00 34.00""#));
        assert!(empty.ends_with("</svg>"));

        let zeros = funnel(&[("Validated", 0)]);
        assert!(!zeros.contains("chart-stage"));
    }

    #[test]
    fn split_over_time_draws_a_point_per_state_against_the_target() {
        let points = [
            Point { name: "review-2026-q2", value: Some(80.0) },
            Point { name: "review-2026-q3", value: Some(70.0) },
            Point { name: "now", value: Some(60.0) },
        ];
        let svg = split_over_time(70.0, 10.0, &points);
        assert!(svg.starts_with("<svg class=\"chart chart-time\""));
        assert!(svg.contains(
            "Immediate share of planned effort per review, target 70% ± 10%: review-2026-q2 80%, review-2026-q3 70%, now 60%."
        ));
        // x from 44 to 468, evenly; y = 150 - 140 × share.
        assert!(svg.contains(r#"<polyline class="chart-line" points="44.00,38.00 256.00,52.00 468.00,66.00"/>"#));
        assert_eq!(count(&svg, "<circle class=\"chart-point\""), 3);
        assert!(svg.contains("<title>review-2026-q3 70%</title>"));
        // The target dashed at 70%, the band from 80% to 60%.
        assert!(svg.contains(r#"<line class="chart-target" x1="44.00" y1="52.00" x2="468.00" y2="52.00"/>"#));
        assert!(svg.contains(r#"<rect class="chart-band" x="44.00" y="38.00" width="424.00" height="28.00"/>"#));
        assert!(svg.contains(r#"text-anchor="start">review-2026-q2</text>"#));
        assert!(svg.contains(r#"text-anchor="end">now</text>"#));
        // Every other name a line lower, so long names do not collide.
        assert!(svg.contains(r#"x="256.00" y="196.00" text-anchor="middle">review-2026-q3</text>"#));
        assert!(!svg.contains("fill=") && !svg.contains(" id="));
    }

    #[test]
    fn split_over_time_breaks_the_line_where_nothing_was_planned_and_names_only_the_ends_of_a_long_one() {
        let names = ["a", "b", "c", "d", "e", "f", "g"];
        let points: Vec<Point> =
            names.iter().map(|&name| Point { name, value: if name == "c" { None } else { Some(50.0) } }).collect();
        let svg = split_over_time(70.0, 10.0, &points);
        assert_eq!(count(&svg, "<polyline"), 2);
        assert_eq!(count(&svg, "<circle"), 6);
        assert!(svg.contains("c nothing planned"));
        assert!(svg.contains(">a</text>") && svg.contains(">g</text>"));
        assert!(!svg.contains(">b</text>"));
        let one = split_over_time(70.0, 10.0, &[Point { name: "now", value: Some(f64::NAN) }]);
        assert!(one.contains(r#"cx="256.00" cy="150.00""#));
        assert!(!one.contains("NaN"));
    }

    #[test]
    fn funnel_over_time_stacks_each_states_stages() {
        let svg = funnel_over_time(&["Unvalidated", "Validated"], &[("q2", vec![3, 1]), ("now", vec![0, 0])]);
        assert!(svg.contains(
            "Validation funnel per review. q2: 3 unvalidated, 1 validated; now: 0 unvalidated, 0 validated."
        ));
        // 3 of 4 is 360 of 480, then 120.
        assert!(svg.contains(r#"<rect class="chart-stage chart-unvalidated" x="0.00" y="28.00" width="360.00""#));
        assert!(svg.contains(r#"<rect class="chart-stage chart-validated" x="360.00" y="28.00" width="120.00""#));
        assert!(svg.contains(">4 solutions</text>") && svg.contains(">0 solutions</text>"));
        assert!(svg.contains("<title>3 Unvalidated</title>"));
    }

    #[test]
    fn splits_draw_a_row_each() {
        let a = Split { immediate: 70.0, future: 30.0 };
        let svg = splits(&[("Then", Some(&a)), ("Now", None), ("Target", Some(&a))], "Then and now");
        assert_eq!(count(&svg, "<g class=\"chart-row\">"), 3);
        assert!(svg.contains("no effort planned yet"));
        assert!(svg.contains(r#"viewBox="0 0 480.00 200.00""#));
    }

    #[test]
    fn helpers_format_with_fixed_precision() {
        assert_eq!(num(1.0 / 3.0), "0.33");
        assert_eq!(num(-0.0001), "0.00");
        assert_eq!(num(f64::INFINITY), "0.00");
        assert_eq!(pct(70.0), "70%");
        assert_eq!(pct(12.345), "12.3%");
        assert_eq!(pct(-0.01), "0%");
        assert_eq!(slug("Coffee chat!"), "coffee-chat");
        assert_eq!(escape("a'b"), "a&#39;b");
    }

    fn point(label: &str, value: f64, met: bool) -> Level<'_> {
        Level { label, value, expected: 15.0, met }
    }

    #[test]
    fn a_sparkline_lists_its_points_in_words_and_marks_the_last_missed() {
        let points =
            [point("review-2026-q2", 44.0, false), point("review-2026-q3", 41.0, false), point("now", 38.0, false)];
        let svg = sparkline("p95 build", &points, Some("min"), "lower");
        assert!(svg.starts_with("<svg class=\"sparkline\""));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(r#"data-points="44 41 38""#));
        assert!(svg.contains(r#"data-expected="15 15 15""#));
        assert!(svg.contains("<title>p95 build over time</title>"));
        let desc =
            "review-2026-q2: 44 min; review-2026-q3: 41 min; now: 38 min. Expected 15 min, lower is better: missed.";
        assert!(svg.contains(&format!("<desc>{desc}</desc>")));
        // 44 is the top (y = 4), 15 the bottom (y = 32); x from 4 to 116.
        assert!(svg.contains(r#"<polyline class="spark-line" points="4.00,4.00 60.00,6.90 116.00,9.79"/>"#));
        assert!(svg.contains(
            r#"<polyline class="spark-expected" stroke-dasharray="4 3" points="4.00,32.00 60.00,32.00 116.00,32.00"/>"#
        ));
        assert_eq!(count(&svg, "class=\"spark-point\""), 2);
        assert!(svg.contains(r#"<circle class="spark-last spark-missed" cx="116.00" cy="9.79" r="3.00"/>"#));
        assert!(!svg.contains("fill=") && !svg.contains("style=") && !svg.contains(" id="));
    }

    #[test]
    fn a_sparkline_of_one_met_level_is_a_dot_in_the_middle() {
        let svg = sparkline(
            "Success <rate>",
            &[Level { label: "now", value: 99.5, expected: 99.5, met: true }],
            Some("%"),
            "higher",
        );
        assert!(svg.contains("<title>Success &lt;rate&gt; over time</title>"));
        assert!(svg.contains("<desc>now: 99.5%. Expected 99.5%, higher is better: met.</desc>"));
        assert!(!svg.contains("spark-line"));
        assert!(svg.contains(r#"<circle class="spark-last spark-met" cx="60.00" cy="18.00" r="3.00"/>"#));
        let nothing = sparkline("S", &[], None, "higher");
        assert!(nothing.contains("<desc>No levels.</desc>") && !nothing.contains("NaN"));
    }
}
