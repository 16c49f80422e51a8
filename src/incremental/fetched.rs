//! A shared vocabulary or a team's items.json fetched from a URL, kept for a whole `serve` session:
//! fetched once, not on every rebuild (a remote file changes rarely, and a
//! network that does not answer would cost its timeout each time).

use std::collections::HashMap;

use crate::load::fetch::Network;
use crate::load::shared::{Fetch, Fetched, Fetching};

/// Each URL's first answer (fresh, a kept copy, or none), by URL.
#[derive(Default)]
pub(crate) struct FetchMemo {
    kept: HashMap<String, Fetched>,
}

impl Fetch for FetchMemo {
    fn fetch(&mut self, url: &str, what: Fetching) -> Fetched {
        self.kept.entry(url.to_string()).or_insert_with(|| Network.fetch(url, what)).clone()
    }
}
