//! Finding `{{#sim …}}`, `{{#figure …}}` and `{{#sweep …}}` in a chapter's markdown and
//! reading their arguments.
//!
//! Like mdbook's own `{{#include}}`, a directive is `{{#name words…}}` on one
//! line, and a backslash in front (`\{{#sim x}}`) leaves it as text (mdbook's
//! `links` preprocessor, which runs after this one, then drops the
//! backslash). mdbook's own directives are left for mdbook; any other name is
//! a mistake, most likely a typo, and is reported.

use crate::curve::SweepQuery;
use crate::figure::Query;
use std::ops::Range;

/// What a directive asks for.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Directive {
    /// `{{#sim PRESET}}`: the live experiment.
    Sim {
        /// The preset id, as written.
        preset: String,
    },
    /// `{{#figure PRESET [KEY=VALUE]… METRIC [< | > …]}}`: one number from a
    /// run, or a mean over seeds, and what the sentence claims about it.
    Figure(Query),
    /// `{{#sweep PRESET [KEY=VALUE]… KEY=FROM..TO[:POINTS] METRIC}}`: a
    /// curve of the metric over the range, one line per variant.
    Sweep(SweepQuery),
}

/// A directive of ours in the text, or a malformed one.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Occurrence {
    /// Where it sits in the text, braces included.
    pub(crate) span: Range<usize>,
    /// Its line, from 1.
    pub(crate) line: usize,
    /// The directive, or why it cannot be read.
    pub(crate) directive: Result<Directive, String>,
}

/// Directives mdbook's `links` preprocessor expands; they are left alone.
const MDBOOK_DIRECTIVES: [&str; 4] = ["include", "rustdoc_include", "playground", "title"];

/// Every directive of ours in `text`, in order, with the malformed ones.
pub(crate) fn find(text: &str) -> Vec<Occurrence> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find("{{") {
        let start = from + offset;
        from = start + 2;
        let rest = text[from..].trim_start_matches([' ', '\t']);
        let Some(after_hash) = rest.strip_prefix('#') else {
            continue;
        };
        if text[..start].ends_with('\\') {
            continue;
        }
        let name_len = after_hash
            .find(|c: char| c.is_whitespace() || c == '}')
            .unwrap_or(after_hash.len());
        let name = &after_hash[..name_len];
        if MDBOOK_DIRECTIVES.contains(&name) {
            continue;
        }
        let args_at = text.len() - after_hash.len() + name_len;
        let line_end = text[args_at..]
            .find('\n')
            .map_or(text.len(), |i| args_at + i);
        let line = text[..start].matches('\n').count() + 1;
        let Some(close) = text[args_at..line_end].find("}}") else {
            found.push(Occurrence {
                span: start..line_end,
                line,
                directive: Err(format!(
                    "`{}` is not closed: a directive ends with `}}}}` on the same line",
                    &text[start..line_end].trim_end()
                )),
            });
            from = line_end;
            continue;
        };
        let end = args_at + close + 2;
        let words: Vec<&str> = text[args_at..args_at + close].split_whitespace().collect();
        let directive = match name {
            "sim" => sim(&words).and_then(|d| standalone(text, start..end).map(|()| d)),
            "figure" => Query::parse(&words).map(Directive::Figure),
            "sweep" => SweepQuery::parse(&words)
                .map(Directive::Sweep)
                .and_then(|d| standalone(text, start..end).map(|()| d)),
            other => Err(format!(
                "unknown directive `{{{{#{other}}}}}`: archsim adds `{{{{#sim}}}}`, \
                 `{{{{#figure}}}}` and `{{{{#sweep}}}}`, mdbook has `{{{{#{}}}}}`; write `\\{{{{#{other}` to show it as text",
                MDBOOK_DIRECTIVES.join("}}`, `{{#")
            )),
        };
        found.push(Occurrence {
            span: start..end,
            line,
            directive,
        });
        from = end;
    }
    found
}

fn sim(words: &[&str]) -> Result<Directive, String> {
    match words {
        [preset] => Ok(Directive::Sim {
            preset: (*preset).to_owned(),
        }),
        _ => Err(format!(
            "`{{{{#sim {}}}}}` takes one preset id, e.g. `{{{{#sim lb-overload}}}}`",
            words.join(" ")
        )),
    }
}

/// An embedded experiment or a sweep's chart is a block: nothing else may
/// share its line.
fn standalone(text: &str, span: Range<usize>) -> Result<(), String> {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    if text[line_start..span.start].trim().is_empty() && text[span.end..line_end].trim().is_empty()
    {
        Ok(())
    } else {
        Err(format!(
            "`{}` must stand on a line of its own: it becomes a block (a figure and its caption)",
            &text[span]
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn directives(text: &str) -> Vec<(usize, Result<Directive, String>)> {
        find(text)
            .into_iter()
            .map(|o| (o.line, o.directive))
            .collect()
    }

    #[test]
    fn finds_sims_and_figures_with_their_lines() {
        let text = "# Title\n\n{{#sim lb-overload}}\n\nThe p99 is {{#figure lb-overload backends=4 latency.p99}}.\n";
        let found = find(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].span.clone()], "{{#sim lb-overload}}");
        assert_eq!(found[0].line, 3);
        assert_eq!(
            found[0].directive,
            Ok(Directive::Sim {
                preset: "lb-overload".into()
            })
        );
        assert_eq!(
            &text[found[1].span.clone()],
            "{{#figure lb-overload backends=4 latency.p99}}"
        );
        assert_eq!(found[1].line, 5);
        assert_eq!(
            found[1].directive,
            Ok(Directive::Figure(
                Query::parse(&["lb-overload", "backends=4", "latency.p99"]).unwrap()
            ))
        );
    }

    #[test]
    fn spaces_inside_the_braces_are_allowed() {
        let found = directives("{{ #sim   lb-distribute  }}");
        assert_eq!(
            found,
            vec![(
                1,
                Ok(Directive::Sim {
                    preset: "lb-distribute".into()
                })
            )]
        );
    }

    #[test]
    fn escaped_mdbook_and_plain_braces_are_left_alone() {
        let text = "\\{{#sim lb-overload}} {{#include a.md}} {{#title T}} {{ not one }} {{";
        assert!(find(text).is_empty());
    }

    #[test]
    fn a_sim_shares_its_line_with_nothing() {
        let found = directives("See {{#sim lb-overload}} here");
        assert_eq!(
            found[0].1,
            Err("`{{#sim lb-overload}}` must stand on a line of its own: it becomes a block (a figure and its caption)".into())
        );
        assert!(directives("  {{#sim lb-overload}}  \nnext")[0].1.is_ok());
    }

    #[test]
    fn a_sim_takes_exactly_one_id() {
        for text in ["{{#sim}}", "{{#sim a b}}"] {
            let found = directives(text);
            assert!(
                found[0]
                    .1
                    .as_ref()
                    .unwrap_err()
                    .contains("takes one preset id, e.g. `{{#sim lb-overload}}`"),
                "{found:?}"
            );
        }
    }

    #[test]
    fn unclosed_and_unknown_directives_are_reported() {
        let found = directives("a\n{{#sim lb-overload\nb {{#sime lb-overload}}");
        assert_eq!(
            found,
            vec![
                (
                    2,
                    Err("`{{#sim lb-overload` is not closed: a directive ends with `}}` on the same line".into())
                ),
                (
                    3,
                    Err("unknown directive `{{#sime}}`: archsim adds `{{#sim}}`, `{{#figure}}` and `{{#sweep}}`, \
                         mdbook has `{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}`, `{{#title}}`; \
                         write `\\{{#sime` to show it as text"
                        .into())
                ),
            ]
        );
    }
}
