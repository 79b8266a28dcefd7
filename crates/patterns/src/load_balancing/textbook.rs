//! The balancer as a textbook queue: when arrivals are Poisson, service is
//! exponential and each backend receives an independent share of the
//! arrivals, every backend is an M/M/c queue, and its latency percentiles
//! follow from Erlang C. This is what a sweep draws beside the simulated
//! curve, and where it does not hold, it says which assumption is broken.

use super::params::{Algorithm, Params};
use crate::theory::{Expected, Prediction, mmc_queue_at_least, mmc_response_quantile};
use archsim_core::Shape;

/// Where the overlay's numbers come from.
const SOURCE: &str =
    "M/M/c time in system with Erlang C waiting (Kleinrock, Queueing Systems I, §3.5)";

/// A queue this likely to be full at an arrival is not the unbounded
/// queue of the textbook.
const FULL_QUEUE: f64 = 1e-3;

/// What theory predicts for the headline number `stat` under `params`.
pub(super) fn predict(params: &Params, stat: &str) -> Option<Prediction> {
    let q = match stat {
        "p50 latency" => 0.5,
        "p99 latency" => 0.99,
        _ => return None,
    };
    Some(per_backend(params).map(|lambda| {
        let mu = params.service_rate;
        // The delay each way is fixed: it adds to every request alike.
        let network = 2.0 * params.network_delay;
        Expected {
            value: 1000.0 * (mmc_response_quantile(lambda, mu, params.workers, q) + network),
            source: SOURCE,
        }
    }))
}

/// The arrival rate each backend sees when the set-up is the textbook's,
/// else the first assumption it breaks.
fn per_backend(p: &Params) -> Result<f64, &'static str> {
    if p.service_distribution != Shape::Exponential {
        return Err("it needs exponential service times");
    }
    if p.speed_spread > 0.0 {
        return Err("it needs backends of one speed");
    }
    if p.backends > 1 && p.algorithm != Algorithm::Random {
        return Err(
            "it needs random routing (or one backend): other algorithms do not split the arrivals into independent Poisson streams",
        );
    }
    if p.sticky_sessions {
        return Err("it needs sessions that are not sticky");
    }
    if p.burst_on > 0.0 {
        return Err("it needs steady Poisson arrivals, not bursts");
    }
    if p.timeout > 0.0 {
        return Err("it needs clients that never time out");
    }
    if !p.faults.is_empty() {
        return Err("it needs a run without faults");
    }
    if p.regions > 1 && p.region_delay > 0.0 {
        return Err("it needs one region");
    }
    let lambda = p.arrival_rate / f64::from(p.backends);
    if lambda >= f64::from(p.workers) * p.service_rate {
        return Err("the backends are overloaded (λ ≥ cμ), so no queue settles");
    }
    if mmc_queue_at_least(lambda, p.service_rate, p.workers, p.queue_capacity) > FULL_QUEUE {
        return Err("its queues are unbounded, and these fill too often");
    }
    Ok(lambda)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn textbook() -> Params {
        Params {
            algorithm: Algorithm::Random,
            network_delay: 0.0,
            ..Params::default()
        }
    }

    #[test]
    fn random_routing_over_single_workers_is_mm1() {
        // 300 req/s over 4 backends: 75 req/s against 100 each.
        let p99 = predict(&textbook(), "p99 latency").unwrap().unwrap().value;
        let mm1 = 1000.0 * crate::theory::mm1_response_quantile(75.0, 100.0, 0.99);
        assert!((p99 - mm1).abs() < 1e-6 * mm1, "{p99} vs {mm1}");
        let delayed = Params {
            network_delay: 0.002,
            ..textbook()
        };
        let with_delay = predict(&delayed, "p99 latency").unwrap().unwrap().value;
        assert!((with_delay - p99 - 4.0).abs() < 1e-6);
        assert_eq!(predict(&textbook(), "load imbalance"), None);
    }

    #[test]
    fn a_broken_assumption_is_named() {
        let why = |p: Params| predict(&p, "p50 latency").unwrap().unwrap_err();
        assert!(why(Params::default()).contains("random routing"));
        let lognormal = Params {
            service_distribution: Shape::LogNormal,
            ..textbook()
        };
        assert!(why(lognormal).contains("exponential"));
        let overloaded = Params {
            arrival_rate: 500.0,
            ..textbook()
        };
        assert!(why(overloaded).contains("overloaded"));
        let short = Params {
            arrival_rate: 390.0,
            queue_capacity: 5,
            ..textbook()
        };
        assert!(why(short).contains("fill"));
    }
}
