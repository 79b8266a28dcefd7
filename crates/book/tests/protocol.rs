//! The preprocessor as mdbook runs it: a process, the book as JSON on stdin,
//! the book back on stdout, failure as a non-zero exit with messages on
//! stderr.

use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn preprocessor() -> Command {
    Command::new(env!("CARGO_BIN_EXE_archsim-book"))
}

/// Run the preprocessor on a book of one chapter, `page.md`, in `dir/`.
fn run(content: &str) -> Output {
    let input = json!([
        {
            "root": "/books/demo",
            "config": {"book": {"title": "Demo", "src": "text"}, "preprocessor": {"archsim": {}}},
            "renderer": "html",
            "mdbook_version": "0.5.4"
        },
        {"items": [{"Chapter": {
            "name": "Page", "content": content, "number": [1], "sub_items": [],
            "path": "dir/page.md", "source_path": "dir/page.md", "parent_names": []
        }}]}
    ]);
    let mut child = preprocessor()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the preprocessor starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.to_string().as_bytes())
        .expect("the preprocessor reads its input");
    child.wait_with_output().expect("the preprocessor ends")
}

#[test]
fn the_book_comes_back_with_directives_expanded() {
    let output =
        run("{{#sim lb-overload}}\n\nOne server: {{#figure lb-overload rejected}} rejected.\n");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let book: Value = serde_json::from_slice(&output.stdout).expect("stdout is the book as JSON");
    let chapter = &book["items"][0]["Chapter"];
    let content = chapter["content"].as_str().expect("content is text");
    assert!(
        content.contains("src=\"../../load-balancing/index.html#/embed/lb-overload\""),
        "{content}"
    );
    assert!(content.contains(">12,074</span> rejected."), "{content}");
    assert_eq!(chapter["path"], "dir/page.md");
    assert_eq!(chapter["number"], json!([1]));
}

#[test]
fn a_misspelled_preset_fails_naming_the_file_the_id_and_the_valid_ids() {
    let output = run("# Page\n\n{{#sim lb-overlaod}}\n");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "error: /books/demo/text/dir/page.md:3: `{{#sim lb-overlaod}}`: unknown preset `lb-overlaod`; \
             the presets are "
        ) && stderr.contains("lb-distribute, lb-overload, lb-health-checks,"),
        "{stderr}"
    );
    assert!(
        stderr
            .ends_with("archsim-book: 1 problem in the book's directives; the build stops here\n")
    );
}

#[test]
fn it_supports_html_and_markdown_only() {
    let supports = |renderer: &str| {
        preprocessor()
            .args(["supports", renderer])
            .status()
            .expect("the preprocessor runs")
            .success()
    };
    assert!(supports("html"));
    assert!(supports("markdown"));
    assert!(!supports("epub"));
}
