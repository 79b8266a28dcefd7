//! Where a link to an experiment lands: on its section's heading.
//!
//! The home page's map links each leaf to `chapter.html#PRESET`. Were the
//! anchor on the embedded widget, a reader would land past the heading
//! and the paragraphs that explain what the experiment shows; so the first
//! experiment under a heading gives that heading its id (mdBook's
//! `## Heading {#id}`), and only a second experiment in the same section
//! keeps the anchor on its own figure.

use crate::directive::{self, Directive};
use std::collections::HashSet;

/// `text` with the id of the first `{{#sim}}` under each heading put on
/// that heading, and the presets whose anchor moved there.
pub(crate) fn on_headings(text: &str) -> (String, HashSet<String>) {
    let headings = heading_ends(text);
    let mut claimed: Vec<(usize, String)> = Vec::new();
    for found in directive::find(text) {
        let Ok(Directive::Sim { preset }) = found.directive else {
            continue;
        };
        let Some(&end) = headings.iter().rev().find(|&&end| end < found.span.start) else {
            continue;
        };
        if claimed.iter().all(|(e, _)| *e != end) {
            claimed.push((end, preset));
        }
    }
    let mut out = text.to_owned();
    // From the last, so the earlier offsets still hold.
    for (end, preset) in claimed.iter().rev() {
        out.insert_str(*end, &format!(" {{#{preset}}}"));
    }
    (out, claimed.into_iter().map(|(_, p)| p).collect())
}

/// Where each ATX heading's text ends (before its line break), outside
/// fenced code; a heading that already names its id is left alone.
fn heading_ends(text: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut fenced = false;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let start = content.trim_start_matches(' ');
        if content.len() - start.len() <= 3 {
            if start.starts_with("```") || start.starts_with("~~~") {
                fenced = !fenced;
            } else if !fenced && is_heading(start) && !start.trim_end().ends_with('}') {
                ends.push(at + content.trim_end().len());
            }
        }
        at += line.len();
    }
    ends
}

/// `#` to `######`, then a space: an ATX heading.
fn is_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && line[hashes..].starts_with(' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_experiment_under_a_heading_names_it() {
        let text = "# Caching\n\n## Stampede\n\nWhy.\n\n{{#sim cache-stampede}}\n\nMore.\n\n{{#sim cache-jitter}}\n\n## Scale\n{{#sim cache-scale-out}}\n";
        let (out, moved) = on_headings(text);
        assert_eq!(
            out,
            "# Caching\n\n## Stampede {#cache-stampede}\n\nWhy.\n\n{{#sim cache-stampede}}\n\nMore.\n\n{{#sim cache-jitter}}\n\n## Scale {#cache-scale-out}\n{{#sim cache-scale-out}}\n"
        );
        let mut moved: Vec<_> = moved.into_iter().collect();
        moved.sort();
        assert_eq!(moved, ["cache-scale-out", "cache-stampede"]);
    }

    #[test]
    fn code_and_headings_with_their_own_id_are_left_alone() {
        let text = "## Own {#mine}\n```sh\n# not a heading\n```\n{{#sim lb-overload}}\n#hashtag\n";
        let (out, moved) = on_headings(text);
        assert_eq!(out, text);
        assert!(moved.is_empty());
    }
}
