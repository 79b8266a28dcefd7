//! The caching presets: one or more per leaf of the mind-map's *Caching
//! (Distributed Caching)* branch.

use crate::catalog::{Preset, Variants};

const PERFORMANCE: &str = "Performance: Stores frequently accessed data";
const LATENCY: &str = "Reduced Latency: Delivers data to users much faster";
const INVALIDATION: &str =
    "Cache invalidation strategies are crucial to ensure users see up-to-date information";
const WHAT_AND_HOW_LONG: &str = "Choosing what to cache and for how long";
const DISTRIBUTED: &str =
    "Using distributed caches like Redis or Memcached for scalability and fault tolerance";

/// The caching presets, in the order of the mind-map's leaves.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "cache-performance",
        title: "A cache in front of an overloaded database",
        what_to_look_for: "The database serves at most 1,600 queries a second (8 at a time, 5 ms \
            each). Without a cache it receives all 3,000 requests a second: its queue fills, over \
            40% of requests are rejected and the rest wait more than half a second. With three \
            cache nodes holding the popular keys, about two reads in three are hits, the \
            database's load falls below its capacity, nothing is rejected and the median request \
            takes a millisecond.",
        metric: "rejected",
        params: &[("request_rate", "3000")],
        seed: 21,
        mindmap_leaf: PERFORMANCE,
        compare: Some(Variants {
            key: "cache_nodes",
            values: &["0", "3"],
        }),
    },
    Preset {
        id: "cache-latency",
        title: "Hits are answered from memory",
        what_to_look_for: "At 500 requests a second the database keeps up, yet without a cache \
            every read pays a round trip to it and its 5 ms query: the median read takes about \
            6 ms. With the cache, two reads in three are hits answered in a single 1 ms round \
            trip, so the median read falls to 1 ms. The mean falls less, because every miss \
            still goes to the database.",
        metric: "p50 latency",
        params: &[("request_rate", "500")],
        seed: 22,
        mindmap_leaf: LATENCY,
        compare: Some(Variants {
            key: "cache_nodes",
            values: &["0", "3"],
        }),
    },
    Preset {
        id: "cache-invalidation",
        title: "What a write does to the cached copy",
        what_to_look_for: "Every write updates the database. If it leaves the cache alone (TTL \
            only), a cached copy stays old until its 30 s TTL runs out, and the popular keys are \
            written every few seconds: around half of all reads are stale. Deleting the key on \
            every write cuts stale reads to well under 1%; write-through, where the cache node \
            stores the value the database committed, cuts them below 0.1%.",
        metric: "stale reads",
        params: &[("read_ratio", "0.9"), ("ttl", "30")],
        seed: 23,
        mindmap_leaf: INVALIDATION,
        compare: Some(Variants {
            key: "write_strategy",
            values: &["ttl_only", "delete_on_write", "write_through"],
        }),
    },
    Preset {
        id: "cache-race",
        title: "The cache-aside race, and leases",
        what_to_look_for: "Writes delete the key and values never expire. A reader misses and \
            reads version n; before its fill reaches the cache, a writer commits n+1 and deletes \
            the key; the fill then stores version n, which stays until the next write. This \
            happens over a thousand times here (stale fills), and about 6% of reads are stale. \
            With leases a delete revokes the miss's lease and the late fill is refused: stale \
            fills fall more than tenfold and stale reads to about a tenth (those left fall \
            between a commit and its delete), for a slightly lower hit ratio.",
        metric: "stale reads",
        params: &[
            ("keys", "1000"),
            ("zipf_alpha", "1"),
            ("read_ratio", "0.8"),
            ("request_rate", "2000"),
            ("db_latency", "0.01"),
            ("db_capacity", "32"),
            ("ttl", "0"),
            ("duration", "30"),
            ("warmup", "5"),
        ],
        seed: 24,
        mindmap_leaf: INVALIDATION,
        compare: Some(Variants {
            key: "leases",
            values: &["false", "true"],
        }),
    },
    Preset {
        id: "cache-eviction",
        title: "Eviction policies against a scan",
        what_to_look_for: "At 20 s a batch job reads 6,000 cold keys once each in two seconds. \
            Under LRU and FIFO they push the working set out: the application's hit ratio drops \
            by more than ten points during the scan and takes seconds to recover. LFU and \
            S3-FIFO let one-time reads pass through and barely notice; they also have the \
            highest hit ratio over the whole run.",
        metric: "hit ratio",
        params: &[
            ("read_ratio", "1"),
            ("ttl", "0"),
            ("db_capacity", "32"),
            ("scan_rate", "3000"),
            ("scan_from", "20"),
            ("scan_until", "22"),
            ("duration", "40"),
            ("warmup", "10"),
        ],
        seed: 25,
        mindmap_leaf: WHAT_AND_HOW_LONG,
        compare: Some(Variants {
            key: "policy",
            values: &["lru", "fifo", "lfu", "s3_fifo"],
        }),
    },
    Preset {
        id: "cache-ttl",
        title: "How long to cache: hit ratio against freshness",
        what_to_look_for: "Writes go to the database only, so a cached value is refreshed only \
            when it expires. A longer TTL means more hits and less database load, and more \
            stale reads: from a 1 s to a 60 s TTL the hit ratio rises from about 40% to 75%, and \
            the share of stale reads from about 10% to nearly half.",
        metric: "hit ratio",
        params: &[
            ("write_strategy", "ttl_only"),
            ("read_ratio", "0.95"),
            ("ttl_jitter", "0"),
        ],
        seed: 26,
        mindmap_leaf: WHAT_AND_HOW_LONG,
        compare: Some(Variants {
            key: "ttl",
            values: &["1", "10", "60"],
        }),
    },
    Preset {
        id: "cache-stampede",
        title: "A hot key expires: the stampede",
        what_to_look_for: "Key 0 takes half of 4,000 requests a second and takes 200 ms to \
            compute. Each time it expires, unprotected, every request in those 200 ms misses and \
            recomputes it: the database's load leaps from tens to hundreds of queries a second. \
            Single flight lets one request recompute while the rest wait for it; early refresh \
            recomputes shortly before the expiry, so nobody waits and the database hardly \
            notices.",
        metric: "peak database load (q/s)",
        params: &[
            ("keys", "200"),
            ("read_ratio", "1"),
            ("ttl", "20"),
            ("ttl_jitter", "0.5"),
            ("request_rate", "4000"),
            ("db_latency", "0.2"),
            ("db_cv", "0.2"),
            ("db_capacity", "64"),
            ("hot_key", "0"),
            ("hot_key_share", "0.5"),
            ("hot_key_from", "0"),
            ("hot_key_until", "60"),
            ("warm_start", "true"),
            ("warmup", "5"),
        ],
        seed: 27,
        mindmap_leaf: WHAT_AND_HOW_LONG,
        compare: Some(Variants {
            key: "coalescing",
            values: &["none", "single_flight", "early_refresh"],
        }),
    },
    Preset {
        id: "cache-jitter",
        title: "Values cached together expire together",
        what_to_look_for: "The cache starts warm, every value stored at the same moment with a \
            10 s TTL. Without jitter they all expire together and the database takes a wave of \
            misses every ten seconds, its peak far above its average. Spreading each TTL by \
            ±50% spreads the expiries: the peak roughly halves, for the same average load.",
        metric: "peak database load (q/s)",
        params: &[
            ("warm_start", "true"),
            ("capacity", "3000"),
            ("ttl", "10"),
            ("read_ratio", "1"),
            ("request_rate", "2000"),
            ("duration", "30"),
            ("warmup", "1"),
        ],
        seed: 28,
        mindmap_leaf: WHAT_AND_HOW_LONG,
        compare: Some(Variants {
            key: "ttl_jitter",
            values: &["0", "0.5"],
        }),
    },
    Preset {
        id: "cache-scale-out",
        title: "Adding cache nodes adds memory",
        what_to_look_for: "Each node holds 1,000 items of 10,000 keys. One node catches about \
            half the reads; with two and four nodes the keys spread over more memory, the hit \
            ratio climbs to about 60% and 70%, and the database's load falls in step.",
        metric: "hit ratio",
        params: &[("capacity", "1000")],
        seed: 29,
        mindmap_leaf: DISTRIBUTED,
        compare: Some(Variants {
            key: "cache_nodes",
            values: &["1", "2", "4"],
        }),
    },
    Preset {
        id: "cache-node-loss",
        title: "A cache node dies: consistent hashing against mod N",
        what_to_look_for: "Node 2 of 4 dies at 30 s and clients drop it from the ring. With \
            consistent hashing only its keys move — about a quarter of the keys and of the \
            traffic — and the hit ratio dips briefly. With hash mod N, three keys in four move \
            to a node that does not have them: the hit ratio halves, the database is pushed past \
            its capacity and tail latency jumps for seconds.",
        metric: "hit ratio",
        params: &[
            ("cache_nodes", "4"),
            ("capacity", "3000"),
            ("keys", "20000"),
            ("zipf_alpha", "0.8"),
            ("request_rate", "3000"),
            ("read_ratio", "0.95"),
            ("ttl", "0"),
            ("warm_start", "true"),
            ("faults", "30:down:2"),
        ],
        seed: 30,
        mindmap_leaf: DISTRIBUTED,
        compare: Some(Variants {
            key: "placement",
            values: &["consistent_hashing", "mod_n"],
        }),
    },
    Preset {
        id: "cache-write-behind",
        title: "Write-behind: fast writes, until a node dies",
        what_to_look_for: "Write-behind acknowledges a write as soon as the cache node has it: \
            writes take 1 ms instead of about 6, and a key written several times between \
            two-second flushes costs the database one write. When node 2 dies at 20 s, the \
            writes it had acknowledged but not flushed die with it — lost writes, and later \
            reads of those keys return older data. Write-through loses nothing.",
        metric: "lost writes",
        params: &[
            ("read_ratio", "0.7"),
            ("flush_interval", "2"),
            ("faults", "20:down:2"),
            ("duration", "40"),
        ],
        seed: 31,
        mindmap_leaf: DISTRIBUTED,
        compare: Some(Variants {
            key: "write_strategy",
            values: &["write_through", "write_behind"],
        }),
    },
];
