//! # archsim-tests: what the models must agree with
//!
//! Closed-form results from queueing and caching theory, and the statistics
//! to compare a handful of seeded runs with them honestly: a run's mean is a
//! random variable, so the test asks whether theory lies inside a
//! confidence interval over seeds, not whether two floats are close.
//!
//! The checks themselves live in the `suite` integration test (`suite/`),
//! one module per concern.

/// Mean time in system of an M/M/1 queue with arrival rate `lambda` and
/// service rate `mu` (requires `lambda < mu`).
pub fn mm1_mean_response(lambda: f64, mu: f64) -> f64 {
    1.0 / (mu - lambda)
}

/// The `q`-quantile of M/M/1 time in system, which is exponential with rate
/// `mu - lambda`.
pub fn mm1_response_quantile(lambda: f64, mu: f64, q: f64) -> f64 {
    -(1.0 - q).ln() / (mu - lambda)
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

/// Mean time in system when each arrival joins the shorter of `d` = 2 queues
/// chosen at random, in the limit of many servers (Mitzenmacher's supermarket
/// model): `(1/mu) Σ_{k≥1} ρ^(2^k − 2)` with `ρ = lambda / mu` per server.
pub fn supermarket_mean_response(rho: f64, mu: f64) -> f64 {
    let mut total = 0.0;
    for k in 1..64 {
        let term = rho.powf(2f64.powi(k) - 2.0);
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
    for _ in 0..200 {
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
    let occupancy = |x: f64| 1.0 - (-x).exp();
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

/// Mean and half-width of a two-sided 99% confidence interval for the mean
/// of `samples` (Student's t; at least two samples, at most 31).
pub fn mean_ci99(samples: &[f64]) -> (f64, f64) {
    // t_{0.995, n-1} for n - 1 = 1..=30.
    const T: [f64; 30] = [
        63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169, 3.106, 3.055, 3.012,
        2.977, 2.947, 2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779,
        2.771, 2.763, 2.756, 2.750,
    ];
    let n = samples.len();
    assert!((2..=31).contains(&n), "need 2 to 31 samples, got {n}");
    let mean = samples.iter().sum::<f64>() / n as f64;
    let var = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean, T[n - 2] * (var / n as f64).sqrt())
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

    #[test]
    fn confidence_interval_shrinks_with_agreement() {
        let (m, h) = mean_ci99(&[1.0, 1.0, 1.0]);
        assert_eq!((m, h), (1.0, 0.0));
        let (m, h) = mean_ci99(&[0.0, 2.0]);
        assert_eq!(m, 1.0);
        assert!((h - 63.657).abs() < 1e-9);
    }
}
