//! Differential tests: the memoised highlighter against the two-iterator
//! implementation it replaced, kept here as the reference. Output must be
//! byte-identical on every input.

use std::path::{Path, PathBuf};

use syntect::highlighting::{HighlightState, RangedHighlightIterator};
use syntect::parsing::ClearAmount;

use super::tests::SAMPLES;
use super::*;

/// The implementation before the memo: one `RangedHighlightIterator` per
/// theme over the same parse, the pair of styles turned into classes per token.
fn classed_reference(code: &str, syntax: &SyntaxReference) -> Option<String> {
    let mut parse = ParseState::new(syntax);
    let mut styler = ReferenceStyler::new();
    let mut out = String::with_capacity(code.len() * 3);
    for line in LinesWithEndings::from(code) {
        let ops = parse.parse_line(line, &SYNTAXES).ok()?;
        styler.line(&mut out, line, &ops)?;
    }
    styler.finish(&mut out);
    Some(out)
}

/// The reference's state across lines (the loop body of the old `classed`, verbatim).
struct ReferenceStyler {
    light_state: HighlightState,
    dark_state: HighlightState,
    open: String,
    class: String,
}

impl ReferenceStyler {
    fn new() -> ReferenceStyler {
        let [light, dark] = &*HIGHLIGHTERS;
        ReferenceStyler {
            light_state: HighlightState::new(light, ScopeStack::new()),
            dark_state: HighlightState::new(dark, ScopeStack::new()),
            open: String::new(),
            class: String::new(),
        }
    }

    fn line(&mut self, out: &mut String, line: &str, ops: &[(usize, ScopeStackOp)]) -> Option<()> {
        let [light_theme, dark_theme] = &*THEMES;
        let [light, dark] = &*HIGHLIGHTERS;
        let defaults = (light_theme.settings.foreground, dark_theme.settings.foreground);
        let ReferenceStyler { light_state, dark_state, open, class } = self;
        let light_tokens = RangedHighlightIterator::new(light_state, ops, line, light);
        let dark_tokens: Vec<_> = RangedHighlightIterator::new(dark_state, ops, line, dark).collect();
        let mut dark_tokens = dark_tokens.into_iter();
        for (light_style, text, range) in light_tokens {
            // Both themes see the same parse, so the tokens line up; if not, give up on colour.
            let (dark_style, _, dark_range) = dark_tokens.next()?;
            if dark_range != range {
                return None;
            }
            class.clear();
            side_classes(class, 'l', &light_style, defaults.0);
            side_classes(class, 'd', &dark_style, defaults.1);
            if class != open {
                if !open.is_empty() {
                    out.push_str("</span>");
                }
                if !class.is_empty() {
                    let _ = write!(out, "<span class=\"{class}\">");
                }
                std::mem::swap(open, class);
            }
            push_escaped(out, text);
        }
        Some(())
    }

    fn finish(self, out: &mut String) {
        if !self.open.is_empty() {
            out.push_str("</span>");
        }
    }
}

/// `highlight` as it was, guards included, on the reference implementation.
fn highlight_reference(code: &str, lang: &str) -> String {
    let Some(syntax) = find_syntax(lang) else {
        return escape_html(code);
    };
    if code.len() > MAX_BLOCK_LEN || code.lines().any(|l| l.len() > MAX_LINE_LEN) {
        return escape_html(code);
    }
    catch_unwind(AssertUnwindSafe(|| classed_reference(code, syntax)))
        .ok()
        .flatten()
        .unwrap_or_else(|| escape_html(code))
}

/// What the corpus exercised, so the test can show it covers the tricky ops.
#[derive(Default, Debug)]
struct Coverage {
    blocks: usize,
    bytes: usize,
    highlighted: usize,
    clears: usize,
    clear_all: usize,
    restores: usize,
    failed_restores: usize,
    pops_past_empty: usize,
    languages: BTreeSet<String>,
}

impl Coverage {
    /// Counts the ops the parser gives for `code`, replaying them on a scope stack.
    fn record(&mut self, code: &str, syntax: &SyntaxReference) {
        let mut parse = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        for line in LinesWithEndings::from(code) {
            let Ok(ops) = parse.parse_line(line, &SYNTAXES) else { return };
            for (_, op) in &ops {
                match op {
                    ScopeStackOp::Clear(amount) => {
                        self.clears += 1;
                        self.clear_all += usize::from(matches!(amount, ClearAmount::All));
                    }
                    ScopeStackOp::Restore => self.restores += 1,
                    ScopeStackOp::Pop(n) if *n > stack.len() => self.pops_past_empty += 1,
                    _ => {}
                }
                if stack.apply(op).is_err() {
                    self.failed_restores += 1;
                    break;
                }
            }
        }
    }
}

/// Checks one block: `highlight` and the reference agree byte for byte, and so
/// do the unguarded `classed` and `classed_reference` (including on `None`).
fn check(cov: &mut Coverage, code: &str, lang: &str, what: &str) {
    let expected = highlight_reference(code, lang);
    let got = highlight(code, lang);
    if got != expected {
        let at = got.bytes().zip(expected.bytes()).take_while(|(a, b)| a == b).count();
        let from = at.saturating_sub(120);
        panic!(
            "{what} ({lang}): memo output differs from the reference at byte {at}\n  memo: {:?}\n  ref:  {:?}",
            &got.get(from..(at + 120).min(got.len())).unwrap_or(""),
            &expected.get(from..(at + 120).min(expected.len())).unwrap_or(""),
        );
    }
    cov.blocks += 1;
    cov.bytes += code.len();
    if let Some(syntax) = find_syntax(lang) {
        cov.languages.insert(syntax.name.clone());
        if got.contains("<span") {
            cov.highlighted += 1;
        }
        if code.len() <= MAX_BLOCK_LEN && !code.lines().any(|l| l.len() > MAX_LINE_LEN) {
            let direct = catch_unwind(AssertUnwindSafe(|| classed(code, syntax))).ok().flatten();
            let reference = catch_unwind(AssertUnwindSafe(|| classed_reference(code, syntax))).ok().flatten();
            assert_eq!(direct, reference, "{what} ({lang}): classed differs from the reference");
            cov.record(code, syntax);
        }
    }
}

/// Realistic code, a few hundred lines per language in all, with the constructs
/// that give deep or unusual scope stacks.
const REALISTIC: &[(&str, &str)] = &[
    (
        "rust",
        r####"//! Module docs with `code` and [links](crate::x).
#![allow(dead_code)]
use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Display, Write as _};

/// A generic cache with a lifetime and bounds.
#[derive(Debug, Clone, Default)]
pub struct Cache<'a, K: Ord + Clone, V: ?Sized + 'a>
where
    V: Display,
{
    entries: BTreeMap<K, &'a V>,
    hits: u64, // trailing comment
}

impl<'a, K: Ord + Clone, V: ?Sized + Display + 'a> Cache<'a, K, V> {
    pub const LIMIT: usize = 1 << 16;
    pub fn get(&mut self, key: &K) -> Option<&'a V> {
        self.entries.get(key).map(|v| {
            self.hits += 1;
            *v
        })
    }
}

macro_rules! square {
    ($x:expr) => {{ let y = $x; y * y }};
    ($($x:expr),+ $(,)?) => { ($(square!($x)),+) };
}

#[cfg(test)]
mod tests {
    #[test]
    #[should_panic(expected = "boom")]
    fn panics() { panic!("boom {}", 1 + 2); }
}

async fn fetch(url: &str) -> Result<String, Box<dyn std::error::Error + Send + Sync>> {
    let raw = r#"raw "string" with # inside"#;
    let bytes = b"bytes\x00\n";
    let ch = '\u{1F600}';
    let lt: &'static str = "static";
    let closure = move |a: i32, b| -> i32 { a + b };
    let n = 0xff_u8 as u32 + 1_000_000 + 0b1010 + 0o17;
    let f = 1.5e-3_f64;
    /* block /* nested */ comment */
    match url.split_once("://") {
        Some(("https", rest)) if !rest.is_empty() => Ok(format!("{rest}{raw}{n}{f}{ch}{lt}{:?}", bytes)),
        Some((scheme @ ("http" | "ftp"), _)) => Err(format!("insecure {scheme}").into()),
        _ => { let _ = closure(1, 2); unreachable!() }
    }
}

pub trait Shape: Send + Sync {
    type Output<'b>: Iterator<Item = &'b f64> where Self: 'b;
    fn area(&self) -> f64;
    fn points<'b>(&'b self) -> Self::Output<'b>;
}

impl fmt::Display for Cache<'_, String, str> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (k, v)) in self.entries.iter().enumerate() {
            writeln!(f, "{i:>4}: {k} = {v}")?;
        }
        Ok(())
    }
}

unsafe extern "C" fn callback(ptr: *const u8, len: usize) -> i32 {
    let slice = unsafe { std::slice::from_raw_parts(ptr, len) };
    slice.iter().fold(0i32, |acc, &b| acc.wrapping_add(i32::from(b)))
}

fn labels() {
    'outer: for i in 0..10 {
        while let Some(x) = Some(i) {
            if x > 3 { break 'outer; }
            continue 'outer;
        }
    }
    let v: Vec<HashMap<String, Vec<(u8, char)>>> = Vec::with_capacity(4);
    let _ = v.into_iter().filter_map(|m| m.get("k").cloned()).collect::<Vec<_>>();
}
"####,
    ),
    (
        "yaml",
        r#"# Deployment config
%YAML 1.2
---
defaults: &defaults
  adapter: postgres
  host: localhost
  port: 5432
  timeout: 30s # seconds
development:
  <<: *defaults
  database: dev_db
test: !!map
  <<: *defaults
  database: "test_db"
  password: 'single ''quoted'''
script: |
  set -euo pipefail
  echo "building $CI_COMMIT_SHA"
  cargo build --release
folded: >-
  This is a long folded
  paragraph of text.
list:
  - name: first
    enabled: true
    ratio: 0.75
  - name: second
    enabled: no
    tags: [a, b, "c d"]
    empty: ~
    when: 2024-01-02T03:04:05Z
  - { inline: map, with: [nested, list] }
? complex key
: complex value
multi: "line one
  line two"
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: |
          cargo test --all
          echo done
...
---
second: document
"#,
    ),
    (
        "bash",
        r#"#!/usr/bin/env bash
set -euo pipefail
readonly DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
declare -A MAP=([a]=1 [b]=2)
log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
cat <<EOF > /tmp/config
name=${NAME:-default}
path=$HOME/bin
EOF
cat <<'RAW'
no $expansion here
RAW
cat <<-INDENTED
	tab-indented $VAR
	INDENTED
for f in "$DIR"/*.sh; do
  [[ -x $f ]] || continue
  case "$f" in
    *test*) log "skip $f" ;;
    *) source "$f" ;;
  esac
done
if (( ${#MAP[@]} > 1 )) && [ -n "${1-}" ]; then
  arr=(one two "three four")
  echo "${arr[@]:1}" | tr ' ' '\n' | sort -u
fi
while read -r line; do echo "${line//foo/bar}"; done < <(ls -1)
trap 'rm -f "$tmp"' EXIT
tmp=$(mktemp) # comment
x=$((1 + 2 * 3))
echo `date` $'\t' "${x}" 2>/dev/null || true
function cleanup {
  local code=$?
  exit "$code"
}
"#,
    ),
    (
        "python",
        r#"#!/usr/bin/env python3
"""Module docstring with 'quotes'."""
from __future__ import annotations
import asyncio, re
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")

@dataclass(frozen=True)
class Point(Generic[T]):
    x: T
    y: T = field(default=0)

    @property
    def norm(self) -> float:
        return (self.x ** 2 + self.y ** 2) ** 0.5

    @staticmethod
    def parse(s: str) -> "Point[int]":
        m = re.match(r"(\d+),\s*(\d+)", s)
        if not m:
            raise ValueError(f"bad point {s!r}: expected 'x, y'")
        return Point(int(m[1]), int(m[2]))

def decorator(fn):
    def wrapper(*args, **kwargs):
        print(f"calling {fn.__name__} with {args=} {kwargs!s:>10}")
        return fn(*args, **kwargs)
    return wrapper

@decorator
async def main(n: int = 3) -> None:
    items = [i * i for i in range(n) if i % 2 == 0]
    lookup = {k: v for k, v in zip("abc", items)}
    nums = 0x1F + 0o17 + 0b11 + 1_000 + 3.14j
    s = b"bytes" + rb"\raw"
    multi = """triple
    quoted {not_f}"""
    fm = f"""{n:{'>'}{10}} {{literal}} {lookup['a']}"""
    lam = lambda x, /, y=1, *, z: x + y + z
    async with asyncio.timeout(1):
        await asyncio.sleep(0)
    try:
        pass
    except (KeyError, IndexError) as e:
        raise RuntimeError("wrapped") from e
    finally:
        del items
    match n:
        case 0 | 1: print("small")
        case [x, *rest]: print(x, rest)
        case _: ...

if __name__ == "__main__":
    asyncio.run(main())
"#,
    ),
    (
        "json",
        r#"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "name": "charted",
  "version": "1.0.0",
  "nested": {"array": [1, -2.5, 3e10, true, false, null], "empty": {}, "list": []},
  "escapes": "quote \" backslash \\ unicode \u00e9 newline \n",
  "deep": [[[{"a": [{"b": {"c": [1]}}]}]]]
}
"#,
    ),
    (
        "toml",
        r#"# Cargo manifest
[package]
name = "demo"
version = "0.1.0"
edition = "2021"
authors = ["A <a@example.com>", 'B']
description = """
Multi-line
basic string"""
literal = '''raw\n'''

[dependencies]
serde = { version = "1", features = ["derive"] }
tokio.workspace = true

[[bin]]
name = "demo"
path = "src/main.rs"

[profile.release]
lto = "thin"
opt-level = 3
float = 1e-3
date = 1979-05-27T07:32:00Z
inf = inf
hex = 0xDEADBEEF
"key with spaces" = true
"#,
    ),
    (
        "sql",
        r#"-- Migrations
CREATE TABLE IF NOT EXISTS users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ DEFAULT now(),
    score NUMERIC(10, 2) CHECK (score >= 0)
);
/* multi-line
   comment */
WITH recent AS (
    SELECT u.id, count(*) AS n
    FROM users u
    LEFT JOIN orders o ON o.user_id = u.id AND o.status <> 'cancelled'
    WHERE u.created_at > NOW() - INTERVAL '7 days'
    GROUP BY u.id
    HAVING count(*) > 2
)
SELECT id, n, CASE WHEN n > 10 THEN 'big' ELSE 'small' END AS size
FROM recent ORDER BY n DESC LIMIT 10 OFFSET 0;
INSERT INTO users (email) VALUES ('a@b.c'), ("quoted ident");
UPDATE users SET score = score * 1.1 WHERE email LIKE '%@example.com';
DELETE FROM users WHERE id IN (SELECT id FROM banned);
"#,
    ),
    (
        "go",
        r#"package main

import (
	"context"
	"fmt"
	"net/http"
)

// Server serves things.
type Server[T any] struct {
	mux  *http.ServeMux
	data map[string]T `json:"data,omitempty"`
}

func (s *Server[T]) Handle(ctx context.Context, w http.ResponseWriter, r *http.Request) error {
	defer func() {
		if err := recover(); err != nil {
			fmt.Printf("recovered: %v\n", err)
		}
	}()
	ch := make(chan int, 3)
	go func() { ch <- 1 }()
	select {
	case v := <-ch:
		_ = v
	case <-ctx.Done():
		return ctx.Err()
	}
	raw := `raw
string`
	r2 := 'x'
	for i, x := range []float64{1.5, 2e3, 0x1p-2} {
		fmt.Fprintf(w, "%d %v %s %c\n", i, x, raw, r2)
	}
	/* block */
	return nil
}

func main() { _ = &Server[int]{} }
"#,
    ),
    (
        "terraform",
        r#"terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

# Comment
// Also a comment
/* block
   comment */
variable "tags" {
  type    = map(string)
  default = {}
}

locals {
  name   = "${var.prefix}-bucket"
  count  = length(var.azs) > 0 ? 3 : 1
  ids    = [for s in aws_subnet.private : s.id if s.map_public_ip_on_launch == false]
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Resource": "${aws_s3_bucket.b.arn}/*"
    }
  EOT
}

resource "aws_s3_bucket" "b" {
  bucket        = local.name
  force_destroy = true
  tags          = merge(var.tags, { Name = local.name })

  dynamic "rule" {
    for_each = var.rules
    content {
      id = rule.value.id
    }
  }

  lifecycle {
    prevent_destroy = false
  }
}

output "arn" {
  value     = aws_s3_bucket.b.arn
  sensitive = true
}
"#,
    ),
    (
        "dockerfile",
        r#"# syntax=docker/dockerfile:1.7
ARG RUST_VERSION=1.89
FROM rust:${RUST_VERSION}-slim AS build
WORKDIR /src
ENV CARGO_TERM_COLOR=never \
    RUSTFLAGS="-C target-cpu=native"
COPY --link Cargo.toml Cargo.lock ./
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    cargo fetch && \
    echo "fetched" # comment
COPY . .
RUN <<EOF
set -e
cargo build --release
EOF
FROM debian:bookworm-slim
LABEL org.opencontainers.image.source="https://example.com/repo"
COPY --from=build /src/target/release/app /usr/local/bin/app
EXPOSE 8080/tcp
HEALTHCHECK --interval=30s CMD ["app", "health"]
USER 1000:1000
ENTRYPOINT ["/usr/local/bin/app"]
CMD ["serve", "--port", "8080"]
"#,
    ),
    (
        "markdown",
        r#"# Title with `code`

Some *emphasis*, **strong**, ~~strike~~ and a [link](https://example.com "title").

> A quote with a list:
> - item one
> - item [[wiki-link]]

1. First
2. Second
   ```rust
   fn nested() -> u8 { 1 }
   ```

```yaml
key: value
list: [1, 2]
```

```bash
echo "$HOME" <<EOF
EOF
```

~~~python
def f(): return f"{1}"
~~~

```
plain fence
```

| a | b |
|---|:-:|
| `x` | <b>html</b> |

<div class="raw">
  <p>inline html</p>
</div>

    indented code block

Text with trailing spaces  
and a hard break.[^note]

[^note]: A footnote.
![image](img.png)
"#,
    ),
    (
        "html",
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<style>
  body { color: #333; margin: 0 auto; }
  @media (prefers-color-scheme: dark) { body { color: #eee } }
</style>
<script>
  const x = `template ${1 + 2}`; // comment
  document.querySelectorAll("a").forEach(a => a.rel = "noopener");
</script>
</head>
<body>
<!-- comment -->
<a href="/x?a=1&amp;b=2" class='c'>link &copy;</a>
{% if item.title %}<h1>{{ item.title | escape }}</h1>{% endif %}
</body>
</html>
"#,
    ),
    (
        "css",
        r#"/* Theme */
:root { --accent: #0b5fff; --gap: calc(1rem + 2px); }
pre.code .l24292e, a:hover > span::before { color: var(--accent) !important; }
@media (max-width: 40em) and (prefers-reduced-motion: reduce) {
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); }
}
@supports (display: grid) { .x[data-y="z"] { content: "\201C"; } }
"#,
    ),
    (
        "javascript",
        r#"// Search
import { index } from "./index.js";
export default async function search(q, { limit = 10 } = {}) {
  const re = /\b(foo|bar)\d+/gi;
  const terms = q.toLowerCase().split(/\s+/).filter(Boolean);
  const hits = [];
  for (const [id, doc] of Object.entries(await index())) {
    if (terms.every((t) => doc.text?.includes(t) ?? false)) hits.push({ id, ...doc });
  }
  return hits.slice(0, limit).map(h => `${h.id}: ${h.title}`);
}
class A extends B { #priv = 1; static get x() { return this.#priv; } }
"#,
    ),
];

/// Inputs the parser finds odd.
const ODD: &[&str] = &[
    "",
    "\n",
    "\r\n",
    "\r\n\r\n",
    "\r",
    "no newline at end",
    "\"unterminated string",
    "'unterminated\n",
    "/* never closed\nstill comment\n",
    "<!-- never closed",
    "r#\"raw never closed\n",
    "\"\"\"triple never closed\n\n",
    "```\nfence in code\n",
    "<<EOF\nheredoc never closed\n",
    "fn main() {\r\n    let s = \"crlf\";\r\n}\r\n",
    "key: value\r\nlist:\r\n  - 1\r\n",
    "\u{0}\u{1}\u{feff}",
    "ü∂ƒ©˙∆˚¬…æ \u{1F600} tab\tend",
    "}}}]]])))",
    "{{{[[[(((",
    "#!/bin/sh\n",
    "    \n\t\n",
];

/// Every ``` or ~~~ fence with a language under `dir`'s Markdown files.
fn fences(dir: &Path, out: &mut Vec<(String, String, String)>) {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut open: Option<(String, usize, String, String)> = None;
        for line in text.lines() {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            match &mut open {
                None => {
                    for marker in ["```", "~~~"] {
                        if let Some(info) = trimmed.strip_prefix(marker) {
                            let info = info.trim_start_matches(marker.as_bytes()[0] as char);
                            let lang = info.split([' ', ',', '{']).next().unwrap_or("").trim().to_string();
                            open = Some((marker.to_string(), indent, lang, String::new()));
                            break;
                        }
                    }
                }
                Some((marker, fence_indent, lang, body)) => {
                    if trimmed.starts_with(marker.as_str())
                        && trimmed.trim_start_matches(marker.as_bytes()[0] as char).trim().is_empty()
                    {
                        out.push((format!("{}", file.display()), std::mem::take(lang), std::mem::take(body)));
                        open = None;
                    } else {
                        let strip = line.len() - line.trim_start_matches(' ').len();
                        body.push_str(&line[strip.min(*fence_indent)..]);
                        body.push('\n');
                    }
                }
            }
        }
    }
}

/// Files of the repository, highlighted as their own language.
fn repo_files() -> Vec<(String, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut add_dir = |dir: &str, ext: &str, lang: &str| {
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for f in files {
            if let Ok(text) = std::fs::read_to_string(&f) {
                out.push((format!("{}", f.display()), lang.to_string(), text));
            }
        }
    };
    add_dir("src/markdown", "rs", "rust");
    add_dir("src/model", "rs", "rust");
    add_dir("src/load", "rs", "rust");
    add_dir("example-site", "yaml", "yaml");
    add_dir("src/scaffold/site", "yaml", "yaml");
    add_dir("src/scaffold/site", "yml", "yaml");
    add_dir("docs", "json", "json");
    add_dir("themes/default/static", "css", "css");
    add_dir("themes/default/templates", "html", "html");
    add_dir("docs", "md", "markdown");
    add_dir("example-site/content", "md", "markdown");
    for (file, lang) in [("Cargo.toml", "toml"), (".ci/run", "bash")] {
        if let Ok(text) = std::fs::read_to_string(root.join(file)) {
            out.push((file.to_string(), lang.to_string(), text));
        }
    }
    out
}

#[test]
fn memo_matches_reference_on_samples_realistic_code_and_odd_input() {
    let mut cov = Coverage::default();
    for (lang, code) in SAMPLES {
        check(&mut cov, code, lang, "SAMPLES");
    }
    for (lang, code) in REALISTIC {
        check(&mut cov, code, lang, "REALISTIC");
        // Every prefix cut at a line end: blocks that stop inside strings, heredocs, fences.
        let mut end = 0;
        for line in code.split_inclusive('\n') {
            end += line.len();
            check(&mut cov, &code[..end], lang, "REALISTIC prefix");
        }
        // The same code with CRLF line ends.
        check(&mut cov, &code.replace('\n', "\r\n"), lang, "REALISTIC crlf");
    }
    // Every piece of code as every language: unusual stacks from mismatched input.
    let langs: BTreeSet<&str> = SAMPLES.iter().chain(REALISTIC).map(|(l, _)| *l).collect();
    for lang in &langs {
        for (_, code) in SAMPLES.iter().chain(REALISTIC) {
            check(&mut cov, code, lang, "cross");
        }
        for code in ODD {
            check(&mut cov, code, lang, "ODD");
        }
    }
    eprintln!("{cov:?}");
    assert!(cov.highlighted * 2 > cov.blocks, "most blocks get colour: {cov:?}");
    assert!(cov.clears > 0 && cov.restores > 0, "clear_scopes is exercised: {cov:?}");
}

#[test]
fn memo_matches_reference_on_every_syntax() {
    // Every syntax two-face ships, on the realistic code and the odd inputs.
    let mut cov = Coverage::default();
    for syntax in SYNTAXES.syntaxes() {
        let lang = syntax.file_extensions.first().cloned().unwrap_or_else(|| syntax.name.clone());
        if find_syntax(&lang).map(|s| &s.name) != Some(&syntax.name) {
            continue;
        }
        for (_, code) in REALISTIC {
            check(&mut cov, code, &lang, "every syntax");
        }
        for code in ODD {
            check(&mut cov, code, &lang, "every syntax, odd");
        }
    }
    eprintln!("{cov:?}");
    assert!(cov.languages.len() > 100, "{cov:?}");
}

#[test]
fn memo_matches_reference_on_site_and_guide_fences_and_repository_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut blocks = Vec::new();
    fences(&root.join("example-site"), &mut blocks);
    fences(&root.join("docs"), &mut blocks);
    let fenced = blocks.len();
    assert!(fenced > 10, "found {fenced} fences");
    blocks.extend(repo_files());
    let mut cov = Coverage::default();
    for (file, lang, code) in &blocks {
        check(&mut cov, code, lang, file);
    }
    eprintln!("{fenced} fences; {cov:?}");
    assert!(cov.highlighted > fenced / 2, "{cov:?}");
}

#[test]
fn memo_matches_reference_across_resets_and_threads() {
    // A tiny bound makes the memo drop and rebuild between most blocks.
    let inputs: Vec<(&str, &str)> = REALISTIC.iter().chain(SAMPLES).copied().collect();
    for (lang, code) in &inputs {
        let syntax = find_syntax(lang).unwrap();
        let expected = classed_reference(code, syntax);
        for bound in [0, 1, 8, 64] {
            assert_eq!(classed_bounded(code, syntax, bound), expected, "{lang} with bound {bound}");
        }
    }
    // Fresh threads see the inputs in different orders; their memos grow differently.
    std::thread::scope(|s| {
        for seed in 0..4u64 {
            let inputs = &inputs;
            s.spawn(move || {
                let mut order: Vec<usize> = (0..inputs.len()).collect();
                fastrand::Rng::with_seed(seed).shuffle(&mut order);
                for i in order {
                    let (lang, code) = inputs[i];
                    assert_eq!(highlight(code, lang), highlight_reference(code, lang), "{lang}, seed {seed}");
                }
            });
        }
    });
}

#[test]
fn empty_stack_and_popped_empty_stack_classes_match_the_iterator() {
    // The iterator styles an empty stack with the theme default (no span) and a
    // popped-empty style stack with `Style::default()`; the memo must do the same.
    MEMO.with(|memo| {
        let memo = memo.borrow();
        assert_eq!(memo.class_of[0], NO_SPAN);
        let [light_theme, dark_theme] = &*THEMES;
        let mut class = String::new();
        side_classes(&mut class, 'l', &Style::default(), light_theme.settings.foreground);
        side_classes(&mut class, 'd', &Style::default(), dark_theme.settings.foreground);
        assert_eq!(&*memo.classes[memo.popped_empty as usize], class);
    });
}

#[test]
fn memo_matches_reference_on_random_ops() {
    // Op sequences real syntaxes rarely or never give: pops past an empty
    // stack, clearing everything, restores with nothing cleared, empty tokens,
    // several ops at one position, over scopes the themes style.
    let scopes: Vec<Scope> = [
        "source.rust",
        "text.html.markdown",
        "comment.line.double-slash",
        "comment.block.documentation",
        "string.quoted.double",
        "constant.character.escape",
        "keyword.control",
        "keyword.operator",
        "storage.type",
        "entity.name.function",
        "entity.name.tag",
        "variable.parameter",
        "meta.block",
        "meta.function-call",
        "punctuation.definition.string.begin",
        "markup.heading",
        "markup.bold",
        "markup.italic",
        "markup.underline.link",
        "markup.raw.block",
        "invalid.illegal",
        "support.function",
        "constant.numeric",
        "source.shell.embedded",
    ]
    .iter()
    .map(|s| Scope::new(s).unwrap())
    .collect();
    let mut seen_popped_empty = 0;
    let mut seen_failed_restore = 0;
    for seed in 0..300u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut out = String::new();
        let mut expected = String::new();
        let mut reference = ReferenceStyler::new();
        MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            let mut styler = Styler::new(&mut memo);
            let mut check_stack = ScopeStack::new();
            let mut style_depth = 1usize;
            for _ in 0..rng.usize(1..12) {
                let line: String = (0..rng.usize(0..40))
                    .map(|_| rng.choice(b"ab <&\"x\t".iter()).map_or('a', |&b| b as char))
                    .collect();
                let line = format!("{line}\n");
                let mut positions: Vec<usize> = (0..rng.usize(0..10)).map(|_| rng.usize(0..=line.len())).collect();
                positions.sort_unstable();
                let ops: Vec<(usize, ScopeStackOp)> = positions
                    .into_iter()
                    .map(|at| {
                        let op = match rng.u8(0..10) {
                            0..=3 => ScopeStackOp::Push(scopes[rng.usize(0..scopes.len())]),
                            4..=5 => ScopeStackOp::Pop(rng.usize(0..4)),
                            6 => ScopeStackOp::Clear(ClearAmount::TopN(rng.usize(0..4))),
                            7 => ScopeStackOp::Clear(ClearAmount::All),
                            8 => ScopeStackOp::Restore,
                            _ => ScopeStackOp::Noop,
                        };
                        (at, op)
                    })
                    .collect();
                for (_, op) in &ops {
                    let failed = check_stack
                        .apply_with_hook(op, |basic, _| match basic {
                            BasicScopeStackOp::Push(_) => style_depth += 1,
                            BasicScopeStackOp::Pop => style_depth = style_depth.saturating_sub(1),
                        })
                        .is_err();
                    if failed {
                        seen_failed_restore += 1;
                        break;
                    }
                    seen_popped_empty += usize::from(style_depth == 0);
                }
                styler.line(&mut out, &line, &ops);
                reference.line(&mut expected, &line, &ops).unwrap();
            }
            styler.finish(&mut out);
        });
        reference.finish(&mut expected);
        assert_eq!(out, expected, "seed {seed}");
    }
    assert!(seen_popped_empty > 0 && seen_failed_restore > 0, "{seen_popped_empty} {seen_failed_restore}");
}
