//! The search index's postings: which items hold a term and how much it
//! weighs in each, written compactly, and split into chunk files that a query
//! loads only when one of its words falls into them.

/// A chunk closes before a term whose postings would take it past this many bytes.
const CHUNK_BYTES: usize = 24 * 1024;
/// A chunk also closes before a term whose hash is a multiple of this, so
/// boundaries are content-defined: an edit moves the boundaries near its
/// terms only, and `serve` rewrites few chunk files.
const SPLIT_EVERY: u64 = 160;

/// A varint's last digit: 5 bits.
const LAST: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
/// A varint's earlier digits: 5 bits each, and "more follows". No digit is a
/// quote, a backslash, `<` or a comma, so postings sit in JSON strings as they are.
const MORE: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&*";

/// One item that holds a term: its number in the index and the term's weight there.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Posting {
    pub item: u32,
    pub weight: u8,
}

fn push_varint(out: &mut String, mut value: u32) {
    let mut digits = [0u8; 7];
    let mut n = 0;
    loop {
        digits[n] = (value & 31) as u8;
        n += 1;
        value >>= 5;
        if value == 0 {
            break;
        }
    }
    for k in (1..n).rev() {
        out.push(MORE[digits[k] as usize] as char);
    }
    out.push(LAST[digits[0] as usize] as char);
}

/// A term's postings as text: groups of equal weight, heaviest first, joined
/// by commas; each group is its weight (one digit) and then its items in
/// ascending order, the first as it is and each next as the step from the one
/// before. An item of a common term costs one character.
pub(crate) fn encode(postings: &mut [Posting]) -> String {
    postings.sort_unstable_by(|a, b| b.weight.cmp(&a.weight).then(a.item.cmp(&b.item)));
    let mut out = String::with_capacity(postings.len() + 8);
    let mut group: Option<u8> = None;
    let mut previous = 0;
    for p in postings.iter() {
        if group != Some(p.weight) {
            if group.is_some() {
                out.push(',');
            }
            out.push(LAST[usize::from(p.weight.min(31))] as char);
            group = Some(p.weight);
            push_varint(&mut out, p.item);
        } else {
            push_varint(&mut out, p.item - previous);
        }
        previous = p.item;
    }
    out
}

/// One chunk file: the terms from `first` up to the next chunk's first term.
pub(crate) struct Chunk {
    pub first: String,
    /// The file's name: the hash of its first term, so it survives edits elsewhere.
    pub name: String,
    pub js: String,
}

/// FNV-1a: a fixed hash, the same on every machine and in every run.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Splits `terms` (each with its encoded postings, in the order of
/// [`utf16_order`]) into chunk files, each `window.chartedSearch.chunk(name, {term: postings, …})`.
pub(crate) fn chunks(terms: &[(String, String)]) -> Vec<Chunk> {
    let mut out: Vec<Chunk> = Vec::new();
    let mut size = 0;
    for (term, postings) in terms {
        let entry = serde_json::to_string(term).unwrap_or_default() + ":\"" + postings + "\"";
        let full = size + entry.len() > CHUNK_BYTES;
        match out.last_mut() {
            Some(chunk) if !full && !fnv(term).is_multiple_of(SPLIT_EVERY) => {
                chunk.js.push(',');
                chunk.js.push_str(&entry);
                size += entry.len();
            }
            _ => {
                let mut name = format!("{:016x}", fnv(term));
                // Two first terms with one hash: the later file takes a suffix.
                if out.iter().any(|c| c.name == name) {
                    name.push_str(&format!("-{}", out.len()));
                }
                let js = format!("window.chartedSearch.chunk(\"{name}\",{{{entry}");
                out.push(Chunk { first: term.clone(), name, js });
                size = entry.len();
            }
        }
    }
    for chunk in &mut out {
        chunk.js = crate::escape::script_json(&chunk.js) + "});\n";
    }
    out
}

/// Terms in the order JavaScript compares strings (by UTF-16 code units),
/// so `search.js` finds a term's chunk by comparing it with the first terms.
pub(crate) fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Vec<Posting> {
        let digit = |c: u8, set: &[u8; 32]| set.iter().position(|d| *d == c).map(|p| p as u32);
        let mut out = Vec::new();
        for group in text.split(',') {
            let bytes = group.as_bytes();
            let weight = digit(bytes[0], LAST).unwrap() as u8;
            let (mut value, mut previous) = (0, 0);
            for &b in &bytes[1..] {
                if let Some(d) = digit(b, MORE) {
                    value = value * 32 + d;
                } else {
                    previous += value * 32 + digit(b, LAST).unwrap();
                    out.push(Posting { item: previous, weight });
                    value = 0;
                }
            }
        }
        out
    }

    #[test]
    fn postings_round_trip_heaviest_first() {
        let mut postings = vec![
            Posting { item: 7, weight: 1 },
            Posting { item: 3, weight: 16 },
            Posting { item: 100_000, weight: 1 },
            Posting { item: 0, weight: 1 },
            Posting { item: 40, weight: 29 },
        ];
        let text = encode(&mut postings);
        assert_eq!(decode(&text), postings, "{text}");
        assert_eq!(postings.iter().map(|p| p.weight).collect::<Vec<_>>(), [29, 16, 1, 1, 1]);
        assert!(!text.contains(['"', '\\', '<']), "{text}");
    }

    #[test]
    fn a_common_term_costs_a_character_an_item() {
        let mut postings: Vec<Posting> = (0..10_000).map(|item| Posting { item, weight: 1 }).collect();
        assert!(encode(&mut postings).len() <= 10_002);
    }

    fn terms(n: usize, postings: usize) -> Vec<(String, String)> {
        (0..n).map(|i| (format!("term{i:05}"), "1".repeat(postings))).collect()
    }

    #[test]
    fn chunks_cover_every_term_in_order_and_stay_small() {
        let terms = terms(3000, 40);
        let chunks = chunks(&terms);
        assert!(chunks.len() > 5 && chunks.len() < 100, "{}", chunks.len());
        assert_eq!(chunks[0].first, terms[0].0);
        assert!(chunks.windows(2).all(|w| w[0].first < w[1].first));
        let held: usize = chunks.iter().map(|c| c.js.matches("\"term").count()).sum();
        assert_eq!(held, terms.len());
        assert!(chunks.iter().all(|c| c.js.len() < CHUNK_BYTES + 200), "no chunk much past the target");
    }

    #[test]
    fn a_big_term_has_a_chunk_of_its_own() {
        let mut terms = terms(10, 10);
        terms[4].1 = "1".repeat(CHUNK_BYTES * 2);
        let chunks = chunks(&terms);
        let big = chunks.iter().find(|c| c.first == "term00004").unwrap();
        assert_eq!(big.js.matches("\"term").count(), 1);
    }

    #[test]
    fn an_edit_moves_few_chunk_boundaries() {
        let before = terms(5000, 30);
        let mut after = before.clone();
        after[2500].1 = "1".repeat(3000);
        let names = |t: &[(String, String)]| chunks(t).into_iter().map(|c| (c.name, c.js)).collect::<Vec<_>>();
        let (a, b) = (names(&before), names(&after));
        let same = a.iter().filter(|c| b.contains(c)).count();
        assert!(same + 4 >= a.len(), "{same} of {} chunk files unchanged", a.len());
    }

    #[test]
    fn utf16_order_is_javascripts() {
        // U+FF5E sorts before U+1F600 by code point, after it in JavaScript.
        assert_eq!(utf16_order("\u{ff5e}", "\u{1f600}"), std::cmp::Ordering::Greater);
        assert_eq!(utf16_order("ab", "b"), std::cmp::Ordering::Less);
    }
}
