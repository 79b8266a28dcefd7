//! `cargo xtask test`: set up, then run every check CI runs, in order,
//! stopping at the first stage that fails. One stage is `cargo xtask build`
//! itself: the site must build and stay within its bundle budget.

use crate::command::{self, cargo, program, workspace_root};
use crate::{build, fuzz, setup};

/// One check: a name for people and what runs it.
struct Stage {
    name: &'static str,
    action: Action,
}

/// How a stage runs.
enum Action {
    /// `cargo` with these arguments.
    Cargo(&'static [&'static str]),
    /// Another xtask's code.
    Task(fn() -> Result<(), String>),
}

/// The checks, cheapest first so a formatting slip fails in seconds.
const STAGES: &[Stage] = &[
    Stage {
        name: "format",
        action: Action::Cargo(&["fmt", "--all", "--check"]),
    },
    Stage {
        name: "clippy",
        action: Action::Cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    },
    Stage {
        name: "wasm32 build",
        action: Action::Cargo(&[
            "build",
            "-p",
            "archsim-core",
            "-p",
            "archsim-patterns",
            "-p",
            "archsim-mindmap",
            "--target",
            "wasm32-unknown-unknown",
        ]),
    },
    Stage {
        name: "site build and bundle budget",
        action: Action::Task(build::site),
    },
    Stage {
        name: "tests",
        action: Action::Cargo(&["test", "--workspace"]),
    },
    Stage {
        name: "web lints for wasm32",
        action: Action::Cargo(&[
            "clippy",
            "-p",
            "archsim-web",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ]),
    },
    Stage {
        name: "wasm tests in headless Chromium (wasm-bindgen-test)",
        action: Action::Task(wasm_tests),
    },
    Stage {
        name: "browser end-to-end tests against the built site",
        action: Action::Task(browser_tests),
    },
    Stage {
        name: "fuzzing, bounded (20 s a target)",
        action: Action::Task(bounded_fuzz),
    },
];

/// Every fuzz target for [`fuzz::TEST_RUN`]: long enough to pass the seeds'
/// shapes through a few hundred thousand mutations, short enough for CI.
fn bounded_fuzz() -> Result<(), String> {
    let (_, targets) = fuzz::parse_args(&[])?;
    fuzz::run(fuzz::TEST_RUN, &targets)
}

/// The web crate's tests compiled to wasm and run in Debian's Chromium
/// through ChromeDriver (`web/webdriver.json` holds the browser's flags).
fn wasm_tests() -> Result<(), String> {
    command::run(
        cargo()
            .args([
                "test",
                "-p",
                "archsim-web",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", setup::CHROMEDRIVER)
            .env(
                "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                workspace_root().join("web/webdriver.json"),
            )
            .env("WASM_BINDGEN_TEST_TIMEOUT", "180"),
    )
}

/// Playwright (from npm) driving Debian's Chromium through the site the
/// build stage produced, served on loopback by the tests themselves.
fn browser_tests() -> Result<(), String> {
    command::run(
        program("node")
            .args(["--test", "tests/browser/"])
            .env("ARCHSIM_SITE", build::site_dir()?)
            .env("ARCHSIM_CHROMIUM", setup::CHROMIUM),
    )
}

/// Set up, then run the stages; the error names the stage that failed.
pub(crate) fn run() -> Result<(), String> {
    setup::run().map_err(|e| format!("stage `setup` failed: {e}"))?;
    let total = STAGES.len();
    for (i, stage) in STAGES.iter().enumerate() {
        println!("\n==> xtask test: stage {}/{total}: {}", i + 1, stage.name);
        match stage.action {
            Action::Cargo(args) => command::run(cargo().args(args)),
            Action::Task(task) => task(),
        }
        .map_err(|e| format!("stage {}/{total} `{}` failed: {e}", i + 1, stage.name))?;
    }
    println!("\n==> xtask test: all {total} stages passed");
    Ok(())
}
