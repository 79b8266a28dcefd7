//! How fast a big map is read and laid out: a 5,000-node markmap document,
//! generated deterministically (headings three levels deep, lists nested up
//! to four levels under them, labels of varied length with some inline
//! markup), parsed, then laid out with every node expanded, timed on the
//! wall clock, best of twenty (a run lasts milliseconds, so the best of
//! many is the stable figure).
//!
//! Run it with `cargo bench -p archsim-mindmap --bench mindmap` (or `cargo
//! xtask bench`, which prints its figures with the others). It prints
//! machine-readable lines:
//!
//! ```text
//! archsim-mindmap params nodes=5000 bytes=397142 repeats=20
//! archsim-mindmap markdown-only events=43930 seconds=0.003095
//! archsim-mindmap parse nodes=5000 seconds=0.011898 nodes_per_sec=420246
//! archsim-mindmap layout nodes=5000 seconds=0.000336 nodes_per_sec=14862065
//! archsim-mindmap sanity depth=8 leaves=3532 width=2744 height=129439
//! ```
//!
//! `parse` covers the front matter, the markdown and the tree with its
//! folds and colours (`markdown-only`, pulldown-cmark's events alone, shows
//! how much of that is the markdown parser); `layout` the tidy-tree placement of all 5,000 boxes
//! given their sizes (the browser measures them; here [`estimate_sizes`]
//! guesses them once, outside the timing).

use archsim_mindmap::{Mindmap, estimate_sizes, layout, parse};
use std::fmt::Write;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Nodes in the generated map, the root included.
const NODES: usize = 5_000;
/// Timed repetitions; the fastest one is reported.
const REPEATS: usize = 20;

/// A small deterministic generator (64-bit LCG, Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

const WORDS: [&str; 12] = [
    "cache",
    "shard",
    "replica",
    "event",
    "queue",
    "latency",
    "throughput",
    "saga",
    "broker",
    "projection",
    "balancer",
    "consistency",
];

/// A label of 2 to 9 words, sometimes with bold, code or a link.
fn label(rng: &mut Lcg, n: usize) -> String {
    let mut s = format!("Node {n}:");
    for _ in 0..2 + rng.below(8) {
        let w = WORDS[rng.below(WORDS.len() as u64) as usize];
        match rng.below(10) {
            0 => write!(s, " **{w}**"),
            1 => write!(s, " `{w}`"),
            2 => write!(s, " [{w}](https://example.org/{w})"),
            _ => write!(s, " {w}"),
        }
        .expect("writing to a String");
    }
    s
}

/// The document: a title, then `##`, `###` and `####` headings, each with
/// a list whose items nest up to four deep, until there are [`NODES`] nodes.
fn document() -> String {
    let mut rng = Lcg(42);
    let mut doc = String::from(
        "---\ntitle: Benchmark\nmarkmap:\n  colorFreezeLevel: 2\n  maxWidth: 300\n---\n\n",
    );
    let mut nodes = 1; // the title root
    let mut n = 0;
    'outer: loop {
        let heading = 2 + rng.below(3) as usize;
        n += 1;
        writeln!(doc, "{} {}\n", "#".repeat(heading), label(&mut rng, n)).expect("String");
        nodes += 1;
        let mut depth = 0;
        for _ in 0..rng.below(40) {
            if nodes == NODES {
                break 'outer;
            }
            n += 1;
            writeln!(doc, "{}- {}", "  ".repeat(depth), label(&mut rng, n)).expect("String");
            nodes += 1;
            depth = match rng.below(3) {
                0 => depth.saturating_sub(1),
                1 => (depth + 1).min(3),
                _ => depth,
            };
        }
        doc.push('\n');
        if nodes == NODES {
            break;
        }
    }
    doc
}

/// Wall time of `f`, best of [`REPEATS`], and its last result.
// A benchmark measures wall time on purpose (the ban in clippy.toml is for
// the library).
#[allow(clippy::disallowed_methods)]
fn best<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..REPEATS {
        let started = Instant::now();
        let result = black_box(f());
        best = best.min(started.elapsed());
        out = Some(result);
    }
    (best, out.expect("REPEATS > 0"))
}

fn figures(what: &str, seconds: f64) {
    println!(
        "archsim-mindmap {what} nodes={NODES} seconds={seconds:.6} nodes_per_sec={:.0}",
        NODES as f64 / seconds
    );
}

fn main() {
    let doc = document();
    println!(
        "archsim-mindmap params nodes={NODES} bytes={} repeats={REPEATS}",
        doc.len()
    );
    // The markdown parser alone, for scale: what the map reading adds to it.
    let (markdown_time, events) = best(|| {
        pulldown_cmark::Parser::new_ext(
            black_box(&doc),
            pulldown_cmark::Options::ENABLE_STRIKETHROUGH,
        )
        .into_offset_iter()
        .count()
    });
    let (parse_time, map) = best(|| parse(black_box(&doc)).expect("the generated map parses"));
    let map: Mindmap = map;
    assert_eq!(map.len(), NODES, "the generated map has {NODES} nodes");
    assert!(map.warnings.is_empty(), "{:?}", map.warnings);
    let sizes = estimate_sizes(&map);
    let expanded = vec![true; map.len()];
    let (layout_time, laid) = best(|| layout(black_box(&map), &sizes, &expanded));
    println!(
        "archsim-mindmap markdown-only events={events} seconds={:.6}",
        markdown_time.as_secs_f64()
    );
    figures("parse", parse_time.as_secs_f64());
    figures("layout", layout_time.as_secs_f64());
    let depth = map.nodes.iter().map(|n| n.depth).max().unwrap_or(0);
    println!(
        "archsim-mindmap sanity depth={depth} leaves={} width={:.0} height={:.0}",
        map.leaves().count(),
        laid.bounds.w,
        laid.bounds.h
    );
}
