//! CQRS: each preset shows what its "what to look for" sentence says on
//! seeds other than its own; the projector against M/M/1 theory and the
//! rebuild against its replay arithmetic, over seed sweeps, each tolerance
//! a 95% t-interval; the mitigations never miss an own write and the shared
//! model never reads stale; and every request is accounted for at every
//! moment.

use crate::{SEEDS, compare, compare_runs_with, mean, num, window};
use archsim_core::{SimTime, Simulation};
use archsim_patterns::catalog;
use archsim_patterns::cqrs::{self, Cqrs, Params, Report};

/// CQRS parameters: the defaults with `sets` applied.
fn params(sets: &[(&str, &str)]) -> Params {
    crate::scenario(sets)
}

/// Run a CQRS experiment to the end.
fn run(params: &Params, seed: u64) -> Report {
    cqrs::run(params, seed, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// A simulation of `params`, ready to step.
fn simulation(params: &Params, seed: u64) -> Simulation<Cqrs> {
    cqrs::simulation(params, seed).unwrap_or_else(|e| panic!("{e}"))
}

/// `s` seconds, as simulated time.
fn secs(s: f64) -> SimTime {
    SimTime::from_secs_f64(s)
}

/// The standard error of the `q`-quantile of `n` independent samples from
/// a distribution whose quantile function is `quantile`:
/// √(q(1 − q)/n) / f(x_q), with 1/f(x_q) = dx_q/dq taken numerically.
fn quantile_error(n: f64, q: f64, quantile: impl Fn(f64) -> f64) -> f64 {
    let h = 1e-4;
    let dx_dq = (quantile(q + h) - quantile(q - h)) / (2.0 * h);
    (q * (1.0 - q) / n).sqrt() * dx_dq
}

/// Quantiles of the run-wide histograms are within 0.4% of the value
/// (archsim-core's log-linear histogram at precision 7).
const HISTOGRAM_RESOLUTION: f64 = 0.004;

/// The 99th percentile of a write's time in the write store when it is an
/// M/M/c queue of writes alone, with the two network hops; and the
/// standard error of a run's estimate of it from `n` writes.
fn write_p99(p: &Params, n: f64) -> (f64, f64) {
    let mmc = |q: f64| {
        archsim_tests::mmc_response_quantile(p.write_rate, 1.0 / p.write_time, p.workers, q)
    };
    (
        2.0 * p.network_delay + mmc(0.99),
        quantile_error(n, 0.99, mmc),
    )
}

/// How often [`busy_shares`] looks at the workers.
const SAMPLE_EVERY: f64 = 0.01;

/// The share of the time each database's workers are busy, sampled every
/// 10 ms over the measured window: the write store, then each replica.
fn busy_shares(params: &Params, seed: u64) -> (f64, Vec<f64>) {
    let mut sim = simulation(params, seed);
    let (mut write, mut replicas) = (0.0, vec![0.0; params.read_replicas as usize]);
    let mut samples = 0.0;
    let mut t = params.warmup;
    while t < params.duration {
        sim.run_until(secs(t));
        let snapshot = sim.snapshot();
        let share = |s: &cqrs::StoreView| f64::from(s.busy) / f64::from(s.workers);
        write += share(&snapshot.write_store);
        for (sum, r) in replicas.iter_mut().zip(&snapshot.replicas) {
            *sum += share(r);
        }
        samples += 1.0;
        t += SAMPLE_EVERY;
    }
    (
        write / samples,
        replicas.into_iter().map(|b| b / samples).collect(),
    )
}

/// Four standard errors of a busy share measured by [`busy_shares`] on
/// `workers` workers serving `rate` requests a second of exponential
/// service `service` over `measured` seconds, expected `share`. The work
/// that arrives is compound Poisson, of variance rate · measured · 2
/// service², so the share it makes has standard error service · √(2 rate /
/// measured) /
/// workers; sampling on the grid adds at most √(share (1 − share) / samples).
fn busy_tolerance(rate: f64, service: f64, workers: u32, measured: f64, share: f64) -> f64 {
    let work = service * (2.0 * rate / measured).sqrt() / f64::from(workers);
    let sampling = share * (1.0 - share) / (measured / SAMPLE_EVERY);
    4.0 * (work * work + sampling).sqrt()
}

#[test]
fn a_view_answers_with_one_lookup_where_the_shared_model_joins() {
    let p = crate::preset_scenario::<Params>("cqrs-data-models", &[]);
    let hops = 2.0 * p.network_delay;
    for runs in compare("cqrs-data-models") {
        let (shared, split) = (&runs[0], &runs[1]);
        // A join of 20 rows at 0.5 ms is 10 ms of work; its median alone is
        // ln 2 of that, plus the two hops: the floor the queue adds to.
        let floor = hops + std::f64::consts::LN_2 * p.join_time();
        let joined = num(shared, "/read_latency/p50");
        assert!(floor > 0.008 && joined > floor, "{joined} vs {floor}");
        assert!(
            (0.010..0.014).contains(&joined),
            "about a dozen ms: {joined}"
        );
        // The replica is 6% busy, so a read almost never waits: its median
        // is the hops and the median lookup, within the histogram's grain.
        let looked_up = num(split, "/read_latency/p50");
        let expected = hops + std::f64::consts::LN_2 * p.lookup_time;
        assert!(looked_up < 0.003, "{looked_up}");
        assert!(
            (looked_up - expected).abs() <= 0.01 * expected,
            "{looked_up} vs {expected}"
        );
        // 20 rows against one (exactly: see `rows_and_view_updates_are_exact`).
        assert!(num(shared, "/rows_per_read") > 19.9);
        assert!(num(split, "/rows_per_read") < 1.01);
        // The write side pays: view updates, applied after the write.
        assert_eq!(num(shared, "/view_updates_per_write"), 0.0);
        assert!(num(split, "/view_updates_per_write") > 1.99);
        assert_eq!(num(shared, "/projection_lag/max"), 0.0);
        assert!(num(split, "/projection_lag/p50") > 0.0);
        assert_eq!(
            num(shared, "/stale_reads") + num(split, "/failed_reads"),
            0.0
        );
    }
}

#[test]
fn read_replicas_scale_the_read_side_and_leave_the_write_side_alone() {
    let p = crate::preset_scenario::<Params>("cqrs-scaling", &[]);
    // The writers' reads back go to the replicas too.
    let offered = p.read_rate + p.write_rate;
    let capacity = f64::from(p.workers) / p.lookup_time;
    let hops = 2.0 * p.network_delay;
    let measured = p.duration - p.warmup;
    for (seed, runs) in SEEDS.iter().zip(compare("cqrs-scaling")) {
        let (one, two, four) = (&runs[0], &runs[1], &runs[2]);
        // One replica serves 4,000 reads a second, flat out, of 4,550: its
        // throughput is its capacity (Poisson error √(4000 · 55) / 55).
        let served = num(one, "/read_throughput");
        let error = (capacity / measured).sqrt();
        assert!(
            (served - capacity).abs() < 4.0 * error,
            "{served} vs {capacity}"
        );
        // The rest queues: the backlog grows by 550 a second all run long.
        let backlog = num(one, "/reads") - num(one, "/answered");
        let expected = (offered - capacity) * p.duration;
        let spread = ((offered + capacity) * p.duration).sqrt();
        assert!(
            (backlog - expected).abs() < 4.0 * spread,
            "backlog {backlog} vs {expected}"
        );
        // ... and the tail with it: a read sent at t waits 550 t / 4000 s.
        let early = mean(&window(one, "read_p99", 10.0, 20.0));
        let late = mean(&window(one, "read_p99", 50.0, 60.0));
        assert!(late > 3.0 * early && late > 5.0, "{early} then {late}");
        assert!(num(one, "/read_latency/p99") > 5.0);
        // Two and four replicas serve every read, at about a half and a
        // quarter of their capacity.
        for (metrics, n, (low, high)) in [(two, 2.0, (0.5, 0.6)), (four, 4.0, (0.25, 0.3))] {
            let served = num(metrics, "/read_throughput");
            assert!(
                (served - offered).abs() < 4.0 * (offered / measured).sqrt(),
                "{served} vs {offered}"
            );
            let load = served / (n * capacity);
            assert!((low..high).contains(&load), "{n} replicas: {load}");
            // The tail falls to the hops and a lookup's own p99, plus at
            // most an M/M/4 replica's wait (round robin makes the arrivals
            // more regular than Poisson: less waiting, not more).
            let per_replica = offered / n;
            let lookup_p99 = -(0.01f64.ln()) * p.lookup_time;
            let mmc_p99 = archsim_tests::mmc_response_quantile(
                per_replica,
                1.0 / p.lookup_time,
                p.workers,
                0.99,
            );
            // A run's p99 of the lookups alone strays from theirs by its
            // sampling error: four standard errors of it lower.
            let answered = num(metrics, "/answered");
            let lookup = |q: f64| -(1.0 - q).ln() * p.lookup_time;
            let low = hops + lookup_p99 - 4.0 * quantile_error(answered, 0.99, lookup);
            let p99 = num(metrics, "/read_latency/p99");
            assert!(
                p99 >= low * (1.0 - HISTOGRAM_RESOLUTION)
                    && p99 <= (hops + mmc_p99) * (1.0 + HISTOGRAM_RESOLUTION),
                "{n} replicas: p99 {p99}, between {low} and {}",
                hops + mmc_p99
            );
            assert!(p99 < 0.01);
        }
        // The write store sees writes alone in all three: the M/M/4 of
        // writes, whose p99 each run estimates from its ~2,750 writes.
        for (i, metrics) in runs.iter().enumerate() {
            let n = num(metrics, "/write_throughput") * measured;
            let (theory, error) = write_p99(&p, n);
            let p99 = num(metrics, "/write_latency/p99");
            assert!(
                (p99 - theory).abs() <= 4.0 * error + HISTOGRAM_RESOLUTION * theory,
                "variant {i}: write p99 {p99} vs {theory} ± {error}"
            );
        }
        // Busy workers, sampled: four replicas a quarter busy each...
        let four_params =
            crate::preset_scenario::<Params>("cqrs-scaling", &[("read_replicas", "4")]);
        let (write_busy, four_busy) = busy_shares(&four_params, *seed);
        let share = offered * p.lookup_time / (4.0 * f64::from(p.workers));
        let tolerance = busy_tolerance(offered / 4.0, p.lookup_time, p.workers, measured, share);
        assert!(
            four_busy.iter().all(|b| (b - share).abs() < tolerance),
            "{four_busy:?} vs {share} ± {tolerance}"
        );
        // ... and the write store serves writes alone: 50 × 4 ms of 4 workers.
        let share = p.write_rate * p.write_time / f64::from(p.workers);
        let tolerance = busy_tolerance(p.write_rate, p.write_time, p.workers, measured, share);
        assert!(
            (write_busy - share).abs() < tolerance,
            "{write_busy} vs {share} ± {tolerance}"
        );
    }
}

#[test]
fn writes_queue_behind_joins_on_one_model_and_not_on_their_own() {
    let shared_params =
        crate::preset_scenario::<Params>("cqrs-contention", &[("architecture", "shared_model")]);
    let p = crate::preset_scenario::<Params>("cqrs-contention", &[]);
    let measured = p.duration - p.warmup;
    for (seed, runs) in SEEDS.iter().zip(compare("cqrs-contention")) {
        let (shared, split) = (&runs[0], &runs[1]);
        // The 300 queries alone take 300 × 10 ms = 3 of the 4 workers; the
        // writers' 50 reads back a second are joins too, and the writes
        // take 50 × 4 ms more: 3.7 workers of 4 in all.
        let (busy, _) = busy_shares(&shared_params, *seed);
        let joins = p.read_rate + p.write_rate;
        let work = joins * p.join_time() + p.write_rate * p.write_time;
        let share = work / f64::from(p.workers);
        // The joins' work dominates the error.
        let tolerance = busy_tolerance(joins, p.join_time(), p.workers, measured, share);
        assert!(
            (busy - share).abs() < tolerance,
            "busy {busy} vs {share} ± {tolerance}"
        );
        // Writes queue behind the joins: several times their own p99, the
        // M/M/4 of writes alone that the split write store shows.
        let (theory, _) = write_p99(&p, 1.0);
        let (queued, alone) = (
            num(shared, "/write_latency/p99"),
            num(split, "/write_latency/p99"),
        );
        assert!(queued > 3.0 * alone, "{queued} vs {alone}");
        assert!(queued > 3.0 * theory, "{queued} vs {theory}");
        let n = num(split, "/write_throughput") * measured;
        let (theory, error) = write_p99(&p, n);
        assert!(
            (alone - theory).abs() <= 4.0 * error + HISTOGRAM_RESOLUTION * theory,
            "write p99 {alone} vs {theory} ± {error}"
        );
        assert!(num(split, "/write_latency/mean") < 0.5 * num(shared, "/write_latency/mean"));
        // The reads moved to the read side: one lookup each, fast.
        assert!(num(split, "/read_latency/p50") < 0.003);
        assert!(num(shared, "/read_latency/p50") > 0.012);
        assert!(num(split, "/rows_per_read") < 1.01);
    }
}

#[test]
fn a_rebuild_replays_the_log_and_every_read_of_the_view_fails_meanwhile() {
    let (_, preset) = catalog::find("cqrs-rebuild").expect("preset exists");
    let replay_rates = preset.compare.expect("compares").values;
    for &seed in &SEEDS {
        for (rate, about) in replay_rates.iter().zip([3.3, 0.8]) {
            let p = crate::preset_scenario::<Params>("cqrs-rebuild", &[("replay_rate", rate)]);
            let (lambda, r, at) = (p.write_rate, p.replay_rate, p.rebuild_at);
            let mut sim = simulation(&p, seed);
            // Events committed before the rebuild (it runs first at its
            // instant, scheduled at the start): Poisson with mean 1,500.
            sim.run_until(secs(at) - SimTime::from_micros(1));
            let before = sim.model().accounting(sim.metrics());
            let n0 = before.events as f64;
            assert!(
                (n0 - lambda * at).abs() < 4.0 * (lambda * at).sqrt(),
                "{n0} events by {at} s"
            );
            assert_eq!(before.failed_reads, 0, "no read fails before it");
            // Reads already at the replica finish within a few ms.
            sim.run_until(secs(at + 0.05));
            let started = sim.model().accounting(sim.metrics());
            let rebuilding = |sim: &Simulation<Cqrs>| {
                sim.snapshot()
                    .projector
                    .and_then(|pr| pr.rebuilding)
                    .is_some()
            };
            assert!(rebuilding(&sim), "still rebuilding at {} s", at + 0.05);
            // Step until the rebuild is done.
            let mut t = at + 0.05;
            while rebuilding(&sim) {
                t += 0.001;
                assert!(t < p.duration, "the rebuild never ends");
                sim.run_until(secs(t));
            }
            let done = sim.model().accounting(sim.metrics());
            assert_eq!(
                done.answered, started.answered,
                "every read of the view fails while it is rebuilt"
            );
            // The reads that reached the view in its last step are told of
            // their failure a hop later; after that none fails.
            sim.run_until(secs(t + 0.01));
            let settled = sim.model().accounting(sim.metrics());
            sim.run_until(secs(p.duration));
            let end = sim.model().accounting(sim.metrics());
            assert_eq!(end.failed_reads, settled.failed_reads);
            assert!(end.answered > done.answered, "reads are answered again");
            let report = Report::of(&sim);
            let took = report.rebuild_time.expect("the rebuild finished");
            assert!((took - (t - at)).abs() <= 0.001, "{took} vs {}", t - at);
            // Replaying N0 events at r a second while λ more arrive a
            // second: r T = N0 + A(T), A(T) ~ Poisson(λT), so T = N0/(r − λ)
            // with error √(λT)/(r − λ), and one replay's grain.
            let expected = n0 / (r - lambda);
            let error = (lambda * took).sqrt() / (r - lambda);
            assert!(
                (took - expected).abs() < 4.0 * error + 1.0 / r,
                "replay at {r}/s took {took} s, expected {expected} ± {error}"
            );
            // "About 3.3 s" and "about 0.8 s" are λ · 30 / (r − λ); a run
            // adds N0's own Poisson error.
            let nominal = lambda * at / (r - lambda);
            assert!((nominal - about).abs() < 0.05, "{nominal} vs {about}");
            let error = (lambda * at + lambda * took).sqrt() / (r - lambda);
            assert!(
                (took - nominal).abs() < 4.0 * error + 1.0 / r,
                "{took} vs {nominal} ± {error}"
            );
            // Every read that reached the view meanwhile failed: queries
            // and the writers' reads back, a Poisson count at 250 a second.
            let failed = report.failed_reads as f64;
            let expected = (p.read_rate + p.write_rate) * took;
            assert!(
                (failed - expected).abs() < 4.0 * expected.sqrt(),
                "{failed} failed reads in {took} s, expected {expected}"
            );
            assert_eq!(report.missed_own_writes, 0);
        }
    }
}

#[test]
fn eventual_consistency_misses_most_own_writes_and_each_mitigation_none() {
    let p = crate::preset_scenario::<Params>("cqrs-consistency", &[]);
    let (lambda, mu) = (p.write_rate, 1.0 / p.projection_mean());
    let d = p.read_delay + 2.0 * p.network_delay;
    let runs = compare("cqrs-consistency");
    let mut lags = Vec::new();
    let mut missed = Vec::new();
    for runs in &runs {
        let (eventual, own, token, sync) = (&runs[0], &runs[1], &runs[2], &runs[3]);
        // Most reads back miss: the lag's median, ln 2 × 100 ms, is longer
        // than the 52 ms from the commit to the read reaching a replica.
        let share = num(eventual, "/missed_share");
        assert!(share > 0.5, "eventual misses {share}");
        lags.push(num(eventual, "/projection_lag/mean"));
        missed.push(share);
        for (name, m) in [
            ("read_your_writes", own),
            ("version_token", token),
            ("synchronous", sync),
        ] {
            assert_eq!(num(m, "/missed_own_writes"), 0.0, "{name}");
            assert_eq!(
                num(m, "/writes"),
                num(eventual, "/writes"),
                "the same writes: {name}"
            );
        }
        // Paid with a join: the reads back (a share of all reads) join 20
        // rows on the write side. Its error: four standard errors of that
        // share in the reads answered.
        let share = num(own, "/read_backs") / num(own, "/reads");
        let expected = 1.0 + f64::from(p.join_rows - 1) * share;
        let error =
            f64::from(p.join_rows - 1) * (share * (1.0 - share) / num(own, "/answered")).sqrt();
        let rows = num(own, "/rows_per_read");
        assert!(
            (rows - expected).abs() < 4.0 * error,
            "{rows} vs {expected}"
        );
        assert!(num(own, "/read_latency/p99") > 2.0 * num(eventual, "/read_latency/p99"));
        // Paid with a wait: a read back waits out the rest of its event's
        // lag, which is past d with probability e^−(μ−λ)d ≈ 0.59 and then,
        // the lag being exponential, Exp(μ − λ) more. One read in about 14
        // is a read back (15 of 215 a second), so the p99 of all reads is
        // about ln(100 · 0.07 · 0.59) / (μ − λ) ≈ 0.14 s; the lags of
        // neighbouring writes move together at ρ = 0.6, so a run's p99
        // strays far from it (0.08 to 0.17 s on these seeds), but never near
        // the 7 ms of eventual reads.
        assert!(num(token, "/read_latency/p99") > 5.0 * num(eventual, "/read_latency/p99"));
        assert!(num(token, "/read_latency/p50") < 0.003);
        // Paid with slower writes: the views are updated inside the write,
        // so a write is Exp(4 ms) + Exp(40 ms) of work, and seldom queues
        // (0.66 workers' worth of 4).
        let n = num(sync, "/write_throughput") * (p.duration - p.warmup);
        let (a, b) = (p.write_time, p.projection_mean());
        let sum_quantile = |q: f64| 2.0 * p.network_delay + hypoexponential_quantile(a, b, q);
        let (theory, error) = (sum_quantile(0.99), quantile_error(n, 0.99, sum_quantile));
        let slow = num(sync, "/write_latency/p99");
        assert!(
            (slow - theory).abs() < 4.0 * error + HISTOGRAM_RESOLUTION * theory,
            "synchronous write p99 {slow} vs {theory} ± {error}"
        );
        assert!(slow > 5.0 * num(eventual, "/write_latency/p99"));
        // Synchronous views are never behind at all.
        assert_eq!(num(sync, "/stale_reads"), 0.0);
        assert_eq!(num(sync, "/projection_lag/max"), 0.0);
    }
    // "About 100 ms on average": the mean lag 1/(μ − λ) and the missed
    // share e^−(μ−λ)d within the three seeds' 95% t-intervals.
    let interval = |xs: &[f64]| archsim_patterns::interval::Interval::of(xs).expect("3 seeds");
    let lag = interval(&lags);
    let expected = 1.0 / (mu - lambda);
    assert!(
        (lag.mean - expected).abs() <= lag.half_width,
        "{lag:?} vs {expected}"
    );
    let share = interval(&missed);
    let expected = (-(mu - lambda) * d).exp();
    assert!(
        (share.mean - expected).abs() <= share.half_width,
        "{share:?} vs {expected}"
    );
}

/// The `q`-quantile of the sum of two independent exponentials of means
/// `a` ≠ `b`, whose tail is (a e^−x/a − b e^−x/b) / (a − b), by bisection.
fn hypoexponential_quantile(a: f64, b: f64, q: f64) -> f64 {
    let tail = |x: f64| (a * (-x / a).exp() - b * (-x / b).exp()) / (a - b);
    let (mut lo, mut hi) = (0.0, 100.0 * (a + b));
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if tail(mid) > 1.0 - q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Rows per read and view updates per write are what a read and a write
/// cost, whatever the seed: the join's rows on the shared model and one
/// under CQRS; no view update on the shared model and one per view under
/// CQRS. (Read-your-writes mixes joins and lookups: its rows are checked
/// above.)
#[test]
fn rows_and_view_updates_are_exact() {
    let mut wrong = Vec::new();
    for preset in [
        "cqrs-data-models",
        "cqrs-scaling",
        "cqrs-contention",
        "cqrs-rebuild",
        "cqrs-consistency",
    ] {
        let (_, found) = catalog::find(preset).expect("preset exists");
        let key = found.compare.expect("compares").key;
        for (seed, runs) in SEEDS.iter().zip(compare_runs_with(preset, &[])) {
            for run in runs {
                let (params, metrics) = (&run["params"], &run["metrics"]);
                let shared = params["architecture"] == "shared_model";
                let rows = match (shared, params["consistency"].as_str()) {
                    (true, _) => Some(num(params, "/join_rows")),
                    (false, Some("read_your_writes")) => None,
                    (false, _) => Some(1.0),
                };
                let updates = if shared { 0.0 } else { num(params, "/views") };
                let (got_rows, got_updates) = (
                    num(metrics, "/rows_per_read"),
                    num(metrics, "/view_updates_per_write"),
                );
                if rows.is_some_and(|r| r != got_rows) || got_updates != updates {
                    wrong.push(format!(
                        "{preset} seed {seed} {key}={}: rows_per_read {got_rows} (expected \
                         {rows:?}), view_updates_per_write {got_updates} (expected {updates})",
                        params[key]
                    ));
                }
            }
        }
    }
    // Off by a request or two? Rows are counted when a database serves a
    // read and reads when the client gets the answer, a hop later; view
    // updates when a write commits and writes when acknowledged. The
    // measured window's edges then cut the two counts at different requests.
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The model against theory over seed sweeps, each tolerance the 95%
/// t-interval of the per-seed values, widened where a test makes several
/// comparisons so that together they hold at 95% (Bonferroni).
mod theory {
    use super::{params, run, secs, simulation};
    use archsim_patterns::Experiment;
    use archsim_patterns::interval::Interval;

    const SEEDS: [u64; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    /// t(1 − 0.025/k, 9) / t(0.975, 9): the 95% interval of ten seeds
    /// widened for `k` comparisons made together.
    fn bonferroni(k: usize) -> f64 {
        const T_975_9: f64 = 2.2622;
        let t = match k {
            1 => 2.2622,
            2 => 2.6850,
            3 => 2.9333,
            4 => 3.1109,
            6 => 3.3642,
            _ => panic!("no quantile for {k} comparisons"),
        };
        t / T_975_9
    }

    /// Assert `theory` lies within the 95% t-interval of `samples`, widened
    /// by `widen` and by `allowance` (relative), and print the comparison.
    fn agrees(what: &str, samples: &[f64], theory: f64, widen: f64, allowance: f64) {
        let ci = Interval::of(samples).expect("2 to 30 seeds");
        let slack = ci.half_width * widen + allowance * theory.abs();
        println!(
            "{what}: simulated {:.5} ± {:.5} (95% CI), theory {theory:.5}",
            ci.mean, ci.half_width
        );
        assert!(
            (ci.mean - theory).abs() <= slack,
            "{what}: simulated {:.5} ± {:.5}, theory {theory:.5} (allowed ±{slack:.5})",
            ci.mean,
            ci.half_width
        );
    }

    /// No queries (they never reach the projector), a long measured
    /// window; then `sets`.
    fn projector_only<'a>(sets: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        const PROJECTOR: [(&str, &str); 4] = [
            ("read_rate", "0"),
            ("projection_distribution", "exponential"),
            ("duration", "600"),
            ("warmup", "50"),
        ];
        PROJECTOR.iter().chain(sets).copied().collect()
    }

    /// The projector is an M/M/1 queue: commits leave the write store (an
    /// M/M/4 queue) as a Poisson stream of rate λ = write_rate (Burke's
    /// theorem), and it applies them one at a time, first come first
    /// served, each taking Exp(views × projection_time). Its lag, the time
    /// in system, is then exponential with rate μ − λ: mean 1/(μ − λ) and
    /// p99 ln(100)/(μ − λ) (Kleinrock, *Queueing Systems* I, 1975, §3.2,
    /// eq. 3.26). Two loads, mean and p99 each: four comparisons; the p99
    /// also the histogram's 0.4% grain. Simulated times are whole
    /// microseconds, a bias of a few µs against lags of 13 and 200 ms.
    #[test]
    fn the_projection_lag_is_mm1_time_in_system() {
        for (write_rate, views, projection_time) in [("50", "2", "0.004"), ("20", "4", "0.01")] {
            let sets = [
                ("write_rate", write_rate),
                ("views", views),
                ("projection_time", projection_time),
            ];
            let all = projector_only(&sets);
            let p = params(&all);
            let (lambda, mu) = (p.write_rate, 1.0 / p.projection_mean());
            let reports: Vec<_> = SEEDS.iter().map(|&seed| run(&p, seed)).collect();
            let means: Vec<f64> = reports.iter().map(|r| r.projection_lag.mean).collect();
            agrees(
                &format!("projection lag mean at ρ = {:.1}", lambda / mu),
                &means,
                archsim_tests::mm1_mean_response(lambda, mu),
                bonferroni(4),
                0.0,
            );
            let p99: Vec<f64> = reports
                .iter()
                .map(|r| 1000.0 * r.projection_lag.p99)
                .collect();
            // The pattern's own overlay, in milliseconds.
            let mut exp = Experiment::resolve("cqrs").unwrap();
            for (key, value) in &all {
                exp.set(key, value).unwrap();
            }
            let overlay = exp
                .pattern()
                .theory(exp.settings(), "projection lag p99")
                .expect("a lag overlay")
                .expect("the textbook case");
            let theory = 1000.0 * archsim_tests::mm1_response_quantile(lambda, mu, 0.99);
            assert!(
                (overlay.value - theory).abs() < 1e-9 * theory,
                "{overlay:?}"
            );
            agrees(
                &format!("projection lag p99 (ms) at ρ = {:.1}", lambda / mu),
                &p99,
                theory,
                bonferroni(4),
                super::HISTOGRAM_RESOLUTION,
            );
        }
    }

    /// A writer reads back `read_delay` after its acknowledgement, which
    /// left the write store one hop after the commit, and the read takes
    /// one more hop to a replica: it arrives d = read_delay + 2 ·
    /// network_delay after the commit, and misses its write exactly when
    /// the event's lag is longer. For the M/M/1 projector that is
    /// P(lag > d) = e^−(μ−λ)d (Kleinrock, *Queueing Systems* I, §3.2): the
    /// time in system is exponential. Three read delays, three comparisons.
    #[test]
    fn the_missed_share_is_the_mm1_sojourn_tail() {
        for read_delay in ["0", "0.01", "0.03"] {
            let sets = [
                ("write_rate", "50"),
                ("views", "2"),
                ("projection_time", "0.004"),
                ("network_delay", "0.001"),
                ("consistency", "eventual"),
                ("read_delay", read_delay),
            ];
            let all = projector_only(&sets);
            let p = params(&all);
            let (lambda, mu) = (p.write_rate, 1.0 / p.projection_mean());
            let d = p.read_delay + 2.0 * p.network_delay;
            let theory = (-(mu - lambda) * d).exp();
            let mut exp = Experiment::resolve("cqrs").unwrap();
            for (key, value) in &all {
                exp.set(key, value).unwrap();
            }
            let overlay = exp
                .pattern()
                .theory(exp.settings(), "own writes missed")
                .expect("a missed-write overlay")
                .expect("the textbook case");
            assert!(
                (overlay.value - 100.0 * theory).abs() < 1e-9 * 100.0,
                "overlay {} % vs {} %",
                overlay.value,
                100.0 * theory
            );
            let shares: Vec<f64> = SEEDS.iter().map(|&s| run(&p, s).missed_share).collect();
            agrees(
                &format!("own writes missed, d = {d} s"),
                &shares,
                theory,
                bonferroni(3),
                0.0,
            );
        }
    }

    /// A rebuild replays the N0 events committed by `rebuild_at` at r a
    /// second while λ more arrive; it ends when it has caught up, at T with
    /// r T = N0 + A(T), A the commits since. T is a stopping time, so by
    /// Wald's identity E[A(T)] = λ E[T]: E[T | N0] = N0 / (r − λ), and with
    /// E[N0] ≈ λ · rebuild_at (less the ~0.3 writes in the write store at
    /// that instant), E[T] ≈ λ · rebuild_at / (r − λ). Meanwhile every read
    /// reaching the view fails: queries and reads back, read_rate + λ a
    /// second. Two set-ups, three comparisons each.
    #[test]
    fn a_rebuild_takes_the_log_over_the_replay_rate_net_of_new_writes() {
        for (write_rate, rebuild_at, replay_rate) in [("50", "30", "500"), ("200", "20", "1000")] {
            let p = params(&[
                ("write_rate", write_rate),
                ("read_rate", "200"),
                ("rebuild_at", rebuild_at),
                ("replay_rate", replay_rate),
                ("duration", "60"),
            ]);
            let (lambda, r, at) = (p.write_rate, p.replay_rate, p.rebuild_at);
            let mut times = Vec::new();
            let mut ratios = Vec::new();
            let mut fail_rates = Vec::new();
            for &seed in &SEEDS {
                let mut sim = simulation(&p, seed);
                sim.run_until(secs(at) - archsim_core::SimTime::from_micros(1));
                let n0 = sim.model().accounting(sim.metrics()).events as f64;
                sim.run_until(secs(p.duration));
                let report = archsim_patterns::cqrs::Report::of(&sim);
                let took = report.rebuild_time.expect("the rebuild finished");
                times.push(took);
                ratios.push(took * (r - lambda) / n0);
                fail_rates.push(report.failed_reads as f64 / took);
            }
            let what = format!("λ = {lambda}, r = {r}");
            agrees(
                &format!("rebuild time, {what}"),
                &times,
                lambda * at / (r - lambda),
                bonferroni(6),
                0.0,
            );
            agrees(
                &format!("rebuild time × (r − λ) / N0, {what}"),
                &ratios,
                1.0,
                bonferroni(6),
                0.0,
            );
            agrees(
                &format!("failed reads per second of rebuild, {what}"),
                &fail_rates,
                p.read_rate + lambda,
                bonferroni(6),
                0.0,
            );
        }
    }
}

/// What the consistency options promise, on every seed and under stress:
/// the mitigations never let a writer miss its own write, and one shared
/// model never answers with an old version.
mod guarantees {
    use super::{params, run};

    const SEEDS: [u64; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    /// Set-ups that make misses likely: a slow projector, reads back at
    /// once, heavy-tailed projections, replicas failing, a rebuild.
    const STRESS: [&[(&str, &str)]; 4] = [
        &[
            ("write_rate", "20"),
            ("views", "4"),
            ("projection_time", "0.01"),
            ("read_delay", "0.1"),
        ],
        &[
            ("write_rate", "100"),
            ("entities", "20"),
            ("read_delay", "0"),
            ("projection_distribution", "pareto"),
            ("projection_cv", "3"),
        ],
        &[
            ("read_replicas", "2"),
            ("read_delay", "0.001"),
            (
                "faults",
                "10:down:1,12:slow:2:0.2,20:recover:1,25:recover:2",
            ),
        ],
        &[
            ("rebuild_at", "20"),
            ("replay_rate", "300"),
            ("read_delay", "0.01"),
            ("entities", "50"),
        ],
    ];

    fn with<'a>(
        base: &[(&'a str, &'a str)],
        more: &[(&'a str, &'a str)],
    ) -> Vec<(&'a str, &'a str)> {
        base.iter().chain(more).copied().collect()
    }

    #[test]
    fn the_mitigations_never_miss_an_own_write() {
        for stress in STRESS {
            // Eventual consistency does miss here: the set-ups bite.
            let eventual = params(&with(stress, &[("consistency", "eventual")]));
            let missed: u64 = SEEDS[..3]
                .iter()
                .map(|&s| run(&eventual, s).missed_own_writes)
                .sum();
            assert!(missed > 0, "{stress:?}: eventual misses nothing");
            for consistency in ["read_your_writes", "version_token", "synchronous"] {
                let p = params(&with(stress, &[("consistency", consistency)]));
                for &seed in &SEEDS {
                    let r = run(&p, seed);
                    assert!(r.read_backs > 0);
                    assert_eq!(
                        (r.missed_own_writes, r.missed_share),
                        (0, 0.0),
                        "{consistency} seed {seed} {stress:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn one_shared_model_never_reads_stale() {
        for stress in STRESS {
            // Faults name read replicas, which a shared model has none of.
            let stress: Vec<_> = stress
                .iter()
                .filter(|(k, _)| *k != "faults")
                .copied()
                .collect();
            for overload in [&[][..], &[("read_rate", "600")][..]] {
                let p = params(&with(
                    &with(&stress, overload),
                    &[("architecture", "shared_model")],
                ));
                for &seed in &SEEDS {
                    let r = run(&p, seed);
                    assert!(r.answered > 0);
                    assert_eq!(
                        (r.stale_reads, r.missed_own_writes, r.failed_reads),
                        (0, 0, 0),
                        "seed {seed} {stress:?} {overload:?}"
                    );
                }
            }
        }
    }
}

/// Every request and every event is accounted for at every moment.
mod conservation {
    use super::{params, secs, simulation};
    use archsim_core::Shape;
    use archsim_patterns::cqrs::{Accounting, Architecture, Consistency, Params, Report};
    use proptest::prelude::*;

    /// Writes are acknowledged or on their way; reads answered, failed or
    /// on their way; the log holds every commit, and the projector has
    /// applied no more than it holds.
    fn assert_accounted(a: &Accounting, p: &Params, when: f64) {
        let context = format!("at {when} s: {a:?}");
        assert_eq!(a.writes, a.written + a.writing, "{context}");
        assert_eq!(
            a.reads,
            a.answered + a.failed_reads + a.reading,
            "{context}"
        );
        assert!(a.projected <= a.events, "{context}");
        // A write commits (appends its event) before it is acknowledged.
        assert!(a.written <= a.events && a.events <= a.writes, "{context}");
        match (p.architecture, p.consistency) {
            (Architecture::SharedModel, _) => assert_eq!(a.projected, 0, "{context}"),
            (_, Consistency::Synchronous) => assert_eq!(a.projected, a.events, "{context}"),
            _ => {}
        }
    }

    /// Run `p` to the end, checking the books at `moments` more instants.
    fn check_along(p: &Params, seed: u64, moments: u64) {
        let mut sim = simulation(p, seed);
        for i in 1..=moments {
            let t = p.duration * i as f64 / moments as f64;
            sim.run_until(secs(t));
            let a = sim.model().accounting(sim.metrics());
            assert_accounted(&a, p, t);
            let r = Report::of(&sim);
            assert_eq!(
                (r.writes, r.written, r.reads),
                (a.writes, a.written, a.reads)
            );
            // Only a projector apart from the writes can be behind.
            let apart =
                p.architecture == Architecture::Cqrs && p.consistency != Consistency::Synchronous;
            let behind = if apart { a.events - a.projected } else { 0 };
            assert_eq!(r.behind, behind);
            for share in [r.stale_share, r.missed_share] {
                assert!((0.0..=1.0).contains(&share), "{share}");
            }
            let snapshot = sim.snapshot();
            assert_eq!(snapshot.events, a.events);
            assert!(
                snapshot
                    .messages
                    .iter()
                    .all(|(_, m)| m.sent_at <= m.arrives_at)
            );
        }
    }

    #[test]
    fn the_presets_and_their_variants_balance_at_every_moment() {
        for sets in [
            &[][..],
            &[("architecture", "shared_model")],
            &[("consistency", "synchronous")],
            &[("consistency", "version_token"), ("rebuild_at", "20")],
            &[("consistency", "read_your_writes"), ("rebuild_at", "20")],
            &[
                ("read_replicas", "3"),
                (
                    "faults",
                    "5:down:1,8:down:2,9:down:3,15:recover:1,30:recover:2",
                ),
                ("consistency", "version_token"),
            ],
            &[("read_rate", "6000"), ("read_replicas", "1")],
        ] {
            let p = params(sets);
            for seed in 1..=3 {
                check_along(&p, seed, 12);
            }
        }
    }

    /// Random valid parameters, small enough to run in a moment.
    fn random_params() -> impl Strategy<Value = Params> {
        (
            (
                prop::sample::select(Architecture::ALL.to_vec()),
                prop::sample::select(Consistency::ALL.to_vec()),
                1.0f64..300.0,
                0.0f64..2_000.0,
                1u32..=200,
                0.0005f64..0.02,
                1u32..=40,
            ),
            (
                1u32..=6,
                0.0005f64..0.02,
                prop::sample::select(Shape::ALL.to_vec()),
                0.2f64..4.0,
                1u32..=4,
                1u32..=6,
                0.0f64..0.5,
            ),
            (
                prop_oneof![Just(0.0), 0.05f64..0.95],
                10.0f64..3_000.0,
                0.0f64..0.01,
                prop::collection::vec((0.0f64..1.0, 0u32..4, 0u8..3), 0..4),
                2.0f64..20.0,
            ),
        )
            .prop_map(|(a, b, c)| {
                let (
                    architecture,
                    consistency,
                    write_rate,
                    read_rate,
                    entities,
                    write_time,
                    join_rows,
                ) = a;
                let (views, projection_time, shape, cv, read_replicas, workers, read_delay) = b;
                let (rebuild, replay_rate, network_delay, faults, duration) = c;
                let faults: Vec<String> = faults
                    .into_iter()
                    .map(|(at, node, kind)| {
                        let (at, n) = (at * duration, node % read_replicas + 1);
                        match kind {
                            0 => format!("{at}:down:{n}"),
                            1 => format!("{at}:slow:{n}:0.3"),
                            _ => format!("{at}:recover:{n}"),
                        }
                    })
                    .collect();
                Params {
                    architecture,
                    consistency,
                    write_rate,
                    read_rate,
                    entities,
                    write_time,
                    join_rows,
                    row_time: 0.0002,
                    lookup_time: 0.001,
                    views,
                    projection_time,
                    projection_distribution: shape,
                    projection_cv: cv,
                    read_replicas,
                    workers,
                    read_delay,
                    rebuild_at: rebuild * duration,
                    replay_rate,
                    network_delay,
                    faults: faults.join(","),
                    duration,
                    warmup: duration / 4.0,
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn every_request_is_accounted_for_at_every_moment(
            p in random_params(),
            seed in any::<u64>(),
        ) {
            check_along(&p, seed, 6);
        }
    }
}
