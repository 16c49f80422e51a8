//! The discovery figures: hours of each team's time spent on discovery, in
//! total and this calendar quarter, the charter's own team apart from the
//! others; each quarter's spend against `discovery_budget`; and each method's
//! use in the discovery window and what it surfaced per hour. The discovery
//! page and the dashboard show them; the rules are here.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use jiff::civil::Date;

use super::checks::days_between;
use super::item::Item;
use super::names::team_key;
use super::{Choice, Details, Kind, Method, Site};
use crate::config::DiscoveryBudget;
use crate::diagnostic::Pos;

/// A calendar quarter, such as 2026-Q4: the unit of `discovery_budget`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i16,
    /// 1 to 4.
    pub number: i8,
}

impl Quarter {
    pub fn of(date: Date) -> Quarter {
        Quarter { year: date.year(), number: (date.month() - 1) / 3 + 1 }
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        Date::new(self.year, (self.number - 1) * 3 + 1, 1).unwrap_or_default()
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-Q{}", self.year, self.number)
    }
}

/// The charter's team: the site's own, whose hours are not "other teams' time".
pub(crate) fn own_team(items: &[Item]) -> Option<&str> {
    items.iter().find_map(|i| match &i.details {
        Details::Charter(c) if !c.team.trim().is_empty() => Some(c.team.as_str()),
        _ => None,
    })
}

/// Whether `team` is the site's own team.
fn is_own(team: &str, own: Option<&str>) -> bool {
    own.is_some_and(|own| team_key(own) == team_key(team))
}

/// A quarter (and perhaps a team) that spent more than its budget.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Overrun<'a> {
    pub quarter: Quarter,
    /// `None` for the overall budget.
    pub team: Option<&'a str>,
    pub spent: f64,
    pub budget: f64,
    /// The discovery that took the quarter over, and where (its date, or the participant's team).
    pub file: &'a Path,
    pub pos: Pos,
}

/// Every quarter, up to today, whose other teams' discovery hours went over
/// `budget`, overall or for a team with its own limit; oldest first, the
/// overall overrun before the teams'.
pub(crate) fn overruns<'a>(items: &'a [Item], budget: &DiscoveryBudget, today: Date) -> Vec<Overrun<'a>> {
    let own = own_team(items);
    let limits: HashMap<String, f64> = budget.per_team.iter().map(|(t, h)| (team_key(t), *h)).collect();
    let mut dated: Vec<(Date, &Item)> = items
        .iter()
        .filter_map(|i| match &i.details {
            Details::Discovery(d) => d.date.filter(|&date| date <= today).map(|date| (date, i)),
            _ => None,
        })
        .collect();
    dated.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    // Per quarter and team (`None`: all other teams): hours so far, and the overrun once over.
    let mut sums: BTreeMap<(Quarter, Option<String>), (f64, Option<Overrun<'a>>)> = BTreeMap::new();
    for (date, item) in dated {
        let Details::Discovery(d) = &item.details else { continue };
        let quarter = Quarter::of(date);
        for p in d.participants.iter().filter(|p| !is_own(&p.team, own)) {
            let key = team_key(&p.team);
            let accounts = [
                (None, budget.per_quarter, item.pos_of("date")),
                (Some(key.clone()), limits.get(&key).copied(), p.team_pos),
            ];
            for (account, limit, pos) in accounts {
                let Some(limit) = limit else { continue };
                let team = account.is_some().then_some(p.team.as_str());
                let entry = sums.entry((quarter, account)).or_insert((0.0, None));
                entry.0 += p.hours;
                if entry.0 > limit && entry.1.is_none() {
                    entry.1 = Some(Overrun { quarter, team, spent: 0.0, budget: limit, file: &item.file, pos });
                }
            }
        }
    }
    sums.into_values()
        .filter_map(|(spent, over)| over.map(|o| Overrun { spent: super::figures::round1(spent), ..o }))
        .collect()
}

/// One team's discovery hours: in total and this calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TeamHours<'a> {
    pub team: &'a str,
    pub hours: f64,
    pub quarter: f64,
}

/// One discovery method's use: its sessions in the discovery window, its
/// sessions in all, and when it was last used (not counting future dates);
/// and in all, the pains it surfaced and the hours of other teams' time it took.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MethodUse {
    pub method: Method,
    pub in_window: usize,
    pub total: usize,
    pub last: Option<Date>,
    pub pains: usize,
    pub hours: f64,
}

impl MethodUse {
    /// Pains surfaced per hour of other teams' time, when it took any.
    pub fn pains_per_hour(&self) -> Option<f64> {
        (self.hours > 0.0).then(|| self.pains as f64 / self.hours)
    }
}

/// Discovery hours split between the site's own team and every other.
#[derive(Debug, Clone, PartialEq)]
pub struct Hours<'a> {
    /// The charter's team, when it took part.
    pub own: Option<TeamHours<'a>>,
    /// Other teams, most total hours first, then by name.
    pub others: Vec<TeamHours<'a>>,
}

/// (team, hours spent this quarter, its limit): one team's own discovery budget.
pub(crate) type TeamSpend<'a> = (&'a str, f64, f64);

/// This quarter's hours of other teams' time against the budget.
#[derive(Debug, Clone, PartialEq)]
pub struct Spend {
    pub quarter: Quarter,
    pub spent: f64,
    pub budget: Option<f64>,
}

/// Whether `date` is at most `days` before `today` (and not after it).
pub(crate) fn in_window(date: Date, today: Date, days: i64) -> bool {
    date <= today && days_between(date, today) <= days
}

/// One team's discovery hours in each quarter of a [`QuarterHours`] table.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamQuarters<'a> {
    pub team: &'a str,
    /// Hours per quarter, in the table's quarter order.
    pub hours: Vec<f64>,
    pub total: f64,
}

/// Discovery hours per team per calendar quarter: the quarters that had
/// dated discovery up to today, oldest first; other teams most hours first
/// (then by name), the site's own team apart; other teams' totals.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QuarterHours<'a> {
    pub quarters: Vec<Quarter>,
    pub others: Vec<TeamQuarters<'a>>,
    pub own: Option<TeamQuarters<'a>>,
    /// Other teams' hours per quarter, and in all.
    pub totals: Vec<f64>,
    pub total: f64,
}

impl Site {
    /// Every team's discovery hours, the site's own apart, the others most
    /// total hours first, then by name.
    pub fn hours_by_team(&self) -> Hours<'_> {
        let own = own_team(&self.items);
        let (own, others): (Vec<TeamHours<'_>>, Vec<TeamHours<'_>>) =
            self.team_hours().into_iter().partition(|t| is_own(t.team, own));
        Hours { own: own.into_iter().next(), others }
    }

    /// This quarter's hours of other teams' time, and the overall budget.
    pub fn quarter_spend(&self) -> Spend {
        self.spend_of(&self.hours_by_team().others)
    }

    /// [`Site::quarter_spend`] from other teams' hours already at hand.
    fn spend_of(&self, others: &[TeamHours<'_>]) -> Spend {
        let spent = others.iter().map(|t| t.quarter).sum();
        let budget = self.config.discovery_budget.as_ref().and_then(|b| b.per_quarter);
        Spend { quarter: Quarter::of(self.today), spent: super::figures::round1(spent), budget }
    }

    /// This quarter's spend against `discovery_budget`, from other teams'
    /// hours at hand (see [`Site::hours_by_team`]): overall, and for each
    /// team the budget limits on its own, (team, hours spent, limit).
    pub fn budget_spend<'a>(&'a self, others: &[TeamHours<'_>]) -> Option<(Spend, Vec<TeamSpend<'a>>)> {
        let budget = self.config.discovery_budget.as_ref()?;
        let teams = budget
            .per_team
            .iter()
            .map(|(team, limit)| {
                let key = team_key(team);
                let spent: f64 = others.iter().filter(|t| team_key(t.team) == key).map(|t| t.quarter).sum();
                (team.as_str(), spent, *limit)
            })
            .collect();
        Some((self.spend_of(others), teams))
    }

    /// Discovery hours per team and calendar quarter (see [`QuarterHours`]).
    /// Undated discovery and discovery after today belong to no quarter.
    pub fn hours_by_quarter(&self) -> QuarterHours<'_> {
        let mut cells: BTreeMap<(&str, Quarter), f64> = BTreeMap::new();
        for (_, item) in self.of_kind(Kind::Discovery) {
            let Details::Discovery(d) = &item.details else { continue };
            let Some(date) = d.date.filter(|&date| date <= self.today) else { continue };
            for p in &d.participants {
                *cells.entry((p.team.as_str(), Quarter::of(date))).or_default() += p.hours;
            }
        }
        let mut quarters: Vec<Quarter> = cells.keys().map(|&(_, q)| q).collect();
        quarters.sort();
        quarters.dedup();
        let column = |q: Quarter| quarters.binary_search(&q).unwrap_or_default();
        let mut teams: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
        for ((team, quarter), hours) in cells {
            teams.entry(team).or_insert_with(|| vec![0.0; quarters.len()])[column(quarter)] += hours;
        }
        let own_name = own_team(&self.items);
        let mut table = QuarterHours { totals: vec![0.0; quarters.len()], ..QuarterHours::default() };
        for (team, hours) in teams {
            let row = TeamQuarters { team, total: hours.iter().sum(), hours };
            if is_own(team, own_name) {
                table.own = Some(row);
                continue;
            }
            for (sum, h) in table.totals.iter_mut().zip(&row.hours) {
                *sum += h;
            }
            table.total += row.total;
            table.others.push(row);
        }
        table.others.sort_by(|a, b| b.total.total_cmp(&a.total).then_with(|| a.team.cmp(b.team)));
        table.quarters = quarters;
        table
    }

    fn team_hours(&self) -> Vec<TeamHours<'_>> {
        let this_quarter = Quarter::of(self.today);
        let mut hours: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
        for (_, item) in self.of_kind(Kind::Discovery) {
            let Details::Discovery(d) = &item.details else { continue };
            let recent = d.date.is_some_and(|date| date <= self.today && Quarter::of(date) == this_quarter);
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
        let own = own_team(&self.items);
        let mut by_method: HashMap<Method, Vec<Date>> = HashMap::new();
        let mut surfaced: HashMap<Method, (HashSet<usize>, f64)> = HashMap::new();
        for (_, item) in self.of_kind(Kind::Discovery) {
            let Details::Discovery(d) = &item.details else { continue };
            let Some(method) = d.method else { continue };
            if let Some(date) = d.date {
                by_method.entry(method).or_default().push(date);
            }
            let (pains, hours) = surfaced.entry(method).or_default();
            let found = d.surfaces.iter().filter_map(|r| self.index_of(&r.value));
            pains.extend(found.filter(|&p| self.items[p].kind == Kind::Pain));
            *hours += d.participants.iter().filter(|p| !is_own(&p.team, own)).map(|p| p.hours).sum::<f64>();
        }
        Method::ALL
            .iter()
            .map(|&method| {
                let dates: &[Date] = by_method.get(&method).map_or(&[], Vec::as_slice);
                let (pains, hours) = surfaced.get(&method).map_or((0, 0.0), |(p, h)| (p.len(), *h));
                MethodUse {
                    pains,
                    hours,
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
        assert!(in_window(d("2026-03-02"), today, 91));
        assert!(!in_window(d("2026-03-01"), today, 91));
        assert!(!in_window(d("2026-06-02"), today, 91));
    }

    #[test]
    fn hours_per_quarter_put_each_team_in_a_row_and_the_own_team_apart() {
        let discovery = |date: &str, people: &str| {
            format!("---\ntitle: D\ndate: {date}\nmethod: survey\nparticipants:\n{people}---\n")
        };
        let site = super::super::testing::site(&[
            ("charter.md", "---\ntitle: C\nteam: Platform\n---\n"),
            (
                "discovery/a.md",
                &discovery("2026-02-16", "  - team: Payments\n    hours: 9\n  - team: Platform\n    hours: 4\n"),
            ),
            ("discovery/b.md", &discovery("2026-03-30", "  - team: Payments\n    hours: 1.5\n")),
            ("discovery/c.md", &discovery("2026-05-02", "  - team: Search\n    hours: 12\n")),
            // After the test site's today (2026-06-01): in no quarter yet.
            ("discovery/d.md", &discovery("2026-07-01", "  - team: Search\n    hours: 50\n")),
        ]);
        let table = site.hours_by_quarter();
        let quarters: Vec<String> = table.quarters.iter().map(Quarter::to_string).collect();
        assert_eq!(quarters, ["2026-Q1", "2026-Q2"]);
        let rows: Vec<(&str, Vec<f64>, f64)> =
            table.others.iter().map(|t| (t.team, t.hours.clone(), t.total)).collect();
        assert_eq!(rows, [("Search", vec![0.0, 12.0], 12.0), ("Payments", vec![10.5, 0.0], 10.5)]);
        assert_eq!((table.totals.clone(), table.total), (vec![10.5, 12.0], 22.5));
        let own = table.own.expect("the charter's team took part");
        assert_eq!((own.team, own.hours, own.total), ("Platform", vec![4.0, 0.0], 4.0));
    }

    #[test]
    fn quarters_are_calendar_quarters() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(Quarter::of(d("2026-03-31")).to_string(), "2026-Q1");
        assert_eq!(Quarter::of(d("2026-04-01")).to_string(), "2026-Q2");
        assert_eq!(Quarter::of(d("2026-12-31")).first_day(), d("2026-10-01"));
    }
}
