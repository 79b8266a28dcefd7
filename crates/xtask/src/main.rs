//! `cargo xtask`: the project's automation, written in Rust so that it needs
//! nothing but cargo (and, for the site, node and npm; for `bench`,
//! `python3`).
//!
//! - `setup` installs what the other tasks need and skips what is present;
//! - `test` runs every check CI runs, in order, stopping at the first failure;
//! - `build` builds the site with Trunk and holds it to its bundle budget;
//! - `serve` builds the site and serves it on 127.0.0.1;
//! - `fuzz` runs the coverage-guided fuzz targets in `fuzz/` for a bounded
//!   time each;
//! - `bench` times the simulation kernel and compares it with SimPy, and
//!   times reading and laying out a 5,000-node mind-map.
//!
//! The alias in `.cargo/config.toml` makes `cargo xtask <task>` run this
//! binary; it always works from the workspace root, wherever it is started.

mod bench;
mod build;
mod command;
mod fuzz;
mod pages;
mod serve;
mod setup;
mod strict_csp;
mod test;

use std::process::ExitCode;

/// What `cargo xtask` with no (or a wrong) subcommand prints.
const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  setup   install what the other tasks need, skipping whatever is present:
          rustup target and components, trunk 0.21, wasm-bindgen-cli (the
          version in Cargo.lock, which Trunk.toml must pin too) and wasm-opt
          (npm ci --prefix tools, the version Trunk.toml names)
  test    setup, then: format check, clippy -D warnings, wasm32 build of the
          kernel and models, site build and bundle budget (as `build`),
          every test; stops at the first failing stage
  build   setup for the site, then one `trunk build --release` per load into
          target/site (the home page at the root, each pattern, the speed
          page and the map editor in folders of their own, the book in
          book/) and a table of every load's first load (index.html, .js,
          _bg.wasm, .css), raw and gzipped; fails if a load exceeds its
          budget (home 150 KiB, each pattern 200 KiB, editor 274 KiB,
          speed 350 KiB gzipped)
  serve [--port N]
          build, then serve target/site at http://127.0.0.1:N/ (default
          8080, N from 1 to 65535) until stopped with Ctrl-C
  fuzz [--seconds N] [TARGET...]
          build the libFuzzer targets in fuzz/ with coverage instrumentation
          (stable rustc) and run each for N seconds (default 60; `test` runs
          20) on a corpus seeded with the project's maps and links; reports
          executions, fails on a crash and names the input. Targets:
          mindmap (the mind-map reader), experiment_link (an experiment's
          link decoded, re-encoded and run), map_link (a map editor link
          decoded and re-encoded)
  bench   time the kernel on an M/M/1 queue, run the same queue in SimPy
          (in a virtualenv under target/), report both and their ratio;
          time parsing and laying out a 5,000-node mind-map;
          then build the site and print the main-thread milliseconds per
          animation frame in headless Chromium: the load-balancing page
          playing, and a 1,000-node mind-map panned and zoomed";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((task, rest)) = args.split_first() else {
        return usage_error("no task given");
    };
    let task = task.as_str();
    let outcome = match task {
        "setup" | "test" | "build" | "bench" if !rest.is_empty() => {
            return usage_error(&format!("`{task}` takes no arguments (got `{}`)", rest[0]));
        }
        "setup" => setup::run(),
        "test" => test::run(),
        "build" => build::run(),
        "serve" => match serve::parse_args(rest) {
            Ok(port) => serve::run(port),
            Err(problem) => return usage_error(&problem),
        },
        "fuzz" => match fuzz::parse_args(rest) {
            Ok((run, targets)) => fuzz::run(run, &targets),
            Err(problem) => return usage_error(&problem),
        },
        "bench" => bench::run(),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => return usage_error(&format!("unknown task `{other}`")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask {task}: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Explain what was wrong with the command line, show the usage, exit 2.
fn usage_error(problem: &str) -> ExitCode {
    eprintln!("xtask: {problem}\n\n{USAGE}");
    ExitCode::from(2)
}
