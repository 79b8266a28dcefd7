//! The CQRS presets: one or more per leaf of the mind-map's *CQRS* branch.

use crate::catalog::{Preset, Variants};

/// The CQRS presets, in the order of the mind-map's leaves.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "cqrs-data-models",
        title: "A join per query against a view per query",
        what_to_look_for: "On the shared, normalized model every query joins 20 rows, so the \
            median read takes about a dozen milliseconds and touches 20 rows. With a \
            denormalized read model it is one lookup of one row: under three milliseconds, two \
            of them the network. The price is paid on the write side: every write now costs two \
            view updates, which the projector applies after it.",
        metric: "read p50",
        params: &[
            ("write_rate", "50"),
            ("read_rate", "200"),
            ("join_rows", "20"),
            ("views", "2"),
        ],
        seed: 41,
        mindmap_leaf: "Optimized Data Models: Separates the model for writing data (Commands) \
            from the model for reading data (Queries)",
        compare: Some(Variants {
            key: "architecture",
            values: &["shared_model", "cqrs"],
        }),
    },
    Preset {
        id: "cqrs-scaling",
        title: "Read replicas added without touching the write side",
        what_to_look_for: "4,500 queries a second need about 4.5 workers' worth of lookups; one \
            read replica has four, so its queue grows without end and the 99th percentile with \
            it. Two replicas share the load at about half their capacity and four at a quarter: \
            the read tail falls to a few milliseconds. The write store is never touched, and the \
            write latency stays the same in all three.",
        metric: "read p99",
        params: &[
            ("write_rate", "50"),
            ("read_rate", "4500"),
            ("workers", "4"),
        ],
        seed: 42,
        mindmap_leaf: "Scalability: Read and write sides can be scaled independently",
        compare: Some(Variants {
            key: "read_replicas",
            values: &["1", "2", "4"],
        }),
    },
    Preset {
        id: "cqrs-contention",
        title: "Reads and writes contending for one model",
        what_to_look_for: "On one shared model, 300 joins a second take three of the \
            database's four workers, the writers' own reads back and the writes push it past \
            nine-tenths busy, and every write queues behind them: the write 99th \
            percentile is several times the write's own few milliseconds. Split the models and \
            the write store serves writes alone, so writes are fast again while the reads move \
            to the read side.",
        metric: "write p99",
        params: &[("write_rate", "50"), ("read_rate", "300"), ("workers", "4")],
        seed: 43,
        mindmap_leaf: "Scalability: Read and write sides can be scaled independently",
        compare: Some(Variants {
            key: "architecture",
            values: &["shared_model", "cqrs"],
        }),
    },
    Preset {
        id: "cqrs-rebuild",
        title: "Rebuilding the read model from the event log",
        what_to_look_for: "At 30 s the read model is rebuilt — a new view, or a bug fixed in a \
            projection — by replaying all 1,500 events so far while 50 more arrive each second. \
            Replaying 500 a second takes about 3.3 s, replaying 2,000 about 0.8 s; meanwhile \
            the view is missing and every read of it fails.",
        metric: "rebuild time",
        params: &[
            ("write_rate", "50"),
            ("read_rate", "200"),
            ("rebuild_at", "30"),
        ],
        seed: 44,
        mindmap_leaf: "Increased complexity as you're managing two distinct models",
        compare: Some(Variants {
            key: "replay_rate",
            values: &["500", "2000"],
        }),
    },
    Preset {
        id: "cqrs-consistency",
        title: "Reading your own write, and four ways to get it",
        what_to_look_for: "Each write's event waits for the projector about 100 ms on \
            average, and the writer reads its entity back 50 ms after the acknowledgement, so \
            with plain eventual consistency most reads back, about three in five, miss the \
            writer's own write. Reading its own entity from the write side, waiting for the \
            version its write returned, or updating the views in the write's own transaction \
            all bring the misses to zero — paid for with a join, a wait, or slower writes.",
        metric: "own writes missed",
        params: &[
            ("write_rate", "15"),
            ("read_rate", "200"),
            ("views", "4"),
            ("projection_time", "0.01"),
            ("read_delay", "0.05"),
        ],
        seed: 45,
        mindmap_leaf: "Potential for eventual consistency between the write and read models",
        compare: Some(Variants {
            key: "consistency",
            values: &[
                "eventual",
                "read_your_writes",
                "version_token",
                "synchronous",
            ],
        }),
    },
];
