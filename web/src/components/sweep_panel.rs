//! The sweep panel of an experiment page: pick a parameter, a range, the
//! headline numbers and the seeds; the worker ([`crate::sweep`]) runs
//! every variant at every point while the page goes on, and the curves
//! are drawn point by point as they arrive, with progress, time left,
//! cancel, a table and a CSV file. The sweep goes into the link, so a
//! shared link draws the same curves.

use super::sweep_chart::{Figure, SweepLine};
use crate::sweep::{Answer, Ask, Said, worker};
use archsim_patterns::sweep::{Asked, Axis, DEFAULT_POINTS, Sweep};
use archsim_patterns::{ParamKind, Shared};
use gloo_worker::WorkerBridge;
use std::rc::Rc;
use yew::prelude::*;

/// The page's experiment, compared by its link: the panel redraws when the
/// settings, the variants or the sweep change, not every frame.
#[derive(Clone)]
pub(crate) struct Experiment(pub(crate) Rc<Shared>);

impl PartialEq for Experiment {
    fn eq(&self, other: &Self) -> bool {
        self.0.name() == other.0.name() && self.0.encode() == other.0.encode()
    }
}

/// Properties of [`SweepPanel`].
#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    /// The page's experiment, its sweep included.
    pub(crate) shared: Experiment,
    /// The headline numbers a run shows, with their units.
    pub(crate) stats: Rc<Vec<(&'static str, &'static str)>>,
    /// The number the preset is about, picked first.
    pub(crate) lead: Option<&'static str>,
    /// Put a sweep into the page's link.
    pub(crate) on_asked: Callback<Asked>,
}

/// The form's fields as typed.
#[derive(Clone, PartialEq)]
struct Form {
    key: String,
    from: String,
    to: String,
    points: String,
    log: bool,
    metrics: Vec<String>,
    seeds: String,
}

/// A sweep sent to the worker, and what has come back.
#[derive(Clone)]
struct Progress {
    job: u32,
    /// The settings it ran, as a link without the sweep: curves drawn for
    /// other settings say so.
    settings: String,
    sweep: Rc<Sweep>,
    /// Each point's values, once answered.
    values: Vec<Option<Vec<f64>>>,
    /// Each point's theory, per line and metric, with its note.
    theory: Vec<Option<Vec<Said>>>,
    /// Wall-clock milliseconds when it started.
    started: f64,
    /// Milliseconds it took, once every point is in.
    took: Option<f64>,
    cancelled: bool,
    failed: Option<String>,
}

impl Progress {
    fn done(&self) -> usize {
        self.values.iter().take_while(|v| v.is_some()).count()
    }

    fn running(&self) -> bool {
        self.took.is_none() && !self.cancelled && self.failed.is_none()
    }
}

enum Event {
    Started(Progress),
    Answered(Answer),
    Cancelled,
}

#[derive(Clone, Default)]
struct State(Option<Progress>);

impl Reducible for State {
    type Action = Event;

    fn reduce(self: Rc<Self>, event: Event) -> Rc<Self> {
        let mut next = (*self).clone();
        match (event, &mut next.0) {
            (Event::Started(p), _) => next.0 = Some(p),
            (Event::Cancelled, Some(p)) => p.cancelled = true,
            (
                Event::Answered(Answer::Point {
                    job,
                    point,
                    values,
                    theory,
                }),
                Some(p),
            ) if p.job == job => {
                let point = point as usize;
                if point < p.values.len() {
                    p.values[point] = Some(values);
                    p.theory[point] = Some(theory);
                }
                if p.done() == p.values.len() {
                    p.took = Some(now() - p.started);
                }
            }
            (Event::Answered(Answer::Failed { job, why }), Some(p)) if p.job == job => {
                p.failed = Some(why)
            }
            _ => return self,
        }
        Rc::new(next)
    }
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// The form for a sweep already asked for, or a first guess: the preset's
/// first numeric parameter around its value, the preset's own number.
fn form_for(shared: &Shared, stats: &[(&'static str, &'static str)], lead: Option<&str>) -> Form {
    if let Some(a) = &shared.sweep {
        return Form {
            key: a.axis.key.clone(),
            from: a.axis.from.to_string(),
            to: a.axis.to.to_string(),
            points: a.axis.points.to_string(),
            log: a.axis.log,
            metrics: a.metrics.clone(),
            seeds: a.seeds.to_string(),
        };
    }
    let experiment = &shared.experiment;
    let specs = experiment.pattern().specs();
    let numeric = |key: &str| specs.iter().find(|s| s.key == key && is_numeric(&s.kind));
    let spec = experiment
        .preset()
        .and_then(|p| p.params.iter().find_map(|(k, _)| numeric(k)))
        .or_else(|| specs.iter().find(|s| is_numeric(&s.kind)));
    let (key, from, to) = spec.map_or_else(Default::default, |s| {
        let value: f64 = experiment
            .settings()
            .get(s.key)
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0);
        let (min, max) = range(&s.kind);
        let (from, to) = if value > 0.0 {
            ((value / 2.0).max(min), (value * 1.5).min(max))
        } else {
            (min, max)
        };
        let whole = matches!(s.kind, ParamKind::Int { .. });
        let round = |v: f64| {
            if whole {
                v.round()
            } else {
                (v * 100.0).round() / 100.0
            }
        };
        (
            s.key.to_owned(),
            round(from).to_string(),
            round(to).to_string(),
        )
    });
    let metric = lead
        .filter(|l| stats.iter().any(|(s, _)| s == l))
        .or_else(|| stats.first().map(|(s, _)| *s))
        .map(str::to_owned);
    Form {
        key,
        from,
        to,
        points: DEFAULT_POINTS.to_string(),
        log: false,
        metrics: metric.into_iter().collect(),
        seeds: archsim_patterns::sweep::PAGE_SEEDS.to_string(),
    }
}

fn is_numeric(kind: &ParamKind) -> bool {
    matches!(kind, ParamKind::Int { .. } | ParamKind::Float { .. })
}

fn range(kind: &ParamKind) -> (f64, f64) {
    match *kind {
        ParamKind::Int { min, max } => (min as f64, max as f64),
        ParamKind::Float { min, max } => (min, max),
        _ => (0.0, 0.0),
    }
}

/// The sweep the form asks for, or what is wrong with it.
fn asked(form: &Form, shared: &Shared) -> Result<(Asked, Sweep), String> {
    let number = |what: &str, text: &str| {
        text.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{what} must be a number, not '{text}'"))
    };
    let points = form
        .points
        .trim()
        .parse::<usize>()
        .map_err(|_| format!("Points must be a whole number, not '{}'", form.points))?;
    let seeds = form
        .seeds
        .trim()
        .parse::<usize>()
        .map_err(|_| format!("Seeds must be a whole number, not '{}'", form.seeds))?;
    let asked = Asked {
        axis: Axis {
            key: form.key.clone(),
            from: number("From", &form.from)?,
            to: number("To", &form.to)?,
            points,
            log: form.log,
        },
        metrics: form.metrics.clone(),
        seeds,
    };
    let sweep = asked
        .plan(&shared.experiment, &shared.vary)
        .map_err(|e| format!("This sweep cannot run: {e}."))?;
    Ok((asked, sweep))
}

/// The panel.
#[component]
pub(crate) fn SweepPanel(props: &Props) -> Html {
    let shared = &props.shared.0;
    let form = {
        let (shared, stats, lead) = (shared.clone(), props.stats.clone(), props.lead);
        use_state(move || form_for(&shared, &stats, lead))
    };
    let problem = use_state(|| None::<String>);
    let state = use_reducer(State::default);
    let bridge = use_mut_ref(|| None::<WorkerBridge<worker::SweepWorker>>);
    let jobs = use_mut_ref(|| 0u32);
    let clock = use_force_update();

    // Start `asked` on the worker (spawned on first use).
    let start = {
        let (bridge, jobs, state, on_asked) = (
            bridge.clone(),
            jobs.clone(),
            state.clone(),
            props.on_asked.clone(),
        );
        Rc::new(move |shared: &Shared, asked: Asked, sweep: Sweep| {
            let mut linked = shared.clone();
            linked.sweep = Some(asked.clone());
            linked.time = None;
            let link = linked.encode();
            let job = {
                let mut jobs = jobs.borrow_mut();
                *jobs += 1;
                *jobs
            };
            let mut bridge = bridge.borrow_mut();
            let bridge = bridge.get_or_insert_with(|| {
                let dispatcher = state.dispatcher();
                worker::spawn(move |answer| dispatcher.dispatch(Event::Answered(answer)))
            });
            let points = sweep.point_count();
            state.dispatch(Event::Started(Progress {
                job,
                settings: settings_of(shared),
                sweep: Rc::new(sweep),
                values: vec![None; points],
                theory: vec![None; points],
                started: now(),
                took: None,
                cancelled: false,
                failed: None,
            }));
            bridge.send(Ask::Start {
                job,
                name: linked.name().to_owned(),
                query: link,
            });
            on_asked.emit(asked);
        })
    };

    // A link with a sweep in it draws it on opening.
    {
        let (shared, start, problem) = (shared.clone(), start.clone(), problem.clone());
        use_effect_with((), move |()| {
            if let Some(a) = shared.sweep.clone() {
                match a.plan(&shared.experiment, &shared.vary) {
                    Ok(sweep) => start(&shared, a, sweep),
                    Err(e) => problem.set(Some(format!("This sweep cannot run: {e}."))),
                }
            }
        });
    }

    // Time left is an estimate from the pace so far: refresh it each second.
    let running = state.0.as_ref().is_some_and(Progress::running);
    {
        let clock = clock.clone();
        use_effect_with(running, move |running| {
            let timer = running
                .then(|| gloo_timers::callback::Interval::new(1_000, move || clock.force_update()));
            move || drop(timer)
        });
    }

    let on_run = {
        let (form, problem, shared, start) =
            (form.clone(), problem.clone(), shared.clone(), start.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match asked(&form, &shared) {
                Ok((a, sweep)) => {
                    problem.set(None);
                    start(&shared, a, sweep);
                }
                Err(why) => problem.set(Some(why)),
            }
        })
    };
    let on_cancel = {
        let (bridge, state) = (bridge.clone(), state.clone());
        Callback::from(move |_| {
            if let Some(b) = &*bridge.borrow() {
                b.send(Ask::Cancel);
            }
            state.dispatch(Event::Cancelled);
        })
    };
    let field = |set: fn(&mut Form, String)| {
        let form = form.clone();
        Callback::from(move |e: Event_| {
            let mut next = (*form).clone();
            set(&mut next, value_of(&e));
            form.set(next);
        })
    };
    let on_log = {
        let form = form.clone();
        Callback::from(move |e: Event_| {
            let mut next = (*form).clone();
            next.log = checked(&e);
            form.set(next);
        })
    };
    let metric_box = |label: &'static str| {
        let form = form.clone();
        Callback::from(move |e: Event_| {
            let mut next = (*form).clone();
            next.metrics.retain(|m| m != label);
            if checked(&e) {
                next.metrics.push(label.to_owned());
            }
            form.set(next);
        })
    };

    let specs = shared.experiment.pattern().specs();
    let range_hint = specs
        .iter()
        .find(|s| s.key == form.key)
        .map(|s| format!("{} allows {}", s.key, s.kind));
    let form_html = html! {
        <form class="sweep-form" onsubmit={on_run} aria-label="Sweep">
            <label>{ "Parameter " }
                <select onchange={field(|f, v| f.key = v)}>
                    { for specs.iter().filter(|s| is_numeric(&s.kind)).map(|s| html! {
                        <option value={s.key} selected={s.key == form.key}>{ with_unit(s.label, s.unit) }</option>
                    }) }
                </select>
            </label>
            <label>{ "From " }<input type="text" inputmode="decimal" size="7" value={form.from.clone()} onchange={field(|f, v| f.from = v)} /></label>
            <label>{ "To " }<input type="text" inputmode="decimal" size="7" value={form.to.clone()} onchange={field(|f, v| f.to = v)} /></label>
            <label>{ "Points " }<input type="text" inputmode="numeric" size="3" value={form.points.clone()} onchange={field(|f, v| f.points = v)} /></label>
            <label>{ "Seeds per point " }<input type="text" inputmode="numeric" size="3" value={form.seeds.clone()} onchange={field(|f, v| f.seeds = v)} /></label>
            <label class="check"><input type="checkbox" checked={form.log} onchange={on_log} />{ " log spacing" }</label>
            <fieldset class="metrics">
                <legend>{ "Numbers to draw" }</legend>
                { for props.stats.iter().map(|(label, _)| html! {
                    <label class="check"><input type="checkbox" checked={form.metrics.iter().any(|m| m == label)} onchange={metric_box(label)} />{ format!(" {label}") }</label>
                }) }
            </fieldset>
            <div class="sweep-actions">
                <button class="primary" type="submit">{ if state.0.is_some() { "Run sweep again" } else { "Run sweep" } }</button>
                <button type="button" onclick={on_cancel} disabled={!running}>{ "Cancel" }</button>
            </div>
            if let Some(hint) = range_hint { <p class="hint">{ hint }</p> }
        </form>
    };
    let problem_html = problem
        .as_ref()
        .map(|p| html! { <p class="problems" role="alert">{ p }</p> });
    let results = state.0.as_ref().map(|p| results(p, shared, &props.stats));
    html! {
        <details class="sweep-panel" open={shared.sweep.is_some()}>
            <summary>{ "Sweep a parameter" }</summary>
            <p class="hint">{ "Run every variant at every point of a range, on the same seeds, and draw the curves with their 95% intervals. It runs in the background: the page goes on meanwhile." }</p>
            { form_html }
            { problem_html }
            { results }
        </details>
    }
}

type Event_ = web_sys::Event;

fn value_of(e: &Event_) -> String {
    use wasm_bindgen::JsCast;
    let target = e.target();
    if let Some(i) = target
        .as_ref()
        .and_then(|t| t.dyn_ref::<web_sys::HtmlInputElement>())
    {
        return i.value();
    }
    target
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

fn checked(e: &Event_) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

fn with_unit(label: &str, unit: &str) -> String {
    if unit.is_empty() {
        label.to_owned()
    } else {
        format!("{label} ({unit})")
    }
}

/// The settings of `shared` as a link, leaving out the sweep and the
/// moment, which do not change what a sweep runs.
fn settings_of(shared: &Shared) -> String {
    let mut settings = shared.clone();
    settings.sweep = None;
    settings.time = None;
    settings.encode()
}

/// Progress, and the curves so far.
fn results(p: &Progress, shared: &Shared, stats: &[(&'static str, &'static str)]) -> Html {
    let sweep = &p.sweep;
    let (done, total) = (p.done(), p.values.len());
    let elapsed = p.took.unwrap_or_else(|| now() - p.started);
    let status = if let Some(why) = &p.failed {
        html! { <p class="problems" role="alert">{ format!("The sweep stopped: {why}.") }</p> }
    } else if p.cancelled {
        html! { <p class="sweep-status" role="status">{ format!("Cancelled after {done} of {total} points.") }</p> }
    } else if let Some(took) = p.took {
        html! { <p class="sweep-status" role="status">{ format!("{total} points of {} runs each in {:.1} s.", sweep.runs_per_point(), took / 1000.0) }</p> }
    } else {
        let left = if done == 0 {
            "time left: estimating".to_owned()
        } else {
            format!(
                "about {:.0} s left",
                (elapsed / done as f64 * (total - done) as f64 / 1000.0).ceil()
            )
        };
        html! {
            <div class="sweep-status" role="status">
                <progress max={total.to_string()} value={done.to_string()} aria-label="Sweep progress" />
                { format!(" {done} of {total} points, {left}") }
            </div>
        }
    };
    let stale = (p.settings != settings_of(shared)).then(|| html! { <p class="hint">{ "The settings have changed since this sweep ran: run it again to draw them." }</p> });

    let metrics = sweep.metrics();
    let per_run = metrics.len();
    let curves = sweep.curves_from(done, |run, m| {
        let per_point = sweep.runs_per_point();
        p.values[run / per_point]
            .as_ref()
            .map_or(f64::NAN, |v| v[(run % per_point) * per_run + m])
    });
    let spec = sweep.experiment().settings().spec(&sweep.axis().key).ok();
    let axis = spec.map_or_else(|| sweep.axis().key.clone(), |s| with_unit(s.label, s.unit));
    let labels: Vec<String> = match sweep.lines() {
        l if l.values.is_empty() => vec![String::new()],
        l => l.values.iter().map(|v| format!("{}={v}", l.key)).collect(),
    };
    let charts = metrics.iter().enumerate().map(|(m, metric)| {
        let unit = stats.iter().find(|(l, _)| l == metric).map_or("", |(_, u)| *u);
        let lines: Vec<SweepLine> = labels
            .iter()
            .enumerate()
            .map(|(line, label)| SweepLine {
                label: label.clone(),
                curve: curves[line * per_run + m].clone(),
                theory: p.theory[..done]
                    .iter()
                    .map(|t| t.as_ref().and_then(|t| t[line * per_run + m].0))
                    .collect(),
            })
            .collect();
        // What theory says of each line, from the last point in.
        let notes: Vec<String> = p.theory[..done]
            .last()
            .and_then(Option::as_ref)
            .map(|t| {
                labels
                    .iter()
                    .enumerate()
                    .filter_map(|(line, label)| {
                        let (value, note) = &t[line * per_run + m];
                        let who = if label.is_empty() { String::new() } else { format!("{label}: ") };
                        (!note.is_empty()).then(|| match value {
                            Some(_) => format!("{who}dashed line from {note}"),
                            None => format!("{who}no theory line, as {note}"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let figure = Figure {
            metric: (metric, unit),
            axis: &axis,
            range: (sweep.axis().from, sweep.axis().to),
            log: sweep.axis().log,
            lines: &lines,
        };
        html! {
            <>
                { figure.html() }
                if !notes.is_empty() { <ul class="theory-notes">{ for notes.iter().map(|n| html! { <li>{ n }</li> }) }</ul> }
            </>
        }
    });
    let csv = csv(sweep, &labels, &curves, &p.theory[..done]);
    let on_csv = Callback::from(move |_| {
        let _ = crate::download::save_text("sweep.csv", "text/csv;charset=utf-8", &csv);
    });
    html! {
        <div class="sweep-results">
            { status }
            { stale }
            <div class="sweep-charts">{ for charts }</div>
            if done > 0 { <button type="button" onclick={on_csv}>{ "Download CSV" }</button> }
        </div>
    }
}

/// The curves as CSV: a row per point and line, a column per metric's
/// mean, interval and theory.
fn csv(
    sweep: &Sweep,
    labels: &[String],
    curves: &[archsim_patterns::sweep::Curve],
    theory: &[Option<Vec<Said>>],
) -> String {
    let metrics = sweep.metrics();
    let mut out = format!("{},line", sweep.axis().key);
    for m in metrics {
        out.push_str(&format!(",{m} mean,{m} 95% half-width,{m} theory"));
    }
    out.push('\n');
    let number = |v: Option<f64>| {
        v.filter(|v| v.is_finite())
            .map_or(String::new(), |v| v.to_string())
    };
    for (line, label) in labels.iter().enumerate() {
        for (i, point) in curves[line * metrics.len()].points.iter().enumerate() {
            out.push_str(&format!("{},{label}", point.x));
            for m in 0..metrics.len() {
                let p = &curves[line * metrics.len() + m].points[i];
                let t = theory
                    .get(i)
                    .and_then(Option::as_ref)
                    .and_then(|t| t[line * metrics.len() + m].0);
                out.push_str(&format!(
                    ",{},{},{}",
                    number(Some(p.mean)),
                    number(p.half_width),
                    number(t)
                ));
            }
            out.push('\n');
        }
    }
    out
}
