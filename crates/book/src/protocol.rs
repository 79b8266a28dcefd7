//! mdbook's preprocessor protocol, as mdbook 0.5 speaks it.
//!
//! mdbook runs the command twice from the book's root. First with the
//! arguments `supports RENDERER`: exit status 0 means "run me for this
//! renderer". Then with no arguments and `[context, book]` as JSON on stdin;
//! the book, changed, goes back on stdout. A non-zero exit fails the build.
//!
//! ```text
//! context: {"root": "/abs/book", "renderer": "html", "mdbook_version": "0.5.4",
//!           "config": {"book": {"src"?: "src", …}, "preprocessor": {"archsim": {…}}, …}}
//! book:    {"items": [item…]}
//! item:    {"Chapter": {"name", "content", "number", "sub_items": [item…],
//!                       "path": "dir/page.md" | null, "source_path", "parent_names"}}
//!          | "Separator" | {"PartTitle": "…"}
//! ```
//!
//! (mdbook 0.4 called `items` `sections`.) The book is handled as a
//! [`serde_json::Value`], so fields this code does not know pass through
//! untouched.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// Renderers whose output shows the HTML this preprocessor writes.
const RENDERERS: [&str; 2] = ["html", "markdown"];

/// Whether to run for `renderer`.
pub(crate) fn supports(renderer: &str) -> bool {
    RENDERERS.contains(&renderer)
}

/// What the context tells this preprocessor.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Context {
    /// The book's source directory (the book's root joined with `book.src`).
    pub(crate) src: PathBuf,
    /// The playground's `index.html`, relative to the book's output root:
    /// `[preprocessor.archsim] playground`, by default `../index.html`.
    pub(crate) playground: String,
}

/// Where the playground sits when the book is built into the site's `book/`.
const DEFAULT_PLAYGROUND: &str = "../index.html";

/// The context and the book from mdbook's input.
pub(crate) fn read(input: &str) -> Result<(Context, Value), String> {
    let (context, book): (Value, Value) = serde_json::from_str(input)
        .map_err(|e| format!("mdbook's input is not `[context, book]` JSON: {e}"))?;
    if !book["items"].is_array() {
        return Err(format!(
            "the book JSON has no `items` list: this preprocessor speaks mdbook 0.5's protocol, \
             and mdbook {} sent something else",
            context["mdbook_version"]
                .as_str()
                .unwrap_or("(unknown version)")
        ));
    }
    let root = context["root"]
        .as_str()
        .ok_or("mdbook's context has no `root`")?;
    let config = &context["config"];
    let src = Path::new(root).join(config["book"]["src"].as_str().unwrap_or("src"));
    let playground = match &config["preprocessor"]["archsim"]["playground"] {
        Value::Null => DEFAULT_PLAYGROUND.to_owned(),
        Value::String(p) if is_relative(p) => p.clone(),
        other => {
            return Err(format!(
                "[preprocessor.archsim] playground = {other} is not allowed: it must be a relative \
                 URL of the playground's index.html from the book's root, such as \"{DEFAULT_PLAYGROUND}\", \
                 so the site works from any sub-path"
            ));
        }
    };
    Ok((Context { src, playground }, book))
}

fn is_relative(url: &str) -> bool {
    !url.is_empty() && !url.starts_with('/') && !url.contains("://") && !url.starts_with("//")
}

/// A chapter with a file behind it.
pub(crate) struct Chapter<'a> {
    /// Its page, relative to the source directory: `dir/page.md`.
    pub(crate) path: &'a str,
    /// The file it was read from, relative to the source directory (the
    /// page's path may differ: mdbook renames `README.md` to `index.md`).
    pub(crate) source: &'a str,
    /// Its markdown.
    pub(crate) content: &'a mut String,
}

impl Chapter<'_> {
    /// A URL relative to the book's root, made relative to this page.
    pub(crate) fn relative(&self, from_root: &str) -> String {
        let depth = Path::new(self.path).components().count().saturating_sub(1);
        format!("{}{from_root}", "../".repeat(depth))
    }
}

/// Call `f` on every chapter that has a file (draft chapters have none), in
/// book order, parents before their sub-chapters.
pub(crate) fn for_each_chapter(book: &mut Value, f: &mut dyn FnMut(Chapter<'_>)) {
    if let Some(items) = book["items"].as_array_mut() {
        visit(items, f);
    }
}

fn visit(items: &mut [Value], f: &mut dyn FnMut(Chapter<'_>)) {
    for item in items {
        let Some(chapter) = item.get_mut("Chapter").and_then(Value::as_object_mut) else {
            continue;
        };
        let text = |key: &str| chapter.get(key).and_then(Value::as_str).map(str::to_owned);
        let (path, source) = (text("path"), text("source_path"));
        if let (Some(path), Some(Value::String(content))) = (&path, chapter.get_mut("content")) {
            f(Chapter {
                path,
                source: source.as_deref().unwrap_or(path),
                content,
            });
        }
        if let Some(Value::Array(sub)) = chapter.get_mut("sub_items") {
            visit(sub, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What mdbook 0.5.4 sends for a small book (captured from a real run).
    fn input(preprocessor: Value) -> String {
        json!([
            {
                "root": "/tmp/b",
                "config": {
                    "book": {"title": "t", "authors": [], "language": "en"},
                    "output": {"html": {}},
                    "preprocessor": {"archsim": preprocessor}
                },
                "renderer": "html",
                "mdbook_version": "0.5.4"
            },
            {"items": [
                {"Chapter": {"name": "Intro", "content": "# Intro\n", "number": null, "sub_items": [],
                             "path": "intro.md", "source_path": "intro.md", "parent_names": []}},
                {"PartTitle": "Part"},
                {"Chapter": {"name": "A", "content": "# A\n", "number": [1], "sub_items": [
                    {"Chapter": {"name": "B", "content": "# B\n", "number": [1, 1], "sub_items": [],
                                 "path": "sub/b.md", "source_path": "sub/b.md", "parent_names": ["A"]}}
                ], "path": "a.md", "source_path": "a.md", "parent_names": []}},
                {"Chapter": {"name": "Draft", "content": "", "number": [2], "sub_items": [],
                             "path": null, "source_path": null, "parent_names": []}},
                "Separator"
            ]}
        ])
        .to_string()
    }

    #[test]
    fn chapters_are_visited_in_order_and_changes_kept() {
        let (context, mut book) = read(&input(json!({"command": "x"}))).unwrap();
        assert_eq!(context.src, Path::new("/tmp/b/src"));
        assert_eq!(context.playground, "../index.html");
        let mut seen = Vec::new();
        for_each_chapter(&mut book, &mut |chapter| {
            assert_eq!(chapter.path, chapter.source);
            seen.push((chapter.path.to_owned(), chapter.relative("../index.html")));
            chapter.content.push_str("changed\n");
        });
        assert_eq!(
            seen,
            [
                ("intro.md".to_owned(), "../index.html".to_owned()),
                ("a.md".to_owned(), "../index.html".to_owned()),
                ("sub/b.md".to_owned(), "../../index.html".to_owned()),
            ]
        );
        assert_eq!(
            book["items"][2]["Chapter"]["sub_items"][0]["Chapter"]["content"],
            "# B\nchanged\n"
        );
        assert_eq!(book["items"][4], "Separator");
        assert_eq!(book["items"][3]["Chapter"]["content"], "");
    }

    #[test]
    fn the_playground_may_be_configured_but_only_relative() {
        let (context, _) = read(&input(json!({"playground": "../../app/index.html"}))).unwrap();
        assert_eq!(context.playground, "../../app/index.html");
        for bad in [
            json!("https://example.com/"),
            json!("/index.html"),
            json!(3),
        ] {
            let err = read(&input(json!({ "playground": bad }))).unwrap_err();
            assert!(err.contains("must be a relative URL"), "{err}");
        }
    }

    #[test]
    fn an_older_protocol_is_named() {
        let old =
            json!([{"root": "/b", "config": {}, "mdbook_version": "0.4.40"}, {"sections": []}]);
        assert_eq!(
            read(&old.to_string()).unwrap_err(),
            "the book JSON has no `items` list: this preprocessor speaks mdbook 0.5's protocol, \
             and mdbook 0.4.40 sent something else"
        );
        assert!(
            read("not json")
                .unwrap_err()
                .starts_with("mdbook's input is not")
        );
    }

    #[test]
    fn html_and_markdown_are_supported() {
        assert!(supports("html") && supports("markdown"));
        assert!(!supports("epub"));
    }
}
