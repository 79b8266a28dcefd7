//! The map's toolbar: zoom, fit, fold everything, search, export.
//!
//! Buttons carry an icon and a name (visible where there is room, always
//! the accessible name); the search box reports its count of matches in a
//! polite live region, and so do exports. What each button does is the
//! map's business: the toolbar only says which [`Tool`] was chosen.

use yew::prelude::*;

/// A toolbar button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tool {
    /// Zoom in one step.
    ZoomIn,
    /// Zoom out one step.
    ZoomOut,
    /// Fit the whole map on screen.
    Fit,
    /// Unfold everything.
    ExpandAll,
    /// Fold everything to the top-level branches.
    CollapseAll,
    /// Download the map as SVG.
    ExportSvg,
    /// Download the map as PNG.
    ExportPng,
}

impl Tool {
    /// The button's name, and the tooltip that names its key if it has one.
    fn name(self) -> (&'static str, &'static str) {
        match self {
            Tool::ZoomIn => ("Zoom in", "Zoom in (+)"),
            Tool::ZoomOut => ("Zoom out", "Zoom out (−)"),
            Tool::Fit => ("Fit", "Fit the map to the screen (0)"),
            Tool::ExpandAll => ("Expand all", "Unfold every branch"),
            Tool::CollapseAll => ("Collapse all", "Fold to the top-level branches"),
            Tool::ExportSvg => ("SVG", "Download the map as an SVG file"),
            Tool::ExportPng => ("PNG", "Download the map as a PNG image"),
        }
    }

    /// A 20 × 20 stroke icon.
    fn icon(self) -> &'static str {
        match self {
            Tool::ZoomIn => "M5 10h10M10 5v10",
            Tool::ZoomOut => "M5 10h10",
            Tool::Fit => "M3 7V3h4M13 3h4v4M17 13v4h-4M7 17H3v-4",
            Tool::ExpandAll => "M4 4h5M4 10h5M4 16h5M12 7l3 3-3 3",
            Tool::CollapseAll => "M4 4h5M4 10h5M4 16h5M15 7l-3 3 3 3",
            Tool::ExportSvg | Tool::ExportPng => "M10 3v10M6 9l4 4 4-4M4 17h12",
        }
    }
}

/// Properties of [`Toolbar`].
#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    /// A button was pressed.
    pub(crate) on_tool: Callback<Tool>,
    /// The search box's text.
    pub(crate) query: AttrValue,
    /// The search box changed.
    pub(crate) on_search: Callback<String>,
    /// Enter in the search box: go to the next match.
    pub(crate) on_next_match: Callback<()>,
    /// How many nodes match.
    pub(crate) matches: usize,
    /// The outcome of the last export, if any.
    pub(crate) status: Option<AttrValue>,
    /// Prefix of element ids.
    pub(crate) id: AttrValue,
}

/// The toolbar.
#[component]
pub(crate) fn Toolbar(props: &Props) -> Html {
    let button = |tool: Tool, class: &'static str| {
        let (name, tip) = tool.name();
        let on_tool = props.on_tool.clone();
        html! {
            <button type="button" class={classes!("tool", class)} title={tip}
                onclick={move |_| on_tool.emit(tool)}>
                <svg class="icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
                    <path d={tool.icon()} />
                </svg>
                <span class="tool-name">{ name }</span>
            </button>
        }
    };
    let oninput = {
        let on_search = props.on_search.clone();
        move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            on_search.emit(input.value());
        }
    };
    let onkeydown = {
        let (on_search, on_next) = (props.on_search.clone(), props.on_next_match.clone());
        move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                on_next.emit(());
            }
            "Escape" => on_search.emit(String::new()),
            _ => {}
        }
    };
    let search_id = format!("{}-search", props.id);
    let found = match (props.query.trim().is_empty(), props.matches) {
        (true, _) => String::new(),
        (false, 0) => "no match".to_owned(),
        (false, 1) => "1 match".to_owned(),
        (false, n) => format!("{n} matches"),
    };
    html! {
        <div class="map-toolbar" role="toolbar" aria-label="Mind-map tools">
            <div class="tool-group" role="group" aria-label="Zoom">
                { button(Tool::ZoomOut, "icon-only") }
                { button(Tool::ZoomIn, "icon-only") }
                { button(Tool::Fit, "") }
            </div>
            <div class="tool-group" role="group" aria-label="Folds">
                { button(Tool::ExpandAll, "") }
                { button(Tool::CollapseAll, "") }
            </div>
            <div class="tool-group search" role="search">
                <label class="visually-hidden" for={search_id.clone()}>{ "Search the map" }</label>
                <input id={search_id} type="search" placeholder="Search the map"
                    value={props.query.clone()} {oninput} {onkeydown}
                    autocomplete="off" spellcheck="false" />
                <span class="found" role="status">{ found }</span>
            </div>
            <div class="tool-group" role="group" aria-label="Download">
                { button(Tool::ExportSvg, "keep-name") }
                { button(Tool::ExportPng, "keep-name") }
                <span class="export-status" role="status">{ props.status.clone() }</span>
            </div>
        </div>
    }
}
