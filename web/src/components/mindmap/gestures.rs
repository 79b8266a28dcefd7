//! The pointer on the map's stage: drag to pan, two fingers to pinch, the
//! wheel and a double-click to zoom.
//!
//! Each gesture becomes a relative [`ViewAction`], so events that arrive
//! between two renders each build on the last. A pointer only becomes a
//! drag once it has moved a few pixels: until then it is a click, which
//! the map handles (a click that ends a drag is swallowed). While a
//! gesture runs, the map is marked `moving`, which makes it a layer the
//! compositor moves on its own; once the gesture has settled, the layer
//! goes and the map is drawn sharp at its new scale.

use super::viewport::{DOUBLE_CLICK_STEP, Point, ViewAction, Viewport, wheel_factor};
use super::{node_of, within};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// A pointer that moves less than this (in pixels) is clicking.
const DRAG_THRESHOLD: f64 = 4.0;
/// A gesture has ended when no event came for this long (milliseconds).
const SETTLE_MS: u32 = 200;

/// What the pointers are doing.
#[derive(Default)]
struct Pointers {
    /// Pointers down, by id, at their last position.
    down: Vec<(i32, Point)>,
    /// Where the first pointer went down.
    start: Option<Point>,
    /// They moved far enough to be a drag, not a click.
    dragged: bool,
}

/// The stage's listeners, and what they tell the map.
pub(crate) struct Gestures {
    /// For `pointerdown`.
    pub(crate) onpointerdown: Callback<PointerEvent>,
    /// For `pointermove`.
    pub(crate) onpointermove: Callback<PointerEvent>,
    /// For `pointerup` and `pointercancel`.
    pub(crate) onpointerup: Callback<PointerEvent>,
    /// For `wheel`.
    pub(crate) onwheel: Callback<WheelEvent>,
    /// For `dblclick`.
    pub(crate) ondblclick: Callback<MouseEvent>,
    /// A gesture is under way.
    pub(crate) moving: bool,
    /// Whether the click being handled ends a drag (and so is no click);
    /// asking answers once.
    pub(crate) was_drag: Rc<dyn Fn() -> bool>,
}

/// Listeners for the map's `stage`, steering `view`; `pan` and `zoom` are
/// the map's options (a map may forbid either).
#[hook]
pub(crate) fn use_gestures(
    stage: NodeRef,
    view: UseReducerDispatcher<Viewport>,
    pan: bool,
    zoom: bool,
) -> Gestures {
    let pointers = use_mut_ref(Pointers::default);
    // Set when a drag ends, read by the click that follows it; a new
    // gesture clears it (a drag released off the stage makes no click).
    let drag_ended = use_memo((), |_| Cell::new(false));
    let moving = use_state(|| false);
    let settle = use_mut_ref(|| None::<gloo_timers::callback::Timeout>);
    let keep_moving = {
        let (moving, settle) = (moving.clone(), settle.clone());
        move || {
            if !*moving {
                moving.set(true);
            }
            let moving = moving.clone();
            *settle.borrow_mut() =
                Some(gloo_timers::callback::Timeout::new(SETTLE_MS, move || {
                    moving.set(false)
                }));
        }
    };
    // Where an event is, in the stage's pixels.
    let at = {
        let stage = stage.clone();
        move |e: &MouseEvent| -> Point {
            let origin = stage
                .cast::<web_sys::Element>()
                .map(|s| s.get_bounding_client_rect());
            Point {
                x: f64::from(e.client_x()) - origin.as_ref().map_or(0.0, |r| r.left()),
                y: f64::from(e.client_y()) - origin.as_ref().map_or(0.0, |r| r.top()),
            }
        }
    };
    let onpointerdown = {
        let (pointers, at, drag_ended) = (pointers.clone(), at.clone(), drag_ended.clone());
        Callback::from(move |e: PointerEvent| {
            if within(e.target(), ".door-card") || (e.pointer_type() == "mouse" && e.button() != 0)
            {
                return;
            }
            let p = at(&e);
            let mut g = pointers.borrow_mut();
            if g.down.is_empty() {
                *g = Pointers {
                    start: Some(p),
                    ..Pointers::default()
                };
                drag_ended.set(false);
            }
            g.down.push((e.pointer_id(), p));
        })
    };
    let onpointermove = {
        let (pointers, at, view) = (pointers.clone(), at.clone(), view.clone());
        let keep_moving = keep_moving.clone();
        Callback::from(move |e: PointerEvent| {
            let mut g = pointers.borrow_mut();
            let Some(k) = g.down.iter().position(|(id, _)| *id == e.pointer_id()) else {
                return;
            };
            let p = at(&e);
            let before = g.down[k].1;
            if !g.dragged {
                let start = g.start.unwrap_or(p);
                if (p.x - start.x).hypot(p.y - start.y) < DRAG_THRESHOLD {
                    return;
                }
                g.dragged = true;
                // Captured only once it is a drag: a click keeps its target.
                // (Yew listens at the document: the event's current target
                // is not the stage.)
                if let Some(stage) = stage.cast::<web_sys::Element>() {
                    let _ = stage.set_pointer_capture(e.pointer_id());
                }
            }
            keep_moving();
            match g.down.as_slice() {
                [_] if pan => view.dispatch(ViewAction::Pan {
                    dx: p.x - before.x,
                    dy: p.y - before.y,
                }),
                [(_, a), (_, b)] if zoom => {
                    let other = if k == 0 { *b } else { *a };
                    view.dispatch(ViewAction::Pinch {
                        before: (before, other),
                        after: (p, other),
                    });
                }
                _ => {}
            }
            g.down[k].1 = p;
        })
    };
    let onpointerup = {
        let (pointers, drag_ended) = (pointers.clone(), drag_ended.clone());
        Callback::from(move |e: PointerEvent| {
            let mut g = pointers.borrow_mut();
            g.down.retain(|(id, _)| *id != e.pointer_id());
            if g.down.is_empty() && g.dragged {
                drag_ended.set(true);
            }
        })
    };
    let ondblclick = {
        let (view, at) = (view.clone(), at.clone());
        Callback::from(move |e: MouseEvent| {
            if !zoom || node_of(e.target()).is_some() {
                return;
            }
            let factor = if e.shift_key() {
                1.0 / DOUBLE_CLICK_STEP
            } else {
                DOUBLE_CLICK_STEP
            };
            view.dispatch(ViewAction::Zoom { factor, at: at(&e) });
        })
    };
    let onwheel = Callback::from(move |e: WheelEvent| {
        if !zoom {
            return;
        }
        e.prevent_default();
        keep_moving();
        let factor = wheel_factor(e.delta_y(), e.delta_mode(), e.ctrl_key());
        view.dispatch(ViewAction::Zoom { factor, at: at(&e) });
    });
    Gestures {
        onpointerdown,
        onpointermove,
        onpointerup,
        onwheel,
        ondblclick,
        moving: *moving,
        was_drag: Rc::new(move || drag_ended.replace(false)),
    }
}
