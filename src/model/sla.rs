//! The SLA rules: how far an SLA's current figure is from its expected one,
//! and whether it is met, for `better: higher` and `better: lower` alike.

use super::item::Sla;
use super::kind::Better;

impl Sla {
    /// How far the current figure falls short of the expected one, in the
    /// SLA's unit: positive when it is not met, zero or negative when it is.
    pub fn gap(&self) -> f64 {
        match self.better {
            Better::Higher => self.expected - self.current,
            Better::Lower => self.current - self.expected,
        }
    }

    /// Whether the SLA is met: the current figure is at least as good as the
    /// expected one (equal counts as met).
    pub fn is_met(&self) -> bool {
        self.gap() <= 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sla(expected: f64, current: f64, better: Better) -> Sla {
        Sla {
            service: "CI".into(),
            objective: "builds".into(),
            expected,
            current,
            unit: None,
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
}
