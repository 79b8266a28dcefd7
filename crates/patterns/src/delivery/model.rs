//! The delivery model: developers' changes through build, test, merge and
//! deploy, in one codebase on a release train or in one codebase per
//! service, each deploying on its own. The clock counts days.
//!
//! A change's life: a developer starts it and works on it for `work_time`
//! on a branch, then commits it; its codebase's build and test runs (as
//! many at once as there are changes: runners are not the bottleneck);
//! then it merges. Each change merged to a codebase conflicts, with
//! `conflict_probability`, with each other change of that codebase still
//! in progress (started, not merged); a conflict is found when the
//! conflicted change's build ends, and costs `rework_time` and another
//! build. Whether a change will fail integration or break production is
//! drawn when it starts, so that both architectures see the same bad
//! changes. A service deploys each change as soon as it merges, after its
//! own fix and rebuild if it failed integration. The monolith's merged
//! changes wait for the release train, which departs every
//! `release_interval`: if any change in its batch fails integration the
//! whole batch is held while it is fixed and the monolith rebuilt, and a
//! departure due meanwhile is skipped. A deploy fails in production if any
//! change in it breaks it, and is restored by a fix and a build.

use super::params::{Architecture, Params};
use super::view::{CodebaseView, Snapshot, Stage, TrainView};
use crate::dashboard::{Happenings, Moment};
use archsim_core::{
    Context, CounterId, Distribution, GaugeId, HistogramId, Metrics, Model, SimTime,
};
use std::collections::BTreeSet;

/// Random stream for starts, their developers and which changes are bad:
/// four draws a change whatever the architecture, so compared variants
/// see the same changes.
const CHANGES: usize = 1;
/// Random stream for conflicts.
const CONFLICTS: usize = 2;

/// Something that happens in the delivery model.
#[derive(Clone, Debug)]
pub struct Event(Happening);

#[derive(Clone, Debug)]
enum Happening {
    /// A developer starts the next change.
    Start,
    /// Change `n` is committed.
    Commit(usize),
    /// Change `n`'s build and test ends.
    Built(usize),
    /// The release train's departure number `n` (from 1) is due.
    Train(u32),
    /// The held train's batch is fixed and rebuilt: it deploys.
    Released,
    /// A failed deploy of `codebase` at `failed_at` has its fix deployed.
    Restored { codebase: u32, failed_at: SimTime },
}

struct Change {
    codebase: u32,
    committed: SimTime,
    merged: SimTime,
    stage: Stage,
    /// Another change merged over it since its last build started.
    conflicted: bool,
    /// Builds so far.
    builds: u32,
    /// Whether its first build found a conflict.
    first_conflicted: bool,
    breaks_integration: bool,
    breaks_production: bool,
    /// Its integration failure has been fixed.
    fixed: bool,
}

/// Metric ids the report reads.
pub(super) struct Ids {
    pub(super) started: CounterId,
    pub(super) committed: CounterId,
    pub(super) merged: CounterId,
    pub(super) deployed: CounterId,
    pub(super) deploys: CounterId,
    pub(super) failed_deploys: CounterId,
    pub(super) conflicts: CounterId,
    pub(super) first_conflicts: CounterId,
    pub(super) integration_failures: CounterId,
    pub(super) held_trains: CounterId,
    pub(super) skipped_trains: CounterId,
    pub(super) lead_time: HistogramId,
    pub(super) train_wait: HistogramId,
    pub(super) restore_time: HistogramId,
    pub(super) in_progress: GaugeId,
    pub(super) waiting: GaugeId,
}

/// Where every change stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accounting {
    /// Changes started.
    pub started: u64,
    /// Started, not yet committed.
    pub developing: u64,
    /// Changes committed.
    pub committed: u64,
    /// Committed, not merged: building, reworking a conflict or fixing a
    /// failed integration.
    pub in_pipeline: u64,
    /// Merged, waiting for the train.
    pub waiting: u64,
    /// In a held train's batch.
    pub held: u64,
    /// In production.
    pub deployed: u64,
}

/// The release train of the monolith.
#[derive(Default)]
struct Train {
    /// Merged changes waiting for the next departure.
    waiting: Vec<usize>,
    /// The batch of a train held for a fix, and when it will deploy.
    held: Option<(Vec<usize>, SimTime)>,
}

/// The delivery model.
pub struct Delivery {
    params: Params,
    start_gap: Distribution,
    build: SimTime,
    changes: Vec<Change>,
    /// Per codebase, the changes in progress: started, not merged.
    in_progress: Vec<BTreeSet<usize>>,
    /// Per codebase, changes in each stage.
    stages: Vec<[u32; Stage::ALL.len()]>,
    /// Per codebase, failed deploys not yet restored.
    broken: Vec<u32>,
    train: Option<Train>,
    happened: Happenings,
    pub(super) ids: Ids,
}

fn days(d: f64) -> SimTime {
    SimTime::from_secs_f64(d)
}

impl Delivery {
    /// Build the model for checked `params`, registering its metrics.
    pub(super) fn new(params: &Params, metrics: &mut Metrics) -> Self {
        let rate = params.change_rate * f64::from(params.developers());
        let codebases = params.codebases() as usize;
        let ids = Ids {
            started: metrics.counter("started"),
            committed: metrics.counter("committed"),
            merged: metrics.counter("merged"),
            deployed: metrics.counter("deployed"),
            deploys: metrics.counter("deploys"),
            failed_deploys: metrics.counter("failed_deploys"),
            conflicts: metrics.counter("conflicts"),
            first_conflicts: metrics.counter("first_conflicts"),
            integration_failures: metrics.counter("integration_failures"),
            held_trains: metrics.counter("held_trains"),
            skipped_trains: metrics.counter("skipped_trains"),
            lead_time: metrics.histogram("lead_time"),
            train_wait: metrics.histogram("train_wait"),
            restore_time: metrics.histogram("restore_time"),
            in_progress: metrics.gauge("in_progress"),
            waiting: metrics.gauge("waiting"),
        };
        Delivery {
            params: params.clone(),
            start_gap: Distribution::Exponential { mean: 1.0 / rate },
            build: days(params.build_days()),
            changes: Vec::new(),
            in_progress: vec![BTreeSet::new(); codebases],
            stages: vec![[0; Stage::ALL.len()]; codebases],
            broken: vec![0; codebases],
            train: (params.architecture == Architecture::Monolith).then(Train::default),
            happened: Happenings::default(),
            ids,
        }
    }

    /// The parameters it was built with.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// What the charts mark up to `now`: trains held for a fix.
    pub fn moments(&self, now: SimTime) -> Vec<Moment> {
        self.happened.moments(&[], "", now)
    }

    /// Move change `id` to `stage`.
    fn enter(&mut self, id: usize, stage: Stage) {
        let c = &mut self.changes[id];
        let counts = &mut self.stages[c.codebase as usize];
        counts[c.stage as usize] -= 1;
        counts[stage as usize] += 1;
        c.stage = stage;
    }

    fn start(&mut self, cx: &mut Context<'_, Event>) {
        let p = &self.params;
        let rng = cx.stream(CHANGES);
        let gap = self.start_gap.sample(rng);
        let developer = rng.below(u64::from(p.developers())) as u32;
        let breaks_integration = rng.chance(p.integration_failure);
        let breaks_production = rng.chance(p.change_failure);
        let codebase = p.codebase_of(developer / p.team_size);
        let id = self.changes.len();
        let now = cx.now();
        self.changes.push(Change {
            codebase,
            committed: now,
            merged: now,
            stage: Stage::Developing,
            conflicted: false,
            builds: 0,
            first_conflicted: false,
            breaks_integration,
            breaks_production,
            fixed: false,
        });
        self.stages[codebase as usize][Stage::Developing as usize] += 1;
        self.in_progress[codebase as usize].insert(id);
        cx.count(self.ids.started, 1);
        cx.add_gauge(self.ids.in_progress, 1.0);
        cx.schedule(days(self.params.work_time), Event(Happening::Commit(id)));
        cx.schedule(gap, Event(Happening::Start));
    }

    fn commit(&mut self, id: usize, cx: &mut Context<'_, Event>) {
        self.changes[id].committed = cx.now();
        cx.count(self.ids.committed, 1);
        self.build_after(id, Stage::Building, SimTime::ZERO, cx);
    }

    /// Change `id` enters `stage`, then is built after `delay`.
    fn build_after(
        &mut self,
        id: usize,
        stage: Stage,
        delay: SimTime,
        cx: &mut Context<'_, Event>,
    ) {
        self.enter(id, stage);
        self.changes[id].builds += 1;
        cx.schedule(delay + self.build, Event(Happening::Built(id)));
    }

    fn built(&mut self, id: usize, cx: &mut Context<'_, Event>) {
        let c = &mut self.changes[id];
        if c.conflicted {
            c.conflicted = false;
            c.first_conflicted |= c.builds == 1;
            cx.count(self.ids.conflicts, 1);
            self.build_after(id, Stage::Reworking, days(self.params.rework_time), cx);
            return;
        }
        // A service's pipeline tests the change on its own: only it waits
        // for its fix. The monolith's train tests the batch instead.
        if self.train.is_none() && c.breaks_integration && !c.fixed {
            c.fixed = true;
            cx.count(self.ids.integration_failures, 1);
            self.build_after(id, Stage::Fixing, days(self.params.fix_time), cx);
            return;
        }
        self.merge(id, cx);
    }

    fn merge(&mut self, id: usize, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let c = &mut self.changes[id];
        c.merged = now;
        let codebase = c.codebase as usize;
        if c.first_conflicted {
            cx.count(self.ids.first_conflicts, 1);
        }
        cx.count(self.ids.merged, 1);
        cx.add_gauge(self.ids.in_progress, -1.0);
        self.in_progress[codebase].remove(&id);
        let p = self.params.conflict_probability;
        for &other in &self.in_progress[codebase] {
            let o = &mut self.changes[other];
            if !o.conflicted && cx.stream(CONFLICTS).chance(p) {
                o.conflicted = true;
            }
        }
        match &mut self.train {
            Some(train) => {
                train.waiting.push(id);
                cx.add_gauge(self.ids.waiting, 1.0);
                self.enter(id, Stage::Waiting);
            }
            None => self.deploy(vec![id], cx),
        }
    }

    fn depart(&mut self, n: u32, cx: &mut Context<'_, Event>) {
        let next = days(f64::from(n + 1) * self.params.release_interval);
        cx.schedule_at(next, Event(Happening::Train(n + 1)));
        let Some(train) = &mut self.train else {
            return;
        };
        if train.held.is_some() {
            cx.count(self.ids.skipped_trains, 1);
            return;
        }
        let batch = std::mem::take(&mut train.waiting);
        if batch.is_empty() {
            return;
        }
        cx.add_gauge(self.ids.waiting, -(batch.len() as f64));
        let failing = batch
            .iter()
            .filter(|&&id| self.changes[id].breaks_integration)
            .count();
        if failing == 0 {
            self.deploy(batch, cx);
            return;
        }
        let until = cx.now() + days(self.params.fix_time) + self.build;
        cx.count(self.ids.integration_failures, failing as u64);
        cx.count(self.ids.held_trains, 1);
        self.happened.mark(cx.now(), format!("train {n} held"));
        for &id in &batch {
            self.enter(id, Stage::Held);
        }
        if let Some(train) = &mut self.train {
            train.held = Some((batch, until));
        }
        cx.schedule_at(until, Event(Happening::Released));
    }

    fn released(&mut self, cx: &mut Context<'_, Event>) {
        if let Some((batch, _)) = self.train.as_mut().and_then(|t| t.held.take()) {
            self.deploy(batch, cx);
        }
    }

    /// Deploy `batch` (all of one codebase) to production.
    fn deploy(&mut self, batch: Vec<usize>, cx: &mut Context<'_, Event>) {
        let now = cx.now();
        let mut breaks = false;
        for &id in &batch {
            self.enter(id, Stage::Deployed);
            let c = &self.changes[id];
            breaks |= c.breaks_production;
            cx.observe(self.ids.lead_time, now - c.committed);
            if self.train.is_some() {
                cx.observe(self.ids.train_wait, now - c.merged);
            }
        }
        let codebase = self.changes[batch[0]].codebase;
        cx.count(self.ids.deployed, batch.len() as u64);
        cx.count(self.ids.deploys, 1);
        if breaks {
            cx.count(self.ids.failed_deploys, 1);
            self.broken[codebase as usize] += 1;
            let restored = days(self.params.fix_time) + self.build;
            cx.schedule(
                restored,
                Event(Happening::Restored {
                    codebase,
                    failed_at: now,
                }),
            );
        }
    }

    fn restored(&mut self, codebase: u32, failed_at: SimTime, cx: &mut Context<'_, Event>) {
        self.broken[codebase as usize] -= 1;
        cx.observe(self.ids.restore_time, cx.now() - failed_at);
    }

    /// Changes in `stage`, over every codebase.
    fn in_stage(&self, stage: Stage) -> u64 {
        self.stages
            .iter()
            .map(|s| u64::from(s[stage as usize]))
            .sum()
    }

    /// Where every change stands: what conservation is checked against.
    pub fn accounting(&self, metrics: &Metrics) -> Accounting {
        Accounting {
            started: metrics.total(self.ids.started),
            developing: self.in_stage(Stage::Developing),
            committed: metrics.total(self.ids.committed),
            in_pipeline: self.in_stage(Stage::Building)
                + self.in_stage(Stage::Reworking)
                + self.in_stage(Stage::Fixing),
            waiting: self.in_stage(Stage::Waiting),
            held: self.in_stage(Stage::Held),
            deployed: self.in_stage(Stage::Deployed),
        }
    }
}

impl Model for Delivery {
    type Event = Event;
    type Snapshot = Snapshot;

    fn start(&mut self, cx: &mut Context<'_, Event>) {
        cx.schedule(SimTime::ZERO, Event(Happening::Start));
        if self.train.is_some() {
            cx.schedule(
                days(self.params.release_interval),
                Event(Happening::Train(1)),
            );
        }
    }

    fn handle(&mut self, Event(event): Event, cx: &mut Context<'_, Event>) {
        match event {
            Happening::Start => self.start(cx),
            Happening::Commit(id) => self.commit(id, cx),
            Happening::Built(id) => self.built(id, cx),
            Happening::Train(n) => self.depart(n, cx),
            Happening::Released => self.released(cx),
            Happening::Restored {
                codebase,
                failed_at,
            } => self.restored(codebase, failed_at, cx),
        }
    }

    fn snapshot(&self, now: SimTime) -> Snapshot {
        let p = &self.params;
        let codebases = (0..p.codebases())
            .map(|c| {
                let counts = self.stages[c as usize];
                CodebaseView {
                    kloc: p.codebase_kloc(),
                    build_days: p.build_days(),
                    people: p.people_in(c),
                    stages: Stage::ALL.map(|s| counts[s as usize]),
                    broken: self.broken[c as usize],
                }
            })
            .collect();
        let train = self.train.as_ref().map(|t| {
            let interval = p.release_interval;
            let departed = (now.as_secs_f64() / interval).floor();
            TrainView {
                waiting: t.waiting.len() as u32,
                held: t
                    .held
                    .as_ref()
                    .map(|(batch, until)| (batch.len() as u32, *until)),
                next_departure: days((departed + 1.0) * interval),
            }
        });
        Snapshot {
            now,
            architecture: p.architecture,
            codebases,
            train,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Architecture, Params, Report, simulation};
    use archsim_core::SimTime;

    fn params(architecture: Architecture) -> Params {
        Params {
            architecture,
            duration: 60.0,
            warmup: 7.0,
            ..Params::default()
        }
    }

    #[test]
    fn every_change_is_accounted_for_at_every_moment() {
        for architecture in Architecture::ALL {
            let mut sim = simulation(&params(architecture), 5).unwrap();
            for day in 1..=60 {
                sim.run_until(SimTime::from_secs(day));
                let a = sim.model().accounting(sim.metrics());
                assert_eq!(
                    a.committed,
                    a.in_pipeline + a.waiting + a.held + a.deployed,
                    "{architecture:?} day {day}: {a:?}"
                );
                assert_eq!(a.started, a.developing + a.committed, "{a:?}");
                if architecture == Architecture::Microservices {
                    assert_eq!(a.waiting + a.held, 0, "no train: {a:?}");
                }
            }
        }
    }

    #[test]
    fn the_train_deploys_only_at_departures_or_when_a_hold_ends() {
        let p = params(Architecture::Monolith);
        let hold = p.fix_time + p.build_days();
        let mut sim = simulation(&p, 7).unwrap();
        let deploys = sim.model().ids.deploys;
        let mut seen = 0;
        let on_grid = |t: f64| {
            let k = (t / p.release_interval).round();
            k >= 1.0 && (t - k * p.release_interval).abs() < 1e-5
        };
        while sim.now() < SimTime::from_secs(60) && sim.step() {
            let now = sim.metrics().total(deploys);
            if now > seen {
                let t = sim.now().as_secs_f64();
                assert!(on_grid(t) || on_grid(t - hold), "a deploy at day {t}");
                seen = now;
            }
        }
        assert!(seen >= 7, "{seen} trains in 60 days");
    }

    #[test]
    fn services_deploy_each_change_when_its_build_ends() {
        let p = Params {
            conflict_probability: 0.0,
            integration_failure: 0.0,
            ..params(Architecture::Microservices)
        };
        let report = Report::of(&{
            let mut sim = simulation(&p, 3).unwrap();
            sim.run_until(SimTime::from_secs(60));
            sim
        });
        let build = p.build_days();
        assert!((report.lead_time.mean - build).abs() < 1e-5, "{report:?}");
        assert!((report.lead_time.max - build).abs() < 1e-5, "{report:?}");
        assert_eq!(report.deploys, report.deployed, "one change a deploy");
        assert_eq!(report.train_wait.max, 0.0, "nothing waits for a train");
    }

    #[test]
    fn variants_see_the_same_changes_and_runs_repeat() {
        let run = |architecture| {
            let mut sim = simulation(&params(architecture), 11).unwrap();
            sim.run_until(SimTime::from_secs(60));
            Report::of(&sim)
        };
        let (monolith, services) = (
            run(Architecture::Monolith),
            run(Architecture::Microservices),
        );
        assert_eq!(monolith.changes, services.changes, "the same commits");
        assert_eq!(monolith, run(Architecture::Monolith), "deterministic");
        assert!(monolith.changes > 1000);
    }
}
