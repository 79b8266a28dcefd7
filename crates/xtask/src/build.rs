//! `cargo xtask build`: the static site, built by Trunk with the pinned
//! tools, and its size report against the bundle budget.
//!
//! Trunk reads `Trunk.toml` at the workspace root (entry `web/index.html`,
//! output `dist`, offline) and finds wasm-opt in `tools/node_modules/.bin`,
//! which is put first on its `PATH`. It runs twice: the playground into the
//! site's root, then the map editor (`web/editor.html`, an app of its own)
//! into `map/`. The report lists every file of the site, raw and gzipped,
//! and totals the playground's initial load: the top-level `index.html`,
//! `.js`, `_bg.wasm` and `.css`, and the same files of the map editor.
//! Anything else (the editor, the book under `book/`, images) is loaded
//! only when used. The task fails if the playground's initial load exceeds
//! [`BUDGET_GZIP_BYTES`] gzipped.

use crate::command::{self, program, workspace_root};
use crate::setup::{self, Task};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The most the playground's initial load may weigh, gzipped: 350 KiB.
const BUDGET_GZIP_BYTES: u64 = 350 * 1024;
/// The folder Trunk assembles a build in, inside the output folder.
const TRUNK_STAGE: &str = ".stage";
/// The gzip level the report assumes a server uses (the best).
const GZIP_LEVEL: u32 = 9;
/// The map editor's page, and its folder in the site.
const EDITOR_HTML: &str = "web/editor.html";
const EDITOR_DIR: &str = "map";

/// One file of the built site.
struct SiteFile {
    /// Path relative to the site folder, `/`-separated.
    path: String,
    raw: u64,
    gzip: u64,
}

impl SiteFile {
    /// Whether the browser fetches it on opening the playground.
    fn is_initial_load(&self) -> bool {
        is_app_file(&self.path)
    }

    /// Whether the browser fetches it on opening the map editor.
    fn is_editor_load(&self) -> bool {
        self.path
            .strip_prefix(EDITOR_DIR)
            .and_then(|p| p.strip_prefix('/'))
            .is_some_and(is_app_file)
    }
}

/// An app's page, script, wasm or stylesheet, directly in its folder.
fn is_app_file(path: &str) -> bool {
    !path.contains('/')
        && (path == "index.html"
            || path.ends_with(".js")
            || path.ends_with("_bg.wasm")
            || path.ends_with(".css"))
}

/// `cargo xtask build`: set up what the build needs, then build and measure.
pub(crate) fn run() -> Result<(), String> {
    setup::run_for(Task::Build)?;
    site()
}

/// Build the site and check its size against the budget (also a stage of
/// `cargo xtask test`, which has run the whole set-up already).
pub(crate) fn site() -> Result<(), String> {
    println!("==> xtask build: site (trunk build --release)");
    trunk_build(&[])?;
    println!(
        "==> xtask build: map editor (trunk build {EDITOR_HTML} --release, into {EDITOR_DIR}/ of the site)"
    );
    let editor_dir = site_dir()?.join(EDITOR_DIR);
    let editor_dir = editor_dir.to_str().ok_or("the site's path is not UTF-8")?;
    trunk_build(&[EDITOR_HTML, "--dist", editor_dir])?;
    // After Trunk, which replaces the whole output folder.
    println!("==> xtask build: book (mdbook build book, into book/ of the site)");
    command::run(program("mdbook").args(["build", "book"]))?;
    let dir = site_dir()?;
    let files = measure(&dir)?;
    report(&dir, &files)
}

/// Where Trunk writes the site: `dist` in Trunk.toml.
pub(crate) fn site_dir() -> Result<PathBuf, String> {
    Ok(workspace_root().join(setup::trunk_toml("build", "dist")?))
}

/// `trunk build [ARGS] --release` from the workspace root, wasm-opt on the
/// `PATH`.
fn trunk_build(args: &[&str]) -> Result<(), String> {
    let npm_bin = setup::npm_bin_dir();
    let inherited = std::env::var_os("PATH").unwrap_or_default();
    let path = std::env::join_paths(
        std::iter::once(npm_bin.clone()).chain(std::env::split_paths(&inherited)),
    )
    .map_err(|e| format!("cannot put {} on PATH: {e}", npm_bin.display()))?;
    println!("(with {} first on PATH)", npm_bin.display());
    command::run(
        program("trunk")
            .arg("build")
            .args(args)
            .arg("--release")
            .env("PATH", path),
    )
}

/// Every file under `dir`, sorted by path, with its raw and gzipped sizes.
fn measure(dir: &Path) -> Result<Vec<SiteFile>, String> {
    let mut paths = Vec::new();
    collect_files(dir, &mut paths)?;
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes =
            fs::read(&path).map_err(|e| format!("could not read {}: {e}", path.display()))?;
        let relative = path.strip_prefix(dir).unwrap_or(&path);
        let name: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        files.push(SiteFile {
            path: name.join("/"),
            raw: bytes.len() as u64,
            gzip: gzip_len(&bytes)?,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The files under `dir`, recursively, leaving out Trunk's staging folder
/// (a build that failed or is under way leaves it there).
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        fs::read_dir(dir).map_err(|e| format!("could not list {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("could not list {}: {e}", dir.display()))?;
        let path = entry.path();
        if entry.file_name() == TRUNK_STAGE {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// The size of `bytes` gzipped at [`GZIP_LEVEL`].
fn gzip_len(bytes: &[u8]) -> Result<u64, String> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::new(GZIP_LEVEL));
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map(|compressed| compressed.len() as u64)
        .map_err(|e| format!("gzip failed: {e}"))
}

/// Print the size table and hold the initial load to the budget.
fn report(dir: &Path, files: &[SiteFile]) -> Result<(), String> {
    let (initial, rest): (Vec<&SiteFile>, Vec<&SiteFile>) =
        files.iter().partition(|f| f.is_initial_load());
    let (editor, other): (Vec<&SiteFile>, Vec<&SiteFile>) =
        rest.into_iter().partition(|f| f.is_editor_load());
    let has = |wanted: fn(&str) -> bool| initial.iter().any(|f| wanted(&f.path));
    let required = [
        ("index.html", has(|path| path == "index.html")),
        ("a .js file", has(|path| path.ends_with(".js"))),
        ("a _bg.wasm file", has(|path| path.ends_with("_bg.wasm"))),
    ];
    if let Some((what, _)) = required.iter().find(|(_, present)| !present) {
        return Err(format!(
            "{} has no top-level {what}: did Trunk build the playground?",
            dir.display()
        ));
    }

    let initial_total = Total::of(&initial);
    let editor_total = Total::of(&editor);
    let other_total = Total::of(&other);
    let all_total = Total::of(&files.iter().collect::<Vec<_>>());
    let rows_width = files.iter().map(|f| f.path.len() + 2).max().unwrap_or(0);
    let width = ["file", "playground initial load", "total"]
        .iter()
        .map(|s| s.len())
        .chain([rows_width, all_total.label("everything").len()])
        .max()
        .unwrap_or(0);
    let line = |label: &str, raw: u64, gzip: u64| {
        println!(
            "  {label:<width$}  {:>11}  {:>11}",
            thousands(raw),
            thousands(gzip)
        );
    };
    let rule = || println!("  {}", "-".repeat(width + 26));

    println!(
        "\n==> xtask build: bundle sizes ({}, gzip level {GZIP_LEVEL})",
        dir.display()
    );
    println!(
        "  {:<width$}  {:>11}  {:>11}",
        "file", "raw bytes", "gzip bytes"
    );
    rule();
    println!("  playground initial load");
    for f in &initial {
        line(&format!("  {}", f.path), f.raw, f.gzip);
    }
    line(
        &format!("  {}", initial_total.label("total")),
        initial_total.raw,
        initial_total.gzip,
    );
    if !editor.is_empty() {
        println!("  map editor ({EDITOR_DIR}/), loaded when opened");
        for f in &editor {
            line(&format!("  {}", f.path), f.raw, f.gzip);
        }
        line(
            &format!("  {}", editor_total.label("total")),
            editor_total.raw,
            editor_total.gzip,
        );
    }
    println!("  other files (loaded on demand)");
    if other.is_empty() {
        println!("    (none)");
    } else {
        for f in &other {
            line(&format!("  {}", f.path), f.raw, f.gzip);
        }
        line(
            &format!("  {}", other_total.label("total")),
            other_total.raw,
            other_total.gzip,
        );
    }
    rule();
    line(
        &all_total.label("everything"),
        all_total.raw,
        all_total.gzip,
    );

    println!(
        "\n{}",
        budget_verdict(initial_total.gzip, BUDGET_GZIP_BYTES)?
    );
    Ok(())
}

/// "within budget" with the figures, or the error saying by how much the
/// gzipped initial `load` exceeds `budget`.
fn budget_verdict(load: u64, budget: u64) -> Result<String, String> {
    if load > budget {
        return Err(format!(
            "bundle budget exceeded: the playground's initial load is {} gzipped, \
             over the budget of {} by {}",
            size(load),
            size(budget),
            size(load - budget)
        ));
    }
    Ok(format!(
        "budget: the playground's initial load is {} gzipped: within budget\n        \
         budget {}, headroom {}",
        size(load),
        size(budget),
        size(budget - load)
    ))
}

/// Sizes summed over a group of files.
struct Total {
    count: usize,
    raw: u64,
    gzip: u64,
}

impl Total {
    fn of(files: &[&SiteFile]) -> Total {
        Total {
            count: files.len(),
            raw: files.iter().map(|f| f.raw).sum(),
            gzip: files.iter().map(|f| f.gzip).sum(),
        }
    }

    fn label(&self, what: &str) -> String {
        let plural = if self.count == 1 { "" } else { "s" };
        format!("{what} ({} file{plural})", self.count)
    }
}

/// `bytes` in KiB with one decimal, and exactly.
fn size(bytes: u64) -> String {
    format!(
        "{:.1} KiB ({} bytes)",
        bytes as f64 / 1024.0,
        thousands(bytes)
    )
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{SiteFile, budget_verdict, gzip_len, measure, report, thousands};
    use std::fs;

    #[test]
    fn measures_a_site_with_a_book_and_leaves_out_the_stage() {
        let dir = std::env::temp_dir().join(format!("xtask-site-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for (path, text) in [
            ("index.html", "<html></html>"),
            ("app-1.js", "export default 1;"),
            ("app-1_bg.wasm", "\0asm"),
            ("main.css", "body {}"),
            ("book/index.html", "<html>book</html>"),
            ("map/index.html", "<html>editor</html>"),
            ("map/editor-1_bg.wasm", "\0asm"),
            ("book/css/book.css", "p {}"),
            (".stage/index.html", "half-built"),
        ] {
            let file = dir.join(path);
            fs::create_dir_all(file.parent().expect("has a parent")).expect("mkdir");
            fs::write(&file, text).expect("write");
        }
        let files = measure(&dir).expect("measure");
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "app-1.js",
                "app-1_bg.wasm",
                "book/css/book.css",
                "book/index.html",
                "index.html",
                "main.css",
                "map/editor-1_bg.wasm",
                "map/index.html"
            ]
        );
        let initial = files.iter().filter(|f| f.is_initial_load()).count();
        assert_eq!(initial, 4);
        let editor = files.iter().filter(|f| f.is_editor_load()).count();
        assert_eq!(editor, 2);
        assert!(report(&dir, &files).is_ok());
        fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn over_budget_fails_with_the_figures() {
        let ok = budget_verdict(1024, 2048).expect("within");
        assert!(ok.contains("within budget"), "{ok}");
        assert!(ok.contains("headroom 1.0 KiB (1,024 bytes)"), "{ok}");
        assert!(budget_verdict(2048, 2048).is_ok());
        let error = budget_verdict(3072, 2048).unwrap_err();
        assert!(error.contains("3.0 KiB (3,072 bytes)"), "{error}");
        assert!(error.contains("by 1.0 KiB (1,024 bytes)"), "{error}");
    }

    #[test]
    fn groups_digits_in_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(358_400), "358,400");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn initial_loads_are_each_app_s_page_script_wasm_and_style() {
        let file = |path: &str| SiteFile {
            path: path.to_owned(),
            raw: 0,
            gzip: 0,
        };
        for path in ["index.html", "a-1.js", "a-1_bg.wasm", "main-2.css"] {
            assert!(file(path).is_initial_load(), "{path}");
        }
        for path in [
            "book/index.html",
            "book/x.js",
            "logo.svg",
            "other.html",
            "map/index.html",
        ] {
            assert!(!file(path).is_initial_load(), "{path}");
        }
        for path in [
            "map/index.html",
            "map/e-1.js",
            "map/e-1_bg.wasm",
            "map/main-2.css",
        ] {
            assert!(file(path).is_editor_load(), "{path}");
        }
        for path in [
            "index.html",
            "map/x/index.html",
            "mapped/index.html",
            "map/logo.svg",
        ] {
            assert!(!file(path).is_editor_load(), "{path}");
        }
    }

    #[test]
    fn gzip_shrinks_repetitive_bytes() {
        let bytes = vec![b'a'; 10_000];
        let len = gzip_len(&bytes).expect("gzip in memory");
        assert!(len > 0 && len < 200, "{len}");
    }
}
