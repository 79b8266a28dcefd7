//! The event-driven presets: one or more per leaf of the mind-map's
//! *Event-Driven Architecture* branch.

use crate::catalog::{Preset, Variants};

/// The event-driven presets, in the order of the mind-map's leaves.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "eda-decoupling",
        title: "Calling three services against publishing one event",
        what_to_look_for: "Service 3's only consumer runs at 0.4× speed from 10 s to 15 s and \
            is dead from 20 s to 40 s. Called synchronously, the producer waits for the slowest \
            of the three: its 99th percentile climbs to the one-second timeout while service 3 \
            is slow, and every request fails while it is dead. Publishing an event instead, the \
            producer's latency never moves; service 3 falls behind instead — its lag grows by \
            about 50 records a second — and catches up about 20 s after coming back.",
        metric: "producer p99",
        params: &[
            ("services", "3"),
            ("consumers", "1"),
            ("partitions", "1"),
            ("publish_rate", "50"),
            ("handle_time", "0.01"),
            ("call_timeout", "1"),
            (
                "faults",
                "10:slow:3:0.4,15:recover:3,20:down:3,40:recover:3",
            ),
            ("duration", "80"),
        ],
        seed: 31,
        mindmap_leaf: "Decoupling: Services communicate asynchronously through events",
        compare: Some(Variants {
            key: "integration",
            values: &["synchronous_calls", "events"],
        }),
    },
    Preset {
        id: "eda-responsiveness",
        title: "Events pushed against a table polled",
        what_to_look_for: "Pushed, an event is handled about 15 ms after it is published: two \
            network hops and a short queue. Polled every two seconds, it first waits for the \
            next look at the table — a second on average, half the interval — and then queues \
            behind the whole batch of rows that look brings, so the median is about one and a \
            half seconds and the 99th percentile about two.",
        metric: "handled p50",
        params: &[
            ("services", "1"),
            ("consumers", "1"),
            ("partitions", "1"),
            ("publish_rate", "50"),
            ("handle_time", "0.01"),
            ("poll_interval", "2"),
        ],
        seed: 32,
        mindmap_leaf: "Responsiveness: Allows for near real-time updates and reactions to \
            changes in the system",
        compare: Some(Variants {
            key: "integration",
            values: &["events", "polling"],
        }),
    },
    Preset {
        id: "eda-scaling",
        title: "Consumers in parallel, up to the partition count",
        what_to_look_for: "Four partitions take 500 events a second and a consumer handles 100. \
            Until 30 s, one, two and four consumers handle about 100, 200 and 400 a second, and \
            six no more than four, because two of them own no partition and sit idle. Consumer 1 \
            leaves at 30 s and rejoins at 40 s: each time the whole group stops for half a \
            second to rebalance, a dip in the throughput; in between, with six, an idle spare \
            takes over its partition.",
        metric: "throughput",
        params: &[
            ("partitions", "4"),
            ("partition_key", "none"),
            ("publish_rate", "500"),
            ("handle_time", "0.01"),
            ("faults", "30:down:1,40:recover:1"),
        ],
        seed: 33,
        mindmap_leaf: "Scalability: Event streams can be processed by multiple consumers in \
            parallel",
        compare: Some(Variants {
            key: "consumers",
            values: &["1", "2", "4", "6"],
        }),
    },
    Preset {
        id: "eda-replay",
        title: "Rebuilding a service's state from its history",
        what_to_look_for: "At 30 s the service's state is rebuilt by replaying the whole log \
            from the first event. Reading 500 events a second, the replay takes about 7.5 s to \
            catch up, since 100 new events a second keep arriving meanwhile; reading 2,000, \
            about 1.6 s. Either way the rebuilt balances equal the live ones: the two checksums \
            match and no account differs.",
        metric: "rebuild time",
        params: &[
            ("partitions", "4"),
            ("consumers", "2"),
            ("publish_rate", "100"),
            ("delivery", "exactly_once"),
            ("replay_at", "30"),
        ],
        seed: 34,
        mindmap_leaf: "Auditability: Events provide a natural audit trail of what happened in \
            the system",
        compare: Some(Variants {
            key: "replay_rate",
            values: &["500", "2000"],
        }),
    },
    Preset {
        id: "eda-brokers",
        title: "Acknowledgements and a leader that dies",
        what_to_look_for: "Three brokers hold each record; the leader dies at 20 s and its \
            successor at 40 s. Without acknowledgements every write sent during each election \
            is lost, about fifty each time, and the producer never knows. Acknowledged by the \
            leader alone, the few records not yet copied to a follower are lost at each crash. \
            Acknowledged by all in-sync replicas, nothing acknowledged is ever lost — but each \
            write waits for the slowest copy, and after 40 s only one replica is left in sync, \
            fewer than the two required, so every write is refused.",
        metric: "lost writes",
        params: &[
            ("replicas", "3"),
            ("min_in_sync", "2"),
            ("replication_delay", "0.05"),
            ("leader_crashes", "20,40"),
            ("publish_rate", "100"),
        ],
        seed: 35,
        mindmap_leaf: "Requires robust message brokers",
        compare: Some(Variants {
            key: "acks",
            values: &["none", "leader", "all"],
        }),
    },
    Preset {
        id: "eda-ordering",
        title: "Money events out of order",
        what_to_look_for: "Four consumers handle deposits and withdrawals for five accounts. \
            Spread round robin, one account's events sit in all four partitions and are \
            handled in parallel, so about one event in six is applied after a later event of \
            its account, and some withdrawals bounce for want of a deposit not yet applied. \
            With the account as the partition key, each account's events share one partition \
            and one consumer: nothing is reordered and nothing bounces.",
        metric: "reordered",
        params: &[
            ("partitions", "4"),
            ("consumers", "4"),
            ("accounts", "5"),
            ("publish_rate", "200"),
            ("handle_time", "0.01"),
        ],
        seed: 36,
        mindmap_leaf: "Managing event ordering and exactly-once processing can be complex for \
            critical financial events.",
        compare: Some(Variants {
            key: "partition_key",
            values: &["none", "account"],
        }),
    },
    Preset {
        id: "eda-exactly-once",
        title: "Crashing consumers: at most once, at least once, exactly once",
        what_to_look_for: "Each of two consumers crashes about every 10 s and restarts a second \
            later. Committing before handling, each crash loses the events the consumer held; \
            committing every two seconds after handling, each crash handles again everything \
            since the last commit, so hundreds of events are applied twice and money is \
            deposited twice. Committing each offset with its \
            effect, nothing is lost, nothing is repeated, and the balances are exact.",
        metric: "balance error",
        params: &[
            ("partitions", "2"),
            ("consumers", "2"),
            ("publish_rate", "100"),
            ("handle_time", "0.015"),
            ("commit_interval", "2"),
            ("crash_interval", "10"),
            ("restart_time", "1"),
        ],
        seed: 37,
        mindmap_leaf: "Managing event ordering and exactly-once processing can be complex for \
            critical financial events.",
        compare: Some(Variants {
            key: "delivery",
            values: &["at_most_once", "at_least_once", "exactly_once"],
        }),
    },
    Preset {
        id: "eda-poison",
        title: "A poison event and the dead-letter topic",
        what_to_look_for: "At 20 s an event arrives that its consumer cannot handle. Retried \
            forever, it blocks its partition: that one partition's lag climbs by 25 records a \
            second for the rest of the run while the other three stay near zero. With a \
            dead-letter topic it is set aside after three retries, about a second and a half \
            later, and the
            partition drains. The trace under the diagram follows one event across producer, \
            broker and consumer, with the waits between the steps.",
        metric: "backlog",
        params: &[
            ("partitions", "4"),
            ("consumers", "4"),
            ("partition_key", "none"),
            ("publish_rate", "100"),
            ("poison_at", "20"),
            ("max_retries", "3"),
            ("retry_delay", "0.5"),
        ],
        seed: 38,
        mindmap_leaf: "Debugging can be more challenging due to the asynchronous nature.",
        compare: Some(Variants {
            key: "dead_letter",
            values: &["false", "true"],
        }),
    },
];
