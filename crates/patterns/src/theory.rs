//! What the models must agree with: closed-form results of queueing and
//! caching theory, for the settings under which each holds exactly or
//! nearly. The tests check the models against them over seed sweeps; a
//! sweep on the site draws them beside the simulated curve, so a reader
//! sees where a model follows the textbook and where it leaves it.
//!
//! A pattern says which of its headline numbers theory predicts, and for
//! which settings, through [`Expected`]: a value and the result it comes
//! from, or why no result applies (service times that are not
//! exponential, say).

use libm::{exp, log};

/// What theory predicts for one headline number under one set of
/// parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Expected {
    /// The value, in the unit of the headline number.
    pub value: f64,
    /// The result it comes from, and where to read it.
    pub source: &'static str,
}

/// What theory says of a headline number: a prediction, or why none of
/// the pattern's results holds for these settings.
pub type Prediction = Result<Expected, &'static str>;

/// Mean time in system of an M/M/1 queue with arrival rate `lambda` and
/// service rate `mu` (requires `lambda < mu`).
pub fn mm1_mean_response(lambda: f64, mu: f64) -> f64 {
    1.0 / (mu - lambda)
}

/// The `q`-quantile of M/M/1 time in system, which is exponential with rate
/// `mu - lambda`.
pub fn mm1_response_quantile(lambda: f64, mu: f64, q: f64) -> f64 {
    -log(1.0 - q) / (mu - lambda)
}

/// Erlang's C formula: the probability that an arrival to an M/M/c queue with
/// offered load `a = lambda / mu` waits.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let rho = a / f64::from(c);
    // Sum a^k / k! for k < c, computed incrementally to stay stable.
    let mut term = 1.0;
    let mut sum = 0.0;
    for k in 0..c {
        sum += term;
        term *= a / f64::from(k + 1);
    }
    // `term` is now a^c / c!.
    let top = term / (1.0 - rho);
    top / (sum + top)
}

/// Mean time in system of an M/M/c queue.
pub fn mmc_mean_response(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    erlang_c(c, a) / (f64::from(c) * mu - lambda) + 1.0 / mu
}

/// The probability that a request spends longer than `t` in an M/M/c
/// queue served first come, first served: it waits with probability C
/// (Erlang C), then exponentially with rate `cμ − λ`, and is served
/// exponentially with rate `μ` (Kleinrock, *Queueing Systems* I, 1975,
/// §3.5); the sum of two exponentials has the hypoexponential tail.
fn mmc_response_tail(lambda: f64, mu: f64, c: u32, t: f64) -> f64 {
    let waits = erlang_c(c, lambda / mu);
    let theta = f64::from(c) * mu - lambda;
    let served = exp(-mu * t);
    let waited_then_served = if (theta - mu).abs() < 1e-12 * mu {
        (1.0 + mu * t) * served
    } else {
        (theta * served - mu * exp(-theta * t)) / (theta - mu)
    };
    (1.0 - waits) * served + waits * waited_then_served
}

/// The `q`-quantile of M/M/c time in system (requires `lambda < c mu`),
/// by bisection on its tail.
pub fn mmc_response_quantile(lambda: f64, mu: f64, c: u32, q: f64) -> f64 {
    let beyond = 1.0 - q;
    let mut hi = 1.0 / mu;
    while mmc_response_tail(lambda, mu, c, hi) > beyond {
        hi *= 2.0;
    }
    let mut lo = 0.0;
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if mmc_response_tail(lambda, mu, c, mid) > beyond {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// The probability that an M/M/c queue holds at least `k` requests
/// waiting: `C ρ^k`. Where it is negligible, a queue of `k` places
/// behaves as an unbounded one.
pub fn mmc_queue_at_least(lambda: f64, mu: f64, c: u32, k: u32) -> f64 {
    let rho = lambda / (f64::from(c) * mu);
    erlang_c(c, lambda / mu) * rho.powi(k.min(i32::MAX as u32) as i32)
}

/// Mean time in system when each arrival joins the shorter of `d` = 2 queues
/// chosen at random, in the limit of many servers (Mitzenmacher's supermarket
/// model): `(1/mu) Σ_{k≥1} ρ^(2^k − 2)` with `ρ = lambda / mu` per server.
pub fn supermarket_mean_response(rho: f64, mu: f64) -> f64 {
    let mut total = 0.0;
    for k in 1..64 {
        let term = libm::pow(rho, libm::pow(2.0, f64::from(k)) - 2.0);
        total += term;
        if term < 1e-15 {
            break;
        }
    }
    total / mu
}

/// The characteristic time `T` of a cache of `capacity` items under the
/// independent reference model with key probabilities `p`: the root of
/// `Σ_k occupancy(p_k T) = capacity`, by bisection (`occupancy` increasing).
fn characteristic_time(p: &[f64], capacity: f64, occupancy: impl Fn(f64) -> f64) -> f64 {
    let filled = |t: f64| p.iter().map(|&q| occupancy(q * t)).sum::<f64>();
    let (mut lo, mut hi) = (0.0, 1.0);
    while filled(hi) < capacity {
        hi *= 2.0;
    }
    // Sixty halvings leave the bracket 2^-60 of its width: far below any
    // difference a hit ratio shows.
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if filled(mid) < capacity {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

/// Che's approximation of an LRU cache's hit ratio under independent
/// requests with key probabilities `p` (summing to 1) and room for
/// `capacity` items (fewer than the keys): a key stays cached for the
/// characteristic time `T` after its last request, where
/// `Σ_k (1 − e^{−p_k T}) = capacity`, so it hits with probability
/// `1 − e^{−p_k T}` (Che, Tung and Wang, 2002; Fricker, Robert and Roberts,
/// 2012).
pub fn che_lru_hit_ratio(p: &[f64], capacity: f64) -> f64 {
    let occupancy = |x: f64| 1.0 - exp(-x);
    let t = characteristic_time(p, capacity, occupancy);
    p.iter().map(|&q| q * occupancy(q * t)).sum()
}

/// The same approximation for FIFO and random eviction, which under
/// independent requests have the same hit ratio: a key is cached with
/// probability `p_k T / (1 + p_k T)`, with `T` fixed by the capacity
/// (Gelenbe, 1973; Fricker, Robert and Roberts, 2012).
pub fn fifo_hit_ratio(p: &[f64], capacity: f64) -> f64 {
    let occupancy = |x: f64| x / (1.0 + x);
    let t = characteristic_time(p, capacity, occupancy);
    p.iter().map(|&q| q * occupancy(q * t)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_matches_known_values() {
        // One server: the probability of waiting is the utilisation.
        assert!((erlang_c(1, 0.8) - 0.8).abs() < 1e-12);
        // Two servers at a = 1: C = (1/2 / (1/2)) / (1 + 1 + 1) = 1/3.
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        // M/M/1 as the c = 1 case of M/M/c.
        assert!((mmc_mean_response(8.0, 10.0, 1) - mm1_mean_response(8.0, 10.0)).abs() < 1e-12);
    }

    #[test]
    fn mmc_quantiles_reduce_to_mm1_and_grow_with_load() {
        for q in [0.5, 0.9, 0.99] {
            let (one, closed) = (
                mmc_response_quantile(80.0, 100.0, 1, q),
                mm1_response_quantile(80.0, 100.0, q),
            );
            assert!(
                (one - closed).abs() < 1e-9 * closed,
                "q {q}: {one} vs {closed}"
            );
        }
        // With no waiting at all the time in system is the service time.
        let idle = mmc_response_quantile(0.001, 10.0, 8, 0.5);
        assert!((idle - log(2.0) / 10.0).abs() < 1e-6, "{idle}");
        // θ = cμ − λ = μ: the repeated-root form.
        let equal = mmc_response_quantile(10.0, 10.0, 2, 0.99);
        assert!(equal > log(100.0) / 10.0, "{equal}");
        assert!(
            mmc_response_quantile(180.0, 100.0, 2, 0.99)
                > mmc_response_quantile(150.0, 100.0, 2, 0.99)
        );
        assert!(mmc_queue_at_least(80.0, 100.0, 1, 100) < 1e-9);
        assert!((mmc_queue_at_least(80.0, 100.0, 1, 1) - 0.64).abs() < 1e-12);
    }

    #[test]
    fn supermarket_limit_matches_mitzenmacher() {
        // Mitzenmacher (2001), table 1: d = 2, λ = 0.9 gives about 2.61.
        assert!((supermarket_mean_response(0.9, 1.0) - 2.6135).abs() < 1e-3);
        // Far better than a single M/M/1 queue at the same load (10).
        assert!(supermarket_mean_response(0.9, 1.0) < mm1_mean_response(0.9, 1.0) / 3.0);
    }

    #[test]
    fn cache_approximations_are_exact_at_the_edges_and_ordered_between() {
        // Uniform popularity: any policy holds C of N keys, hit ratio C / N.
        let uniform = vec![0.01; 100];
        assert!((che_lru_hit_ratio(&uniform, 25.0) - 0.25).abs() < 1e-9);
        assert!((fifo_hit_ratio(&uniform, 25.0) - 0.25).abs() < 1e-9);
        // Skewed popularity: LRU beats FIFO, and neither beats holding the
        // top C keys.
        let weights: Vec<f64> = (1..=1000).map(|k| 1.0 / f64::from(k)).collect();
        let total: f64 = weights.iter().sum();
        let p: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let top: f64 = p[..100].iter().sum();
        let (lru, fifo) = (che_lru_hit_ratio(&p, 100.0), fifo_hit_ratio(&p, 100.0));
        assert!(fifo < lru && lru < top, "fifo {fifo}, lru {lru}, top {top}");
    }
}
