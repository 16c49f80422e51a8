//! The SLA rules: how far an SLA's current figure is from its expected one,
//! in which unit, whether it is met, for `better: higher` and `better: lower`
//! alike, and which missed SLA is the worst.

use std::cmp::Ordering;

use super::item::Sla;
use super::kind::Better;
use super::{Details, Kind, Site};

impl Sla {
    /// How far the current figure falls short of the expected one, in the
    /// SLA's unit: positive when it is not met, zero or negative when it is.
    pub fn gap(&self) -> f64 {
        self.better.gap(self.current, self.expected)
    }

    /// Whether the SLA is met: the current figure is at least as good as the
    /// expected one (equal counts as met).
    pub fn is_met(&self) -> bool {
        self.better.is_met(self.current, self.expected)
    }

    /// The unit of the gap: the SLA's own, but percentage points for a
    /// percentage (99.9% expected and 45.9% delivered are 54 points apart,
    /// not 54%). `None` when the SLA has no unit.
    pub fn gap_unit(&self) -> Option<&str> {
        match self.unit.as_deref().map(str::trim) {
            Some("%") => Some("points"),
            Some("") | None => None,
            Some(unit) => Some(unit),
        }
    }

    /// How many times worse than expected the current figure is (1 when
    /// met exactly, below 1 when better): missed SLAs in different units
    /// compare by it, and it is fair to both directions (45.9% against
    /// 99.9% is 2.2 times short; 27 min against 15 is 1.8 times over). A
    /// figure at or below zero on the wrong side is infinitely far off.
    pub fn shortfall(&self) -> f64 {
        let (worse, better) = match self.better {
            Better::Higher => (self.expected, self.current),
            Better::Lower => (self.current, self.expected),
        };
        match (worse > 0.0, better > 0.0) {
            (true, true) => worse / better,
            _ if self.is_met() => 0.0,
            _ => f64::INFINITY,
        }
    }
}

impl Better {
    /// How far `current` falls short of `expected` in this direction:
    /// positive when not met. The rule of [`Sla::gap`], for a level of
    /// another time (a past review's) too.
    pub fn gap(self, current: f64, expected: f64) -> f64 {
        match self {
            Better::Higher => expected - current,
            Better::Lower => current - expected,
        }
    }

    /// Whether `current` meets `expected` in this direction (equal counts as met).
    pub fn is_met(self, current: f64, expected: f64) -> bool {
        self.gap(current, expected) <= 0.0
    }
}

impl Site {
    /// The SLAs not met, the worst first: the largest shortfall (see
    /// [`Sla::shortfall`]), then by id.
    pub fn missed_slas(&self) -> Vec<usize> {
        let sla = |i: usize| match &self.items[i].details {
            Details::Sla(s) => Some(s),
            _ => None,
        };
        let mut missed: Vec<(f64, usize)> = self
            .of_kind(Kind::Sla)
            .filter_map(|(i, _)| sla(i).filter(|s| !s.is_met()).map(|s| (s.shortfall(), i)))
            .collect();
        missed.sort_by(|a, b| {
            b.0.partial_cmp(&a.0).unwrap_or(Ordering::Equal).then_with(|| self.items[a.1].id.cmp(&self.items[b.1].id))
        });
        missed.into_iter().map(|(_, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sla(expected: f64, current: f64, better: Better) -> Sla {
        with_unit(expected, current, better, None)
    }

    fn with_unit(expected: f64, current: f64, better: Better, unit: Option<&str>) -> Sla {
        Sla {
            service: "CI".into(),
            objective: "builds".into(),
            expected,
            current,
            unit: unit.map(str::to_string),
            better,
            pains: Vec::new(),
        }
    }

    #[test]
    fn higher_is_met_at_or_above_the_expected_figure() {
        assert!(sla(99.0, 99.5, Better::Higher).is_met());
        assert!(sla(99.0, 99.0, Better::Higher).is_met());
        assert!(!sla(99.0, 98.0, Better::Higher).is_met());
        assert_eq!(sla(99.0, 98.0, Better::Higher).gap(), 1.0);
    }

    #[test]
    fn lower_is_met_at_or_below_the_expected_figure() {
        assert!(sla(15.0, 12.0, Better::Lower).is_met());
        assert!(sla(15.0, 15.0, Better::Lower).is_met());
        assert!(!sla(15.0, 38.0, Better::Lower).is_met());
        assert_eq!(sla(15.0, 38.0, Better::Lower).gap(), 23.0);
        assert_eq!(sla(15.0, 12.0, Better::Lower).gap(), -3.0);
    }

    #[test]
    fn a_percentage_gap_is_in_points_and_other_units_stay() {
        assert_eq!(with_unit(99.9, 45.9, Better::Higher, Some("%")).gap_unit(), Some("points"));
        assert_eq!(with_unit(15.0, 27.0, Better::Lower, Some("min")).gap_unit(), Some("min"));
        assert_eq!(with_unit(15.0, 27.0, Better::Lower, Some(" ")).gap_unit(), None);
        assert_eq!(sla(15.0, 27.0, Better::Lower).gap_unit(), None);
    }

    #[test]
    fn the_worst_missed_sla_falls_furthest_short_of_its_expected_figure() {
        let sla = |expected: &str, current: &str, better: &str| {
            format!(
                "---\ntitle: S\nservice: CI\nobjective: o\nexpected: {expected}\ncurrent: {current}\nbetter: {better}\n---\n"
            )
        };
        let s = super::super::testing::site(&[
            ("slas/a-met.md", &sla("15", "12", "lower")),
            ("slas/b-double.md", &sla("15", "30", "lower")),
            ("slas/c-slight.md", &sla("99.9", "98.9", "higher")),
            ("slas/d-half.md", &sla("99.9", "45.9", "higher")),
        ]);
        let ids: Vec<&str> = s.missed_slas().iter().map(|&i| s.items[i].id.as_str()).collect();
        assert_eq!(ids, ["d-half", "b-double", "c-slight"]);
    }
}
