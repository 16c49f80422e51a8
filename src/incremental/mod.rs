//! Incremental rebuilds: everything `serve` keeps between runs, and every key
//! that decides whether something kept can be reused.
//!
//! # The protocol
//!
//! A [`Session`] runs the pipeline (load → model → history → render → links → write)
//! again after each edit. Nothing is ever patched: each run builds a new
//! model and new pages, and reuses a kept result only where the fingerprint
//! of everything that result is made from is the same as last time ("same
//! inputs, same bytes"). There is no dependency graph between items, so
//! there is little to get wrong. What is kept, and its key:
//!
//! - **Files** (`load::FileCache`, the loader's own): a file's parse while
//!   its size and modification time are unchanged and no watcher named it,
//!   or while its bytes are the very text the parse was made from.
//! - **Body outlines** ([`bodies::OutlineMemo`], the model's body-reading seam):
//!   each body's links, headings, text and problems, by its text, its page
//!   depth, its file and every id, title and file a link in it could resolve
//!   to. The model itself keeps nothing: it reads bodies through the
//!   [`crate::model::bodies::BodyReader`] it is given.
//! - **Keys of the model** ([`keys`]): per item, its file's path and front
//!   matter and the labels it shows; the site's *structure*: the config,
//!   the options, every file's path and front matter and the links in bodies
//!   — everything but body prose, so typing prose leaves it alone.
//! - **The past** ([`history::PastMemo`]): every review's state, while the
//!   list of reviewed commits (names, ids, dates) is the same; the refs are
//!   read again every run, so a new tag is noticed. Its key,
//!   `SiteKeys::history`, is part of the key of every page that shows the
//!   past; the work tree's state is the model's, which the structure covers.
//! - **What pages show** (`render::Shown`: views, listings, filter bars,
//!   coverage), kept while the structure is unchanged; otherwise rebuilt,
//!   reusing each item view whose own inputs and neighbours are unchanged
//!   ([`views`]); the listings', bars' and matrix's keys are [`shown`]'s.
//! - **Pages** ([`memo::PageMemo`]): each page's bytes by the fingerprint of
//!   its declared inputs (`render::inputs::PageInputs`). The template context
//!   is built only from those inputs, so a page whose key is equal renders to
//!   equal bytes. A page rendered again to the same bytes keeps the earlier
//!   buffer, and the page loop reports it as reused, so neither the link check
//!   nor the browser sees a change.
//! - **Whole-site files**: each item's entry in `items.json`, its badge and
//!   its search entry ([`memo::Pieces`]), and the files made from the model
//!   alone ([`memo::Slot`]), by the fingerprints of what each shows.
//! - **The last link check** (`render::links::LastCheck`, kept in the page
//!   memo): what it read from each page, kept while the page loop reports
//!   the page unchanged, and its verdict, kept while the output's files and
//!   every changed page's ids are the same.
//! - **The theme** ([`theme`]), while no template or static file changed;
//!   its key is its templates' text.
//!
//! Whether a page changed is decided once, by the page loop: reused from
//! the memo, or rendered to the bytes it had. The link check keeps a page's
//! scan on that verdict, and [`Run::unchanged`] passes it on to `serve`, only
//! while the memo's pages are the ones the previous run returned.
//!
//! Render calls into this folder (the page loop asks the memo; `Shown`
//! holds its keys) but computes no key itself: `grep -rl fingerprint src`
//! lists this folder, the highlight cache (`markdown/cache.rs`, which
//! keeps highlighted code on disk between builds) and the name of a fetched
//! vocabulary's copy on disk (`load/fetch.rs`) only.
//!
//! Two stories in `tests/suite/` edit, create, delete and rename files under
//! a session and compare what it serves with a fresh build, byte for byte;
//! `tests/suite/rebuild.rs` checks what a rebuild renders again.

pub(crate) mod bodies;
pub(crate) mod fetched;
pub(crate) mod fingerprint;
pub(crate) mod history;
pub(crate) mod keys;
pub(crate) mod memo;
pub(crate) mod pages;
pub(crate) mod pieces;
pub(crate) mod portfolio;
mod session;
pub(crate) mod shown;
pub(crate) mod theme;
pub(crate) mod views;

pub use session::{Run, Session};
