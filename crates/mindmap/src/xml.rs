//! Text made safe to place in HTML or SVG, between tags or inside a quoted
//! attribute: what every writer of markup in the project (the map's SVG
//! export, the home page's static outline, the book's embeds) escapes with.

/// `text` with `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape(r#"a < b && "c" > d's — é"#),
            "a &lt; b &amp;&amp; &quot;c&quot; &gt; d&#39;s — é"
        );
    }
}
