//! The sweep worker: the page's bundle in a module worker, running one
//! run per task so that a newer request or a cancel is read between runs.

use super::{Answer, Ask, Said};
use archsim_patterns::sweep::{RunId, Sweep};
use archsim_patterns::{Pattern, Shared};
use gloo_worker::{HandlerId, Registrable, Spawnable, Worker, WorkerBridge, WorkerScope};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The patterns the page registered, for the worker to resolve links
    /// among (a worker is created by the crate, without arguments).
    static PATTERNS: RefCell<Vec<&'static Pattern>> = const { RefCell::new(Vec::new()) };
}

#[wasm_bindgen(module = "/src/sweep/loader.js")]
extern "C" {
    /// Where the worker's first script is.
    #[wasm_bindgen(js_name = loaderUrl)]
    fn loader_url() -> String;
}

#[wasm_bindgen]
extern "C" {
    /// Where this bundle's script is: what the worker loads.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static GLUE_URL: String;
}

/// Whether this bundle runs in a worker rather than on a page.
pub(crate) fn in_worker() -> bool {
    web_sys::window().is_none()
}

/// Serve sweeps of `patterns` from this worker.
pub(crate) fn serve(patterns: Vec<&'static Pattern>) {
    PATTERNS.with(|p| *p.borrow_mut() = patterns);
    SweepWorker::registrar().register();
}

/// Start the worker; `on_answer` hears its answers.
pub(crate) fn spawn(on_answer: impl Fn(Answer) + 'static) -> WorkerBridge<SweepWorker> {
    let glue = GLUE_URL.with(Clone::clone);
    let url = format!(
        "{}?glue={}",
        loader_url(),
        js_sys::encode_uri_component(&glue)
    );
    SweepWorker::spawner()
        .callback(on_answer)
        .with_loader(true)
        .as_module(true)
        .spawn(&url)
}

/// A sweep under way.
struct Job {
    id: u32,
    sweep: Sweep,
    /// Who asked.
    asker: HandlerId,
    /// The next run, in the order of [`Sweep::runs`].
    next: usize,
    runs: Vec<RunId>,
    /// The values of the point under way.
    values: Vec<f64>,
}

/// The worker's state: at most one job.
pub(crate) struct SweepWorker {
    job: Option<Job>,
}

/// Go on with the job: one run.
pub(crate) struct Step;

impl Worker for SweepWorker {
    type Message = Step;
    type Input = Ask;
    type Output = Answer;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        SweepWorker { job: None }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, ask: Ask, asker: HandlerId) {
        match ask {
            Ask::Cancel => self.job = None,
            Ask::Start { job, name, query } => match plan(&name, &query) {
                Ok(sweep) => {
                    let busy = self.job.is_some();
                    self.job = Some(Job {
                        id: job,
                        runs: sweep.runs(),
                        sweep,
                        asker,
                        next: 0,
                        values: Vec::new(),
                    });
                    // A job already under way has a step scheduled, which
                    // now goes on with this one.
                    if !busy {
                        later(scope);
                    }
                }
                Err(why) => {
                    self.job = None;
                    scope.respond(asker, Answer::Failed { job, why });
                }
            },
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, Step: Step) {
        let Some(job) = &mut self.job else { return };
        let id = job.runs[job.next];
        match run(&job.sweep, id) {
            Ok(values) => job.values.extend(values),
            Err(why) => {
                scope.respond(job.asker, Answer::Failed { job: job.id, why });
                self.job = None;
                return;
            }
        }
        job.next += 1;
        if job.next % job.sweep.runs_per_point() == 0 {
            let point = id.point;
            scope.respond(
                job.asker,
                Answer::Point {
                    job: job.id,
                    point: point as u32,
                    values: std::mem::take(&mut job.values),
                    theory: theory(&job.sweep, point),
                },
            );
        }
        if job.next == job.runs.len() {
            self.job = None;
        } else {
            later(scope);
        }
    }
}

/// Schedule the next step as a task of its own, after any message that
/// has arrived meanwhile.
fn later(scope: &WorkerScope<SweepWorker>) {
    let step = scope.callback(|()| Step);
    gloo_timers::callback::Timeout::new(0, move || step(())).forget();
}

/// The sweep in the link to `name` with `query`.
fn plan(name: &str, query: &str) -> Result<Sweep, String> {
    let patterns = PATTERNS.with(|p| p.borrow().clone());
    let (shared, _) = Shared::decode_in(&patterns, name, query).map_err(|e| e.to_string())?;
    let asked = shared.sweep.ok_or("the link asks for no sweep")?;
    asked
        .plan(&shared.experiment, &shared.vary)
        .map_err(|e| e.to_string())
}

/// Run `id` of `sweep` to its end: each metric's value.
fn run(sweep: &Sweep, id: RunId) -> Result<Vec<f64>, String> {
    let experiment = sweep.experiment_at(id).map_err(|e| e.to_string())?;
    let mut live = experiment.start().map_err(|e| e.to_string())?;
    live.run_until(live.end());
    if let Some(stall) = live.stalled() {
        let changes: Vec<String> = sweep
            .changes(id)
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        return Err(format!(
            "the run with {} cannot go on: {stall}",
            changes.join(", ")
        ));
    }
    let stats = live.dashboard().stats;
    Ok(sweep
        .metrics()
        .iter()
        .map(|name| {
            stats
                .iter()
                .find(|s| s.label == name)
                .and_then(|s| s.value)
                .unwrap_or(f64::NAN)
        })
        .collect())
}

/// What theory says at `point`, per line and metric.
fn theory(sweep: &Sweep, point: usize) -> Vec<Said> {
    let mut out = Vec::new();
    for line in 0..sweep.line_count() {
        let experiment = sweep.experiment_at(RunId {
            point,
            line,
            seed: 0,
        });
        for metric in sweep.metrics() {
            let prediction = experiment
                .as_ref()
                .ok()
                .and_then(|e| e.pattern().theory(e.settings(), metric));
            out.push(match prediction {
                Some(Ok(expected)) => (Some(expected.value), expected.source.to_owned()),
                Some(Err(why)) => (None, why.to_owned()),
                None => (None, String::new()),
            });
        }
    }
    out
}
