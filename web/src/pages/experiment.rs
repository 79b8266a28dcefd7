//! The experiment page (and, without the chrome, the embeddable widget).
//!
//! The page owns wall-clock time: each animation frame it asks the
//! simulations for `speed × elapsed` more simulated time, within an event
//! budget so that no frame blocks the page. Everything that defines the run
//! — parameters, seed, variants, faults a person injected — lives in the URL,
//! so reloading or sharing the link replays it exactly.

use crate::address_bar::{self, use_arrived_link};
use crate::app::{Header, Registered, use_site};
use crate::components::chart::{Chart, format_value};
use crate::components::controls::Controls;
use crate::components::copy_link::{self, use_copy_link};
use crate::components::diagram::{Frame, legend};
use crate::components::sweep_panel::{self, SweepPanel};
use crate::hooks::animation_frame::use_animation_frame;
use crate::live::Live;
use crate::pages::not_found::NotFound;
use crate::route::{Route, use_location};
use archsim_core::SimTime;
use archsim_patterns::{Dashboard, Moment, Shared, Stat, Trace};
use std::cell::Cell;
use std::rc::Rc;
use yew::prelude::*;

/// Events one frame may handle across all variants: a few milliseconds of
/// work even on a slow phone.
const FRAME_BUDGET: u64 = 40_000;
/// Charts and tables refresh this often while playing (wall milliseconds).
const CHART_REFRESH_MS: f64 = 250.0;
/// Speeds on offer.
const SPEEDS: [f64; 9] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 100.0];
/// Slow-down factor of the "slow" fault a click injects.
const SLOW_FACTOR: f64 = 0.25;

/// Properties of [`ExperimentPage`].
#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    /// Preset or pattern id from the route.
    pub(crate) name: AttrValue,
    /// Widget only, for an `<iframe>`.
    pub(crate) embedded: bool,
}

/// Decode the link, then show the playground or say what is wrong.
#[component]
pub(crate) fn ExperimentPage(props: &Props) -> Html {
    let query = use_location().query;
    // The page writes its own state into the address bar as it changes; only
    // a link that arrives from outside (pasted, back/forward) starts afresh.
    let link = (props.name.clone(), use_arrived_link(query));
    let registered = use_context::<Registered>().expect("a pattern page registers its patterns");
    let decoded = use_memo(link.clone(), |(name, query)| {
        Shared::decode_in(&registered.patterns(), name, query)
    });
    match &*decoded {
        Err(e) => html! { <NotFound reason={AttrValue::from(e.to_string())} /> },
        Ok((shared, problems)) => html! {
            <Playground key={format!("{}?{}", link.0, link.1)} initial={Initial(Rc::new((shared.clone(), problems.clone())))} embedded={props.embedded} />
        },
    }
}

/// The decoded link, compared by identity (it is decoded once).
#[derive(Clone)]
pub(crate) struct Initial(Rc<(Shared, Vec<String>)>);

impl PartialEq for Initial {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct PlaygroundProps {
    initial: Initial,
    embedded: bool,
}

fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// The runs of `shared`, with what happens at time zero (a fault scheduled
/// at 0 s, say) already applied, so the first picture shows it.
fn start(shared: &Shared) -> Result<Live, archsim_patterns::ParamError> {
    let mut live = Live::new(shared, shared.compare)?;
    live.run_toward(SimTime::ZERO, FRAME_BUDGET);
    Ok(live)
}

/// Write the experiment into the address bar without navigating.
fn write_url(shared: &Shared, embedded: bool) {
    let route = if embedded { "embed" } else { "sim" };
    let query = shared.encode();
    let hash = if query.is_empty() {
        format!("#/{route}/{}", shared.name())
    } else {
        format!("#/{route}/{}?{query}", shared.name())
    };
    address_bar::write(&hash, &query);
}

/// Tell a parent page how tall the widget is, so its `<iframe>` can fit.
fn report_height(last: &Cell<i32>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    // The body, not the document: the document is never shorter than the
    // iframe showing it, so the widget could grow but never shrink.
    let Some(height) = window
        .document()
        .and_then(|d| d.body())
        .map(|e| e.scroll_height())
    else {
        return;
    };
    if height == last.get() {
        return;
    }
    last.set(height);
    if let Ok(Some(parent)) = window.parent() {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"archsim:height".into());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        let _ = parent.post_message(&message, "*");
    }
}

/// The live experiment.
#[component]
fn Playground(props: &PlaygroundProps) -> Html {
    let registered = use_context::<Registered>().expect("a pattern page registers its patterns");
    let site = use_site();
    let (initial_shared, initial_problems) = &*props.initial.0;
    let shared = use_state(|| initial_shared.clone());
    let problems = use_state(|| initial_problems.clone());
    let playing = use_state(|| false);
    let speed = use_state(|| 1.0f64);
    let selected = use_state(|| None::<u32>);
    let field_error = use_state(|| None::<(String, String)>);
    let live = use_mut_ref(|| start(initial_shared));
    // A link may point deep into a run: the frames catch up to it in slices,
    // so the page stays responsive however long the run.
    let catch_up = use_mut_ref(|| initial_shared.time.map(SimTime::from_secs_f64));
    let reports = use_mut_ref(|| Measured(Rc::default()));
    let last_chart = use_mut_ref(|| 0.0f64);
    let frame = use_force_update();
    let reduced_motion = use_memo((), |()| prefers_reduced_motion());
    let phone = use_memo((), |()| crate::screen::is_phone());
    let last_height = use_mut_ref(|| Cell::new(-1));

    // Charts refresh on a timer while playing, at once otherwise.
    let refresh_reports = {
        let (live, reports) = (live.clone(), reports.clone());
        move || {
            if let Ok(l) = &*live.borrow() {
                *reports.borrow_mut() =
                    Measured(Rc::new(l.runs().iter().map(|r| r.dashboard()).collect()));
            }
        }
    };
    if reports.borrow().0.is_empty() {
        refresh_reports();
    }

    // Rebuild the simulations for new settings, resuming at `at`.
    let rebuild = {
        let (live, shared_state, refresh, catch_up) = (
            live.clone(),
            shared.clone(),
            refresh_reports.clone(),
            catch_up.clone(),
        );
        let embedded = props.embedded;
        Rc::new(move |next: Shared, at: SimTime| {
            *live.borrow_mut() = start(&next);
            *catch_up.borrow_mut() = (at > SimTime::ZERO).then_some(at);
            refresh();
            write_url(&next, embedded);
            shared_state.set(next);
        })
    };

    // Go to moment `secs` of the run, paused, and put it in the link. Ahead
    // of now the run goes on there; behind it, the run starts again and
    // catches up, deterministically, to that moment: no frame is stored.
    // The callback stays the same object from frame to frame (the charts
    // hold it), so it reads the settings of the latest frame from here.
    let latest = use_mut_ref(|| initial_shared.clone());
    *latest.borrow_mut() = (*shared).clone();
    let seek = {
        let (rebuild, live, catch_up, playing, shared_state, latest) = (
            rebuild.clone(),
            live.clone(),
            catch_up.clone(),
            playing.clone(),
            shared.clone(),
            latest.clone(),
        );
        let embedded = props.embedded;
        use_callback((), move |secs: f64, ()| {
            playing.set(false);
            let (now, end) = live
                .borrow()
                .as_ref()
                .map_or((SimTime::ZERO, SimTime::ZERO), |l| (l.now(), l.end()));
            let at = SimTime::from_secs_f64(secs).min(end);
            let mut next = latest.borrow().clone();
            next.time = (at > SimTime::ZERO).then_some(at.as_secs_f64());
            if at >= now {
                *catch_up.borrow_mut() = (at > now).then_some(at);
                write_url(&next, embedded);
                shared_state.set(next);
            } else {
                rebuild(next, at);
            }
        })
    };

    // A sweep asked for goes into the link, the run left as it is.
    let on_asked = {
        let (shared_state, latest) = (shared.clone(), latest.clone());
        let embedded = props.embedded;
        use_callback((), move |asked: archsim_patterns::sweep::Asked, ()| {
            let mut next = latest.borrow().clone();
            next.sweep = Some(asked);
            write_url(&next, embedded);
            shared_state.set(next);
        })
    };
    // The headline numbers a sweep can draw, with their units: the same
    // for every run of the pattern.
    let headline = use_memo((), |()| -> Vec<(&'static str, &'static str)> {
        initial_shared
            .experiment
            .start()
            .map(|run| {
                run.dashboard()
                    .stats
                    .iter()
                    .map(|s| (s.label, s.unit))
                    .collect()
            })
            .unwrap_or_default()
    });

    // The animation loop, alive while playing or catching up.
    let on_frame = {
        let (live, playing, frame, refresh, last_chart, catch_up) = (
            live.clone(),
            playing.clone(),
            frame.clone(),
            refresh_reports.clone(),
            last_chart.clone(),
            catch_up.clone(),
        );
        let speed = *speed;
        Callback::from(move |dt_ms: f64| {
            let target = *catch_up.borrow();
            let mut caught_up = false;
            let finished = match &mut *live.borrow_mut() {
                Ok(l) => {
                    if let Some(target) = target {
                        caught_up = l.run_toward(target, FRAME_BUDGET);
                        if caught_up {
                            *catch_up.borrow_mut() = None;
                        }
                    } else if *playing {
                        let to = l.now() + SimTime::from_secs_f64(dt_ms / 1000.0 * speed);
                        l.run_toward(to, FRAME_BUDGET);
                    }
                    l.finished()
                }
                Err(_) => true,
            };
            let mut since_chart = last_chart.borrow_mut();
            *since_chart += dt_ms;
            if *since_chart >= CHART_REFRESH_MS || finished || caught_up {
                *since_chart = 0.0;
                refresh();
            }
            frame.force_update();
            if finished && *playing {
                playing.set(false);
            }
        })
    };
    let catching_up = *catch_up.borrow();
    use_animation_frame(*playing || catching_up.is_some(), on_frame);

    // Embedded: keep the parent's iframe the right height.
    {
        let embedded = props.embedded;
        let last_height = last_height.clone();
        use_effect(move || {
            if embedded {
                report_height(&last_height.borrow());
            }
        });
    }

    // The form is the largest part of the page and changes only with the
    // settings, so its callback must stay the same object between frames
    // (yew compares callbacks by identity): it is rebuilt only when what it
    // reads changes. It never reads `time`, which it clears.
    let on_param = {
        let deps = (
            shared.experiment.settings().clone(),
            shared.experiment.seed(),
            shared.compare,
        );
        let (rebuild, shared, field_error) = (rebuild.clone(), shared.clone(), field_error.clone());
        use_callback(deps, move |(key, value): (String, String), _| {
            let mut next = (*shared).clone();
            let applied = next
                .experiment
                .set(&key, &value)
                .and_then(|()| next.experiment.validate());
            match applied {
                Ok(()) => {
                    field_error.set(None);
                    next.time = None;
                    rebuild(next, SimTime::ZERO);
                }
                Err(e) => field_error.set(Some((
                    e.key().to_owned(),
                    format!("{e}. The previous value is kept."),
                ))),
            }
        })
    };

    // Opening an experiment puts the reader at its heading: the page starts
    // at its top and the keyboard focus is on the title (not in the widget
    // of a host page: an embed never takes the focus).
    let heading = use_node_ref();
    let share = use_copy_link();
    {
        let (heading, embedded) = (heading.clone(), props.embedded);
        use_effect_with((), move |()| {
            if !embedded {
                if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                    let _ = h.focus();
                }
                if let Some(w) = web_sys::window() {
                    w.scroll_to_with_x_and_y(0.0, 0.0);
                }
            }
        });
    }

    let live_ref = live.borrow();
    let live_ok = match &*live_ref {
        Ok(l) => l,
        Err(e) => {
            return html! { <main class="page" id="main"><p role="alert" class="problems">{ format!("This experiment cannot run: {e}") }</p></main> };
        }
    };
    let now = live_ok.now();
    let end = live_ok.end();
    let experiment = &shared.experiment;
    // What one unit of the run's clock is: seconds, or days for a model of
    // weeks of work. Every time the page writes is in it.
    let clock = experiment.pattern().clock_unit();
    let ui = registered
        .ui(experiment.pattern().id())
        .expect("the page decoded its link among its registered patterns");
    let preset = experiment.preset();
    let title = preset.map_or(experiment.pattern().title(), |p| p.title);

    // Callbacks.
    let on_play = {
        let playing = playing.clone();
        Callback::from(move |_| playing.set(!*playing))
    };
    let on_step = {
        let (live, frame, refresh, playing) = (
            live.clone(),
            frame.clone(),
            refresh_reports.clone(),
            playing.clone(),
        );
        Callback::from(move |_| {
            playing.set(false);
            if let Ok(l) = &mut *live.borrow_mut() {
                l.step();
            }
            refresh();
            frame.force_update();
        })
    };
    let on_reset = {
        let (rebuild, shared, playing) = (rebuild.clone(), shared.clone(), playing.clone());
        Callback::from(move |_| {
            playing.set(false);
            let mut next = (*shared).clone();
            next.time = None;
            rebuild(next, SimTime::ZERO);
        })
    };
    let on_new_seed = {
        let (rebuild, shared) = (rebuild.clone(), shared.clone());
        Callback::from(move |_| {
            let mut next = (*shared).clone();
            // A fresh seed from the current one: reproducible, yet new.
            next.experiment
                .set_seed(archsim_core::hash64(next.experiment.seed()) % 1_000_000);
            next.time = None;
            rebuild(next, SimTime::ZERO);
        })
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            let select = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok());
            if let Some(v) = select.and_then(|s| s.value().parse::<f64>().ok()) {
                speed.set(v);
            }
        })
    };
    // A comparison starts at once: its point is to watch the variants
    // part ways.
    let on_compare = {
        let (rebuild, shared, playing) = (rebuild.clone(), shared.clone(), playing.clone());
        Callback::from(move |_| {
            let mut next = (*shared).clone();
            next.compare = !next.compare;
            playing.set(next.compare);
            rebuild(next, SimTime::ZERO);
        })
    };
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |b: u32| {
            selected.set(if *selected == Some(b) { None } else { Some(b) })
        })
    };
    let fault = |action: &'static str| {
        let (rebuild, shared, live, selected) = (
            rebuild.clone(),
            shared.clone(),
            live.clone(),
            selected.clone(),
        );
        Callback::from(move |_| {
            let Some(b) = *selected else { return };
            let at = live.borrow().as_ref().map_or(SimTime::ZERO, |l| l.now());
            // Milliseconds are plenty and keep the link readable; rounding down
            // keeps the fault at or before now, so it shows at once.
            let t = (at.as_secs_f64() * 1000.0).floor() / 1000.0;
            let item = match action {
                "slow" => format!("{t}:slow:{}:{SLOW_FACTOR}", b + 1),
                other => format!("{t}:{other}:{}", b + 1),
            };
            let mut next = (*shared).clone();
            let faults = next.experiment.settings().get("faults").unwrap_or_default();
            let faults = if faults.is_empty() {
                item
            } else {
                format!("{faults},{item}")
            };
            if next.experiment.set("faults", &faults).is_ok() && next.experiment.validate().is_ok()
            {
                rebuild(next, at);
            }
        })
    };

    let measured = reports.borrow().clone();
    let runs = live_ok.runs();
    let animate = !*reduced_motion;
    // A phone's screen, or a cell of a comparison, is too narrow for the
    // desktop's layout: its text would read at half size.
    let narrow = *phone || runs.len() > 1;
    let lead = Lead {
        varied: shared.vary.0.clone().into(),
        metric: preset.map(|p| p.metric),
    };
    let diagrams = runs.iter().enumerate().map(|(i, run)| {
        let label = if run.label.is_empty() {
            format!("Diagram of {title}")
        } else {
            format!("Diagram of {title}, {}", run.label)
        };
        let ended_at = run.ended_at().map(SimTime::as_secs_f64);
        html! {
            <div class={classes!("variant", ended_at.is_some().then_some("finished"))}>
                if !run.label.is_empty() { <h2>{ &run.label }</h2> }
                <div class="picture">
                    { (ui.diagram)(&run.view(), Frame { selected: *selected, on_select: on_select.clone(), animate, label: label.into(), narrow }) }
                    if let Some(at) = ended_at {
                        { run_over(&measured.0, i, &lead, at, clock) }
                    }
                </div>
                <Summary measured={measured.clone()} index={i} lead={lead.clone()} {clock}
                    warming_up_until={run.warming_up_until().map(SimTime::as_secs_f64)} />
            </div>
        }
    });
    let labels: Vec<String> = runs.iter().map(|r| r.label.clone()).collect();
    let x_max = end.as_secs_f64();
    // The run's timeline: drag or step it to any moment (the arrow keys
    // move it a tenth of a second), ticks where something happened.
    let timeline = {
        let seek = seek.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            use wasm_bindgen::JsCast;
            let input = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
            if let Some(v) = input.and_then(|i| i.value().parse::<f64>().ok()) {
                seek.emit(v);
            }
        });
        let shown = catching_up.unwrap_or(now).as_secs_f64();
        html! {
            <label class="timeline">{ "Timeline" }
                <input type="range" min="0" max={x_max.to_string()} step="0.1"
                    value={shown.to_string()} {oninput} list="moments"
                    aria-valuetext={format!("{} {clock} of {}", format_value(shown), format_value(x_max))} />
            </label>
        }
    };
    let charts =
        html! { <Charts measured={measured.clone()} {labels} {x_max} {clock} on_seek={seek} /> };

    let transport = html! {
        <div class="transport" role="toolbar" aria-label="Playback">
            <button class="primary" onclick={on_play} disabled={live_ok.finished()} aria-pressed={playing.to_string()}>
                { if *playing { "Pause" } else { "Play" } }
            </button>
            <button onclick={on_step} disabled={live_ok.finished() || catching_up.is_some()}>{ "Step" }</button>
            <label>{ "Speed " }
                <select onchange={on_speed} aria-label="Speed">
                    { for SPEEDS.iter().map(|s| html! { <option value={s.to_string()} selected={*s == *speed}>{ format!("{s}×") }</option> }) }
                </select>
            </label>
            <button onclick={on_reset}>{ "Reset" }</button>
            <button onclick={on_new_seed}>{ "New seed" }</button>
            <button onclick={on_compare} aria-pressed={shared.compare.to_string()}>{ if shared.compare { "Single run" } else { "Compare variants" } }</button>
            { share.view("Share", copy_link::here(), false) }
            <output class="clock" aria-live="off">{
                match catching_up {
                    Some(target) => format!("catching up: {:.0}% of the way to {:.2} {clock}", 100.0 * now.as_secs_f64() / target.as_secs_f64().max(f64::EPSILON), target.as_secs_f64()),
                    None => format!("t = {:.2} {clock} of {}", now.as_secs_f64(), format_value(x_max)),
                }
            }</output>
            <span class="seed">{ format!("seed {}", experiment.seed()) }</span>
        </div>
    };

    let fault_panel = experiment.pattern().fault_target().map(|target| {
        let noun = target.noun;
        match *selected {
            Some(n) => html! {
                <div class="fault-panel" role="group" aria-label={format!("{} {}", capitalised(noun), n + 1)}>
                    <span>{ format!("{} #{} at t = {:.2} {clock}:", capitalised(noun), n + 1, now.as_secs_f64()) }</span>
                    <button onclick={fault("down")}>{ "Kill" }</button>
                    if target.slow { <button onclick={fault("slow")}>{ format!("Slow ×{SLOW_FACTOR}") }</button> }
                    <button onclick={fault("recover")}>{ "Recover" }</button>
                    <button class="close" aria-label="Close" title="Close" onclick={{
                        let on_select = on_select.clone();
                        move |_| on_select.emit(n)
                    }}>{ "×" }</button>
                </div>
            },
            None => {
                let actions = if target.slow { "kill, slow or recover" } else { "kill or recover" };
                html! { <p class="hint">{ format!("Choose a {noun} (click it, or Tab to it and press Enter) to {actions} it.") }</p> }
            }
        }
    });

    let problems_banner = (!problems.is_empty()).then(|| html! {
        <div class="problems" role="alert">
            <p>{ "Some values in this link could not be used; their defaults are shown instead:" }</p>
            <ul>{ for problems.iter().map(|p| html! { <li>{ p }</li> }) }</ul>
        </div>
    });
    let stall_banner = live_ok.stalled().map(|stall| html! {
        <p class="problems" role="alert">{ format!("This run cannot go on: {stall}. Change a setting to start again.") }</p>
    });

    let look_for = preset.map(|p| {
        html! {
            <aside class="look-for" aria-label="What to look for">
                <h2>{ "What to look for" }</h2>
                <p>{ p.what_to_look_for }</p>
            </aside>
        }
    });

    let body = html! {
        <>
            { problems_banner }
            { stall_banner }
            { transport }
            <div class={classes!("stage", preset.is_some().then_some("with-notes"))}>
                <div>
                    <div class={classes!("diagrams", (runs.len() > 1).then_some("compare"))}>{ for diagrams }</div>
                    { timeline }
                    { legend(&(ui.legend)()) }
                    <p class="hint timing">{ experiment.pattern().timing() }</p>
                </div>
                { look_for }
            </div>
            { fault_panel }
            <section class="charts" aria-label="Charts">{ charts }</section>
            if !props.embedded {
                <SweepPanel shared={sweep_panel::Experiment(Rc::new((*shared).clone()))} stats={headline.clone()}
                    lead={preset.map(|p| p.metric)} {on_asked} />
            }
        </>
    };

    if props.embedded {
        let href = format!("#/sim/{}?{}", shared.name(), shared.encode());
        return html! {
            <main class="embed" id="main">
                <header class="embed-header">
                    <h1>{ title }</h1>
                    <a href={href} target="_blank" rel="noopener">{ "Open in playground ↗" }</a>
                </header>
                { body }
            </main>
        };
    }

    // The parameters the preset sets, and the one it compares, lead the form.
    let featured: Vec<&'static str> = preset
        .map(|p| {
            p.params
                .iter()
                .map(|(k, _)| *k)
                .chain(p.compare.map(|c| c.key))
                .collect()
        })
        .unwrap_or_default();

    // Its section of the book: the heading the preset's id names, or the
    // pattern's chapter.
    let chapter = format!("book/{}.html", experiment.pattern().id());
    let book = site.page(&match preset {
        Some(p) => format!("{chapter}#{}", p.id),
        None => chapter,
    });
    html! {
        <>
            <Header />
            <main class="page" id="main">
                <p class="crumbs"><a href={site.home()}>{ "Map" }</a>{ " / " }<a href={Route::Home.href()}>{ experiment.pattern().title() }</a>
                    { " · " }<a href={book}>{ "Read about it in the book" }</a></p>
                <h1 ref={heading} tabindex="-1">{ title }</h1>
                if let Some(p) = preset { <p class="claim">{ format!("“{}”", p.mindmap_leaf) }</p> }
                { body }
                <details class="params" open=true>
                    <summary>{ "Parameters" }</summary>
                    <Controls specs={experiment.pattern().specs()} settings={experiment.settings().clone()} on_change={on_param} error={(*field_error).clone()}
                        {featured} defaults={experiment.pattern().defaults()} />
                </details>
            </main>
        </>
    }
}

/// `word` (a node's noun, ASCII) with a capital first letter. ASCII only,
/// so no Unicode case tables come into the bundle.
fn capitalised(word: &str) -> String {
    let mut word = word.to_owned();
    if let Some(first) = word.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    word
}

/// The latest dashboards of every run, compared by identity: a new set is made
/// only when the charts refresh, so the components that show them skip the
/// frames in between.
#[derive(Clone)]
struct Measured(Rc<Vec<Dashboard>>);

impl PartialEq for Measured {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// How the page leads with a run's headline numbers.
#[derive(Clone, PartialEq)]
struct Lead {
    /// The parameter the experiment's variants differ in.
    varied: AttrValue,
    /// The number the preset is about, shown first.
    metric: Option<&'static str>,
}

impl Lead {
    /// The headline numbers of run `index` among `dashboards` worth
    /// showing, the one the experiment is about first: those that mean
    /// something in some run, or whose setting is being compared.
    fn stats<'a>(&self, dashboards: &'a [Dashboard], index: usize) -> Vec<&'a Stat> {
        let Some(d) = dashboards.get(index) else {
            return Vec::new();
        };
        let mut stats: Vec<&Stat> = d
            .stats
            .iter()
            .filter(|s| s.applies(dashboards, &self.varied))
            .collect();
        if let Some(at) = stats.iter().position(|s| Some(s.label) == self.metric) {
            let lead = stats.remove(at);
            stats.insert(0, lead);
        }
        stats
    }
}

/// A headline number with its unit; a dash while there is nothing to
/// measure yet, or while the warm-up lasts for those measured only after it.
fn stat_value(s: &Stat, warming: bool) -> String {
    match (s.value.filter(|_| !(warming && s.windowed)), s.unit) {
        (None, _) => "—".to_owned(),
        (Some(v), "") => format_value(v),
        (Some(v), unit) => format!("{} {unit}", format_value(v)),
    }
}

#[derive(Properties, PartialEq)]
struct SummaryProps {
    measured: Measured,
    /// Which run.
    index: usize,
    lead: Lead,
    /// The end of the run's warm-up, in the clock's unit, while it lasts.
    warming_up_until: Option<f64>,
    /// The clock's unit.
    clock: AttrValue,
}

/// Headline numbers of one run.
#[component]
fn Summary(props: &SummaryProps) -> Html {
    let stats = props.lead.stats(&props.measured.0, props.index);
    // Latencies and ratios measure nothing during the warm-up: a dash, not
    // a zero. Counts run from the start.
    let warming = props.warming_up_until;
    html! {
        <>
        <dl class="summary">
            { for stats.iter().enumerate().map(|(i, s)| html! {
                <div class={classes!((i == 0 && props.lead.metric == Some(s.label)).then_some("lead"))}>
                    <dt>{ s.label }</dt><dd>{ stat_value(s, warming.is_some()) }</dd>
                </div>
            }) }
        </dl>
        if let Some(until) = warming {
            <p class="hint">{ format!("Warming up: latencies and ratios measure from t = {until} {}.", props.clock) }</p>
        }
        </>
    }
}

fn run_over(dashboards: &[Dashboard], index: usize, lead: &Lead, at: f64, clock: &str) -> Html {
    let stats = lead.stats(dashboards, index);
    html! {
        <p class="run-over" role="status">
            <strong>{ format!("Ended at {} {clock}", format_value(at)) }</strong>
            if let Some(s) = stats.first() {
                { format!(" · {} {}", s.label, stat_value(s, false)) }
            }
        </p>
    }
}

#[derive(Properties, PartialEq)]
struct ChartsProps {
    measured: Measured,
    /// `key=value` of each run when comparing, else one empty label.
    labels: Vec<String>,
    /// End of the run, in the clock's unit.
    x_max: f64,
    /// The clock's unit.
    clock: AttrValue,
    /// Go to a moment of the run, in the clock's unit.
    on_seek: Callback<f64>,
}

/// What happened in the runs, for the charts to mark: each run's moments,
/// once; a moment not every variant shares names its variant.
fn moments(dashboards: &[Dashboard], labels: &[String]) -> Vec<Moment> {
    let mut all: Vec<Moment> = Vec::new();
    for (d, label) in dashboards.iter().zip(labels) {
        for m in &d.moments {
            let shared = dashboards.iter().all(|other| other.moments.contains(m));
            let m = if shared || label.is_empty() {
                m.clone()
            } else {
                Moment {
                    at: m.at,
                    what: format!("{} ({label})", m.what),
                }
            };
            if !all.contains(&m) {
                all.push(m);
            }
        }
    }
    Moment::in_order(all)
}

/// The live charts of one run; or, when comparing, one line per variant
/// on shared axes. Both mark what happened, listed before them.
#[component]
fn Charts(props: &ChartsProps) -> Html {
    let dashboards = &props.measured.0;
    let x_max = props.x_max;
    let Some(first) = dashboards.first() else {
        return Html::default();
    };
    let time = &first.time;
    let moments = Rc::new(moments(dashboards, &props.labels));
    let list = (!moments.is_empty()).then(|| html! {
        <ol class="moments" aria-label="What happened, as the charts number it; each goes to its moment">
            { for moments.iter().map(|m| {
                let (at, on_seek) = (m.at, props.on_seek.clone());
                html! {
                    <li><button class="moment" title="Go to this moment" onclick={move |_| on_seek.emit(at)}>
                        { format!("{} {}: {}", format_value(m.at), props.clock, m.what) }
                    </button></li>
                }
            }) }
        </ol>
    });
    let charts = if dashboards.len() > 1 {
        html! {
            { for first.compared.iter().enumerate().map(|(i, panel)| {
                let lines: Vec<Trace> = props
                    .labels
                    .iter()
                    .zip(dashboards.iter())
                    .filter_map(|(label, d)| {
                        let trace = d.compared.get(i)?.lines.first()?;
                        Some(Trace { label: label.clone(), points: trace.points.clone() })
                    })
                    .collect();
                html! { <Chart title={panel.title} unit={panel.unit} time={time.clone()} {x_max} clock={props.clock.clone()} {lines} moments={moments.clone()} /> }
            }) }
        }
    } else {
        html! {
            { for first.panels.iter().map(|panel| html! {
                <Chart title={panel.title} unit={panel.unit} time={time.clone()} {x_max} clock={props.clock.clone()} lines={panel.lines.clone()} moments={moments.clone()} />
            }) }
        }
    };
    // The timeline's ticks, drawn here because the moments are counted
    // here, once per refresh of the charts rather than every frame.
    let ticks = html! {
        <datalist id="moments">{ for moments.iter().map(|m| html! { <option value={m.at.to_string()} /> }) }</datalist>
    };
    html! { <>{ ticks }{ list }{ charts }</> }
}
