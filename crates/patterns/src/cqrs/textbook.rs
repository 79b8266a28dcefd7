//! The projector as a textbook queue: with Poisson writes and exponential
//! projection times, the events wait for it as in an M/M/1 queue, so the
//! projection lag is exponential with rate μ − λ, and a writer reading
//! back `d` after its write misses it exactly when its event's lag is
//! longer than `d`: with probability e^−(μ−λ)d. A sweep draws these beside
//! the simulated curve and says which assumption is broken where they do
//! not hold.

use super::params::{Architecture, Consistency, Params};
use crate::theory::{Expected, Prediction, mm1_response_quantile};
use archsim_core::Shape;
use libm::exp;

/// Where the lag overlay's numbers come from.
const LAG: &str = "M/M/1 time in system, exponential with rate μ − λ (Kleinrock, Queueing \
    Systems I, §3.2), the projector being the server";
/// Where the missed-own-write overlay's numbers come from.
const MISSED: &str = "P(lag > d) = e^−(μ−λ)d for M/M/1, d being the read-back delay plus the \
    two network hops from the commit to the replica (Kleinrock, Queueing Systems I, §3.2)";

/// What theory predicts for the headline number `stat` under `params`.
pub(super) fn predict(params: &Params, stat: &str) -> Option<Prediction> {
    match stat {
        "projection lag p99" => Some(rates(params).map(|(lambda, mu)| Expected {
            value: 1000.0 * mm1_response_quantile(lambda, mu, 0.99),
            source: LAG,
        })),
        "own writes missed" => Some(rates(params).and_then(|(lambda, mu)| {
            if params.consistency != Consistency::Eventual {
                return Err("only plain eventual consistency misses own writes");
            }
            let d = params.read_delay + 2.0 * params.network_delay;
            Ok(Expected {
                value: 100.0 * exp(-(mu - lambda) * d),
                source: MISSED,
            })
        })),
        _ => None,
    }
}

/// The projector's arrival and service rates, when it is the textbook's
/// M/M/1 queue; else the first assumption broken.
fn rates(p: &Params) -> Result<(f64, f64), &'static str> {
    if p.architecture != Architecture::Cqrs {
        return Err("it needs a read model apart from the write model");
    }
    if p.consistency == Consistency::Synchronous {
        return Err("views updated in the write's transaction have no lag");
    }
    if p.projection_distribution != Shape::Exponential {
        return Err("it needs exponential projection times");
    }
    if p.rebuild_at > 0.0 {
        return Err("it needs a run without a rebuild");
    }
    let (lambda, mu) = (p.write_rate, 1.0 / p.projection_mean());
    if lambda >= mu {
        return Err("it needs a projector faster than the writes");
    }
    Ok((lambda, mu))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_missed_share_falls_with_the_read_back_delay() {
        let p = |read_delay| Params {
            write_rate: 20.0,
            views: 4,
            projection_time: 0.01,
            read_delay,
            network_delay: 0.0,
            ..Params::default()
        };
        let missed = |d| predict(&p(d), "own writes missed").unwrap().unwrap().value;
        // μ − λ = 25 − 20 = 5 a second.
        assert!((missed(0.0) - 100.0).abs() < 1e-9);
        assert!((missed(0.2) - 100.0 * exp(-1.0)).abs() < 1e-9);
    }
}
