//! Each load-balancing preset shows what its "what to look for" sentence
//! says, on several seeds — not just the preset's own.

use crate::{compare, num};
use archsim_patterns::{Experiment, catalog};

#[test]
fn round_robin_spreads_evenly_random_less_so() {
    for runs in compare("lb-distribute") {
        let (rr, random) = (&runs[0], &runs[1]);
        assert!(num(rr, "/load_imbalance") < 1.001);
        assert!(num(random, "/load_imbalance") > num(rr, "/load_imbalance"));
        assert!(num(random, "/latency/p99") > num(rr, "/latency/p99"));
    }
}

#[test]
fn one_server_is_overwhelmed_where_four_are_not() {
    for runs in compare("lb-overload") {
        let (one, four) = (&runs[0], &runs[1]);
        assert!(num(one, "/rejected") > 0.5 * num(one, "/arrived"));
        assert!(num(one, "/latency/p50") > 0.5);
        assert_eq!(num(four, "/rejected"), 0.0);
        assert!(num(four, "/latency/p99") < 0.5);
    }
}

#[test]
fn health_checks_cut_failures_to_the_detection_delay() {
    for runs in compare("lb-health-checks") {
        let (blind, checked) = (&runs[0], &runs[1]);
        // Without checks: a quarter of 20 s of traffic fails.
        let expected_blind = 0.25 * 240.0 * 20.0;
        assert!((num(blind, "/failed") - expected_blind).abs() < 0.1 * expected_blind);
        // With checks every second and a threshold of two: about 2 s of it.
        let failed = num(checked, "/failed");
        assert!(
            failed > 0.0 && failed < 0.25 * 240.0 * 3.0,
            "failed {failed}"
        );
    }
}

#[test]
fn sticky_sessions_keep_sessions_until_their_backend_dies() {
    for runs in compare("lb-sticky-sessions") {
        let (loose, sticky) = (&runs[0], &runs[1]);
        assert!(num(loose, "/broken_sessions") > 0.6 * num(loose, "/arrived"));
        let broken = num(sticky, "/broken_sessions");
        // At most the 200 clients' sessions, and some do break at 30 s.
        assert!(broken > 0.0 && broken <= 200.0, "broken {broken}");
    }
}

#[test]
fn load_aware_algorithms_beat_round_robin_on_an_uneven_fleet() {
    for runs in compare("lb-server-load") {
        let p99 = |i: usize| num(&runs[i], "/latency/p99");
        // Variants: round_robin, weighted_round_robin, least_connections,
        // power_of_two, peak_ewma, oracle.
        for smarter in 1..=5 {
            assert!(
                p99(smarter) < p99(0) / 5.0,
                "variant {smarter}: {} vs {}",
                p99(smarter),
                p99(0)
            );
        }
        assert!(
            num(&runs[0], "/rejected") > 0.0,
            "round robin overflows the slowest queue"
        );
        // Nothing beats the oracle by much: it sees the truth.
        for i in 0..5 {
            assert!(
                p99(5) <= p99(i) * 1.15,
                "oracle {} vs variant {i} {}",
                p99(5),
                p99(i)
            );
        }
    }
}

#[test]
fn region_aware_routing_cuts_the_median() {
    for runs in compare("lb-geography") {
        let (rr, local) = (&runs[0], &runs[1]);
        // Round robin's median pays a 100 ms round trip two times in three.
        assert!(num(rr, "/latency/p50") > 0.1);
        assert!(num(local, "/latency/p50") < 0.03);
    }
}

/// The mechanisms the presets rely on, each checked on its own.
mod mechanisms {
    use crate::{lb_params, lb_run};
    use archsim_tests::mean_ci99;

    #[test]
    fn bursts_keep_the_mean_rate_and_go_quiet_between() {
        let p = lb_params(&[
            ("arrival_rate", "100"),
            ("burst_on", "1"),
            ("burst_off", "3"),
            ("duration", "400"),
            ("warmup", "0"),
        ]);
        let rates: Vec<f64> = (1..=6).map(|seed| lb_run(&p, seed).offered_rate).collect();
        let (mean, half) = mean_ci99(&rates);
        assert!(
            (mean - 100.0).abs() <= half + 1.0,
            "offered {mean} ± {half}"
        );
        // A short run has 0.1 s buckets: nothing completes in the pauses,
        // once the last services of a burst (at half load) have finished.
        let short = lb_params(&[
            ("arrival_rate", "50"),
            ("burst_on", "1"),
            ("burst_off", "3"),
            ("duration", "12"),
            ("warmup", "0"),
        ]);
        let r = lb_run(&short, 1);
        assert_eq!(r.series.bucket, 0.1);
        // Forty buckets a cycle: 0..10 the burst, 10..40 the pause.
        for (i, throughput) in r.series.throughput.iter().enumerate() {
            if (15..40).contains(&(i % 40)) {
                assert_eq!(
                    *throughput, 0.0,
                    "completions at {:.1} s, in a pause",
                    r.series.time[i]
                );
            }
        }
    }

    #[test]
    fn a_slow_backend_works_longer_on_the_same_share() {
        let p = lb_params(&[("faults", "0:slow:1:0.25"), ("arrival_rate", "200")]);
        let r = lb_run(&p, 1);
        let util: Vec<f64> = r.backends.iter().map(|b| b.utilisation).collect();
        // Round robin gives every backend 50 req/s; at a quarter speed
        // backend 1 needs 2 s of work per second and saturates.
        assert!(util[0] > 0.95, "{util:?}");
        assert!(
            util[1..].iter().all(|&u| (u - 0.5).abs() < 0.05),
            "{util:?}"
        );
        assert!(r.backends[0].peak_queue as f64 >= 100.0 * 0.9);
    }

    #[test]
    fn timeouts_bound_the_latency_of_what_completes() {
        let p = lb_params(&[
            ("backends", "1"),
            ("arrival_rate", "150"),
            ("timeout", "0.5"),
        ]);
        let r = lb_run(&p, 1);
        assert!(r.timed_out > 0);
        assert!(r.latency.max <= 0.5, "max {}", r.latency.max);
    }

    #[test]
    fn retries_rescue_requests_sent_to_a_dead_backend() {
        let base = [
            ("faults", "10:down:1"),
            ("health_check_interval", "0"),
            ("arrival_rate", "200"),
        ];
        let without = lb_run(&lb_params(&base), 1);
        let mut with: Vec<(&str, &str)> = base.to_vec();
        with.push(("retry", "true"));
        let with = lb_run(&lb_params(&with), 1);
        assert!(without.failed > 1_000, "failed {}", without.failed);
        assert_eq!(with.failed, 0);
        assert!(with.retries > 1_000);
        assert_eq!(with.completed + with.in_flight, with.arrived);
    }
}

/// The charts mark what happened: the scheduled fault and recovery, and
/// the balancer's verdicts, each after its fault by the detection delay
/// (two failed checks a second apart: within 2 s) and never without checks.
#[test]
fn the_charts_mark_the_faults_and_the_balancers_verdicts() {
    let (pattern, preset) = catalog::find("lb-health-checks").expect("preset exists");
    for (interval, verdicts) in [("0", false), ("1", true)] {
        let mut exp = Experiment::from_preset(pattern, preset);
        exp.set("health_check_interval", interval)
            .expect("a valid interval");
        let mut live = exp.start().expect("the preset runs");
        live.run_until(live.end());
        let moments = live.dashboard().moments;
        let at = |what: &str| moments.iter().find(|m| m.what == what).map(|m| m.at);
        assert_eq!(at("backend 2 down"), Some(20.0), "{moments:?}");
        assert_eq!(at("backend 2 back"), Some(40.0), "{moments:?}");
        let unhealthy = at("backend 2 marked unhealthy");
        let healthy = at("backend 2 marked healthy");
        if verdicts {
            let (unhealthy, healthy) =
                (unhealthy.expect("marked down"), healthy.expect("marked up"));
            assert!(unhealthy > 20.0 && unhealthy <= 22.0, "{moments:?}");
            assert!(healthy > 40.0 && healthy <= 42.0, "{moments:?}");
        } else {
            assert_eq!(
                (unhealthy, healthy),
                (None, None),
                "no checks, no verdicts: {moments:?}"
            );
        }
        assert!(
            moments.windows(2).all(|w| w[0].at <= w[1].at),
            "in time order"
        );
    }
}
