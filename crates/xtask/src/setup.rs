//! `cargo xtask setup`: make sure the tools the other tasks need are
//! installed, installing only what is missing.
//!
//! Set-up is a list of named [`Step`]s, each a check and an install, and the
//! tasks that need it. Running it twice does nothing the second time. A new
//! requirement (a headless browser, say) is one more entry in [`STEPS`].
//!
//! Tool versions come from the files that pin them, never from this code:
//! wasm-bindgen-cli must match the `wasm-bindgen` crate in `Cargo.lock` (and
//! `Trunk.toml` must say the same), wasm-opt must be the `version_NNN`
//! `Trunk.toml` names, installed from `tools/package-lock.json`.

use crate::command::{self, cargo, program, workspace_root};
use std::fs;
use std::path::{Path, PathBuf};

/// One thing the project needs, how to tell it is there and how to get it.
struct Step {
    /// What is needed, as shown to people.
    name: &'static str,
    /// The `cargo xtask` tasks that need it.
    needed_by: &'static [Task],
    /// Whether it is already present; an error means the project's own
    /// files are inconsistent, which installing cannot fix.
    present: fn() -> Result<bool, String>,
    /// Install it (it was found missing).
    install: fn() -> Result<(), String>,
}

/// The tasks set-up prepares for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Task {
    Test,
    Build,
    Serve,
    Bench,
}

impl Task {
    fn name(self) -> &'static str {
        match self {
            Task::Test => "test",
            Task::Build => "build",
            Task::Serve => "serve",
            Task::Bench => "bench",
        }
    }
}

/// The rustup target the kernel, the models and the playground are built for
/// in the browser.
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The Trunk release line the site is built with (`trunk --version`).
const TRUNK_LINE: &str = "0.21";
/// The version requirement `cargo install` is given for Trunk.
const TRUNK_REQUIREMENT: &str = "~0.21";
/// Everything that builds the site (and `test` builds it).
const SITE: &[Task] = &[Task::Test, Task::Build, Task::Serve, Task::Bench];
/// Tasks that drive a browser.
const BROWSER: &[Task] = &[Task::Test, Task::Bench];

/// Everything set-up checks, in order.
const STEPS: &[Step] = &[
    Step {
        name: "rustup target wasm32-unknown-unknown",
        needed_by: SITE,
        present: || Ok(wasm_target_installed()),
        install: || command::run(program("rustup").args(["target", "add", WASM_TARGET])),
    },
    Step {
        name: "rustfmt (cargo fmt)",
        needed_by: &[Task::Test],
        present: || Ok(command::succeeds(cargo().args(["fmt", "--version"]))),
        install: || command::run(program("rustup").args(["component", "add", "rustfmt"])),
    },
    Step {
        name: "clippy (cargo clippy)",
        needed_by: &[Task::Test],
        present: || Ok(command::succeeds(cargo().args(["clippy", "--version"]))),
        install: || command::run(program("rustup").args(["component", "add", "clippy"])),
    },
    Step {
        name: "trunk 0.21.x",
        needed_by: SITE,
        present: || Ok(trunk_present()),
        install: || {
            command::run(tool_install().args(["--locked", "trunk", "--version", TRUNK_REQUIREMENT]))
        },
    },
    Step {
        name: "wasm-bindgen-cli (the wasm-bindgen version in Cargo.lock)",
        needed_by: SITE,
        present: wasm_bindgen_present,
        install: || {
            let version = wasm_bindgen_version()?;
            // Not --locked: wasm-bindgen-cli's lock file pins dependencies
            // that no longer build with current compilers.
            command::run(tool_install().args([
                "wasm-bindgen-cli",
                "--version",
                &format!("={version}"),
            ]))
        },
    },
    Step {
        name: "npm tools in tools/ (wasm-opt, the version Trunk.toml names)",
        needed_by: SITE,
        present: wasm_opt_present,
        install: || npm_ci("tools"),
    },
    Step {
        name: "mdbook 0.5.4",
        needed_by: SITE,
        present: || {
            Ok(command::stdout_of(program("mdbook").arg("--version"))
                .is_some_and(|out| out.trim() == format!("mdbook v{MDBOOK_VERSION}")))
        },
        install: || {
            command::run(tool_install().args(["--locked", "mdbook", "--version", MDBOOK_VERSION]))
        },
    },
    Step {
        name: "Chromium and ChromeDriver (Debian packages, for browser tests)",
        needed_by: BROWSER,
        present: || Ok(Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file()),
        install: || {
            command::run(program("apt-get").arg("update"))?;
            command::run(program("apt-get").args(["install", "-y", "chromium", "chromium-driver"]))
        },
    },
    Step {
        name: "browser-test packages in tests/browser/ (playwright-core, axe-core)",
        needed_by: BROWSER,
        present: || {
            Ok(workspace_root()
                .join("tests/browser/node_modules/playwright-core")
                .is_dir()
                && workspace_root()
                    .join("tests/browser/node_modules/axe-core")
                    .is_dir())
        },
        install: || npm_ci("tests/browser"),
    },
];

/// The mdbook release the book is written for (0.5 changed the book format
/// preprocessors see).
const MDBOOK_VERSION: &str = "0.5.4";
/// Debian's Chromium: browser tests never download a browser.
pub(crate) const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's ChromeDriver, for wasm-bindgen-test.
pub(crate) const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Check every step (for `cargo xtask setup` and `test`).
pub(crate) fn run() -> Result<(), String> {
    println!("==> xtask setup");
    run_steps(STEPS.iter())
}

/// Check only the steps `task` needs.
pub(crate) fn run_for(task: Task) -> Result<(), String> {
    println!("==> xtask setup (what `{}` needs)", task.name());
    run_steps(STEPS.iter().filter(|step| step.needed_by.contains(&task)))
}

/// Check each step; install what is missing and confirm it is then present.
fn run_steps<'a>(steps: impl Iterator<Item = &'a Step>) -> Result<(), String> {
    for step in steps {
        let tasks: Vec<&str> = step.needed_by.iter().map(|t| t.name()).collect();
        let label = format!("{} [for {}]", step.name, tasks.join(", "));
        if (step.present)().map_err(|e| format!("{}: {e}", step.name))? {
            println!("setup: {label}: present, skipping");
            continue;
        }
        println!("setup: {label}: missing, installing");
        (step.install)().map_err(|e| format!("could not install {}: {e}", step.name))?;
        if !(step.present)()? {
            return Err(format!(
                "{} is still missing after installing it",
                step.name
            ));
        }
        println!("setup: {label}: installed");
    }
    Ok(())
}

/// `cargo install` for a build tool, compiled for a short build rather than
/// for the last per cent of speed: a tool's own release profile (Trunk's is
/// fat LTO with one codegen unit, about 11 minutes on two cores) is
/// overridden through Cargo's profile environment variables, which take
/// precedence over the manifest. The tools spend their time in wasm-opt and
/// in rustc, not in their own code, so nothing the build does gets slower.
fn tool_install() -> std::process::Command {
    let mut command = cargo();
    command
        .arg("install")
        .env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "2")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "false");
    command
}

/// Whether `rustup target list --installed` lists the wasm target.
fn wasm_target_installed() -> bool {
    command::stdout_of(program("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|list| list.lines().any(|line| line.trim() == WASM_TARGET))
}

/// Whether `trunk --version` prints a version of the pinned release line
/// (`trunk 0.21.14`).
fn trunk_present() -> bool {
    let prefix = format!("{TRUNK_LINE}.");
    command::stdout_of(program("trunk").arg("--version")).is_some_and(|out| {
        out.split_whitespace()
            .nth(1)
            .is_some_and(|version| version.starts_with(&prefix))
    })
}

/// Whether `wasm-bindgen --version` prints exactly the version Cargo.lock
/// (and Trunk.toml) pin (`wasm-bindgen 0.2.130`).
fn wasm_bindgen_present() -> Result<bool, String> {
    let wanted = wasm_bindgen_version()?;
    Ok(command::stdout_of(program("wasm-bindgen").arg("--version"))
        .is_some_and(|out| out.split_whitespace().nth(1) == Some(wanted.as_str())))
}

/// Where npm puts the wasm-opt of the `binaryen` package.
pub(crate) fn npm_bin_dir() -> PathBuf {
    workspace_root()
        .join("tools")
        .join("node_modules")
        .join(".bin")
}

/// Whether `tools/node_modules/.bin/wasm-opt --version` prints the
/// `version_NNN` Trunk.toml names (`wasm-opt version 132 (version_132)`).
fn wasm_opt_present() -> Result<bool, String> {
    let wanted = trunk_toml_tool("wasm_opt")?;
    Ok(
        command::stdout_of(program(npm_bin_dir().join("wasm-opt")).arg("--version")).is_some_and(
            |out| {
                out.split_whitespace()
                    .any(|word| word.trim_matches(|c| c == '(' || c == ')') == wanted)
            },
        ),
    )
}

/// `npm ci --prefix DIR`: exactly what `DIR/package-lock.json` pins.
fn npm_ci(dir: &str) -> Result<(), String> {
    let lock = workspace_root().join(dir).join("package-lock.json");
    if !lock.is_file() {
        return Err(format!(
            "{} is missing: run `npm install --prefix {dir}` once and commit the lock file",
            lock.display()
        ));
    }
    command::run(program("npm").args(["ci", "--prefix", dir]))
        .map_err(|e| format!("{e} (are node and npm installed?)"))
}

/// The version of the `wasm-bindgen` crate in Cargo.lock, after checking
/// that Trunk.toml pins the same one (the CLI and the crate must match
/// exactly, and Trunk uses the CLI version Trunk.toml names).
fn wasm_bindgen_version() -> Result<String, String> {
    let read = |name: &str| {
        let path = workspace_root().join(name);
        fs::read_to_string(&path).map_err(|e| format!("could not read {}: {e}", path.display()))
    };
    locked_wasm_bindgen(&read("Cargo.lock")?, &read("Trunk.toml")?)
}

/// [`wasm_bindgen_version`] on the texts of Cargo.lock and Trunk.toml.
fn locked_wasm_bindgen(lock: &str, trunk_toml: &str) -> Result<String, String> {
    let locked = match lock_versions(lock, "wasm-bindgen").as_slice() {
        [version] => (*version).to_owned(),
        [] => return Err("Cargo.lock has no `wasm-bindgen` package".to_owned()),
        several => {
            return Err(format!(
                "Cargo.lock has several `wasm-bindgen` versions ({}); \
                 wasm-bindgen-cli can match only one: unify them",
                several.join(", ")
            ));
        }
    };
    let pinned = toml_string(trunk_toml, "tools", "wasm_bindgen")
        .ok_or("Trunk.toml has no `wasm_bindgen = \"...\"` under [tools]")?;
    if pinned != locked {
        return Err(format!(
            "Trunk.toml pins wasm_bindgen = \"{pinned}\" but Cargo.lock has wasm-bindgen {locked}: \
             they must be equal; set `wasm_bindgen = \"{locked}\"` under [tools] in Trunk.toml \
             (or change the crate version in Cargo.lock)"
        ));
    }
    Ok(locked)
}

/// The value of `key` under `[tools]` in Trunk.toml.
fn trunk_toml_tool(key: &str) -> Result<String, String> {
    trunk_toml("tools", key)
}

/// The string value of `key` under `[section]` in Trunk.toml.
pub(crate) fn trunk_toml(section: &str, key: &str) -> Result<String, String> {
    let path = workspace_root().join("Trunk.toml");
    let text =
        fs::read_to_string(&path).map_err(|e| format!("could not read {}: {e}", path.display()))?;
    toml_string(&text, section, key)
        .map(str::to_owned)
        .ok_or_else(|| format!("Trunk.toml has no `{key} = \"...\"` under [{section}]"))
}

/// The versions of every `[[package]]` named `name` in a Cargo.lock.
fn lock_versions<'a>(lock: &'a str, name: &str) -> Vec<&'a str> {
    lock.split("[[package]]")
        .skip(1)
        .filter(|block| toml_string(block, "", "name") == Some(name))
        .filter_map(|block| toml_string(block, "", "version"))
        .collect()
}

/// The string value of `key = "value"` in `[section]` ("" for the keys
/// before any section header) of simple, one-key-a-line TOML such as
/// Trunk.toml or a Cargo.lock package; trailing comments are ignored.
fn toml_string<'a>(text: &'a str, section: &str, key: &str) -> Option<&'a str> {
    let mut current = "";
    for line in text.lines().map(str::trim) {
        if let Some(header) = line.strip_prefix('[') {
            current = header.trim_end_matches(']').trim();
            continue;
        }
        if current != section {
            continue;
        }
        let Some((k, value)) = line.split_once('=') else {
            continue;
        };
        if k.trim() == key {
            let quoted = value.trim().strip_prefix('"')?;
            return quoted.split_once('"').map(|(inner, _)| inner);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{lock_versions, locked_wasm_bindgen, toml_string};

    const TRUNK: &str = "\
[build]
target = \"web/index.html\" # comment
[tools]
# Must equal the wasm-bindgen version in Cargo.lock.
wasm_bindgen = \"0.2.130\"
wasm_opt = \"version_132\"   # from npm
";

    #[test]
    fn reads_keys_of_a_section() {
        assert_eq!(toml_string(TRUNK, "tools", "wasm_bindgen"), Some("0.2.130"));
        assert_eq!(toml_string(TRUNK, "tools", "wasm_opt"), Some("version_132"));
        assert_eq!(
            toml_string(TRUNK, "build", "target"),
            Some("web/index.html")
        );
        assert_eq!(toml_string(TRUNK, "build", "wasm_opt"), None);
        assert_eq!(toml_string(TRUNK, "tools", "target"), None);
    }

    #[test]
    fn finds_a_package_version_in_a_lock_file() {
        let lock = "\
version = 4

[[package]]
name = \"wasm-bindgen-macro\"
version = \"0.2.130\"

[[package]]
name = \"wasm-bindgen\"
version = \"0.2.130\"
source = \"registry+https://github.com/rust-lang/crates.io-index\"
dependencies = [
 \"cfg-if\",
]
";
        assert_eq!(lock_versions(lock, "wasm-bindgen"), ["0.2.130"]);
        assert!(lock_versions(lock, "serde").is_empty());
        assert_eq!(locked_wasm_bindgen(lock, TRUNK).as_deref(), Ok("0.2.130"));

        let bumped = lock.replace("0.2.130\"\nsource", "0.2.131\"\nsource");
        let error = locked_wasm_bindgen(&bumped, TRUNK).unwrap_err();
        assert!(
            error.contains("Trunk.toml pins wasm_bindgen = \"0.2.130\"")
                && error.contains("Cargo.lock has wasm-bindgen 0.2.131"),
            "{error}"
        );
        let twice = format!("{lock}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert!(
            locked_wasm_bindgen(&twice, TRUNK)
                .unwrap_err()
                .contains("several")
        );
    }
}
