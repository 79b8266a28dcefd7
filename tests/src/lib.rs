//! # archsim-tests: what the models must agree with
//!
//! Closed-form results from queueing and caching theory (re-exported from
//! [`archsim_patterns::theory`], where the site's sweeps read them too),
//! and the statistics to compare a handful of seeded runs with them honestly: a run's mean is a
//! random variable, so the test asks whether theory lies inside a
//! confidence interval over seeds, not whether two floats are close.
//!
//! The checks themselves live in the `suite` integration test (`suite/`),
//! one module per concern.

pub use archsim_patterns::theory::{
    che_lru_hit_ratio, erlang_c, fifo_hit_ratio, mm1_mean_response, mm1_response_quantile,
    mmc_mean_response, mmc_response_quantile, supermarket_mean_response,
};

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
    fn confidence_interval_shrinks_with_agreement() {
        let (m, h) = mean_ci99(&[1.0, 1.0, 1.0]);
        assert_eq!((m, h), (1.0, 0.0));
        let (m, h) = mean_ci99(&[0.0, 2.0]);
        assert_eq!(m, 1.0);
        assert!((h - 63.657).abs() < 1e-9);
    }
}
