//! Coverage: which pains each solution covers, and which pains still hurt
//! with no solution that can still help. A pain's solutions are
//! `Computed::covered_by`, filled when the model is built; a solution shown
//! not to work (invalidated) stays listed there but covers nothing: a pain
//! whose only solutions are disproved is as open as one with none.

use std::collections::HashMap;

use super::{Computed, Details, How, Item, Kind, Site, Validation};

crate::choice! {
    /// Whether a pain is covered: by a solution that can still help, only by
    /// disproved (invalidated) ones, or by none.
    pub enum Cover { Covered = "covered", Disproved = "disproved", Uncovered = "uncovered" }
}

/// Sets each pain's [`Cover`] once every solution's validation is known.
pub(super) fn judge(items: &[Item], computed: &mut [Computed]) {
    for i in 0..items.len() {
        if items[i].kind != Kind::Pain {
            continue;
        }
        let by = &computed[i].covered_by;
        let live = by.iter().any(|&(s, _)| computed[s].validation != Some(Validation::Invalidated));
        computed[i].cover = Some(match (live, by.is_empty()) {
            (true, _) => Cover::Covered,
            (false, false) => Cover::Disproved,
            (false, true) => Cover::Uncovered,
        });
    }
}

impl Site {
    /// Whether a pain still hurts (open or mitigated) and no solution that
    /// can still help covers it.
    pub fn open_and_uncovered(&self, pain: usize) -> bool {
        self.computed[pain].cover != Some(Cover::Covered)
            && matches!(&self.items[pain].details, Details::Pain(p) if p.status.still_hurts())
    }

    /// The pains that still hurt and whose only solutions are disproved, in
    /// rank order: the dashboard's list, where sunk cost hides.
    pub fn only_disproved(&self) -> Vec<usize> {
        self.ranked_pains()
            .into_iter()
            .filter(|&p| self.computed[p].cover == Some(Cover::Disproved) && self.open_and_uncovered(p))
            .collect()
    }

    /// The solutions covering pain `p`, each once, by the strongest way it
    /// names it (a solution that names a pain twice covers it once), in
    /// first-named order.
    pub fn solutions_covering(&self, p: usize) -> Vec<(usize, How)> {
        strongest_ways(&self.computed[p].covered_by)
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

/// Each solution in `covered_by` once, by the strongest way it names.
fn strongest_ways(covered_by: &[(usize, How)]) -> Vec<(usize, How)> {
    let mut out: Vec<(usize, How)> = Vec::with_capacity(covered_by.len());
    for &(by, how) in covered_by {
        match out.iter_mut().find(|(s, _)| *s == by) {
            Some(seen) if how.weight() > seen.1.weight() => seen.1 = how,
            Some(_) => {}
            None => out.push((by, how)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_solution_naming_a_pain_twice_covers_it_once_its_strongest_way() {
        use super::super::How;
        let ways = super::strongest_ways(&[(4, How::Address), (7, How::Empower), (4, How::Eliminate)]);
        assert_eq!(ways, [(4, How::Eliminate), (7, How::Empower)]);
    }

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

    #[test]
    fn a_disproved_solution_covers_nothing() {
        use super::Cover;
        let pain = "---\ntitle: P\n---\n";
        let solution = |validation: &str| {
            format!("---\ntitle: S\naddresses: [a]\ncategory: immediate\nphase: later\nvalidation: {validation}\n---\n")
        };
        let s = site(&[("pain/a.md", pain), ("pain/b.md", pain), ("solutions/s.md", &solution("invalidated"))]);
        let (a, b) = (s.index_of("a").unwrap(), s.index_of("b").unwrap());
        assert_eq!(s.computed[a].cover, Some(Cover::Disproved));
        assert_eq!(s.computed[b].cover, Some(Cover::Uncovered));
        assert!(s.open_and_uncovered(a));
        assert_eq!(s.only_disproved(), [a]);
        // A claimed verdict is not a disproof: the solution may still help.
        let s = site(&[("pain/a.md", pain), ("solutions/s.md", &solution("claimed"))]);
        assert_eq!(s.computed[s.index_of("a").unwrap()].cover, Some(Cover::Covered));
    }
}
