//! The integration tests, one binary with a module per story (as mdBook's
//! are): each module builds fixture sites with `common` and runs the real
//! `charted` binary or the library against them. Run one story with
//! `cargo test --test suite corpus::`.

mod common;

mod board;
mod build;
mod corpus;
mod diagnostics;
mod discovery_cost;
mod docs_examples;
mod docs_reference;
mod filters;
mod fuzz_stable;
mod history;
mod history_pages;
mod history_time;
mod honest;
mod insight;
mod no_panics;
mod nothing_lost;
mod pagination;
mod portfolio;
mod portfolio_across;
mod portfolio_init;
mod portfolio_users;
mod publish;
mod rebuild;
mod safe_output;
mod scaffold;
mod search_browser;
mod serve;
mod snapshots;
mod vocabulary;
