//! Figures over many seeds: which seeds, and the mean of a metric over them
//! with its 95% confidence interval.
//!
//! One seed is one sample of a random process, and near saturation two
//! seeds can order two variants differently. A figure written with
//! `seeds=N` runs the seeds 1 to N instead of the preset's own and shows
//! the mean with the half-width of its 95% interval; a claim is checked on
//! the seeds 1 to [`CHECKED`]. Fixed seeds, not ones counted from the
//! preset's, make the same parameters give the same figure in every
//! chapter, whichever preset they start from.

use std::ops::RangeInclusive;

/// How many seeds a claim is checked on.
pub(crate) const CHECKED: u64 = 20;

/// On how many of them it must hold: one exception in twenty is chance,
/// two is a pattern.
pub(crate) const REQUIRED: usize = 19;

/// The values `seeds=N` allows: one seed has no spread, and the table of
/// Student's t below stops at 30.
pub(crate) const ALLOWED: RangeInclusive<u64> = 2..=30;

/// The seeds of a sample of `n` runs.
pub(crate) fn first(n: u64) -> RangeInclusive<u64> {
    1..=n
}

/// The mean of a sample and the half-width of its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Interval {
    /// The sample mean.
    pub(crate) mean: f64,
    /// Half the width of the interval: the mean is `mean ± half_width`.
    pub(crate) half_width: f64,
}

impl Interval {
    /// Student's t-interval for the mean of `sample` (at least two values):
    /// mean ± t(0.975, n − 1) · s / √n, with s the sample standard deviation
    /// (divided by n − 1). It assumes the runs' values are roughly normal;
    /// twenty runs of a metric that is itself an average or a high
    /// percentile are close enough.
    pub(crate) fn of(sample: &[f64]) -> Interval {
        let n = sample.len();
        assert!(
            ALLOWED.contains(&(n as u64)),
            "a sample of {n} is outside seeds={ALLOWED:?}"
        );
        let mean = sample.iter().sum::<f64>() / n as f64;
        let variance = sample.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        Interval {
            mean,
            half_width: T_975[n - 2] * (variance / n as f64).sqrt(),
        }
    }
}

/// The 97.5th percentile of Student's t distribution for 1 to 29 degrees
/// of freedom: two-sided 95%.
const T_975: [f64; 29] = [
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010,
    2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687,
    2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_is_students() {
        // Two values, 1 and 3: mean 2, s = √2, t(0.975, 1) = 12.7062.
        let two = Interval::of(&[1.0, 3.0]);
        assert_eq!(two.mean, 2.0);
        assert!((two.half_width - 12.7062).abs() < 1e-9, "{two:?}");
        // Twenty values 1..=20: s² = 35, t(0.975, 19) = 2.0930.
        let sample: Vec<f64> = (1..=20).map(f64::from).collect();
        let twenty = Interval::of(&sample);
        assert_eq!(twenty.mean, 10.5);
        let expected = 2.0930 * (35.0f64 / 20.0).sqrt();
        assert!((twenty.half_width - expected).abs() < 1e-9, "{twenty:?}");
        assert_eq!(Interval::of(&[4.0; 30]).half_width, 0.0);
    }

    #[test]
    fn the_table_falls_towards_the_normal_quantile() {
        assert!(T_975.windows(2).all(|w| w[0] > w[1]));
        const { assert!(T_975[28] > 1.96 && T_975[28] < 2.05) };
        assert_eq!(first(CHECKED).count() as u64, CHECKED);
        assert!(ALLOWED.contains(&CHECKED));
        const { assert!(REQUIRED as u64 <= CHECKED) };
    }
}
