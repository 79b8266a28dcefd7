//! `use_animation_frame`: a callback on every display frame while active,
//! told how many wall-clock milliseconds passed since the previous one.

use gloo_render::{AnimationFrame, request_animation_frame};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The longest frame counted: a tab coming back from the background should
/// not leap forward.
const MAX_FRAME_MS: f64 = 100.0;

#[derive(Default)]
struct Frames {
    /// The request for the next frame.
    next: Option<AnimationFrame>,
    /// The request whose callback is running: dropped only once it is done.
    running: Option<AnimationFrame>,
    last: Option<f64>,
    stopped: bool,
}

fn schedule(frames: &Rc<RefCell<Frames>>, on_frame: &Rc<RefCell<Callback<f64>>>) {
    let (frames_in, on_frame_in) = (frames.clone(), on_frame.clone());
    let handle = request_animation_frame(move |ts| {
        let dt = {
            let mut f = frames_in.borrow_mut();
            if f.stopped {
                return;
            }
            let dt = f
                .last
                .map_or(0.0, |last| (ts - last).clamp(0.0, MAX_FRAME_MS));
            f.last = Some(ts);
            f.running = f.next.take();
            dt
        };
        on_frame_in.borrow().emit(dt);
        if !frames_in.borrow().stopped {
            schedule(&frames_in, &on_frame_in);
        }
    });
    frames.borrow_mut().next = Some(handle);
}

/// Call `on_frame(elapsed_ms)` once per animation frame while `active`.
/// The latest `on_frame` is always the one called.
#[hook]
pub(crate) fn use_animation_frame(active: bool, on_frame: Callback<f64>) {
    let latest = use_mut_ref(|| on_frame.clone());
    *latest.borrow_mut() = on_frame;
    use_effect_with(active, move |&active| {
        let frames = Rc::new(RefCell::new(Frames::default()));
        if active {
            schedule(&frames, &latest);
        }
        move || {
            // Stop, and break the cycle between the frames and their callback.
            let mut f = frames.borrow_mut();
            f.stopped = true;
            f.next = None;
        }
    });
}
