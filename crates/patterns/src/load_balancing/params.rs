//! The load-balancing experiment's public parameters.

use crate::fault::Fault;
use crate::params::{
    Field, ParamError, ParamKind, ParamSpec, Scenario, fields, float, inconsistent, int, named,
    names, warmup_within,
};
use archsim_core::Shape;
use std::fmt;

/// How the balancer picks a backend for a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "json", derive(serde::Serialize))]
#[cfg_attr(feature = "json", serde(rename_all = "snake_case"))]
pub enum Algorithm {
    /// Each backend in turn.
    RoundRobin,
    /// In turn, in proportion to each backend's configured capacity
    /// (smooth weighted round robin, as nginx does it).
    WeightedRoundRobin,
    /// Uniformly at random.
    Random,
    /// The backend with the fewest requests outstanding (ties at random).
    LeastConnections,
    /// Two backends at random; the one with fewer outstanding wins.
    PowerOfTwo,
    /// Lowest peak-sensitive moving average of latency × outstanding
    /// (Finagle's and Linkerd's default).
    PeakEwma,
    /// A hash ring of client ids: each client sticks to one backend.
    ConsistentHash,
    /// Lowest estimated response time: network round trip from the
    /// client's region plus queueing at the backend.
    LeastLatencyRegion,
    /// Baseline no real balancer has: sees true queue lengths, speeds and
    /// which backends are down.
    Oracle,
}

impl Algorithm {
    /// Every algorithm, in the order shown to people.
    pub const ALL: [Algorithm; 9] = [
        Algorithm::RoundRobin,
        Algorithm::WeightedRoundRobin,
        Algorithm::Random,
        Algorithm::LeastConnections,
        Algorithm::PowerOfTwo,
        Algorithm::PeakEwma,
        Algorithm::ConsistentHash,
        Algorithm::LeastLatencyRegion,
        Algorithm::Oracle,
    ];

    /// The name used in parameters.
    pub const fn name(self) -> &'static str {
        match self {
            Algorithm::RoundRobin => "round_robin",
            Algorithm::WeightedRoundRobin => "weighted_round_robin",
            Algorithm::Random => "random",
            Algorithm::LeastConnections => "least_connections",
            Algorithm::PowerOfTwo => "power_of_two",
            Algorithm::PeakEwma => "peak_ewma",
            Algorithm::ConsistentHash => "consistent_hash",
            Algorithm::LeastLatencyRegion => "least_latency_region",
            Algorithm::Oracle => "oracle",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Everything a load-balancing experiment can change. Times are in seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// How the balancer picks a backend.
    pub algorithm: Algorithm,
    /// Number of backend servers.
    pub backends: u32,
    /// Requests each backend serves at once.
    pub workers: u32,
    /// Requests per second from all clients together.
    pub arrival_rate: f64,
    /// Requests per second one worker serves at speed 1.
    pub service_rate: f64,
    /// Shape of the service-demand distribution.
    pub service_distribution: Shape,
    /// Coefficient of variation of service demand (lognormal and pareto).
    pub service_cv: f64,
    /// Requests a backend holds waiting beyond its workers; more are rejected.
    pub queue_capacity: u32,
    /// A client gives up after this long (0: never).
    pub timeout: f64,
    /// Heterogeneity: backend speeds spread evenly over `1 ± speed_spread`.
    pub speed_spread: f64,
    /// Seconds between active health checks (0: no health checks).
    pub health_check_interval: f64,
    /// Failed checks in a row before the balancer marks a backend unhealthy.
    pub unhealthy_threshold: u32,
    /// Passed checks in a row before it marks it healthy again.
    pub healthy_threshold: u32,
    /// Pin each client to the backend that served it first (affinity cookie).
    pub sticky_sessions: bool,
    /// Distinct clients (sessions) sending requests.
    pub clients: u32,
    /// Retry a request that failed on one backend once on another.
    pub retry: bool,
    /// Geographic regions; clients and backends are spread over them.
    pub regions: u32,
    /// One-way network delay within a region.
    pub network_delay: f64,
    /// Extra one-way delay between different regions.
    pub region_delay: f64,
    /// Length of each burst of traffic (0: steady Poisson arrivals).
    pub burst_on: f64,
    /// Silence between bursts (the mean rate is kept).
    pub burst_off: f64,
    /// Scheduled faults, e.g. `10:down:2,30:recover:2,40:slow:1:0.25`.
    pub faults: String,
    /// Simulated seconds to run.
    pub duration: f64,
    /// Simulated seconds excluded from statistics.
    pub warmup: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            algorithm: Algorithm::RoundRobin,
            backends: 4,
            workers: 1,
            arrival_rate: 300.0,
            service_rate: 100.0,
            service_distribution: Shape::Exponential,
            service_cv: 2.0,
            queue_capacity: 100,
            timeout: 0.0,
            speed_spread: 0.0,
            health_check_interval: 1.0,
            unhealthy_threshold: 2,
            healthy_threshold: 2,
            sticky_sessions: false,
            clients: 200,
            retry: false,
            regions: 1,
            network_delay: 0.002,
            region_delay: 0.04,
            burst_on: 0.0,
            burst_off: 0.0,
            faults: String::new(),
            duration: 60.0,
            warmup: 5.0,
        }
    }
}

const ALGORITHMS: [&str; Algorithm::ALL.len()] = names!(Algorithm::ALL, name);
const SHAPES: [&str; Shape::ALL.len()] = names!(Shape::ALL, name);

named!(Algorithm => name, Shape => name);

impl Scenario for Params {
    #[rustfmt::skip]
    const SPECS: &'static [ParamSpec] = &[
        ParamSpec { key: "algorithm", label: "Algorithm", unit: "", kind: ParamKind::Choice(&ALGORITHMS), help: "How the balancer picks a backend for each request." },
        ParamSpec { key: "backends", label: "Backends", unit: "servers", kind: int(1, 100), help: "Number of backend servers behind the balancer." },
        ParamSpec { key: "workers", label: "Workers per backend", unit: "", kind: int(1, 64), help: "Requests one backend serves at the same time." },
        ParamSpec { key: "arrival_rate", label: "Arrival rate", unit: "req/s", kind: float(0.1, 20_000.0), help: "Requests per second from all clients together." },
        ParamSpec { key: "service_rate", label: "Service rate", unit: "req/s per worker", kind: float(0.1, 10_000.0), help: "Requests per second one worker completes at normal speed." },
        ParamSpec { key: "service_distribution", label: "Service time", unit: "", kind: ParamKind::Choice(&SHAPES), help: "Shape of service times; all have the same mean, so only the variability changes." },
        ParamSpec { key: "service_cv", label: "Service variability", unit: "cv", kind: float(0.1, 10.0), help: "Coefficient of variation for lognormal and pareto service times." },
        ParamSpec { key: "queue_capacity", label: "Queue capacity", unit: "requests", kind: int(0, 10_000), help: "Requests a backend holds waiting; when full, new ones are rejected." },
        ParamSpec { key: "timeout", label: "Client timeout", unit: "s", kind: float(0.0, 600.0), help: "A client gives up after this long; 0 means it waits forever." },
        ParamSpec { key: "speed_spread", label: "Speed spread", unit: "±", kind: float(0.0, 0.9), help: "Backend speeds spread evenly over 1 ± this: 0 is a uniform fleet." },
        ParamSpec { key: "health_check_interval", label: "Health-check interval", unit: "s", kind: float(0.0, 60.0), help: "Seconds between active health checks; 0 turns them off." },
        ParamSpec { key: "unhealthy_threshold", label: "Unhealthy after", unit: "failed checks", kind: int(1, 10), help: "Failed checks in a row before the balancer stops routing to a backend." },
        ParamSpec { key: "healthy_threshold", label: "Healthy after", unit: "passed checks", kind: int(1, 10), help: "Passed checks in a row before it routes to the backend again." },
        ParamSpec { key: "sticky_sessions", label: "Sticky sessions", unit: "", kind: ParamKind::Bool, help: "Pin each client to the backend that first served it." },
        ParamSpec { key: "clients", label: "Clients", unit: "sessions", kind: int(1, 100_000), help: "Distinct clients, each with its own session." },
        ParamSpec { key: "retry", label: "Retry once", unit: "", kind: ParamKind::Bool, help: "Retry a request that failed on one backend once on another." },
        ParamSpec { key: "regions", label: "Regions", unit: "", kind: int(1, 4), help: "Geographic regions; clients and backends are spread evenly over them." },
        ParamSpec { key: "network_delay", label: "Network delay", unit: "s one-way", kind: float(0.0, 1.0), help: "One-way delay between a client and a backend in the same region." },
        ParamSpec { key: "region_delay", label: "Cross-region delay", unit: "s one-way", kind: float(0.0, 1.0), help: "Extra one-way delay when client and backend are in different regions." },
        ParamSpec { key: "burst_on", label: "Burst length", unit: "s", kind: float(0.0, 600.0), help: "Traffic comes in bursts this long; 0 means steady arrivals." },
        ParamSpec { key: "burst_off", label: "Pause between bursts", unit: "s", kind: float(0.0, 600.0), help: "Silence between bursts; the mean arrival rate is kept." },
        ParamSpec { key: "faults", label: "Fault schedule", unit: "", kind: ParamKind::Text { syntax: Fault::SYNTAX, in_words: faults_in_words }, help: "Backends that go down, slow down or recover at given times." },
        ParamSpec { key: "duration", label: "Duration", unit: "s", kind: float(1.0, 3_600.0), help: "Simulated seconds to run." },
        ParamSpec { key: "warmup", label: "Warm-up", unit: "s", kind: float(0.0, 3_000.0), help: "Simulated seconds left out of the statistics." },
    ];

    fn fields(&mut self, visit: &mut dyn FnMut(&'static str, &mut dyn Field)) {
        fields!(self, visit: algorithm, backends, workers, arrival_rate, service_rate, service_distribution, service_cv, queue_capacity, timeout, speed_spread, health_check_interval, unhealthy_threshold, healthy_threshold, sticky_sessions, clients, retry, regions, network_delay, region_delay, burst_on, burst_off, faults, duration, warmup);
    }

    fn check(&self) -> Result<(), ParamError> {
        warmup_within(self.warmup, self.duration)?;
        if (self.burst_on > 0.0) != (self.burst_off > 0.0) {
            return Err(inconsistent(
                "burst_off",
                self.burst_off,
                "burst_on and burst_off must both be 0 (steady) or both be positive",
            ));
        }
        Fault::parse_all(&self.faults, "backend", self.backends, self.duration)?;
        Ok(())
    }
}

impl Params {
    /// The scheduled faults, parsed (valid once [`Scenario::check`] passed).
    pub fn fault_schedule(&self) -> Vec<Fault> {
        Fault::parse_all(&self.faults, "backend", self.backends, self.duration).unwrap_or_default()
    }
}

/// The fault schedule in words, for the form.
fn faults_in_words(text: &str) -> Option<String> {
    crate::fault::in_words(text, "backend")
}
