//! The built site made to run under a strict Content-Security-Policy:
//!
//! ```text
//! default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:
//! ```
//!
//! Such a host runs no inline `<script>` and applies no `style` attribute.
//! Our own pages and the book's preprocessor write neither; the two tools
//! that write the rest of the HTML do: Trunk starts the wasm with an inline
//! module script, and mdBook's page template has half a dozen inline
//! scripts (theme and sidebar set-up) and a few `style` attributes. Rather
//! than fork their templates, this pass runs over every HTML file of the
//! finished site and moves each inline script into a file beside its page
//! (named by a hash of its text, so identical scripts share one file), and
//! each `style` attribute into a class of a stylesheet beside the page.
//! Script order and blocking are kept (an external classic script without
//! `async` or `defer` runs where it stands, as the inline one did), and the
//! declarations are marked `!important`, as an inline style outranks the
//! page's other rules. Then every page is checked: an event-handler
//! attribute (`onclick=`) or a `javascript:` link, which cannot be moved,
//! fails the build.
//!
//! The scanner reads HTML as these tools write it — tags, quoted
//! attributes, comments, raw `<script>` text — not arbitrary HTML.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// What was moved out of one page.
#[derive(Debug, Default, PartialEq)]
struct Moved {
    /// The page, rewritten.
    html: String,
    /// Script files to write beside it: name and text.
    scripts: Vec<(String, String)>,
    /// Classes for the style attributes: class name and declarations.
    styles: BTreeMap<String, String>,
}

/// Rewrite every HTML file under `site` and write what was moved out of
/// it beside it; fail naming any page that still needs inline script.
pub(crate) fn apply(site: &Path) -> Result<(), String> {
    let mut pages = Vec::new();
    html_files(site, &mut pages)?;
    let (mut scripts, mut styles) = (0, 0);
    for page in &pages {
        let read = |e| format!("could not read {}: {e}", page.display());
        let html = fs::read_to_string(page).map_err(read)?;
        let where_ = page
            .strip_prefix(site)
            .unwrap_or(page)
            .display()
            .to_string();
        let moved = move_inline(&html).map_err(|e| format!("{where_}: {e}"))?;
        if let Some(problem) = needs_inline_script(&moved.html) {
            return Err(format!(
                "{where_} cannot run under a strict Content-Security-Policy: {problem}"
            ));
        }
        let dir = page.parent().unwrap_or(site);
        let write = |name: &str, text: &str| {
            let path = dir.join(name);
            fs::write(&path, text).map_err(|e| format!("could not write {}: {e}", path.display()))
        };
        for (name, text) in &moved.scripts {
            write(name, text)?;
        }
        let mut html = moved.html;
        if !moved.styles.is_empty() {
            let css: String = moved
                .styles
                .iter()
                .map(|(class, declarations)| format!(".{class} {{ {declarations} }}\n"))
                .collect();
            let name = format!("csp-{:016x}.css", fnv1a(css.as_bytes()));
            write(&name, &css)?;
            let link = format!("<link rel=\"stylesheet\" href=\"{name}\">\n</head>");
            html = html.replacen("</head>", &link, 1);
        }
        fs::write(page, html).map_err(|e| format!("could not write {}: {e}", page.display()))?;
        scripts += moved.scripts.len();
        styles += moved.styles.len();
    }
    println!(
        "==> xtask build: strict CSP: {} pages, {scripts} inline scripts moved to files, \
         {styles} style attributes to classes",
        pages.len()
    );
    Ok(())
}

/// The page with its inline scripts and style attributes moved out.
fn move_inline(html: &str) -> Result<Moved, String> {
    let mut moved = Moved::default();
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").ok_or("a comment is never closed")? + 7;
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            out.push('<');
            rest = &rest[1..];
            continue;
        }
        let tag = Tag::read(rest)?;
        rest = &rest[tag.len..];
        let mut text = tag.text.to_owned();
        if let Some(style) = tag.attribute("style") {
            let class = format!("csp-{:08x}", fnv1a(style.as_bytes()) as u32);
            moved.styles.insert(class.clone(), important(style));
            text = tag.without("style");
            let classes = match Tag::read(&text)?.attribute("class") {
                Some(existing) => format!("{existing} {class}"),
                None => class,
            };
            text = Tag::read(&text)?.with("class", &classes);
        }
        if tag.name.eq_ignore_ascii_case("script") {
            let end = rest.find("</script>").ok_or("a <script> is never closed")?;
            let body = &rest[..end];
            rest = &rest[end..];
            let executable = tag
                .attribute("type")
                .is_none_or(|t| t.is_empty() || t == "module" || t.contains("javascript"));
            if tag.attribute("src").is_none() && executable && !body.trim().is_empty() {
                let name = format!("csp-{:016x}.js", fnv1a(body.as_bytes()));
                text = Tag::read(&text)?.with("src", &name);
                moved.scripts.push((name, body.to_owned()));
            } else {
                text.push_str(body);
            }
        }
        out.push_str(&text);
    }
    out.push_str(rest);
    moved.html = out;
    Ok(moved)
}

/// What in `html` only inline script could do, if anything.
fn needs_inline_script(html: &str) -> Option<String> {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end..]);
            continue;
        }
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            rest = &rest[1..];
            continue;
        }
        let tag = Tag::read(rest).ok()?;
        for (name, value) in &tag.attributes {
            if name.len() > 2 && name[..2].eq_ignore_ascii_case("on") {
                return Some(format!(
                    "an event-handler attribute, {name}=, on <{}>",
                    tag.name
                ));
            }
            if value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("javascript:")
            {
                return Some(format!("a javascript: URL in {name}= on <{}>", tag.name));
            }
        }
        if tag.name.eq_ignore_ascii_case("script") && tag.attribute("src").is_none() {
            let body = &rest[tag.len..];
            if !body[..body.find("</script>").unwrap_or(body.len())]
                .trim()
                .is_empty()
            {
                return Some("an inline <script>".to_owned());
            }
        }
        if tag.name.eq_ignore_ascii_case("style") {
            return Some("an inline <style> element".to_owned());
        }
        rest = &rest[tag.len..];
    }
    None
}

/// One opening tag: its name and attributes, as written.
struct Tag<'a> {
    /// The tag's text, `<` to `>`.
    text: &'a str,
    len: usize,
    name: &'a str,
    attributes: Vec<(&'a str, &'a str)>,
}

impl<'a> Tag<'a> {
    /// The tag `html` starts with.
    fn read(html: &'a str) -> Result<Tag<'a>, String> {
        let bytes = html.as_bytes();
        let name_end = 1 + html[1..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .ok_or("a tag is never closed")?;
        let mut tag = Tag {
            text: "",
            len: 0,
            name: &html[1..name_end],
            attributes: Vec::new(),
        };
        let mut i = name_end;
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            match bytes.get(i) {
                None => return Err(format!("the <{}> tag is never closed", tag.name)),
                Some(b'>') => break,
                Some(_) => {}
            }
            let start = i;
            while i < bytes.len() && !b" \t\r\n=>/".contains(&bytes[i]) {
                i += 1;
            }
            let name = &html[start..i];
            let mut value = "";
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                match bytes.get(i) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let close = html[i + 1..]
                            .find(quote as char)
                            .ok_or_else(|| format!("{name}= on <{}> is never closed", tag.name))?;
                        value = &html[i + 1..i + 1 + close];
                        i += close + 2;
                    }
                    _ => {
                        let v = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>'
                        {
                            i += 1;
                        }
                        value = &html[v..i];
                    }
                }
            }
            tag.attributes.push((name, value));
        }
        tag.len = i + 1;
        tag.text = &html[..tag.len];
        Ok(tag)
    }

    /// The value of attribute `name`, if the tag has it.
    fn attribute(&self, name: &str) -> Option<&'a str> {
        self.attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, v)| v)
    }

    /// The tag's text without attribute `name`.
    fn without(&self, name: &str) -> String {
        let mut text = format!("<{}", self.name);
        for &(n, v) in self
            .attributes
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case(name))
        {
            push_attribute(&mut text, n, v);
        }
        text.push('>');
        text
    }

    /// The tag's text with attribute `name` set to `value` (added last, or
    /// replaced where it stands).
    fn with(&self, name: &str, value: &str) -> String {
        let mut text = format!("<{}", self.name);
        let mut set = false;
        for &(n, v) in &self.attributes {
            if n.eq_ignore_ascii_case(name) {
                push_attribute(&mut text, n, value);
                set = true;
            } else {
                push_attribute(&mut text, n, v);
            }
        }
        if !set {
            push_attribute(&mut text, name, value);
        }
        text.push('>');
        text
    }
}

/// ` name="value"` (or ` name` for an empty boolean attribute).
fn push_attribute(text: &mut String, name: &str, value: &str) {
    text.push(' ');
    text.push_str(name);
    if !value.is_empty() {
        text.push_str("=\"");
        text.push_str(&value.replace('"', "&quot;"));
        text.push('"');
    }
}

/// A style attribute's declarations, each made `!important`.
fn important(style: &str) -> String {
    style
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            if d.ends_with("!important") {
                format!("{d};")
            } else {
                format!("{d} !important;")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// FNV-1a: a stable name for a file's text (the same in every build).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Every `.html` file under `dir`, recursively.
fn html_files(dir: &Path, found: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    let entries =
        fs::read_dir(dir).map_err(|e| format!("could not list {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("could not list {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            html_files(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
    found.sort();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inline_module_script_becomes_a_file_beside_the_page() {
        let page = "<head>\n<script type=\"module\">\nimport init from './a.js';\nawait init();\n</script>\n</head>";
        let moved = move_inline(page).unwrap();
        let [(name, body)] = &moved.scripts[..] else {
            panic!("one script: {:?}", moved.scripts)
        };
        assert!(name.starts_with("csp-") && name.ends_with(".js"));
        assert_eq!(body, "\nimport init from './a.js';\nawait init();\n");
        assert_eq!(
            moved.html,
            format!("<head>\n<script type=\"module\" src=\"{name}\"></script>\n</head>")
        );
        assert_eq!(needs_inline_script(&moved.html), None);
    }

    #[test]
    fn identical_scripts_share_a_file_and_external_ones_are_left_alone() {
        let page =
            "<script>var a = 1;</script><script src=\"x.js\"></script><script>var a = 1;</script>";
        let moved = move_inline(page).unwrap();
        assert_eq!(moved.scripts.len(), 2);
        assert_eq!(moved.scripts[0], moved.scripts[1]);
        assert!(moved.html.contains("<script src=\"x.js\"></script>"));
    }

    #[test]
    fn a_style_attribute_becomes_an_important_class_kept_with_the_others() {
        let page = "<div class=\"nav\" style=\"clear: both\">x</div><p style='a: 1; b: 2'>y</p>";
        let moved = move_inline(page).unwrap();
        let classes: Vec<_> = moved.styles.iter().collect();
        assert_eq!(classes.len(), 2);
        let clear = classes.iter().find(|(_, d)| d.contains("clear")).unwrap().0;
        assert_eq!(moved.styles[clear], "clear: both !important;");
        assert!(
            moved
                .html
                .starts_with(&format!("<div class=\"nav {clear}\">x</div>"))
        );
        assert!(
            moved
                .styles
                .values()
                .any(|d| d == "a: 1 !important; b: 2 !important;")
        );
        assert!(!moved.html.contains("style="));
    }

    #[test]
    fn comments_text_and_data_blocks_pass_through() {
        let page = "<!-- <script>not code</script> --> a < b <script type=\"application/json\">{\"a\":1}</script>";
        let moved = move_inline(page).unwrap();
        assert_eq!(moved.html, page);
        assert!(moved.scripts.is_empty());
    }

    #[test]
    fn what_cannot_be_moved_is_named() {
        assert_eq!(
            needs_inline_script("<button onclick=\"go()\">go</button>").unwrap(),
            "an event-handler attribute, onclick=, on <button>"
        );
        assert_eq!(
            needs_inline_script("<a href=\"javascript:void(0)\">x</a>").unwrap(),
            "a javascript: URL in href= on <a>"
        );
        assert!(needs_inline_script("<style>a{}</style>").is_some());
        assert_eq!(
            needs_inline_script("<a href=\"online.html\" data-x>ok</a>"),
            None
        );
    }

    #[test]
    fn broken_markup_is_an_error_not_a_panic() {
        assert!(move_inline("<div class=\"x").is_err());
        assert!(move_inline("<script>never closed").is_err());
        assert!(move_inline("<!-- never closed").is_err());
    }
}
