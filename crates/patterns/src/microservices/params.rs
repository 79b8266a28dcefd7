//! The microservices experiment's public parameters.

use super::topology::{SERVICES, Service};
use crate::fault::Fault;
use crate::params::{
    Field, ParamError, ParamKind, ParamSpec, Scenario, fields, float, inconsistent, int, named,
    names, warmup_within,
};

/// How the shop is deployed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Architecture {
    /// One deployable: every function in every replica, calls in-process,
    /// one database.
    Monolith,
    /// One deployable per service, each with its own replicas and store,
    /// calls over the network.
    Microservices,
}

impl Architecture {
    /// Every architecture, in the order menus show them.
    pub const ALL: [Architecture; 2] = [Architecture::Monolith, Architecture::Microservices];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Architecture::Monolith => "monolith",
            Architecture::Microservices => "microservices",
        }
    }
}

/// What a caller does when a call fails or times out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum RetryPolicy {
    /// Never again.
    None,
    /// At once, up to `retries` times.
    Immediate,
    /// After a random wait up to `backoff` × 2^(try − 1) ("full jitter").
    Backoff,
    /// At once, but only while the caller's retry budget (a token bucket
    /// filled by first tries) has a token.
    Budget,
}

impl RetryPolicy {
    /// Every policy, in the order menus show them.
    pub const ALL: [RetryPolicy; 4] = [
        RetryPolicy::None,
        RetryPolicy::Immediate,
        RetryPolicy::Backoff,
        RetryPolicy::Budget,
    ];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            RetryPolicy::None => "none",
            RetryPolicy::Immediate => "immediate",
            RetryPolicy::Backoff => "backoff",
            RetryPolicy::Budget => "budget",
        }
    }
}

/// Whether a service's callers watch it with a circuit breaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Switch {
    /// No breaker.
    Off,
    /// A breaker per caller and dependency.
    On,
}

impl Switch {
    /// Both, in the order menus show them.
    pub const ALL: [Switch; 2] = [Switch::Off, Switch::On];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Switch::Off => "off",
            Switch::On => "on",
        }
    }
}

/// Where the services keep their data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Database {
    /// One database for every service (and the reporting queries).
    Shared,
    /// A store per service; the reporting queries have their own.
    PerService,
}

impl Database {
    /// Both, in the order menus show them.
    pub const ALL: [Database; 2] = [Database::Shared, Database::PerService];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Database::Shared => "shared",
            Database::PerService => "per_service",
        }
    }
}

/// How placing an order commits across orders, inventory and payments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Transaction {
    /// Prepare everywhere, holding locks, then commit or abort everywhere.
    TwoPhaseCommit,
    /// Local transactions one after the other; a failure runs the
    /// compensations of the steps done, in reverse.
    Saga,
}

impl Transaction {
    /// Both, in the order menus show them.
    pub const ALL: [Transaction; 2] = [Transaction::TwoPhaseCommit, Transaction::Saga];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Transaction::TwoPhaseCommit => "two_phase_commit",
            Transaction::Saga => "saga",
        }
    }
}

/// Which service's runtime pauses now and then (a garbage collector, say).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Paused {
    /// No runtime pauses.
    None,
    /// This service's runtime (under a monolith, the one runtime of all).
    Service(Service),
}

impl Paused {
    /// Every choice, in the order menus show them.
    pub const ALL: [Paused; 1 + SERVICES.len()] = {
        let mut all = [Paused::None; 1 + SERVICES.len()];
        let mut i = 0;
        while i < SERVICES.len() {
            all[i + 1] = Paused::Service(SERVICES[i]);
            i += 1;
        }
        all
    };

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Paused::None => "none",
            Paused::Service(s) => s.name(),
        }
    }
}

/// Everything a microservices experiment can change. Times are in seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// How the shop is deployed.
    pub architecture: Architecture,
    /// Page requests per second from the users.
    pub request_rate: f64,
    /// Share of requests that are checkouts; the rest browse.
    pub checkout_share: f64,
    /// Replicas of each service (of the whole monolith).
    pub replicas: u32,
    /// Replicas of the services the browsing loads (recommendations and
    /// inventory); a monolith can only scale whole, so it runs this many
    /// copies of everything.
    pub browse_replicas: u32,
    /// Workers of one replica of a service; a monolith replica has as many
    /// as one replica of every service together.
    pub workers: u32,
    /// Connections each replica of a service has to its store (a shared
    /// database has all of them together, and the reports' pool).
    pub connections: u32,
    /// Stock lookups recommendations makes at once for one page.
    pub fanout: u32,
    /// One-way network delay between services.
    pub network_delay: f64,
    /// How long a caller waits for a leaf service (callers of services with
    /// callees of their own wait a multiple); 0 waits for ever.
    pub call_timeout: f64,
    /// Retries after the first try, at every caller.
    pub retries: u32,
    /// What a caller does when a call fails.
    pub retry_policy: RetryPolicy,
    /// The first backoff wait, for the backoff policy.
    pub backoff: f64,
    /// Retries a caller may make per first try, for the budget policy.
    pub retry_budget: f64,
    /// Circuit breakers on every call between services.
    pub circuit_breaker: Switch,
    /// Whether a caller gives each dependency a pool of its own workers.
    pub bulkheads: bool,
    /// Whether optional calls (recommendations, stock, shipping quotes)
    /// fall back to a default when they fail.
    pub fallback: bool,
    /// Probability that a call to a service (to the monolith) succeeds.
    pub service_availability: f64,
    /// Whose runtime pauses.
    pub paused_service: Paused,
    /// Probability that a call meets a pause of its runtime.
    pub pause_share: f64,
    /// How long a pause lasts.
    pub pause_time: f64,
    /// Where the services keep their data.
    pub database: Database,
    /// Heavy reporting queries per second on the reporting data.
    pub report_rate: f64,
    /// Mean seconds of one reporting query.
    pub report_time: f64,
    /// How placing an order commits.
    pub transaction: Transaction,
    /// Stock items orders are placed for, each equally often.
    pub items: u32,
    /// Probability that a payment is declined.
    pub decline_share: f64,
    /// Scheduled service faults, e.g. `20:down:2,40:recover:2`.
    pub faults: String,
    /// Simulated seconds to run.
    pub duration: f64,
    /// Simulated seconds excluded from statistics.
    pub warmup: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            architecture: Architecture::Microservices,
            request_rate: 100.0,
            checkout_share: 0.3,
            replicas: 2,
            browse_replicas: 2,
            workers: 8,
            connections: 8,
            fanout: 3,
            network_delay: 0.001,
            call_timeout: 0.5,
            retries: 2,
            retry_policy: RetryPolicy::None,
            backoff: 0.05,
            retry_budget: 0.1,
            circuit_breaker: Switch::Off,
            bulkheads: false,
            fallback: true,
            service_availability: 1.0,
            paused_service: Paused::None,
            pause_share: 0.01,
            pause_time: 0.2,
            database: Database::PerService,
            report_rate: 0.0,
            report_time: 0.5,
            transaction: Transaction::Saga,
            items: 1000,
            decline_share: 0.0,
            faults: String::new(),
            duration: 60.0,
            warmup: 5.0,
        }
    }
}

const ARCHITECTURES: [&str; Architecture::ALL.len()] = names!(Architecture::ALL, name);
const POLICIES: [&str; RetryPolicy::ALL.len()] = names!(RetryPolicy::ALL, name);
const SWITCHES: [&str; Switch::ALL.len()] = names!(Switch::ALL, name);
const DATABASES: [&str; Database::ALL.len()] = names!(Database::ALL, name);
const TRANSACTIONS: [&str; Transaction::ALL.len()] = names!(Transaction::ALL, name);
const PAUSED: [&str; Paused::ALL.len()] = names!(Paused::ALL, name);

named!(
    Architecture => name,
    RetryPolicy => name,
    Switch => name,
    Database => name,
    Transaction => name,
    Paused => name,
);

/// The most requests a run may make: every request keeps its outcome, so
/// the log of a run is bounded.
const MAX_REQUESTS: f64 = 2_000_000.0;

impl Scenario for Params {
    #[rustfmt::skip]
    const SPECS: &'static [ParamSpec] = &[
        ParamSpec { key: "architecture", label: "Architecture", unit: "", kind: ParamKind::Choice(&ARCHITECTURES), help: "One deployable with every function in it, or a service per function with calls over the network." },
        ParamSpec { key: "request_rate", label: "Request rate", unit: "req/s", kind: float(0.1, 20_000.0), help: "Page requests per second, as a Poisson stream." },
        ParamSpec { key: "checkout_share", label: "Checkout share", unit: "", kind: float(0.0, 1.0), help: "Share of requests that place an order; the rest browse a page with recommendations." },
        ParamSpec { key: "replicas", label: "Replicas", unit: "per service", kind: int(1, 32), help: "Replicas of each service; of the whole monolith." },
        ParamSpec { key: "browse_replicas", label: "Browse-path replicas", unit: "", kind: int(1, 64), help: "Replicas of the services the browsing loads (recommendations, and inventory for their stock); a monolith, which scales only whole, runs this many copies of everything (or replicas, if more)." },
        ParamSpec { key: "workers", label: "Workers per replica", unit: "", kind: int(1, 256), help: "Requests one replica of a service handles at once; a monolith replica has one service's worth per function." },
        ParamSpec { key: "connections", label: "Store connections", unit: "per replica", kind: int(1, 256), help: "Queries each replica of a service runs on its store at once (and the reports on theirs); a shared database has them all together." },
        ParamSpec { key: "fanout", label: "Fan-out", unit: "calls", kind: int(0, 100), help: "Stock lookups recommendations makes in parallel for one page; the page waits for the slowest." },
        ParamSpec { key: "network_delay", label: "Network delay", unit: "s one-way", kind: float(0.0, 1.0), help: "One-way delay of a call between services; calls inside a monolith have none." },
        ParamSpec { key: "call_timeout", label: "Call timeout", unit: "s", kind: float(0.0, 60.0), help: "How long a caller waits for a leaf service, and one more of it for each layer of services below the one it calls (four for the gateway); 0 waits for ever." },
        ParamSpec { key: "retries", label: "Retries", unit: "", kind: int(0, 5), help: "Tries after the first, at every caller, users included." },
        ParamSpec { key: "retry_policy", label: "Retry policy", unit: "", kind: ParamKind::Choice(&POLICIES), help: "No retries; at once; after a random backoff; or at once within a budget of retries per first try." },
        ParamSpec { key: "backoff", label: "First backoff", unit: "s", kind: float(0.001, 10.0), help: "The longest wait before the first retry under backoff; it doubles with each try." },
        ParamSpec { key: "retry_budget", label: "Retry budget", unit: "per try", kind: float(0.0, 1.0), help: "Retries a caller may make per first try, under the budget policy." },
        ParamSpec { key: "circuit_breaker", label: "Circuit breakers", unit: "", kind: ParamKind::Choice(&SWITCHES), help: "A breaker on every caller's calls to each service: open after too many failures, half-open to try again." },
        ParamSpec { key: "bulkheads", label: "Bulkheads", unit: "", kind: ParamKind::Bool, help: "Each caller keeps a share of its workers for each dependency, so one slow dependency cannot take them all." },
        ParamSpec { key: "fallback", label: "Fallbacks", unit: "", kind: ParamKind::Bool, help: "Optional calls (recommendations, stock, shipping quotes) answer with a default when they fail: the page is served, degraded." },
        ParamSpec { key: "service_availability", label: "Service availability", unit: "", kind: float(0.5, 1.0), help: "Probability that a call to a service (to the monolith) succeeds, each call independently." },
        ParamSpec { key: "paused_service", label: "Pausing runtime", unit: "", kind: ParamKind::Choice(&PAUSED), help: "The service whose runtime pauses now and then; a monolith has one runtime for all its functions." },
        ParamSpec { key: "pause_share", label: "Pause share", unit: "", kind: float(0.0, 1.0), help: "Probability that a call meets a pause of the pausing runtime." },
        ParamSpec { key: "pause_time", label: "Pause length", unit: "s", kind: float(0.0, 10.0), help: "How long a pause holds a call." },
        ParamSpec { key: "database", label: "Database", unit: "", kind: ParamKind::Choice(&DATABASES), help: "One database shared by every service and the reports, or a store per service; a monolith always has one." },
        ParamSpec { key: "report_rate", label: "Report rate", unit: "queries/s", kind: float(0.0, 1_000.0), help: "Heavy reporting queries per second on the shop's data." },
        ParamSpec { key: "report_time", label: "Report query time", unit: "s", kind: float(0.001, 60.0), help: "Mean seconds one reporting query holds a connection." },
        ParamSpec { key: "transaction", label: "Transaction", unit: "", kind: ParamKind::Choice(&TRANSACTIONS), help: "How placing an order commits across orders, inventory and payments: two-phase commit, or a saga with compensations." },
        ParamSpec { key: "items", label: "Stock items", unit: "", kind: int(1, 100_000), help: "Items orders are placed for and pages show, each equally often; few items means orders contend for their locks." },
        ParamSpec { key: "decline_share", label: "Declined payments", unit: "", kind: float(0.0, 1.0), help: "Probability that payments declines a charge, which aborts the order." },
        ParamSpec { key: "faults", label: "Fault schedule", unit: "", kind: ParamKind::Text { syntax: Fault::SYNTAX, in_words: faults_in_words }, help: "Services that go down, slow down or recover at given times (1 gateway, 2 orders, 3 inventory, 4 payments, 5 shipping, 6 recommendations)." },
        ParamSpec { key: "duration", label: "Duration", unit: "s", kind: float(1.0, 3_600.0), help: "Simulated seconds to run." },
        ParamSpec { key: "warmup", label: "Warm-up", unit: "s", kind: float(0.0, 3_000.0), help: "Simulated seconds left out of the statistics." },
    ];

    fn fields(&mut self, visit: &mut dyn FnMut(&'static str, &mut dyn Field)) {
        fields!(self, visit: architecture, request_rate, checkout_share, replicas, browse_replicas, workers, connections, fanout, network_delay, call_timeout, retries, retry_policy, backoff, retry_budget, circuit_breaker, bulkheads, fallback, service_availability, paused_service, pause_share, pause_time, database, report_rate, report_time, transaction, items, decline_share, faults, duration, warmup);
    }

    fn check(&self) -> Result<(), ParamError> {
        warmup_within(self.warmup, self.duration)?;
        let requests = self.request_rate * self.duration;
        if requests > MAX_REQUESTS {
            return Err(inconsistent(
                "request_rate",
                self.request_rate,
                format!(
                    "a run makes at most {MAX_REQUESTS} requests: at {} req/s that is at most {} s",
                    self.request_rate,
                    (MAX_REQUESTS / self.request_rate).floor()
                ),
            ));
        }
        Fault::parse_all(
            &self.faults,
            "service",
            SERVICES.len() as u32,
            self.duration,
        )?;
        Ok(())
    }
}

impl Params {
    /// The scheduled faults, parsed (valid once [`Scenario::check`] passed).
    pub fn fault_schedule(&self) -> Vec<Fault> {
        Fault::parse_all(
            &self.faults,
            "service",
            SERVICES.len() as u32,
            self.duration,
        )
        .unwrap_or_default()
    }

    /// Whether the shop is split into services.
    pub fn split(&self) -> bool {
        self.architecture == Architecture::Microservices
    }

    /// Replicas of `service` under microservices.
    pub fn replicas_of(&self, service: Service) -> u32 {
        if service.browsed() {
            self.browse_replicas
        } else {
            self.replicas
        }
    }

    /// Replicas of the monolith: as many as the function under most load
    /// needs, since it scales only whole.
    pub fn monolith_replicas(&self) -> u32 {
        self.replicas.max(self.browse_replicas)
    }
}

/// The fault schedule in words, for the form.
fn faults_in_words(text: &str) -> Option<String> {
    crate::fault::in_words(text, "service")
}
