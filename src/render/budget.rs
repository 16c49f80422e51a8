//! Renders a template within [`MAX_PAGE_BYTES`] and [`TEMPLATE_TIME_BUDGET`], so a runaway theme loop fails its page instead of running forever.
//!
//! Tera has no step limit and no way to stop a render from outside, and a
//! watchdog thread could not stop the rendering one. So the page is written
//! through [`Budgeted`], which fails the write that passes either budget;
//! Tera then stops and returns the error. The rendering thread itself stops,
//! nothing is left spinning. The limit is honest about one gap: a loop that
//! writes nothing is never stopped.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use tera::{Context, Tera};

use crate::limits::{MAX_PAGE_BYTES, TEMPLATE_TIME_BUDGET, thousands};

/// The clock is read once per this many writes: `Instant::now` on every
/// small write would cost more than the writing.
const WRITES_PER_CLOCK: u32 = 256;

/// Why a render failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Tera's own error (a template bug).
    Template(tera::Error),
    /// A budget passed: what to tell the author.
    Budget(String),
}

/// A page buffer that refuses writes past the budgets.
struct Budgeted {
    page: Vec<u8>,
    max_bytes: usize,
    time: Duration,
    started: Instant,
    writes: u32,
    passed: Option<String>,
}

impl Write for Budgeted {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.page.len() + bytes.len() > self.max_bytes {
            return Err(self.pass(format!("wrote more than {} MB for one page", self.max_bytes >> 20)));
        }
        self.writes += 1;
        if self.writes.is_multiple_of(WRITES_PER_CLOCK) && self.started.elapsed() > self.time {
            let seconds = thousands(self.time.as_secs() as usize);
            return Err(self.pass(format!("ran for more than {seconds} seconds on one page")));
        }
        self.page.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Budgeted {
    fn pass(&mut self, what: String) -> io::Error {
        self.passed = Some(what);
        io::Error::other("page budget passed")
    }
}

/// Renders `template` with `context` within the page budgets.
pub(crate) fn render(tera: &Tera, template: &str, context: &Context) -> Result<String, Failure> {
    render_within(tera, template, context, MAX_PAGE_BYTES, TEMPLATE_TIME_BUDGET)
}

fn render_within(
    tera: &Tera,
    template: &str,
    context: &Context,
    max_bytes: usize,
    time: Duration,
) -> Result<String, Failure> {
    let mut out = Budgeted { page: Vec::new(), max_bytes, time, started: Instant::now(), writes: 0, passed: None };
    match tera.render_to(template, context, &mut out) {
        Ok(()) => {
            Ok(String::from_utf8(out.page).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
        }
        Err(_) if out.passed.is_some() => Err(Failure::Budget(out.passed.unwrap_or_default())),
        Err(err) => Err(Failure::Template(err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tera(template: &str) -> Tera {
        let mut tera = Tera::default();
        tera.add_raw_template("t.html", template).unwrap();
        tera
    }

    #[test]
    fn ordinary_pages_render() {
        let page = render(&tera("{% for i in range(end=3) %}<p>{{ i }}</p>{% endfor %}"), "t.html", &Context::new());
        assert_eq!(page.unwrap(), "<p>0</p><p>1</p><p>2</p>");
    }

    #[test]
    fn a_runaway_loop_stops_at_the_page_size_limit() {
        // 10^10 writes: without a budget it would run for hours and fill memory.
        let runaway =
            "{% for i in range(end=100000) %}{% for j in range(end=100000) %}<p>{{ j }}</p>{% endfor %}{% endfor %}";
        let started = Instant::now();
        match render(&tera(runaway), "t.html", &Context::new()) {
            Err(Failure::Budget(what)) => assert!(what.contains("64 MB"), "{what}"),
            other => panic!("expected the page budget, got {other:?}"),
        }
        assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    }

    #[test]
    fn a_runaway_loop_stops_at_the_time_budget() {
        let runaway = "{% for i in range(end=100000) %}{% for j in range(end=100000) %}{{ j }}{% endfor %}{% endfor %}";
        let started = Instant::now();
        let failed = render_within(&tera(runaway), "t.html", &Context::new(), usize::MAX, Duration::from_millis(200));
        match failed {
            Err(Failure::Budget(what)) => assert!(what.contains("ran for more than 0 seconds"), "{what}"),
            other => panic!("expected the time budget, got {other:?}"),
        }
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn template_errors_stay_template_errors() {
        let failed = render(&tera("{{ 1 / nope }}"), "t.html", &Context::new());
        assert!(matches!(failed, Err(Failure::Template(_))), "{failed:?}");
    }
}
