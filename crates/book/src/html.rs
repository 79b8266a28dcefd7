//! Text made safe to place in HTML, between tags or inside a quoted attribute.

/// `text` with `&`, `<`, `>` and `"` escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped() {
        assert_eq!(
            escape(r#"a < b && "c" > d — é"#),
            "a &lt; b &amp;&amp; &quot;c&quot; &gt; d — é"
        );
    }
}
