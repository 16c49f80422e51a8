//! A site built from a few files in memory, for the model's unit tests.

use std::path::PathBuf;

use super::{ModelOptions, Site};
use crate::diagnostic::Diagnostics;

/// The site of `files` (`("pain/a.md", "---\ntitle: A\n---\n")`, paths
/// under `content/`), as `build` would model it on 2026-06-01.
pub fn site(files: &[(&str, &str)]) -> Site {
    let files: Vec<(PathBuf, Vec<u8>)> =
        files.iter().map(|(path, text)| (PathBuf::from("content").join(path), text.as_bytes().to_vec())).collect();
    let mut diags = Diagnostics::default();
    let loaded = crate::load::load_from_memory(b"title: Test\n", &files, &mut diags);
    let options = ModelOptions { drafts: false, today: "2026-06-01".parse().expect("a date") };
    super::build(&loaded, &options, &mut diags)
}
