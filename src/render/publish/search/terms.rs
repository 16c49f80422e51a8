//! The search tokeniser and how much each term of an item weighs: the one
//! place that decides what a word is, so `search.js` can split a query the same way.

use std::borrow::Cow;
use std::collections::HashMap;

/// Terms longer than this many characters (hashes, base64, long URLs) are not indexed.
pub(crate) const MAX_TERM: usize = 40;

/// Where a term occurs in an item; a term's weight adds one bonus per place.
#[derive(Clone, Copy)]
pub(crate) enum Place {
    /// The title and the id: what a reader searching for an item types first.
    Title,
    Summary,
    /// Field values and the titles of the items it names.
    Fields,
    Body,
}

const TITLE: u8 = 16;
const SUMMARY: u8 = 6;
const FIELDS: u8 = 5;
/// The largest weight: title, summary, fields and a body that repeats the term often.
const MAX_WEIGHT: u8 = TITLE + SUMMARY + FIELDS + 4;
// A weight is one digit of the postings' alphabet (`postings::LAST`).
const _: () = assert!(MAX_WEIGHT < 32);

/// The terms of `text`: lowercased, accents removed (as `search.js`'s `norm`
/// does: decomposed, then U+0300 to U+036F dropped), split at every character
/// that is neither alphabetic nor numeric (JavaScript's `\p{Alphabetic}\p{N}`).
pub(crate) fn tokens(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter_map(|word| {
        let term = if word.is_ascii() {
            // Most words: lowercase ASCII already, borrowed as they are.
            match word.bytes().any(|b| b.is_ascii_uppercase()) {
                true => Cow::Owned(word.to_ascii_lowercase()),
                false => Cow::Borrowed(word),
            }
        } else {
            use unicode_normalization::UnicodeNormalization;
            Cow::Owned(word.chars().flat_map(char::to_lowercase).nfd().filter(|c| !is_accent(*c)).collect())
        };
        (!term.is_empty() && term.chars().count() <= MAX_TERM).then_some(term)
    })
}

fn is_accent(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// An item's terms, each with how often it occurs in each place.
#[derive(Default)]
pub(crate) struct Counts {
    terms: HashMap<String, [u16; 4]>,
}

impl Counts {
    pub(crate) fn add(&mut self, place: Place, text: &str) {
        for term in tokens(text) {
            // A term seen before costs no allocation.
            let counts = match self.terms.get_mut(term.as_ref()) {
                Some(counts) => counts,
                None => self.terms.entry(term.into_owned()).or_default(),
            };
            counts[place as usize] = counts[place as usize].saturating_add(1);
        }
    }

    /// Each term with its weight, in term order: a bonus for each of title,
    /// summary and fields it occurs in, plus up to 4 for how often the body says it.
    pub(crate) fn weights(&self) -> Vec<(&str, u8)> {
        let mut out: Vec<(&str, u8)> =
            self.terms.iter().map(|(term, counts)| (term.as_str(), weight(counts))).collect();
        out.sort_unstable();
        out
    }
}

fn weight(counts: &[u16; 4]) -> u8 {
    let bonus = |place: Place, points: u8| if counts[place as usize] > 0 { points } else { 0 };
    // 1, 2-3, 4-7, 8 or more: a body that says a word twice as often counts a step more.
    let body = match counts[Place::Body as usize] {
        0 => 0,
        n => (16 - n.min(8).leading_zeros()) as u8,
    };
    bonus(Place::Title, TITLE) + bonus(Place::Summary, SUMMARY) + bonus(Place::Fields, FIELDS) + body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        tokens(text).map(Cow::into_owned).collect()
    }

    #[test]
    fn tokens_are_lowercased_unaccented_words_and_numbers() {
        assert_eq!(
            all("Shared remote-build CACHE, p95 (v2.1)"),
            ["shared", "remote", "build", "cache", "p95", "v2", "1"]
        );
        assert_eq!(all("Café naïve Ångström"), ["cafe", "naive", "angstrom"]);
        assert_eq!(all("snake_case `code` <b>"), ["snake", "case", "code", "b"]);
        assert_eq!(all("日本語 テスト"), ["日本語", "テスト"]);
    }

    #[test]
    fn overlong_terms_are_left_out() {
        let long = "x".repeat(MAX_TERM + 1);
        assert_eq!(all(&format!("keep {long} this")), ["keep", "this"]);
        assert_eq!(all(&"y".repeat(MAX_TERM)).len(), 1);
    }

    #[test]
    fn title_outweighs_summary_outweighs_fields_outweighs_body() {
        let mut c = Counts::default();
        c.add(Place::Title, "alpha");
        c.add(Place::Summary, "beta");
        c.add(Place::Fields, "gamma");
        c.add(Place::Body, "delta delta delta delta delta delta delta delta delta epsilon");
        let w: HashMap<&str, u8> = c.weights().into_iter().collect();
        assert!(w["alpha"] > w["beta"] && w["beta"] > w["gamma"] && w["gamma"] > w["delta"], "{w:?}");
        assert!(w["delta"] > w["epsilon"], "term frequency counts: {w:?}");
    }

    #[test]
    fn body_frequency_steps_and_weights_stay_in_range() {
        let body = |n: u16| weight(&[0, 0, 0, n]);
        assert_eq!([0, 1, 2, 3, 4, 7, 8, 1000].map(body), [0, 1, 2, 2, 3, 3, 4, 4]);
        assert_eq!(weight(&[9, 9, 9, 9]), MAX_WEIGHT);
    }
}
