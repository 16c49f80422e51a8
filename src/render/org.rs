//! What the org pages show of a portfolio (`src/portfolio/`): the org
//! dashboard, the org roadmap, the pains by user group and the shared
//! discovery ledger, each as the one context field `org`.

use tera::Value;

use super::charts;
use super::view::{Obj, split_view};
use crate::portfolio::users::UserGroup;
use crate::portfolio::{Portfolio, Team};

/// A value as the templates see it.
fn to_value(value: &impl serde::Serialize) -> Value {
    Value::from_serializable(value)
}

/// Which org page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum OrgPage {
    Dashboard,
    Roadmap,
    Users,
    Discovery,
}

impl OrgPage {
    pub(crate) const ALL: &'static [OrgPage] =
        &[OrgPage::Dashboard, OrgPage::Roadmap, OrgPage::Users, OrgPage::Discovery];

    /// Its template, folder and title.
    pub(crate) fn spec(self) -> (&'static str, &'static str, &'static str) {
        match self {
            OrgPage::Dashboard => ("org.html", "org/", "Organisation"),
            OrgPage::Roadmap => ("org-roadmap.html", "org/roadmap/", "Organisation roadmap"),
            OrgPage::Users => ("org-users.html", "org/users/", "Pains by user group"),
            OrgPage::Discovery => ("org-discovery.html", "org/discovery/", "Shared discovery ledger"),
        }
    }

    /// The page's `org` field.
    pub(crate) fn context(self, portfolio: &Portfolio) -> Value {
        match self {
            OrgPage::Dashboard => dashboard(portfolio),
            OrgPage::Roadmap => roadmap(portfolio),
            OrgPage::Users => users(portfolio),
            OrgPage::Discovery => to_value(&portfolio.ledger),
        }
    }
}

fn dashboard(portfolio: &Portfolio) -> Value {
    let b = &portfolio.balance;
    let balance = Obj::default()
        .set("target", split_view(&b.target))
        .set("actual", b.actual.as_ref().map(split_view))
        .set("planned_effort", b.planned_effort)
        .set("within", b.within)
        .set("message", b.message())
        .set("chart", Value::safe_string(&charts::balance(&b.target, b.actual.as_ref())))
        .value();
    let teams: Vec<Value> = portfolio.teams.iter().map(team).collect();
    let warnings: usize = portfolio.teams.iter().map(|t| t.warnings.len()).sum();
    let links = to_value(&portfolio.links);
    Obj::default().set("balance", balance).set("teams", teams).set("warnings", warnings).set("links", links).value()
}

fn team(team: &Team) -> Value {
    let mut value = to_value(team).into_map().unwrap_or_default();
    let chart = charts::balance(&team.target, team.actual.as_ref());
    value.insert("chart".into(), Value::safe_string(&chart));
    let top: Vec<Value> = team.pains.iter().take(3).map(to_value).collect();
    value.insert("top".into(), Value::from(top));
    let funnel: Vec<Value> =
        team.funnel.iter().map(|(stage, n)| Obj::default().set("stage", *stage).set("count", *n).value()).collect();
    value.insert("funnel".into(), Value::from(funnel));
    let by_code: Vec<Value> = team
        .warnings_by_code()
        .into_iter()
        .map(|(code, n)| Obj::default().set("code", code).set("count", n).value())
        .collect();
    value.insert("by_code".into(), Value::from(by_code));
    // Messages name fields and ids in backticks, shown as code as on the dashboard.
    let warnings: Vec<Value> = team
        .warnings
        .iter()
        .map(|w| {
            let mut entry = to_value(w).into_map().unwrap_or_default();
            entry.insert("message".into(), Value::safe_string(&crate::escape::code_spans(&w.message)));
            Value::from(entry)
        })
        .collect();
    value.insert("warnings".into(), Value::from(warnings));
    Value::from(value)
}

fn roadmap(portfolio: &Portfolio) -> Value {
    let phases: Vec<Value> = <crate::model::Phase as crate::model::Choice>::ALL
        .iter()
        .map(|&p| Value::from(crate::model::Choice::as_str(p)))
        .collect();
    let teams: Vec<Value> = portfolio
        .teams
        .iter()
        .map(|t| {
            let columns: Vec<Value> = t
                .solutions
                .iter()
                .map(|(phase, cards)| Obj::default().set("phase", *phase).set("cards", to_value(cards)).value())
                .collect();
            Obj::default()
                .set("short", t.short.as_str())
                .set("name", t.name.as_str())
                .set("site", t.site.clone())
                .set("failure", t.failure.clone())
                .set("columns", columns)
                .value()
        })
        .collect();
    Obj::default().set("phases", phases).set("teams", teams).value()
}

/// The user groups, each with its anchor and whether it hurts in several
/// teams (named and listed by two or more: the page's point).
fn users(portfolio: &Portfolio) -> Value {
    let groups: Vec<Value> = portfolio
        .users
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mut value = to_value(g).into_map().unwrap_or_default();
            let anchor = if g.name.is_some() { format!("group-{}", i + 1) } else { "no-user-group".into() };
            value.insert("anchor".into(), Value::from(anchor));
            value.insert("shared".into(), Value::from(shared(g)));
            Value::from(value)
        })
        .collect();
    let several: Vec<Value> =
        portfolio.users.iter().zip(&groups).filter(|(g, _)| shared(g)).map(|(_, v)| v.clone()).collect();
    Obj::default().set("groups", groups).set("shared", several).set("top", crate::portfolio::team::TOP_PAINS).value()
}

/// A named group that two or more teams list.
fn shared(group: &UserGroup) -> bool {
    group.name.is_some() && group.teams > 1
}
