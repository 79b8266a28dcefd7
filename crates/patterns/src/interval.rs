//! The mean of a few seeded runs and its 95% confidence interval: how the
//! book's figures and the sweeps say how sure a number is.

use std::ops::RangeInclusive;

/// How many values a sample may have: one value has no spread, and the
/// table of Student's t below stops at 29 degrees of freedom.
pub const SAMPLE_SIZES: RangeInclusive<usize> = 2..=30;

/// The mean of a sample and the half-width of its 95% interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// The sample mean.
    pub mean: f64,
    /// Half the width of the interval: the mean is `mean ± half_width`.
    pub half_width: f64,
}

impl Interval {
    /// Student's t-interval for the mean of `sample`: mean ± t(0.975, n − 1)
    /// · s / √n, with s the sample standard deviation (divided by n − 1);
    /// none for a sample whose size is outside [`SAMPLE_SIZES`]. It
    /// assumes the runs' values are roughly normal; a few runs of a metric
    /// that is itself an average or a high percentile are close enough.
    pub fn of(sample: &[f64]) -> Option<Interval> {
        let n = sample.len();
        if !SAMPLE_SIZES.contains(&n) {
            return None;
        }
        let mean = sample.iter().sum::<f64>() / n as f64;
        // Equal values have no spread, though their mean, rounded, would
        // leave them a little.
        if sample.iter().all(|x| *x == sample[0]) {
            return Some(Interval {
                mean: sample[0],
                half_width: 0.0,
            });
        }
        let variance = sample.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        Some(Interval {
            mean,
            half_width: T_975[n - 2] * (variance / n as f64).sqrt(),
        })
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
        let two = Interval::of(&[1.0, 3.0]).unwrap();
        assert_eq!(two.mean, 2.0);
        assert!((two.half_width - 12.7062).abs() < 1e-9, "{two:?}");
        // Twenty values 1..=20: s² = 35, t(0.975, 19) = 2.0930.
        let sample: Vec<f64> = (1..=20).map(f64::from).collect();
        let twenty = Interval::of(&sample).unwrap();
        assert_eq!(twenty.mean, 10.5);
        let expected = 2.0930 * (35.0f64 / 20.0).sqrt();
        assert!((twenty.half_width - expected).abs() < 1e-9, "{twenty:?}");
        assert_eq!(Interval::of(&[4.0; 30]).unwrap().half_width, 0.0);
        let same = Interval::of(&[0.1 + 0.2; 3]).unwrap();
        assert_eq!(
            (same.mean, same.half_width),
            (0.1 + 0.2, 0.0),
            "no rounding spread"
        );
        assert_eq!(Interval::of(&[4.0]), None, "one value has no spread");
        assert_eq!(Interval::of(&[4.0; 31]), None, "beyond the table");
    }

    #[test]
    fn the_table_falls_towards_the_normal_quantile() {
        assert!(T_975.windows(2).all(|w| w[0] > w[1]));
        const { assert!(T_975[28] > 1.96 && T_975[28] < 2.05) };
        assert_eq!(T_975.len(), SAMPLE_SIZES.end() - 1);
    }
}
