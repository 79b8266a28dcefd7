//! `archsim mindmap`: a mind-map file as the site reads it.
//!
//! Text mode prints the tree indented by depth (`▾` an expanded branch, `▸`
//! a folded one, `•` a leaf) with each node's colour and source line, then
//! the options, and sends warnings to stderr as `FILE:LINE: warning: …`.
//! JSON mode prints everything, warnings included, with each node's box as
//! laid out from the estimated label sizes.

use crate::args::MapFormat;
use archsim_mindmap::{Mindmap, estimate_sizes, layout};
use serde_json::{Value, json};
use std::fmt::Write;
use std::path::Path;

/// Read, parse and print `file`; the error is the message for the user.
pub(crate) fn show(out: &mut String, file: &Path, format: MapFormat) -> Result<(), String> {
    let name = file.display();
    let source =
        std::fs::read_to_string(file).map_err(|e| format!("{name}: could not read it: {e}"))?;
    let map = archsim_mindmap::parse(&source)
        .map_err(|e| format!("{name}:{}: {}", e.line, e.reason()))?;
    match format {
        MapFormat::Text => {
            for w in &map.warnings {
                eprintln!("{name}:{}: warning: {}", w.line, w.message);
            }
            text(out, &map);
        }
        MapFormat::Json => {
            let value = to_json(&map);
            out.push_str(&serde_json::to_string_pretty(&value).expect("JSON values serialize"));
            out.push('\n');
        }
    }
    Ok(())
}

fn text(out: &mut String, map: &Mindmap) {
    for node in &map.nodes {
        let marker = match (node.children.is_empty(), node.folded) {
            (true, _) => '•',
            (false, true) => '▸',
            (false, false) => '▾',
        };
        let indent = "  ".repeat(node.depth.saturating_sub(1) as usize);
        let folded = if node.folded { ", folded" } else { "" };
        let _ = writeln!(
            out,
            "{indent}{marker} {}  ({}, line {}{folded})",
            node.plain_text(),
            node.color,
            node.line
        );
    }
    let _ = writeln!(out, "\noptions");
    let options = serde_json::to_value(&map.options).expect("options serialize");
    let Value::Object(options) = options else {
        return;
    };
    let width = options.keys().map(String::len).max().unwrap_or(0);
    for (key, value) in &options {
        let shown = match (key.as_str(), value) {
            ("color", Value::Array(a)) if a.is_empty() => {
                "d3 schemeCategory10 (markmap's default)".to_owned()
            }
            ("color", Value::Array(a)) => a
                .iter()
                .map(|c| c.as_str().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", "),
            ("colorFreezeLevel", v) if v.as_u64() == Some(0) => "0 (not frozen)".to_owned(),
            ("initialExpandLevel", Value::Null) => "-1 (all expanded)".to_owned(),
            ("maxWidth", v) if v.as_f64() == Some(0.0) => "0 (no wrapping)".to_owned(),
            (_, Value::Number(n)) => n.as_f64().map_or_else(|| n.to_string(), |x| x.to_string()),
            (_, v) => v.to_string(),
        };
        let _ = writeln!(out, "  {key:<width$}  {shown}");
    }
    let _ = writeln!(
        out,
        "\n{} nodes, {} leaves, {} warnings",
        map.len(),
        map.leaves().count(),
        map.warnings.len()
    );
}

/// The map as JSON: title, options, warnings, the bounds of the layout,
/// and the nodes with their text, estimated size and box.
fn to_json(map: &Mindmap) -> Value {
    let sizes = estimate_sizes(map);
    let laid = layout(map, &sizes, &map.initial_expanded());
    let nodes: Vec<Value> = map
        .nodes
        .iter()
        .zip(&sizes)
        .zip(&laid.boxes)
        .map(|((node, size), rect)| {
            json!({
                "index": node.index,
                "text": node.plain_text(),
                "depth": node.depth,
                "line": node.line,
                "folded": node.folded,
                "color": node.color,
                "parent": node.parent,
                "children": node.children,
                "kind": node.kind,
                "label": node.label,
                "size": size,
                "box": rect,
            })
        })
        .collect();
    json!({
        "title": map.title,
        "options": map.options,
        "warnings": map.warnings,
        "bounds": laid.bounds,
        "nodes": nodes,
    })
}
