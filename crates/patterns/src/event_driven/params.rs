//! The event-driven experiment's public parameters.

use crate::fault::Fault;
use crate::params::{
    Field, ParamError, ParamKind, ParamSpec, Scenario, before_end, fields, float, inconsistent,
    int, logged_within, named, names, warmup_within,
};
use archsim_core::Shape;

/// How the producer hands its work to the services downstream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Integration {
    /// It calls every service and waits for all of them to answer.
    SynchronousCalls,
    /// It publishes an event to the broker, which pushes it to each
    /// service's consumers.
    Events,
    /// It writes a row; each service's consumers poll for new rows every
    /// `poll_interval`.
    Polling,
}

impl Integration {
    /// Every way, in the order menus show them.
    pub const ALL: [Integration; 3] = [
        Integration::SynchronousCalls,
        Integration::Events,
        Integration::Polling,
    ];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Integration::SynchronousCalls => "synchronous_calls",
            Integration::Events => "events",
            Integration::Polling => "polling",
        }
    }
}

/// When a consumer commits its offsets, and so what a crash costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Delivery {
    /// Offsets committed as records are fetched, before they are handled:
    /// a crash loses what was fetched and not yet handled.
    AtMostOnce,
    /// Offsets committed every `commit_interval` after handling: a crash
    /// handles again what was handled since the last commit.
    AtLeastOnce,
    /// Each record's offset committed in the same transaction as its
    /// effect: a crash neither loses nor repeats an effect.
    ExactlyOnce,
}

impl Delivery {
    /// Every guarantee, in the order menus show them.
    pub const ALL: [Delivery; 3] = [
        Delivery::AtMostOnce,
        Delivery::AtLeastOnce,
        Delivery::ExactlyOnce,
    ];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Delivery::AtMostOnce => "at_most_once",
            Delivery::AtLeastOnce => "at_least_once",
            Delivery::ExactlyOnce => "exactly_once",
        }
    }
}

/// What an event is routed to a partition by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum PartitionKey {
    /// Nothing: events are spread round robin.
    None,
    /// The account it moves money in: one account, one partition.
    Account,
}

impl PartitionKey {
    /// Every key, in the order menus show them.
    pub const ALL: [PartitionKey; 2] = [PartitionKey::None, PartitionKey::Account];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            PartitionKey::None => "none",
            PartitionKey::Account => "account",
        }
    }
}

/// When the broker acknowledges a write to the producer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Acks {
    /// Never: the producer counts an event sent as written.
    None,
    /// Once the partition leader has it.
    Leader,
    /// Once every in-sync replica has it, and only while at least
    /// `min_in_sync` are in sync.
    All,
}

impl Acks {
    /// Every setting, in the order menus show them.
    pub const ALL: [Acks; 3] = [Acks::None, Acks::Leader, Acks::All];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Acks::None => "none",
            Acks::Leader => "leader",
            Acks::All => "all",
        }
    }
}

/// Everything an event-driven experiment can change. Times are in seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// How the producer reaches the services.
    pub integration: Integration,
    /// Services downstream, each a consumer group of its own.
    pub services: u32,
    /// Partitions of the topic.
    pub partitions: u32,
    /// Consumers (workers, for synchronous calls) per service.
    pub consumers: u32,
    /// Events the producer publishes per second.
    pub publish_rate: f64,
    /// Mean seconds a consumer spends on one event.
    pub handle_time: f64,
    /// Shape of handling times.
    pub handle_distribution: Shape,
    /// Coefficient of variation of handling times (lognormal and pareto).
    pub handle_cv: f64,
    /// Seconds between a polling consumer's looks at the table.
    pub poll_interval: f64,
    /// A synchronous call gives up after this long (0: never).
    pub call_timeout: f64,
    /// The delivery guarantee the consumers implement.
    pub delivery: Delivery,
    /// Seconds between an at-least-once consumer's commits.
    pub commit_interval: f64,
    /// Mean seconds between crashes of each consumer (0: none).
    pub crash_interval: f64,
    /// Seconds a crashed consumer takes to come back.
    pub restart_time: f64,
    /// Seconds a consumer group stops for when a member joins or leaves.
    pub rebalance_time: f64,
    /// What events are partitioned by.
    pub partition_key: PartitionKey,
    /// Accounts the events move money in.
    pub accounts: u32,
    /// When the broker acknowledges a write.
    pub acks: Acks,
    /// Brokers holding a copy of each partition.
    pub replicas: u32,
    /// In-sync replicas an `acks=all` write needs.
    pub min_in_sync: u32,
    /// Mean seconds for a follower to copy a record from the leader.
    pub replication_delay: f64,
    /// Seconds the brokers take to elect a new leader.
    pub election_time: f64,
    /// Times at which the current partition leader dies, e.g. `20,40`.
    pub leader_crashes: String,
    /// When a replay rebuilds the first service's state from the log (0: never).
    pub replay_at: f64,
    /// Events a replay reads per second.
    pub replay_rate: f64,
    /// When an event that no consumer can handle is published (0: never).
    pub poison_at: f64,
    /// Whether a failing event goes to a dead-letter topic after its retries.
    pub dead_letter: bool,
    /// Retries of a failing event before it is dead-lettered.
    pub max_retries: u32,
    /// Seconds between retries of a failing event.
    pub retry_delay: f64,
    /// One-way network delay between any two parties.
    pub network_delay: f64,
    /// Scheduled consumer faults, e.g. `20:down:3,40:recover:3`.
    pub faults: String,
    /// Simulated seconds to run.
    pub duration: f64,
    /// Simulated seconds excluded from statistics.
    pub warmup: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            integration: Integration::Events,
            services: 1,
            partitions: 4,
            consumers: 2,
            publish_rate: 100.0,
            handle_time: 0.01,
            handle_distribution: Shape::Exponential,
            handle_cv: 2.0,
            poll_interval: 1.0,
            call_timeout: 0.0,
            delivery: Delivery::AtLeastOnce,
            commit_interval: 1.0,
            crash_interval: 0.0,
            restart_time: 2.0,
            rebalance_time: 0.5,
            partition_key: PartitionKey::Account,
            accounts: 20,
            acks: Acks::Leader,
            replicas: 1,
            min_in_sync: 1,
            replication_delay: 0.005,
            election_time: 0.5,
            leader_crashes: String::new(),
            replay_at: 0.0,
            replay_rate: 2000.0,
            poison_at: 0.0,
            dead_letter: false,
            max_retries: 3,
            retry_delay: 0.5,
            network_delay: 0.001,
            faults: String::new(),
            duration: 60.0,
            warmup: 5.0,
        }
    }
}

const INTEGRATIONS: [&str; Integration::ALL.len()] = names!(Integration::ALL, name);
const DELIVERIES: [&str; Delivery::ALL.len()] = names!(Delivery::ALL, name);
const KEYS: [&str; PartitionKey::ALL.len()] = names!(PartitionKey::ALL, name);
const ACKS: [&str; Acks::ALL.len()] = names!(Acks::ALL, name);
const SHAPES: [&str; Shape::ALL.len()] = names!(Shape::ALL, name);

named!(Integration => name, Delivery => name, PartitionKey => name, Acks => name);

/// How the leader crashes are written.
const CRASHES_SYNTAX: &str =
    "a comma-separated list of times in seconds at which the partition leader dies, e.g. 20,40";

impl Scenario for Params {
    #[rustfmt::skip]
    const SPECS: &'static [ParamSpec] = &[
        ParamSpec { key: "integration", label: "Integration", unit: "", kind: ParamKind::Choice(&INTEGRATIONS), help: "Call every service and wait, publish an event, or write a row the services poll for." },
        ParamSpec { key: "services", label: "Services", unit: "", kind: int(1, 6), help: "Services downstream of the producer; each is a consumer group of its own." },
        ParamSpec { key: "partitions", label: "Partitions", unit: "", kind: int(1, 64), help: "Partitions of the topic: at most this many consumers of one service work at once." },
        ParamSpec { key: "consumers", label: "Consumers per service", unit: "", kind: int(1, 64), help: "Consumers in each service's group (workers, for synchronous calls)." },
        ParamSpec { key: "publish_rate", label: "Publish rate", unit: "events/s", kind: float(0.1, 5_000.0), help: "Events the producer publishes per second, as a Poisson stream." },
        ParamSpec { key: "handle_time", label: "Handling time", unit: "s", kind: float(0.0001, 10.0), help: "Mean seconds a consumer spends on one event." },
        ParamSpec { key: "handle_distribution", label: "Handling time shape", unit: "", kind: ParamKind::Choice(&SHAPES), help: "Shape of handling times; all have the same mean." },
        ParamSpec { key: "handle_cv", label: "Handling variability", unit: "cv", kind: float(0.1, 10.0), help: "Coefficient of variation for lognormal and pareto handling times." },
        ParamSpec { key: "poll_interval", label: "Poll interval", unit: "s", kind: float(0.01, 60.0), help: "Seconds between a polling consumer's looks for new rows." },
        ParamSpec { key: "call_timeout", label: "Call timeout", unit: "s", kind: float(0.0, 60.0), help: "A synchronous call gives up after this long; 0 means it waits forever." },
        ParamSpec { key: "delivery", label: "Delivery", unit: "", kind: ParamKind::Choice(&DELIVERIES), help: "When consumers commit offsets: before handling, periodically after, or with the effect." },
        ParamSpec { key: "commit_interval", label: "Commit interval", unit: "s", kind: float(0.01, 60.0), help: "Seconds between an at-least-once consumer's offset commits." },
        ParamSpec { key: "crash_interval", label: "Crash interval", unit: "s", kind: float(0.0, 3_600.0), help: "Mean seconds between crashes of each consumer; 0 means none." },
        ParamSpec { key: "restart_time", label: "Restart time", unit: "s", kind: float(0.0, 600.0), help: "Seconds a crashed consumer takes to come back." },
        ParamSpec { key: "rebalance_time", label: "Rebalance pause", unit: "s", kind: float(0.0, 60.0), help: "Seconds a group stops for when a consumer joins or leaves it." },
        ParamSpec { key: "partition_key", label: "Partition key", unit: "", kind: ParamKind::Choice(&KEYS), help: "Route events by account (one account, one partition) or round robin." },
        ParamSpec { key: "accounts", label: "Accounts", unit: "", kind: int(1, 10_000), help: "Accounts the events deposit into and withdraw from." },
        ParamSpec { key: "acks", label: "Acks", unit: "", kind: ParamKind::Choice(&ACKS), help: "When the broker acknowledges a write: never, once the leader has it, or once all in-sync replicas do." },
        ParamSpec { key: "replicas", label: "Replicas", unit: "brokers", kind: int(1, 5), help: "Brokers holding a copy of each partition." },
        ParamSpec { key: "min_in_sync", label: "Minimum in sync", unit: "replicas", kind: int(1, 5), help: "In-sync replicas an acks=all write needs; with fewer, writes are refused." },
        ParamSpec { key: "replication_delay", label: "Replication delay", unit: "s", kind: float(0.0, 1.0), help: "Mean seconds for a follower to copy a record from the leader." },
        ParamSpec { key: "election_time", label: "Election time", unit: "s", kind: float(0.0, 60.0), help: "Seconds the brokers take to elect a new leader." },
        ParamSpec { key: "leader_crashes", label: "Leader crashes", unit: "", kind: ParamKind::Text { syntax: CRASHES_SYNTAX, in_words: crashes_in_words }, help: "Times at which the current partition leader dies." },
        ParamSpec { key: "replay_at", label: "Replay at", unit: "s", kind: float(0.0, 3_600.0), help: "When the first service's state is rebuilt by replaying the log; 0 means never." },
        ParamSpec { key: "replay_rate", label: "Replay rate", unit: "events/s", kind: float(1.0, 1_000_000.0), help: "Events a replay reads per second." },
        ParamSpec { key: "poison_at", label: "Poison event at", unit: "s", kind: float(0.0, 3_600.0), help: "When an event that no consumer can handle is published; 0 means never." },
        ParamSpec { key: "dead_letter", label: "Dead-letter topic", unit: "", kind: ParamKind::Bool, help: "Move an event that keeps failing to a dead-letter topic after its retries." },
        ParamSpec { key: "max_retries", label: "Retries", unit: "", kind: int(0, 100), help: "Retries of a failing event before it is dead-lettered." },
        ParamSpec { key: "retry_delay", label: "Retry delay", unit: "s", kind: float(0.0, 60.0), help: "Seconds between retries of a failing event." },
        ParamSpec { key: "network_delay", label: "Network delay", unit: "s one-way", kind: float(0.0, 1.0), help: "One-way delay between producer, brokers and consumers." },
        ParamSpec { key: "faults", label: "Fault schedule", unit: "", kind: ParamKind::Text { syntax: Fault::SYNTAX, in_words: faults_in_words }, help: "Consumers that go down, slow down or recover at given times (numbered across services)." },
        ParamSpec { key: "duration", label: "Duration", unit: "s", kind: float(1.0, 3_600.0), help: "Simulated seconds to run." },
        ParamSpec { key: "warmup", label: "Warm-up", unit: "s", kind: float(0.0, 3_000.0), help: "Simulated seconds left out of the statistics." },
    ];

    fn fields(&mut self, visit: &mut dyn FnMut(&'static str, &mut dyn Field)) {
        fields!(self, visit: integration, services, partitions, consumers, publish_rate, handle_time, handle_distribution, handle_cv, poll_interval, call_timeout, delivery, commit_interval, crash_interval, restart_time, rebalance_time, partition_key, accounts, acks, replicas, min_in_sync, replication_delay, election_time, leader_crashes, replay_at, replay_rate, poison_at, dead_letter, max_retries, retry_delay, network_delay, faults, duration, warmup);
    }

    fn check(&self) -> Result<(), ParamError> {
        warmup_within(self.warmup, self.duration)?;
        if self.min_in_sync > self.replicas {
            return Err(inconsistent(
                "min_in_sync",
                self.min_in_sync,
                format!(
                    "at most the number of replicas ({}) can be in sync",
                    self.replicas
                ),
            ));
        }
        before_end("replay_at", self.replay_at, self.duration)?;
        before_end("poison_at", self.poison_at, self.duration)?;
        logged_within(self.publish_rate, "events", self.duration)?;
        parse_crashes(&self.leader_crashes, self.duration)?;
        Fault::parse_all(
            &self.faults,
            "consumer",
            self.consumer_count(),
            self.duration,
        )?;
        Ok(())
    }
}

impl Params {
    /// Consumers over every service: how the fault schedule numbers them
    /// (service 1's first, from 1).
    pub fn consumer_count(&self) -> u32 {
        self.services * self.consumers
    }

    /// The scheduled consumer faults, parsed (valid once [`Scenario::check`]
    /// passed).
    pub fn fault_schedule(&self) -> Vec<Fault> {
        Fault::parse_all(
            &self.faults,
            "consumer",
            self.consumer_count(),
            self.duration,
        )
        .unwrap_or_default()
    }

    /// The leader crashes in time order, seconds (valid once checked).
    pub fn crash_times(&self) -> Vec<f64> {
        parse_crashes(&self.leader_crashes, self.duration).unwrap_or_default()
    }
}

/// The leader crashes of `text`, in time order, each inside a run of
/// `duration` seconds.
fn parse_crashes(text: &str, duration: f64) -> Result<Vec<f64>, ParamError> {
    let mut times = Vec::new();
    for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let at: f64 = item.parse().map_err(|_| {
            inconsistent(
                "leader_crashes",
                item,
                format!("{item} is not a time in seconds: write {CRASHES_SYNTAX}"),
            )
        })?;
        if !(at.is_finite() && at > 0.0 && at < duration) {
            return Err(inconsistent(
                "leader_crashes",
                item,
                format!("a crash must come after 0 s and before the end of the run ({duration} s)"),
            ));
        }
        times.push(at);
    }
    times.sort_by(f64::total_cmp);
    Ok(times)
}

/// The leader crashes in words, for the form.
fn crashes_in_words(text: &str) -> Option<String> {
    let times = parse_crashes(text, f64::INFINITY).ok()?;
    let words: Vec<String> = times
        .iter()
        .map(|t| format!("leader dies at {t} s"))
        .collect();
    (!words.is_empty()).then(|| words.join("; "))
}

/// The fault schedule in words, for the form.
fn faults_in_words(text: &str) -> Option<String> {
    crate::fault::in_words(text, "consumer")
}
