//! What the CQRS diagram draws at one instant: the clients, the write
//! store, the event log and the projector, the read replicas, requests on
//! the wire, and how far the read side is behind the write side.

use super::params::{Architecture, Consistency};
use archsim_core::{Condition, InFlight, SimTime};

/// A party in the diagram, for the messages between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Node {
    /// The clients, drawn as one.
    Clients,
    /// The write store (the one shared database, under a shared model).
    WriteStore,
    /// The projector, which reads the event log and updates the views.
    Projector,
    /// Read replica `n` (from 0).
    Replica(u32),
}

/// What a message on the wire is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Carries {
    /// A command and its acknowledgement.
    Write,
    /// A query and its answer.
    Read,
    /// An event, from the write store's log to the projector, or a view
    /// update from the projector to a replica.
    Event,
}

/// One database: the write store or a read replica.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct StoreView {
    /// Up, slow or down.
    pub condition: Condition,
    /// Workers busy.
    pub busy: u32,
    /// Workers in all.
    pub workers: u32,
    /// Requests waiting for a worker.
    pub queued: u32,
}

/// The projector.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct ProjectorView {
    /// Events in the log it has not applied yet.
    pub behind: u64,
    /// Whether it is applying one now.
    pub busy: bool,
    /// A rebuild under way: events replayed, of how many.
    pub rebuilding: Option<(u64, u64)>,
}

/// Everything the diagram draws at one instant.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Snapshot {
    /// The instant.
    pub now: SimTime,
    /// Where queries are answered.
    pub architecture: Architecture,
    /// What a writer reading back sees.
    pub consistency: Consistency,
    /// The write store.
    pub write_store: StoreView,
    /// The read replicas (none under a shared model).
    pub replicas: Vec<StoreView>,
    /// The projector (none under a shared model, or when views are
    /// updated in the write's own transaction).
    pub projector: Option<ProjectorView>,
    /// Events in the log.
    pub events: u64,
    /// Reads waiting for the read model to reach their version token.
    pub waiting_reads: u32,
    /// Requests, answers and events on the wire, with what each carries.
    pub messages: Vec<(Carries, InFlight<Node>)>,
}
