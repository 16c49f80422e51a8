//! Incremental rebuilds: everything `serve` keeps between runs, and every key
//! that decides whether something kept can be reused.
//!
//! # The protocol
//!
//! A [`Session`] runs the pipeline (load → model → render → links → write)
//! again after each edit. Nothing is ever patched: each run builds a new
//! model and new pages, and reuses a kept result only where the fingerprint
//! of everything that result is made from is the same as last time ("same
//! inputs, same bytes"). There is no dependency graph between items, so
//! there is little to get wrong. What is kept, and its key:
//!
//! - **Files** (`load::FileCache`): a file's parse while its size and
//!   modification time are unchanged, or its bytes when a watcher named it.
//! - **Body outlines** ([`bodies::OutlineMemo`], the model's body-reading seam):
//!   each body's links, headings, text and problems, by its text, its page
//!   depth, its file and every id, title and file a link in it could resolve
//!   to. The model itself keeps nothing: it reads bodies through the
//!   [`crate::model::bodies::BodyReader`] it is given.
//! - **Keys of the model** ([`keys`]): per item, its file's path and front
//!   matter and the labels it shows; the site's *structure*: the config,
//!   the options, every file's path and front matter and the links in bodies
//!   — everything but body prose, so typing prose leaves it alone.
//! - **What pages show** (`render::Shown`: views, listings, filter bars,
//!   coverage), kept while the structure is unchanged; otherwise rebuilt,
//!   reusing each item view whose own inputs and neighbours are unchanged.
//! - **Pages** ([`memo::PageMemo`]): each page's bytes by the fingerprint of
//!   its declared inputs (`render::inputs::PageInputs`). The template context
//!   is built only from those inputs, so a page whose key is equal renders to
//!   equal bytes. A page rendered again to the same bytes keeps the earlier
//!   buffer, and the page loop reports it as reused, so neither the link check
//!   nor the browser sees a change.
//! - **Whole-site files**: each item's entry in `items.json`, its badge and
//!   its search entry ([`memo::Pieces`]), and the files made from the model
//!   alone ([`memo::Slot`]), by the fingerprints of what each shows.
//! - **Link-check scans** (`render::links::ScanCache`): what the link check
//!   read from each page, while the page loop reports it unchanged.
//! - **The theme**, while no template or static file changed.
//!
//! Whether a page changed is decided once, by the page loop: reused from
//! the memo, or rendered to the bytes it had. The link check keeps a page's
//! scan on that verdict, and [`Run::unchanged`] passes it on to `serve`, only
//! while the memo's pages are the ones the previous run returned.
//!
//! Still outside this folder (to move here next): the keys that render's
//! views, listings, filter bars and coverage compute of themselves
//! (`render/view.rs`, `listing.rs`, `insight.rs`) and the pieces' keys of
//! `items.json`, badges and the search index; the theme's key and cache
//! (`render/theme.rs`); the file cache (`load::FileCache`).
//!
//! Two stories in `tests/suite/` edit, create, delete and rename files under
//! a session and compare what it serves with a fresh build, byte for byte;
//! `tests/suite/rebuild.rs` checks what a rebuild renders again.

pub mod bodies;
pub mod fingerprint;
pub mod keys;
pub mod memo;
pub mod pages;
pub mod pieces;
mod session;
pub mod views;

pub use session::{Run, Session};
