//! Native and wasm runs of the same experiment are bit-identical, and so
//! are the curves of a sweep of them.
//!
//! This one file is compiled twice: natively by `cargo test -p archsim-web`
//! and for `wasm32-unknown-unknown`, where wasm-bindgen-test-runner runs it
//! in headless Chromium. Both builds check the same pinned digests, so when
//! both pass, the two platforms produced the very same report, byte for
//! byte — including the floating-point latency percentiles, EWMAs,
//! log-normal service times and Zipf tables, where a platform's
//! `ln`/`exp`/`pow` could differ by an ulp.
//!
//! A digest is a 64-bit FNV-1a of the report's metrics as JSON (what
//! `archsim run --format json` prints under `metrics`). If a
//! model change moves the numbers on purpose, run this natively, and copy
//! the new digests the failure prints into [`CASES`]; the wasm run must then
//! agree without being touched.

use archsim_core::SimTime;
use archsim_patterns::{Experiment, Shared};
use serde_json::Value;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// One pinned run: a link (preset and query) and its report's digest.
struct Case {
    preset: &'static str,
    query: &'static str,
    digest: u64,
}

/// The pinned runs. Each exercises different arithmetic: health checks and
/// a fault schedule; log-normal services with peak-EWMA scoring on an uneven
/// fleet; random choice with round trips across regions; Zipf keys through
/// a cache with TTL jitter; a sharded table with scatter-gather queries;
/// consumers crashing, rebalancing and redelivering money events; brokers
/// copying records and electing leaders; reads waiting for their version.
const CASES: &[Case] = &[
    Case {
        preset: "lb-health-checks",
        query: "seed=5",
        digest: 0x70f6_116b_c242_761d,
    },
    Case {
        preset: "lb-server-load",
        query: "algorithm=peak_ewma&duration=30&warmup=5",
        digest: 0x078c_e1b6_76c4_918e,
    },
    Case {
        preset: "lb-geography",
        query: "algorithm=random&seed=77&duration=20&warmup=2",
        digest: 0xc0de_44d0_a051_a1f8,
    },
    Case {
        preset: "cache-jitter",
        query: "seed=9",
        digest: 0x458b_10c0_dad9_c019,
    },
    Case {
        preset: "shard-scatter-gather",
        query: "seed=9",
        digest: 0x5844_4b78_d144_6a80,
    },
    Case {
        preset: "eda-exactly-once",
        query: "delivery=at_least_once&seed=9",
        digest: 0x45fe_5a5c_e3fb_0bf6,
    },
    Case {
        preset: "eda-brokers",
        query: "acks=all&seed=9",
        digest: 0x1e91_b6b4_44cf_0d26,
    },
    Case {
        preset: "ms-transactions",
        query: "transaction=saga&seed=9",
        digest: 0xf070_7fc1_22e4_4ec2,
    },
    Case {
        preset: "ms-retry-storm",
        query: "retry_policy=budget&seed=9",
        digest: 0x5aff_2719_5a85_d28d,
    },
    Case {
        preset: "ms-release-train",
        query: "architecture=monolith&seed=9",
        digest: 0x314a_6556_c517_54e2,
    },
    Case {
        preset: "cqrs-consistency",
        query: "consistency=version_token&write_rate=20&seed=9",
        digest: 0x5bb6_6b7d_4a8d_0fcf,
    },
];

/// 64-bit FNV-1a.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The link's experiment, exactly as the playground decodes it.
fn decode(case: &Case) -> Experiment {
    let (shared, problems) =
        Shared::decode(case.preset, case.query).unwrap_or_else(|e| panic!("{}: {e}", case.preset));
    assert!(
        problems.is_empty(),
        "{}?{}: {problems:?}",
        case.preset,
        case.query
    );
    shared.experiment
}

fn digest(metrics: &Value) -> (u64, String) {
    let json = serde_json::to_string(metrics).expect("a report serialises");
    (fnv1a(json.as_bytes()), json)
}

/// Run every case to its end, as the CLI does, and compare with the pins.
fn check_pinned_digests() {
    let mut wrong = Vec::new();
    for case in CASES {
        let experiment = decode(case);
        let report = experiment.run(&mut |_| {}).expect("valid params run");
        let metrics = &report["metrics"];
        // A pattern's first headline column counts what arrived: requests,
        // events, writes.
        let (_, arrivals) = experiment.pattern().headline()[0];
        let arrived = metrics
            .pointer(arrivals)
            .and_then(Value::as_u64)
            .expect("every report counts arrivals");
        assert!(
            arrived > 1_000,
            "{}: too small a run to prove much",
            case.preset
        );
        let (got, json) = digest(metrics);
        if got != case.digest {
            wrong.push(format!(
                "{}?{}: digest {got:#018x}, pinned {:#018x} (arrived {arrived}, {} bytes of JSON, starting {})",
                case.preset,
                case.query,
                case.digest,
                json.len(),
                &json[..json.len().min(160)],
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "on {}: reports differ from the pinned digests:\n{}",
        std::env::consts::ARCH,
        wrong.join("\n")
    );
}

/// The playground advances a run in frame-sized slices (and one event at a
/// time with Step): the report at the end must not depend on the slicing.
fn check_slices_do_not_matter() {
    for case in CASES {
        let experiment = decode(case);
        let mut whole = experiment.start().expect("builds");
        whole.run_until(whole.end());

        let mut run = experiment.start().expect("builds");
        let end = run.end();
        // A few single steps, then 60 frames a second at 10× speed.
        for _ in 0..25 {
            run.step();
        }
        let frame = SimTime::from_micros(1_000_000 / 6);
        let mut t = run.now();
        while t < end {
            t = (t + frame).min(end);
            run.run_until(t);
        }
        assert!(
            run.dashboard() == whole.dashboard(),
            "{}: slicing the run changed what the page shows",
            case.preset
        );
    }
}

/// A sweep's curves, pinned like the runs: three points of
/// `lb-server-load`'s arrival rate, two algorithms, three seeds, two
/// metrics. Its digest is of every point's mean and interval, bit for bit.
const SWEEP_DIGEST: u64 = 0xcfc3_4f2b_4874_bd53;

fn check_sweep_digest() {
    use archsim_patterns::sweep::{Axis, Lines, Sweep};
    let mut experiment = Experiment::resolve("lb-server-load").expect("a preset");
    for (key, value) in [("duration", "10"), ("warmup", "2")] {
        experiment.set(key, value).expect("valid");
    }
    let lines = Lines {
        key: "algorithm".into(),
        values: vec!["round_robin".into(), "peak_ewma".into()],
    };
    let axis = Axis::parse("arrival_rate=100..700:3", false).expect("a range");
    let metrics = vec!["latency.p99".into(), "throughput".into()];
    let sweep = Sweep::plan(&experiment, axis, lines, metrics, 3).expect("a valid sweep");
    let reports: Vec<Value> = sweep
        .runs()
        .into_iter()
        .map(|id| sweep.run(id).expect("runs"))
        .collect();
    let of_runs: Vec<&Value> = reports.iter().map(|r| &r["metrics"]).collect();
    let curves = sweep.curves(&of_runs).expect("its metrics exist");
    let mut bits = Vec::new();
    for c in &curves {
        bits.extend_from_slice(c.line.as_bytes());
        bits.extend_from_slice(c.metric.as_bytes());
        for p in &c.points {
            for x in [p.x, p.mean, p.half_width.unwrap_or(f64::NAN)] {
                bits.extend_from_slice(&x.to_bits().to_le_bytes());
            }
        }
    }
    let got = fnv1a(&bits);
    assert_eq!(
        got,
        SWEEP_DIGEST,
        "on {}: the sweep's digest is {got:#018x}, pinned {SWEEP_DIGEST:#018x}: {curves:?}",
        std::env::consts::ARCH
    );
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    #[test]
    fn a_sweep_matches_its_pinned_digest() {
        super::check_sweep_digest();
    }

    #[test]
    fn reports_match_the_pinned_digests() {
        super::check_pinned_digests();
    }

    #[test]
    fn slices_do_not_matter() {
        super::check_slices_do_not_matter();
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_sweep_matches_its_pinned_digest() {
        super::check_sweep_digest();
    }

    #[wasm_bindgen_test]
    fn reports_match_the_pinned_digests() {
        super::check_pinned_digests();
    }

    #[wasm_bindgen_test]
    fn slices_do_not_matter() {
        super::check_slices_do_not_matter();
    }
}
