//! The discovery figures: hours of each team's time spent on discovery, in
//! total and over the last quarter, and each method's use in the discovery
//! window. The discovery page shows them; the rules are here.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use super::checks::days_between;
use super::{Choice, Details, Kind, Method, Site};

/// The days "the last quarter" spans on the discovery page.
pub const QUARTER_DAYS: i64 = 91;

/// One team's discovery hours: in total and over the last [`QUARTER_DAYS`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TeamHours<'a> {
    pub team: &'a str,
    pub hours: f64,
    pub quarter: f64,
}

/// One discovery method's use: its sessions in the discovery window, its
/// sessions in all, and when it was last used (not counting future dates).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MethodUse {
    pub method: Method,
    pub in_window: usize,
    pub total: usize,
    pub last: Option<Date>,
}

/// Whether `date` is at most `days` before `today` (and not after it).
pub fn in_window(date: Date, today: Date, days: i64) -> bool {
    date <= today && days_between(date, today) <= days
}

impl Site {
    /// Every team's discovery hours, most total hours first, then by name.
    pub fn hours_by_team(&self) -> Vec<TeamHours<'_>> {
        let mut hours: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        for (_, item) in self.of_kind(Kind::Discovery) {
            let Details::Discovery(d) = &item.details else { continue };
            let recent = d.date.is_some_and(|date| in_window(date, self.today, QUARTER_DAYS));
            for p in &d.participants {
                let entry = hours.entry(p.team.as_str()).or_default();
                entry.0 += p.hours;
                if recent {
                    entry.1 += p.hours;
                }
            }
        }
        let mut list: Vec<TeamHours<'_>> =
            hours.into_iter().map(|(team, (hours, quarter))| TeamHours { team, hours, quarter }).collect();
        list.sort_by(|a, b| b.hours.total_cmp(&a.hours).then_with(|| a.team.cmp(b.team)));
        list
    }

    /// Each discovery method, in its declared order, with its use in the
    /// `discovery_window_days` window of the config.
    pub fn method_use(&self) -> Vec<MethodUse> {
        let window = self.config.discovery_window_days;
        let mut by_method: HashMap<Method, Vec<Date>> = HashMap::new();
        for (_, item) in self.of_kind(Kind::Discovery) {
            if let Details::Discovery(d) = &item.details
                && let (Some(method), Some(date)) = (d.method, d.date)
            {
                by_method.entry(method).or_default().push(date);
            }
        }
        Method::ALL
            .iter()
            .map(|&method| {
                let dates: &[Date] = by_method.get(&method).map_or(&[], Vec::as_slice);
                MethodUse {
                    method,
                    in_window: dates.iter().filter(|&&d| in_window(d, self.today, window)).count(),
                    total: dates.len(),
                    last: dates.iter().filter(|&&d| d <= self.today).max().copied(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_counts_today_and_its_last_day_not_the_future() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        let today = d("2026-06-01");
        assert!(in_window(today, today, 0));
        assert!(in_window(d("2026-03-02"), today, QUARTER_DAYS));
        assert!(!in_window(d("2026-03-01"), today, QUARTER_DAYS));
        assert!(!in_window(d("2026-06-02"), today, QUARTER_DAYS));
    }
}
