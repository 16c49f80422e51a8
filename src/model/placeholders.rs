//! The placeholder texts `charted new` writes, defined once: scaffold writes
//! them, and `check` warns (`placeholder`) where one was left unchanged.

use super::Kind;

/// A text `charted new` writes for the author to replace, and what to write instead.
pub(crate) struct Placeholder {
    /// The front-matter field it is written in, or [`BODY`] for the body.
    pub field: &'static str,
    pub text: &'static str,
    /// What belongs there instead, said as the warning's help.
    pub write: &'static str,
}

/// Stands for the body in [`Placeholder::field`].
pub(crate) const BODY: &str = "body";

pub(crate) const SUMMARY: Placeholder = Placeholder {
    field: "summary",
    text: "One line that says what this is.",
    write: "write one line a reader sees in lists and link previews, e.g. `summary: A typical pull request waits 25 minutes for CI.`",
};

pub(crate) const TEXT: Placeholder = Placeholder {
    field: BODY,
    text: "Write here.",
    write: "replace it with what a reader should know: who hurts and how (a pain), why it might not work (a solution), what you asked and heard (a discovery); or delete the line",
};

pub(crate) const HYPOTHESIS: Placeholder = Placeholder {
    field: "hypothesis",
    text: "What you expect to happen, measurably.",
    write: "write the outcome you expect, with a number, e.g. `hypothesis: Median CI time drops by at least 40% for the pilot repository.`",
};

pub(crate) const FALSIFIED_IF: Placeholder = Placeholder {
    field: "falsified_if",
    text: "The result that would prove the solution cannot work.",
    write: "write the result that would kill the solution, decided before you start, e.g. `falsified_if: Median CI time drops by less than 15%.`",
};

pub(crate) const METHOD: Placeholder = Placeholder {
    field: "method",
    text: "How you will run it, as cheaply as possible.",
    write: "write how you will run it, cheapest first, e.g. `method: Shadow the cache in CI for one repository for two weeks.`",
};

pub(crate) const SERVICE: Placeholder = Placeholder {
    field: "service",
    text: "The service",
    write: "name the service the SLA is about, e.g. `service: CI`",
};

pub(crate) const OBJECTIVE: Placeholder = Placeholder {
    field: "objective",
    text: "What users expect of it",
    write: "say what is measured, e.g. `objective: Median pull-request build time`",
};

/// The placeholders `charted new` writes for an item of `kind`, summary and body included.
pub(crate) fn of(kind: Kind) -> &'static [Placeholder] {
    match kind {
        Kind::Experiment => &[SUMMARY, HYPOTHESIS, FALSIFIED_IF, METHOD, TEXT],
        Kind::Sla => &[SUMMARY, SERVICE, OBJECTIVE, TEXT],
        _ => &[SUMMARY, TEXT],
    }
}

/// Whether `value` is still the placeholder (spacing around it aside).
pub(crate) fn unchanged(placeholder: &Placeholder, value: &str) -> bool {
    value.trim() == placeholder.text
}

/// Where the body is still only [`TEXT`]: the line within the body, from 0.
pub(crate) fn in_body(body: &str) -> Option<u32> {
    if !unchanged(&TEXT, body) {
        return None;
    }
    let before = &body[..body.find(TEXT.text)?];
    Some(before.matches('\n').count() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_placeholder_is_found_on_its_line() {
        assert_eq!(in_body("\nWrite here.\n"), Some(1));
        assert_eq!(in_body("Write here."), Some(0));
        assert_eq!(in_body("\nWrite here. And more.\n"), None);
        assert_eq!(in_body(""), None);
    }
}
