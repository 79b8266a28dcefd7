//! The load-balancing model against queueing theory.
//!
//! Each check runs a handful of seeds with exponential service, no network
//! delay, no health checks and queues too long to overflow, so that the
//! model is exactly the textbook queue; warm-up is excluded. Theory must lie
//! inside the 99% confidence interval of the per-seed means, widened by a
//! small allowance for what no finite run removes (start-up bias, the
//! histogram's 0.4% quantile resolution, a finite fleet in a limit theorem).

use super::{lb_params, lb_run};
use archsim_patterns::load_balancing::Report;
use archsim_tests::{
    mean_ci99, mm1_mean_response, mm1_response_quantile, mmc_mean_response,
    supermarket_mean_response,
};

const SEEDS: [u64; 8] = [1, 2, 3, 4, 5, 6, 7, 8];

/// The textbook set-up: nothing but queues.
const TEXTBOOK: [(&str, &str); 6] = [
    ("network_delay", "0"),
    ("health_check_interval", "0"),
    ("queue_capacity", "10000"),
    ("service_distribution", "exponential"),
    ("duration", "400"),
    ("warmup", "40"),
];

fn runs(sets: &[(&str, &str)]) -> Vec<Report> {
    let all: Vec<(&str, &str)> = TEXTBOOK.iter().chain(sets).copied().collect();
    let params = lb_params(&all);
    SEEDS.iter().map(|&seed| lb_run(&params, seed)).collect()
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

/// Nothing was lost, so every arrival is in the latency statistics and
/// Little's law applies: L = λW over the measured window.
fn check_littles_law(r: &Report) {
    assert_eq!(r.rejected + r.failed + r.timed_out, 0);
    let lambda_w = r.offered_rate * r.latency.mean;
    let rel = (r.mean_in_system - lambda_w).abs() / lambda_w;
    assert!(
        rel < 0.02,
        "Little's law: L = {:.4}, λW = {lambda_w:.4}",
        r.mean_in_system
    );
}

#[test]
fn random_routing_over_single_worker_backends_is_independent_mm1_queues() {
    // 4 backends, 320 req/s in all: each sees Poisson 80 req/s against 100.
    let (lambda, mu) = (80.0, 100.0);
    let reports = runs(&[
        ("algorithm", "random"),
        ("backends", "4"),
        ("workers", "1"),
        ("arrival_rate", "320"),
        ("service_rate", "100"),
    ]);
    reports.iter().for_each(check_littles_law);
    let means: Vec<f64> = reports.iter().map(|r| r.latency.mean).collect();
    agrees(
        "M/M/1 mean response",
        &means,
        mm1_mean_response(lambda, mu),
        0.01,
    );
    let p99: Vec<f64> = reports.iter().map(|r| r.latency.p99).collect();
    agrees(
        "M/M/1 p99 response",
        &p99,
        mm1_response_quantile(lambda, mu, 0.99),
        0.01,
    );
    // Each backend is busy λ/μ of the time.
    for r in &reports {
        for b in &r.backends {
            assert!(
                (b.utilisation - 0.8).abs() < 0.03,
                "utilisation {}",
                b.utilisation
            );
        }
    }
}

#[test]
fn one_backend_with_c_workers_is_mmc_erlang_c() {
    // c = 4 workers at 25 req/s each, 80 req/s: ρ = 0.8.
    let (lambda, mu, c) = (80.0, 25.0, 4);
    let reports = runs(&[
        ("backends", "1"),
        ("workers", "4"),
        ("arrival_rate", "80"),
        ("service_rate", "25"),
    ]);
    reports.iter().for_each(check_littles_law);
    let means: Vec<f64> = reports.iter().map(|r| r.latency.mean).collect();
    agrees(
        "M/M/4 mean response",
        &means,
        mmc_mean_response(lambda, mu, c),
        0.01,
    );
}

#[test]
fn power_of_two_choices_approaches_the_supermarket_limit() {
    // 50 backends at ρ = 0.9: far from M/M/1's 10/μ, close to the limit.
    let (rho, mu) = (0.9, 10.0);
    let reports = runs(&[
        ("algorithm", "power_of_two"),
        ("backends", "50"),
        ("arrival_rate", "450"),
        ("service_rate", "10"),
        ("duration", "300"),
        ("warmup", "50"),
    ]);
    reports.iter().for_each(check_littles_law);
    let means: Vec<f64> = reports.iter().map(|r| r.latency.mean).collect();
    // A finite fleet sits slightly above the N → ∞ limit (Mitzenmacher
    // reports about 2% at N = 100); allow 5%.
    agrees(
        "power-of-two mean response",
        &means,
        supermarket_mean_response(rho, mu),
        0.05,
    );
    let (mean, _) = mean_ci99(&means);
    assert!(mean < mm1_mean_response(rho * mu, mu) / 3.0);
}

/// A sweep draws the textbook curve: random routing over one backend with
/// one worker is an M/M/1 queue at every arrival rate, so its mean response
/// is 1/(μ − λ) (Kleinrock, *Queueing Systems* I, 1975, eq. 3.26) at every
/// point. Each point's 95% interval comes from the sweep; five points each
/// tested at 95% would miss somewhere one time in four by chance alone, so
/// each is widened to 99% (Bonferroni: the five together at 95%), by the
/// ratio of Student's quantiles, plus the 1% allowance above.
#[test]
fn a_sweep_of_arrival_rate_follows_the_mm1_curve() {
    use archsim_patterns::Experiment;
    use archsim_patterns::sweep::{Axis, Lines, Sweep};
    let mut exp = Experiment::resolve("load-balancing").unwrap();
    for (key, value) in TEXTBOOK.iter().chain(&[
        ("algorithm", "random"),
        ("backends", "1"),
        ("workers", "1"),
        ("service_rate", "100"),
    ]) {
        exp.set(key, value).unwrap();
    }
    exp.set_seed(1);
    let seeds = SEEDS.len();
    let sweep = Sweep::plan(
        &exp,
        Axis::parse("arrival_rate=20..80:5", false).unwrap(),
        Lines::default(),
        vec!["latency.mean".into()],
        seeds,
    )
    .unwrap();
    let reports: Vec<_> = sweep
        .runs()
        .into_iter()
        .map(|id| sweep.run(id).unwrap())
        .collect();
    let metrics: Vec<_> = reports.iter().map(|r| &r["metrics"]).collect();
    let curve = &sweep.curves(&metrics).unwrap()[0];
    // t(0.995, 7) / t(0.975, 7): a 99% interval from a 95% one, 8 seeds.
    const { assert!(SEEDS.len() == 8) };
    let widen = 3.4995 / 2.3646;
    assert_eq!(curve.points.len(), 5);
    for p in &curve.points {
        let theory = mm1_mean_response(p.x, 100.0);
        let slack = p.half_width.expect("8 seeds draw a band") * widen + 0.01 * theory;
        println!(
            "λ = {}: simulated {:.5} ± {slack:.5}, theory {theory:.5}",
            p.x, p.mean
        );
        assert!(
            (p.mean - theory).abs() <= slack,
            "λ = {}: simulated {:.5}, theory {theory:.5} (allowed ±{slack:.5})",
            p.x,
            p.mean
        );
    }
}
