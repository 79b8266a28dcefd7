//! The sharding presets: one or more per leaf of the mind-map's
//! *Database Sharding / Partitioning* branch.

use crate::catalog::{Preset, Variants};

/// The sharding presets, in the order of the mind-map's leaves.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "shard-scale-out",
        title: "One database server versus four shards",
        what_to_look_for: "One database server holding all 10,000 rows can serve about 200 \
            queries a second: of the 500 arriving each second it rejects more than half, and \
            the queries it does serve wait about half a second in its queue. Split by hashed \
            user id over four shards, each holds about a quarter of the rows and takes a similar \
            share of the queries, and the same traffic is served with nothing rejected and a \
            p99 under 150 ms.",
        metric: "rejected",
        params: &[("query_mix", "0"), ("request_rate", "500")],
        seed: 21,
        mindmap_leaf: "Scalability: Distributes data across multiple database servers",
        compare: Some(Variants {
            key: "shards",
            values: &["1", "4"],
        }),
    },
    Preset {
        id: "shard-routing",
        title: "Lookups go to one shard",
        what_to_look_for: "When every query names its user id, the router sends it to the one \
            shard that holds its row: one shard request per query, the eight shards about a \
            tenth busy, and a median near 10 ms. When no query names the key, each must be \
            asked of all eight shards: eight requests per query, every shard about three \
            quarters busy, and the median query waits several times as long, for the slowest \
            of its eight answers.",
        metric: "requests per query",
        params: &[("shards", "8"), ("request_rate", "150")],
        seed: 22,
        mindmap_leaf: "Performance: Queries can be directed to specific shards",
        compare: Some(Variants {
            key: "query_mix",
            values: &["0", "1"],
        }),
    },
    Preset {
        id: "shard-key-choice",
        title: "The same table sharded by four different keys",
        what_to_look_for: "Hashing user ids spreads rows and queries evenly: the busiest shard \
            takes little more than the average and nothing is rejected. By tenant or by country, \
            the biggest tenant or country lands whole on one shard: it holds more than twice \
            its share of the rows, runs flat out and rejects queries, and its p99 is several \
            times that of the user-id shards. By creation date the rows are spread evenly, \
            yet the shards holding the last few days take far more than their share of the \
            traffic: the rows are balanced, the load is not.",
        metric: "load imbalance",
        params: &[
            ("shards", "8"),
            ("strategy", "consistent_hashing"),
            ("query_mix", "0"),
            ("request_rate", "800"),
        ],
        seed: 23,
        mindmap_leaf: "Choosing the right sharding key is critical",
        compare: Some(Variants {
            key: "shard_key",
            values: &["user_id", "tenant", "country", "created_at"],
        }),
    },
    Preset {
        id: "shard-range-hotspot",
        title: "Key ranges over ids that grow",
        what_to_look_for: "User ids are handed out in sign-up order, and new users are the active \
            ones. Key ranges put the newest ids — and about half of all queries — on the last \
            shard, which rejects queries while the first shards idle, although every shard \
            holds exactly the same number of rows. Hashing the same ids scatters neighbours \
            over all eight shards and the hot spot disappears.",
        metric: "load imbalance",
        params: &[
            ("shards", "8"),
            ("shard_key", "user_id"),
            ("query_mix", "0"),
            ("request_rate", "800"),
        ],
        seed: 24,
        mindmap_leaf: "Choosing the right sharding key is critical",
        compare: Some(Variants {
            key: "strategy",
            values: &["range", "consistent_hashing"],
        }),
    },
    Preset {
        id: "shard-scatter-gather",
        title: "Scatter-gather waits for the slowest shard",
        what_to_look_for: "A fifth of the queries do not name the user id and must ask every \
            shard. Adding shards makes lookups faster, since each shard has less to do, but \
            makes scatter-gather queries slower: each waits for the slowest of more answers, \
            so their median rises with every doubling. And each costs one request per shard, \
            so the work per query grows from 1.2 shard requests with two shards to 4 with \
            sixteen.",
        metric: "scatter-gather p99",
        params: &[("query_mix", "0.2"), ("request_rate", "200")],
        seed: 25,
        mindmap_leaf: "Cross-shard queries can be complex and less performant",
        compare: Some(Variants {
            key: "shards",
            values: &["2", "4", "8", "16"],
        }),
    },
    Preset {
        id: "shard-resharding",
        title: "Adding a shard: how many rows move",
        what_to_look_for: "At 20 s a fifth shard joins. Hash mod N sends about four rows in five \
            to a different shard, so the copy runs for about 16 s, and while it competes with \
            the queries the busiest shard's queue is longer and the p99 rises. Consistent \
            hashing, jump hash and the directory move only about one row in five — the new \
            shard's share — and finish in about 4 s.",
        metric: "keys that move",
        params: &[
            ("shards", "4"),
            ("reshard_to", "5"),
            ("reshard_at", "20"),
            ("migration_rate", "500"),
            ("request_rate", "400"),
        ],
        seed: 26,
        mindmap_leaf: "Operational complexity in managing a sharded database environment",
        compare: Some(Variants {
            key: "strategy",
            values: &["mod_n", "consistent_hashing", "jump", "directory"],
        }),
    },
    Preset {
        id: "shard-failover",
        title: "A shard fails, with and without a replica",
        what_to_look_for: "Shard 2's primary fails at 20 s and comes back at 40 s. Without a \
            replica, its quarter of the rows is unavailable for the whole 20 s: every lookup of \
            those rows fails, and so does every scatter-gather query, since it needs every \
            shard. With a standby replica the rows are unavailable only until the replica is \
            promoted, 5 s later, and about a quarter as many queries fail.",
        metric: "failed",
        params: &[
            ("shards", "4"),
            ("faults", "20:down:2,40:recover:2"),
            ("failover_delay", "5"),
            ("query_mix", "0.1"),
        ],
        seed: 27,
        mindmap_leaf: "Operational complexity in managing a sharded database environment",
        compare: Some(Variants {
            key: "replicas",
            values: &["0", "1"],
        }),
    },
    Preset {
        id: "shard-migration-reads",
        title: "Reading rows while they move",
        what_to_look_for: "Going from four shards to eight moves about half the rows, which takes \
            about 10 s at 500 rows a second. Reading each row from its old shard until its copy \
            is committed costs nothing extra. Reading the new shard first misses every row not \
            copied yet and must then ask the old shard as well: during the migration the shards \
            receive about a third more requests, and the median lookup is slower.",
        metric: "requests per query",
        params: &[
            ("shards", "4"),
            ("reshard_to", "8"),
            ("reshard_at", "20"),
            ("strategy", "consistent_hashing"),
            ("migration_rate", "500"),
            ("query_mix", "0"),
        ],
        seed: 28,
        mindmap_leaf: "Operational complexity in managing a sharded database environment",
        compare: Some(Variants {
            key: "migration_reads",
            values: &["old_shard", "double_read"],
        }),
    },
];
