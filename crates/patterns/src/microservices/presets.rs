//! The microservices presets: one or more per leaf of the request side of
//! the mind-map's *Microservices Architecture* branch (the delivery side's
//! are [`crate::delivery`]'s).

use crate::catalog::{Preset, Variants};

const ARCHITECTURES: Variants = Variants {
    key: "architecture",
    values: &["monolith", "microservices"],
};

/// Recommendations nearly stop from 20 s to 40 s: a hundred times slower.
const RECOMMENDATIONS_SLOW: &str = "20:slow:6:0.02,40:recover:6";

/// The microservices presets, in the order of the mind-map's leaves.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "ms-scaling",
        title: "Scaling the busy part alone, or copies of everything",
        what_to_look_for: "1,500 pages a second, nearly all of them browsing: the load falls on \
            recommendations and the stock lookups they make. Both shops keep the 99th \
            percentile of browsing near 50 ms with four copies of what the browsing uses. The \
            monolith can only copy all of itself, 5.75 GB each, 23 GB in all; the services add \
            replicas of recommendations and inventory alone and keep one of everything else: \
            14 GB. The price is twelve instances to run instead of four.",
        metric: "memory",
        params: &[
            ("request_rate", "1500"),
            ("checkout_share", "0.05"),
            ("replicas", "1"),
            ("browse_replicas", "4"),
        ],
        seed: 61,
        mindmap_leaf: "Scalability: individual services can be scaled independently based on \
            their specific load",
        compare: Some(ARCHITECTURES),
    },
    Preset {
        id: "ms-timeouts",
        title: "A slow service, with and without timeouts",
        what_to_look_for: "From 20 s to 40 s recommendations are fifty times slower. Without \
            timeouts, orders waits for them too (it shows what customers also bought) with \
            every worker it has: checkouts queue for seconds and some are turned away, though \
            nothing is wrong with ordering. With 50 ms timeouts and fallbacks, every page is \
            still served, degraded — without recommendations — and checkout stays within a \
            few hundred milliseconds.",
        metric: "checkouts served",
        params: &[("faults", RECOMMENDATIONS_SLOW)],
        seed: 62,
        mindmap_leaf: "Resilience: when one fails, other services can continue to operate",
        compare: Some(Variants {
            key: "call_timeout",
            values: &["0", "0.05"],
        }),
    },
    Preset {
        id: "ms-breaker",
        title: "A circuit breaker on a service that barely answers",
        what_to_look_for: "From 10 s recommendations are a hundred times slower, and callers \
            wait up to a second for each call before they fall back. A breaker sees the \
            failures, opens, and fails the calls at once for two seconds at a time, then lets \
            three trial calls through: the median page is served in a third to a half of the \
            time, and only half to two-thirds as many answers come back to callers that had \
            already given up.",
        metric: "wasted answers",
        params: &[("call_timeout", "0.5"), ("faults", "10:slow:6:0.01")],
        seed: 63,
        mindmap_leaf: "Resilience: when one fails, other services can continue to operate",
        compare: Some(Variants {
            key: "circuit_breaker",
            values: &["off", "on"],
        }),
    },
    Preset {
        id: "ms-bulkheads",
        title: "Bulkheads: a share of the workers for each dependency",
        what_to_look_for: "Recommendations are fifty times slower from 20 s to 40 s, and \
            orders waits up to a second for them. Without bulkheads those waits take all of \
            orders' workers and checkouts queue behind them; with a quarter of its workers for \
            each of its four dependencies, the slow one can hold only its quarter, and many \
            more pages are served in full.",
        metric: "degraded",
        params: &[("call_timeout", "0.5"), ("faults", RECOMMENDATIONS_SLOW)],
        seed: 64,
        mindmap_leaf: "Resilience: when one fails, other services can continue to operate",
        compare: Some(Variants {
            key: "bulkheads",
            values: &["false", "true"],
        }),
    },
    Preset {
        id: "ms-retry-storm",
        title: "Retries that keep an overload going: a metastable failure",
        what_to_look_for: "Payments are a hundred times slower for five seconds, from 20 s to \
            25 s. Every caller retries a failed call three times at once, users included, so a \
            slow checkout is tried up to 64 times: the tries swamp orders, which stays \
            overloaded long after payments are well again — checkouts keep failing to the end. \
            Backoff with jitter spreads the tries out, but nearly as many reach orders, and it \
            does not recover either. A retry budget of one retry per ten first tries does: checkouts are served \
            again within seconds of the cause going away.",
        metric: "checkouts served",
        params: &[
            ("request_rate", "450"),
            ("checkout_share", "0.5"),
            ("call_timeout", "0.05"),
            ("retries", "3"),
            ("faults", "20:slow:4:0.01,25:recover:4"),
        ],
        seed: 65,
        mindmap_leaf: "Resilience: when one fails, other services can continue to operate",
        compare: Some(Variants {
            key: "retry_policy",
            values: &["immediate", "backoff", "budget"],
        }),
    },
    Preset {
        id: "ms-isolation",
        title: "One faulty module: the monolith goes down with it",
        what_to_look_for: "From 20 s to 40 s recommendations crash. In the monolith they are a \
            module of the one process, which goes down with them: no page is served for \
            twenty seconds, and about a third of the run's pages fail. As services, the rest \
            carry on: every page is still served, without recommendations.",
        metric: "success",
        params: &[("faults", "20:down:6,40:recover:6")],
        seed: 66,
        mindmap_leaf: "Resilience: when one fails, other services can continue to operate",
        compare: Some(ARCHITECTURES),
    },
    Preset {
        id: "ms-shared-database",
        title: "A shared database couples the services",
        what_to_look_for: "120 heavy reporting queries a second, half a second each, run on \
            the shop's data. With one database for everything, they hold most of its \
            connections and every service's queries queue behind them: the checkout 99th \
            percentile is several times what it is with a store per service, where the \
            reports have a database of their own and the shop does not notice them.",
        metric: "checkout p99",
        params: &[("report_rate", "120"), ("report_time", "0.5")],
        seed: 67,
        mindmap_leaf: "Technology Diversity: select tech stack",
        compare: Some(Variants {
            key: "database",
            values: &["shared", "per_service"],
        }),
    },
    Preset {
        id: "ms-runtime-pauses",
        title: "A runtime that pauses harms only its own callers",
        what_to_look_for: "Payments runs on a runtime that pauses for 300 ms on one call in \
            twenty (a garbage collector, say). In the monolith that runtime runs every \
            function, so browsing pauses too: the browse 99th percentile is over half a \
            second. As services only payments has it: checkouts still meet the pauses, but \
            the browse 99th percentile stays near 50 ms.",
        metric: "browse p99",
        params: &[
            ("paused_service", "payments"),
            ("pause_share", "0.05"),
            ("pause_time", "0.3"),
        ],
        seed: 68,
        mindmap_leaf: "Technology Diversity: select tech stack",
        compare: Some(ARCHITECTURES),
    },
    Preset {
        id: "ms-hops",
        title: "Every hop is a chance to fail",
        what_to_look_for: "Each call fails one time in a hundred, with no retries or fallbacks \
            to hide it. A checkout in the monolith is one call, served 99% of the time; as \
            services it is nine calls in a row — gateway, orders, shipping, recommendations \
            and their three stock lookups, inventory, payments — served about 0.99⁹ ≈ 91% of \
            the time. There are also eleven things to deploy and watch instead of two; the \
            trace shows where one checkout spent its time.",
        metric: "checkouts served",
        params: &[
            ("service_availability", "0.99"),
            ("fallback", "false"),
            ("call_timeout", "0"),
        ],
        seed: 69,
        mindmap_leaf: "Increased complexity in deployment, monitoring, and inter-service \
            communication",
        compare: Some(ARCHITECTURES),
    },
    Preset {
        id: "ms-fanout",
        title: "The slowest of a fan-out sets the page's time",
        what_to_look_for: "Inventory pauses for 200 ms on one call in a hundred, and a page \
            waits for every stock lookup it makes. With one lookup, about 1% of pages meet a \
            pause; with five, 1 − 0.99⁵ ≈ 5%; with twenty, 1 − 0.99²⁰ ≈ 18%. From five \
            lookups on, more than one page in a hundred meets a pause, so the browse 99th \
            percentile is the pause itself: over 200 ms.",
        metric: "pages meeting a pause",
        params: &[
            ("paused_service", "inventory"),
            ("pause_share", "0.01"),
            ("pause_time", "0.2"),
        ],
        seed: 70,
        mindmap_leaf: "Increased complexity in deployment, monitoring, and inter-service \
            communication",
        compare: Some(Variants {
            key: "fanout",
            values: &["1", "5", "20"],
        }),
    },
    Preset {
        id: "ms-transactions",
        title: "Two-phase commit against a saga, with a coordinator crash",
        what_to_look_for: "300 pages a second, four in five of them orders for 20 items; one \
            card in ten is declined, and orders crashes twice, for five seconds each time. \
            Two-phase commit holds an item's lock from prepare to the decision's arrival, \
            several times as long as the saga's local transactions, and the orders being \
            prepared when their coordinator died keep their items locked until it is back: \
            five seconds each, and the pages reading those items' stock wait and fall back. The saga never blocks, but \
            compensates every declined order, and pages read stock reservations that are \
            then undone: a thousand or so anomalies.",
        metric: "blocked time",
        params: &[
            ("request_rate", "300"),
            ("checkout_share", "0.8"),
            ("items", "20"),
            ("decline_share", "0.1"),
            ("faults", "20:down:2,25:recover:2,40:down:2,45:recover:2"),
        ],
        seed: 71,
        mindmap_leaf: "Distributed transactions (sagas and 2PC)",
        compare: Some(Variants {
            key: "transaction",
            values: &["two_phase_commit", "saga"],
        }),
    },
];
