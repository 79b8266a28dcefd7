//! `cargo xtask fuzz`: coverage-guided fuzzing with libFuzzer, on the
//! machine's stable Rust.
//!
//! cargo-fuzz asks for a nightly compiler (for its sanitizer flags), which
//! these machines cannot fetch. What libFuzzer steers by is LLVM's
//! `sancov-module` pass, and stable rustc runs it when asked through
//! `-C passes` and `-C llvm-args`: so the targets in `fuzz/` are built here
//! with those flags, into `target/fuzz`, and each runs for a bounded time
//! on a corpus seeded with the project's own maps and links. There is no
//! address sanitizer: the code under test forbids `unsafe`, so what is left
//! to find is panics, arithmetic overflow, stack exhaustion, hangs, runaway
//! memory and round trips that do not hold — each a crash to libFuzzer.
//!
//! The targets: `mindmap` (the mind-map reader and layout, on any text),
//! `experiment_link` (an experiment's link decoded, re-encoded and run) and
//! `map_link` (a map editor link decoded and re-encoded).

use crate::command::{self, cargo, describe, program, workspace_root};
use archsim_patterns::Shared;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One fuzz target in `fuzz/fuzz_targets`.
struct Target {
    /// Its binary's name.
    name: &'static str,
    /// The longest input to try, bytes.
    max_len: usize,
    /// Directories of inputs to start from: the project's own files, and
    /// inputs written under `dir` for the target.
    seeds: fn(dir: &Path) -> Result<Vec<PathBuf>, String>,
}

const TARGETS: &[Target] = &[
    Target {
        name: "mindmap",
        // Long enough for the hostile lines that once overflowed the stack
        // (emphasis thousands of levels deep, a 28 KB line).
        max_len: 64 * 1024,
        seeds: mindmap_seeds,
    },
    Target {
        name: "experiment_link",
        max_len: 4 * 1024,
        seeds: link_seeds,
    },
    Target {
        name: "map_link",
        max_len: 16 * 1024,
        seeds: map_link_seeds,
    },
];

/// How long each target runs in `cargo xtask test`.
pub(crate) const TEST_RUN: Duration = Duration::from_secs(20);
/// How long each target runs when `fuzz` is asked for without `--seconds`.
const DEFAULT_RUN: Duration = Duration::from_secs(60);
/// One input taking longer than this is a hang: a finding.
const INPUT_TIMEOUT_SECS: u32 = 10;

/// The coverage instrumentation cargo-fuzz asks of nightly, spelled in the
/// flags stable rustc accepts; `--cfg fuzzing` as cargo-fuzz sets it.
const INSTRUMENT: &[&str] = &[
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
    "--cfg",
    "fuzzing",
];

/// `cargo xtask fuzz [--seconds N] [TARGET…]`, parsed: how long each target
/// runs and which run (none named: all).
pub(crate) fn parse_args(args: &[String]) -> Result<(Duration, Vec<&'static str>), String> {
    let mut run = DEFAULT_RUN;
    let mut chosen = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--seconds" {
            let value = args.next().ok_or("--seconds needs a number of seconds")?;
            run = value
                .parse::<u64>()
                .ok()
                .filter(|s| (1..=86_400).contains(s))
                .map(Duration::from_secs)
                .ok_or_else(|| {
                    format!("--seconds must be a whole number from 1 to 86400, not `{value}`")
                })?;
        } else if let Some(target) = TARGETS.iter().find(|t| t.name == arg) {
            chosen.push(target.name);
        } else {
            let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
            return Err(format!(
                "unknown fuzz target `{arg}`: the targets are {}",
                names.join(", ")
            ));
        }
    }
    if chosen.is_empty() {
        chosen = TARGETS.iter().map(|t| t.name).collect();
    }
    Ok((run, chosen))
}

/// Build the targets, then run each of `names` for `run`, reporting its
/// executions; fails on the first crash, naming the input that caused it.
pub(crate) fn run(run: Duration, names: &[&str]) -> Result<(), String> {
    let dir = workspace_root().join("target/fuzz");
    let host = host_triple()?;
    command::run(
        cargo()
            .args(["build", "--release", "--locked", "--bins"])
            .args(["--manifest-path", "fuzz/Cargo.toml", "--target", &host])
            .arg("--target-dir")
            .arg(&dir)
            .env("RUSTFLAGS", INSTRUMENT.join(" "))
            .env_remove("CARGO_ENCODED_RUSTFLAGS"),
    )?;
    for target in TARGETS.iter().filter(|t| names.contains(&t.name)) {
        fuzz_one(target, &dir, &dir.join(&host).join("release"), run)?;
    }
    Ok(())
}

/// Run one target for `run` and say how it went.
fn fuzz_one(target: &Target, dir: &Path, bin_dir: &Path, run: Duration) -> Result<(), String> {
    let corpus = dir.join("corpus").join(target.name);
    let artifacts = dir.join("artifacts").join(target.name);
    let seeds = (target.seeds)(&dir.join("seeds").join(target.name))?;
    for d in [&corpus, &artifacts] {
        fs::create_dir_all(d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
    }
    let mut fuzz = program(bin_dir.join(target.name));
    fuzz.arg(&corpus)
        .args(&seeds)
        .arg(format!("-max_total_time={}", run.as_secs()))
        .arg(format!("-max_len={}", target.max_len))
        .arg(format!("-timeout={INPUT_TIMEOUT_SECS}"))
        .arg("-rss_limit_mb=2048")
        .arg("-print_final_stats=1")
        .arg(format!("-artifact_prefix={}/", artifacts.display()));
    println!("$ {}", describe(&fuzz));
    let output = fuzz
        .output()
        .map_err(|e| format!("could not start `{}`: {e}", describe(&fuzz)))?;
    let log = String::from_utf8_lossy(&output.stderr);
    let log_file = dir.join(format!("{}.log", target.name));
    fs::write(&log_file, log.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", log_file.display()))?;
    let stat = |name: &str| {
        log.lines()
            .find_map(|l| l.strip_prefix(&format!("stat::{name}:")))
            .map_or("?", str::trim)
            .to_owned()
    };
    let executions = stat("number_of_executed_units");
    if output.status.success() {
        println!(
            "fuzz {}: {executions} executions in {} s, {} new inputs kept, no crash (log: {})",
            target.name,
            run.as_secs(),
            stat("new_units_added"),
            log_file.display()
        );
        return Ok(());
    }
    let tail: Vec<&str> = log.lines().rev().take(40).collect();
    for line in tail.iter().rev() {
        eprintln!("{line}");
    }
    let found = fs::read_dir(&artifacts)
        .ok()
        .and_then(|entries| entries.flatten().map(|e| e.path()).max())
        .map_or_else(
            || "no input was saved".to_owned(),
            |p| p.display().to_string(),
        );
    Err(format!(
        "fuzz target `{}` failed after {executions} executions ({}); the input: {found}; \
         replay it with `{} <input>` (log: {})",
        target.name,
        output.status,
        bin_dir.join(target.name).display(),
        log_file.display()
    ))
}

/// The machine's own target triple: the flags must not reach build
/// scripts and proc macros, so the targets are built for it explicitly.
fn host_triple() -> Result<String, String> {
    let info = command::stdout_of(program("rustc").arg("-vV")).ok_or("`rustc -vV` did not run")?;
    info.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_owned)
        .ok_or_else(|| "`rustc -vV` named no host".to_owned())
}

/// The maps the project ships and the book's chapters (markdown too), and
/// the hostile shapes that once broke the reader, written into `dir`.
fn mindmap_seeds(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let deep = format!("- {}word{}\n", "*".repeat(2_000), "*".repeat(2_000));
    let hostile = [
        ("deep-emphasis.md", deep),
        ("old-mac-lines.md", "# Root\r- a\r  - b\r- c\r".to_owned()),
        ("tab-indent.md", "# Root\n- a\n\t- b\n".to_owned()),
        (
            "front-matter.md",
            "---\ntitle: T\nmarkmap:\n  colorFreezeLevel: 2\n  initialExpandLevel: 1\n---\n## A <!-- markmap: fold -->\n- `x` **y** [z](https://example.com)\n".to_owned(),
        ),
    ];
    write_seeds(dir, hostile.iter().map(|(n, t)| (n.to_string(), t.clone())))?;
    let root = workspace_root();
    Ok(vec![
        dir.to_owned(),
        root.join("mindmap"),
        root.join("book/src"),
    ])
}

/// One link per preset and pattern, as the site writes them, with every
/// parameter spelled out, the comparison on and a moment to open at.
fn link_seeds(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let names = archsim_patterns::all().iter().flat_map(|pattern| {
        std::iter::once(pattern.id()).chain(pattern.presets().iter().map(|p| p.id))
    });
    let links = names.filter_map(|name| {
        let shared = Shared::decode(name, "").ok()?.0;
        let settings = shared.experiment.settings();
        let mut query: Vec<String> = shared
            .experiment
            .pattern()
            .specs()
            .iter()
            .filter_map(|spec| Some(format!("{}={}", spec.key, settings.get(spec.key)?)))
            .collect();
        query.extend(["seed=7".into(), "compare=true".into(), "t=5".into()]);
        Some((name.to_owned(), format!("{name}\n{}", query.join("&"))))
    });
    write_seeds(dir, links)?;
    Ok(vec![dir.to_owned()])
}

/// The project's map and the book's chapters as the map editor links
/// them, and a link cut short.
fn map_link_seeds(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let root = workspace_root();
    let mut seeds = Vec::new();
    for folder in ["mindmap", "book/src"] {
        let entries =
            fs::read_dir(root.join(folder)).map_err(|e| format!("could not list {folder}: {e}"))?;
        for path in entries.flatten().map(|e| e.path()) {
            if let Ok(text) = fs::read_to_string(&path) {
                let name = path
                    .file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                let link = archsim_mindmap::link::encode(&text);
                seeds.push((format!("cut-{name}"), link[..link.len() / 2].to_owned()));
                seeds.push((name, link));
            }
        }
    }
    write_seeds(dir, seeds.into_iter())?;
    Ok(vec![dir.to_owned()])
}

/// Write each `(file name, contents)` into `dir`, made afresh.
fn write_seeds(dir: &Path, seeds: impl Iterator<Item = (String, String)>) -> Result<(), String> {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (name, text) in seeds {
        let path = dir.join(name);
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn no_arguments_fuzz_every_target_for_the_default_time() {
        let (run, names) = parse_args(&[]).unwrap();
        assert_eq!(run, DEFAULT_RUN);
        assert_eq!(names, ["mindmap", "experiment_link", "map_link"]);
    }

    #[test]
    fn seconds_and_a_target_are_read() {
        let (run, names) = parse_args(&args(&["--seconds", "5", "mindmap"])).unwrap();
        assert_eq!((run, names), (Duration::from_secs(5), vec!["mindmap"]));
    }

    #[test]
    fn bad_arguments_say_what_is_allowed() {
        assert_eq!(
            parse_args(&args(&["--seconds", "0"])).unwrap_err(),
            "--seconds must be a whole number from 1 to 86400, not `0`"
        );
        assert_eq!(
            parse_args(&args(&["parser"])).unwrap_err(),
            "unknown fuzz target `parser`: the targets are mindmap, experiment_link, map_link"
        );
        assert!(parse_args(&args(&["--seconds"])).is_err());
    }

    #[test]
    fn every_target_has_a_source_file() {
        for target in TARGETS {
            let source = workspace_root().join(format!("fuzz/fuzz_targets/{}.rs", target.name));
            assert!(source.exists(), "{} is missing", source.display());
        }
    }
}
