//! # archsim-book: the book's live experiments and numbers that can't go stale
//!
//! An [mdbook preprocessor](protocol) that replaces two directives in the
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
//! that reproduces the number. Each distinct run is made once per build.
//!
//! ```text
//! {{#sim lb-server-load}}
//!
//! Round robin's p99 is {{#figure lb-server-load algorithm=round_robin latency.p99}},
//! least connections' {{#figure lb-server-load algorithm=least_connections latency.p99}};
//! a single server rejects {{#figure lb-overload backends=1 rejected/arrived}} of requests.
//! ```
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

mod chapter;
mod directive;
mod embed;
mod figure;
mod preset;
mod protocol;
mod runs;

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
                "usage: archsim-book [supports RENDERER]\n\
                 an mdbook preprocessor: mdbook runs it, with the book as JSON on stdin"
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
