//! `cargo xtask bench`: how many events per second the kernel handles,
//! against SimPy running the same M/M/1 queue.
//!
//! The kernel side is `crates/core/benches/kernel.rs`; it prints its
//! parameters and its figures as `key=value` lines. The SimPy side is
//! `crates/xtask/bench/mm1_simpy.py`, run in a virtualenv under `target/`
//! with the parameters the kernel printed, so both simulate the same queue
//! for the same simulated time and count events the same way (one per
//! arrival, one per departure). The report shows both figures and their
//! ratio against the target. Next, `crates/mindmap/benches/mindmap.rs`
//! times parsing and laying out a generated 5,000-node mind-map (the
//! home page's work, at a hundred times the seed map's size). Then it
//! builds the site and measures it in headless Chromium
//! (`tests/browser/frame-bench.mjs`): milliseconds of main-thread work per
//! animation frame on the load-balancing page, and per frame of panning and
//! of zooming a generated 1,000-node mind-map (opened in the map editor
//! through its link).
//! Last, every pattern's model at its defaults, natively
//! (`crates/patterns/benches/models.rs`) and in wasm (the playground's
//! `#/speed` page, driven by `tests/browser/speed-bench.mjs`): simulated
//! requests per second, side by side. And a sweep of the kind engineers
//! draw (`archsim sweep`: 40 points × 3 algorithms × 5 seeds of
//! `lb-server-load`), on one thread and on every core, checked to print
//! the same bytes either way.
//! Timing never fails the task: only something that could not run does.

use crate::build;
use crate::command::{self, cargo, program, workspace_root};
use crate::setup::{self, Task};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// SimPy release the comparison is pinned to.
const SIMPY_VERSION: &str = "4.1.1";
/// The speed-up over SimPy the kernel aims for.
const TARGET_RATIO: f64 = 50.0;
/// Fewer events than this and start-up costs distort the figures.
const MIN_EVENTS: u64 = 1_000_000;
/// Kernel parameters passed on to the SimPy script (`key` printed by the
/// kernel benchmark, flag of the script).
const SHARED_PARAMS: [(&str, &str); 6] = [
    ("lambda", "--lambda"),
    ("mu", "--mu"),
    ("seed", "--seed"),
    ("horizon_secs", "--horizon-secs"),
    ("warmup_secs", "--warmup-secs"),
    ("repeats", "--repeats"),
];

/// One side's measurement.
struct Figures {
    events: u64,
    seconds: f64,
    events_per_sec: f64,
}

/// Run both benchmarks and print the comparison.
pub(crate) fn run() -> Result<(), String> {
    println!("==> xtask bench: archsim kernel");
    let kernel_out =
        command::run_capturing(cargo().args(["bench", "-p", "archsim-core", "--bench", "kernel"]))?;
    let params = fields_of_line(&kernel_out, "archsim-kernel mm1 params ")
        .ok_or("the kernel benchmark printed no `archsim-kernel mm1 params` line")?;
    let archsim = figures(&kernel_out, "archsim-kernel mm1 ")?;

    println!("\n==> xtask bench: SimPy {SIMPY_VERSION}");
    let python = simpy_python()?;
    let script = workspace_root().join("crates/xtask/bench/mm1_simpy.py");
    let mut simpy_run = program(&python);
    simpy_run.arg(&script);
    for (key, flag) in SHARED_PARAMS {
        let value = params
            .get(key)
            .ok_or_else(|| format!("the kernel benchmark's parameters lack `{key}`"))?;
        simpy_run.args([flag, value]);
    }
    simpy_run.args(["--min-events", &MIN_EVENTS.to_string()]);
    let simpy_out = command::run_capturing(&mut simpy_run)?;
    let simpy = figures(&simpy_out, "simpy mm1 ")?;

    report(&params, &archsim, &simpy);

    println!("\n==> xtask bench: the mind-map");
    let mindmap_out = command::run_capturing(cargo().args([
        "bench",
        "-p",
        "archsim-mindmap",
        "--bench",
        "mindmap",
    ]))?;
    mindmap_report(&mindmap_out)?;

    println!("\n==> xtask bench: every pattern's model, natively");
    let native = command::run_capturing(cargo().args([
        "bench",
        "-p",
        "archsim-patterns",
        "--bench",
        "models",
    ]))?;

    println!("\n==> xtask bench: a sweep from the command line");
    sweep_report()?;

    println!("\n==> xtask bench: the playground in headless Chromium");
    setup::run_for(Task::Bench)?;
    build::site()?;
    browser_script("tests/browser/frame-bench.mjs")?;
    let wasm = browser_script("tests/browser/speed-bench.mjs")?;
    models_report(&native, &wasm)
}

/// The sweep the benchmark times: `lb-server-load` at its default duration,
/// its arrival rate from 5% to 95% of the fleet's capacity (800 req/s).
const SWEEP: [&str; 14] = [
    "sweep",
    "lb-server-load",
    "--vary",
    "arrival_rate=40..760:40",
    "--lines",
    "algorithm=round_robin,least_connections,power_of_two",
    "--metric",
    "latency.p99",
    "--seeds",
    "5",
    "--format",
    "csv",
    "--threads",
    "1",
];

/// Time [`SWEEP`] on one thread and on every core, with the release build
/// of the CLI, and check both print the same.
fn sweep_report() -> Result<(), String> {
    command::run(cargo().args(["build", "--release", "-p", "archsim-cli"]))?;
    let cli = workspace_root().join("target/release/archsim");
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let time = |threads: usize| -> Result<(f64, String), String> {
        let mut args = SWEEP.map(str::to_owned);
        args[SWEEP.len() - 1] = threads.to_string();
        let started = std::time::Instant::now();
        // Its output is a curve of 40 × 3 rows: kept, not printed.
        let out = program(&cli)
            .args(&args)
            .output()
            .map_err(|e| format!("could not start {}: {e}", cli.display()))?;
        let took = started.elapsed().as_secs_f64();
        if !out.status.success() {
            return Err(format!(
                "the sweep failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok((took, String::from_utf8_lossy(&out.stdout).into_owned()))
    };
    let (one, one_out) = time(1)?;
    let (all, all_out) = time(cores)?;
    if one_out != all_out {
        return Err("the sweep printed different results on one thread and on all".into());
    }
    let runs = 40 * 3 * 5;
    println!("sweep of lb-server-load, 40 points × 3 algorithms × 5 seeds = {runs} runs of 60 s:");
    println!(
        "  1 thread:   {one:>7.2} s ({:.1} runs/s)",
        runs as f64 / one
    );
    println!(
        "  {cores} threads: {all:>7.2} s ({:.1} runs/s, {:.2}x); the same bytes either way",
        runs as f64 / all,
        one / all
    );
    Ok(())
}

/// Run a Playwright script against the built site; its output.
fn browser_script(script: &str) -> Result<String, String> {
    command::run_capturing(
        program("node")
            .arg(script)
            .env("ARCHSIM_SITE", build::site_dir()?)
            .env("ARCHSIM_CHROMIUM", setup::CHROMIUM),
    )
}

/// Simulated requests per second of each model, native and in wasm.
fn models_report(native: &str, wasm: &str) -> Result<(), String> {
    println!("\n==> xtask bench: report (each pattern at its defaults, run to the end)");
    println!(
        "{:<16} {:>22} {:>22} {:>7}",
        "pattern", "native requests/s", "wasm requests/s", "ratio"
    );
    for line in native.lines().filter(|l| l.starts_with("archsim-model ")) {
        let pattern = line.split_whitespace().nth(1).unwrap_or_default();
        let rate = |output: &str, prefix: &str| -> Result<f64, String> {
            fields_of_line(output, &format!("{prefix} {pattern} "))
                .and_then(|f| f.get("requests_per_sec")?.parse().ok())
                .ok_or_else(|| format!("no `{prefix} {pattern}` figures in the benchmark's output"))
        };
        let (n, w) = (
            rate(native, "archsim-model")?,
            rate(wasm, "archsim-model-wasm")?,
        );
        println!("{pattern:<16} {n:>22.0} {w:>22.0} {:>6.2}x", n / w);
    }
    Ok(())
}

/// The virtualenv's python, with SimPy installed: creates the virtualenv
/// and installs SimPy only if they are missing.
fn simpy_python() -> Result<PathBuf, String> {
    let venv = workspace_root().join("target").join("bench-venv");
    let python = venv_python(&venv);
    if python.exists() {
        println!("bench: virtualenv {}: present, skipping", venv.display());
    } else {
        println!("bench: virtualenv {}: missing, creating", venv.display());
        command::run(
            program("python3")
                .args(["-m", "venv", "--clear"])
                .arg(&venv),
        )
        .map_err(|e| {
            format!("could not create the virtualenv (is python3-venv installed?): {e}")
        })?;
    }
    let has_simpy = || {
        command::succeeds(program(&python).args([
            "-c",
            &format!("import sys, simpy; sys.exit(simpy.__version__ != '{SIMPY_VERSION}')"),
        ]))
    };
    if has_simpy() {
        println!("bench: simpy=={SIMPY_VERSION}: present, skipping");
    } else {
        println!("bench: simpy=={SIMPY_VERSION}: missing, installing");
        command::run(program(&python).args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            &format!("simpy=={SIMPY_VERSION}"),
        ]))?;
        if !has_simpy() {
            return Err(format!(
                "simpy=={SIMPY_VERSION} is still not importable after installing it"
            ));
        }
    }
    Ok(python)
}

/// Where a virtualenv keeps its interpreter.
fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// The `key=value` fields of the first line of `output` starting with `prefix`.
fn fields_of_line<'a>(output: &'a str, prefix: &str) -> Option<BTreeMap<&'a str, &'a str>> {
    let line = output.lines().find(|line| line.starts_with(prefix))?;
    Some(
        line.split_whitespace()
            .filter_map(|word| word.split_once('='))
            .collect(),
    )
}

/// The figures from the `<prefix>events=… seconds=… events_per_sec=…` line.
fn figures(output: &str, prefix: &str) -> Result<Figures, String> {
    let line_prefix = format!("{prefix}events=");
    let fields = fields_of_line(output, &line_prefix)
        .ok_or_else(|| format!("no `{line_prefix}…` line in the benchmark's output"))?;
    let field = |key: &str| -> Result<f64, String> {
        let text = fields
            .get(key)
            .ok_or_else(|| format!("`{prefix}` line has no `{key}=`"))?;
        text.parse()
            .map_err(|_| format!("`{prefix}` line: `{key}={text}` is not a number"))
    };
    let figures = Figures {
        events: field("events")? as u64,
        seconds: field("seconds")?,
        events_per_sec: field("events_per_sec")?,
    };
    if figures.events < MIN_EVENTS {
        return Err(format!(
            "`{prefix}` handled {} events, fewer than the {MIN_EVENTS} a fair measurement needs",
            figures.events
        ));
    }
    Ok(figures)
}

/// Print the mind-map benchmark's figures: milliseconds to parse and to lay
/// out its map.
fn mindmap_report(output: &str) -> Result<(), String> {
    let params = fields_of_line(output, "archsim-mindmap params ")
        .ok_or("the mind-map benchmark printed no `archsim-mindmap params` line")?;
    println!(
        "\n==> xtask bench: report (mind-map of {} nodes, {} bytes of markdown, best of {})",
        params.get("nodes").copied().unwrap_or("?"),
        params.get("bytes").copied().unwrap_or("?"),
        params.get("repeats").copied().unwrap_or("?"),
    );
    for step in ["parse", "layout"] {
        let prefix = format!("archsim-mindmap {step} ");
        let fields = fields_of_line(output, &prefix)
            .ok_or_else(|| format!("the mind-map benchmark printed no `{prefix}…` line"))?;
        let seconds: f64 = fields
            .get("seconds")
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("`{prefix}` line has no number `seconds=`"))?;
        let rate = fields.get("nodes_per_sec").copied().unwrap_or("?");
        println!("  {step:<7} {:>9.3} ms = {rate:>10} nodes/s", seconds * 1e3);
    }
    Ok(())
}

/// Print both measurements and the ratio against the target.
fn report(params: &BTreeMap<&str, &str>, archsim: &Figures, simpy: &Figures) {
    let param = |key: &str| params.get(key).copied().unwrap_or("?");
    println!(
        "\n==> xtask bench: report (M/M/1, lambda={}, mu={}, {} simulated seconds, seed {}, best of {})",
        param("lambda"),
        param("mu"),
        param("horizon_secs"),
        param("seed"),
        param("repeats"),
    );
    let simpy_name = format!("SimPy {SIMPY_VERSION}");
    for (name, f) in [("archsim kernel", archsim), (simpy_name.as_str(), simpy)] {
        println!(
            "  {name:<15} {:>9} events in {:>9.3} s = {:>12.0} events/s",
            f.events, f.seconds, f.events_per_sec
        );
    }
    let ratio = archsim.events_per_sec / simpy.events_per_sec;
    let verdict = if ratio >= TARGET_RATIO {
        "meets the target"
    } else {
        "BELOW the target (reported, not a failure)"
    };
    println!(
        "  {:<15} {ratio:.1}x (archsim events/s / SimPy events/s); target: at least {TARGET_RATIO:.0}x: {verdict}",
        "ratio"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mindmap_figures_are_read_from_the_bench_output() {
        let output = "archsim-mindmap params nodes=5000 bytes=397142 repeats=20\n\
                      archsim-mindmap parse nodes=5000 seconds=0.014083 nodes_per_sec=355037\n\
                      archsim-mindmap layout nodes=5000 seconds=0.000442 nodes_per_sec=11323925\n";
        assert_eq!(mindmap_report(output), Ok(()));
        assert!(mindmap_report("archsim-mindmap params nodes=5000\n").is_err());
    }
}
