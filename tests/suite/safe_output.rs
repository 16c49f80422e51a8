//! Nothing unsafe reaches the page: known XSS payloads, put everywhere an
//! author can write (front matter values, titles, ids, link text, link
//! targets, image alt text, raw HTML, heading attributes, code fences, the
//! site config), go through a real build; no output file may then hold a
//! script, an event handler, a script URL or a frame.

use crate::common;

use charted::BuildOptions;
use common::{Site, snapshot_tree};
use scraper::Html;

/// Payloads for text positions: each tries to break out of text or an attribute.
const TEXT_PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><script>alert(1)</script>",
    "'><img src=https://x.invalid/x onerror=alert(1)>",
    "<img src=https://x.invalid/x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "{{ 7*7 }}<iframe src=javascript:alert(1)></iframe>",
    "javascript:alert(1)",
    "<a href=\"javascript:alert(1)\">x</a>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<!--<script>alert(1)</script>-->",
];

/// Payloads for Markdown link and image targets.
const URL_PAYLOADS: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&#58;alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "https://x.invalid/\"onmouseover=\"alert(1)",
];

/// Raw HTML in bodies.
const HTML_PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<script src=\"https://evil.example/x.js\"></script>",
    "<img src=https://x.invalid/x onerror=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)></svg>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\" javascript:alert(1)\">x</a>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<button formaction=\"javascript:alert(1)\">x</button>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>x</details>",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<link rel=stylesheet href=\"https://evil.example/x.css\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"https://evil.example/\">",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<template><script>alert(1)</script></template>",
];

/// Elements that must never appear in output.
const FORBIDDEN_ELEMENTS: &[&str] =
    &["script", "iframe", "frame", "frameset", "object", "embed", "base", "form", "applet", "meta[http-equiv]"];

fn front_value(payload: &str) -> String {
    // A YAML double-quoted string holds any payload.
    format!("\"{}\"", payload.replace('\\', "\\\\").replace('"', "\\\"").replace('\t', "\\t"))
}

fn xss_site() -> (Site, usize) {
    let mut tried = 0;
    let v = |i: usize| front_value(TEXT_PAYLOADS[i % TEXT_PAYLOADS.len()]);
    let site = Site::new().file("charted.yaml", &format!("title: {}\ndescription: {}\nbase_url: /\n", v(0), v(1)));
    tried += 2;
    let mut body = String::from("Intro.\n\n");
    for (i, payload) in TEXT_PAYLOADS.iter().enumerate() {
        body.push_str(&format!(
            "[{payload}](LINK) and [[s|{payload}]] and ![{payload}](https://img.invalid/pic-{i}.png)\n\n"
        ));
        body.push_str(&format!("## {payload}\n\n"));
        tried += 4;
    }
    for payload in URL_PAYLOADS {
        body.push_str(&format!("[link]({payload}) ![image]({payload}) <{payload}>\n\n"));
        body.push_str(&format!("[ref][r{tried}]\n\n[r{tried}]: {payload}\n\n"));
        tried += 4;
    }
    body.push_str("# Heading {onclick=alert(1)}\n\n## Other {#\"><script>alert(1)</script>}\n\n");
    body.push_str("```\"><script>alert(1)</script>\nx\n```\n\n```js onload=alert(1)\nx\n```\n\n");
    tried += 4;
    // Raw HTML last: an unclosed raw-text element (`<textarea>`, `<iframe>`)
    // swallows the rest of a body, as it would in a browser.
    for payload in HTML_PAYLOADS {
        body.push_str(payload);
        body.push_str("\n\ninline ");
        body.push_str(payload);
        body.push_str(" text\n\n");
        tried += 2;
    }
    // The charter sits in content/ itself; every other item one folder down.
    let charter_body = body.replace("LINK", "solutions/s.md");
    let body = body.replace("LINK", "../solutions/s.md");

    let fields = ["summary", "owner", "bucket"];
    let mut pain = format!("---\ntitle: {}\n", v(2));
    for (n, field) in fields.iter().enumerate() {
        pain.push_str(&format!("{field}: {}\n", v(3 + n)));
    }
    pain.push_str(&format!("users: [{}, {}]\n---\n{body}", v(6), v(7)));
    tried += 6;
    let solution =
        format!("---\ntitle: {}\nsummary: {}\naddresses: [p]\nphase: next\neffort: 2\n---\n{body}", v(8), v(9));
    let experiment = format!(
        "---\ntitle: {}\ntests: s\nhypothesis: {}\nfalsified_if: {}\nmethod: {}\nresult: {}\nstatus: running\n---\n",
        v(10),
        v(11),
        v(0),
        v(1),
        v(2)
    );
    let discovery = format!(
        "---\ntitle: {}\nmethod: survey\ndate: 2026-01-01\nparticipants:\n  - team: {}\n    hours: 2\nsurfaces: [p]\n---\n",
        v(3),
        v(4)
    );
    let sla = format!(
        "---\ntitle: {}\nservice: {}\nobjective: {}\nexpected: 99\ncurrent: 98\nunit: {}\npains: [p]\n---\n",
        v(5),
        v(6),
        v(7),
        v(8)
    );
    let charter = format!("---\ntitle: {}\nteam: {}\nusers: [{}]\n---\n{charter_body}", v(9), v(10), v(11));
    let vision = format!("---\ntitle: {}\nhorizon: 2029\n---\n{body}", v(0));
    tried += 5 + 4 + 2 + 4 + 3 + 1;
    let site = site
        .file("content/pain/p.md", &pain)
        .file("content/solutions/s.md", &solution)
        .file("content/experiments/e.md", &experiment)
        .file("content/discovery/d.md", &discovery)
        .file("content/slas/sla.md", &sla)
        .file("content/charter.md", &charter)
        .file("content/vision/v.md", &vision);
    (site, tried)
}

/// The default theme's own search script: an empty `<script defer src>` naming
/// `search.js` in the site itself. Anything else that is a script is a payload.
fn is_theme_script(el: &scraper::ElementRef) -> bool {
    let v = el.value();
    let src = v.attr("src").unwrap_or("");
    v.name() == "script"
        && v.attrs().all(|(name, _)| name == "src" || name == "defer")
        && (src == "search.js" || src.ends_with("/search.js"))
        && !src.contains(':')
        && el.inner_html().is_empty()
}

/// Every way a page could run script, found by parsing it as a browser would.
fn unsafe_bits(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut found = Vec::new();
    for css in FORBIDDEN_ELEMENTS {
        let selector = scraper::Selector::parse(css).unwrap();
        for el in doc.select(&selector).filter(|el| !is_theme_script(el)) {
            found.push(format!("<{}> element: {}", el.value().name(), el.html().chars().take(120).collect::<String>()));
        }
    }
    for node in doc.tree.nodes() {
        let Some(el) = node.value().as_element() else { continue };
        for (name, value) in el.attrs() {
            let name = name.to_ascii_lowercase();
            if name.starts_with("on") {
                found.push(format!("event handler {name}=\"{value}\" on <{}>", el.name()));
            }
            if matches!(name.as_str(), "href" | "src" | "action" | "formaction" | "xlink:href" | "data" | "srcdoc") {
                let squeezed: String =
                    value.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_lowercase();
                if ["javascript:", "vbscript:", "data:"].iter().any(|s| squeezed.starts_with(s)) {
                    found.push(format!("script URL {name}=\"{value}\" on <{}>", el.name()));
                }
            }
            if name == "style" && value.to_lowercase().contains("url(") {
                found.push(format!("style with a URL on <{}>", el.name()));
            }
        }
    }
    found
}

#[test]
fn no_payload_survives_a_build() {
    let (site, tried) = xss_site();
    let out = site.path().join("public");
    let report = charted::build(&BuildOptions {
        site: site.path().to_path_buf(),
        out: Some(out.clone()),
        today: Some("2026-11-26".parse().unwrap()),
        ..Default::default()
    })
    .unwrap();
    assert!(!report.has_errors(), "{}", report.render_text());
    let mut problems = Vec::new();
    let mut files = 0;
    for (rel, bytes) in snapshot_tree(&out) {
        if !(rel.ends_with(".html") || rel.ends_with(".svg") || rel.ends_with(".xml")) {
            continue;
        }
        files += 1;
        let text = String::from_utf8(bytes).unwrap();
        problems.extend(unsafe_bits(&text).into_iter().map(|p| format!("{rel}: {p}")));
    }
    println!("safe_output: {tried} payload placements in {files} output files, {} survived", problems.len());
    assert!(files >= 10, "only {files} pages were checked");
    // The payloads really are on the pages, as text: the check above is not vacuous.
    let pain = std::fs::read_to_string(out.join("pain/p/index.html")).unwrap();
    assert!(
        pain.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || pain.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{pain}"
    );
    assert!(pain.contains("href=\"../../solutions/s/index.html\""), "the payload links did not resolve");
    assert!(problems.is_empty(), "{} unsafe bits in the output:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_checker_itself_sees_unsafe_html() {
    // Guards the guard: each of these must be caught by `unsafe_bits`.
    for html in [
        "<script>x</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\" JaVa\tScRipt:alert(1)\">x</a>",
        "<iframe></iframe>",
        "<div style=\"background:url(x)\"></div>",
        "<meta http-equiv=refresh content=0>",
    ] {
        assert!(!unsafe_bits(html).is_empty(), "missed: {html}");
    }
    assert!(unsafe_bits("<p>&lt;script&gt;</p><a href=\"https://x.example/\">x</a>").is_empty());
}

#[test]
fn ids_cannot_carry_payloads() {
    // Ids become URLs and file names, so anything but [a-z0-9-] is refused before rendering.
    let site = Site::new()
        .file(
            "content/pain/p.md",
            "---\ntitle: P\nid: \"<script>alert(1)</script>\"\naliases: [\"x\\\" onclick=\\\"alert(1)\"]\n---\n",
        )
        .file("content/pain/\"><img src=x onerror=alert(1)>.md", "---\ntitle: Q\n---\n");
    let codes: Vec<&str> = site.check().iter().map(|d| d.code).collect();
    assert_eq!(codes, ["invalid-id", "invalid-id"], "{:?}", common::brief(&site.check()));
    let out = site.run(&["build", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.out().exists());
}

#[test]
fn unsafe_html_is_passed_through_only_when_asked_and_check_says_so() {
    let body = "<p>ok</p>\n\n<script>alert(1)</script>\n";
    let site = Site::new().file("content/pain/p.md", &format!("---\ntitle: P\n---\n{body}"));
    let build = |site: &Site| {
        let out = site.run(&["build", site.path().to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        site.read_out("pain/p/index.html")
    };
    assert!(!build(&site).contains("<script>alert(1)</script>"));
    let quiet = "warnings: {no-evidence: false, uncovered-pain: false, covers-nothing: false, discovery-gap: false}";
    site.write("charted.yaml", &format!("title: T\nunsafe_html: true\n{quiet}\n"));
    assert!(build(&site).contains("<script>alert(1)</script>"));
    let d = site.check();
    assert_eq!(
        common::brief(&d),
        ["charted.yaml:2:14 `unsafe_html` is on: raw HTML in bodies reaches the pages unsanitised"]
    );
}

/// Control characters other than tab and line breaks, as they appear in
/// UTF-8 bytes: C0, DEL, and C1 (U+0080–U+009F, `C2 80`–`C2 9F`).
fn control_character_in(bytes: &[u8]) -> Option<usize> {
    bytes.iter().enumerate().position(|(i, &b)| {
        let c0 = (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f;
        let c1 = b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n));
        c0 || c1
    })
}

#[test]
fn no_control_character_reaches_an_output_file() {
    let site = Site::with_config("title: \"Team\\0 site\"\ndescription: \"Ring \\a\"\n")
        .file(
            "content/pain/a.md",
            "---\ntitle: \"Nul\\0 title\"\nsummary: \"Esc \\e[31m and \\x85\"\nusers: [\"back\\x01end\"]\nbucket: \"B\\x7f\"\n---\nBody \u{0} with \u{7} bell, \u{1b}[1m and \u{85}.\n\n`code \u{0}`\n",
        );
    let warnings = site.check();
    let controls: Vec<_> = warnings.iter().filter(|d| d.code == "control-character").collect();
    assert_eq!(controls.len(), 7, "{warnings:#?}");
    site.build();
    let text = ["html", "xml", "js", "json", "css", "txt", "svg", "webmanifest"];
    for (rel, bytes) in snapshot_tree(&site.out()) {
        if text.iter().any(|ext| rel.ends_with(ext)) {
            assert_eq!(control_character_in(&bytes), None, "{rel} holds a control character");
        }
    }
    assert!(site.read_out("pain/a/index.html").contains("Nul title"));
}
