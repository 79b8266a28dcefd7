//! Properties of the parser over arbitrary input: it never panics, and
//! whatever it returns is well formed.

use archsim_mindmap::{Mindmap, NodeKind, estimate_sizes, layout, parse};
use proptest::prelude::*;

/// Lines of the source, for checking that line numbers point into it.
fn line_count(src: &str) -> usize {
    // CommonMark's line endings: `\n`, `\r\n` or a lone `\r`.
    src.replace("\r\n", "\n").split(['\n', '\r']).count().max(1)
}

/// Everything a `Mindmap` promises about its arena.
fn well_formed(map: &Mindmap, src: &str) -> Result<(), String> {
    let lines = line_count(src);
    if map.nodes.is_empty() {
        return Err("no root".into());
    }
    if map.root().parent.is_some() || map.root().depth != 1 {
        return Err("the root has a parent or is not at depth 1".into());
    }
    for (i, n) in map.nodes.iter().enumerate() {
        if n.index != i {
            return Err(format!("node {i} says it is {}", n.index));
        }
        if !(1..=lines).contains(&n.line) {
            return Err(format!("node {i} on line {} of {lines}", n.line));
        }
        if let Some(p) = n.parent {
            if p >= i || map.nodes[p].depth + 1 != n.depth || !map.nodes[p].children.contains(&i) {
                return Err(format!("node {i}: bad parent {p}"));
            }
        } else if i != 0 {
            return Err(format!("node {i} has no parent"));
        }
        if n.children.windows(2).any(|w| w[0] >= w[1]) {
            return Err(format!("node {i}: children out of order"));
        }
        // Pre-order: the children tile the subtree.
        let mut next = i + 1;
        for &c in &n.children {
            if c != next {
                return Err(format!("node {i}: child {c} where {next} was expected"));
            }
            next = map.subtree(c).end;
        }
        if next != map.subtree(i).end {
            return Err(format!(
                "node {i}: subtree does not end after its last child"
            ));
        }
        if n.folded && n.children.is_empty() {
            return Err(format!("leaf {i} is folded"));
        }
        if n.color.is_empty() {
            return Err(format!("node {i} has no colour"));
        }
        if n.kind == NodeKind::Block && !n.children.is_empty() {
            return Err(format!("block {i} has children"));
        }
    }
    for w in &map.warnings {
        if !(1..=lines).contains(&w.line) {
            return Err(format!(
                "warning on line {} of {lines}: {}",
                w.line, w.message
            ));
        }
    }
    let sizes = estimate_sizes(map);
    let laid = layout(map, &sizes, &map.initial_expanded());
    if !laid
        .boxes
        .iter()
        .flatten()
        .all(|r| r.x.is_finite() && r.y.is_finite())
    {
        return Err("a box is not finite".into());
    }
    Ok(())
}

fn check(src: &str) -> Result<(), TestCaseError> {
    match parse(src) {
        Ok(map) => prop_assert_eq!(well_formed(&map, src), Ok(())),
        Err(e) => {
            prop_assert!((1..=line_count(src)).contains(&e.line), "{e} of {src:?}");
            prop_assert!(!e.reason().is_empty());
        }
    }
    Ok(())
}

/// One line of markdown-ish text: headings, bullets and numbers at any
/// indentation (spaces or tabs), blank and whitespace-only lines, inline
/// markup, images and checkboxes, fold comments, code fences, table rows
/// and stray front matter fences.
fn line() -> impl Strategy<Value = String> {
    let indent = prop::collection::vec(prop_oneof![Just(" "), Just("  "), Just("\t")], 0..6)
        .prop_map(|v| v.concat());
    let text = prop::collection::vec(
        prop_oneof![
            "[a-zA-Z ]{0,12}",
            Just("**bold**".to_owned()),
            Just("*it*".to_owned()),
            Just("`co`de`".to_owned()),
            Just("[l](http://x)".to_owned()),
            Just("~~s~~".to_owned()),
            Just("<!-- markmap: fold -->".to_owned()),
            Just("<!-- markmap: foldAll -->".to_owned()),
            Just("<!-- markmap: bogus -->".to_owned()),
            Just("**unclosed".to_owned()),
            Just("<b>".to_owned()),
            Just("\u{0}é漢🎉".to_owned()),
            Just("![alt *e*](x.png \"t\")".to_owned()),
            Just("[ ] ".to_owned()),
            Just("[x] ".to_owned()),
            Just(" | c | ".to_owned()),
        ],
        0..4,
    )
    .prop_map(|v| v.concat());
    let marker = prop_oneof![
        (1..8usize).prop_map(|n| format!("{} ", "#".repeat(n))),
        Just("- ".to_owned()),
        Just("* ".to_owned()),
        Just("+ ".to_owned()),
        (0..1000u32).prop_map(|n| format!("{n}. ")),
        Just("> ".to_owned()),
        Just("```".to_owned()),
        Just("---".to_owned()),
        Just("".to_owned()),
        Just("| a | b |".to_owned()),
        Just("|---|:-:|".to_owned()),
        Just("~~~".to_owned()),
        Just("    ".to_owned()),
    ];
    prop_oneof![
        4 => (indent, marker, text).prop_map(|(i, m, t)| format!("{i}{m}{t}")),
        1 => Just(String::new()),
        1 => "[ \t]{1,4}",
    ]
}

/// Front matter with known and unknown keys and values of every type.
fn front_matter() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("color"),
        Just("colorFreezeLevel"),
        Just("initialExpandLevel"),
        Just("maxWidth"),
        Just("duration"),
        Just("spacingHorizontal"),
        Just("spacingVertical"),
        Just("paddingX"),
        Just("zoom"),
        Just("pan"),
        Just("fitRatio"),
        Just("maxInitialScale"),
        Just("extraJs"),
        Just("colour"),
    ];
    let value = prop_oneof![
        Just("2"),
        Just("-1"),
        Just("0.5"),
        Just("1e400"),
        Just("two"),
        Just("\"3\""),
        Just("true"),
        Just("~"),
        Just("[red, '#fff']"),
        Just("[1, [2]]"),
        Just("{a: 1}"),
        Just("&x 3"),
        Just("*x"),
        Just("'unterminated"),
        Just("[unclosed"),
        Just("rgb(1, 2, 3)"),
    ];
    (
        prop::option::of("[a-zA-Z :]{0,20}"),
        prop::collection::vec((key, value), 0..5),
    )
        .prop_map(|(title, options)| {
            let mut s = String::from("---\n");
            if let Some(t) = title {
                s.push_str(&format!("title: {t}\n"));
            }
            s.push_str("markmap:\n");
            for (k, v) in options {
                s.push_str(&format!("  {k}: {v}\n"));
            }
            s.push_str("---\n");
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_strings_never_panic(src in any::<String>()) {
        check(&src)?;
    }

    #[test]
    fn arbitrary_bytes_as_lossy_text_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn markdown_ish_documents(
        front in prop::option::of(front_matter()),
        lines in prop::collection::vec(line(), 0..40),
        crlf in any::<bool>(),
    ) {
        let body = lines.join(if crlf { "\r\n" } else { "\n" });
        let src = format!("{}{body}", front.unwrap_or_default());
        check(&src)?;
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let mut src = String::new();
    for d in 0..3000 {
        src.push_str(&"  ".repeat(d));
        src.push_str("- x\n");
    }
    let map = parse(&src).unwrap();
    assert!(map.nodes.iter().map(|n| n.depth).max().unwrap() > 100);
    well_formed(&map, &src).unwrap();
    // Images inside images inside links: styles, flattened past 32 deep.
    let images = format!("- {}x{}\n", "[![".repeat(5_000), "](i)](l)".repeat(5_000));
    let map = parse(&images).unwrap();
    well_formed(&map, &images).unwrap();
    let quotes = ">".repeat(50_000) + " - a";
    assert!(parse(&quotes).is_err(), "nothing but a quote: an empty map");
    let yaml = format!("---\ntitle: {}\n---\n# a\n", "[".repeat(10_000));
    let _ = parse(&yaml);
}
