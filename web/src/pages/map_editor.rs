//! The map editor: write markmap markdown, see it drawn as you type, share
//! it as a link.
//!
//! An app of its own (`map/index.html`, started by
//! [`start_editor`](crate::start_editor)): the markdown parser it needs
//! stays out of the playground. The whole map lives in the URL fragment
//! (`map/index.html#<data>`, deflated and base64url-encoded by
//! [`archsim_mindmap::link`]), rewritten on every edit, so the
//! address bar is always the link to share. Mistakes are
//! shown where they are: the line's number in the gutter turns into a
//! marker, the line is tinted, and the message, with its line, is listed
//! under the editor; the map keeps showing the last version that could be
//! read. A link that cannot be decoded says why and opens the site's map
//! instead: it never breaks the page.

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

/// A small map that shows what markmap markdown can do.
const EXAMPLE: &str = "\
---
title: My map
markmap:
  colorFreezeLevel: 2
  maxWidth: 240
---

## Headings and lists

- Headings make branches
- Nested list items
  - make deeper ones
- A fold comment starts a branch folded <!-- markmap: fold -->
  - hidden at first

## Inline markdown

- **Bold**, *italic*, ~~struck~~ and `code`
- [Links](https://markmap.js.org) are drawn as links
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
    let shown = use_mut_ref(|| None::<SharedMap>);
    if let Ok(map) = &*parsed {
        *shown.borrow_mut() = Some(map.clone());
    }
    let shown = shown.borrow().clone();
    let textarea = use_node_ref();
    let copy = use_copy_link();
    let backdrop = use_node_ref();

    let set_text = {
        let text = text.clone();
        Callback::from(move |source: String| {
            address_bar::replace(&format!("#{}", map_link::encode(&source)));
            text.set(source);
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
    let line_count = text.split('\n').count().max(1);
    let invalid = problems.iter().any(|p| p.error);
    html! {
        <>
            <Header />
            <main class="page editor-page" id="main">
                <h1>{ "Draw your own mind-map" }</h1>
                <p class="lede">
                    { "Write markmap markdown — headings, nested lists, front matter options — and see it drawn as you type. The address bar holds your map: the link shares it." }
                </p>
                if let Some(e) = &opened.1 {
                    <div class="problems" role="alert">
                        { format!("This map link could not be read: {e}. Showing archsim's own map instead.") }
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
                                { for (1..=line_count).map(|n| {
                                    let here = problems.iter().find(|p| p.line == n);
                                    html! {
                                        <div class={classes!("code-line", here.map(|p| if p.error { "error" } else { "warning" }))}
                                            title={here.map(|p| p.message.clone())}>
                                            <span class="line-number">{ if here.is_some() { "!".to_owned() } else { n.to_string() } }</span>
                                        </div>
                                    }
                                }) }
                            </div>
                            <textarea ref={textarea.clone()} class="code" value={(*text).clone()}
                                aria-label="Markmap markdown of the map"
                                aria-invalid={invalid.then_some("true")}
                                aria-describedby="map-problems"
                                spellcheck="false" wrap="off" autocapitalize="off"
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
                    </section>
                    <section class="map-pane" aria-label="Your map, drawn">
                        if let Some(map) = shown {
                            <MindMap {map} label="Your mind-map" id="your-map" site={Site::Editor} />
                        } else {
                            <p class="map-placeholder">{ "Your map appears here once it can be read." }</p>
                        }
                    </section>
                </div>
            </main>
        </>
    }
}

/// An error or a warning, and its line.
struct Problem {
    line: usize,
    error: bool,
    message: String,
}
