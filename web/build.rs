//! Writes out, as Rust, two things the home page needs and should not
//! compute in the browser:
//!
//! - `site_map.rs`: `mindmap/architectures.md`, parsed. The markdown and
//!   YAML parsers are a third of a wasm bundle; the home page needs only
//!   their result for one fixed file, so its bundle is built without them
//!   (the map editor, a page of its own, has them). A map that does not
//!   parse, or parses with warnings, fails the build here, naming the line.
//! - `catalog.rs`: what the home page says of every registered pattern and
//!   preset (ids, titles, leaves, what to look for) as static data, so that
//!   its bundle carries the catalog's words but not one model.

use archsim_mindmap::{Inline, Mindmap, NodeKind};
use std::fmt::Write;
use std::path::Path;

fn main() {
    let source = Path::new("../mindmap/architectures.md");
    println!("cargo::rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(source)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", source.display()));
    let map = archsim_mindmap::parse(&text)
        .unwrap_or_else(|e| panic!("{}:{}: {}", source.display(), e.line, e.reason()));
    if let Some(w) = map.warnings.first() {
        panic!("{}:{}: {}", source.display(), w.line, w.message);
    }
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    write(&Path::new(&out_dir).join("site_map.rs"), &rust(&map));
    write(&Path::new(&out_dir).join("catalog.rs"), &catalog());
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// An expression for every registered pattern's [`PatternInfo`], in the
/// registry's order (`web/src/catalog.rs` defines the types).
fn catalog() -> String {
    let mut s = String::from("&[\n");
    for pattern in archsim_patterns::all() {
        let _ = writeln!(
            s,
            "    PatternInfo {{ id: {:?}, title: {:?}, branch: {:?}, presets: &[",
            pattern.id(),
            pattern.title(),
            pattern.mindmap_branch()
        );
        for p in pattern.presets() {
            let _ = writeln!(
                s,
                "        PresetInfo {{ id: {:?}, title: {:?}, leaf: {:?}, what_to_look_for: {:?} }},",
                p.id, p.title, p.mindmap_leaf, p.what_to_look_for
            );
        }
        s.push_str("    ] },\n");
    }
    s.push_str("]\n");
    s
}

/// An expression that builds `map`.
fn rust(map: &Mindmap) -> String {
    let o = &map.options;
    let mut s = String::from("archsim_mindmap::Mindmap {\n");
    let _ = writeln!(s, "    title: {},", option_string(map.title.as_deref()));
    let _ = writeln!(
        s,
        "    options: archsim_mindmap::Options {{\n        color: vec![{}],\n        \
         color_freeze_level: {},\n        initial_expand_level: {:?},\n        \
         max_width: {},\n        duration: {},\n        spacing_horizontal: {},\n        \
         spacing_vertical: {},\n        padding_x: {},\n        node_min_height: {},\n        \
         zoom: {},\n        pan: {},\n        fit_ratio: {},\n        max_initial_scale: {},\n    }},",
        o.color
            .iter()
            .map(|c| string(c))
            .collect::<Vec<_>>()
            .join(", "),
        o.color_freeze_level,
        o.initial_expand_level,
        float(o.max_width),
        float(o.duration),
        float(o.spacing_horizontal),
        float(o.spacing_vertical),
        float(o.padding_x),
        float(o.node_min_height),
        o.zoom,
        o.pan,
        float(o.fit_ratio),
        float(o.max_initial_scale),
    );
    s.push_str("    nodes: vec![\n");
    for n in &map.nodes {
        let kind = match n.kind {
            NodeKind::Title => "archsim_mindmap::NodeKind::Title".to_owned(),
            NodeKind::Heading { level } => {
                format!("archsim_mindmap::NodeKind::Heading {{ level: {level} }}")
            }
            NodeKind::ListItem { number } => {
                format!("archsim_mindmap::NodeKind::ListItem {{ number: {number:?} }}")
            }
            NodeKind::Block => "archsim_mindmap::NodeKind::Block".to_owned(),
        };
        let _ = writeln!(
            s,
            "        archsim_mindmap::Node {{ index: {}, parent: {:?}, children: vec!{:?}, depth: {}, \
             line: {}, kind: {kind}, label: {}, folded: {}, color: {} }},",
            n.index,
            n.parent,
            n.children,
            n.depth,
            n.line,
            inlines(&n.label),
            n.folded,
            string(&n.color),
        );
    }
    s.push_str("    ],\n    warnings: Vec::new(),\n}\n");
    s
}

fn inlines(label: &[Inline]) -> String {
    let parts: Vec<String> = label.iter().map(inline).collect();
    format!("vec![{}]", parts.join(", "))
}

fn inline(i: &Inline) -> String {
    match i {
        Inline::Text(t) => format!("archsim_mindmap::Inline::Text({})", string(t)),
        Inline::Code(t) => format!("archsim_mindmap::Inline::Code({})", string(t)),
        Inline::Strong(c) => format!("archsim_mindmap::Inline::Strong({})", inlines(c)),
        Inline::Emphasis(c) => format!("archsim_mindmap::Inline::Emphasis({})", inlines(c)),
        Inline::Strikethrough(c) => {
            format!("archsim_mindmap::Inline::Strikethrough({})", inlines(c))
        }
        Inline::Link {
            href,
            title,
            children,
        } => format!(
            "archsim_mindmap::Inline::Link {{ href: {}, title: {}, children: {} }}",
            string(href),
            string(title),
            inlines(children)
        ),
        Inline::Image { src, title, alt } => format!(
            "archsim_mindmap::Inline::Image {{ src: {}, title: {}, alt: {} }}",
            string(src),
            string(title),
            inlines(alt)
        ),
        Inline::CodeBlock(lines) => {
            let lines: Vec<String> = lines.iter().map(|line| string(line)).collect();
            format!(
                "archsim_mindmap::Inline::CodeBlock(vec![{}])",
                lines.join(", ")
            )
        }
        Inline::Table(rows) => {
            let rows: Vec<String> = rows
                .iter()
                .map(|row| {
                    let cells: Vec<String> = row.iter().map(|cell| inlines(cell)).collect();
                    format!("vec![{}]", cells.join(", "))
                })
                .collect();
            format!("archsim_mindmap::Inline::Table(vec![{}])", rows.join(", "))
        }
    }
}

/// A `String` expression (`str`'s `Debug` is a valid Rust literal).
fn string(s: &str) -> String {
    format!("String::from({s:?})")
}

fn option_string(s: Option<&str>) -> String {
    s.map_or("None".to_owned(), |s| format!("Some({})", string(s)))
}

/// An `f64` literal, infinities included.
fn float(x: f64) -> String {
    if x.is_finite() {
        format!("{x:?}_f64")
    } else if x.is_nan() {
        "f64::NAN".to_owned()
    } else if x > 0.0 {
        "f64::INFINITY".to_owned()
    } else {
        "f64::NEG_INFINITY".to_owned()
    }
}
