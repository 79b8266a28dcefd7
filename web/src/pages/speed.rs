//! How fast this browser simulates: every pattern's model, at its default
//! parameters, run here to the end and timed on the wall clock. A load of
//! its own (`speed/`), the one page that carries every model.
//!
//! The runs advance in slices between animation frames, so the page stays
//! responsive while it measures. Like the native benchmark
//! (`crates/patterns/benches/models.rs`), each pattern runs [`REPEATS`]
//! times and the fastest counts: the first run also pays for the engine
//! compiling the hot code, which no later frame of a page pays again.
//! `cargo xtask bench` opens this page in headless Chromium and prints the
//! table, beside the native figures.

use crate::app::Header;
use crate::components::chart::format_value;
use crate::hooks::animation_frame::use_animation_frame;
use archsim_patterns::{Experiment, LiveRun, Pattern};

/// A registered pattern.
type PatternRef = &'static Pattern;
use yew::prelude::*;

/// Wall milliseconds of simulation per frame: most of a 60 Hz frame,
/// leaving time to paint the progress.
const SLICE_MS: f64 = 12.0;
/// Events between clock readings: reading the clock costs more than an event.
const EVENTS_PER_CHECK: u64 = 2_000;
/// Timed runs of each pattern; the fastest one is reported, as natively.
const REPEATS: usize = 5;

/// One pattern's measured speed.
#[derive(Clone, PartialEq)]
struct Measurement {
    pattern: PatternRef,
    requests: u64,
    events: u64,
    seconds: f64,
}

/// A measurement under way.
struct Running {
    pattern: PatternRef,
    run: LiveRun,
    /// Wall time of this run so far.
    seconds: f64,
    /// Runs of this pattern finished before this one.
    finished: usize,
    /// The fastest of them, seconds.
    best: f64,
}

/// Where the page is.
#[derive(Default)]
struct Bench {
    done: Vec<Measurement>,
    current: Option<Running>,
    /// Patterns still to measure, in order.
    queue: Vec<PatternRef>,
    error: Option<String>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl Bench {
    fn start(&mut self) {
        *self = Bench {
            queue: archsim_patterns::all().iter().rev().copied().collect(),
            ..Bench::default()
        };
    }

    fn busy(&self) -> bool {
        self.current.is_some() || !self.queue.is_empty()
    }

    /// Stop measuring, saying why.
    fn fail(&mut self, message: String) {
        self.error = Some(message);
        self.current = None;
        self.queue.clear();
    }

    /// Simulate for about `SLICE_MS` of wall time.
    fn slice(&mut self) {
        if self.current.is_none() {
            let Some(pattern) = self.queue.pop() else {
                return;
            };
            match start(pattern) {
                Ok(run) => {
                    self.current = Some(Running {
                        pattern,
                        run,
                        seconds: 0.0,
                        finished: 0,
                        best: f64::INFINITY,
                    })
                }
                Err(e) => return self.fail(format!("{pattern}: {e}")),
            }
        }
        let Some(current) = &mut self.current else {
            return;
        };
        let started = now_ms();
        let end = current.run.end();
        let mut over = false;
        while !over && now_ms() - started < SLICE_MS {
            over = current.run.run_toward(end, EVENTS_PER_CHECK);
        }
        current.seconds += (now_ms() - started) / 1000.0;
        if !over {
            return;
        }
        current.finished += 1;
        current.best = current.best.min(current.seconds);
        if current.finished < REPEATS {
            match start(current.pattern) {
                Ok(run) => {
                    current.run = run;
                    current.seconds = 0.0;
                }
                Err(e) => {
                    let message = format!("{}: {e}", current.pattern);
                    self.fail(message);
                }
            }
            return;
        }
        let Running {
            pattern, run, best, ..
        } = self.current.take().expect("just measured");
        self.done.push(Measurement {
            pattern,
            requests: run.requests(),
            events: run.events_handled(),
            seconds: best,
        });
    }
}

/// A new run of `pattern` at its defaults.
fn start(pattern: PatternRef) -> Result<LiveRun, String> {
    Experiment::resolve_in(&[pattern], pattern.id())
        .map_err(|e| e.to_string())
        .and_then(|e| e.start().map_err(|e| e.to_string()))
}

/// The page.
#[component]
pub(crate) fn Speed() -> Html {
    let bench = use_mut_ref(Bench::default);
    let frame = use_force_update();
    let busy = bench.borrow().busy();
    let on_frame = {
        let (bench, frame) = (bench.clone(), frame.clone());
        Callback::from(move |_dt: f64| {
            bench.borrow_mut().slice();
            frame.force_update();
        })
    };
    use_animation_frame(busy, on_frame);
    let on_start = {
        let (bench, frame) = (bench.clone(), frame.clone());
        Callback::from(move |_| {
            bench.borrow_mut().start();
            frame.force_update();
        })
    };
    let b = bench.borrow();
    let status = match (&b.error, &b.current) {
        (Some(e), _) => format!("Stopped: {e}"),
        (None, Some(c)) => format!(
            "Measuring {}: run {} of {REPEATS}, {:.0}% done…",
            c.pattern.title(),
            c.finished + 1,
            100.0 * c.run.now().as_secs_f64() / c.run.end().as_secs_f64()
        ),
        (None, None) if b.busy() => "Starting…".to_owned(),
        (None, None) if b.done.is_empty() => String::new(),
        (None, None) => match b.done.len() {
            1 => "Done: 1 pattern measured.".to_owned(),
            n => format!("Done: {n} patterns measured."),
        },
    };
    html! {
        <>
            <Header />
            <main class="page" id="main">
                <h1>{ "How fast does this browser simulate?" }</h1>
                <p class="lede">{ "Each pattern runs at its default parameters, here in your browser, to the end of its simulated time, five times; the fastest run counts, as in the native benchmark. The figures are simulated requests and events per second of your wall-clock time." }</p>
                <button class="primary" onclick={on_start} disabled={busy}>{ if b.done.is_empty() { "Measure" } else { "Measure again" } }</button>
                <p class="speed-status" role="status">{ status }</p>
                if !b.done.is_empty() {
                    <table class="speed">
                        <thead><tr>
                            <th scope="col">{ "Pattern" }</th>
                            <th scope="col">{ "Requests" }</th>
                            <th scope="col">{ "Events" }</th>
                            <th scope="col">{ "Wall time (s)" }</th>
                            <th scope="col">{ "Requests/s" }</th>
                            <th scope="col">{ "Events/s" }</th>
                        </tr></thead>
                        <tbody>
                            { for b.done.iter().map(|m| html! {
                                <tr data-pattern={m.pattern.id()}>
                                    <th scope="row">{ m.pattern.title() }</th>
                                    <td>{ m.requests }</td>
                                    <td>{ m.events }</td>
                                    <td>{ format_value(m.seconds) }</td>
                                    <td class="requests-per-sec">{ format!("{:.0}", m.requests as f64 / m.seconds) }</td>
                                    <td>{ format!("{:.0}", m.events as f64 / m.seconds) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
            </main>
        </>
    }
}
