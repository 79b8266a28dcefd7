//! Sharding: each preset shows what its "what to look for" sentence says on
//! several seeds; the placement strategies and scatter-gather agree with
//! theory; every query is accounted for at every moment.

use crate::{compare, num};
use archsim_patterns::sharding::{self as sh, Params, Report};
use serde_json::Value;

/// Sharding parameters: the defaults with `sets` applied.
fn params(sets: &[(&str, &str)]) -> Params {
    crate::scenario(sets)
}

/// Run a sharding experiment to the end.
fn run(params: &Params, seed: u64) -> Report {
    sh::run(params, seed, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// A per-shard number for every shard of a run.
fn per_shard(metrics: &Value, field: &str) -> Vec<f64> {
    metrics["shards"]
        .as_array()
        .expect("shards")
        .iter()
        .map(|s| s[field].as_f64().expect("a number"))
        .collect()
}

/// The mean of a time series over the buckets starting in `[from, to)`,
/// skipping buckets with nothing to measure.
fn window_mean(metrics: &Value, series: &str, from: f64, to: f64) -> f64 {
    let time = metrics["series"]["time"].as_array().expect("time");
    let values = metrics["series"][series].as_array().expect("series");
    let inside: Vec<f64> = time
        .iter()
        .zip(values)
        .filter(|(t, _)| (from..to).contains(&t.as_f64().unwrap_or(-1.0)))
        .filter_map(|(_, v)| v.as_f64())
        .collect();
    assert!(
        !inside.is_empty(),
        "{series} has no points in [{from}, {to})"
    );
    inside.iter().sum::<f64>() / inside.len() as f64
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::MIN, f64::max)
}

#[test]
fn four_shards_carry_what_one_server_cannot() {
    for runs in compare("shard-scale-out") {
        let (one, four) = (&runs[0], &runs[1]);
        assert!(num(one, "/rejected") > 0.5 * num(one, "/arrived"));
        let served = num(one, "/throughput");
        assert!(
            (185.0..215.0).contains(&served),
            "one server serves {served}/s"
        );
        let waited = num(one, "/latency/p50");
        assert!((0.4..0.7).contains(&waited), "median {waited}");
        assert_eq!(num(four, "/rejected"), 0.0);
        assert!(num(four, "/latency/p99") < 0.15);
        let rows = per_shard(four, "rows");
        assert!(
            rows.iter().all(|r| (2_200.0..=2_800.0).contains(r)),
            "{rows:?}"
        );
        let shares = per_shard(four, "load_share");
        assert!(
            shares.iter().all(|s| (0.18..=0.32).contains(s)),
            "{shares:?}"
        );
    }
}

#[test]
fn routed_lookups_cost_one_shard_request_and_scatter_gather_eight() {
    for runs in compare("shard-routing") {
        let (routed, scattered) = (&runs[0], &runs[1]);
        assert_eq!(num(routed, "/requests_per_query"), 1.0);
        assert_eq!(num(scattered, "/requests_per_query"), 8.0);
        let light = per_shard(routed, "utilisation");
        assert!(light.iter().all(|&u| u > 0.05 && u < 0.15), "{light:?}");
        let busy = per_shard(scattered, "utilisation");
        assert!(busy.iter().all(|&u| u > 0.6 && u < 0.9), "{busy:?}");
        let p50 = num(routed, "/latency/p50");
        assert!((0.005..0.015).contains(&p50), "routed median {p50}");
        assert!(num(scattered, "/latency/p50") > 3.0 * p50);
    }
}

#[test]
fn user_ids_spread_evenly_where_tenants_countries_and_dates_pile_up() {
    for runs in compare("shard-key-choice") {
        let (user, tenant, country, created) = (&runs[0], &runs[1], &runs[2], &runs[3]);
        assert!(num(user, "/load_imbalance") < 1.4);
        assert_eq!(num(user, "/rejected"), 0.0);
        let user_hot = num(user, "/latency/hot_shard_p99");
        for grouped in [tenant, country] {
            assert!(num(grouped, "/row_imbalance") > 2.0);
            assert!(max(&per_shard(grouped, "utilisation")) > 0.95);
            assert!(num(grouped, "/rejected") > 0.0);
            assert!(num(grouped, "/latency/hot_shard_p99") > 5.0 * user_hot);
        }
        assert!(num(created, "/row_imbalance") < 1.3);
        assert!(num(created, "/load_imbalance") > 1.5);
        assert!(num(created, "/latency/hot_shard_p99") > 1.5 * user_hot);
    }
}

#[test]
fn ranges_over_growing_ids_make_the_last_shard_hot() {
    for runs in compare("shard-range-hotspot") {
        let (range, hashed) = (&runs[0], &runs[1]);
        let shares = per_shard(range, "load_share");
        assert!(
            (0.4..0.65).contains(&shares[7]) && shares[0] < 0.1,
            "{shares:?}"
        );
        assert_eq!(num(range, "/row_imbalance"), 1.0);
        assert!(num(range, "/rejected") > 0.0);
        assert!(num(hashed, "/load_imbalance") < 1.4);
        assert_eq!(num(hashed, "/rejected"), 0.0);
    }
}

#[test]
fn more_shards_speed_up_lookups_and_slow_down_scatter_gather() {
    for runs in compare("shard-scatter-gather") {
        let single: Vec<f64> = runs
            .iter()
            .map(|r| num(r, "/latency/single_shard/p50"))
            .collect();
        let scatter: Vec<f64> = runs
            .iter()
            .map(|r| num(r, "/latency/scatter_gather/p50"))
            .collect();
        assert!(single[3] < single[0], "{single:?}");
        assert!(scatter.windows(2).all(|w| w[1] > w[0]), "{scatter:?}");
        for (r, n) in runs.iter().zip([2.0, 4.0, 8.0, 16.0]) {
            // 0.8 lookups of one request plus 0.2 queries of n requests.
            let expected = 0.8 + 0.2 * n;
            let rpq = num(r, "/requests_per_query");
            assert!((rpq - expected).abs() < 0.05 * expected, "{n}: {rpq}");
        }
    }
}

#[test]
fn mod_n_moves_most_rows_when_a_shard_joins_consistent_schemes_a_fifth() {
    for runs in compare("shard-resharding") {
        let mod_n = &runs[0];
        let moved = num(mod_n, "/moved_fraction");
        assert!((0.75..0.85).contains(&moved), "mod_n moved {moved}");
        let slow = num(mod_n, "/migration/duration");
        assert!((14.0..18.0).contains(&slow), "mod_n took {slow} s");
        // The copy competes with queries: the busiest shard is busier.
        let before = window_mean(mod_n, "max_shard_load", 5.0, 20.0);
        let during = window_mean(mod_n, "max_shard_load", 20.0, 20.0 + slow);
        assert!(during > 1.2 * before, "load {before} → {during}");
        let (p99_before, p99_during) = (
            window_mean(mod_n, "p99", 5.0, 20.0),
            window_mean(mod_n, "p99", 20.0, 20.0 + slow),
        );
        assert!(p99_during > p99_before, "p99 {p99_before} → {p99_during}");
        for consistent in &runs[1..] {
            let moved = num(consistent, "/moved_fraction");
            assert!((0.15..0.27).contains(&moved), "moved {moved}");
            let took = num(consistent, "/migration/duration");
            assert!((3.0..6.0).contains(&took), "took {took} s");
            assert_eq!(num(consistent, "/migration/progress"), 1.0);
        }
    }
}

#[test]
fn a_replica_cuts_unavailability_to_the_failover_delay() {
    for runs in compare("shard-failover") {
        let (bare, replicated) = (&runs[0], &runs[1]);
        let down = per_shard(bare, "downtime");
        assert!((down[1] - 20.0).abs() < 1e-6, "{down:?}");
        let peak = num(bare, "/peak_unavailable");
        assert!((0.2..0.3).contains(&peak), "peak {peak}");
        // Lookups of shard 2's rows and every scatter-gather query, for 20 s.
        let share = per_shard(bare, "rows")[1] / 10_000.0;
        let rate = num(bare, "/offered_rate");
        let expected = 20.0 * rate * (0.9 * share + 0.1);
        let failed = num(bare, "/failed");
        assert!(
            (failed - expected).abs() < 0.2 * expected,
            "failed {failed}, expected about {expected}"
        );
        let down = per_shard(replicated, "downtime");
        assert!((down[1] - 5.0).abs() < 1e-6, "{down:?}");
        assert_eq!(num(replicated, "/failovers"), 1.0);
        let ratio = num(replicated, "/failed") / failed;
        assert!((0.15..0.35).contains(&ratio), "ratio {ratio}");
    }
}

#[test]
fn double_reads_cost_extra_requests_while_rows_move() {
    for runs in compare("shard-migration-reads") {
        let (old, double) = (&runs[0], &runs[1]);
        let took = num(old, "/migration/duration");
        assert!((8.0..13.0).contains(&took), "took {took} s");
        assert!((0.4..0.6).contains(&num(old, "/moved_fraction")));
        assert_eq!(num(old, "/misses"), 0.0);
        assert_eq!(num(old, "/requests_per_query"), 1.0);
        assert!(num(double, "/misses") > 0.0);
        assert_eq!(num(old, "/migration/requests_per_query"), 1.0);
        let extra = num(double, "/migration/requests_per_query");
        assert!((1.2..1.5).contains(&extra), "{extra} requests per query");
        assert!(num(double, "/migration/latency/p50") > num(old, "/migration/latency/p50"));
        let window = |r: &Value, series: &str| window_mean(r, series, 20.0, 20.0 + took);
        assert!(window(double, "shard_requests") > 1.2 * window(old, "shard_requests"));
        assert!(window(double, "single_p50") > window(old, "single_p50"));
    }
}

/// The mechanisms the presets rely on, each checked on its own.
mod mechanisms {
    use super::{params, run};
    use archsim_core::SimTime;
    use archsim_patterns::sharding as sh;

    #[test]
    fn after_a_resharding_every_row_lives_where_the_new_placement_says() {
        for key in ["user_id", "tenant", "created_at"] {
            for strategy in ["mod_n", "range", "jump", "directory"] {
                let p = params(&[
                    ("shard_key", key),
                    ("strategy", strategy),
                    ("reshard_to", "6"),
                    ("reshard_at", "2"),
                    ("migration_rate", "20000"),
                    ("request_rate", "50"),
                    ("duration", "10"),
                    ("warmup", "1"),
                ]);
                let mut sim = sh::simulation(&p, 1).unwrap();
                sim.run_until(SimTime::from_secs(10));
                let model = sim.model();
                assert_eq!(model.placement().nodes().len(), 6, "{key} {strategy}");
                let data = model.dataset();
                for row in 0..data.rows() {
                    let expected = model.placement().node_of(data.value(row, p.shard_key));
                    assert_eq!(model.location(row), expected, "{key} {strategy} row {row}");
                }
                let r = sh::Report::of(&sim);
                assert_eq!(r.shards.iter().map(|s| s.rows).sum::<u64>(), 10_000);
                let m = r.migration.expect("migrated");
                assert_eq!(m.copied_rows, m.moved_rows);
            }
        }
    }

    /// While rows move, each shard's rows still to leave and to arrive
    /// account for the rows still to move, and its rows plus what is to
    /// arrive less what is to leave are what it ends with; the charts mark
    /// the start and the end.
    #[test]
    fn a_resharding_shows_each_shards_rows_to_leave_and_to_arrive() {
        let p = params(&[
            ("reshard_to", "5"),
            ("reshard_at", "2"),
            ("migration_rate", "2000"),
            ("request_rate", "50"),
            ("duration", "12"),
            ("warmup", "1"),
        ]);
        let mut sim = sh::simulation(&p, 1).unwrap();
        let mut during = Vec::new();
        for tenth in 1..=120 {
            sim.run_until(SimTime::from_millis(100 * tenth));
            let snap = sim.snapshot();
            if let Some(m) = snap.migration.as_ref().filter(|m| !m.done) {
                let still = m.moved_rows - m.copied_rows;
                assert_eq!(m.to_leave.iter().sum::<u64>(), still);
                assert_eq!(m.to_arrive.iter().sum::<u64>(), still);
                during.push(snap);
            }
        }
        assert!(
            during.len() > 5,
            "the migration lasts a while at 2,000 rows/s"
        );
        let end = sim.snapshot();
        assert!(end.migration.as_ref().is_some_and(|m| m.done));
        for snap in &during {
            let m = snap.migration.as_ref().expect("moving");
            for (i, shard) in snap.shards.iter().enumerate() {
                let get = |v: &[u64]| v.get(i).copied().unwrap_or(0);
                assert_eq!(
                    shard.rows + get(&m.to_arrive) - get(&m.to_leave),
                    end.shards[i].rows,
                    "shard {} at {:?}",
                    i + 1,
                    snap.now
                );
            }
        }
        let moments = sim.model().moments(sim.now());
        let whats: Vec<(f64, &str)> = moments.iter().map(|m| (m.at, m.what.as_str())).collect();
        assert_eq!(whats[0], (2.0, "resharding starts"), "{whats:?}");
        let done = whats
            .iter()
            .find(|(_, w)| *w == "resharding done")
            .expect("it ends");
        assert!(done.0 > 2.0 && done.0 < 12.0, "{whats:?}");
    }

    #[test]
    fn the_keys_that_move_are_a_dash_until_the_resharding_plans_them() {
        let mut exp = archsim_patterns::Experiment::resolve("sharding").unwrap();
        for (key, value) in [("reshard_to", "6"), ("reshard_at", "2"), ("duration", "6")] {
            exp.set(key, value).unwrap();
        }
        let mut run = exp.start().unwrap();
        let mut moving = |secs| {
            run.run_until(SimTime::from_secs(secs));
            run.dashboard()
                .stats
                .iter()
                .find(|s| s.label == "keys that move")
                .expect("shown with a resharding")
                .value
        };
        assert_eq!(moving(1), None, "no plan before the resharding starts");
        assert!(
            moving(3).is_some_and(|percent| percent > 0.0 && percent < 100.0),
            "planned once it starts"
        );
    }

    #[test]
    fn removing_shards_retires_them_empty() {
        let p = params(&[
            ("shards", "6"),
            ("reshard_to", "4"),
            ("reshard_at", "2"),
            ("strategy", "jump"),
            ("duration", "30"),
        ]);
        let r = run(&p, 1);
        let rows: Vec<u64> = r.shards.iter().map(|s| s.rows).collect();
        assert_eq!(rows[4..], [0, 0]);
        assert!(r.shards[..4].iter().all(|s| s.member));
        assert!(r.shards[4..].iter().all(|s| !s.member));
        // Jump hash removes the last shards' keys only: a third of them.
        assert!((r.moved_fraction - 2.0 / 6.0).abs() < 0.02);
    }

    #[test]
    fn a_shard_without_replica_stays_down_until_it_recovers() {
        let p = params(&[
            ("replicas", "0"),
            ("faults", "10:down:1"),
            ("query_mix", "0"),
        ]);
        let r = run(&p, 1);
        assert!((r.shards[0].downtime - 50.0).abs() < 1e-6);
        assert_eq!(r.failovers, 0);
        // Lookups of shard 1's rows fail; the others are untouched.
        assert!(r.failed > 0);
        assert_eq!(r.rejected, 0);
    }

    #[test]
    fn two_replicas_survive_two_failures_then_a_third_takes_the_shard_down() {
        let p = params(&[
            ("replicas", "2"),
            ("failover_delay", "2"),
            ("faults", "10:down:3,20:down:3,30:down:3"),
        ]);
        let r = run(&p, 1);
        assert_eq!(r.failovers, 2);
        // 2 s, 2 s, then down from 30 s to the end.
        assert!((r.shards[2].downtime - 34.0).abs() < 1e-6);
    }

    #[test]
    fn a_slow_shard_serves_its_share_more_slowly() {
        let p = params(&[("faults", "0:slow:2:0.5"), ("query_mix", "0")]);
        let r = run(&p, 1);
        let util: Vec<f64> = r.shards.iter().map(|s| s.utilisation).collect();
        let others = (util[0] + util[2] + util[3]) / 3.0;
        assert!(util[1] > 1.6 * others, "{util:?}");
    }

    #[test]
    fn migration_copies_at_the_rate_it_is_given() {
        let p = params(&[
            ("reshard_to", "8"),
            ("reshard_at", "10"),
            ("migration_rate", "200"),
            ("request_rate", "100"),
        ]);
        let r = run(&p, 1);
        let m = r.migration.expect("migrated");
        let expected = m.moved_rows as f64 / 200.0;
        assert!(
            (m.duration - expected).abs() < 0.05 * expected,
            "{} s for {} rows",
            m.duration,
            m.moved_rows
        );
    }
}

/// The placement strategies and scatter-gather against closed forms.
mod theory {
    use super::{params, run};
    use archsim_patterns::keyspace::{Placement, Strategy};
    use archsim_tests::mean_ci99;

    const KEYS: u64 = 100_000;

    /// Assert `theory` lies within the 99% CI of `samples` widened by
    /// `allowance` (absolute), and print the comparison.
    fn agrees(what: &str, samples: &[f64], theory: f64, allowance: f64) {
        let (mean, half) = mean_ci99(samples);
        let slack = half + allowance;
        println!("{what}: measured {mean:.5} ± {half:.5} (99% CI), theory {theory:.5}");
        assert!(
            (mean - theory).abs() <= slack,
            "{what}: measured {mean:.5} ± {half:.5}, theory {theory:.5} (allowed ±{slack:.5})"
        );
    }

    /// One measurement of a fraction of `KEYS` independent keys against
    /// `theory`: within four binomial standard deviations.
    fn binomial(what: &str, measured: f64, theory: f64) {
        let sd = (theory * (1.0 - theory) / KEYS as f64).sqrt();
        println!("{what}: measured {measured:.5}, theory {theory:.5} (sd {sd:.5})");
        assert!(
            (measured - theory).abs() <= 4.0 * sd + 1.0 / KEYS as f64,
            "{what}: measured {measured:.5}, theory {theory:.5}"
        );
    }

    fn nodes(base: u32, n: u32) -> Vec<u32> {
        (base..base + n).collect()
    }

    /// Hash mod N keeps a key only if `h mod n = h mod (n+1)`. For a hash
    /// uniform over many multiples of `n(n+1)`, by the Chinese remainder
    /// theorem a residue `x` of `n(n+1)` has `x mod n = x mod (n+1) = r`
    /// exactly when `x = r`, and that needs `r < n`: `n` residues of
    /// `n(n+1)` agree, so a key stays with probability `1/(n+1)` and moves
    /// with probability `n/(n+1)` — 80% from 4 shards to 5. Removing the
    /// last of `n` shards is the same with `n - 1`: `(n-1)/n` move.
    ///
    /// Jump hash and rendezvous hashing move a key only to the new shard,
    /// each with probability `1/(n+1)`; a directory moves exactly what the
    /// new shard's share needs, `⌊K/(n+1)⌋` keys. Even ranges keep a key
    /// at `x ∈ [0,1)` when `⌊xn⌋ = ⌊x(n+1)⌋`: summing the overlaps
    /// `(i+1)/(n+1) − i/n` over `i < n` gives exactly one half, for every
    /// `n`.
    #[test]
    fn moved_fraction_when_a_shard_joins_or_leaves() {
        for n in [1u32, 2, 4, 7, 16] {
            let grow = |s: Strategy| {
                let before = Placement::new(s, nodes(0, n), KEYS, 100);
                before.moved_fraction(&before.with_nodes(nodes(0, n + 1)))
            };
            let n1 = f64::from(n + 1);
            binomial(
                &format!("mod_n {n}→{}", n + 1),
                grow(Strategy::ModN),
                f64::from(n) / n1,
            );
            binomial(
                &format!("jump {n}→{}", n + 1),
                grow(Strategy::Jump),
                1.0 / n1,
            );
            let directory = grow(Strategy::Directory);
            assert!(
                (directory - 1.0 / n1).abs() <= 1.0 / KEYS as f64,
                "directory {directory}"
            );
            let range = grow(Strategy::Range);
            // Off by at most one key per boundary from rounding.
            assert!(
                (range - 0.5).abs() <= f64::from(n) / KEYS as f64,
                "range {range}"
            );
            println!("directory {n}→{}: {directory:.5}; range: {range:.5}", n + 1);
            if n > 1 {
                let shrink = |s: Strategy| {
                    let before = Placement::new(s, nodes(0, n), KEYS, 100);
                    before.moved_fraction(&before.with_nodes(nodes(0, n - 1)))
                };
                let nf = f64::from(n);
                binomial(
                    &format!("mod_n {n}→{}", n - 1),
                    shrink(Strategy::ModN),
                    (nf - 1.0) / nf,
                );
                binomial(
                    &format!("jump {n}→{}", n - 1),
                    shrink(Strategy::Jump),
                    1.0 / nf,
                );
            }
        }
    }

    /// Rendezvous hashing and the ring depend on the shards' ids, so each
    /// seed is a different set of ids; the mean over 30 sets must match
    /// `1/(n+1)`.
    #[test]
    fn consistent_schemes_move_one_share_on_average() {
        for s in [Strategy::Rendezvous, Strategy::ConsistentHashing] {
            for (n, v) in [(4u32, 10u32), (4, 200), (9, 50)] {
                let moved: Vec<f64> = (1..=30)
                    .map(|seed| {
                        let before = Placement::new(s, nodes(seed * 1_000, n), 20_000, v);
                        before.moved_fraction(&before.with_nodes(nodes(seed * 1_000, n + 1)))
                    })
                    .collect();
                agrees(
                    &format!("{s} {n}→{} (v = {v})", n + 1),
                    &moved,
                    1.0 / f64::from(n + 1),
                    0.0,
                );
            }
        }
    }

    /// Expected maximum of `n` independent standard normals,
    /// `∫ x · n φ(x) Φ(x)^(n−1) dx`, by the trapezoid rule.
    fn expected_max_normal(n: u32) -> f64 {
        let phi = |x: f64| (-x * x / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let (lo, hi, steps) = (-10.0, 10.0, 20_000);
        let h = (hi - lo) / f64::from(steps);
        let mut cdf = 0.0;
        let mut total = 0.0;
        for i in 0..steps {
            let x = lo + h * f64::from(i);
            cdf += phi(x + h / 2.0) * h;
            total += x * f64::from(n) * phi(x) * cdf.powi(n as i32 - 1) * h;
        }
        total
    }

    /// A shard's share of a ring with `v` points per shard is a sum of `v`
    /// of the `N = nv` arcs between uniform points: Beta(v, N − v), mean
    /// `1/n`, variance `(1/n)(1 − 1/n)/(N + 1)` — a standard deviation of
    /// about `1/(n√v)`. Counting `K` keys adds the multinomial
    /// `(1/n)(1 − 1/n)/K`. Shares sum to one, so the busiest of `n` is
    /// about `1/n + σ √(n/(n−1)) E[max of n normals]` above the mean, and
    /// max/mean is `1 + n σ √(n/(n−1)) e_n`.
    #[test]
    fn ring_shares_spread_as_one_over_root_v() {
        let (n, keys) = (8u32, 200_000u64);
        let nf = f64::from(n);
        let p = 1.0 / nf;
        let e_n = expected_max_normal(n);
        assert!((expected_max_normal(2) - 1.0 / std::f64::consts::PI.sqrt()).abs() < 1e-4);
        println!("E[max of {n} standard normals] = {e_n:.4}");
        for v in [1u32, 4, 16, 64, 256] {
            let ring_var = p * (1.0 - p) / (nf * f64::from(v) + 1.0);
            let var = ring_var + p * (1.0 - p) / keys as f64;
            let (mut spreads, mut peaks) = (Vec::new(), Vec::new());
            for seed in 1..=30u32 {
                let ring =
                    Placement::new(Strategy::ConsistentHashing, nodes(seed * 1_000, n), keys, v);
                let shares: Vec<f64> = ring
                    .key_counts()
                    .iter()
                    .map(|&c| c as f64 / keys as f64)
                    .collect();
                spreads.push(shares.iter().map(|s| (s - p).powi(2)).sum::<f64>() / nf);
                peaks.push(shares.iter().copied().fold(0.0, f64::max) / p);
            }
            println!(
                "v = {v}: sd of a share {:.5}, theory {:.5} (1/(n√v) = {:.5})",
                (spreads.iter().sum::<f64>() / 30.0).sqrt(),
                var.sqrt(),
                1.0 / (nf * f64::from(v).sqrt())
            );
            agrees(&format!("share variance, v = {v}"), &spreads, var, 0.0);
            // The normal approximation of the maximum needs a few points
            // per shard; with one, arcs are exponential and the tail longer.
            if v >= 16 {
                let expected = 1.0 + nf * var.sqrt() * (nf / (nf - 1.0)).sqrt() * e_n;
                agrees(
                    &format!("max/mean keys, v = {v}"),
                    &peaks,
                    expected,
                    0.1 * (expected - 1.0),
                );
            }
        }
    }

    /// With no queueing (many workers, light load) and no network delay, a
    /// scatter-gather query over `k` shards takes the maximum of `k`
    /// independent exponential service times: mean `H_k / μ`, and
    /// `P(max ≤ t) = (1 − e^{−μt})^k`, so its p99 is
    /// `−ln(1 − 0.99^{1/k}) / μ`.
    #[test]
    fn scatter_gather_waits_for_the_maximum_of_k_services() {
        let mu = 100.0;
        for k in [1u32, 2, 4, 8, 16] {
            let p = params(&[
                ("shards", &k.to_string()),
                ("query_mix", "1"),
                ("workers", "64"),
                ("queue_capacity", "10000"),
                ("network_delay", "0"),
                ("request_rate", "20"),
                ("service_rate", "100"),
                ("duration", "300"),
                ("warmup", "10"),
            ]);
            let reports: Vec<_> = (1..=8).map(|seed| run(&p, seed)).collect();
            let harmonic: f64 = (1..=k).map(|i| 1.0 / f64::from(i)).sum();
            let means: Vec<f64> = reports
                .iter()
                .map(|r| r.latency.scatter_gather.mean)
                .collect();
            agrees(
                &format!("scatter-gather mean, k = {k}"),
                &means,
                harmonic / mu,
                0.002 * harmonic / mu,
            );
            let p99: Vec<f64> = reports
                .iter()
                .map(|r| r.latency.scatter_gather.p99)
                .collect();
            let theory = -(1.0 - 0.99f64.powf(1.0 / f64::from(k))).ln() / mu;
            agrees(
                &format!("scatter-gather p99, k = {k}"),
                &p99,
                theory,
                0.01 * theory,
            );
        }
    }
}

/// Properties over random valid parameters and seeds.
mod properties {
    use archsim_core::SimTime;
    use archsim_patterns::Scenario;
    use archsim_patterns::keyspace::Strategy as Placing;
    use archsim_patterns::sharding::{self as sh, MigrationReads, Params, Report, ShardKey};
    use proptest::prelude::*;

    fn params() -> impl Strategy<Value = Params> {
        (
            (
                prop::sample::select(Placing::ALL.to_vec()),
                1u32..=8,
                1u32..=200,
                prop::sample::select(ShardKey::ALL.to_vec()),
                100u32..=3_000,
                1u32..=200,
                1u32..=30,
                0.0f64..1.5,
            ),
            (
                0.0f64..1.0,
                1.0f64..600.0,
                20.0f64..300.0,
                1u32..=4,
                0u32..=50,
                0.0f64..0.01,
            ),
            (
                0u32..=2,
                0.0f64..5.0,
                prop_oneof![Just(0u32), 1u32..=8],
                0.0f64..1.0,
                50.0f64..5_000.0,
                prop::sample::select(MigrationReads::ALL.to_vec()),
            ),
            2.0f64..20.0,
            prop::collection::vec((0.0f64..1.0, 0u32..8, 0u8..3, 0.05f64..1.0), 0..4),
        )
            .prop_map(|(a, b, c, duration, faults)| {
                let (strategy, shards, virtual_nodes, shard_key, keys, tenants, countries, alpha) =
                    a;
                let (query_mix, request_rate, service_rate, workers, queue_capacity, delay) = b;
                let (replicas, failover_delay, reshard_to, reshard_at, migration_rate, reads) = c;
                let reshard_to = if reshard_to == shards { 0 } else { reshard_to };
                let max_shards = shards.max(reshard_to);
                let faults: Vec<String> = faults
                    .into_iter()
                    .map(|(at, shard, kind, k)| {
                        let (at, s) = (at * duration, shard % max_shards + 1);
                        match kind {
                            0 => format!("{at}:down:{s}"),
                            1 => format!("{at}:recover:{s}"),
                            _ => format!("{at}:slow:{s}:{k}"),
                        }
                    })
                    .collect();
                Params {
                    strategy,
                    shards,
                    virtual_nodes,
                    shard_key,
                    keys,
                    tenants,
                    countries,
                    zipf_alpha: alpha,
                    query_mix,
                    request_rate,
                    service_rate,
                    workers,
                    queue_capacity,
                    network_delay: delay,
                    replicas,
                    failover_delay,
                    reshard_at: reshard_at * duration,
                    reshard_to,
                    migration_rate,
                    migration_reads: reads,
                    faults: faults.join(","),
                    duration,
                    warmup: duration / 4.0,
                }
            })
    }

    fn assert_conserved(r: &Report, keys: u32) {
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
        assert_eq!(r.arrived, r.single_shard + r.scatter_gather);
        assert_eq!(
            r.shards.iter().map(|s| s.rows).sum::<u64>(),
            u64::from(keys),
            "rows are neither lost nor doubled"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn every_query_and_row_is_accounted_for_at_every_moment(p in params(), seed in any::<u64>()) {
            prop_assert!(p.check().is_ok(), "{:?}", p.check());
            let mut sim = sh::simulation(&p, seed).expect("valid params");
            let end = SimTime::from_secs_f64(p.duration);
            for i in 1..=4 {
                sim.run_until(SimTime::from_micros(end.as_micros() / 4 * i));
                let r = Report::of(&sim);
                assert_conserved(&r, p.keys);
                prop_assert!((0.0..=1.0).contains(&r.unavailable));
                prop_assert!(r.load_imbalance >= 1.0 - 1e-9);
                if let Some(m) = &r.migration {
                    prop_assert!(m.copied_rows <= m.moved_rows);
                    prop_assert!((0.0..=1.0).contains(&m.progress));
                }
                for series in [&r.series.throughput, &r.series.errors, &r.series.unavailable] {
                    prop_assert!(series.iter().all(|x| x.is_finite() && *x >= 0.0));
                }
            }
        }

        #[test]
        fn the_same_params_and_seed_give_byte_identical_json(p in params(), seed in any::<u64>()) {
            let once = serde_json::to_string(&sh::run(&p, seed, &mut |_| {}).unwrap()).unwrap();
            let twice = serde_json::to_string(&sh::run(&p, seed, &mut |_| {}).unwrap()).unwrap();
            prop_assert_eq!(once, twice);
        }
    }

    #[test]
    fn variants_see_the_same_queries_on_the_same_table() {
        let exp = archsim_patterns::Experiment::resolve("shard-key-choice").unwrap();
        for key in ["strategy", "shard_key", "shards"] {
            let values: &[&str] = match key {
                "strategy" => &["mod_n", "range", "rendezvous"],
                "shard_key" => &["user_id", "country"],
                _ => &["2", "5"],
            };
            let reports = exp.compare(key, values, &mut |_| {}).unwrap();
            let arrived: Vec<(&serde_json::Value, &serde_json::Value)> = reports
                .iter()
                .map(|r| (&r["metrics"]["arrived"], &r["metrics"]["scatter_gather"]))
                .collect();
            assert!(
                arrived.windows(2).all(|w| w[0] == w[1]),
                "{key}: {arrived:?}"
            );
        }
    }

    #[test]
    fn cross_field_mistakes_are_named() {
        let mut exp = archsim_patterns::Experiment::resolve("sharding").unwrap();
        exp.set("reshard_to", "4").unwrap();
        let err = exp.validate().unwrap_err();
        assert_eq!(err.key(), "reshard_to");
        assert_eq!(
            err.to_string(),
            "reshard_to=4 is not allowed: resharding must change the number of shards (4); use 0 for no resharding"
        );
        exp.set("reshard_to", "6").unwrap();
        exp.set("reshard_at", "70").unwrap();
        assert_eq!(
            exp.validate().unwrap_err().to_string(),
            "reshard_at=70 is not allowed: resharding must start before the run ends (60 s)"
        );
        exp.set("reshard_at", "10").unwrap();
        // Shards that resharding adds can fail too; beyond them, none.
        exp.set("faults", "20:down:6").unwrap();
        exp.validate().unwrap();
        exp.set("faults", "20:down:7").unwrap();
        let err = exp.validate().unwrap_err().to_string();
        assert!(
            err.contains("the shard '7' must be a number from 1 to 6"),
            "{err}"
        );
    }
}
