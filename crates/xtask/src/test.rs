//! `cargo xtask test`: set up, then run every check CI runs, in order,
//! stopping at the first stage that fails. One stage is `cargo xtask build`
//! itself: the site must build and stay within its bundle budget.

use crate::command::{self, cargo};
use crate::{build, setup};

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
];

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
