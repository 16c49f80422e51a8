//! Coverage: which pains each solution covers, and which pains still hurt
//! with no solution covering them. A pain's solutions are
//! `Computed::covered_by`, filled when the model is built.

use std::collections::HashMap;

use super::{Details, Kind, Site};

impl Site {
    /// Whether a pain still hurts (open or mitigated) and no solution covers it.
    pub fn open_and_uncovered(&self, pain: usize) -> bool {
        self.computed[pain].covered_by.is_empty()
            && matches!(&self.items[pain].details, Details::Pain(p) if p.status.still_hurts())
    }

    /// Per solution, the pains it covers, in site order, each once (a
    /// solution that names a pain twice covers it once).
    pub fn pains_covered(&self) -> HashMap<usize, Vec<usize>> {
        let mut covers: HashMap<usize, Vec<usize>> = HashMap::new();
        for (p, _) in self.of_kind(Kind::Pain) {
            for &(by, _) in &self.computed[p].covered_by {
                let list = covers.entry(by).or_default();
                if list.last() != Some(&p) {
                    list.push(p);
                }
            }
        }
        covers
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::site;

    #[test]
    fn a_solution_covers_each_named_pain_once() {
        let pain = "---\ntitle: P\n---\n";
        let solution = "---\ntitle: S\naddresses:\n  - pain: b\n    how: address\n  - pain: a\n    how: empower\n  - pain: a\n    how: address\ncategory: immediate\nphase: now\n---\n";
        let s = site(&[("pain/a.md", pain), ("pain/b.md", pain), ("pain/c.md", pain), ("solutions/s.md", solution)]);
        let (a, b, c) = (s.index_of("a").unwrap(), s.index_of("b").unwrap(), s.index_of("c").unwrap());
        let covers = s.pains_covered();
        assert_eq!(covers[&s.index_of("s").unwrap()], [a, b]);
        assert!(!s.open_and_uncovered(a));
        assert!(s.open_and_uncovered(c));
    }
}
