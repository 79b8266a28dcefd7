//! One chapter's markdown with its directives replaced, or every problem
//! found in it.

use crate::directive::{self, Directive};
use crate::runs::{Run, Runs};
use crate::{anchor, embed, preset};

/// A directive that cannot be expanded.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Problem {
    /// Its line in the chapter, from 1.
    pub(crate) line: usize,
    /// What is wrong, and what would be right.
    pub(crate) message: String,
}

/// Every run the figures in `text` read, to make before expanding it.
pub(crate) fn runs(text: &str) -> Vec<Run> {
    directive::find(text)
        .into_iter()
        .filter_map(|found| match found.directive {
            Ok(Directive::Figure(query)) => Some(query.runs()),
            Ok(Directive::Sweep(query)) => Some(query.runs()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// `text` with each `{{#sim}}`, `{{#figure}}` and `{{#sweep}}` replaced, and each
/// experiment's anchor on its section's heading ([`anchor`]); a figure whose
/// claim its numbers contradict is a problem. `playground` is
/// the playground's `index.html` relative to this chapter's page.
pub(crate) fn expand(
    text: &str,
    playground: &str,
    runs: &mut Runs,
) -> Result<String, Vec<Problem>> {
    let (anchored, on_headings) = anchor::on_headings(text);
    let text = anchored.as_str();
    let mut out = String::with_capacity(text.len());
    let mut problems = Vec::new();
    let mut copied = 0;
    let mut first_experiment = true;
    let mut pattern_page = None;
    for found in directive::find(text) {
        let source = &text[found.span.clone()];
        let expanded = found.directive.and_then(|d| match d {
            Directive::Sim { preset } => preset::find(&preset)
                .map(|(pattern, p)| {
                    let page = embed::pattern_page(playground, pattern.id());
                    pattern_page.get_or_insert_with(|| page.clone());
                    let anchored = !on_headings.contains(&preset);
                    let html = embed::experiment(p, &page, first_experiment, anchored);
                    first_experiment = false;
                    html
                })
                .map_err(|e| format!("`{source}`: {e}")),
            Directive::Figure(query) => query.render(runs).map_err(|e| format!("`{source}`: {e}")),
            Directive::Sweep(query) => query.render(runs).map_err(|e| format!("`{source}`: {e}")),
        });
        match expanded {
            Ok(html) => {
                out.push_str(&text[copied..found.span.start]);
                out.push_str(&html);
            }
            Err(message) => problems.push(Problem {
                line: found.line,
                message,
            }),
        }
        copied = found.span.end;
    }
    out.push_str(&text[copied..]);
    if problems.is_empty() {
        Ok(match pattern_page {
            Some(page) => with_way_back(&out, playground, &page),
            None => out,
        })
    } else {
        Err(problems)
    }
}

/// `chapter` with a line under its title back to the map (`home`) and to
/// the page of its pattern's experiments (`page`): the book is a way in
/// from the map, and a way back to it.
fn with_way_back(chapter: &str, home: &str, page: &str) -> String {
    let crumbs = format!(
        "\n<p class=\"archsim-crumbs\"><a href=\"{home}\">← The map</a> · \
         <a href=\"{page}\">Run this chapter's experiments</a></p>\n"
    );
    let title_end = chapter
        .lines()
        .scan(0, |at, line| {
            *at += line.len() + 1;
            Some((line, *at))
        })
        .find(|(line, _)| line.starts_with("# "))
        .map(|(_, end)| end.min(chapter.len()));
    match title_end {
        Some(end) => format!("{}{crumbs}{}", &chapter[..end], &chapter[end..]),
        None => format!("{crumbs}{chapter}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_are_replaced_and_the_rest_is_kept() {
        let text = "# LB\n\n{{#sim lb-distribute}}\n\nEven: imbalance {{#figure lb-distribute load_imbalance}}.\n\n{{#sim lb-overload}}\n\\{{#sim x}}\n";
        let mut runs = Runs::default();
        let out = expand(text, "../index.html", &mut runs).unwrap();
        // The first experiment's anchor is its section's heading; the
        // second one in the section keeps it on its figure.
        assert!(
            out.starts_with(
                "# LB {#lb-distribute}\n\n<p class=\"archsim-crumbs\"><a href=\"../index.html\">\
                 ← The map</a> · <a href=\"../load-balancing/index.html\">Run this chapter's \
                 experiments</a></p>\n\n\n<script>"
            ),
            "{out}"
        );
        assert!(out.contains(
            "<figure class=\"archsim-experiment\">\n<iframe class=\"archsim-embed\" \
             src=\"../load-balancing/index.html#/embed/lb-distribute\""
        ));
        assert!(out.contains("<figure class=\"archsim-experiment\" id=\"lb-overload\">"));
        assert_eq!(out.matches("<script>").count(), 1);
        assert_eq!(out.matches("<iframe").count(), 2);
        assert!(out.contains(
            "Even: imbalance <span class=\"archsim-figure\" \
             title=\"archsim run lb-distribute: load_imbalance\">1.00</span>.\n"
        ));
        assert!(out.ends_with("</figure>\n\n\n\\{{#sim x}}\n"), "{out}");
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let text = "{{#sim lb-overlaod}}\nok {{#figure lb-overload backends=0 rejected}}\n\
                    {{#figure lb-overload latency.p98}} {{#sim}}\n";
        let problems = expand(text, "../index.html", &mut Runs::default()).unwrap_err();
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 2, 3, 3]);
        assert!(
            problems[0].message.starts_with(
                "`{{#sim lb-overlaod}}`: unknown preset `lb-overlaod`; the presets are "
            )
        );
        assert!(problems[0].message.contains("lb-distribute, lb-overload,"));
        assert_eq!(
            problems[1].message,
            "`{{#figure lb-overload backends=0 rejected}}`: backends=0 is not allowed: \
             backends must be a whole number from 1 to 100"
        );
        assert!(problems[2].message.starts_with(
            "`{{#figure lb-overload latency.p98}}`: no metric `latency.p98`: `latency` has no `p98`; metrics are arrived,"
        ));
        assert!(problems[3].message.contains("takes one preset id"));
    }
}
