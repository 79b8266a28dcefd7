//! # archsim-book: the book's live experiments and numbers that can't go stale
//!
//! An [mdbook preprocessor](protocol) that replaces three directives in the
//! book's markdown before mdbook renders it.
//!
//! `{{#sim PRESET}}`, on a line of its own, becomes the preset's live
//! experiment: the playground's embed route in an `<iframe>` (a relative URL,
//! so the site works from any sub-path and offline), captioned with the
//! preset's title and what to look for, and a link that opens it in the full
//! playground. The first one on a page brings a few lines of script that fit
//! each iframe to the height its widget reports.
//!
//! `{{#figure PRESET [KEY=VALUE]… METRIC}}` becomes one number from a run of
//! the preset with those parameter changes (`seed=N` sets the seed), computed
//! here at build time exactly as `archsim run PRESET --set KEY=VALUE` — or
//! that variant of `archsim compare PRESET` — computes it. `METRIC` is a
//! dotted path into the report's metrics (`latency.p99`, `rejected`,
//! `backends.2.routed`) or a ratio of two (`rejected/arrived`, shown as a
//! percentage). Latencies read as `137 ms` or `5.95 s`, counts as `12,074`,
//! other numbers to three significant figures; a tooltip gives the command
//! that reproduces the number. Each distinct run is made once per build, the
//! whole book's runs spread over the machine's cores.
//!
//! Where one seed would mislead, `seeds=N` among the settings shows the mean
//! over the seeds 1 to N with its 95% t-interval instead (`558 ms ± 36 ms`).
//! And a figure that a sentence compares with another variant says so at
//! its end: `{{#figure lb-distribute algorithm=random latency.p99 > algorithm=round_robin}}`
//! shows random choice's p99 and claims it is above round robin's on the
//! same seed (after the `<` or `>`: changes to this figure's parameters,
//! and optionally another metric). The build fails if the numbers shown
//! contradict a claim, and `archsim-book claims book/src`, run by this
//! crate's tests, checks every claim in every chapter on the seeds 1 to 20
//! and fails if one holds on fewer than 19.
//!
//! ```text
//! {{#sim lb-server-load}}
//!
//! Round robin's p99 is {{#figure lb-server-load algorithm=round_robin latency.p99}},
//! least connections' {{#figure lb-server-load algorithm=least_connections latency.p99 < algorithm=round_robin}};
//! a single server rejects {{#figure lb-overload backends=1 rejected/arrived}} of requests.
//! Over twenty seeds, random choice's p99 averages
//! {{#figure lb-server-load algorithm=random seeds=20 latency.p99}}.
//! ```
//!
//! `{{#sweep PRESET [KEY=VALUE]… KEY=FROM..TO[:POINTS] [log] METRIC [seeds=N]}}`,
//! on a line of its own, becomes a chart drawn at build time: the metric
//! as the parameter steps over the range, one line per variant of the
//! preset (or of `lines=KEY=V1,V2`), each point the mean over the seeds 1
//! to N with its 95% interval as a band, a table of the numbers under it
//! and the `archsim sweep` command that prints them ([`curve`]).
//!
//! A backslash keeps a directive as text: `\{{#sim lb-overload}}`. Any
//! mistake — an unknown preset, parameter, value or metric, a malformed or
//! unknown directive — fails the build, with the file, the line, the
//! directive and what would be valid, every mistake at once.
//!
//! In `book.toml`, run it before mdbook's `links` (which would otherwise
//! eat the backslash escapes):
//!
//! ```toml
//! [preprocessor.archsim]
//! command = "cargo run --quiet --package archsim-book --"
//! before = ["links"]
//! # Optional: the playground's index.html relative to the book's root.
//! playground = "../index.html"
//! ```

mod anchor;
mod chapter;
mod claim;
mod claims;
mod curve;
mod directive;
mod embed;
mod figure;
mod metric;
mod preset;
mod protocol;
mod runs;
mod seeds;

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [command, renderer] if command == "supports" => {
            if protocol::supports(renderer) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        [command, dir] if command == "claims" => check_claims(Path::new(dir)),
        [] => match preprocess() {
            Ok(()) => ExitCode::SUCCESS,
            Err(problems) => {
                for problem in &problems {
                    eprintln!("error: {problem}");
                }
                eprintln!(
                    "archsim-book: {} problem{} in the book's directives; the build stops here",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                );
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!(
                "usage: archsim-book [supports RENDERER | claims DIR]\n\
                 an mdbook preprocessor: mdbook runs it, with the book as JSON on stdin;\n\
                 `claims DIR` checks every claim in DIR/*.md on the seeds 1 to {}",
                seeds::CHECKED
            );
            ExitCode::from(2)
        }
    }
}

/// Read the book from stdin, expand every chapter, write it to stdout.
fn preprocess() -> Result<(), Vec<String>> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| vec![format!("could not read mdbook's input: {e}")])?;
    let (context, mut book) = protocol::read(&input).map_err(|e| vec![e])?;
    let mut runs = runs::Runs::default();
    let mut wanted = Vec::new();
    protocol::for_each_chapter(&mut book, &mut |chapter| {
        wanted.extend(chapter::runs(chapter.content));
    });
    runs.prefetch(wanted);
    let mut problems = Vec::new();
    protocol::for_each_chapter(&mut book, &mut |chapter| {
        let playground = chapter.relative(&context.playground);
        match chapter::expand(chapter.content, &playground, &mut runs) {
            Ok(expanded) => *chapter.content = expanded,
            Err(found) => {
                let file = context.src.join(Path::new(chapter.source));
                problems.extend(
                    found
                        .into_iter()
                        .map(|p| format!("{}:{}: {}", file.display(), p.line, p.message)),
                );
            }
        }
    });
    if !problems.is_empty() {
        return Err(problems);
    }
    let output = serde_json::to_string(&book).expect("JSON values serialize");
    std::io::stdout()
        .write_all(output.as_bytes())
        .map_err(|e| vec![format!("could not write the book for mdbook: {e}")])
}

/// Tally every claim in `dir`'s chapters; fail if one holds on too few seeds.
fn check_claims(dir: &Path) -> ExitCode {
    match claims::check(dir) {
        Ok(tallies) => {
            for tally in &tallies {
                println!("{tally}");
            }
            let weak = tallies.iter().filter(|t| !t.holds()).count();
            println!(
                "{} claims, {weak} holding on fewer than {} of the seeds 1 to {}",
                tallies.len(),
                seeds::REQUIRED,
                seeds::CHECKED
            );
            if weak == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(problems) => {
            for problem in &problems {
                eprintln!("error: {problem}");
            }
            ExitCode::from(2)
        }
    }
}
