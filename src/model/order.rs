//! Every order the domain defines over a site's items: pains by rank, solutions
//! by value per effort, pain buckets, planned work, each kind's list order.
//! Render shows items in these orders; it does not decide them.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::{Details, ExperimentStatus, Kind, Phase, Site, Validation};

/// The name of the bucket of pains that set none.
pub(crate) const UNBUCKETED: &str = "Unbucketed";

impl Site {
    /// Pains in rank order.
    pub fn ranked_pains(&self) -> Vec<usize> {
        let mut pains: Vec<usize> = self.of_kind(Kind::Pain).map(|(i, _)| i).collect();
        pains.sort_by_key(|&i| self.computed[i].rank);
        pains
    }

    /// Solutions ranked by value per effort (those without an effort last),
    /// then value (none counts as 0), then id.
    pub fn ranked_solutions(&self, among: impl Iterator<Item = usize>) -> Vec<usize> {
        let mut list: Vec<usize> = among.collect();
        let key = |i: usize| (self.computed[i].value_per_effort, self.computed[i].value.unwrap_or(0.0));
        list.sort_by(|&a, &b| {
            let (va, xa) = key(a);
            let (vb, xb) = key(b);
            let by_vpe = match (va, vb) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            by_vpe.then(xb.total_cmp(&xa)).then_with(|| self.items[a].id.cmp(&self.items[b].id))
        });
        list
    }

    /// Pain buckets in the order of their best-ranked pain, each with its
    /// pains in the order of `ranked`; pains with no bucket are [`UNBUCKETED`].
    pub fn buckets(&self, ranked: &[usize]) -> Vec<(String, Vec<usize>)> {
        let mut buckets: Vec<(String, Vec<usize>)> = Vec::new();
        let mut slot: HashMap<&str, usize> = HashMap::new();
        for &i in ranked {
            let Details::Pain(p) = &self.items[i].details else { continue };
            let name = p.bucket.as_deref().unwrap_or(UNBUCKETED);
            match slot.get(name) {
                Some(&b) => buckets[b].1.push(i),
                None => {
                    slot.insert(name, buckets.len());
                    buckets.push((name.to_string(), vec![i]));
                }
            }
        }
        buckets
    }

    /// Whether a solution is proven: its validation is `validated`.
    pub fn is_proven(&self, solution: usize) -> bool {
        self.computed[solution].validation == Some(Validation::Validated)
    }

    /// Planned work: the solutions in phase now, then next; within a phase
    /// the unproven first, then in site order.
    pub fn planned_work(&self) -> Vec<usize> {
        let mut planned: Vec<(Phase, bool, usize)> = self
            .of_kind(Kind::Solution)
            .filter_map(|(i, s)| match &s.details {
                Details::Solution(x) if x.phase != Phase::Later => Some((x.phase, self.is_proven(i), i)),
                _ => None,
            })
            .collect();
        planned.sort();
        planned.into_iter().map(|p| p.2).collect()
    }

    /// The experiment board's order: by status (its columns, in the order
    /// statuses are declared), then within a column what needs a look first.
    /// Running: overdue first (most overdue first), then by days left, open-ended
    /// last. Planned: by start, undated last. Finished: the latest ended first,
    /// undated last. Ties by id.
    pub fn board_order(&self, a: usize, b: usize) -> Ordering {
        let experiment = |i: usize| match &self.items[i].details {
            Details::Experiment(e) => Some(e),
            _ => None,
        };
        let (Some(x), Some(y)) = (experiment(a), experiment(b)) else {
            return experiment(a).is_none().cmp(&experiment(b).is_none());
        };
        // `None` last in either direction.
        fn dated<T: Ord>(a: Option<T>, b: Option<T>, newest_first: bool) -> Ordering {
            match (a, b) {
                (Some(a), Some(b)) if newest_first => b.cmp(&a),
                (Some(a), Some(b)) => a.cmp(&b),
                (a, b) => a.is_none().cmp(&b.is_none()),
            }
        }
        let within = match x.status {
            _ if x.status != y.status => Ordering::Equal,
            ExperimentStatus::Running => dated(self.computed[a].days_left, self.computed[b].days_left, false),
            ExperimentStatus::Planned => dated(x.started, y.started, false),
            _ => dated(x.ends, y.ends, true),
        };
        x.status.cmp(&y.status).then(within).then_with(|| self.items[a].id.cmp(&self.items[b].id))
    }

    /// The items with a date ([`Item::last_changed`](super::Item::last_changed)), newest first, then by
    /// id: the dashboard's recent changes and the feed's entries.
    pub fn recently_changed(&self) -> Vec<usize> {
        let when = |i: usize| self.items[i].last_changed();
        let mut recent: Vec<usize> = (0..self.items.len()).filter(|&i| when(i).is_some()).collect();
        recent.sort_by(|&a, &b| when(b).cmp(&when(a)).then_with(|| self.items[a].id.cmp(&self.items[b].id)));
        recent
    }

    /// A kind's items in the order its list shows them: pains by rank,
    /// solutions as [`Site::ranked_solutions`], SLAs by service then id,
    /// experiments as [`Site::board_order`], discovery newest first then by
    /// id; any other kind in site order.
    pub fn in_order(&self, kind: Kind) -> Vec<usize> {
        let all = || self.of_kind(kind).map(|(i, _)| i);
        let mut items: Vec<usize> = all().collect();
        match kind {
            Kind::Pain => return self.ranked_pains(),
            Kind::Solution => return self.ranked_solutions(all()),
            Kind::Sla => {
                let service = |i: usize| match &self.items[i].details {
                    Details::Sla(x) => x.service.as_str(),
                    _ => "",
                };
                items
                    .sort_by(|&a, &b| service(a).cmp(service(b)).then_with(|| self.items[a].id.cmp(&self.items[b].id)));
            }
            Kind::Experiment => items.sort_by(|&a, &b| self.board_order(a, b)),
            Kind::Discovery => {
                let date = |i: usize| match &self.items[i].details {
                    Details::Discovery(d) => d.date,
                    _ => None,
                };
                items.sort_by(|&a, &b| date(b).cmp(&date(a)).then_with(|| self.items[a].id.cmp(&self.items[b].id)));
            }
            _ => {}
        }
        items
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::site;
    use super::*;

    const PAIN: &str = "---\ntitle: P\nseverity: 4\nfrequency: daily\nreach: 90\nbucket: Slow\n---\n";

    fn solution(effort: Option<u32>, phase: &str) -> String {
        let effort = effort.map_or(String::new(), |e| format!("effort: {e}\n"));
        format!(
            "---\ntitle: S\naddresses:\n  - pain: p\n    how: address\ncategory: immediate\nphase: {phase}\n{effort}---\n"
        )
    }

    fn ids(site: &Site, order: &[usize]) -> Vec<String> {
        order.iter().map(|&i| site.items[i].id.clone()).collect()
    }

    #[test]
    fn solutions_by_value_per_effort_then_value_then_id_and_no_effort_last() {
        let (one, two, none) = (solution(Some(1), "now"), solution(Some(2), "now"), solution(None, "now"));
        let s = site(&[
            ("pain/p.md", PAIN),
            ("solutions/d-none.md", &none),
            ("solutions/b-two.md", &two),
            ("solutions/a-two.md", &two),
            ("solutions/c-one.md", &one),
        ]);
        let all = s.of_kind(Kind::Solution).map(|(i, _)| i);
        assert_eq!(ids(&s, &s.ranked_solutions(all)), ["c-one", "a-two", "b-two", "d-none"]);
        assert_eq!(ids(&s, &s.in_order(Kind::Solution)), ["c-one", "a-two", "b-two", "d-none"]);
    }

    #[test]
    fn buckets_follow_the_best_ranked_pain_and_uncovered_needs_open() {
        let lone = "---\ntitle: L\nseverity: 5\nfrequency: hourly\nreach: 900\n---\n";
        let s = site(&[("pain/p.md", PAIN), ("pain/lone.md", lone), ("solutions/fix.md", &solution(Some(1), "now"))]);
        let ranked = s.ranked_pains();
        assert_eq!(ids(&s, &ranked), ["lone", "p"]);
        let buckets = s.buckets(&ranked);
        let names: Vec<&str> = buckets.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, [UNBUCKETED, "Slow"]);
        let (lone, p) = (s.index_of("lone").unwrap(), s.index_of("p").unwrap());
        assert!(s.open_and_uncovered(lone));
        assert!(!s.open_and_uncovered(p));
    }

    #[test]
    fn planned_work_is_now_then_next_without_later() {
        let s = site(&[
            ("pain/p.md", PAIN),
            ("solutions/a-next.md", &solution(Some(1), "next")),
            ("solutions/b-later.md", &solution(Some(1), "later")),
            ("solutions/c-now.md", &solution(Some(1), "now")),
        ]);
        assert_eq!(ids(&s, &s.planned_work()), ["c-now", "a-next"]);
    }

    #[test]
    fn a_claimed_solution_is_not_proven_and_comes_first_in_planned_work() {
        let claimed = "---\ntitle: E\ntests: b-claimed\nhypothesis: h\nstatus: validated\n---\n";
        let earned = "---\ntitle: E\ntests: a-earned\nhypothesis: h\nfalsified_if: f\nstatus: validated\nends: 2026-05-01\nresult: r\n---\n";
        let s = site(&[
            ("pain/p.md", PAIN),
            ("solutions/a-earned.md", &solution(Some(1), "now")),
            ("solutions/b-claimed.md", &solution(Some(1), "now")),
            ("experiments/claimed.md", claimed),
            ("experiments/earned.md", earned),
        ]);
        let (a, b) = (s.index_of("b-claimed").unwrap(), s.index_of("a-earned").unwrap());
        assert_eq!(s.computed[a].validation, Some(Validation::Claimed));
        assert!(!s.is_proven(a) && s.is_proven(b));
        assert_eq!(ids(&s, &s.planned_work()), ["b-claimed", "a-earned"]);
    }

    #[test]
    fn experiments_in_status_order_and_site_order_within() {
        let e = |status: &str| format!("---\ntitle: E\nstatus: {status}\n---\n");
        let s = site(&[
            ("experiments/a.md", &e("validated")),
            ("experiments/b.md", &e("planned")),
            ("experiments/c.md", &e("running")),
            ("experiments/d.md", &e("planned")),
        ]);
        assert_eq!(ids(&s, &s.in_order(Kind::Experiment)), ["b", "d", "c", "a"]);
    }

    #[test]
    fn the_board_puts_overdue_first_then_days_left_planned_by_start_and_latest_ended_first() {
        let e = |status: &str, dates: &str| format!("---\ntitle: E\nstatus: {status}\n{dates}---\n");
        let s = site(&[
            ("experiments/a-open.md", &e("running", "started: 2026-01-01\n")),
            ("experiments/b-soon.md", &e("running", "ends: 2099-01-10\n")),
            ("experiments/c-late.md", &e("running", "ends: 2020-01-10\n")),
            ("experiments/d-later.md", &e("running", "ends: 2099-03-01\n")),
            ("experiments/e-very-late.md", &e("running", "ends: 2019-01-10\n")),
            ("experiments/f-undated.md", &e("planned", "")),
            ("experiments/g-june.md", &e("planned", "started: 2099-06-01\n")),
            ("experiments/h-may.md", &e("planned", "started: 2099-05-01\n")),
            ("experiments/i-old.md", &e("validated", "ends: 2020-01-01\n")),
            ("experiments/j-new.md", &e("invalidated", "ends: 2021-01-01\n")),
            ("experiments/k-new.md", &e("validated", "ends: 2021-01-01\n")),
        ]);
        assert_eq!(
            ids(&s, &s.in_order(Kind::Experiment)),
            [
                "h-may",
                "g-june",
                "f-undated",
                "e-very-late",
                "c-late",
                "b-soon",
                "d-later",
                "a-open",
                "k-new",
                "i-old",
                "j-new"
            ]
        );
    }
}
