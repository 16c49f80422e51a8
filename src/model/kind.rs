//! The seven kinds of item and the words their fields accept.

use crate::choice;
/// Render and the rest take the words' trait from the model (see `crate::words`).
pub(crate) use crate::words::Choice;

choice! {
    /// What an item is.
    pub enum Kind {
        Charter = "charter",
        Vision = "vision",
        Pain = "pain",
        Solution = "solution",
        Experiment = "experiment",
        Discovery = "discovery",
        Sla = "sla",
    }
}

impl Kind {
    /// The folder under `content/` (and in the output) for this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Charter => "charter",
            Kind::Vision => "vision",
            Kind::Pain => "pain",
            Kind::Solution => "solutions",
            Kind::Experiment => "experiments",
            Kind::Discovery => "discovery",
            Kind::Sla => "slas",
        }
    }

    /// The kind a folder under `content/` holds.
    pub fn from_folder(folder: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.folder() == folder && *k != Kind::Charter)
    }

    /// The name a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Charter => "Charter",
            Kind::Vision => "Vision theme",
            Kind::Pain => "Pain",
            Kind::Solution => "Solution",
            Kind::Experiment => "Experiment",
            Kind::Discovery => "Discovery",
            Kind::Sla => "SLA",
        }
    }

    /// The title of the kind's list page.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Charter => "Charter",
            Kind::Vision => "Vision",
            Kind::Pain => "Pains",
            Kind::Solution => "Solutions",
            Kind::Experiment => "Experiments",
            Kind::Discovery => "Discovery",
            Kind::Sla => "SLAs",
        }
    }
}

choice! {
    /// The foundation/innovation mode of a team.
    pub enum Mode { Foundation = "foundation", Innovation = "innovation" }
}

choice! {
    /// The 70/30 category: today's needs or the future.
    pub enum Category { Immediate = "immediate", Future = "future" }
}

choice! {
    /// How often a pain strikes.
    pub enum Frequency { Rarely = "rarely", Monthly = "monthly", Weekly = "weekly", Daily = "daily", Hourly = "hourly" }
}

impl Frequency {
    /// The weight in the pain score: rarely 1 … hourly 5.
    pub fn weight(self) -> f64 {
        match self {
            Frequency::Rarely => 1.0,
            Frequency::Monthly => 2.0,
            Frequency::Weekly => 3.0,
            Frequency::Daily => 4.0,
            Frequency::Hourly => 5.0,
        }
    }
}

choice! {
    /// Where a pain stands.
    pub enum PainStatus { Open = "open", Mitigated = "mitigated", Solved = "solved", Dropped = "dropped" }
}

impl PainStatus {
    /// Whether a pain in this status still hurts: open or mitigated, not
    /// solved or dropped. Only such pains count as uncovered.
    pub fn still_hurts(self) -> bool {
        matches!(self, PainStatus::Open | PainStatus::Mitigated)
    }
}

choice! {
    /// What a solution does to a pain.
    pub enum How { Address = "address", Eliminate = "eliminate", Empower = "empower" }
}

impl How {
    /// The weight of a pain's score in the value of a solution that covers it this way.
    pub fn weight(self) -> f64 {
        match self {
            How::Address => 1.0,
            How::Empower => 1.5,
            How::Eliminate => 2.0,
        }
    }
}

choice! {
    /// When a solution is planned.
    pub enum Phase { Now = "now", Next = "next", Later = "later" }
}

choice! {
    /// How far a solution has been shown to work. `Claimed`: an experiment
    /// gave a verdict without the kill criterion, result and end date that
    /// would earn it, so it counts as neither validated nor invalidated.
    pub enum Validation {
        Unvalidated = "unvalidated",
        Validating = "validating",
        Claimed = "claimed",
        Validated = "validated",
        Invalidated = "invalidated",
    }
}

choice! {
    /// Where an experiment stands.
    pub enum ExperimentStatus {
        Planned = "planned",
        Running = "running",
        Validated = "validated",
        Invalidated = "invalidated",
        Inconclusive = "inconclusive",
    }
}

impl ExperimentStatus {
    /// Whether the experiment has ended (validated, invalidated or
    /// inconclusive): its `result` is what it has to say.
    pub fn is_finished(self) -> bool {
        !matches!(self, ExperimentStatus::Planned | ExperimentStatus::Running)
    }
}

choice! {
    /// The eight sources of problem discovery.
    pub enum Method {
        Sla = "sla",
        Survey = "survey",
        CoffeeChat = "coffee-chat",
        DiscussionGroup = "discussion-group",
        PeerCompany = "peer-company",
        Research = "research",
        OpenSource = "open-source",
        CloudVendor = "cloud-vendor",
    }
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Method::Sla => "SLA review",
            Method::Survey => "User survey",
            Method::CoffeeChat => "Coffee chat",
            Method::DiscussionGroup => "Discussion group",
            Method::PeerCompany => "Peer-company chat",
            Method::Research => "Research",
            Method::OpenSource => "Open source",
            Method::CloudVendor => "Cloud vendor",
        }
    }
}

choice! {
    /// Which direction of an SLA figure is good.
    pub enum Better { Higher = "higher", Lower = "lower" }
}
