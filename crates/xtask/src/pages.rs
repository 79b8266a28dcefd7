//! The site's loads, and the HTML page Trunk builds each one from.
//!
//! A load is a page with a bundle of its own: the home page (the mind-map,
//! no model), one page per registered pattern (its model and diagram), the
//! speed page (every model) and the map editor (the markdown parser). Each
//! is a binary of the web crate and one page written from the template
//! `web/page.html`, into `target/pages/`; each has a gzipped budget, kept
//! here and nowhere else.
//!
//! The home page's body is the mind-map's outline as static HTML — every
//! branch and leaf, each leaf with real links to its experiments and its
//! book section — so that the map reads, and every link works, before the
//! wasm starts or without JavaScript at all; the app replaces it when it
//! starts.

use crate::command::workspace_root;
use archsim_mindmap::xml::escape;
use archsim_mindmap::{Mindmap, collapse_whitespace};
use archsim_patterns::Pattern;
use std::fmt::Write;
use std::fs;
use std::path::PathBuf;

/// KiB, for the budgets.
const KIB: u64 = 1024;
/// The home page: the map and the catalog's words.
const HOME_BUDGET: u64 = 150 * KIB;
/// A pattern's page: its model, its diagram and the experiment page.
const PATTERN_BUDGET: u64 = 200 * KIB;
/// The map editor, with the markdown and YAML parsers (its size when the
/// site was split into loads).
const EDITOR_BUDGET: u64 = 274 * KIB;
/// The speed page carries every model: the budget the single bundle had.
const SPEED_BUDGET: u64 = 350 * KIB;

/// Loads that miss their budget, by their binary's name, each allowed a
/// ceiling and the reason: a miss recorded where the budgets are and
/// printed by every build, not a budget quietly raised. A load over its
/// ceiling still fails the build.
const MISSES: &[(&str, u64, &str)] = &[
    (
        "archsim-web",
        162 * KIB,
        "the map draws tables, code blocks, images and checkboxes inside nodes as \
         markmap does (0.3 KiB); the site runs under a strict \
         Content-Security-Policy (about 1 KiB: Trunk's loader moved into a file of \
         its own, and the map's pan, offset and animation time set through the \
         CSSOM instead of style attributes); and the header's skip link, type-ahead \
         in the tree and a search that finds leaves by their experiments' words \
         (0.7 KiB). The page \
         was 149.5 KiB before these; every load's wasm is now optimised with \
         wasm-opt --converge, which took 0.3 to 0.9 KiB off each. Then 151.5 KiB; \
         then 3.1 KiB more for the map on a phone (readable text, one branch at a \
         time, rows spaced for fingers), the chooser of a leaf's experiments, and the \
         folds a map can start from and report, which the editor's links carry; \
         then 154.9 KiB, and 3.0 KiB more for the words of the 13 event-driven and \
         CQRS presets (their titles and what to look for, which the map shows on \
         a leaf and its search reads); then 157.9 KiB, and 3.6 KiB more for the \
         words of the 14 microservices and delivery presets, and a leaf that \
         finds the model of its branch that claims it (a branch may have two)",
    ),
    (
        "archsim-editor",
        286 * KIB,
        "the home page's map with all it does (above), and the editor's own: folds \
         kept in the link, lines that wrap with their numbers beside them, and the \
         syntax guide (0.4 KiB). The editor was 273.9 KiB before these; then \
         278.3 KiB, and 2.6 KiB more for the words of the event-driven and CQRS \
         presets, as on the home page; then 280.9 KiB, and 4.1 KiB more for the \
         words of the microservices and delivery presets, as on the home page",
    ),
    (
        "load-balancing",
        233 * KIB,
        "the sweep panel and its worker (40.6 KiB): a parameter swept over a range \
         with seeds and confidence bands, drawn as it arrives, theory's prediction \
         beside it with its source or why it does not apply, a table and a CSV, \
         in a link as sweep=; run off the main thread by this bundle started again \
         in a worker (gloo-worker, and serde for its messages). The page was \
         191.2 KiB before it",
    ),
    (
        "sharding",
        249 * KIB,
        "what every experiment page gained for learners (about 6 KiB): a key to \
         each diagram's marks, the charts marking what happened (faults, verdicts, \
         resharding) with a list of the moments, a finished run saying so over its \
         diagram, the headline number the preset is about first and the others only \
         where they mean something, the preset's parameters first with the rest \
         under More and changed values marked, a bottom sheet for a node's actions \
         on a phone; and this pattern's rows still to leave and arrive on each \
         shard. The page was 198.8 KiB before these; then 205.7 KiB, and about \
         1 KiB more for diagrams laid out narrow on a phone and in a comparison \
         (their text read at 6 px there, now 11 to 12), the sentence under the \
         numbers saying which requests a latency counts, and a dash for the keys \
         that move before the resharding plans them; then 207.0 KiB, and 1.9 KiB \
         more for the timeline under the diagrams (any moment of the run by drag, \
         keys or a moment's button, re-simulated from the start when it goes back, \
         in the link as t=); then 208.9 KiB, and 39 KiB more for the sweep panel \
         and its worker (see load balancing's reason)",
    ),
    (
        "caching",
        264 * KIB,
        "the largest model of the three (five eviction policies over their own \
     ordered maps, leases, single flight, write-behind; about 51 KB of code and \
     75 KB of collection code before optimisation, against 28 and 49 for load \
     balancing) on the same 150 KB of shared page, its model compiled for \
     speed (opt-level \"s\", 3.6 KiB of it) so it runs in the browser at close \
     to native speed, and the experiment page's Share button (1.5 KiB); then \
     what every experiment page gained for learners (variants named by their \
     labels, a dash during the warm-up, the fault schedule read back in words, \
     the stall message, a link to its book section: about 1.8 KiB), less the \
     0.9 KiB wasm-opt --converge \
     took off; then 214.5 KiB, and 6.2 KiB more for what every experiment page \
     gained for learners (see sharding's reason); then 220.7 KiB, and 0.8 KiB \
     more for diagrams laid out narrow and the sentence on what latencies count \
     (see sharding's reason); then 221.6 KiB, and 1.7 KiB more for the timeline \
     (see sharding's reason); then 223.3 KiB, and 40 KiB more for the sweep \
     panel and its worker (see load balancing's reason)",
    ),
    (
        "event-driven",
        256 * KIB,
        "the sweep panel and its worker, as on every experiment page (about 40 \
         KiB, see load balancing's reason), on the largest model yet: brokers \
         with replicas, acknowledgements and elections, consumer groups with \
         rebalances and three delivery guarantees, a ledger counting every \
         duplicate, loss, reordering and bounced withdrawal, replays, poison \
         events and traces (about 1,400 lines), and a diagram that draws the \
         brokers, partitions, services and consumers, and a trace as a \
         waterfall. Its diagram's styles are its own file, so the other pages \
         do not carry them",
    ),
    (
        "cqrs",
        242 * KIB,
        "the sweep panel and its worker, as on every experiment page (about 40 \
         KiB, see load balancing's reason), on a model of a write store, the \
         event log and its projector, read replicas, four consistency options \
         and rebuilds, and a diagram of the two sides. Its diagram's styles are \
         its own file",
    ),
    (
        "delivery",
        222 * KIB,
        "the sweep panel and its worker, as on every experiment page (about 40 \
         KiB, see load balancing's reason), on a model of changes through build, \
         test, merge, the release train and deploys, and a diagram of each \
         codebase's pipeline: 221.2 KiB when first built. Its diagram's styles \
         are its own file",
    ),
    (
        "microservices",
        268 * KIB,
        "the sweep panel and its worker, as on every experiment page (about 40 \
         KiB, see load balancing's reason), on one of the largest models: six \
         services or one monolith with replicas, workers and stores, a network \
         that delays and fails, timeouts with fallbacks, retries with backoff or \
         a budget, circuit breakers and bulkheads, runtime pauses, two-phase \
         commit and sagas with their locks and compensations, and traces \
         (about 1,700 lines), and a diagram of the service graph with its \
         breakers and locks over a trace's waterfall: 266.8 KiB when first \
         built, the largest page. Its diagram's styles are its own file",
    ),
];

/// The ceiling and reason of `bin`'s load, if it is a recorded miss.
fn recorded_miss(bin: &str) -> Option<(u64, &'static str)> {
    MISSES
        .iter()
        .find(|(name, ..)| *name == bin)
        .map(|&(_, ceiling, why)| (ceiling, why))
}

/// The map the home page draws.
const SITE_MAP: &str = "mindmap/architectures.md";
/// The template every page is written from.
const TEMPLATE: &str = "web/page.html";
/// Where the written pages go (Trunk reads them from there).
const PAGES_DIR: &str = "target/pages";

/// One page of the site with a bundle of its own.
pub(crate) struct Load {
    /// What people call it in the size table.
    pub(crate) name: String,
    /// Its folder in the site, `""` for the root.
    pub(crate) dir: String,
    /// The web crate's binary it runs.
    pub(crate) bin: String,
    /// The page's `<title>`.
    title: String,
    /// The page's description.
    description: String,
    /// What the page shows before (or without) its wasm.
    body: String,
    /// Its stylesheets in `web/style/`, besides `base.css`.
    styles: Vec<String>,
    /// The most its first load may weigh, gzipped.
    pub(crate) budget: u64,
    /// For a load recorded in [`MISSES`]: how far over its budget it may
    /// go, and why.
    pub(crate) miss: Option<(u64, &'static str)>,
}

/// Shown where a page needs its wasm to show anything.
const NEEDS_WASM: &str = "    <noscript>archsim runs its simulations with WebAssembly, which needs \
     JavaScript: please enable it.</noscript>";

/// Every load, the home page first (Trunk empties the output folder of
/// the load it builds, so the root goes before the folders inside it).
pub(crate) fn loads() -> Result<Vec<Load>, String> {
    let map_path = workspace_root().join(SITE_MAP);
    let text = fs::read_to_string(&map_path)
        .map_err(|e| format!("could not read {}: {e}", map_path.display()))?;
    let map = archsim_mindmap::parse(&text)
        .map_err(|e| format!("{SITE_MAP}:{}: {}", e.line, e.reason()))?;
    let mut loads = vec![
        Load {
            name: "home page".to_owned(),
            dir: String::new(),
            bin: "archsim-web".to_owned(),
            title: "archsim — run the architecture patterns you read about".to_owned(),
            description: "Run the architecture patterns you read about: live, deterministic \
                simulations of load balancing, caching, sharding and more."
                .to_owned(),
            body: outline(&map, archsim_patterns::all()),
            styles: vec!["map.css".into()],
            budget: HOME_BUDGET,
            miss: recorded_miss("archsim-web"),
        },
        Load {
            name: "map editor".to_owned(),
            dir: "map".to_owned(),
            bin: "archsim-editor".to_owned(),
            title: "Your mind-map — archsim".to_owned(),
            description: "Draw a mind-map in markmap markdown, see it as you type, and share \
                it as a link."
                .to_owned(),
            body: NEEDS_WASM.to_owned(),
            styles: vec!["map.css".into(), "editor.css".into()],
            budget: EDITOR_BUDGET,
            miss: recorded_miss("archsim-editor"),
        },
        Load {
            name: "speed page".to_owned(),
            dir: "speed".to_owned(),
            bin: "speed".to_owned(),
            title: "How fast does this browser simulate? — archsim".to_owned(),
            description: "Every archsim model, run and timed in your browser.".to_owned(),
            body: NEEDS_WASM.to_owned(),
            styles: Vec::new(),
            budget: SPEED_BUDGET,
            miss: None,
        },
    ];
    for pattern in archsim_patterns::all() {
        let entry = workspace_root().join(format!("web/src/bin/{}.rs", pattern.id()));
        if !entry.is_file() {
            return Err(format!(
                "pattern `{}` is registered but has no page: write its entry point {} \
                 (see web/src/bin/load-balancing.rs)",
                pattern.id(),
                entry.display()
            ));
        }
        loads.push(Load {
            name: format!("{} page", pattern.title()),
            dir: pattern.id().to_owned(),
            bin: pattern.id().to_owned(),
            title: format!("{} — archsim", pattern.title()),
            description: format!(
                "{}: every claim of the mind-map's branch, as a live, deterministic simulation.",
                pattern.title()
            ),
            body: NEEDS_WASM.to_owned(),
            styles: pattern_styles(pattern.id()),
            budget: PATTERN_BUDGET,
            miss: recorded_miss(pattern.id()),
        });
    }
    Ok(loads)
}

/// A pattern page's stylesheets: the experiment page's, and the pattern's
/// own, `web/style/<id>.css`, if it has one (its diagram's marks), which
/// no other page then carries.
fn pattern_styles(id: &str) -> Vec<String> {
    let own = format!("{id}.css");
    let mut styles = vec!["experiment.css".to_owned()];
    if workspace_root().join("web/style").join(&own).is_file() {
        styles.push(own);
    }
    styles
}

impl Load {
    /// Write the load's page from the template; its path, for Trunk.
    pub(crate) fn write_page(&self) -> Result<PathBuf, String> {
        let template_path = workspace_root().join(TEMPLATE);
        let template = fs::read_to_string(&template_path)
            .map_err(|e| format!("could not read {}: {e}", template_path.display()))?;
        let dir = workspace_root().join(PAGES_DIR);
        fs::create_dir_all(&dir).map_err(|e| format!("could not create {}: {e}", dir.display()))?;
        let styles: String = std::iter::once("base.css")
            .chain(self.styles.iter().map(String::as_str))
            .map(|sheet| {
                format!("    <link data-trunk rel=\"css\" href=\"{{{{web}}}}/style/{sheet}\" />\n")
            })
            .collect();
        let page = template
            .replace("{{styles}}\n", &styles)
            // From target/pages/ back to web/.
            .replace("{{web}}", "../../web")
            .replace("{{bin}}", &self.bin)
            .replace("{{title}}", &escape(&self.title))
            .replace("{{description}}", &escape(&self.description))
            .replace("{{body}}", &self.body);
        let path = dir.join(format!("{}.html", self.bin));
        fs::write(&path, page).map_err(|e| format!("could not write {}: {e}", path.display()))?;
        Ok(path)
    }
}

/// The home page's body before its wasm starts: the site's header and the
/// map as nested lists, each leaf of a simulated pattern a link to its
/// experiments and to its section of the book.
fn outline(map: &Mindmap, patterns: &[&'static Pattern]) -> String {
    let mut html = String::from(
        "    <header class=\"site-header\"><a href=\"#/\" class=\"brand\">archsim</a>\
         <nav aria-label=\"Site\"><a href=\"#/\" aria-current=\"page\">Map</a> <a href=\"map/index.html\">Your map</a> \
         <a href=\"book/index.html\">Book</a> <a href=\"speed/index.html\">Benchmark</a></nav></header>\n\
         <main class=\"page home outline\" id=\"main\">\n\
         <h1>Run the architecture patterns you read about</h1>\n\
         <noscript><p class=\"lede\">The interactive map and the experiments need JavaScript \
         and WebAssembly; this outline of the map, and the book, read without them.</p></noscript>\n\
         <nav class=\"map-outline\" aria-label=\"Outline of the mind-map\">\n",
    );
    list(map, 0, patterns, &mut html);
    html.push_str("</nav>\n</main>");
    html
}

/// The children of node `i` as a `<ul>`, recursively.
fn list(map: &Mindmap, i: usize, patterns: &[&'static Pattern], html: &mut String) {
    let children = &map.nodes[i].children;
    if children.is_empty() {
        return;
    }
    html.push_str("<ul>");
    for &child in children {
        html.push_str("<li>");
        let label = escape(&map.plain_text(child));
        match doors(map, child, patterns) {
            Some((pattern, presets)) if !presets.is_empty() => {
                let _ = write!(html, "{label} —");
                for (n, preset) in presets.iter().enumerate() {
                    let _ = write!(
                        html,
                        "{sep} <a href=\"{id}/index.html#/sim/{preset}\">{title}</a> \
                         (<a href=\"book/{id}.html#{preset}\" aria-label=\"{title}, in the book\">book</a>)",
                        sep = if n == 0 { "" } else { ";" },
                        id = pattern.id(),
                        preset = preset.id,
                        title = escape(preset.title)
                    );
                }
            }
            Some((pattern, _)) => {
                let _ = write!(html, "<a href=\"book/{}.html\">{label}</a>", pattern.id());
            }
            None => html.push_str(&label),
        }
        list(map, child, patterns, html);
        html.push_str("</li>\n");
    }
    html.push_str("</ul>\n");
}

/// For a leaf under a simulated pattern's branch: the pattern and the
/// presets that claim the leaf (as the home page's doors match them).
fn doors(
    map: &Mindmap,
    i: usize,
    patterns: &[&'static Pattern],
) -> Option<(&'static Pattern, Vec<&'static archsim_patterns::Preset>)> {
    if !map.is_leaf(i) {
        return None;
    }
    let branch = collapse_whitespace(&map.plain_text(map.branch_of(i)?));
    let leaf = collapse_whitespace(&map.plain_text(i));
    let claims = |p: &'static Pattern| -> Vec<&'static archsim_patterns::Preset> {
        p.presets()
            .iter()
            .filter(|q| collapse_whitespace(q.mindmap_leaf) == leaf)
            .collect()
    };
    // A branch may have more than one model (microservices: requests, and
    // delivery): the leaf's door is the one whose presets claim it, else
    // the branch's first.
    let mut models = patterns
        .iter()
        .copied()
        .filter(|p| collapse_whitespace(p.mindmap_branch()) == branch);
    let first = models.clone().next()?;
    let pattern = models.find(|p| !claims(p).is_empty()).unwrap_or(first);
    Some((pattern, claims(pattern)))
}

#[cfg(test)]
mod tests {
    use super::{loads, outline};

    #[test]
    fn the_outline_links_every_preset_to_its_page_and_its_section() {
        let map = archsim_mindmap::parse(include_str!("../../../mindmap/architectures.md"))
            .expect("the site's map parses");
        let html = outline(&map, archsim_patterns::all());
        for pattern in archsim_patterns::all() {
            for preset in pattern.presets() {
                let page = format!("href=\"{}/index.html#/sim/{}\"", pattern.id(), preset.id);
                let book = format!("href=\"book/{}.html#{}\"", pattern.id(), preset.id);
                assert!(html.contains(&page), "{page}");
                assert!(html.contains(&book), "{book}");
            }
        }
        // Nodes that are not claims (branches, headings) are there as text.
        assert!(html.contains("<li>Considerations<ul>"), "{html}");
        assert_eq!(html.matches("<ul>").count(), html.matches("</ul>").count());
        assert_eq!(html.matches("<li>").count(), map.nodes.len() - 1);
    }

    #[test]
    fn every_registered_pattern_is_a_load_with_a_budget() {
        let loads = loads().expect("every pattern has an entry point");
        assert_eq!(loads[0].dir, "", "the root first");
        for pattern in archsim_patterns::all() {
            assert!(loads.iter().any(|l| l.dir == pattern.id() && l.budget > 0));
        }
    }
}
