//! The map editor: write markmap markdown, see it drawn as you type, share
//! it as a link.
//!
//! An app of its own (`map/index.html`, started by
//! [`start_editor`](crate::start_editor)): the markdown parser it needs
//! stays out of the playground. The whole map lives in the URL fragment
//! (`map/index.html#<data>`, deflated and base64url-encoded by
//! [`archsim_mindmap::link`]), rewritten on every edit, and so do the
//! branches folded or unfolded on the drawn map (`#<data>.<folds>`), so the
//! address bar is always the link to share. Mistakes are
//! shown where they are: the line's number in the gutter turns into a
//! marker, the line is tinted, and the message, with its line, is listed
//! under the editor; the map keeps showing the last version that could be
//! read. A link that cannot be decoded says why and opens the site's map
//! instead, and one whose folds cannot be read opens its map as written:
//! it never breaks the page.
//!
//! The text wraps, and the gutter keeps up with it: under the textarea,
//! each line is written again, invisible, beside its number, in the same
//! font and width, so a line that wraps makes its row of the gutter (and
//! its error tint) as tall as it is. Both boxes reserve the scrollbar's
//! width, so the copy wraps where the textarea does.

use crate::address_bar;
use crate::app::Header;
use crate::components::copy_link::{self, use_copy_link};
use crate::components::mindmap::{MindMap, SharedMap};
use crate::site::Site;
use archsim_mindmap::link::{self as map_link, LinkError};
use std::rc::Rc;
use yew::prelude::*;

/// The site's map: where the editor starts.
const SITE_MAP: &str = include_str!("../../../mindmap/architectures.md");

/// A small map that shows what markmap markdown can do: the Example
/// button's map, and the syntax guide beside the editor.
const EXAMPLE: &str = "\
---
title: My map
markmap:
  colorFreezeLevel: 2
  maxWidth: 240
  # Also: color, initialExpandLevel, duration, spacingHorizontal,
  # spacingVertical, paddingX, nodeMinHeight, zoom, pan, fitRatio,
  # maxInitialScale.
---

## Headings make branches

- List items nest
  - as they are indented
- A fold comment folds a branch <!-- markmap: fold -->
  - hidden at first (foldAll: all below)

## Inline markdown

- **Bold**, *italic*, ~~struck~~ and `code`
- [Links](https://markmap.js.org) and ![images](favicon.svg)
- [ ] Checkboxes
- [x] ticked

## Tables and code blocks

| Like | this |
|---|---|
| a | b |

```sh
archsim run lb-overload
```
";

/// The editor app: the map of the link in the fragment, or the site's map.
/// A new link (pasted, back or forward) starts afresh; the editor's own
/// rewrites of the fragment fire no `hashchange`, so they do not.
#[component]
pub(crate) fn MapEditor() -> Html {
    let link = use_state(link_in_fragment);
    {
        let link = link.clone();
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo_events::EventListener::new(&w, "hashchange", move |_| {
                    link.set(link_in_fragment());
                })
            });
            move || drop(listener)
        });
    }
    html! { <Editor key={link.as_str()} link={(*link).clone()} /> }
}

/// The map data after `#`, if any.
fn link_in_fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    /// The map data of the link the editor opened ("" for none).
    link: String,
}

/// The source and what reading it gave.
#[component]
fn Editor(props: &EditorProps) -> Html {
    let opened = use_memo(props.link.clone(), |link| -> (String, Option<LinkError>) {
        if link.is_empty() {
            return (SITE_MAP.to_owned(), None);
        }
        match map_link::decode(link) {
            Ok(text) => (text, None),
            Err(e) => (SITE_MAP.to_owned(), Some(e)),
        }
    });
    let text = use_state(|| opened.0.clone());
    let parsed = use_memo((*text).clone(), |t| {
        archsim_mindmap::parse(t).map(|m| SharedMap(Rc::new(m)))
    });
    // The map shown: the last one that could be read.
    let last_read = use_mut_ref(|| None::<SharedMap>);
    if let Ok(map) = &*parsed {
        *last_read.borrow_mut() = Some(map.clone());
    }
    let shown = last_read.borrow().clone();
    // The link beyond its text, read once, as the editor opens it.
    let link = use_mut_ref(|| {
        let (folds, fold_error) = match &*parsed {
            Ok(map) if opened.1.is_none() => match map_link::decode_folds(&map.0, &props.link) {
                Ok(folds) => (folds.map(|f| (map.clone(), Rc::new(f))), None),
                Err(e) => (None, Some(e)),
            },
            _ => (None, None),
        };
        Link {
            data: None,
            folds,
            fold_error,
        }
    });
    let (initial_expanded, fold_error) = {
        let link = link.borrow();
        let given = link
            .folds
            .as_ref()
            .filter(|(map, _)| shown.as_ref() == Some(map));
        (given.map(|(_, e)| e.clone()), link.fold_error.clone())
    };
    let textarea = use_node_ref();
    let copy = use_copy_link();
    let backdrop = use_node_ref();

    let set_text = {
        let (text, link) = (text.clone(), link.clone());
        Callback::from(move |source: String| {
            let encoded = map_link::encode(&source);
            address_bar::replace(&format!("#{encoded}"));
            link.borrow_mut().data = Some(encoded);
            text.set(source);
        })
    };
    // A fold on the map pins all of the map's folds in the link; the page
    // is drawn again for the copy button, which copies the address as it
    // was when drawn.
    let redraw = use_force_update();
    let on_folds = {
        let (link, last_read, opened) = (link.clone(), last_read.clone(), opened.clone());
        Callback::from(move |expanded: Rc<Vec<bool>>| {
            let Some(map) = last_read.borrow().clone() else {
                return;
            };
            let folds = map_link::encode_folds(&map.0, &expanded);
            {
                let mut link = link.borrow_mut();
                let data = link.data.get_or_insert_with(|| map_link::encode(&opened.0));
                address_bar::replace(&format!("#{}", map_link::with_folds(data, &folds)));
            }
            // Not while the link is borrowed: drawing reads it.
            redraw.force_update();
        })
    };
    let oninput = {
        let set_text = set_text.clone();
        move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            set_text.emit(area.value());
        }
    };
    let onscroll = {
        let backdrop = backdrop.clone();
        move |e: Event| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(b) = backdrop.cast::<web_sys::Element>() {
                b.set_scroll_top(area.scroll_top());
            }
        }
    };
    let load = |source: &'static str| {
        let set_text = set_text.clone();
        move |_| set_text.emit(source.to_owned())
    };
    let problems: Vec<Problem> = match &*parsed {
        Err(e) => vec![Problem {
            line: e.line,
            error: true,
            message: e.reason(),
        }],
        Ok(map) => map
            .0
            .warnings
            .iter()
            .map(|w| Problem {
                line: w.line,
                error: false,
                message: w.message.clone(),
            })
            .collect(),
    };
    let jump = |line: usize| {
        let (textarea, text) = (textarea.clone(), text.clone());
        move |_| {
            let Some(area) = textarea.cast::<web_sys::HtmlTextAreaElement>() else {
                return;
            };
            // Offsets in UTF-16 code units, as the textarea counts them.
            let start: usize = text
                .split_inclusive('\n')
                .take(line.saturating_sub(1))
                .map(|l| l.encode_utf16().count())
                .sum();
            let _ = area.focus();
            let _ = area.set_selection_range(start as u32, start as u32);
        }
    };
    let invalid = problems.iter().any(|p| p.error);
    let unreadable = match (&opened.1, &fold_error) {
        (Some(e), _) => Some(("map link", e, "archsim's own map")),
        (None, Some(e)) => Some(("link's folds", e, "the map as written")),
        _ => None,
    };
    html! {
        <>
            <Header />
            <main class="page editor-page" id="main">
                <h1>{ "Draw your own mind-map" }</h1>
                <p class="lede">
                    { "Write markmap markdown and see it drawn as you type. The address bar holds your map: the link shares it." }
                </p>
                if let Some((what, e, instead)) = unreadable {
                    <div class="problems" role="alert">
                        { format!("This {what} could not be read: {e}. Showing {instead} instead.") }
                    </div>
                }
                <div class="editor-layout">
                    <section class="editor-pane" aria-labelledby="source-heading">
                        <div class="editor-bar">
                            <h2 id="source-heading">{ "Markdown" }</h2>
                            <button type="button" onclick={load(SITE_MAP)}>{ "archsim's map" }</button>
                            <button type="button" onclick={load(EXAMPLE)}>{ "Example" }</button>
                            { copy.view("Copy link", copy_link::here(), true) }
                        </div>
                        <div class="code-editor">
                            <div class="code-backdrop" ref={backdrop} aria-hidden="true">
                                { for text.split('\n').zip(1..).map(|(line, n)| {
                                    let here = problems.iter().find(|p| p.line == n);
                                    html! {
                                        <div class={classes!("code-line", here.map(|p| if p.error { "error" } else { "warning" }))}
                                            title={here.map(|p| p.message.clone())}>
                                            <span class="line-number">{ if here.is_some() { "!".to_owned() } else { n.to_string() } }</span>
                                            <span class="line-copy">{ line }</span>
                                        </div>
                                    }
                                }) }
                            </div>
                            <textarea ref={textarea.clone()} class="code" value={(*text).clone()}
                                aria-label="Markmap markdown of the map"
                                aria-invalid={invalid.then_some("true")}
                                aria-describedby="map-problems"
                                spellcheck="false" autocapitalize="off"
                                {oninput} {onscroll} />
                        </div>
                        <ul id="map-problems" class="map-problems" aria-live="polite">
                            { for problems.iter().map(|p| html! {
                                <li class={if p.error { "error" } else { "warning" }}>
                                    <button type="button" class="line-ref" onclick={jump(p.line)}>
                                        { format!("{} on line {}", if p.error { "Error" } else { "Warning" }, p.line) }
                                    </button>
                                    { format!(": {}", p.message) }
                                    if p.error { { " (the map shows the last version that could be read)" } }
                                </li>
                            }) }
                        </ul>
                        <details class="syntax">
                            <summary>{ "Syntax (what Example draws)" }</summary>
                            <pre>{ EXAMPLE }</pre>
                        </details>
                    </section>
                    <section class="map-pane" aria-label="Your map, drawn">
                        if let Some(map) = shown {
                            <MindMap {map} label="Your mind-map" id="your-map" site={Site::Editor}
                                {initial_expanded} on_folds={Some(on_folds)} />
                        } else {
                            <p class="map-placeholder">{ "Your map appears here once it can be read." }</p>
                        }
                    </section>
                </div>
            </main>
        </>
    }
}

/// What the editor keeps of its link besides the map's text.
struct Link {
    /// The map part, as last written; none until an edit or a fold
    /// writes the link (the link it opened holds the map already).
    data: Option<String>,
    /// The link's folds, for the map it opened (and no later one).
    folds: Option<(SharedMap, Rc<Vec<bool>>)>,
    /// Why the link's folds could not be read.
    fold_error: Option<LinkError>,
}

/// An error or a warning, and its line.
struct Problem {
    line: usize,
    error: bool,
    message: String,
}

#[cfg(test)]
mod tests {
    use super::EXAMPLE;

    #[test]
    fn the_example_reads_without_a_warning() {
        let map = archsim_mindmap::parse(EXAMPLE).expect("the example reads");
        assert_eq!(map.warnings, []);
    }

    #[test]
    fn the_guide_names_every_option_the_parser_reads_and_no_other() {
        // The options set in the example's front matter, and those its
        // comment names.
        let (front, _) = EXAMPLE[4..].split_once("---").expect("front matter");
        let (_, options) = front.split_once("markmap:\n").expect("markmap options");
        let names: Vec<&str> = options
            .split([',', '\n', ':'])
            .map(|n| n.trim_matches(|c: char| c == ' ' || c == '#' || c == '.'))
            .filter(|n| n.starts_with(|c: char| c.is_ascii_lowercase()))
            .collect();
        // As many as crates/mindmap/src/options.rs reads: a new option
        // fails here until the guide names it.
        assert_eq!(names.len(), 13, "{names:?}");
        for name in names {
            // Read (a value of the wrong type is an error), not ignored
            // with a warning as an unknown or unsupported option is.
            let source = format!("---\nmarkmap:\n  {name}: x\n---\n# A\n");
            let read = archsim_mindmap::parse(&source);
            assert!(
                read.as_ref().is_err_and(|e| e.line == 3)
                    || read.as_ref().is_ok_and(|m| m.warnings.is_empty()),
                "{name}: {read:?}"
            );
        }
    }
}
