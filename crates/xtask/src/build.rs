//! `cargo xtask build`: the static site, built by Trunk with the pinned
//! tools, and its size report against each load's budget.
//!
//! The site is a set of loads ([`pages`]): the home page at the root, one
//! folder per pattern, the speed page and the map editor. Their wasm
//! binaries are compiled in one cargo run (so the two cores link them side
//! by side), then Trunk runs once per load on the page [`pages`] wrote,
//! into the load's folder, the root first (Trunk empties the folder it
//! builds into). Before that, each load's wasm is checked to link no JSON
//! code (serde_json); after the book, [`strict_csp`] moves what Trunk and mdBook write
//! inline into files, so the site runs under a strict
//! Content-Security-Policy. Trunk reads `Trunk.toml` at the workspace root (offline,
//! tools pinned) and finds wasm-opt in `tools/node_modules/.bin`, which is
//! put first on its `PATH`. The book goes into `book/` last.
//!
//! The report lists every load's first load — its `index.html`, `.js`,
//! `_bg.wasm` and `.css` — raw and gzipped against its budget, then the
//! rest of the site (the book, images), which is loaded only when used.
//! The task fails if any load exceeds its budget, naming each and by how
//! much.

use crate::command::{self, cargo, program, workspace_root};
use crate::pages::{self, Load};
use crate::setup::{self, Task};
use crate::strict_csp;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The folder Trunk assembles a build in, inside the output folder.
const TRUNK_STAGE: &str = ".stage";
/// The gzip level the report assumes a server uses (the best).
const GZIP_LEVEL: u32 = 9;

/// One file of the built site.
struct SiteFile {
    /// Path relative to the site folder, `/`-separated.
    path: String,
    raw: u64,
    gzip: u64,
}

impl SiteFile {
    /// Whether the browser fetches it on opening the load in folder `dir`
    /// (`""` for the root): the page, script, wasm or stylesheet directly
    /// in that folder.
    fn is_first_load_of(&self, dir: &str) -> bool {
        let name = if dir.is_empty() {
            Some(self.path.as_str())
        } else {
            self.path
                .strip_prefix(dir)
                .and_then(|p| p.strip_prefix('/'))
        };
        name.is_some_and(|name| {
            !name.contains('/')
                && (name == "index.html"
                    || name.ends_with(".js")
                    || name.ends_with("_bg.wasm")
                    || name.ends_with(".css"))
        })
    }
}

/// `cargo xtask build`: set up what the build needs, then build and measure.
pub(crate) fn run() -> Result<(), String> {
    setup::run_for(Task::Build)?;
    site()
}

/// Build the site and check every load against its budget (also a stage
/// of `cargo xtask test`, which has run the whole set-up already).
pub(crate) fn site() -> Result<(), String> {
    let loads = pages::loads()?;
    println!(
        "==> xtask build: the wasm of {} loads (cargo build --bins --profile web)",
        loads.len()
    );
    command::run(cargo().args([
        "build",
        "--package",
        "archsim-web",
        "--bins",
        "--profile",
        "web",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    for load in &loads {
        no_json(load)?;
    }
    let site = site_dir()?;
    for load in &loads {
        let page = load.write_page()?;
        let dist = site.join(&load.dir);
        println!(
            "==> xtask build: {} (trunk build, into {}/ of the site)",
            load.name, load.dir
        );
        let page = page.to_str().ok_or("the pages' path is not UTF-8")?;
        let dist = dist.to_str().ok_or("the site's path is not UTF-8")?;
        trunk_build(&[page, "--dist", dist])?;
    }
    // After Trunk, which replaces the whole output folder.
    println!("==> xtask build: book (mdbook build book, into book/ of the site)");
    command::run(program("mdbook").args(["build", "book"]))?;
    sidebar_toggle_is_a_button(&site.join("book"))?;
    strict_csp::apply(&site)?;
    let files = measure(&site)?;
    report(&site, &files, &loads)
}

/// mdBook 0.5's sidebar toggle is a `<label>` with `aria-label` and (set by
/// its script) `aria-expanded`, which ARIA allows only on an element with
/// a role: axe calls it critical. It acts as a button, so say so. Fails if
/// no page has the toggle where mdBook 0.5 writes it, so that a new mdBook
/// is looked at again rather than passed over.
fn sidebar_toggle_is_a_button(book: &Path) -> Result<(), String> {
    const TOGGLE: &str = "<label id=\"mdbook-sidebar-toggle\" ";
    const BUTTON: &str = "<label id=\"mdbook-sidebar-toggle\" role=\"button\" ";
    let mut fixed = 0;
    for entry in
        fs::read_dir(book).map_err(|e| format!("could not list {}: {e}", book.display()))?
    {
        let path = entry
            .map_err(|e| format!("could not list {}: {e}", book.display()))?
            .path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = fs::read_to_string(&path)
            .map_err(|e| format!("could not read {}: {e}", path.display()))?;
        if html.contains(TOGGLE) {
            fs::write(&path, html.replacen(TOGGLE, BUTTON, 1))
                .map_err(|e| format!("could not write {}: {e}", path.display()))?;
            fixed += 1;
        }
    }
    if fixed == 0 {
        return Err(format!(
            "no page of {} has mdBook's sidebar toggle ({TOGGLE}…): has mdBook's page changed?",
            book.display()
        ));
    }
    Ok(())
}

/// Fail if `load`'s wasm, as cargo built it (symbol names still in it),
/// links any JSON code: the site's bundles carry none (parameters are
/// typed values; JSON is the `json` feature of the native builds). A
/// pattern's page does link serde itself, for the few small messages to
/// and from its sweep worker, which gloo-worker encodes with bincode.
fn no_json(load: &Load) -> Result<(), String> {
    let wasm = workspace_root()
        .join("target/wasm32-unknown-unknown/web")
        .join(format!("{}.wasm", load.bin));
    let bytes = fs::read(&wasm).map_err(|e| format!("could not read {}: {e}", wasm.display()))?;
    match json_symbol(&bytes) {
        Some(symbol) => Err(format!(
            "the {} links JSON code ({symbol} in {}): the site's bundles must carry none; \
             use the `json` feature only in native builds",
            load.name,
            wasm.display()
        )),
        None => Ok(()),
    }
}

/// The first mangled name of a function of `serde_json` in `bytes`, if
/// any.
fn json_symbol(bytes: &[u8]) -> Option<String> {
    let mut at = 0;
    while let Some(offset) = bytes[at..].windows(3).position(|w| w == b"_ZN") {
        let start = at + offset;
        let digits = bytes[start + 3..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let name = &bytes[start + 3 + digits..];
        if digits > 0 && name.starts_with(b"serde_json") {
            let end = bytes[start..]
                .iter()
                .position(|b| !b.is_ascii_graphic())
                .map_or(bytes.len(), |n| start + n);
            return Some(String::from_utf8_lossy(&bytes[start..end.min(start + 120)]).into_owned());
        }
        at = start + 3;
    }
    None
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

/// Print the size table and hold every load to its budget.
fn report(dir: &Path, files: &[SiteFile], loads: &[Load]) -> Result<(), String> {
    if !files.iter().any(|f| f.path == "index.html") {
        return Err(format!(
            "{} has no index.html: did Trunk build the home page?",
            dir.display()
        ));
    }
    let width = files
        .iter()
        .map(|f| f.path.len() + 4)
        .chain(loads.iter().map(|l| l.name.len() + 16))
        .max()
        .unwrap_or(0)
        .max(24);
    let line = |label: &str, raw: u64, gzip: u64, note: &str| {
        println!(
            "  {label:<width$}  {:>11}  {:>11}  {note}",
            thousands(raw),
            thousands(gzip)
        );
    };
    let rule = || println!("  {}", "-".repeat(width + 40));
    println!(
        "\n==> xtask build: bundle sizes ({}, gzip level {GZIP_LEVEL})",
        dir.display()
    );
    println!(
        "  {:<width$}  {:>11}  {:>11}  budget (gzip)",
        "load / file", "raw bytes", "gzip bytes"
    );
    rule();
    let mut verdicts = Vec::new();
    let mut over = Vec::new();
    let mut counted = vec![false; files.len()];
    for load in loads {
        let shown = if load.dir.is_empty() { "/" } else { &load.dir };
        println!("  {} ({shown})", load.name);
        let mut mine = Vec::new();
        for (i, f) in files.iter().enumerate() {
            if f.is_first_load_of(&load.dir) {
                counted[i] = true;
                mine.push(f);
                line(&format!("    {}", f.path), f.raw, f.gzip, "");
            }
        }
        if !mine.iter().any(|f| f.path.ends_with("_bg.wasm")) {
            return Err(format!(
                "the {} ({shown}) has no wasm: did Trunk build it?",
                load.name
            ));
        }
        let total = Total::of(&mine);
        let verdict = budget_verdict(&load.name, total.gzip, load.budget, load.miss);
        line(
            &format!("    {}", total.label("first load")),
            total.raw,
            total.gzip,
            &size(load.budget),
        );
        match verdict {
            Ok(v) => verdicts.push(v),
            Err(e) => over.push(e),
        }
    }
    let other: Vec<&SiteFile> = files
        .iter()
        .zip(&counted)
        .filter(|(_, counted)| !**counted)
        .map(|(f, _)| f)
        .collect();
    let other_total = Total::of(&other);
    line(
        &format!(
            "  {}",
            other_total.label("the rest, loaded on demand (book, images)")
        ),
        other_total.raw,
        other_total.gzip,
        "",
    );
    rule();
    let all_total = Total::of(&files.iter().collect::<Vec<_>>());
    line(
        &all_total.label("everything"),
        all_total.raw,
        all_total.gzip,
        "",
    );
    println!();
    for v in &verdicts {
        println!("{v}");
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!("bundle budget exceeded: {}", over.join("; ")))
    }
}

/// "within budget" with the figures, or the error saying by how much the
/// gzipped first `load` of `name` exceeds `budget`. A recorded `miss` (a
/// ceiling and its reason) lets it over, saying so, up to the ceiling.
fn budget_verdict(
    name: &str,
    load: u64,
    budget: u64,
    miss: Option<(u64, &str)>,
) -> Result<String, String> {
    if load > budget {
        let over = format!(
            "the {name}'s first load is {} gzipped, over its budget of {} by {}",
            size(load),
            size(budget),
            size(load - budget)
        );
        return match miss {
            Some((ceiling, why)) if load <= ceiling => Ok(format!(
                "budget MISSED: {over}; recorded as a miss, allowed up to {}: {why}",
                size(ceiling)
            )),
            Some((ceiling, _)) => Err(format!(
                "{over}, and over its recorded ceiling of {}",
                size(ceiling)
            )),
            None => Err(over),
        };
    }
    Ok(format!(
        "budget: the {name}'s first load is {} gzipped, within its budget of {} \
         (headroom {})",
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
    use super::{SiteFile, budget_verdict, gzip_len, json_symbol, measure, thousands};
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
        let home = files.iter().filter(|f| f.is_first_load_of("")).count();
        assert_eq!(home, 4);
        let editor = files.iter().filter(|f| f.is_first_load_of("map")).count();
        assert_eq!(editor, 2);
        fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn over_budget_fails_with_the_figures() {
        let ok = budget_verdict("home page", 1024, 2048, None).expect("within");
        assert!(ok.contains("within its budget"), "{ok}");
        assert!(ok.contains("headroom 1.0 KiB (1,024 bytes)"), "{ok}");
        assert!(budget_verdict("home page", 2048, 2048, None).is_ok());
        let miss = budget_verdict("x page", 3072, 2048, Some((4096, "big"))).expect("recorded");
        assert!(
            miss.starts_with("budget MISSED: the x page's first load is 3.0 KiB"),
            "{miss}"
        );
        assert!(
            miss.ends_with("allowed up to 4.0 KiB (4,096 bytes): big"),
            "{miss}"
        );
        let beyond = budget_verdict("x page", 5120, 2048, Some((4096, "big"))).unwrap_err();
        assert!(
            beyond.ends_with("over its recorded ceiling of 4.0 KiB (4,096 bytes)"),
            "{beyond}"
        );
        let error = budget_verdict("home page", 3072, 2048, None).unwrap_err();
        assert!(
            error.starts_with("the home page's first load is 3.0 KiB (3,072 bytes)"),
            "{error}"
        );
        assert!(error.contains("by 1.0 KiB (1,024 bytes)"), "{error}");
    }

    #[test]
    fn finds_json_code_by_its_mangled_names() {
        let clean = b"\0asm _ZN4core3fmt5write17h1E _ZN7archsim10serde_json17h2E serde_json";
        assert_eq!(json_symbol(clean), None);
        let linked = b"\0asm _ZN4core3fmt5write17h1E\0_ZN10serde_json5value2to17h3E\0";
        assert_eq!(
            json_symbol(linked).as_deref(),
            Some("_ZN10serde_json5value2to17h3E")
        );
        assert_eq!(
            json_symbol(b"_ZN5serde2de5Error17h4E"),
            None,
            "serde itself is allowed"
        );
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
    fn a_first_load_is_a_folder_s_page_script_wasm_and_style() {
        let file = |path: &str| SiteFile {
            path: path.to_owned(),
            raw: 0,
            gzip: 0,
        };
        for path in ["index.html", "a-1.js", "a-1_bg.wasm", "main-2.css"] {
            assert!(file(path).is_first_load_of(""), "{path}");
        }
        for path in [
            "book/index.html",
            "book/x.js",
            "logo.svg",
            "other.html",
            "map/index.html",
        ] {
            assert!(!file(path).is_first_load_of(""), "{path}");
        }
        for path in [
            "caching/index.html",
            "caching/e-1.js",
            "caching/e-1_bg.wasm",
            "caching/main-2.css",
        ] {
            assert!(file(path).is_first_load_of("caching"), "{path}");
        }
        for path in [
            "index.html",
            "caching/x/index.html",
            "cachingx/index.html",
            "caching/logo.svg",
        ] {
            assert!(!file(path).is_first_load_of("caching"), "{path}");
        }
    }

    #[test]
    fn gzip_shrinks_repetitive_bytes() {
        let bytes = vec![b'a'; 10_000];
        let len = gzip_len(&bytes).expect("gzip in memory");
        assert!(len > 0 && len < 200, "{len}");
    }
}
