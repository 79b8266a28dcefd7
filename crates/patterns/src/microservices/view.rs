//! What the microservices diagram draws at one instant: the users, the
//! services (or the one monolith) with their workers and queues, the
//! stores, the breakers on the calls between services, calls and answers
//! in flight, the locks held, and the trace of the last page served.

use super::breaker::BreakerState;
use super::params::{Architecture, Transaction};
use super::topology::{Op, Page, Service};
use archsim_core::{Condition, InFlight, SimTime};

/// A party in the diagram, for the messages between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Node {
    /// The users, drawn as one.
    Users,
    /// A service (under a monolith, the monolith is drawn as one node).
    Service(Service),
    /// The monolith.
    Monolith,
}

/// What a message on the wire is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Carries {
    /// A call.
    Call(Op),
    /// An answer: whether it succeeded.
    Answer(bool),
    /// A two-phase commit's decision: whether it commits.
    Decision(bool),
}

/// One deployable: a service, or the monolith.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct DeployableView {
    /// Which service (none for the monolith).
    pub service: Option<Service>,
    /// Up, slow or down (the monolith: down if any module brought it down,
    /// else slow if any is slow).
    pub condition: Condition,
    /// Replicas running.
    pub replicas: u32,
    /// Workers busy, and in all.
    pub busy: u32,
    /// Workers in all.
    pub workers: u32,
    /// Calls waiting for a worker.
    pub queued: u32,
}

/// One database: a service's store, the shared database, or the
/// reporting store.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct StoreView {
    /// Whose it is: a service's, or none for the shared database (or,
    /// last in the list, the reporting store).
    pub owner: Option<Service>,
    /// Connections busy.
    pub busy: u32,
    /// Connections in all.
    pub connections: u32,
    /// Queries waiting for one.
    pub queued: u32,
}

/// A breaker on one caller's calls to one service, where it is not closed.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct BreakerView {
    /// The caller.
    pub from: Service,
    /// The service it calls.
    pub to: Service,
    /// Open or half-open.
    pub state: BreakerState,
}

/// One span of a trace: a call served by one service.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Span {
    /// Who served it (none: the monolith).
    pub service: Option<Service>,
    /// What was asked.
    pub op: Op,
    /// Calls between it and the user.
    pub depth: u32,
    /// From its arrival to its answer, seconds since the page was asked for.
    pub start: f64,
    /// Its answer.
    pub end: f64,
    /// Seconds of it spent waiting: for a worker, a connection or a lock.
    pub waited: f64,
    /// Whether it answered with success.
    pub ok: bool,
}

/// The trace of one page, as a waterfall of spans.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct TraceView {
    /// Which page.
    pub page: Page,
    /// When it was asked for.
    pub at: SimTime,
    /// Seconds from asking to the answer.
    pub took: f64,
    /// Whether it was served (if degraded, still served).
    pub ok: bool,
    /// Its spans, in the order they started.
    pub spans: Vec<Span>,
}

/// Everything the diagram draws at one instant.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
pub struct Snapshot {
    /// The instant.
    pub now: SimTime,
    /// How the shop is deployed.
    pub architecture: Architecture,
    /// How orders commit.
    pub transaction: Transaction,
    /// The services, in fault order; or the monolith alone.
    pub deployables: Vec<DeployableView>,
    /// The databases.
    pub stores: Vec<StoreView>,
    /// Breakers not closed.
    pub breakers: Vec<BreakerView>,
    /// Stock items locked, and calls waiting for a lock.
    pub locks: (u32, u32),
    /// Two-phase commits whose coordinator died after the participants
    /// voted: they hold their locks until it is back.
    pub in_doubt: u32,
    /// Pages being served.
    pub in_flight: u32,
    /// Calls and answers on the wire, with what each carries.
    pub messages: Vec<(Carries, InFlight<Node>)>,
    /// The last checkout served (or browse, with no checkouts), as spans.
    pub trace: Option<TraceView>,
}
