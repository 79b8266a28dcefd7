//! The mind-map: a markmap-style map you can fold, zoom, search, walk with
//! the keyboard and leave through its leaves.
//!
//! [`MindMap`] takes a parsed [`Mindmap`] and does the rest. The parts, each
//! in its own module:
//!
//! - [`doors`]: which experiments and book section each leaf opens;
//! - [`label`] and [`scene`]: labels wrapped and measured once per map,
//!   then placed by the tidy-tree layout on every fold;
//! - [`markup`]: a node's SVG, shared by the screen and the exported file;
//! - [`view`]: the nodes as an ARIA tree, redrawn only when folds, focus or
//!   search change;
//! - [`viewport`]: zoom and pan as pure arithmetic, applied as one
//!   `transform` so a 1,000-node map pans as smoothly as a small one, and
//!   [`gestures`]: the pointer, wheel and fingers that ask for them;
//! - [`state`] and [`keyboard`]: folds, focus and search as a reducer, and
//!   the WAI-ARIA tree keys;
//! - [`toolbar`], [`door_card`] and [`export`]: the controls around it.

mod door_card;
mod doors;
mod export;
mod gestures;
mod keyboard;
mod label;
mod markup;
mod scene;
mod state;
mod toolbar;
mod view;
mod viewport;

pub(crate) use doors::{Destination, find as find_doors};

use crate::hooks::inline_style::use_inline_style;
use crate::site::Site;
use archsim_mindmap::Mindmap;
use door_card::{Corner, DoorCard};
use doors::Door;
use gestures::use_gestures;
use keyboard::Command;
use label::CanvasMeasure;
use markup::{Purpose, Theme};
use scene::{Density, Scene, Shape};
use state::{Action, MapState};
use std::rc::Rc;
use toolbar::{Tool, Toolbar};
use view::MapScene;
use viewport::{Point, READABLE_SCALE, Rect, Size, ViewAction, Viewport, ZOOM_STEP};
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A parsed map, compared by identity: parsing again makes a new map.
#[derive(Clone, Debug)]
pub(crate) struct SharedMap(pub(crate) Rc<Mindmap>);

impl PartialEq for SharedMap {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Properties of [`MindMap`].
#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    /// The map to draw.
    pub(crate) map: SharedMap,
    /// The tree's accessible name.
    pub(crate) label: AttrValue,
    /// Prefix of the element ids, unique on the page.
    pub(crate) id: AttrValue,
    /// The app it is in, for the doors' links.
    pub(crate) site: Site,
    /// Folds to start from instead of the map's own, one per node (a
    /// link's); read when a map is first drawn.
    #[prop_or_default]
    pub(crate) initial_expanded: Option<Rc<Vec<bool>>>,
    /// Told the folds on every change (not the ones a map starts with).
    #[prop_or_default]
    pub(crate) on_folds: Option<Callback<Rc<Vec<bool>>>>,
}

/// A mind-map with its toolbar. A new map starts afresh: folds, focus,
/// search and view are those of the new map.
#[component]
pub(crate) fn MindMap(props: &Props) -> Html {
    // Keyed by a count of maps seen, not by the map's address: the old map
    // is held here, so the count cannot be fooled by a reused allocation.
    let seen = use_mut_ref(|| (props.map.clone(), 0u32));
    let generation = {
        let mut seen = seen.borrow_mut();
        if seen.0 != props.map {
            *seen = (props.map.clone(), seen.1 + 1);
        }
        seen.1
    };
    html! {
        <MapView key={generation} map={props.map.clone()} label={props.label.clone()} id={props.id.clone()} site={props.site}
            initial_expanded={props.initial_expanded.clone()} on_folds={props.on_folds.clone()} />
    }
}

/// What the view does after the next layout.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Follow {
    /// Nothing: the visitor placed the view.
    Nothing,
    /// The map's first layout: fit it.
    FirstLayout,
    /// Fit the whole map.
    Fit,
    /// Bring this node's shown subtree into view.
    Subtree(usize),
}

/// The view that fits the shown map on a screen of `size`, as the map's
/// options ask.
fn fit(map: &Mindmap, scene: &Scene, size: Size) -> Viewport {
    Viewport::fit(
        scene.bounds,
        size,
        map.options.fit_ratio,
        map.options.max_initial_scale,
    )
}

/// The map of one [`Mindmap`]: state, measures and handlers.
#[component]
fn MapView(props: &Props) -> Html {
    let map = props.map.0.clone();
    // On a phone the map wraps its labels narrower, spaces its rows for
    // fingers, starts readable and opens one branch at a time.
    let phone = *use_memo((), |()| crate::screen::is_phone());
    let density = if phone {
        Density::for_phone(&map.options)
    } else {
        Density::of(&map.options)
    };
    let readable = if phone {
        PHONE_READABLE_SCALE
    } else {
        READABLE_SCALE
    };
    let doors = use_memo((), {
        let map = map.clone();
        move |_| doors::find(&map)
    });
    // Search finds a leaf by its experiments' words too ("stampede").
    let state = use_reducer({
        let (map, doors) = (map.clone(), doors.clone());
        let given = props.initial_expanded.clone();
        move || {
            let words = doors
                .iter()
                .map(|d| d.as_ref().map(Door::words).unwrap_or_default())
                .collect();
            MapState::new(map).found_also_by(words).folded_as(given)
        }
    });
    let shapes = use_memo((), {
        let (map, doors) = (map.clone(), doors.clone());
        move |_| Shape::measure_all(&map, &doors, &CanvasMeasure::new(), density)
    });
    let bodies: Rc<Vec<AttrValue>> = use_memo((), {
        let (map, shapes) = (map.clone(), shapes.clone());
        move |_| {
            map.nodes
                .iter()
                .map(|n| {
                    let size = shapes[n.index].size(map.options.node_min_height);
                    AttrValue::from(markup::node_body(
                        &shapes[n.index],
                        &n.color,
                        n.depth,
                        !n.children.is_empty(),
                        (size.w, size.h),
                        &Theme::LIGHT,
                        Purpose::Screen,
                    ))
                })
                .collect()
        }
    });
    let scene = use_memo(state.expanded.clone(), {
        let (map, shapes) = (map.clone(), shapes.clone());
        move |expanded| Scene::place(&map, &shapes, expanded, density)
    });
    // The page that keeps the folds (the editor, in its link) hears of
    // every change of them, not of the folds the map starts with.
    {
        let (on_folds, started) = (props.on_folds.clone(), use_mut_ref(|| false));
        use_effect_with(state.expanded.clone(), move |expanded| {
            let changed = std::mem::replace(&mut *started.borrow_mut(), true);
            if let (true, Some(on_folds)) = (changed, on_folds) {
                on_folds.emit(expanded.clone());
            }
        });
    }
    let view = use_reducer(Viewport::default);
    let stage_ref = use_node_ref();
    let follow = use_mut_ref(|| Follow::FirstLayout);
    let hovered = use_state(|| None::<usize>);
    let tree_focused = use_state(|| false);
    let card_closed = use_state(|| None::<usize>);
    // A leaf of several experiments, activated: its card stays open as the
    // chooser between them, with the focus on its first choice.
    let chosen = use_state(|| None::<usize>);
    let status = use_state(|| None::<AttrValue>);
    let options = &map.options;

    let screen_size = {
        let stage_ref = stage_ref.clone();
        move || -> Option<Size> {
            let rect = stage_ref
                .cast::<web_sys::Element>()?
                .get_bounding_client_rect();
            (rect.width() > 0.0 && rect.height() > 0.0).then(|| Size {
                width: rect.width(),
                height: rect.height(),
            })
        }
    };
    // After a layout, the view follows: the first layout is fitted (folded
    // to its branches first if all of it would be too small to read, unless
    // the folds were given), an unfolded branch is brought into view,
    // Expand all and Collapse all fit.
    {
        let (follow, screen_size, view) = (follow.clone(), screen_size.clone(), view.dispatcher());
        let (state, map) = (state.clone(), map.clone());
        let given = props.initial_expanded.is_some();
        use_effect_with(scene.clone(), move |scene| {
            let Some(size) = screen_size() else { return };
            let next = std::mem::replace(&mut *follow.borrow_mut(), Follow::Nothing);
            match next {
                Follow::FirstLayout => {
                    let fitted = fit(&map, scene, size);
                    let folded = state.apply(Action::CollapseAll);
                    if fitted.scale < readable
                        && map.options.initial_expand_level.is_none()
                        && !given
                        && folded.expanded != state.expanded
                    {
                        *follow.borrow_mut() = Follow::Fit;
                        state.dispatch(Action::CollapseAll);
                    } else {
                        view.dispatch(ViewAction::Set(fitted));
                    }
                }
                // Never fitted smaller than readable: a phone starts at the
                // root, at a size it can read, and pans to the rest.
                Follow::Fit => {
                    let fitted = fit(&map, scene, size);
                    view.dispatch(ViewAction::Set(if fitted.scale < readable && phone {
                        Viewport::from_left(scene.bounds, size, readable)
                    } else {
                        fitted
                    }));
                }
                // What a branch opened: on a phone, what is under it, which
                // is as much as a phone's width holds at a readable size.
                Follow::Subtree(i) => {
                    let shown = map
                        .subtree(i)
                        .filter(|&j| scene.nodes[j].shown && !(phone && j == i));
                    if let Some(target) = Rect::union(shown.map(|j| scene.nodes[j].rect)) {
                        view.dispatch(ViewAction::Show {
                            target,
                            view: size,
                            readable,
                        });
                    }
                }
                Follow::Nothing => {}
            }
        });
    }
    // A change of folds; one that opens a branch brings it into view. On a
    // phone a branch opens alone: the others fold, so what is shown fits.
    let fold = {
        let (state, follow, map) = (state.clone(), follow.clone(), map.clone());
        move |action: Action| {
            let action = match action {
                Action::Toggle(i) if phone && map.nodes[i].depth == 2 => Action::ToggleAlone(i),
                other => other,
            };
            if let Action::Toggle(i)
            | Action::ToggleAlone(i)
            | Action::ToggleSubtree(i)
            | Action::Expand(i) = action
                && !state.expanded[i]
            {
                *follow.borrow_mut() = Follow::Subtree(i);
            }
            state.dispatch(action);
        }
    };
    let reveal = {
        let (screen_size, view) = (screen_size.clone(), view.dispatcher());
        move |scene: &Scene, i: usize| {
            if let (Some(view_size), Some(placed)) = (screen_size(), scene.nodes.get(i)) {
                view.dispatch(ViewAction::Reveal {
                    target: placed.rect,
                    view: view_size,
                });
            }
        }
    };
    // Keep the DOM focus on the focused node while the tree has it (after a
    // key moved it, or a fold hid the node that had it).
    {
        let (stage_ref, focused) = (stage_ref.clone(), *tree_focused);
        use_effect_with(state.focus, move |&focus| {
            if focused {
                focus_node(&stage_ref, focus);
            }
        });
    }
    // Open leaf `i`'s door: its experiment, or its book section when the
    // click was on the book badge; a leaf of several experiments opens the
    // chooser instead, as a tap or a key could reach no other way.
    let open = {
        let (doors, site, chosen, card_closed) = (
            doors.clone(),
            props.site,
            chosen.clone(),
            card_closed.clone(),
        );
        move |i: usize, to_book: bool| {
            let href = match doors[i].as_ref() {
                Some(door) if to_book => site.page(&door.reading()),
                Some(door) if door.presets.len() > 1 => {
                    card_closed.set(None);
                    chosen.set(Some(i));
                    return;
                }
                Some(door) => match door.destination() {
                    Destination::Experiment(pattern, id) => site.experiment(pattern, id),
                    Destination::Book(path) => site.page(&path),
                },
                None => return,
            };
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_href(&href);
            }
        }
    };

    let on_tool = {
        let (state, view, scene, shapes) = (
            state.clone(),
            view.dispatcher(),
            scene.clone(),
            shapes.clone(),
        );
        let (screen_size, status, follow) = (screen_size.clone(), status.clone(), follow.clone());
        let map = map.clone();
        Callback::from(move |tool: Tool| {
            let zoom = |factor: f64| {
                if let Some(size) = screen_size() {
                    let middle = Point {
                        x: size.width / 2.0,
                        y: size.height / 2.0,
                    };
                    view.dispatch(ViewAction::Zoom { factor, at: middle });
                }
            };
            match tool {
                Tool::ZoomIn => zoom(ZOOM_STEP),
                Tool::ZoomOut => zoom(1.0 / ZOOM_STEP),
                Tool::Fit => {
                    if let Some(size) = screen_size() {
                        view.dispatch(ViewAction::Set(fit(&map, &scene, size)));
                    }
                }
                Tool::ExpandAll | Tool::CollapseAll => {
                    *follow.borrow_mut() = Follow::Fit;
                    state.dispatch(if tool == Tool::ExpandAll {
                        Action::ExpandAll
                    } else {
                        Action::CollapseAll
                    });
                }
                Tool::ExportSvg | Tool::ExportPng => {
                    let theme = if prefers_dark() {
                        Theme::DARK
                    } else {
                        Theme::LIGHT
                    };
                    let (svg, w, h) = export::svg_document(&state, &shapes, &scene, &theme);
                    let stem = export::file_stem(&state);
                    let status = status.clone();
                    let report = move |saved: Result<String, wasm_bindgen::JsValue>| {
                        status.set(Some(match saved {
                            Ok(name) => format!("Saved {name}").into(),
                            Err(e) => format!(
                                "Could not export: {}",
                                e.as_string().unwrap_or_else(|| format!("{e:?}"))
                            )
                            .into(),
                        }));
                    };
                    if tool == Tool::ExportSvg {
                        report(export::save_svg(&stem, &svg));
                    } else {
                        wasm_bindgen_futures::spawn_local(async move {
                            report(export::save_png(&stem, &svg, w, h).await);
                        });
                    }
                }
            }
        })
    };
    let on_search = {
        let state = state.dispatcher();
        Callback::from(move |q: String| state.dispatch(Action::Search(q)))
    };
    let on_next_match = {
        let (state, scene, reveal) = (state.clone(), scene.clone(), reveal.clone());
        Callback::from(move |()| {
            let n = state.map.len();
            let next = (1..=n)
                .map(|k| (state.focus + k) % n)
                .find(|&i| state.matches[i]);
            if let Some(i) = next {
                state.dispatch(Action::Focus(i));
                reveal(&scene, i);
            }
        })
    };

    // Pointer: drag to pan, two fingers to pinch, wheel and double-click
    // to zoom (gestures.rs); click a node to fold or open it. Listeners sit
    // on the stage, not on each node.
    let gestures = use_gestures(
        stage_ref.clone(),
        view.dispatcher(),
        options.pan,
        options.zoom,
    );
    let onclick = {
        let (state, open, fold, chosen) =
            (state.clone(), open.clone(), fold.clone(), chosen.clone());
        let (doors, was_drag) = (doors.clone(), gestures.was_drag.clone());
        move |e: MouseEvent| {
            if was_drag() || within(e.target(), ".door-card") {
                return;
            }
            let Some(i) = node_of(e.target()) else {
                // A click on the open map puts the chooser away.
                chosen.set(None);
                return;
            };
            state.dispatch(Action::Focus(i));
            if doors[i].is_some() {
                open(i, within(e.target(), ".badge.book"));
            } else if e.ctrl_key() || e.meta_key() {
                fold(Action::ToggleSubtree(i));
            } else {
                fold(Action::Toggle(i));
            }
        }
    };
    let onpointerover = {
        let (hovered, card_closed) = (hovered.clone(), card_closed.clone());
        move |e: PointerEvent| {
            // On its way to the card's links, the pointer keeps the card.
            if within(e.target(), ".door-card") {
                return;
            }
            let node = node_of(e.target());
            if node.is_some() && node != *card_closed {
                card_closed.set(None);
            }
            hovered.set(node);
        }
    };
    let onfocusin = {
        let (state, tree_focused) = (state.dispatcher(), tree_focused.clone());
        move |e: FocusEvent| {
            if let Some(i) = node_of(e.target()) {
                state.dispatch(Action::Focus(i));
                tree_focused.set(true);
            }
        }
    };
    let onfocusout = {
        let (tree_focused, stage_ref) = (tree_focused.clone(), stage_ref.clone());
        move |e: FocusEvent| {
            // A node that hides drops the focus (no related target): the
            // tree still has it, and the effect above moves it up.
            let leaving = e.related_target().is_some_and(|t| {
                let inside = stage_ref
                    .get()
                    .zip(t.dyn_ref::<web_sys::Node>().cloned())
                    .is_some_and(|(svg, t)| svg.contains(Some(&t)));
                !inside
            });
            if leaving {
                tree_focused.set(false);
            }
        }
    };
    let onkeydown = {
        let (state, scene, doors) = (state.clone(), scene.clone(), doors.clone());
        let (on_tool, open, reveal, fold) =
            (on_tool.clone(), open.clone(), reveal.clone(), fold.clone());
        let view = view.dispatcher();
        move |e: KeyboardEvent| {
            if node_of(e.target()).is_none() || e.alt_key() || e.ctrl_key() || e.meta_key() {
                return;
            }
            let Some(command) = keyboard::command(&state, &e.key(), &|i| doors[i].is_some()) else {
                if e.key() == " " {
                    e.prevent_default(); // never scroll the page from the tree
                }
                return;
            };
            e.prevent_default();
            match command {
                Command::Focus(i) => {
                    state.dispatch(Action::Focus(i));
                    reveal(&scene, i);
                }
                Command::Fold(action) => fold(action),
                Command::Open(i) => open(i, false),
                // Zoom about the focused node, which stays where it is.
                Command::ZoomIn | Command::ZoomOut => {
                    let r = scene.nodes[state.focus].rect;
                    view.dispatch(ViewAction::ZoomAround {
                        factor: if command == Command::ZoomIn {
                            ZOOM_STEP
                        } else {
                            1.0 / ZOOM_STEP
                        },
                        point: Point {
                            x: r.x + r.width / 2.0,
                            y: r.y + r.height / 2.0,
                        },
                    });
                }
                Command::Fit => on_tool.emit(Tool::Fit),
            }
        }
    };

    // The card: the chooser, else the hovered leaf, else the focused one
    // while the tree has the focus; unless its card was closed.
    let card = (*chosen)
        .or((*hovered).filter(|&i| doors[i].is_some()))
        .or_else(|| (*tree_focused).then_some(state.focus))
        .filter(|&i| doors[i].is_some() && Some(i) != *card_closed);
    // Closing the chooser gives the focus back to its leaf.
    let on_close = {
        let (card_closed, chosen, stage_ref) =
            (card_closed.clone(), chosen.clone(), stage_ref.clone());
        let was_chosen = chosen.is_some();
        Callback::from(move |()| {
            card_closed.set(card);
            chosen.set(None);
            if let (true, Some(i)) = (was_chosen, card) {
                focus_node(&stage_ref, i);
            }
        })
    };
    let label = props.label.clone();
    let bounds = scene.bounds;
    let (plane_ref, canvas_ref) = (use_node_ref(), use_node_ref());
    use_inline_style(
        stage_ref.clone(),
        vec![("--map-duration", format!("{}ms", options.duration.max(0.0)))],
    );
    use_inline_style(plane_ref.clone(), vec![("transform", view.transform())]);
    use_inline_style(
        canvas_ref.clone(),
        vec![
            ("left", format!("{:.1}px", bounds.x)),
            ("top", format!("{:.1}px", bounds.y)),
        ],
    );
    html! {
        <div class="mindmap">
            <Toolbar on_tool={on_tool}
                query={AttrValue::from(state.query.clone())}
                on_search={on_search}
                on_next_match={on_next_match}
                matches={state.match_count()}
                status={(*status).clone()}
                id={props.id.clone()} />
            <div ref={stage_ref} class={classes!("map-stage", phone.then_some("phone"))}
                {onkeydown} onpointerdown={gestures.onpointerdown} onpointermove={gestures.onpointermove}
                onpointerup={gestures.onpointerup.clone()} onpointercancel={gestures.onpointerup}
                {onclick} ondblclick={gestures.ondblclick} onwheel={gestures.onwheel} {onpointerover}
                onpointerleave={{ let hovered = hovered.clone(); move |_| hovered.set(None) }}
                {onfocusin} {onfocusout}>
                <div ref={plane_ref} class={classes!("map-plane", gestures.moving.then_some("moving"))}>
                    // No role of its own: the tree inside is what a screen
                    // reader meets, not an image.
                    <svg ref={canvas_ref} class="map-canvas" role="none"
                        viewBox={format!("{:.1} {:.1} {:.1} {:.1}", bounds.x, bounds.y, bounds.width, bounds.height)}
                        width={format!("{:.1}", bounds.width)} height={format!("{:.1}", bounds.height)}>
                        <MapScene map={state.map.clone()} expanded={state.expanded.clone()}
                            matches={state.matches.clone()} focus={state.focus} scene={scene.clone()}
                            bodies={bodies.clone()} doors={doors.clone()} id={props.id.clone()} {label} />
                    </svg>
                </div>
                if doors.iter().any(Option::is_some) {
                    <Legend />
                }
                if let Some(i) = card {
                    <DoorCard leaf={AttrValue::from(map.plain_text(i))}
                        door={doors[i].clone().expect("a card is for a door")} {on_close} site={props.site}
                        chooser={*chosen == Some(i)}
                        corner={card_corner(*view, &scene.nodes[i].rect, screen_size())} />
                }
            </div>
        </div>
    }
}

/// What the badges mean, in a corner of the map.
#[component]
fn Legend() -> Html {
    let badge = |class: &'static str, glyph: &'static str| {
        html! {
            <svg class={classes!("badge-icon", class)} viewBox="0 0 18 18" aria-hidden="true" focusable="false">
                <circle cx="9" cy="9" r="9" /><path d={glyph} />
            </svg>
        }
    };
    html! {
        <p class="map-legend">
            { badge("run", markup::PLAY) }{ " runs the experiment " }
            { badge("book", markup::BOOK) }{ " reads it in the book" }
        </p>
    }
}

/// Whether an event happened inside an element matching `selector` (a
/// leaf's book badge, the door card).
fn within(target: Option<web_sys::EventTarget>, selector: &str) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest(selector).ok().flatten())
        .is_some()
}

/// The corner of the stage farthest from node `rect`, for its card: the
/// card never hides the node it is about.
fn card_corner(view: Viewport, rect: &Rect, stage: Option<Size>) -> Corner {
    let centre = view.to_screen(Point {
        x: rect.x + rect.width / 2.0,
        y: rect.y + rect.height / 2.0,
    });
    let stage = stage.unwrap_or(Size {
        width: 0.0,
        height: 0.0,
    });
    Corner {
        top: centre.y > stage.height / 2.0,
        left: centre.x > stage.width / 2.0,
    }
}

/// The node an event happened on: the `data-node` of the nearest group.
fn node_of(target: Option<web_sys::EventTarget>) -> Option<usize> {
    let element = target?.dyn_into::<web_sys::Element>().ok()?;
    element
        .closest("[data-node]")
        .ok()??
        .get_attribute("data-node")?
        .parse()
        .ok()
}

/// Give the DOM focus to node `i` of the map in `svg`.
fn focus_node(svg: &NodeRef, i: usize) {
    let node = svg
        .cast::<web_sys::Element>()
        .and_then(|s| {
            s.query_selector(&format!("[data-node=\"{i}\"]"))
                .ok()
                .flatten()
        })
        .and_then(|n| n.dyn_into::<web_sys::SvgElement>().ok());
    if let Some(node) = node {
        let _ = node.focus();
    }
}

/// The smallest scale a phone shows the map at: a leaf's 14 px text at
/// 12 px.
const PHONE_READABLE_SCALE: f64 = 12.0 / 14.0;

/// Whether the visitor's system is in dark mode.
fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}
