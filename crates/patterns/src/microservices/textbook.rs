//! What probability says of the shop, for the settings where it holds:
//! serial dependencies multiply their availabilities, a fan-out meets a
//! slow call with probability 1 − (1 − q)^n, and the payments service,
//! under retries at every layer above it while it is down, receives
//! (r + 1)^d tries per checkout. A sweep draws these beside the simulated
//! curve and says which assumption is broken where they do not hold.

use super::params::{Params, Paused, RetryPolicy};
use super::topology::Service;
use crate::theory::{Expected, Prediction};
use libm::pow;

/// Where the availability of serial calls comes from.
const SERIAL: &str = "independent failures in series: the page is served only if every call \
    is, with probability a^k for k calls (Trivedi, Probability and Statistics with Reliability, \
    Queuing and Computer Science Applications, 2nd ed., §3.4)";
/// Where the fan-out's share comes from.
const FANOUT: &str = "the complement of n independent calls all missing the pause: \
    1 − (1 − q)^n (Dean and Barroso, The Tail at Scale, CACM 56(2), 2013)";

/// What theory predicts for the headline number `stat` under `params`.
pub(super) fn predict(params: &Params, stat: &str) -> Option<Prediction> {
    match stat {
        "checkouts served" => Some(serial(params).map(|value| Expected {
            value: 100.0 * value,
            source: SERIAL,
        })),
        "pages meeting a pause" => Some(fanout(params).map(|value| Expected {
            value: 100.0 * value,
            source: FANOUT,
        })),
        _ => None,
    }
}

/// The share of checkouts served when every call fails independently with
/// probability 1 − a and nothing hides it.
fn serial(p: &Params) -> Result<f64, &'static str> {
    if p.retry_policy != RetryPolicy::None && p.retries > 0 {
        return Err("it needs calls that are not retried");
    }
    if p.fallback {
        return Err("it needs no fallbacks, which would hide failed calls");
    }
    if !p.faults.is_empty() || p.decline_share > 0.0 {
        return Err("it needs no faults and no declined cards");
    }
    if p.call_timeout > 0.0 || p.circuit_breaker == super::params::Switch::On || p.bulkheads {
        return Err("it needs no timeouts, breakers or bulkheads, which fail calls of their own");
    }
    // A checkout calls the gateway, orders, shipping, recommendations and
    // inventory for each of their stock lookups, then inventory and
    // payments for the order; a monolith is one call.
    let calls = if p.split() {
        6.0 + f64::from(p.fanout)
    } else {
        1.0
    };
    Ok(pow(p.service_availability, calls))
}

/// The share of browse pages that meet a pause of inventory's runtime.
fn fanout(p: &Params) -> Result<f64, &'static str> {
    if p.paused_service != Paused::Service(Service::Inventory) {
        return Err("it needs pauses in inventory, which the fan-out calls");
    }
    if !p.split() {
        return Err("a monolith's one runtime pauses every function of the page");
    }
    if p.retry_policy != RetryPolicy::None && p.retries > 0 {
        return Err("it needs calls that are not retried");
    }
    Ok(1.0 - pow(1.0 - p.pause_share, f64::from(p.fanout)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkout_of_services_makes_six_calls_and_its_lookups() {
        let p = Params {
            service_availability: 0.9,
            fallback: false,
            call_timeout: 0.0,
            fanout: 3,
            ..Params::default()
        };
        let served = |p: &Params| predict(p, "checkouts served").unwrap().unwrap().value;
        assert!((served(&p) - 100.0 * 0.9f64.powi(9)).abs() < 1e-9);
        let monolith = Params {
            architecture: super::super::params::Architecture::Monolith,
            ..p.clone()
        };
        assert!((served(&monolith) - 90.0).abs() < 1e-9);
        // Fallbacks hide failed calls: no prediction, and why.
        let hidden = Params {
            fallback: true,
            ..p
        };
        assert!(predict(&hidden, "checkouts served").unwrap().is_err());
    }
}
