//! What the event-driven diagram draws at one instant: the producer, the
//! brokers holding the topic's partitions, each service's consumers with
//! the partitions they own, events on the wire, a replay under way and one
//! event's causal trace.

use super::params::Integration;
use archsim_core::{Condition, InFlight, SimTime};

/// A party in the diagram, for the messages between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Node {
    /// The producer.
    Producer,
    /// The brokers (the partition leader), drawn as one log.
    Broker,
    /// Service `n` (from 0), when it is called synchronously.
    Service(u32),
    /// Consumer `n` (from 0, numbered across services).
    Consumer(u32),
}

/// One broker replica.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct BrokerView {
    /// Up or dead.
    pub condition: Condition,
    /// Whether it leads the partitions now.
    pub leader: bool,
    /// Whether it is in the in-sync replica set.
    pub in_sync: bool,
    /// Records of the leader's log it does not hold yet.
    pub behind: u64,
}

/// One partition of the topic.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct PartitionView {
    /// Records written to it (its end offset).
    pub end: u64,
    /// Records of it the first service has not committed.
    pub lag: u64,
    /// Whether the first service is stuck retrying one of its records.
    pub blocked: bool,
}

/// One consumer.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct ConsumerView {
    /// Up, slow or down.
    pub condition: Condition,
    /// Whether it is handling an event now.
    pub busy: bool,
    /// Events delivered to it and waiting.
    pub buffered: u32,
    /// The partitions it owns (none while its group rebalances, or when
    /// there are more consumers than partitions).
    pub partitions: Vec<u32>,
    /// Whether the event it is on has failed and is being retried.
    pub retrying: bool,
}

/// One service downstream: a consumer group, or a pool of workers when
/// it is called synchronously.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct ServiceView {
    /// Its consumers (workers).
    pub consumers: Vec<ConsumerView>,
    /// Records of the topic it has not committed (events), or calls
    /// waiting for a worker (synchronous calls).
    pub backlog: u64,
    /// Whether its group is stopped for a rebalance.
    pub rebalancing: bool,
}

/// A replay rebuilding the first service's state from the log.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct ReplayView {
    /// Records replayed so far.
    pub replayed: u64,
    /// Records in the log now.
    pub total: u64,
    /// The rebuilt state is the state as of this time: when the newest
    /// record replayed was published, seconds.
    pub as_of: f64,
    /// When the replay caught up with the log, seconds.
    pub caught_up_at: Option<f64>,
    /// Checksums of the live state and the rebuilt one, once both have
    /// applied the same records.
    pub checksums: Option<(u64, u64)>,
}

/// What a stretch of an event's life was spent on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum SpanKind {
    /// On the network.
    Network,
    /// Being copied to the brokers' other replicas.
    Replication,
    /// Waiting: in the log, in a consumer's buffer, in a service's queue.
    Waiting,
    /// Being handled.
    Work,
    /// A handling that failed.
    Failed,
}

/// One stretch of a traced event's life.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Span {
    /// What it was, e.g. "service 2: wait in buffer".
    pub label: String,
    /// What kind of stretch.
    pub kind: SpanKind,
    /// From, seconds.
    pub from: f64,
    /// To, seconds.
    pub to: f64,
}

/// One event's (or request's) causal trace, carried by its correlation id.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Trace {
    /// The correlation id.
    pub id: u64,
    /// Its spans, in the order they started.
    pub spans: Vec<Span>,
}

/// Everything the diagram draws at one instant.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Snapshot {
    /// The instant.
    pub now: SimTime,
    /// How the producer reaches the services.
    pub integration: Integration,
    /// The broker replicas (events and polling).
    pub brokers: Vec<BrokerView>,
    /// The topic's partitions (events and polling).
    pub partitions: Vec<PartitionView>,
    /// The services downstream.
    pub services: Vec<ServiceView>,
    /// Events, calls and replies on the wire.
    pub messages: Vec<InFlight<Node>>,
    /// Events moved to the dead-letter topic.
    pub dead_letters: u64,
    /// A replay, once it has started.
    pub replay: Option<ReplayView>,
    /// The newest complete trace of one event through every service.
    pub trace: Option<Trace>,
}
