//! The event-driven model: each preset shows what its "what to look for"
//! sentence says on seeds other than its own; the model against queueing
//! theory and against its own arithmetic over seed sweeps, each tolerance
//! a 95% t-interval; and every event accounted for at every moment.

use crate::{SEEDS, compare, num};
use archsim_core::{SimTime, Simulation};
use archsim_patterns::event_driven::{self as ed, EventDriven, Params, Report, SpanKind};
use serde_json::Value;

/// Event-driven parameters: the defaults with `sets` applied.
fn params(sets: &[(&str, &str)]) -> Params {
    crate::scenario(sets)
}

/// Run an event-driven experiment to the end.
fn run(params: &Params, seed: u64) -> Report {
    ed::run(params, seed, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// A simulation of `params`, ready to step.
fn simulation(params: &Params, seed: u64) -> Simulation<EventDriven> {
    ed::simulation(params, seed).unwrap_or_else(|e| panic!("{e}"))
}

/// Chart series `pointer` (under `/series`, e.g. `/service_backlog/2`):
/// each bucket's start and value (none where the bucket has none).
fn series(metrics: &Value, pointer: &str) -> Vec<(f64, Option<f64>)> {
    let s = &metrics["series"];
    let time = s["time"].as_array().expect("time");
    let values = s
        .pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("series {pointer} missing"));
    assert_eq!(time.len(), values.len(), "{pointer}");
    time.iter()
        .zip(values)
        .map(|(t, v)| (t.as_f64().expect("a time"), v.as_f64()))
        .collect()
}

/// The values of chart series `pointer` in the buckets starting in
/// `[from, until)` seconds (buckets without a value left out).
fn window(metrics: &Value, pointer: &str, from: f64, until: f64) -> Vec<f64> {
    series(metrics, pointer)
        .into_iter()
        .filter(|(t, _)| (from..until).contains(t))
        .filter_map(|(_, v)| v)
        .collect()
}

/// The value of chart series `pointer` in the bucket starting at `at`.
fn bucket(metrics: &Value, pointer: &str, at: f64) -> f64 {
    series(metrics, pointer)
        .into_iter()
        .find(|(t, _)| (t - at).abs() < 1e-9)
        .and_then(|(_, v)| v)
        .unwrap_or_else(|| panic!("no {pointer} value at {at} s"))
}

fn mean(xs: &[f64]) -> f64 {
    assert!(!xs.is_empty(), "an empty window");
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn max(xs: &[f64]) -> f64 {
    xs.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

#[test]
fn publishing_shields_the_producer_from_a_slow_and_then_dead_service() {
    // 50 events a second; each service's one consumer handles 100.
    let (lambda, mu, commit_interval) = (50.0, 100.0, 1.0);
    for runs in compare("eda-decoupling") {
        let (called, published) = (&runs[0], &runs[1]);

        // Called, before the fault: the slowest of three M/M/1 queues at
        // ρ = 0.5, whose p99 is ln(100)/(μ − λ) = 92 ms each.
        let calm = window(called, "/producer_p99", 5.0, 10.0);
        assert!(max(&calm) < 0.25, "before the fault: {calm:?}");
        // At 0.4× speed service 3 handles 40 of the 50 a second: its queue
        // grows by 10 a second, 25 ms of work each, so within the 5 s the
        // wait passes the timeout. What completes is never slower than it
        // (a later answer is dropped).
        let slow = window(called, "/producer_p99", 10.0, 16.0);
        assert!(max(&slow) > 0.9, "while slow: {slow:?}");
        assert!(num(called, "/producer_latency/max") <= 1.0);
        assert!(num(called, "/timed_out") > 0.0);
        // Dead: no request completes, and each sent fails: Poisson(λ·20),
        // plus the few queued at 20 s.
        let dead = window(called, "/producer_p99", 20.5, 40.0);
        assert!(dead.is_empty(), "completions while dead: {dead:?}");
        let (failed, expected) = (num(called, "/failed"), lambda * 20.0);
        assert!(
            (failed - expected).abs() <= 4.0 * expected.sqrt() + 5.0,
            "failed {failed}, expected about {expected}"
        );
        let back = window(called, "/producer_p99", 41.0, 60.0);
        assert!(!back.is_empty() && max(&back) < 0.25, "after: {back:?}");

        // Published: the producer waits for the leader's acknowledgement,
        // two network hops of 1 ms, whatever happens downstream.
        assert_eq!(num(published, "/producer_latency/max"), 0.002);
        let p99 = window(published, "/producer_p99", 0.0, 60.0);
        assert!(p99.iter().all(|&p| p == 0.002), "{p99:?}");
        assert_eq!(num(published, "/producer_errors"), 0.0);
        // Service 3 falls behind by λ a second while its consumer is dead
        // (nothing commits, so its lag is what has arrived): between the
        // one-second buckets from 21 s and from 39 s, Poisson(λ·18)
        // records, within four standard deviations.
        let lag = "/service_backlog/2";
        let slope = (bucket(published, lag, 39.0) - bucket(published, lag, 21.0)) / 18.0;
        let sd = (lambda * 18.0).sqrt() / 18.0;
        println!(
            "called: p99 while slow {:.3}, failed {failed}; published: lag grows {slope:.1}/s",
            max(&slow)
        );
        assert!(
            (slope - lambda).abs() <= 4.0 * sd,
            "service 3's lag grew {slope}/s"
        );
        // The others never do: their lag is what one commit interval
        // leaves uncommitted, λ·commit_interval at most, and a little queue.
        for s in 0..2 {
            let others = window(published, &format!("/service_backlog/{s}"), 5.0, 60.0);
            assert!(
                max(&others) < 1.5 * lambda * commit_interval,
                "service {} lag {}",
                s + 1,
                max(&others)
            );
        }
    }
    // It catches up once back, within the preset's 80 s: at 40.5 s
    // (after the rebalance pause) the lag is the λ·20.5 records since 20 s
    // plus, on average, the λ·commit_interval/2 not committed before,
    // ≈ 1,050, and it drains at μ − λ = 50 a second: ≈ 21.5 s after the
    // recovery. One standard deviation is 1.3 s (the Poisson spread of the
    // ≈ 1,050 arrived and of the ≈ 2,100 handlings that drain them).
    for runs in compare("eda-decoupling") {
        let lag = series(&runs[1], "/service_backlog/2");
        let caught_up = lag
            .iter()
            .find(|(t, v)| *t > 41.0 && v.is_some_and(|v| v <= lambda * commit_interval))
            .map(|(t, _)| t - 40.0)
            .expect("service 3 catches up");
        let expected = 0.5 + (lambda * 20.5 + lambda * commit_interval / 2.0) / (mu - lambda);
        println!("service 3 caught up {caught_up} s after recovering (about {expected:.1} s)");
        assert!(
            (caught_up - expected).abs() <= 4.0 * 1.3,
            "caught up after {caught_up} s"
        );
    }
}

#[test]
fn pushed_events_are_handled_in_milliseconds_polled_rows_in_seconds() {
    // Pushed: two 1 ms hops and an M/M/1 queue at λ = 50, μ = 100, whose
    // time in system is exponential with rate μ − λ: median ln 2/50.
    let pushed_p50 = 0.002 + std::f64::consts::LN_2 / 50.0;
    for runs in compare("eda-responsiveness") {
        let (pushed, polled) = (&runs[0], &runs[1]);
        let p50 = num(pushed, "/handled_latency/p50");
        assert!(
            (p50 - pushed_p50).abs() < 0.15 * pushed_p50,
            "pushed p50 {p50}, theory {pushed_p50}"
        );
        // Polled every T = 2 s at random phase: an event published a
        // fraction f into an interval waits (1 − f)·T for the next look,
        // then queues behind the f·λT rows published before it in the
        // same interval, 10 ms each: f·λT·h = f seconds. Its latency is
        // T − f(T − λTh) = 2 − f: uniform on [1, 2] s, median 1.5 s, p99
        // 1.99 s.
        let p50 = num(polled, "/handled_latency/p50");
        let p99 = num(polled, "/handled_latency/p99");
        println!(
            "pushed p50 {:.4} (theory {pushed_p50:.4}); polled p50 {p50:.3}, p99 {p99:.3}",
            num(pushed, "/handled_latency/p50")
        );
        assert!((p50 - 1.5).abs() < 0.1, "polled p50 {p50}");
        assert!((p99 - 2.0).abs() < 0.1, "polled p99 {p99}");
        assert!(p50 > 50.0 * num(pushed, "/handled_latency/p50"));
    }
}

#[test]
fn consumers_scale_up_to_the_partition_count_and_pause_to_rebalance() {
    // Four partitions take 500 events a second round robin, 125 each: more
    // than the 100 a consumer handles, so a consumer that owns a partition
    // is never idle, and its handlings (exponential, back to back) are a
    // Poisson stream of rate μ.
    let (partitions, mu, duration, warmup) = (4.0f64, 100.0, 60.0, 5.0);
    let rate = |c: f64| c.min(partitions) * mu;
    let mut steady_rates = Vec::new();
    for runs in compare("eda-scaling") {
        // Variants: 1, 2, 4 and 6 consumers.
        let mut steady_of = Vec::new();
        for (r, c) in runs.iter().zip([1.0, 2.0, 4.0, 6.0]) {
            // Before the fault, 20 s of min(c, 4)·μ.
            let steady = mean(&window(r, "/handled", 10.0, 30.0));
            let sd = (rate(c) * 20.0).sqrt() / 20.0;
            assert!(
                (steady - rate(c)).abs() <= 4.0 * sd,
                "{c} consumers handle {steady}/s, expected {}",
                rate(c)
            );
            steady_of.push(steady);
            // Over the measured window: consumer 1 is away from 30 s to
            // 40 s, when min(c − 1, 4)·μ work after a 0.5 s pause, and the
            // group pauses 0.5 s again when it rejoins. Each duplicate (what
            // consumer 1 handled and had not committed, handled again) takes
            // a first handling's place.
            let measured = duration - warmup;
            let count = rate(c) * (measured - 10.5) + rate(c - 1.0) * 9.5 - num(r, "/duplicates");
            // Each rebalance also throws away the handling in progress and
            // waits a hop for the next delivery: about 1.1 handlings per
            // busy consumer.
            let allowance = 2.0 * c.min(partitions) * 1.1;
            let (throughput, expected) = (num(r, "/throughput"), count / measured);
            let slack = (4.0 * count.sqrt() + allowance) / measured;
            println!("{c} consumers: {throughput:.1}/s, expected {expected:.1} ± {slack:.1}");
            assert!(
                (throughput - expected).abs() <= slack,
                "{c} consumers: {throughput}/s, expected {expected} ± {slack}"
            );
            // The dips: the whole group stops for 0.5 s, one chart bucket.
            for at in [30.0, 40.0] {
                let dip = bucket(r, "/handled", at);
                assert!(dip < 0.1 * rate(c), "{c} consumers: {dip}/s at {at} s");
            }
        }
        // Six handle no more than four do: the same 400 a second.
        let (four, six) = (steady_of[2], steady_of[3]);
        let sd = (400.0f64 * 20.0).sqrt() / 20.0;
        assert!(
            (six - four).abs() <= 4.0 * 2f64.sqrt() * sd,
            "{six} vs {four}"
        );
        steady_rates.push(steady_of);
    }
    println!("steady rates (1, 2, 4, 6 consumers) per seed: {steady_rates:?}");
    // Because two of the six own no partition: the range assignment gives
    // four of them one each.
    for (consumers, idle) in [("4", 0), ("6", 2)] {
        let mut sim = simulation(
            &crate::preset_scenario::<Params>("eda-scaling", &[("consumers", consumers)]),
            1,
        );
        sim.run_until(SimTime::from_secs(10));
        let snapshot = sim.snapshot();
        let owners = &snapshot.services[0].consumers;
        let without = owners.iter().filter(|c| c.partitions.is_empty()).count();
        assert_eq!(without, idle, "{consumers} consumers");
        assert!(
            owners
                .iter()
                .filter(|c| c.partitions.is_empty())
                .all(|c| !c.busy),
            "idle consumers do nothing"
        );
    }
}

#[test]
fn a_replay_rebuilds_the_live_state_catching_up_at_r_minus_lambda() {
    let (lambda, at) = (100.0, 30.0);
    for seed in SEEDS {
        // The sentence's 7.5 s and 1.6 s: λ·30/(r − λ).
        for (rate, sentence) in [("500", 7.5), ("2000", 1.6)] {
            let r: f64 = rate.parse().unwrap();
            let p = crate::preset_scenario::<Params>("eda-replay", &[("replay_rate", rate)]);
            let mut sim = simulation(&p, seed);
            sim.run_until(SimTime::from_micros(at as u64 * 1_000_000 - 1));
            let n0 = Report::of(&sim).committed as f64;
            sim.run_until(SimTime::from_secs_f64(p.duration));
            let report = Report::of(&sim);
            let rebuild = report.rebuild_time.expect("the replay catches up");
            // Reading r a second while λ arrive, it catches up when
            // r·t = N0 + λ·t. What arrives meanwhile is Poisson(λt); the
            // replay reads in 10 ms ticks.
            let expected = n0 / (r - lambda);
            let slack = 4.0 * (lambda * expected).sqrt() / (r - lambda) + 0.01;
            println!("seed {seed}, {rate}/s: rebuilt in {rebuild} s, N0/(r − λ) = {expected:.3}");
            assert!(
                (rebuild - expected).abs() <= slack,
                "rebuilt in {rebuild} s, expected {expected} ± {slack}"
            );
            // N0 is itself Poisson(λ·30), about the λ·30 of the sentence's
            // figures (which round λ·30/(r − λ) to a tenth).
            let nominal = lambda * at / (r - lambda);
            assert!((nominal - sentence).abs() < 0.05, "{nominal} vs {sentence}");
            let sd_n0 = (lambda * at).sqrt() / (r - lambda);
            assert!(
                (rebuild - nominal).abs() <= 4.0 * sd_n0 + slack,
                "rebuilt in {rebuild} s, the sentence says {sentence}"
            );
            // The rebuilt balances are the live ones.
            assert_eq!(report.state_differences, Some(0));
            let replay = sim.snapshot().replay.expect("a replay");
            let (live, rebuilt) = replay.checksums.expect("the states were compared");
            assert_eq!(live, rebuilt);
            assert!(replay.caught_up_at.is_some_and(|t| t > at));
        }
    }
}

#[test]
fn only_acks_all_never_loses_an_acknowledged_write() {
    let (lambda, election, duration) = (100.0, 0.5, 60.0);
    for runs in compare("eda-brokers") {
        let (none, leader, all) = (&runs[0], &runs[1], &runs[2]);
        // Without acknowledgements the producer never hears of a loss.
        assert_eq!(num(none, "/producer_errors"), 0.0);
        assert_eq!(num(none, "/producer_latency/max"), 0.0);
        // The three variants see the same events and the same copies up to
        // 40 s. Without acks, what is sent during each election is lost,
        // and so is what the new leader lacks; acknowledged by the leader,
        // the election's writes are refused instead (the producer is told)
        // and only the uncopied ones are lost. The two add up exactly.
        let lost_none = num(none, "/lost_writes");
        let (refused, lost) = (num(leader, "/refused"), num(leader, "/lost_writes"));
        assert_eq!(lost_none, refused + lost);
        // The elections' writes are Poisson(λ·0.5), about fifty each time.
        let elections = lambda * 2.0 * election;
        assert!(
            (refused - elections).abs() <= 4.0 * elections.sqrt(),
            "refused during the elections: {refused}"
        );
        // The few not copied: what the most caught-up follower lacks, about
        // 8 at the first crash and 12 at the second (see
        // `theory::acks_leader_loses_what_the_best_follower_lacks`) — far
        // fewer than the elections' hundred.
        assert!(lost > 0.0 && lost < refused, "lost {lost} of {refused}");
        assert_eq!(num(leader, "/producer_latency/max"), 0.002);
        // Acknowledged by all in-sync replicas: nothing acknowledged lost.
        assert_eq!(num(all, "/lost_writes"), 0.0);
        // Each write waits for the slower of two copies of mean 50 ms.
        let p50 = num(all, "/producer_latency/p50");
        assert!(p50 > 0.05, "acks=all p50 {p50}");
        // After 40 s one replica is in sync, fewer than the two required:
        // what acks=none lost is refused (dropped unacknowledged), and so is
        // every write after the second election, Poisson(λ·19.5).
        let after = lambda * (duration - 40.0 - election);
        let refused_all = num(all, "/refused");
        println!(
            "acks none: lost {lost_none}; leader: refused {refused}, lost {lost}; \
             all: refused {refused_all}, p50 {p50:.3} s"
        );
        assert!(
            (refused_all - lost_none - after).abs() <= 4.0 * after.sqrt(),
            "refused {refused_all}, lost without acks {lost_none}"
        );
        // Nothing is committed after it, so nothing is handled.
        let handled = window(all, "/handled", 41.0, duration);
        assert!(handled.iter().all(|&h| h == 0.0), "{handled:?}");
    }
}

#[test]
fn the_account_as_partition_key_keeps_each_accounts_order() {
    for runs in compare("eda-ordering") {
        let (spread, keyed) = (&runs[0], &runs[1]);
        println!(
            "round robin: {} reordered, {} bounced",
            num(spread, "/reordered"),
            num(spread, "/bounced")
        );
        assert!(num(spread, "/reordered") >= 100.0, "hundreds reordered");
        assert!(num(spread, "/bounced") > 0.0);
        assert_eq!(num(keyed, "/reordered"), 0.0);
        assert_eq!(num(keyed, "/bounced"), 0.0);
        for r in [spread, keyed] {
            assert_eq!(num(r, "/duplicates") + num(r, "/lost_events"), 0.0);
        }
    }
}

#[test]
fn only_committing_with_the_effect_survives_crashes_exactly() {
    for (seed, runs) in SEEDS.iter().zip(compare("eda-exactly-once")) {
        let (at_most, at_least, exactly) = (&runs[0], &runs[1], &runs[2]);
        // The crashes come from their own random stream: the same in all three.
        let crashes = num(at_most, "/crashes");
        assert!(crashes > 0.0);
        assert_eq!(num(at_least, "/crashes"), crashes);
        assert_eq!(num(exactly, "/crashes"), crashes);
        // At least once: what was handled since the last commit, about
        // 50 a second over half a 2 s interval per crash, is handled again.
        assert!(num(at_least, "/duplicates") >= 100.0, "hundreds twice");
        assert_eq!(num(at_least, "/lost_events"), 0.0);
        assert!(num(at_least, "/balance_error") > 0.0);
        // Exactly once: nothing lost, nothing repeated, balances exact.
        assert_eq!(num(exactly, "/duplicates"), 0.0);
        assert_eq!(num(exactly, "/lost_events"), 0.0);
        assert_eq!(num(exactly, "/balance_error"), 0.0);
        // At most once: nothing repeated; a crash loses what its consumer
        // held, and the balances drift by it. (This fails on seed 1: no
        // event lost in its 5 crashes. Each consumer takes 50 events a
        // second at 200 a second, ρ = 0.25, so it holds ρ/(1 − ρ) ≈ 0.33
        // events on average and a crash usually loses none: the preset
        // shows no loss on some seeds, and the test says so rather than
        // accept it.)
        assert_eq!(num(at_most, "/duplicates"), 0.0);
        let lost = num(at_most, "/lost_events");
        println!(
            "seed {seed}, {crashes} crashes: at most once lost {lost}, at least once repeated {}",
            num(at_least, "/duplicates")
        );
        assert!(
            lost > 0.0 && num(at_most, "/balance_error") > 0.0,
            "seed {seed}: at most once lost {lost} events in {crashes} crashes"
        );
    }
}

#[test]
fn a_poison_event_blocks_its_partition_until_dead_lettered() {
    // 100 events a second round robin over 4 partitions: exactly every
    // fourth to each, 25 a second.
    let (per_partition, commit_interval, poison_at) = (25.0f64, 1.0, 20.0);
    // Bucket means of an unblocked partition's lag: what a commit interval
    // leaves uncommitted, at most λ/4 · commit_interval, and a short queue.
    let unblocked = 2.0 * per_partition * commit_interval;
    for runs in compare("eda-poison") {
        let (retried, dead_lettered) = (&runs[0], &runs[1]);
        let lags: Vec<Vec<(f64, Option<f64>)>> = (0..4)
            .map(|p| series(retried, &format!("/partition_lag/{p}")))
            .collect();
        let last = |p: usize| lags[p].last().and_then(|(_, v)| *v).unwrap_or(0.0);
        let blocked = (0..4).max_by(|&a, &b| last(a).total_cmp(&last(b))).unwrap();
        // The blocked one climbs by λ/4 a second to the end: over 36 s a
        // quarter of Poisson(λ·36).
        let pointer = format!("/partition_lag/{blocked}");
        let slope = (bucket(retried, &pointer, 58.0) - bucket(retried, &pointer, 22.0)) / 36.0;
        let sd = (4.0 * per_partition * 36.0).sqrt() / 4.0 / 36.0;
        println!("partition {blocked} blocked, its lag grows {slope:.2}/s");
        assert!(
            (slope - per_partition).abs() <= 4.0 * sd,
            "partition {blocked} lag grows {slope}/s"
        );
        for p in (0..4).filter(|&p| p != blocked) {
            let lag = window(retried, &format!("/partition_lag/{p}"), poison_at, 60.0);
            assert!(max(&lag) < unblocked, "partition {p}: {}", max(&lag));
        }
        // Dead-lettered, the event is set aside and the partition drains.
        assert_eq!(num(retried, "/dead_lettered"), 0.0);
        assert_eq!(num(dead_lettered, "/dead_lettered"), 1.0);
        for p in 0..4 {
            let lag = window(dead_lettered, &format!("/partition_lag/{p}"), 25.0, 60.0);
            assert!(max(&lag) < unblocked, "partition {p}: {}", max(&lag));
        }
    }
    for seed in SEEDS {
        // Blocked: the diagram marks the one partition, the one that lags.
        let mut sim = simulation(
            &crate::preset_scenario::<Params>("eda-poison", &[("dead_letter", "false")]),
            seed,
        );
        sim.run_until(SimTime::from_secs(40));
        let partitions = sim.snapshot().partitions;
        let blocked: Vec<usize> = (0..4).filter(|&p| partitions[p].blocked).collect();
        assert_eq!(blocked.len(), 1, "{partitions:?}");
        let most = (0..4).max_by_key(|&p| partitions[p].lag).unwrap();
        assert_eq!(blocked, [most]);
        assert!(partitions[most].lag as f64 > 0.8 * per_partition * 20.0);
        // Dead-lettered after 1 + 3 failed handlings (10 ms each) and 3
        // retry delays of 0.5 s: 1.5 s after publication and a little.
        let p = crate::preset_scenario::<Params>("eda-poison", &[("dead_letter", "true")]);
        let mut sim = simulation(&p, seed);
        sim.run_until(SimTime::from_secs_f64(p.duration));
        let moments = sim.model().moments(sim.now());
        let when = moments
            .iter()
            .find(|m| m.what.contains("dead-lettered"))
            .map(|m| m.at)
            .expect("a dead-letter moment");
        println!("seed {seed}: dead-lettered at {when} s");
        assert!(
            (poison_at + 1.5..poison_at + 2.0).contains(&when),
            "dead-lettered at {when}"
        );
        assert!(sim.snapshot().partitions.iter().all(|p| !p.blocked));
        // The trace follows one event from the producer to the handling,
        // each step where the one before it ended: nothing unaccounted.
        let trace = sim.snapshot().trace.expect("a finished trace");
        let spans = &trace.spans;
        assert!(spans.len() >= 4, "{spans:?}");
        assert_eq!(
            (spans[0].label.as_str(), spans[0].kind),
            ("publish", SpanKind::Network)
        );
        assert!(spans.iter().all(|s| s.from <= s.to), "{spans:?}");
        for w in spans.windows(2) {
            assert!(
                (w[1].from - w[0].to).abs() < 1e-9,
                "a gap or an overlap: {spans:?}"
            );
        }
        for kind in [SpanKind::Waiting, SpanKind::Work] {
            assert!(
                spans.iter().any(|s| s.kind == kind),
                "{kind:?} in {spans:?}"
            );
        }
        assert_eq!(spans.last().map(|s| s.kind), Some(SpanKind::Work));
    }
}

/// The model against queueing theory and against its own arithmetic.
/// Each check sweeps seeds; the theory must lie inside the 95% Student's t
/// interval of the per-seed values ([`Interval`]), widened only by an
/// allowance named where it is used, for what no number of seeds removes.
mod theory {
    use super::{Report, params, run, simulation};
    use archsim_core::SimTime;
    use archsim_patterns::Experiment;
    use archsim_patterns::interval::Interval;

    const SWEEP: [u64; 10] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    /// Assert `theory` lies within the 95% t-interval of `sample`, widened
    /// by `allowance` (absolute), and print the comparison.
    fn agrees(what: &str, sample: &[f64], theory: f64, allowance: f64) {
        let ci = Interval::of(sample).expect("2 to 30 seeds");
        let slack = ci.half_width + allowance;
        println!(
            "{what}: simulated {:.5} ± {:.5} (95% t-interval, {} seeds), theory {theory:.5}",
            ci.mean,
            ci.half_width,
            sample.len()
        );
        assert!(
            (ci.mean - theory).abs() <= slack,
            "{what}: simulated {:.5} ± {:.5}, theory {theory:.5} (allowed ±{slack:.5})",
            ci.mean,
            ci.half_width
        );
    }

    /// How far below the truth the mean of runs' quantiles of an
    /// exponential tail of rate `theta` lies, about: θ·Var/2 of `sample`.
    fn quantile_bias(sample: &[f64], theta: f64) -> f64 {
        let n = sample.len() as f64;
        let centre = sample.iter().sum::<f64>() / n;
        let variance = sample.iter().map(|x| (x - centre).powi(2)).sum::<f64>() / (n - 1.0);
        theta * variance / 2.0
    }

    /// The pattern's own prediction of headline `stat` under `sets`.
    fn predicted(sets: &[(&str, &str)], stat: &str) -> f64 {
        let mut exp = Experiment::resolve("event-driven").unwrap();
        for (key, value) in sets {
            exp.set(key, value).unwrap();
        }
        exp.pattern()
            .theory(exp.settings(), stat)
            .expect("a number theory speaks of")
            .unwrap_or_else(|why| panic!("no prediction: {why}"))
            .value
    }

    /// One partition, one consumer, Poisson publishing at λ, exponential
    /// handling at μ, one broker, no faults: the consumer is an M/M/1
    /// queue behind two fixed 1 ms hops (producer to leader, leader to
    /// consumer), so the mean publish-to-handled time is
    /// 2·network_delay + 1/(μ − λ) (Kleinrock, *Queueing Systems* I, 1975,
    /// §3.2, eq. 3.26), and its quantiles those of an exponential of rate
    /// μ − λ, shifted (what the pattern's textbook predicts). The fetch
    /// buffer of 64 never fills at these loads (P(N ≥ 64) = ρ^64).
    #[test]
    fn one_partition_and_one_consumer_are_an_mm1_queue() {
        let mu = 100.0;
        for lambda in [50.0, 80.0] {
            let rate = lambda.to_string();
            let sets = [
                ("partitions", "1"),
                ("consumers", "1"),
                ("replicas", "1"),
                ("publish_rate", rate.as_str()),
                ("handle_time", "0.01"),
                ("handle_distribution", "exponential"),
                ("network_delay", "0.001"),
                ("duration", "400"),
                ("warmup", "40"),
            ];
            let p = params(&sets);
            let reports: Vec<Report> = SWEEP.iter().map(|&s| run(&p, s)).collect();
            for r in &reports {
                assert_eq!(r.duplicates + r.lost_events + r.reordered, 0);
            }
            let means: Vec<f64> = reports.iter().map(|r| r.handled_latency.mean).collect();
            let theory = 2.0 * 0.001 + 1.0 / (mu - lambda);
            // The mean is exact (a sum of microseconds): no allowance.
            agrees(
                &format!("λ = {lambda}: mean publish-to-handled"),
                &means,
                theory,
                0.0,
            );
            // Quantiles come from a histogram of 0.4% resolution. And a
            // run's quantile q̂ of a tail e^(−θ(x − q)), θ = μ − λ, is
            // q + ln(1 + ε)/θ where ε is the run's relative error in the
            // tail's mass at q: unbiased in ε, so low by about
            // E[ε²]/2θ = θ·Var(q̂)/2 (Jensen) — 2% at ρ = 0.8, where runs
            // are long-correlated; estimated from the seeds' own spread.
            for (stat, q) in [("handled p50", 0.5), ("handled p99", 0.99)] {
                let theory = predicted(&sets, stat) / 1000.0;
                let expected = 0.002 - (1.0f64 - q).ln() / (mu - lambda);
                assert!((theory - expected).abs() < 1e-12, "{stat}: {theory}");
                let sample: Vec<f64> = reports
                    .iter()
                    .map(|r| match q {
                        0.5 => r.handled_latency.p50,
                        _ => r.handled_latency.p99,
                    })
                    .collect();
                agrees(
                    &format!("λ = {lambda}: {stat}"),
                    &sample,
                    theory,
                    0.004 * theory + quantile_bias(&sample, mu - lambda),
                );
            }
        }
    }

    /// Saturated, a consumer is busy all the time, so by the utilisation
    /// law U = X·S (Lazowska et al., *Quantitative System Performance*,
    /// 1984, ch. 3) it handles X = 1/handle_time a second; and a group has
    /// at most one consumer per partition (the consumer-group rule,
    /// Narkhede et al., *Kafka: The Definitive Guide*, 2017, ch. 4):
    /// throughput is min(consumers, partitions)/handle_time when every
    /// partition's share of the stream is more than its consumer can take —
    /// what the pattern's textbook predicts. Exponential handlings back to
    /// back are a Poisson stream, so each seed's count is Poisson too.
    #[test]
    fn saturated_throughput_is_one_consumer_per_partition() {
        for (consumers, expected) in [("2", 200.0), ("3", 300.0), ("6", 400.0)] {
            let sets = [
                ("partitions", "4"),
                ("partition_key", "none"),
                ("publish_rate", "1000"),
                ("handle_time", "0.01"),
                ("consumers", consumers),
                ("duration", "25"),
                ("warmup", "5"),
            ];
            let theory = predicted(&sets, "throughput");
            assert_eq!(theory, expected, "the textbook, {consumers} consumers");
            let p = params(&sets);
            let sample: Vec<f64> = SWEEP.iter().map(|&s| run(&p, s).throughput).collect();
            agrees(
                &format!("{consumers} consumers: throughput"),
                &sample,
                theory,
                0.0,
            );
        }
    }

    /// At least once, a consumer that crashes handles again everything it
    /// handled since its last commit. Commits come every I seconds and
    /// crashes at random (exponential gaps much longer than I), so the
    /// time since the last commit is uniform on [0, I) and each crash
    /// repeats λ·I/2 events on average (the inspection paradox does not
    /// arise: the crash, not the commit, is the random point). Bias kept
    /// negligible: after a restart the consumer catches up on the backlog
    /// at μ = 1000/s, so a crash during the catch-up (which would repeat
    /// more) has probability about 0.1 s/20 s; a crash too near the end of
    /// the run leaves its repeats unhandled, one crash in about 200.
    #[test]
    fn at_least_once_repeats_half_a_commit_interval_per_crash() {
        let lambda = 100.0;
        for interval in [0.5, 2.0] {
            let commit = interval.to_string();
            let p = params(&[
                ("partitions", "1"),
                ("consumers", "1"),
                ("publish_rate", "100"),
                ("handle_time", "0.001"),
                ("delivery", "at_least_once"),
                ("commit_interval", commit.as_str()),
                ("crash_interval", "20"),
                ("restart_time", "0.1"),
                ("rebalance_time", "0"),
                ("duration", "1000"),
                ("warmup", "1"),
            ]);
            let sample: Vec<f64> = SWEEP
                .iter()
                .map(|&seed| {
                    let r = run(&p, seed);
                    assert!(
                        r.crashes > 30 && r.lost_events == 0,
                        "{} crashes",
                        r.crashes
                    );
                    r.duplicates as f64 / r.crashes as f64
                })
                .collect();
            agrees(
                &format!("commit every {interval} s: duplicates per crash"),
                &sample,
                lambda * interval / 2.0,
                0.0,
            );
        }
    }

    /// The guarantees that are not statistical, over a sweep with crashes,
    /// rebalances and failovers: exactly once neither loses nor repeats an
    /// event and keeps the balances exact; keyed by account, no event is
    /// ever applied before an earlier one of its account, whatever the
    /// delivery guarantee.
    #[test]
    fn exactly_once_is_exact_and_keyed_partitions_keep_order_on_every_seed() {
        let crashing = [
            ("partitions", "4"),
            ("consumers", "3"),
            ("partition_key", "account"),
            ("accounts", "30"),
            ("publish_rate", "200"),
            ("handle_time", "0.004"),
            ("crash_interval", "5"),
            ("restart_time", "1"),
            ("commit_interval", "1"),
            ("duration", "40"),
        ];
        for extra in [
            &[("delivery", "exactly_once")][..],
            &[
                ("delivery", "exactly_once"),
                ("services", "2"),
                ("integration", "polling"),
                ("poll_interval", "0.2"),
            ],
            &[
                ("delivery", "exactly_once"),
                ("faults", "10:down:1,12:slow:2:0.3,20:recover:1"),
            ],
            &[("delivery", "at_least_once")],
            &[("delivery", "at_most_once")],
            &[
                ("delivery", "at_least_once"),
                ("replicas", "3"),
                ("leader_crashes", "10,25"),
            ],
        ] {
            let sets: Vec<(&str, &str)> = crashing.iter().chain(extra).copied().collect();
            let p = params(&sets);
            for seed in SWEEP {
                let r = run(&p, seed);
                assert!(r.crashes > 0 && r.rebalances > 0, "{extra:?}");
                assert_eq!(r.reordered, 0, "{extra:?}, seed {seed}: reordered");
                if p.delivery == archsim_patterns::event_driven::Delivery::ExactlyOnce {
                    assert_eq!(
                        (r.duplicates, r.lost_events, r.bounced, r.balance_error),
                        (0, 0, 0, 0.0),
                        "{extra:?}, seed {seed}"
                    );
                }
            }
        }
    }

    /// A replay started at T reads r records a second from the first;
    /// meanwhile λ arrive. Having read r·t of the N0 + λ·t there are, it
    /// catches up at t = N0/(r − λ), N0 the records committed by T. It
    /// reads in 10 ms ticks, the first at T: an allowance of one tick.
    #[test]
    fn a_replay_catches_up_after_n0_over_r_minus_lambda() {
        let lambda = 100.0;
        for (at, rate) in [(20.0, 300.0), (40.0, 1100.0)] {
            let expected = lambda * at / (rate - lambda);
            let (at_s, rate_s) = (at.to_string(), rate.to_string());
            let duration = (at + 1.5 * expected + 2.0).to_string();
            let p = params(&[
                ("partitions", "4"),
                ("consumers", "2"),
                ("publish_rate", "100"),
                ("delivery", "exactly_once"),
                ("replay_at", at_s.as_str()),
                ("replay_rate", rate_s.as_str()),
                ("duration", duration.as_str()),
            ]);
            let sample: Vec<f64> = SWEEP
                .iter()
                .map(|&seed| {
                    let mut sim = simulation(&p, seed);
                    sim.run_until(SimTime::from_secs_f64(at) - SimTime::from_micros(1));
                    let n0 = Report::of(&sim).committed as f64;
                    sim.run_until(SimTime::from_secs_f64(p.duration));
                    let r = Report::of(&sim);
                    assert_eq!(r.state_differences, Some(0));
                    r.rebuild_time.expect("caught up") - n0 / (rate - lambda)
                })
                .collect();
            agrees(
                &format!("replay at {at} s, {rate}/s: rebuild time − N0/(r − λ) (s)"),
                &sample,
                0.0,
                0.01,
            );
        }
    }

    /// `∫₀¹ f(y) dy` by the midpoint rule (f finite on (0, 1]).
    fn integral(f: impl Fn(f64) -> f64) -> f64 {
        const N: usize = 100_000;
        (0..N).map(|i| f((i as f64 + 0.5) / N as f64)).sum::<f64>() / N as f64
    }

    /// With acks=leader a crash loses the records the new leader lacks.
    /// A follower copies each record after an exponential delay of mean m,
    /// in order (a copy waits for the one before), so it lacks every record
    /// published since the oldest one whose own copy is still pending. The
    /// records' pending copies are a Poisson process thinned by e^(−age/m),
    /// so the oldest pending age S has P(S > s) = 1 − exp(−λm·e^(−s/m)),
    /// and the records it lacks number P(S exists) + λ·E[S] (the records
    /// younger than the oldest are unconstrained: Poisson). With y =
    /// e^(−s/m) and a = λm:
    ///   one follower:  1 − e^(−a) + a·∫₀¹ (1 − e^(−ay))/y dy;
    ///   the better of two (independent delays, one stream of records):
    ///     P(both S > s) = 1 − 2e^(−ay) + e^(−2ay + ay²/2), whence
    ///     1 − 2e^(−a) + e^(−3a/2) + a·∫₀¹ (1 − 2e^(−ay) + e^(−2ay + ay²/2))/y dy.
    /// (Derived here from the marking theorem for Poisson processes,
    /// Kingman, *Poisson Processes*, 1993, ch. 5: records with a copy
    /// pending to one follower, to the other, to both, to neither, are
    /// independent Poisson processes.) 30 seeds, one crash each; the
    /// election refuses what arrives meanwhile, so it adds no loss.
    #[test]
    fn acks_leader_loses_what_the_best_follower_lacks() {
        let (lambda, m) = (100.0f64, 0.05);
        let a = lambda * m;
        let one = 1.0 - (-a).exp() + a * integral(|y| (1.0 - (-a * y).exp()) / y);
        let two = 1.0 - 2.0 * (-a).exp()
            + (-1.5 * a).exp()
            + a * integral(|y| {
                (1.0 - 2.0 * (-a * y).exp() + (-2.0 * a * y + a * y * y / 2.0).exp()) / y
            });
        let seeds: Vec<u64> = (1..=30).collect();
        for (replicas, theory) in [("2", one), ("3", two)] {
            let p = params(&[
                ("replicas", replicas),
                ("min_in_sync", "1"),
                ("acks", "leader"),
                ("replication_delay", "0.05"),
                ("publish_rate", "100"),
                ("leader_crashes", "10"),
                ("partitions", "1"),
                ("consumers", "1"),
                ("duration", "11"),
                ("warmup", "1"),
            ]);
            let sample: Vec<f64> = seeds
                .iter()
                .map(|&seed| run(&p, seed).lost_writes as f64)
                .collect();
            agrees(
                &format!("{replicas} replicas: acknowledged writes lost at a crash"),
                &sample,
                theory,
                0.0,
            );
        }
    }
}

/// Every event accounted for at every moment: counted from the model's
/// own structures (the broker's log, the topic, the consumers' positions
/// and buffers, the requests waited on) and from the report's counters.
mod conservation {
    use super::{params, simulation};
    use archsim_core::{SimTime, Simulation};
    use archsim_patterns::catalog;
    use archsim_patterns::event_driven::{EventDriven, Integration, Params, Report};

    /// Check the accounts of `sim` as it stands; `what` names the run.
    fn check(sim: &Simulation<EventDriven>, what: &str) {
        let a = sim.model().accounting(sim.metrics());
        let r = Report::of(sim);
        let at = sim.now().as_secs_f64();
        assert_eq!(a.sent, r.sent, "{what} at {at} s: sent");
        if sim.model().params().integration == Integration::SynchronousCalls {
            assert_eq!(
                a.sent,
                a.completed + a.failed + a.waiting,
                "{what} at {at} s: {a:?}"
            );
            assert_eq!(a.completed, r.completed, "{what} at {at} s");
            assert_eq!(a.failed, r.failed + r.timed_out, "{what} at {at} s");
            assert_eq!(r.backlog, a.waiting, "{what} at {at} s");
            assert_eq!(a.committed, 0, "{what}: nothing published");
            return;
        }
        assert_eq!(
            a.sent,
            a.committed + a.uncommitted + a.to_broker + a.refused + a.lost_writes,
            "{what} at {at} s: {a:?}"
        );
        assert_eq!(
            (a.committed, a.refused, a.lost_writes),
            (r.committed, r.refused, r.lost_writes),
            "{what} at {at} s"
        );
        assert_eq!(a.services.len(), sim.model().params().services as usize);
        for (s, row) in a.services.iter().enumerate() {
            assert_eq!(
                row.iter().sum::<u64>(),
                a.committed,
                "{what} at {at} s, service {}: {row:?}",
                s + 1
            );
        }
        let column = |i: usize| a.services.iter().map(|row| row[i]).sum::<u64>();
        // First handlings: the report counts duplicates apart.
        assert_eq!(column(0), r.handled, "{what} at {at} s: handled");
        assert_eq!(
            column(3),
            r.dead_lettered,
            "{what} at {at} s: dead-lettered"
        );
        assert_eq!(column(4), r.lost_events, "{what} at {at} s: lost");
        assert_eq!(
            column(1) + column(2),
            r.backlog,
            "{what} at {at} s: backlog"
        );
        assert_eq!(sim.snapshot().dead_letters, r.dead_lettered);
    }

    /// Step `p` with `seed` through moments chosen to fall inside the
    /// presets' faults (elections at 20 s and 40 s, rebalances at 30 s and
    /// 40 s, the poison at 20 s) and between them, checking each.
    fn check_run(p: &Params, seed: u64, what: &str) {
        let mut sim = simulation(p, seed);
        let moments = [
            0.0005, 1.0, 5.0, 10.3, 15.0, 19.9999, 20.0, 20.0011, 20.25, 20.5, 21.0, 21.6, 30.0,
            30.2, 30.5003, 40.0, 40.25, 40.5, 41.1, 47.7,
        ];
        for t in moments.into_iter().filter(|&t| t < p.duration) {
            sim.run_until(SimTime::from_secs_f64(t));
            check(&sim, what);
        }
        sim.run_until(SimTime::from_secs_f64(p.duration));
        check(&sim, what);
    }

    #[test]
    fn every_event_of_every_preset_is_accounted_for_at_every_moment() {
        let (pattern, _) = catalog::find("eda-decoupling").expect("preset exists");
        for preset in pattern.presets() {
            let variants = preset.compare.expect("every preset compares");
            for value in variants.values {
                let p = crate::preset_scenario::<Params>(preset.id, &[(variants.key, value)]);
                for seed in [1, 2] {
                    check_run(&p, seed, &format!("{} {}={value}", preset.id, variants.key));
                }
            }
        }
    }

    #[test]
    fn every_event_is_accounted_for_off_the_presets_too() {
        let runs: [&[(&str, &str)]; 5] = [
            // Polling, losing at most once, with crashes.
            &[
                ("integration", "polling"),
                ("poll_interval", "0.3"),
                ("delivery", "at_most_once"),
                ("crash_interval", "4"),
                ("restart_time", "0.5"),
            ],
            // Three services, three brokers, acks=all, crashes everywhere.
            &[
                ("services", "3"),
                ("consumers", "3"),
                ("replicas", "3"),
                ("min_in_sync", "2"),
                ("acks", "all"),
                ("leader_crashes", "20,30.5"),
                ("crash_interval", "6"),
                ("publish_rate", "300"),
            ],
            // A poison event dead-lettered by two services while they crash.
            &[
                ("services", "2"),
                ("poison_at", "20"),
                ("dead_letter", "true"),
                ("max_retries", "1"),
                ("crash_interval", "8"),
                ("delivery", "exactly_once"),
            ],
            // Synchronous calls with a timeout and a dead worker.
            &[
                ("integration", "synchronous_calls"),
                ("services", "2"),
                ("consumers", "2"),
                ("publish_rate", "150"),
                ("call_timeout", "0.2"),
                ("faults", "10:down:1,10:slow:2:0.3,20:down:2,30:recover:1"),
            ],
            // Overloaded, with a replay under way.
            &[
                ("publish_rate", "400"),
                ("consumers", "1"),
                ("replay_at", "20"),
                ("replay_rate", "800"),
            ],
        ];
        for sets in runs {
            let p = params(sets);
            for seed in [1, 2, 3] {
                check_run(&p, seed, &format!("{sets:?}"));
            }
        }
    }
}
