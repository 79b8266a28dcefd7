//! Random durations for arrivals and service times.
//!
//! Every distribution is parameterised by its **mean**, so a user can change
//! how variable a workload is without changing how much work it carries: the
//! offered load stays put while the tail grows. Variability is given as the
//! coefficient of variation (`cv` = standard deviation / mean) where the
//! family allows it.
//!
//! All arithmetic goes through `libm`, so a draw is bit-identical natively and
//! in wasm.

use crate::rng::Rng;
use crate::time::SimTime;
use crate::ziggurat::standard_exponential;
use std::fmt;

/// The shape of a random duration, by name. Pair it with a mean (and a `cv`
/// for the shapes that take one) to get a [`Distribution`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Shape {
    /// Memoryless: cv = 1. The textbook M in M/M/1.
    Exponential,
    /// Always exactly the mean: cv = 0.
    Deterministic,
    /// Uniform on `[0, 2 × mean]`: cv = 1/√3.
    Uniform,
    /// Log-normal with the given cv: many small values, a long right tail.
    #[cfg_attr(feature = "serde", serde(rename = "lognormal"))]
    LogNormal,
    /// Pareto (power law) with the given cv: the heaviest tail here.
    Pareto,
}

impl Shape {
    /// Every shape, in the order shown to people.
    pub const ALL: [Shape; 5] = [
        Shape::Exponential,
        Shape::Deterministic,
        Shape::Uniform,
        Shape::LogNormal,
        Shape::Pareto,
    ];

    /// The name used in parameters, URLs and the CLI.
    pub const fn name(self) -> &'static str {
        match self {
            Shape::Exponential => "exponential",
            Shape::Deterministic => "deterministic",
            Shape::Uniform => "uniform",
            Shape::LogNormal => "lognormal",
            Shape::Pareto => "pareto",
        }
    }

    /// Whether the shape's variability is set by a cv (otherwise it is fixed).
    pub const fn takes_cv(self) -> bool {
        matches!(self, Shape::LogNormal | Shape::Pareto)
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A distribution of non-negative durations with a given mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Distribution {
    /// Exponential with this mean (seconds).
    Exponential {
        /// Mean in seconds.
        mean: f64,
    },
    /// Always this value (seconds).
    Deterministic {
        /// The value in seconds.
        mean: f64,
    },
    /// Uniform on `[0, 2 × mean]`.
    Uniform {
        /// Mean in seconds.
        mean: f64,
    },
    /// Log-normal: `exp(N(mu, sigma²))`, fitted to a mean and cv.
    LogNormal {
        /// Location of the underlying normal.
        mu: f64,
        /// Scale of the underlying normal.
        sigma: f64,
    },
    /// Pareto with minimum `scale` and tail index `alpha` (> 2, so the
    /// variance is finite and the cv is meaningful).
    Pareto {
        /// The smallest value, in seconds.
        scale: f64,
        /// Tail index: smaller is heavier.
        alpha: f64,
    },
}

impl Distribution {
    /// The distribution of `shape` with `mean` seconds and, for the shapes
    /// that take one, coefficient of variation `cv` (> 0).
    pub fn new(shape: Shape, mean: f64, cv: f64) -> Self {
        match shape {
            Shape::Exponential => Distribution::Exponential { mean },
            Shape::Deterministic => Distribution::Deterministic { mean },
            Shape::Uniform => Distribution::Uniform { mean },
            Shape::LogNormal => {
                // E[X] = exp(mu + sigma²/2), cv² = exp(sigma²) - 1.
                let sigma2 = libm::log1p(cv * cv);
                Distribution::LogNormal {
                    mu: libm::log(mean) - sigma2 / 2.0,
                    sigma: libm::sqrt(sigma2),
                }
            }
            Shape::Pareto => {
                // cv² = 1 / (alpha (alpha - 2))  =>  alpha = 1 + sqrt(1 + 1/cv²);
                // E[X] = scale · alpha / (alpha - 1).
                let alpha = 1.0 + libm::sqrt(1.0 + 1.0 / (cv * cv));
                Distribution::Pareto {
                    scale: mean * (alpha - 1.0) / alpha,
                    alpha,
                }
            }
        }
    }

    /// The mean, in seconds.
    pub fn mean(&self) -> f64 {
        match *self {
            Distribution::Exponential { mean }
            | Distribution::Deterministic { mean }
            | Distribution::Uniform { mean } => mean,
            Distribution::LogNormal { mu, sigma } => libm::exp(mu + sigma * sigma / 2.0),
            Distribution::Pareto { scale, alpha } => scale * alpha / (alpha - 1.0),
        }
    }

    /// One draw, in seconds.
    pub fn sample_secs(&self, rng: &mut Rng) -> f64 {
        match *self {
            Distribution::Exponential { mean } => mean * standard_exponential(rng),
            Distribution::Deterministic { mean } => mean,
            Distribution::Uniform { mean } => 2.0 * mean * rng.unit(),
            Distribution::LogNormal { mu, sigma } => libm::exp(mu + sigma * standard_normal(rng)),
            Distribution::Pareto { scale, alpha } => {
                scale / libm::pow(rng.unit_open_low(), 1.0 / alpha)
            }
        }
    }

    /// One draw, rounded to the clock's microsecond.
    pub fn sample(&self, rng: &mut Rng) -> SimTime {
        SimTime::from_secs_f64(self.sample_secs(rng))
    }
}

/// A standard normal draw (Box–Muller; one of the pair is discarded so the
/// generator holds no hidden state between calls).
fn standard_normal(rng: &mut Rng) -> f64 {
    let u1 = rng.unit_open_low();
    let u2 = rng.unit();
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sample mean and cv of `n` draws.
    fn moments(d: Distribution, n: usize) -> (f64, f64) {
        let mut rng = Rng::new(11);
        let xs: Vec<f64> = (0..n).map(|_| d.sample_secs(&mut rng)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        (mean, var.sqrt() / mean)
    }

    #[test]
    fn every_shape_has_the_mean_it_was_given() {
        for shape in Shape::ALL {
            let d = Distribution::new(shape, 0.2, 1.5);
            assert!((d.mean() - 0.2).abs() < 1e-12, "{shape}: {}", d.mean());
            let (mean, _) = moments(d, 200_000);
            // Pareto's tail converges slowly; 3% is several standard errors
            // for the others.
            assert!(
                (mean - 0.2).abs() / 0.2 < 0.03,
                "{shape}: sample mean {mean}"
            );
        }
    }

    #[test]
    fn cv_matches_the_shape() {
        let cases = [
            (Shape::Exponential, 1.0),
            (Shape::Deterministic, 0.0),
            (Shape::Uniform, 1.0 / 3f64.sqrt()),
            (Shape::LogNormal, 1.5),
        ];
        for (shape, expected) in cases {
            let (_, cv) = moments(Distribution::new(shape, 1.0, 1.5), 200_000);
            assert!(
                (cv - expected).abs() < 0.05,
                "{shape}: cv {cv}, expected {expected}"
            );
        }
    }

    #[test]
    fn draws_are_never_negative() {
        let mut rng = Rng::new(5);
        for shape in Shape::ALL {
            let d = Distribution::new(shape, 0.01, 3.0);
            for _ in 0..10_000 {
                assert!(d.sample_secs(&mut rng) >= 0.0);
            }
        }
    }
}
