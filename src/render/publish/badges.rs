//! Status badges: `badges/<id>.svg` for every item, small shields-style
//! images to embed in READMEs and design docs, and beside each a shields.io
//! endpoint JSON `badges/<id>.json` with the same words and colours. Each
//! says its state in words (colour only repeats it), white on colours dark
//! enough to read.

use super::Page;
use crate::escape::html as escape;
use crate::model::Choice;
use crate::model::{Details, ExperimentStatus, Kind, Mode, PainStatus, Site, Validation};

const GREY: &str = "#57606a";
const GREEN: &str = "#1a7f37";
const BLUE: &str = "#0860ca";
const AMBER: &str = "#8a5a00";
const RED: &str = "#b42318";
const PURPLE: &str = "#6e40c9";
/// The left part, naming the kind.
const LABEL: &str = "#3d444d";

/// The shields.io endpoint badge URL of an item, but for `<id>.json`:
/// shields.io fetches the badge's JSON from the site, so it needs a host.
pub(crate) fn shields_prefix(config: &crate::config::Config) -> Option<String> {
    config.has_host().then(|| {
        let json_folder = format!("{}badges/", config.base_url);
        format!("https://img.shields.io/endpoint?url={}", percent_encode(&json_folder))
    })
}

/// `text` as a URL query value: every byte but the unreserved ones percent-encoded.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out += &format!("%{byte:02X}");
        }
    }
    out
}

/// The text and colour of an item's badge.
pub(crate) fn state(site: &Site, i: usize) -> (String, &'static str) {
    let item = &site.items[i];
    match &item.details {
        Details::Pain(p) => {
            // A pain that still hurts says whether anything covers it; one
            // that no longer hurts says why.
            let (state, colour) = match p.status {
                _ if site.open_and_uncovered(i) => ("uncovered", RED),
                PainStatus::Open | PainStatus::Mitigated => ("covered", AMBER),
                PainStatus::Solved => ("solved", GREEN),
                PainStatus::Dropped => ("dropped", GREY),
            };
            match site.computed[i].rank {
                Some(rank) => (format!("#{rank} · {state}"), colour),
                None => (state.into(), colour),
            }
        }
        Details::Solution(_) => {
            let v = site.computed[i].validation.unwrap_or(Validation::Unvalidated);
            let by_hand = if site.computed[i].validation_derived { "" } else { " (by hand)" };
            (format!("{}{by_hand}", v.as_str()), validation_colour(v))
        }
        Details::Experiment(_) if site.computed[i].overdue => ("overdue".into(), RED),
        Details::Experiment(e) => {
            let colour = match e.status {
                ExperimentStatus::Planned => GREY,
                ExperimentStatus::Running => BLUE,
                ExperimentStatus::Validated => GREEN,
                ExperimentStatus::Invalidated => RED,
                ExperimentStatus::Inconclusive => AMBER,
            };
            (e.status.as_str().into(), colour)
        }
        Details::Charter(c) => (c.mode.as_str().into(), if c.mode == Mode::Foundation { BLUE } else { PURPLE }),
        Details::Vision(v) => (v.horizon.map_or_else(|| "vision".to_string(), |h| h.to_string()), PURPLE),
        Details::Discovery(d) => (d.method.map_or("discovery", |m| m.label()).to_lowercase(), GREY),
        Details::Sla(s) if s.is_met() => ("met".into(), GREEN),
        Details::Sla(_) => ("not met".into(), RED),
    }
}

fn validation_colour(v: Validation) -> &'static str {
    match v {
        Validation::Unvalidated => GREY,
        Validation::Validating => BLUE,
        Validation::Claimed => AMBER,
        Validation::Validated => GREEN,
        Validation::Invalidated => RED,
    }
}

/// The left word of a badge.
fn label(kind: Kind) -> &'static str {
    match kind {
        Kind::Sla => "SLA",
        Kind::Vision => "vision",
        k => k.as_str(),
    }
}

/// One badge per item, as SVG and as shields.io endpoint JSON.
/// `keys`: per item, what its badge is made from (see `incremental::pieces`).
pub(crate) fn pages(site: &Site, keys: &[u64], memo: Option<&crate::incremental::memo::Pieces>) -> Vec<Page> {
    let svgs = crate::incremental::memo::Pieces::make_all(
        memo,
        site.items.len(),
        |i| keys[i],
        |i| {
            let (text, colour) = state(site, i);
            svg(label(site.items[i].kind), &text, colour)
        },
    );
    let mut out = Vec::with_capacity(2 * site.items.len());
    for (i, (item, svg)) in site.items.iter().zip(svgs).enumerate() {
        out.push(Page::new(format!("badges/{}.svg", item.id), bytes::Bytes::copy_from_slice(svg.as_bytes())));
        let (text, colour) = state(site, i);
        out.push(Page::new(format!("badges/{}.json", item.id), endpoint(label(item.kind), &text, colour)));
    }
    out
}

/// A shields.io endpoint badge (<https://shields.io/badges/endpoint-badge>):
/// `img.shields.io/endpoint?url=…` draws it in the reader's chosen style.
/// Colours are hex without `#`, as shields.io takes them.
pub(crate) fn endpoint(label: &str, value: &str, colour: &str) -> String {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Endpoint<'a> {
        schema_version: u8,
        label: &'a str,
        message: &'a str,
        color: &'a str,
        label_color: &'a str,
    }
    let json = Endpoint {
        schema_version: 1,
        label,
        message: value,
        color: colour.trim_start_matches('#'),
        label_color: LABEL.trim_start_matches('#'),
    };
    let mut text = serde_json::to_string(&json).unwrap_or_default();
    text.push('\n');
    text
}

/// The width of text in 11px Verdana, near enough to size a badge (the text
/// is then fitted to it exactly with `textLength`).
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 3.4,
            'f' | 't' | 'r' | ' ' | 'I' | '-' | '(' | ')' => 4.6,
            'm' | 'w' => 10.0,
            'M' | 'W' => 11.0,
            c if c.is_ascii_uppercase() => 7.6,
            c if c.is_ascii_digit() => 7.0,
            _ => 6.8,
        })
        .sum::<f64>()
        .ceil()
}

/// A flat badge: `label | value`.
pub(crate) fn svg(label: &str, value: &str, colour: &str) -> String {
    const PAD: f64 = 6.0;
    let (lw, vw) = (text_width(label), text_width(value));
    let (left, right) = (lw + 2.0 * PAD, vw + 2.0 * PAD);
    let width = left + right;
    let title = escape(&format!("{label}: {value}"));
    let (label, value) = (escape(label), escape(value));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"20\" role=\"img\" aria-label=\"{title}\">\
<title>{title}</title>\
<clipPath id=\"r\"><rect width=\"{width}\" height=\"20\" rx=\"3\"/></clipPath>\
<g clip-path=\"url(#r)\"><rect width=\"{left}\" height=\"20\" fill=\"{LABEL}\"/>\
<rect x=\"{left}\" width=\"{right}\" height=\"20\" fill=\"{colour}\"/></g>\
<g fill=\"#fff\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">\
<text x=\"{PAD}\" y=\"14\" textLength=\"{lw}\">{label}</text>\
<text x=\"{vx}\" y=\"14\" textLength=\"{vw}\">{value}</text></g></svg>\n",
        vx = left + PAD,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    #[test]
    fn white_text_is_readable_on_every_colour() {
        for colour in [GREY, GREEN, BLUE, AMBER, RED, PURPLE, LABEL] {
            let contrast = 1.05 / (luminance(colour) + 0.05);
            assert!(contrast >= 4.5, "{colour}: contrast {contrast:.2} is below WCAG AA");
        }
    }

    #[test]
    fn badges_say_their_state_in_text() {
        let svg = svg("pain", "open <now>", RED);
        assert!(svg.contains("aria-label=\"pain: open &lt;now&gt;\""));
        assert!(svg.contains(">open &lt;now&gt;</text>"));
        assert!(text_width("validated") > text_width("open"));
    }

    #[test]
    fn endpoint_json_says_what_the_svg_says() {
        let json: serde_json::Value = serde_json::from_str(&endpoint("pain", "open \"now\"", RED)).unwrap();
        assert_eq!(json["schemaVersion"], 1);
        assert_eq!(json["label"], "pain");
        assert_eq!(json["message"], "open \"now\"");
        assert_eq!(json["color"], "b42318");
        assert_eq!(json["labelColor"], "3d444d");
    }

    #[test]
    fn shields_urls_carry_the_json_url_encoded() {
        assert_eq!(percent_encode("https://a.dev/r oad/ü"), "https%3A%2F%2Fa.dev%2Fr%20oad%2F%C3%BC");
    }
}
