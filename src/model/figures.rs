//! Computed figures: pain scores and ranks, solution value and validation,
//! experiment staleness, and the 70/30 balance of planned effort.

use jiff::civil::Date;

use super::item::{Details, Experiment, Item, Split};
use super::kind::*;
use crate::config::Scoring;

/// Rounds to one decimal, the precision every figure is shown with.
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The pain score, unrounded: with the default [`Scoring`],
/// severity × frequency weight × log10(reach + 10) × (1 + 0.1 × evidence weight).
/// Missing inputs count as their lowest value (severity 1, rarely, reach 0, no
/// evidence). Each configured exponent applies to its factor, and
/// `scoring.evidence` adds that fraction of the score per point of evidence
/// weight (0 turns evidence off). Shown rounded to one decimal; sums (a
/// solution's value) use the exact figure and round once.
pub(crate) fn pain_score(
    severity: Option<i64>,
    frequency: Option<Frequency>,
    reach: Option<i64>,
    evidence_weight: u32,
    scoring: &Scoring,
) -> f64 {
    let severity = severity.unwrap_or(1) as f64;
    let frequency = frequency.map_or(1.0, Frequency::weight);
    let reach = reach.unwrap_or(0).max(0) as f64;
    let base = severity.powf(scoring.severity)
        * frequency.powf(scoring.frequency)
        * (reach + 10.0).log10().powf(scoring.reach);
    base * (1.0 + scoring.evidence * f64::from(evidence_weight))
}

/// The formula in words, as the pains page shows it.
pub(crate) fn scoring_formula(scoring: &Scoring) -> String {
    let power = |x: f64| if x == 1.0 { String::new() } else { format!("^{}", trim(x)) };
    let mut formula = format!(
        "severity{} × frequency weight{} × log10(reach + 10){}",
        power(scoring.severity),
        power(scoring.frequency),
        power(scoring.reach)
    );
    if scoring.evidence > 0.0 {
        formula.push_str(&format!(" × (1 + {} × evidence weight)", trim(scoring.evidence)));
    }
    formula
}

fn trim(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Whether a running experiment is past its `ends` date.
pub(crate) fn is_overdue(status: ExperimentStatus, ends: Option<Date>, today: Date) -> bool {
    status == ExperimentStatus::Running && ends.is_some_and(|e| e < today)
}

/// Days from `today` to a running experiment's `ends` date, negative once
/// it is overdue; `None` for an experiment not running or with no end date.
pub(crate) fn days_left(status: ExperimentStatus, ends: Option<Date>, today: Date) -> Option<i64> {
    let ends = ends.filter(|_| status == ExperimentStatus::Running)?;
    today.until((jiff::Unit::Day, ends)).ok().map(|span| i64::from(span.get_days()))
}

/// What an experiment's verdict is missing to count: its kill criterion
/// (`falsified_if`), its `result` and its end date (`ends`). Empty when the
/// verdict is earned, or when there is no verdict (the experiment has not ended).
pub(crate) fn unearned(e: &Experiment) -> Vec<&'static str> {
    if !matches!(e.status, ExperimentStatus::Validated | ExperimentStatus::Invalidated) {
        return Vec::new();
    }
    let filled = |x: &Option<String>| x.as_deref().is_some_and(|t| !t.trim().is_empty());
    let mut missing = Vec::new();
    if !filled(&e.falsified_if) {
        missing.push("falsified_if");
    }
    if !filled(&e.result) {
        missing.push("result");
    }
    if e.ends.is_none() {
        missing.push("ends");
    }
    missing
}

/// A solution's validation from its experiments, each a status and whether
/// its verdict is earned ([`unearned`] is empty). An earned `validated`
/// wins; all earned `invalidated` invalidates; a verdict not earned makes it
/// [`Validation::Claimed`], never validated nor invalidated; then running
/// experiments make it validating.
pub(crate) fn derived_validation(experiments: impl IntoIterator<Item = (ExperimentStatus, bool)>) -> Validation {
    let (mut any, mut all_invalidated, mut claimed, mut running) = (false, true, false, false);
    for (status, earned) in experiments {
        any = true;
        match (status, earned) {
            (ExperimentStatus::Validated, true) => return Validation::Validated,
            (ExperimentStatus::Invalidated, true) => {}
            (ExperimentStatus::Validated | ExperimentStatus::Invalidated, false) => {
                claimed = true;
                all_invalidated = false;
            }
            (ExperimentStatus::Running, _) => {
                running = true;
                all_invalidated = false;
            }
            _ => all_invalidated = false,
        }
    }
    match (any && all_invalidated, claimed, running) {
        (true, _, _) => Validation::Invalidated,
        (_, true, _) => Validation::Claimed,
        (_, _, true) => Validation::Validating,
        _ => Validation::Unvalidated,
    }
}

/// Whether a running experiment has outlived its end date or the staleness window.
pub(crate) fn is_stale(
    status: ExperimentStatus,
    started: Option<Date>,
    ends: Option<Date>,
    today: Date,
    stale_days: i64,
) -> bool {
    if status != ExperimentStatus::Running {
        return false;
    }
    match (ends, started) {
        (Some(ends), _) => ends < today,
        (None, Some(started)) => {
            started.checked_add(jiff::Span::new().days(stale_days)).is_ok_and(|limit| limit < today)
        }
        (None, None) => false,
    }
}

/// The split a team aims for: its charter's, else 70/30 (100/0 in foundation mode).
pub(crate) fn target_split(charter: Option<&Item>) -> Split {
    let (mode, split) = match charter.map(|c| &c.details) {
        Some(Details::Charter(c)) => (c.mode, c.split),
        _ => (Mode::Innovation, None),
    };
    split.unwrap_or(match mode {
        Mode::Foundation => Split { immediate: 100.0, future: 0.0 },
        Mode::Innovation => Split { immediate: 70.0, future: 30.0 },
    })
}

/// Planned effort (phase now and next) against the target split.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Balance {
    pub target: Split,
    /// `None` when no effort is planned yet.
    pub actual: Option<Split>,
    pub planned_effort: f64,
    pub tolerance: f64,
    pub within: bool,
}

impl Balance {
    pub fn new(
        target: Split,
        solutions: impl IntoIterator<Item = (Category, Phase, Option<f64>)>,
        tolerance: f64,
    ) -> Balance {
        let (mut immediate, mut future) = (0.0, 0.0);
        for (category, phase, effort) in solutions {
            if phase == Phase::Later {
                continue;
            }
            match category {
                Category::Immediate => immediate += effort.unwrap_or(0.0),
                Category::Future => future += effort.unwrap_or(0.0),
            }
        }
        let total = immediate + future;
        let actual = (total > 0.0).then(|| {
            let immediate = round1(immediate / total * 100.0);
            Split { immediate, future: round1(100.0 - immediate) }
        });
        let within = actual.is_none_or(|a| (a.future - target.future).abs() <= tolerance);
        Balance { target, actual, planned_effort: round1(total), tolerance, within }
    }

    /// The gap in words: "future work is 12% of planned effort; target 30%".
    pub fn message(&self) -> String {
        match self.actual {
            None => "No effort is planned yet: give solutions in phase now or next an `effort`.".to_string(),
            Some(actual) => format!(
                "Future work is {}% of planned effort (now + next); target {}%.{}",
                actual.future,
                self.target.future,
                if self.within { "" } else { " Outside the tolerance." }
            ),
        }
    }
}

impl super::Site {
    /// How many solutions are at validation stage `stage` (the dashboard's
    /// funnel and `items.json`'s counts).
    pub fn solutions_at(&self, stage: Validation) -> usize {
        self.of_kind(super::Kind::Solution).filter(|(i, _)| self.computed[*i].validation == Some(stage)).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_follow_the_documented_formula() {
        // 4 × daily (4) × log10(90 + 10) = 16 × 2 = 32; three points of evidence add 30%: 41.6
        let default = Scoring::default();
        assert_eq!(default.evidence, 0.1);
        assert_eq!(round1(pain_score(Some(4), Some(Frequency::Daily), Some(90), 0, &default)), 32.0);
        assert_eq!(round1(pain_score(Some(4), Some(Frequency::Daily), Some(90), 3, &default)), 41.6);
        assert_eq!(round1(pain_score(None, None, None, 0, &default)), 1.0);
        assert_eq!(round1(pain_score(Some(5), Some(Frequency::Hourly), Some(990), 0, &default)), 75.0);
        assert_eq!(
            scoring_formula(&default),
            "severity × frequency weight × log10(reach + 10) × (1 + 0.1 × evidence weight)"
        );
        // `evidence: 0` turns evidence off: the weights change nothing.
        let plain = Scoring { evidence: 0.0, ..default };
        assert_eq!(round1(pain_score(Some(4), Some(Frequency::Daily), Some(90), 3, &plain)), 32.0);
        assert_eq!(scoring_formula(&plain), "severity × frequency weight × log10(reach + 10)");
        // Severity squared, and each point of evidence weight adds 25%: 16 × 4 × 2 × 1.75
        let custom = Scoring { severity: 2.0, evidence: 0.25, ..default };
        assert_eq!(round1(pain_score(Some(4), Some(Frequency::Daily), Some(90), 3, &custom)), 224.0);
        assert_eq!(
            scoring_formula(&custom),
            "severity^2 × frequency weight × log10(reach + 10) × (1 + 0.25 × evidence weight)"
        );
    }

    #[test]
    fn validation_rule() {
        use ExperimentStatus::*;
        let earned = |s| (s, true);
        assert_eq!(derived_validation([earned(Invalidated), earned(Validated)]), Validation::Validated);
        assert_eq!(derived_validation([earned(Invalidated), earned(Invalidated)]), Validation::Invalidated);
        assert_eq!(derived_validation([earned(Invalidated), earned(Running)]), Validation::Validating);
        assert_eq!(derived_validation([earned(Planned), earned(Inconclusive)]), Validation::Unvalidated);
        assert_eq!(derived_validation([]), Validation::Unvalidated);
        // A verdict without kill criterion, result and end date is only claimed,
        // whichever way it went, and outranks running but not an earned verdict.
        assert_eq!(derived_validation([(Validated, false)]), Validation::Claimed);
        assert_eq!(derived_validation([(Invalidated, false)]), Validation::Claimed);
        assert_eq!(derived_validation([(Validated, false), earned(Running)]), Validation::Claimed);
        assert_eq!(derived_validation([(Validated, false), earned(Validated)]), Validation::Validated);
        assert_eq!(derived_validation([(Invalidated, false), earned(Invalidated)]), Validation::Claimed);
    }

    #[test]
    fn a_verdict_is_earned_by_kill_criterion_result_and_end_date() {
        let mut e = Experiment {
            tests: None,
            hypothesis: "h".into(),
            falsified_if: None,
            method: None,
            status: ExperimentStatus::Validated,
            started: None,
            ends: None,
            result: Some("  ".into()),
        };
        assert_eq!(unearned(&e), ["falsified_if", "result", "ends"]);
        e.falsified_if = Some("fewer than 3 of 10 teams adopt it".into());
        e.result = Some("7 of 10 adopted it".into());
        e.ends = "2026-05-01".parse().ok();
        assert!(unearned(&e).is_empty());
        e.status = ExperimentStatus::Running;
        e.result = None;
        assert!(unearned(&e).is_empty());
    }

    #[test]
    fn staleness() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let today = d("2026-06-01");
        assert!(is_stale(ExperimentStatus::Running, None, Some(d("2026-05-31")), today, 30));
        assert!(!is_stale(ExperimentStatus::Running, None, Some(d("2026-06-01")), today, 30));
        assert!(is_stale(ExperimentStatus::Running, Some(d("2026-04-01")), None, today, 30));
        assert!(!is_stale(ExperimentStatus::Planned, Some(d("2020-01-01")), None, today, 30));
    }

    #[test]
    fn days_left_count_down_to_the_end_and_below_zero_once_overdue() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let today = d("2026-06-30");
        assert_eq!(days_left(ExperimentStatus::Running, Some(d("2026-07-03")), today), Some(3));
        assert_eq!(days_left(ExperimentStatus::Running, Some(d("2026-06-30")), today), Some(0));
        assert_eq!(days_left(ExperimentStatus::Running, Some(d("2026-06-18")), today), Some(-12));
        assert_eq!(days_left(ExperimentStatus::Running, None, today), None);
        assert_eq!(days_left(ExperimentStatus::Planned, Some(d("2026-07-03")), today), None);
    }

    #[test]
    fn balance_counts_now_and_next_only() {
        let target = Split { immediate: 70.0, future: 30.0 };
        let b = Balance::new(
            target,
            [
                (Category::Immediate, Phase::Now, Some(8.0)),
                (Category::Future, Phase::Next, Some(2.0)),
                (Category::Future, Phase::Later, Some(50.0)),
            ],
            10.0,
        );
        assert_eq!(b.actual, Some(Split { immediate: 80.0, future: 20.0 }));
        assert!(b.within);
        assert_eq!(b.message(), "Future work is 20% of planned effort (now + next); target 30%.");
    }
}
