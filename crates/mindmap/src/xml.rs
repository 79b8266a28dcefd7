//! Text made safe to place in HTML or SVG, between tags or inside a quoted
//! attribute: what every writer of markup in the project (the map's SVG
//! export, the home page's static outline, the book's embeds) escapes with.

/// `text` with `&`, `<`, `>`, `"` and `'` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Byte by byte, copying the text between markup characters whole: the
    // five are ASCII, so they never fall inside a UTF-8 sequence.
    let mut copied = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out += &text[copied..i];
        out += entity;
        copied = i + 1;
    }
    out += &text[copied..];
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
