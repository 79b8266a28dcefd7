//! `archsim-book claims DIR`: every claim a figure makes in the book,
//! checked on the seeds 1 to 20.
//!
//! A sentence that compares variants ("random choice is clearly worse")
//! is written against one seed, and one seed can be lucky. Each figure
//! that makes a claim (`… latency.p99 > algorithm=round_robin`, see
//! [`crate::claim`]) is run on both sides on each of the seeds 1 to
//! [`CHECKED`](seeds::CHECKED), and must hold on at least
//! [`REQUIRED`](seeds::REQUIRED) of them. Every `*.md` file in DIR is read,
//! so a new chapter's claims are checked without being listed anywhere.

use crate::claim::Claim;
use crate::directive::{self, Directive};
use crate::figure::Query;
use crate::runs::Runs;
use crate::seeds;
use std::path::Path;

/// One claim and the seeds it holds on.
#[derive(Debug)]
pub(crate) struct Tally {
    /// `file.md:LINE: {{#figure …}}`.
    pub(crate) place: String,
    /// The seeds on which it does not hold.
    pub(crate) failed_on: Vec<u64>,
}

impl Tally {
    /// Whether it holds on enough seeds.
    pub(crate) fn holds(&self) -> bool {
        seeds::CHECKED as usize - self.failed_on.len() >= seeds::REQUIRED
    }
}

impl std::fmt::Display for Tally {
    /// `load-balancing.md:107: {{#figure …}}: 20/20`, and the seeds it fails on.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let held = seeds::CHECKED as usize - self.failed_on.len();
        write!(f, "{}: {held}/{}", self.place, seeds::CHECKED)?;
        if !self.failed_on.is_empty() {
            let list: Vec<String> = self.failed_on.iter().map(u64::to_string).collect();
            let seeds = if list.len() == 1 { "seed" } else { "seeds" };
            write!(f, " (fails on {seeds} {})", list.join(", "))?;
        }
        Ok(())
    }
}

/// Every claim in the chapters in `dir`, in file and line order, each with
/// its tally; or every directive that cannot be read or run.
pub(crate) fn check(dir: &Path) -> Result<Vec<Tally>, Vec<String>> {
    let mut claims = Vec::new();
    let mut problems = Vec::new();
    for (name, text) in chapters(dir).map_err(|e| vec![e])? {
        for found in directive::find(&text) {
            let place = format!("{name}:{}", found.line);
            match found.directive {
                Ok(Directive::Figure(query)) if query.claim.is_some() => {
                    claims.push((format!("{place}: {}", &text[found.span]), query));
                }
                Ok(_) => {}
                Err(message) => problems.push(format!("{place}: {message}")),
            }
        }
    }
    let mut runs = Runs::default();
    runs.prefetch(claims.iter().flat_map(|(_, query)| {
        query
            .sides()
            .flat_map(|run| seeds::first(seeds::CHECKED).map(move |seed| run.seeded(seed)))
    }));
    let mut tallies = Vec::new();
    for (place, query) in claims {
        let claim = query.claim.as_ref().expect("only claims were kept");
        match failed_on(&query, claim, &mut runs) {
            Ok(failed_on) => tallies.push(Tally { place, failed_on }),
            Err(message) => problems.push(format!("{place}: {message}")),
        }
    }
    if problems.is_empty() {
        Ok(tallies)
    } else {
        Err(problems)
    }
}

/// The seeds on which `claim`, made by `query`, does not hold.
fn failed_on(query: &Query, claim: &Claim, runs: &mut Runs) -> Result<Vec<u64>, String> {
    let other_run = claim.other_run(&query.run);
    let other_metric = claim.other_metric(&query.metric);
    let mut failed = Vec::new();
    for seed in seeds::first(seeds::CHECKED) {
        let this = query.metric.read(runs.metrics(&query.run.seeded(seed))?)?;
        let other = other_metric.read(runs.metrics(&other_run.seeded(seed))?)?;
        if !claim.order.holds(this.value, other.value) {
            failed.push(seed);
        }
    }
    Ok(failed)
}

/// The name and text of every `*.md` file in `dir`, by name.
fn chapters(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let unreadable =
        |e: std::io::Error| format!("cannot read the chapters in {}: {e}", dir.display());
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            files.push((name.unwrap_or_default(), text));
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_found_in_every_chapter_and_tallied() {
        let dir = std::env::temp_dir().join(format!("archsim-claims-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("a.md"),
            "One server: {{#figure lb-overload backends=1 latency.p50 > backends=4 latency.p99}}\n\
             plain {{#figure lb-overload latency.p99}}\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("b.md"),
            "\n{{#figure lb-overload backends=1 latency.p50 < backends=4 latency.p99}}\n",
        )
        .unwrap();
        std::fs::write(dir.join("notes.txt"), "{{#figure nope x}}").unwrap();
        let tallies = check(&dir).unwrap();
        assert_eq!(tallies.len(), 2);
        assert!(
            tallies[0]
                .place
                .starts_with("a.md:1: {{#figure lb-overload backends=1")
        );
        assert!(tallies[0].holds() && tallies[0].failed_on.is_empty());
        assert!(tallies[1].to_string().starts_with("b.md:2: "));
        assert!(tallies[1].to_string().ends_with(": 0/20 (fails on seeds 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)"));
        assert!(!tallies[1].holds());
        std::fs::write(
            dir.join("c.md"),
            "{{#figure lb-overload latency.p99 > backends=0}}\n",
        )
        .unwrap();
        let problems = check(&dir).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with("c.md:1: {{#figure lb-overload latency.p99 > backends=0}}: backends=0 is not allowed"),
            "{problems:?}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
