//! Microservices: each preset shows what its "what to look for" sentence
//! says on seeds other than its own; serial availability, fan-out and the
//! gateway's queue against probability and Erlang C over seed sweeps, each
//! tolerance a 95% t-interval; retries multiply exactly, a saga runs k − 1
//! compensations, two-phase commit's participants always learn the same
//! decision; and every page and order is accounted for at every moment.

use crate::{SEEDS, compare, mean, num, window};
use archsim_core::SimTime;
use archsim_patterns::catalog;
use archsim_patterns::interval::Interval;
use archsim_patterns::microservices::{self, Params, Report, Service};
use archsim_patterns::theory::erlang_c;
use serde_json::Value;

/// Microservices parameters: the defaults with `sets` applied.
fn params(sets: &[(&str, &str)]) -> Params {
    crate::scenario(sets)
}

/// Run a microservices experiment to the end.
fn run(params: &Params, seed: u64) -> Report {
    microservices::run(params, seed, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"))
}

/// Seeds of a theory sweep: as many as a t-interval here takes (30, 29
/// degrees of freedom), since a fan-out's share of twenty calls is as
/// noisy as it is small.
const SWEEP: std::ops::RangeInclusive<u64> = 1..=30;

/// The 95% interval of `metric` over [`SWEEP`] runs of `params`.
fn sweep(params: &Params, metric: impl Fn(&Report) -> f64) -> Interval {
    let sample: Vec<f64> = SWEEP.map(|seed| metric(&run(params, seed))).collect();
    Interval::of(&sample).expect("thirty runs")
}

/// Assert `theory` lies in `interval`, saying what was compared.
fn within(what: &str, interval: Interval, theory: f64) {
    println!(
        "{what}: {:.4} ± {:.4} against {theory:.4}",
        interval.mean, interval.half_width
    );
    assert!(
        (interval.mean - theory).abs() <= interval.half_width,
        "{what}: {:.4} ± {:.4} does not contain {theory:.4}",
        interval.mean,
        interval.half_width
    );
}

/// The mean over `[from, until)` seconds of chart series `name`.
fn windowed(metrics: &Value, name: &str, from: f64, until: f64) -> f64 {
    mean(&window(metrics, name, from, until))
}

// --- Every preset's sentence, on seeds other than its own --------------

#[test]
fn scaling_copies_only_what_the_browsing_uses() {
    for runs in compare("ms-scaling") {
        let (monolith, services) = (&runs[0], &runs[1]);
        assert_eq!(num(monolith, "/memory_gb"), 23.0);
        assert_eq!(num(services, "/memory_gb"), 14.0);
        assert_eq!(num(monolith, "/instances"), 4.0);
        assert_eq!(num(services, "/instances"), 12.0);
        for m in &runs {
            assert!(num(m, "/success_share") > 0.999);
            assert!(num(m, "/browse_latency/p99") < 0.06, "{m}");
        }
    }
}

#[test]
fn without_timeouts_a_slow_service_takes_checkout_down_with_it() {
    for runs in compare("ms-timeouts") {
        let (waiting, timing_out) = (&runs[0], &runs[1]);
        assert!(num(waiting, "/checkout_latency/p99") > 2.0, "{waiting}");
        assert!(num(waiting, "/checkout_success") < 0.95);
        assert!(num(waiting, "/failed") > 50.0);
        assert!(num(timing_out, "/checkout_success") >= 0.995);
        assert!(num(timing_out, "/success_share") >= 0.995);
        assert!(num(timing_out, "/degraded_share") > 0.2);
        assert!(num(timing_out, "/checkout_latency/p99") < 0.3);
    }
}

#[test]
fn a_breaker_fails_fast_and_wastes_less() {
    for runs in compare("ms-breaker") {
        let (off, on) = (&runs[0], &runs[1]);
        assert!(num(on, "/breaker_openings") > 0.0);
        assert!(num(on, "/latency/p50") < 0.6 * num(off, "/latency/p50"));
        assert!(num(on, "/wasted") < 0.7 * num(off, "/wasted"));
    }
}

#[test]
fn bulkheads_keep_a_slow_dependency_to_its_share() {
    for runs in compare("ms-bulkheads") {
        let (shared, bulkheads) = (&runs[0], &runs[1]);
        let served = |m: &Value| windowed(m, "served", 20.0, 40.0);
        assert!(served(bulkheads) > 3.0 * served(shared));
        assert!(num(bulkheads, "/degraded_share") < num(shared, "/degraded_share"));
    }
}

#[test]
fn immediate_retries_keep_the_overload_going_and_a_budget_ends_it() {
    for runs in compare("ms-retry-storm") {
        let (immediate, backoff, budget) = (&runs[0], &runs[1], &runs[2]);
        // Long after payments are well again (from 25 s).
        let late_failures = |m: &Value| windowed(m, "failed", 40.0, 60.0);
        assert!(late_failures(immediate) > 150.0, "{immediate}");
        assert!(late_failures(backoff) > 150.0);
        assert!(late_failures(budget) < 5.0);
        assert!(num(immediate, "/checkout_success") < 0.4);
        assert!(num(budget, "/checkout_success") > 0.8);
    }
}

#[test]
fn one_faulty_module_takes_the_whole_monolith_down() {
    for runs in compare("ms-isolation") {
        let (monolith, services) = (&runs[0], &runs[1]);
        let answered =
            |m: &Value| windowed(m, "served", 20.0, 40.0) + windowed(m, "degraded", 20.0, 40.0);
        assert!(answered(monolith) < 1.0);
        let failed = 1.0 - num(monolith, "/success_share");
        assert!((0.28..0.42).contains(&failed), "about a third: {failed}");
        assert!(num(services, "/success_share") > 0.995);
        assert!(answered(services) > 95.0);
    }
}

#[test]
fn a_shared_database_slows_checkout_behind_the_reports() {
    for runs in compare("ms-shared-database") {
        let p99 = |m: &Value| num(m, "/checkout_latency/p99");
        assert!(p99(&runs[0]) > 4.0 * p99(&runs[1]), "{runs:?}");
    }
}

#[test]
fn a_pausing_runtime_harms_only_its_own_callers() {
    for runs in compare("ms-runtime-pauses") {
        let (monolith, services) = (&runs[0], &runs[1]);
        assert!(num(monolith, "/browse_latency/p99") > 0.5);
        assert!(num(services, "/browse_latency/p99") < 0.07);
        assert!(num(services, "/checkout_latency/p99") > 0.3);
    }
}

#[test]
fn every_hop_is_a_chance_to_fail() {
    for runs in compare("ms-hops") {
        let (monolith, services) = (&runs[0], &runs[1]);
        assert!((0.98..=1.0).contains(&num(monolith, "/checkout_success")));
        assert!((0.88..0.94).contains(&num(services, "/checkout_success")));
        assert_eq!(num(monolith, "/deployables"), 2.0);
        assert_eq!(num(services, "/deployables"), 11.0);
    }
}

#[test]
fn the_slowest_of_a_fanout_sets_the_page_time() {
    for runs in compare("ms-fanout") {
        let shares: Vec<f64> = runs.iter().map(|m| num(m, "/paused_share")).collect();
        for (share, (low, high)) in
            shares
                .iter()
                .zip([(0.004, 0.016), (0.035, 0.065), (0.15, 0.21)])
        {
            assert!((low..high).contains(share), "{shares:?}");
        }
        for m in &runs[1..] {
            assert!(num(m, "/browse_latency/p99") > 0.2);
        }
    }
}

#[test]
fn two_phase_commit_blocks_where_a_saga_exposes_its_steps() {
    for runs in compare("ms-transactions") {
        let (two_phase, saga) = (&runs[0], &runs[1]);
        assert!(num(two_phase, "/blocked_time") >= 5.0, "{two_phase}");
        assert!(num(two_phase, "/lock_hold/mean") > 3.0 * num(saga, "/lock_hold/mean"));
        assert_eq!(num(two_phase, "/anomalies"), 0.0);
        assert_eq!(num(two_phase, "/compensations"), 0.0);
        assert_eq!(num(saga, "/blocked_time"), 0.0);
        assert!(num(saga, "/compensations") > 1000.0);
        assert!(num(saga, "/anomalies") > 500.0);
        assert!(num(two_phase, "/browse_latency/p99") > 5.0 * num(saga, "/browse_latency/p99"));
    }
}

// --- Against theory ------------------------------------------------------

/// Serial dependencies with independent failures: a checkout is served
/// only if each of its calls is, with probability a^k (Trivedi,
/// *Probability and Statistics with Reliability, Queuing and Computer
/// Science Applications*, 2nd ed., §3.4). A checkout makes 6 + fan-out
/// calls as services, one to a monolith.
#[test]
fn serial_availability_is_the_product_of_the_services() {
    for (architecture, calls) in [("microservices", 9), ("monolith", 1)] {
        let p = crate::preset_scenario::<Params>(
            "ms-hops",
            &[("architecture", architecture), ("duration", "120")],
        );
        let theory = p.service_availability.powi(calls);
        within(
            &format!("{architecture} checkouts served"),
            sweep(&p, |r| r.checkout_success),
            theory,
        );
    }
}

/// Retry amplification: with payments down for the whole run, r retries
/// at each of the three layers above it (users, gateway, orders) send it
/// (r + 1)³ tries per checkout — exactly, but for the few checkouts still
/// being tried when the run ends.
#[test]
fn retries_at_every_layer_multiply() {
    for retries in [1u32, 2] {
        let r = retries.to_string();
        let p = params(&[
            ("faults", "0:down:4"),
            ("retry_policy", "immediate"),
            ("retries", &r),
            ("call_timeout", "0"),
            ("duration", "20"),
            ("warmup", "1"),
        ]);
        let report = run(&p, 1);
        let expected = f64::from((retries + 1).pow(3));
        // A checkout still being tried has sent fewer.
        let in_flight = report.requests - report.served - report.degraded - report.failed;
        let short = expected * in_flight as f64 / report.checkouts as f64;
        let tries = report.payments_per_checkout;
        println!("{retries} retries: {tries} tries per checkout, {in_flight} pages in flight");
        assert!(
            tries <= expected && tries >= expected - short,
            "{tries} against {expected}"
        );
    }
}

/// Fan-out: a page waits for n stock lookups, each meeting a pause with
/// probability q independently; the share of pages meeting one is
/// 1 − (1 − q)^n (Dean and Barroso, "The Tail at Scale", CACM 56(2), 2013).
/// Runs of two minutes, browsing only.
#[test]
fn a_fanout_meets_a_pause_with_one_minus_the_product() {
    for fanout in ["1", "5", "20"] {
        let p = crate::preset_scenario::<Params>(
            "ms-fanout",
            &[
                ("fanout", fanout),
                ("checkout_share", "0"),
                ("duration", "120"),
            ],
        );
        let theory = 1.0 - (1.0 - p.pause_share).powi(p.fanout as i32);
        within(
            &format!("fan-out {fanout}: pages meeting a pause"),
            sweep(&p, |r| r.paused_share),
            theory,
        );
    }
}

/// The gateway, an asynchronous proxy, holds a worker only for its own
/// exponential work: with Poisson pages it is an M/M/c queue, all of whose
/// workers are busy — by PASTA, the chance a page waits — with Erlang C's
/// probability C(c, λ/μ) (Kleinrock, *Queueing Systems* I, 1975, §3.5).
/// The share is sampled every millisecond of the measured window.
#[test]
fn the_gateway_is_erlang_c() {
    let p = params(&[
        ("request_rate", "1400"),
        ("checkout_share", "0"),
        ("fanout", "0"),
        ("replicas", "1"),
        ("workers", "2"),
        ("browse_replicas", "10"),
        ("duration", "30"),
        ("warmup", "2"),
    ]);
    let all_busy = |seed: u64| {
        let mut sim = microservices::simulation(&p, seed).expect("valid");
        let (mut busy, mut samples) = (0.0, 0.0);
        let mut t = p.warmup;
        while t < p.duration {
            sim.run_until(SimTime::from_secs_f64(t));
            let gateway = &sim.snapshot().deployables[0];
            if gateway.busy == gateway.workers {
                busy += 1.0;
            }
            samples += 1.0;
            t += 0.001;
        }
        busy / samples
    };
    let sample: Vec<f64> = SWEEP.map(all_busy).collect();
    let mu = 1.0 / Service::Gateway.work();
    let theory = erlang_c(2, p.request_rate / mu);
    within(
        "gateway: share of time every worker is busy",
        Interval::of(&sample).expect("thirty runs"),
        theory,
    );
}

/// A saga whose step k fails runs k − 1 compensations: a declined card
/// (step 3, after the order and the reservation) two, a reservation that
/// fails (step 2) one. Checkouts still being tried when the run ends may
/// have run theirs without having aborted yet.
#[test]
fn a_saga_failing_at_step_k_runs_k_minus_one_compensations() {
    for (sets, per_abort) in [
        (vec![("decline_share", "1")], 2.0),
        (vec![("faults", "0:down:3")], 1.0),
    ] {
        let mut all = sets.clone();
        all.extend([("duration", "20"), ("warmup", "1")]);
        let report = run(&params(&all), 2);
        let in_flight = report.requests - report.served - report.degraded - report.failed;
        let (compensations, aborted) = (report.compensations as f64, report.aborted as f64);
        assert!(aborted > 100.0);
        assert!(
            (compensations - per_abort * aborted).abs() <= per_abort * in_flight as f64,
            "{sets:?}: {compensations} compensations for {aborted} aborts"
        );
    }
}

/// Two-phase commit: every participant of an order learns the same
/// decision, crashes of the coordinator and presumed abort included.
#[test]
fn two_phase_commit_never_commits_at_one_participant_and_aborts_at_another() {
    for seed in SEEDS {
        let p = crate::preset_scenario::<Params>(
            "ms-transactions",
            &[("transaction", "two_phase_commit")],
        );
        let report = run(&p, seed);
        assert!(report.committed > 1000 && report.aborted > 100);
        assert_eq!(report.disagreements, 0);
    }
}

/// Every page is served, degraded, failed or still being served, and
/// every order's transaction committed, aborted or open, at every one of
/// 20 moments of every preset's every variant.
#[test]
fn every_page_and_every_order_is_accounted_for_at_every_moment() {
    for preset in microservices::PRESETS {
        let (pattern, _) = catalog::find(preset.id).expect("listed");
        let variants = preset.compare.expect("every preset compares");
        for value in variants.values {
            let p = crate::preset_scenario::<Params>(preset.id, &[(variants.key, value)]);
            let mut sim = microservices::simulation(&p, 1).expect("valid");
            for k in 1..=20 {
                sim.run_until(SimTime::from_secs_f64(p.duration * f64::from(k) / 20.0));
                let a = sim.model().accounting(sim.metrics());
                assert_eq!(
                    a.requests,
                    a.served + a.degraded + a.failed + a.in_flight,
                    "{} {value} at {k}/20: {a:?}",
                    pattern.id()
                );
                assert_eq!(a.transactions, a.committed + a.aborted + a.open);
            }
        }
    }
}

/// Bad parameters get a message naming what is wrong and what is allowed.
#[test]
fn bad_parameters_say_what_is_allowed() {
    let mut settings = archsim_patterns::Settings::defaults::<Params>();
    let err = settings
        .set("retry_policy", "sometimes")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "retry_policy=sometimes is not allowed: retry_policy must be one of none, immediate, backoff, budget"
    );
    settings.set("request_rate", "20000").unwrap();
    settings.set("duration", "3600").unwrap();
    let err = settings.build::<Params>().unwrap_err().to_string();
    assert!(err.contains("at most 100 s"), "{err}");
    settings.set("duration", "60").unwrap();
    settings.set("faults", "10:down:7").unwrap();
    let err = settings.build::<Params>().unwrap_err().to_string();
    assert!(err.contains("service"), "{err}");
}
