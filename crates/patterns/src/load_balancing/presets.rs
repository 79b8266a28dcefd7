//! The load-balancing presets: one or more per leaf of the mind-map's
//! *Load Balancing* branch.

use crate::catalog::{Preset, Variants};

/// The load-balancing presets, in the order of the mind-map's leaves.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "lb-distribute",
        title: "Spreading requests over a fleet",
        what_to_look_for: "Round robin hands each of the four backends exactly a quarter of the \
            requests, so the per-backend bars stay level and load imbalance sits at 1.0; random \
            choice spreads them too, but unevenly from moment to moment, and its queues and tail \
            latency show it.",
        metric: "load imbalance",
        params: &[
            ("backends", "4"),
            ("arrival_rate", "320"),
            ("service_rate", "100"),
        ],
        seed: 11,
        mindmap_leaf: "Distributes incoming traffic across multiple instances of your \
            application servers, database replicas, etc.",
        compare: Some(Variants {
            key: "algorithm",
            values: &["round_robin", "random"],
        }),
    },
    Preset {
        id: "lb-overload",
        title: "One server versus a balanced fleet",
        what_to_look_for: "Three hundred requests a second swamp a single server that can serve \
            a hundred: its queue fills within a second, most requests are rejected and those \
            served wait about a second. Spread over four servers the same traffic is served in \
            milliseconds with nothing rejected.",
        metric: "rejected",
        params: &[
            ("backends", "1"),
            ("arrival_rate", "300"),
            ("service_rate", "100"),
            ("queue_capacity", "100"),
        ],
        seed: 12,
        mindmap_leaf: "Prevents any single server from being overwhelmed.",
        compare: Some(Variants {
            key: "backends",
            values: &["1", "4"],
        }),
    },
    Preset {
        id: "lb-health-checks",
        title: "Routing around a dead backend",
        what_to_look_for: "Backend 2 dies at 20 s. Without health checks the balancer keeps \
            sending it a quarter of the traffic and every one of those requests fails until it \
            recovers at 40 s; with checks every second it is marked unhealthy after two failed \
            checks, so failures last only one to two seconds — the detection delay — and it \
            rejoins after two good checks.",
        metric: "failed",
        params: &[
            ("backends", "4"),
            ("arrival_rate", "240"),
            ("service_rate", "100"),
            ("faults", "20:down:2,40:recover:2"),
            ("unhealthy_threshold", "2"),
            ("healthy_threshold", "2"),
        ],
        seed: 13,
        mindmap_leaf: "Improves availability by routing traffic away from unhealthy instances.",
        compare: Some(Variants {
            key: "health_check_interval",
            values: &["0", "1"],
        }),
    },
    Preset {
        id: "lb-sticky-sessions",
        title: "Sticky sessions and what breaks them",
        what_to_look_for: "Without affinity, three requests in four land on a backend that does \
            not hold the client's session (broken sessions climb with every request). With sticky \
            sessions each client stays on its backend and sessions break only when backend 3 \
            dies at 30 s and its clients are moved elsewhere.",
        metric: "broken sessions",
        params: &[
            ("backends", "4"),
            ("arrival_rate", "240"),
            ("service_rate", "100"),
            ("clients", "200"),
            ("faults", "30:down:3"),
            ("retry", "true"),
        ],
        seed: 14,
        mindmap_leaf: "Session affinity (sticky sessions) might be needed for certain stateful \
            interactions",
        compare: Some(Variants {
            key: "sticky_sessions",
            values: &["false", "true"],
        }),
    },
    Preset {
        id: "lb-server-load",
        title: "Algorithms that see server load",
        what_to_look_for: "The fleet is uneven: speeds run from 0.2 to 1.8. Round robin gives the \
            slowest backend as much work as the fastest, so its queue overflows and the 99th \
            percentile explodes. Least connections, power of two choices and peak EWMA notice \
            the backlog and steer away from it, getting close to the all-seeing oracle.",
        metric: "p99 latency",
        params: &[
            ("backends", "8"),
            ("speed_spread", "0.8"),
            ("arrival_rate", "560"),
            ("service_rate", "100"),
            ("service_distribution", "lognormal"),
            ("service_cv", "1.5"),
        ],
        seed: 15,
        mindmap_leaf: "Sophisticated load balancing algorithms that can account for server load, \
            geographic location, etc.",
        compare: Some(Variants {
            key: "algorithm",
            values: &[
                "round_robin",
                "weighted_round_robin",
                "least_connections",
                "power_of_two",
                "peak_ewma",
                "oracle",
            ],
        }),
    },
    Preset {
        id: "lb-geography",
        title: "Routing by geography",
        what_to_look_for: "Clients and backends are spread over three regions 50 ms apart. Round \
            robin sends two requests in three to another region, so the median pays a cross-region \
            round trip; the region-aware balancer keeps each request at home unless the local \
            backends are backed up, and the median falls to little more than the service time.",
        metric: "p50 latency",
        params: &[
            ("backends", "6"),
            ("regions", "3"),
            ("region_delay", "0.05"),
            ("arrival_rate", "400"),
            ("service_rate", "100"),
        ],
        seed: 16,
        mindmap_leaf: "Sophisticated load balancing algorithms that can account for server load, \
            geographic location, etc.",
        compare: Some(Variants {
            key: "algorithm",
            values: &["round_robin", "least_latency_region"],
        }),
    },
];
