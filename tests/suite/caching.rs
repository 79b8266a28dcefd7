//! The caching model: each preset shows what its "what to look for"
//! sentence says on several seeds — not just the preset's own; the
//! mechanisms behind them, one at a time; eviction against caching theory;
//! and conservation and determinism over random parameters.

use crate::{compare, mean, num, window};
use archsim_patterns::Experiment;
use archsim_patterns::caching::{self as cache, Params, Report};
use serde_json::Value;

/// Caching parameters: the defaults with `sets` applied.
fn params(sets: &[(&str, &str)]) -> Params {
    crate::scenario(sets)
}

/// Run a caching experiment to the end.
fn run(params: &Params, seed: u64) -> Report {
    cache::run(params, seed, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_cache_takes_an_overloaded_database_off_the_hook() {
    for runs in compare("cache-performance") {
        let (none, cached) = (&runs[0], &runs[1]);
        assert!(num(none, "/rejected") > 0.4 * num(none, "/arrived"));
        assert!(num(none, "/latency/p50") > 0.5);
        let hit = num(cached, "/hit_ratio");
        assert!((0.6..0.75).contains(&hit), "hit ratio {hit}");
        assert!(num(cached, "/db_load") < 1600.0);
        assert_eq!(num(cached, "/rejected"), 0.0);
        assert!(num(cached, "/latency/p50") < 0.002);
    }
    // The skew is what makes it work: with uniform popularity the same
    // cache leaves the database overloaded.
    let mut uniform = Experiment::resolve("cache-performance").unwrap();
    uniform.set("zipf_alpha", "0").unwrap();
    uniform.set("cache_nodes", "3").unwrap();
    let metrics = &uniform.run(&mut |_| {}).unwrap()["metrics"];
    assert!(num(metrics, "/hit_ratio") < 0.35);
    assert!(num(metrics, "/rejected") > 0.1 * num(metrics, "/arrived"));
}

#[test]
fn hits_cut_the_median_read_more_than_the_mean() {
    for runs in compare("cache-latency") {
        let (none, cached) = (&runs[0], &runs[1]);
        let (p50_none, p50) = (
            num(none, "/latency/reads/p50"),
            num(cached, "/latency/reads/p50"),
        );
        assert!(p50_none > 0.005 && p50_none < 0.007, "{p50_none}");
        assert!(p50 < 0.0015, "{p50}");
        let hit = num(cached, "/hit_ratio");
        assert!((0.6..0.75).contains(&hit), "hit ratio {hit}");
        let (mean_none, mean) = (
            num(none, "/latency/reads/mean"),
            num(cached, "/latency/reads/mean"),
        );
        assert!(
            mean < mean_none && mean > 2.0 * p50,
            "{mean} vs {mean_none}"
        );
        assert_eq!(num(none, "/rejected") + num(cached, "/rejected"), 0.0);
    }
    // It is the hit ratio that buys latency: below one hit in two, the
    // median read is a miss again.
    let mut small = Experiment::resolve("cache-latency").unwrap();
    small.set("capacity", "100").unwrap();
    let metrics = &small.run(&mut |_| {}).unwrap()["metrics"];
    assert!(num(metrics, "/hit_ratio") < 0.5);
    assert!(num(metrics, "/latency/reads/p50") > 0.004);
}

#[test]
fn deleting_or_writing_through_keeps_reads_fresh() {
    for runs in compare("cache-invalidation") {
        let stale = |i: usize| num(&runs[i], "/stale_fraction");
        let (ttl_only, delete, through) = (stale(0), stale(1), stale(2));
        assert!((0.35..0.6).contains(&ttl_only), "ttl only {ttl_only}");
        assert!(delete > 0.0 && delete < 0.01, "delete {delete}");
        assert!(through < 0.001 && through < delete, "through {through}");
        // Deleting costs hits; writing through keeps them.
        let hit = |i: usize| num(&runs[i], "/hit_ratio");
        assert!(hit(1) < hit(0) && hit(2) > hit(1));
    }
}

#[test]
fn the_cache_aside_race_leaves_stale_values_and_leases_stop_it() {
    for runs in compare("cache-race") {
        let (plain, leased) = (&runs[0], &runs[1]);
        let fills = num(plain, "/stale_fills");
        assert!(fills > 1_000.0, "stale fills {fills}");
        let stale = num(plain, "/stale_fraction");
        assert!((0.04..0.09).contains(&stale), "stale {stale}");
        assert!(num(leased, "/stale_fills") < fills / 10.0);
        // What stale reads remain fall between a commit and its delete.
        assert!(num(leased, "/stale_fraction") < stale / 7.0);
        assert!(num(leased, "/refused_fills") > 0.0);
        assert!(num(leased, "/hit_ratio") < num(plain, "/hit_ratio"));
    }
}

#[test]
fn a_scan_flushes_lru_and_fifo_but_not_lfu_or_s3_fifo() {
    for runs in compare("cache-eviction") {
        // Variants: lru, fifo, lfu, s3_fifo; the scan runs from 20 s to 22 s.
        let drop = |i: usize, from: f64, until: f64| {
            mean(&window(&runs[i], "hit_ratio", 12.0, 20.0))
                - mean(&window(&runs[i], "hit_ratio", from, until))
        };
        for (i, name) in [(0, "lru"), (1, "fifo")] {
            let (during, after) = (drop(i, 20.0, 22.0), drop(i, 22.0, 24.0));
            assert!(during > 0.1, "{name} drops {during} during the scan");
            assert!(after > 0.05, "{name} is still {after} down after it");
        }
        for (i, name) in [(2, "lfu"), (3, "s3_fifo")] {
            let (during, after) = (drop(i, 20.0, 22.0), drop(i, 22.0, 24.0));
            assert!(during < 0.05, "{name} drops {during} during the scan");
            assert!(after < 0.06, "{name} is {after} down after it");
        }
        let hit = |i: usize| num(&runs[i], "/hit_ratio");
        assert!(hit(2).min(hit(3)) > hit(0) && hit(0) > hit(1));
        assert!(runs.iter().all(|r| num(r, "/scan_reads") > 5_000.0));
    }
}

#[test]
fn a_longer_ttl_buys_hits_with_staleness() {
    for runs in compare("cache-ttl") {
        // Variants: 1 s, 10 s, 60 s.
        let hit: Vec<f64> = runs.iter().map(|r| num(r, "/hit_ratio")).collect();
        let stale: Vec<f64> = runs.iter().map(|r| num(r, "/stale_fraction")).collect();
        let load: Vec<f64> = runs.iter().map(|r| num(r, "/db_load")).collect();
        assert!(hit.windows(2).all(|w| w[0] < w[1]), "{hit:?}");
        assert!(stale.windows(2).all(|w| w[0] < w[1]), "{stale:?}");
        assert!(load.windows(2).all(|w| w[0] > w[1]), "{load:?}");
        assert!((0.35..0.5).contains(&hit[0]) && (0.7..0.8).contains(&hit[2]));
        assert!((0.07..0.15).contains(&stale[0]) && (0.4..0.55).contains(&stale[2]));
    }
}

#[test]
fn single_flight_and_early_refresh_tame_the_stampede() {
    for runs in compare("cache-stampede") {
        let (none, single, early) = (&runs[0], &runs[1], &runs[2]);
        let peak = |r: &Value| num(r, "/db_peak_load");
        assert!(
            peak(none) > 5.0 * peak(single),
            "{} vs {}",
            peak(none),
            peak(single)
        );
        assert!(
            peak(none) > 5.0 * peak(early),
            "{} vs {}",
            peak(none),
            peak(early)
        );
        assert!(peak(none) > 200.0);
        // The followers wait for the one recomputation...
        assert!(num(single, "/coalesced") > 100.0);
        assert!(num(single, "/latency/reads/max") > 0.15);
        // ...while early refresh makes nobody wait.
        assert!(num(early, "/early_refreshes") > 0.0);
        assert!(num(early, "/latency/mean") < num(none, "/latency/mean"));
        assert!(num(early, "/latency/mean") < num(single, "/latency/mean"));
    }
}

#[test]
fn jitter_spreads_expiries_and_lowers_the_peak() {
    for runs in compare("cache-jitter") {
        let (together, jittered) = (&runs[0], &runs[1]);
        let peak = |r: &Value| num(r, "/db_peak_load");
        assert!(peak(together) > 1.6 * peak(jittered));
        let (a, b) = (num(together, "/db_load"), num(jittered, "/db_load"));
        assert!((a - b).abs() < 0.05 * a, "mean load {a} vs {b}");
    }
}

#[test]
fn more_cache_nodes_hold_more_and_hit_more() {
    for runs in compare("cache-scale-out") {
        let hit: Vec<f64> = runs.iter().map(|r| num(r, "/hit_ratio")).collect();
        let load: Vec<f64> = runs.iter().map(|r| num(r, "/db_load")).collect();
        assert!((0.45..0.56).contains(&hit[0]), "{hit:?}");
        assert!((0.56..0.66).contains(&hit[1]), "{hit:?}");
        assert!((0.67..0.77).contains(&hit[2]), "{hit:?}");
        assert!(load.windows(2).all(|w| w[0] > w[1]), "{load:?}");
    }
}

#[test]
fn consistent_hashing_loses_a_quarter_of_the_keys_mod_n_most() {
    for runs in compare("cache-node-loss") {
        let (ring, modulo) = (&runs[0], &runs[1]);
        let moved = |r: &Value| num(r, "/remaps/0/traffic_moved");
        assert!((0.15..0.35).contains(&moved(ring)), "{}", moved(ring));
        assert!(moved(modulo) > 0.65, "{}", moved(modulo));
        assert!(num(ring, "/remaps/0/hot_moved") < 35.0);
        assert!(num(modulo, "/remaps/0/hot_moved") > 55.0);
        let before = |r: &Value| mean(&window(r, "hit_ratio", 20.0, 30.0));
        let dip = |r: &Value| window(r, "hit_ratio", 30.0, 32.0)[0];
        assert!(
            dip(ring) > 0.75 * before(ring),
            "{} vs {}",
            dip(ring),
            before(ring)
        );
        assert!(dip(modulo) < 0.55 * before(modulo));
        assert!(num(modulo, "/db_peak_load") > 1.5 * num(ring, "/db_peak_load"));
        // Past the 1,600 queries a second the database can serve.
        assert!(num(modulo, "/db_peak_load") > 1600.0);
        assert!(num(modulo, "/db_peak_queue") > 10.0 * num(ring, "/db_peak_queue").max(1.0));
        assert!(num(modulo, "/latency/p99") > 3.0 * num(ring, "/latency/p99"));
    }
}

#[test]
fn write_behind_is_fast_until_its_node_dies() {
    for runs in compare("cache-write-behind") {
        let (through, behind) = (&runs[0], &runs[1]);
        assert_eq!(num(through, "/lost_writes"), 0.0);
        assert!(num(behind, "/lost_writes") > 50.0);
        assert!(num(behind, "/latency/writes/p50") < 0.002);
        assert!(num(through, "/latency/writes/p50") > 0.005);
        assert!(num(behind, "/db_writes") < 0.8 * num(through, "/db_writes"));
        assert!(num(behind, "/stale_reads") > num(through, "/stale_reads"));
        // Flushes arrive at the database in bursts; misses wait behind them.
        assert!(num(behind, "/latency/p99") > 3.0 * num(through, "/latency/p99"));
    }
}

/// The mechanisms the presets rely on, each checked on its own.
mod mechanisms {
    use super::{params, run};
    use archsim_patterns::caching::WriteStrategy;

    #[test]
    fn without_a_cache_every_request_is_a_database_query() {
        let r = run(
            &params(&[("cache_nodes", "0"), ("warmup", "0"), ("duration", "10")]),
            1,
        );
        assert_eq!(r.hits, 0);
        assert_eq!(r.reads + r.writes, r.arrived);
        // All but the requests still on their way have reached the database.
        assert!(r.arrived - (r.db_reads + r.db_writes) <= r.in_flight);
        assert!(r.nodes.is_empty() && r.remaps.is_empty());
    }

    #[test]
    fn a_node_removal_moves_one_key_in_n_on_a_ring_and_most_with_mod_n() {
        for nodes in [3u32, 4, 5, 8] {
            let n = f64::from(nodes);
            let count = nodes.to_string();
            for (placement, expected) in [
                ("consistent_hashing", 1.0 / n),
                ("rendezvous", 1.0 / n),
                ("mod_n", 1.0 - 1.0 / n),
            ] {
                let r = run(
                    &params(&[
                        ("cache_nodes", count.as_str()),
                        ("placement", placement),
                        ("virtual_nodes", "200"),
                        ("zipf_alpha", "0"),
                        ("faults", "1:down:1"),
                        ("duration", "2"),
                        ("warmup", "0"),
                    ]),
                    1,
                );
                // Uniform popularity: the traffic share is the key share.
                let moved = r.remaps[0].moved_keys as f64 / r.keys as f64;
                assert!(
                    (moved - expected).abs() < 0.05,
                    "{placement} with {nodes} nodes moved {moved}, expected {expected}"
                );
                assert!((r.remaps[0].traffic_moved - moved).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn a_recovered_node_comes_back_empty_and_refills() {
        let r = run(
            &params(&[
                ("faults", "10:down:1,20:recover:1"),
                ("duration", "21"),
                ("warmup", "1"),
            ]),
            1,
        );
        assert_eq!(r.remaps.len(), 2);
        assert_eq!(r.remaps[0].live_nodes, 2);
        assert_eq!(r.remaps[1].live_nodes, 3);
        let items = r.nodes[0].items;
        assert!(items > 0 && items < r.nodes[1].items / 2, "{items}");
        assert!(r.nodes[0].up);
    }

    #[test]
    fn with_every_node_down_reads_go_to_the_database() {
        let r = run(
            &params(&[
                ("cache_nodes", "2"),
                ("faults", "5:down:1,5:down:2"),
                ("write_strategy", "write_through"),
                ("duration", "10"),
                ("warmup", "6"),
            ]),
            1,
        );
        assert_eq!(r.hits, 0);
        assert!(r.reads > 0 && r.misses == r.reads);
        assert_eq!(r.remaps.last().map(|m| m.live_nodes), Some(0));
        assert_eq!(r.arrived, r.completed + r.rejected + r.failed + r.in_flight);
    }

    #[test]
    fn a_hot_key_burst_loads_the_node_that_owns_it() {
        let r = run(
            &params(&[
                ("hot_key", "5000"),
                ("read_ratio", "1"),
                ("hot_key_share", "0.5"),
                ("hot_key_from", "10"),
                ("hot_key_until", "60"),
            ]),
            1,
        );
        let loads: Vec<u64> = r.nodes.iter().map(|n| n.requests).collect();
        let busiest = *loads.iter().max().unwrap();
        let others: u64 = loads.iter().sum::<u64>() - busiest;
        assert!(busiest > others, "{loads:?}");
        // Half the reads go to one key that is almost always cached.
        assert!(r.hit_ratio > 0.8, "{}", r.hit_ratio);
    }

    #[test]
    fn only_delete_on_write_lets_late_fills_linger() {
        let fills = |strategy: WriteStrategy| {
            let r = run(
                &params(&[
                    ("write_strategy", strategy.name()),
                    ("keys", "200"),
                    ("read_ratio", "0.5"),
                    ("ttl", "0"),
                ]),
                1,
            );
            assert_eq!(r.lost_writes, 0, "{strategy}");
            (r.stale_fills, r.stale_reads)
        };
        let (delete, through, behind) = (
            fills(WriteStrategy::DeleteOnWrite),
            fills(WriteStrategy::WriteThrough),
            fills(WriteStrategy::WriteBehind),
        );
        // Write-through: a late fill can land between the commit and the
        // cache node's own store of the new value, and is overwritten
        // within a network hop. Write-behind: the node holds the newest.
        assert!(delete.0 > 100, "{delete:?}");
        assert!(through.0 * 20 < delete.0, "{through:?} vs {delete:?}");
        assert!(through.1 * 5 < delete.1, "{through:?} vs {delete:?}");
        assert_eq!(behind, (0, 0));
    }

    #[test]
    fn write_behind_coalesces_writes_to_a_key_between_flushes() {
        let sets = |interval: &'static str| {
            params(&[
                ("write_strategy", "write_behind"),
                ("keys", "100"),
                ("read_ratio", "0"),
                ("request_rate", "500"),
                ("flush_interval", interval),
            ])
        };
        let (often, rarely) = (run(&sets("0.01"), 1), run(&sets("5"), 1));
        // 500 writes a second over 100 keys: a 5 s flush sees each key
        // dirty once however often it was written.
        assert!(rarely.db_writes * 10 < often.db_writes);
        assert!(rarely.db_writes > 0);
    }
}

/// Eviction under the independent reference model (IRM): read-only
/// requests drawn independently from a Zipf popularity, one node, no TTL,
/// no network delay and an all but instant database, so a miss is filled
/// at once — the set-up the formulas assume. Theory must lie within the
/// 99% confidence interval of the per-seed hit ratios, widened by the
/// approximation's own error.
mod theory {
    use super::{params, run};
    use archsim_patterns::keyspace::Zipf;
    use archsim_tests::{che_lru_hit_ratio, fifo_hit_ratio, mean_ci99};

    const SEEDS: [u64; 8] = [1, 2, 3, 4, 5, 6, 7, 8];
    const KEYS: u64 = 10_000;
    const ALPHA: f64 = 0.8;
    const CAPACITY: u64 = 1_000;

    fn hit_ratios(policy: &str) -> Vec<f64> {
        let (capacity, keys, alpha) = (CAPACITY.to_string(), KEYS.to_string(), ALPHA.to_string());
        let p = params(&[
            ("policy", policy),
            ("cache_nodes", "1"),
            ("capacity", capacity.as_str()),
            ("keys", keys.as_str()),
            ("zipf_alpha", alpha.as_str()),
            ("read_ratio", "1"),
            ("ttl", "0"),
            ("network_delay", "0"),
            ("db_latency", "0.0001"),
            ("db_cv", "0"),
            ("db_capacity", "1000"),
            ("request_rate", "2000"),
            ("duration", "100"),
            ("warmup", "25"),
        ]);
        SEEDS.iter().map(|&seed| run(&p, seed).hit_ratio).collect()
    }

    fn probabilities() -> Vec<f64> {
        let zipf = Zipf::new(KEYS, ALPHA);
        (0..KEYS).map(|k| zipf.probability(k)).collect()
    }

    /// Assert `theory` lies within the 99% CI of `samples` widened by
    /// `allowance` (relative), and print the comparison.
    fn agrees(what: &str, samples: &[f64], theory: f64, allowance: f64) {
        let (mean, half) = mean_ci99(samples);
        let slack = half + allowance * theory;
        println!("{what}: simulated {mean:.5} ± {half:.5} (99% CI), theory {theory:.5}");
        assert!(
            (mean - theory).abs() <= slack,
            "{what}: simulated {mean:.5} ± {half:.5}, theory {theory:.5} (allowed ±{slack:.5})"
        );
    }

    #[test]
    fn lru_matches_ches_approximation() {
        // Che's approximation is within a fraction of a percent for Zipf
        // popularity at this size; allow 1%.
        let theory = che_lru_hit_ratio(&probabilities(), CAPACITY as f64);
        agrees("LRU hit ratio vs Che", &hit_ratios("lru"), theory, 0.01);
    }

    #[test]
    fn fifo_and_random_match_their_approximation() {
        let theory = fifo_hit_ratio(&probabilities(), CAPACITY as f64);
        agrees("FIFO hit ratio", &hit_ratios("fifo"), theory, 0.01);
        agrees("random hit ratio", &hit_ratios("random"), theory, 0.01);
        assert!(theory < che_lru_hit_ratio(&probabilities(), CAPACITY as f64));
    }

    #[test]
    fn lfu_approaches_but_never_beats_the_top_c_bound() {
        // No policy can do better than always holding the C most popular
        // keys. In-cache LFU settles on the keys that were popular early
        // on and keeps them: close to the bound, never above it.
        let bound = Zipf::new(KEYS, ALPHA).top_share(CAPACITY);
        let lfu = hit_ratios("lfu");
        let (mean, half) = mean_ci99(&lfu);
        println!(
            "LFU hit ratio: simulated {mean:.5} ± {half:.5} (99% CI), top-C bound {bound:.5} \
             ({:.1}% of it)",
            100.0 * mean / bound
        );
        assert!(mean - half <= bound);
        assert!(mean > 0.85 * bound, "LFU {mean} vs bound {bound}");
        assert!(mean > che_lru_hit_ratio(&probabilities(), CAPACITY as f64));
    }

    #[test]
    fn s3_fifo_beats_lru_under_independent_requests() {
        let (s3, _) = mean_ci99(&hit_ratios("s3_fifo"));
        let lru = che_lru_hit_ratio(&probabilities(), CAPACITY as f64);
        let bound = Zipf::new(KEYS, ALPHA).top_share(CAPACITY);
        println!("S3-FIFO hit ratio: simulated {s3:.5}, LRU (Che) {lru:.5}, bound {bound:.5}");
        assert!(s3 > lru && s3 < bound);
    }
}

/// Properties over random valid parameters and seeds.
mod properties {
    use archsim_core::SimTime;
    use archsim_patterns::caching::{
        self as cache, Coalescing, Params, Placement, Policy, Report, WriteStrategy,
    };
    use archsim_patterns::{Scenario, Settings};
    use proptest::prelude::*;

    /// Random valid caching parameters, small enough to run quickly.
    fn params() -> impl Strategy<Value = Params> {
        (
            (
                prop::sample::select(Policy::ALL.to_vec()),
                0u32..=6,
                1u32..=300,
                1u32..=2_000,
                0.0f64..1.5,
                0.0f64..=1.0,
                prop_oneof![Just(0.0), 0.05f64..5.0],
                0.0f64..=1.0,
            ),
            (
                prop::sample::select(WriteStrategy::ALL.to_vec()),
                0.05f64..2.0,
                10.0f64..3_000.0,
                0.0005f64..0.05,
                0.0f64..2.0,
                1u32..=16,
                0u32..=200,
                0.0f64..0.01,
            ),
            (
                prop::sample::select(Coalescing::ALL.to_vec()),
                0.5f64..3.0,
                prop::sample::select(Placement::ALL.to_vec()),
                1u32..=200,
                any::<bool>(),
                any::<bool>(),
            ),
            (
                0u32..2_000,
                prop_oneof![Just(0.0), 0.05f64..1.0],
                (0.0f64..1.0, 0.0f64..1.0),
                prop_oneof![Just(0.0), 10.0f64..2_000.0],
                (0.0f64..1.0, 0.0f64..1.0),
                1.0f64..10.0,
            ),
            prop::collection::vec((0.0f64..1.0, 0u32..6, any::<bool>()), 0..4),
        )
            .prop_map(|(a, b, c, d, faults)| {
                let (policy, cache_nodes, capacity, keys, zipf_alpha, read_ratio, ttl, jitter) = a;
                let (write_strategy, flush, rate, db_latency, db_cv, db_cap, db_queue, net) = b;
                let (coalescing, beta, placement, virtual_nodes, leases, warm_start) = c;
                let (hot_key, hot_share, hot_window, scan_rate, scan_window, duration) = d;
                let window = |(x, y): (f64, f64)| {
                    let (from, until) = (x.min(y) * duration, x.max(y) * duration);
                    (from, until.max(from + 0.01))
                };
                let faults: Vec<String> = if cache_nodes == 0 {
                    Vec::new()
                } else {
                    faults
                        .into_iter()
                        .map(|(at, node, down)| {
                            let (at, n) = (at * duration, node % cache_nodes + 1);
                            let action = if down { "down" } else { "recover" };
                            format!("{at}:{action}:{n}")
                        })
                        .collect()
                };
                let (hot_key_from, hot_key_until) = window(hot_window);
                let (scan_from, scan_until) = window(scan_window);
                Params {
                    policy,
                    cache_nodes,
                    capacity,
                    keys,
                    zipf_alpha,
                    read_ratio,
                    ttl,
                    ttl_jitter: jitter,
                    write_strategy,
                    flush_interval: flush,
                    request_rate: rate,
                    db_latency,
                    db_cv,
                    db_capacity: db_cap,
                    db_queue,
                    network_delay: net,
                    leases,
                    coalescing,
                    early_refresh_beta: beta,
                    placement,
                    virtual_nodes,
                    hot_key: hot_key % keys,
                    hot_key_share: hot_share,
                    hot_key_from,
                    hot_key_until,
                    scan_rate,
                    scan_from,
                    scan_until,
                    warm_start,
                    faults: faults.join(","),
                    duration,
                    warmup: duration / 4.0,
                }
            })
    }

    fn assert_conserved(r: &Report) {
        assert_eq!(
            r.arrived,
            r.completed + r.rejected + r.failed + r.in_flight,
            "arrived {} ≠ completed {} + rejected {} + failed {} + in flight {}",
            r.arrived,
            r.completed,
            r.rejected,
            r.failed,
            r.in_flight
        );
        assert_eq!(r.hits + r.misses, r.reads);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn every_request_is_accounted_for_at_every_moment(p in params(), seed in any::<u64>()) {
            prop_assert!(p.check().is_ok(), "{:?}", p.check());
            let mut sim = cache::simulation(&p, seed).expect("valid params");
            let end = SimTime::from_secs_f64(p.duration);
            for i in 1..=4 {
                sim.run_until(SimTime::from_micros(end.as_micros() / 4 * i));
                let r = Report::of(&sim);
                assert_conserved(&r);
                prop_assert!((0.0..=1.0).contains(&r.hit_ratio));
                prop_assert!(r.nodes.iter().all(|n| n.items <= n.capacity));
                for series in [&r.series.throughput, &r.series.db_load, &r.series.stale_reads] {
                    prop_assert!(series.iter().all(|x| x.is_finite() && *x >= 0.0));
                }
                let snapshot = sim.snapshot();
                prop_assert!(snapshot.messages.iter().all(|m| m.flight.sent_at <= m.flight.arrives_at));
                prop_assert_eq!(snapshot.nodes.len(), p.cache_nodes as usize);
            }
        }

        #[test]
        fn the_same_params_and_seed_give_byte_identical_json(p in params(), seed in any::<u64>()) {
            let once = serde_json::to_string(&cache::run(&p, seed, &mut |_| {}).unwrap()).unwrap();
            let twice = serde_json::to_string(&cache::run(&p, seed, &mut |_| {}).unwrap()).unwrap();
            prop_assert_eq!(once, twice);
        }
    }

    #[test]
    fn compared_variants_see_the_same_requests() {
        let mut settings = Settings::defaults::<Params>();
        settings.set("duration", "10").unwrap();
        settings.set("warmup", "1").unwrap();
        let base: Params = settings.build().unwrap();
        let arrived: Vec<u64> = Policy::ALL
            .into_iter()
            .map(|policy| {
                let p = Params {
                    policy,
                    ..base.clone()
                };
                cache::run(&p, 7, &mut |_| {}).unwrap().arrived
            })
            .collect();
        assert!(arrived.windows(2).all(|w| w[0] == w[1]), "{arrived:?}");
    }
}
