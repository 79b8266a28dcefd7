//! Properties over random valid parameters and seeds: conservation,
//! determinism, no panics; and a typed error for every kind of invalid value.

use archsim_core::SimTime;
use archsim_patterns::load_balancing::{self as lb, Algorithm, Params, Report};
use archsim_patterns::{
    Experiment, ParamError, ParamKind, ParamSpec, Scenario, Settings, seconds_per_unit,
};
use proptest::prelude::*;

/// Random valid load-balancing parameters, small enough to run quickly.
fn params() -> impl Strategy<Value = Params> {
    let algorithm = prop::sample::select(Algorithm::ALL.to_vec());
    let shape = prop::sample::select(
        [
            "exponential",
            "deterministic",
            "uniform",
            "lognormal",
            "pareto",
        ]
        .to_vec(),
    );
    (
        (
            algorithm,
            1u32..=12,
            1u32..=4,
            1.0f64..800.0,
            5.0f64..200.0,
            shape,
            0.2f64..4.0,
        ),
        (
            0u32..=50,
            prop_oneof![Just(0.0), 0.01f64..1.0],
            0.0f64..0.9,
            prop_oneof![Just(0.0), 0.1f64..3.0],
        ),
        (
            any::<bool>(),
            1u32..=500,
            any::<bool>(),
            1u32..=4,
            0.0f64..0.05,
            0.0f64..0.1,
        ),
        (
            prop_oneof![Just((0.0, 0.0)), (0.1f64..3.0, 0.1f64..3.0)],
            2.0f64..20.0,
        ),
        prop::collection::vec((0.0f64..1.0, 0u32..12, 0u8..3, 0.05f64..1.0), 0..4),
    )
        .prop_map(|(a, b, c, (bursts, duration), faults)| {
            let (algorithm, backends, workers, arrival_rate, service_rate, shape, cv) = a;
            let (queue_capacity, timeout, speed_spread, health_check_interval) = b;
            let (sticky_sessions, clients, retry, regions, network_delay, region_delay) = c;
            let faults: Vec<String> = faults
                .into_iter()
                .map(|(at, backend, kind, k)| {
                    let (at, b) = (at * duration, backend % backends + 1);
                    match kind {
                        0 => format!("{at}:down:{b}"),
                        1 => format!("{at}:recover:{b}"),
                        _ => format!("{at}:slow:{b}:{k}"),
                    }
                })
                .collect();
            let mut settings = Settings::defaults::<Params>();
            settings
                .set("service_distribution", shape)
                .expect("valid shape");
            let mut p: Params = settings.build().expect("defaults are valid");
            p.algorithm = algorithm;
            p.backends = backends;
            p.workers = workers;
            p.arrival_rate = arrival_rate;
            p.service_rate = service_rate;
            p.service_cv = cv;
            p.queue_capacity = queue_capacity;
            p.timeout = timeout;
            p.speed_spread = speed_spread;
            p.health_check_interval = health_check_interval;
            p.sticky_sessions = sticky_sessions;
            p.clients = clients;
            p.retry = retry;
            p.regions = regions;
            p.network_delay = network_delay;
            p.region_delay = region_delay;
            (p.burst_on, p.burst_off) = bursts;
            p.faults = faults.join(",");
            p.duration = duration;
            p.warmup = duration / 4.0;
            p
        })
}

fn assert_conserved(r: &Report) {
    assert_eq!(
        r.arrived,
        r.completed + r.rejected + r.failed + r.timed_out + r.in_flight,
        "arrived {} ≠ completed {} + rejected {} + failed {} + timed out {} + in flight {}",
        r.arrived,
        r.completed,
        r.rejected,
        r.failed,
        r.timed_out,
        r.in_flight
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_request_is_accounted_for_at_every_moment(p in params(), seed in any::<u64>()) {
        prop_assert!(p.check().is_ok(), "{:?}", p.check());
        let mut sim = lb::simulation(&p, seed).expect("valid params");
        let end = SimTime::from_secs_f64(p.duration);
        for i in 1..=4 {
            sim.run_until(SimTime::from_micros(end.as_micros() / 4 * i));
            let r = Report::of(&sim);
            assert_conserved(&r);
            for series in [&r.series.throughput, &r.series.errors] {
                prop_assert!(series.iter().all(|x| x.is_finite() && *x >= 0.0));
            }
        }
    }

    #[test]
    fn the_same_params_and_seed_give_byte_identical_json(p in params(), seed in any::<u64>()) {
        let once = serde_json::to_string(&lb::run(&p, seed, &mut |_| {}).unwrap()).unwrap();
        let twice = serde_json::to_string(&lb::run(&p, seed, &mut |_| {}).unwrap()).unwrap();
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn little_law_holds_when_nothing_is_lost(seed in any::<u64>(), backends in 1u32..8, rho in 0.3f64..0.85) {
        let mut settings = Settings::defaults::<Params>();
        for (k, v) in [("queue_capacity", "10000"), ("health_check_interval", "0"), ("duration", "200"), ("warmup", "20")] {
            settings.set(k, v).unwrap();
        }
        settings.set("backends", &backends.to_string()).unwrap();
        settings.set("arrival_rate", &(rho * 100.0 * f64::from(backends)).to_string()).unwrap();
        settings.set("algorithm", "least_connections").unwrap();
        let r = lb::run(&settings.build().unwrap(), seed, &mut |_| {}).unwrap();
        prop_assert_eq!(r.rejected + r.failed + r.timed_out, 0);
        let lambda_w = r.offered_rate * r.latency.mean;
        prop_assert!((r.mean_in_system - lambda_w).abs() / lambda_w < 0.03,
            "L = {}, λW = {}", r.mean_in_system, lambda_w);
    }
}

#[test]
fn different_seeds_give_different_runs() {
    let p = Params::default();
    let a = lb::run(&p, 1, &mut |_| {}).unwrap();
    let b = lb::run(&p, 2, &mut |_| {}).unwrap();
    assert_ne!(a.latency, b.latency);
}

#[test]
fn compared_variants_see_the_same_arrivals() {
    let exp = Experiment::resolve("lb-server-load").unwrap();
    let reports = exp
        .compare(
            "algorithm",
            &["round_robin", "oracle", "random"],
            &mut |_| {},
        )
        .unwrap();
    let arrived: Vec<&serde_json::Value> =
        reports.iter().map(|r| &r["metrics"]["arrived"]).collect();
    assert!(arrived.windows(2).all(|w| w[0] == w[1]), "{arrived:?}");
}

/// Texts that are not a value of `kind`, or are out of its range.
fn invalid_values(kind: ParamKind) -> Vec<String> {
    match kind {
        ParamKind::Int { min, max } => vec![
            (min - 1).to_string(),
            (max + 1).to_string(),
            "1.5".into(),
            "lots".into(),
            String::new(),
        ],
        ParamKind::Float { min, max } => vec![
            (min - 1.0).to_string(),
            (max * 2.0 + 1.0).to_string(),
            "NaN".into(),
            "inf".into(),
            "fast".into(),
        ],
        ParamKind::Choice(_) => vec!["no_such_thing".into(), String::new()],
        ParamKind::Bool => vec!["yes".into(), "1".into()],
        ParamKind::Text { .. } => vec![],
    }
}

#[test]
fn every_invalid_value_gets_an_error_naming_key_value_and_range() {
    for pattern in archsim_patterns::all() {
        for spec in pattern.specs() {
            for bad in invalid_values(spec.kind) {
                let mut settings = pattern.defaults();
                let err = settings
                    .set(spec.key, &bad)
                    .expect_err(&format!("{}={bad}", spec.key));
                assert_eq!(
                    err,
                    ParamError::NotAllowed {
                        key: spec.key.into(),
                        value: bad.trim().into(),
                        allowed: spec.kind.to_string(),
                    }
                );
                let message = err.to_string();
                assert!(
                    message.contains(&format!("{}={}", spec.key, bad.trim())),
                    "{message}"
                );
            }
        }
    }
}

#[test]
fn unknown_keys_and_inconsistent_values_are_named() {
    let mut exp = Experiment::resolve("load-balancing").unwrap();
    let err = exp.set("backendz", "3").unwrap_err();
    assert!(
        matches!(&err, ParamError::UnknownKey { key, allowed } if key == "backendz" && allowed.contains(&"backends"))
    );
    assert!(
        err.to_string()
            .starts_with("unknown parameter 'backendz': allowed are algorithm, backends,")
    );

    exp.set("duration", "10").unwrap();
    exp.set("warmup", "10").unwrap();
    let err = exp.validate().unwrap_err();
    assert_eq!(err.key(), "warmup");
    assert_eq!(
        err.to_string(),
        "warmup=10 is not allowed: the warm-up must be shorter than the duration (10 s)"
    );

    exp.set("warmup", "1").unwrap();
    exp.set("faults", "5:down:9").unwrap();
    assert_eq!(exp.validate().unwrap_err().key(), "faults");

    exp.set("faults", "").unwrap();
    exp.set("burst_on", "2").unwrap();
    assert_eq!(exp.validate().unwrap_err().key(), "burst_off");
}

#[test]
fn hand_built_invalid_params_are_refused_not_run() {
    let p = Params {
        backends: 0,
        ..Params::default()
    };
    let err = lb::run(&p, 1, &mut |_| {}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "backends=0 is not allowed: backends must be a whole number from 1 to 100"
    );
}

#[test]
fn every_choice_of_every_parameter_builds() {
    for pattern in archsim_patterns::all() {
        for spec in pattern.specs() {
            if let ParamKind::Choice(names) = spec.kind {
                for name in names {
                    let mut settings = pattern.defaults();
                    settings.set(spec.key, name).unwrap();
                    pattern
                        .validate(&settings)
                        .unwrap_or_else(|e| panic!("{}={name}: {e}", spec.key));
                }
            }
        }
    }
}

/// Values at and around the edges of `spec`'s range, as text: its ends,
/// just above zero, one tick of the clock for a time, and one step past each
/// end.
fn boundary_values(spec: &ParamSpec) -> Vec<String> {
    match spec.kind {
        ParamKind::Int { min, max } => {
            let mut values = vec![min - 1, min, min + 1, max - 1, max, max + 1];
            if min <= 0 && max >= 1 {
                values.push(1);
            }
            values.iter().map(i64::to_string).collect()
        }
        ParamKind::Float { min, max } => {
            let step = (max - min) / 1000.0;
            let mut values = vec![min - step, min, min + step, max - step, max, max + step];
            if min <= 0.0 {
                values.extend([1e-7, 1e-6, 1e-3]);
            }
            if let Some(per_unit) = seconds_per_unit(spec.unit) {
                // Just under one tick, and one tick, in the parameter's unit.
                values.extend([0.9e-6 / per_unit, 1e-6 / per_unit]);
            }
            values.iter().map(f64::to_string).collect()
        }
        ParamKind::Choice(_) | ParamKind::Bool | ParamKind::Text { .. } => vec![],
    }
}

/// Events per slice of a boundary run, and slices looked at: enough to see
/// the clock move, few enough for every boundary of every parameter.
const SLICE_EVENTS: u64 = 10_000;
const SLICES: usize = 3;

#[test]
fn every_boundary_value_of_every_parameter_runs_on_or_is_refused() {
    // A value is refused with a message, or its run moves its clock forward
    // over every slice of events until it ends: no value may make the model
    // handle event after event at one instant (a time that rounds to zero
    // ticks did, as a health check every 0.0000001 s).
    let mut ran = 0;
    for pattern in archsim_patterns::all() {
        for spec in pattern.specs() {
            for value in boundary_values(spec) {
                let mut experiment = Experiment::resolve(pattern.id()).unwrap();
                let accepted = experiment
                    .set(spec.key, &value)
                    .and_then(|()| experiment.validate());
                if let Err(e) = accepted {
                    // Refused: by this key or by one it does not fit with.
                    assert!(
                        pattern.specs().iter().any(|s| s.key == e.key())
                            && e.to_string().starts_with(&format!("{}=", e.key())),
                        "{e}"
                    );
                    continue;
                }
                if let Some(per_unit) = seconds_per_unit(spec.unit) {
                    let x: f64 = value.parse().unwrap();
                    assert!(
                        x == 0.0 || x * per_unit >= 1e-6,
                        "{pattern} {}={value}: a time shorter than one tick was accepted",
                        spec.key
                    );
                }
                let mut run = experiment.start().unwrap();
                let end = run.end();
                for _ in 0..SLICES {
                    let before = run.now();
                    if run.run_toward(end, SLICE_EVENTS) {
                        break;
                    }
                    assert!(
                        run.now() > before,
                        "{pattern} {}={value}: {SLICE_EVENTS} events at t = {:?} without the clock moving",
                        spec.key,
                        before
                    );
                }
                ran += 1;
            }
        }
    }
    assert!(ran > 200, "only {ran} boundary runs");
}

#[test]
fn a_time_shorter_than_one_tick_is_refused_with_the_allowed_range() {
    let mut exp = Experiment::resolve("load-balancing").unwrap();
    let err = exp.set("health_check_interval", "0.0000001").unwrap_err();
    assert_eq!(
        err.to_string(),
        "health_check_interval=0.0000001 is not allowed: health_check_interval must be 0, \
         or a time from 0.000001 s (one tick of the simulated clock) to 60 s"
    );
    exp.set("health_check_interval", "0.000001").unwrap();
    exp.set("health_check_interval", "0").unwrap();
}
