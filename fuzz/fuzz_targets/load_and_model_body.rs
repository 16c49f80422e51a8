//! The body of the `load_and_model` fuzz target, shared by cargo-fuzz
//! (`load_and_model.rs`) and the bounded stable run in `tests/suite/fuzz_stable.rs`,
//! so both exercise exactly the same code. See docs/reliability.md.
//!
//! The first byte picks the file's folder, whether drafts are kept and
//! whether bodies are rendered to HTML; the rest is the item file, loaded
//! beside three valid items so references can resolve.

use std::path::PathBuf;

use charted::diagnostic::Diagnostics;
use charted::{load, markdown, model};

const FOLDERS: &[&str] = &["pain", "solutions", "experiments", "discovery", "vision", "slas", "misc", ""];

/// Loads and models one fuzzed file; must never panic.
pub fn run(data: &[u8]) {
    let Some((&selector, file)) = data.split_first() else { return };
    let folder = FOLDERS[usize::from(selector) % FOLDERS.len()];
    let path = if folder.is_empty() { "content/charter.md".to_string() } else { format!("content/{folder}/fuzzed.md") };
    let files = vec![
        (PathBuf::from("content/pain/slow-ci.md"), b"---\ntitle: Slow CI\nseverity: 3\n---\n".to_vec()),
        (PathBuf::from("content/solutions/cache.md"), b"---\ntitle: Cache\naddresses: [slow-ci]\n---\n".to_vec()),
        (PathBuf::from("content/vision/fast.md"), b"---\ntitle: Fast\n---\n".to_vec()),
        (PathBuf::from(path), file.to_vec()),
    ];
    let mut diags = Diagnostics::default();
    let loaded = load::load_from_memory(b"title: Fuzz\n", &files, &mut diags);
    let Ok(today) = "2026-11-26".parse() else { return };
    let options = model::ModelOptions { drafts: selector & 0x40 != 0, today };
    let site = if selector & 0x80 != 0 {
        model::build(&loaded, &options, &mut diags)
    } else {
        model::build_with(&loaded, &options, &model::bodies::LinksOnly, &mut diags)
    };
    if selector & 0x80 != 0 {
        // Each body's HTML, as its page renders it.
        let mode = if selector & 0x20 != 0 { markdown::Mode::Html } else { markdown::Mode::Unhighlighted };
        let html = markdown::Options { mode, unsafe_html: false, highlights: None };
        for i in 0..site.items.len() {
            let _ = markdown::render(site.body(i), &html, &site.body_links(i));
        }
    }
    for d in diags.sorted() {
        let _ = d.render(d.file.as_deref().and_then(|f| loaded.source(f)));
    }
}
